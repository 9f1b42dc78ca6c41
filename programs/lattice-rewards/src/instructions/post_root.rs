use crate::{
    constants::*,
    errors::RewardsError,
    events::{RootFinalized, RootPosted},
    state::*,
};
use anchor_lang::prelude::*;
use lattice_dao::SubDao;
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
#[instruction(epoch: u64)]
pub struct PostRoot<'info> {
    /// An oracle of the set; pays the epoch record's rent on the epoch's first post.
    #[account(mut)]
    pub oracle: Signer<'info>,
    #[account(
        mut,
        seeds = [REWARDS_CONFIG_SEED, config.sub_dao.as_ref()],
        bump = config.bump,
        has_one = sub_dao,
    )]
    pub config: Box<Account<'info, RewardsConfig>>,
    /// Read for `tokens_emitted`, the bound on any root's total.
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// CHECK: the epoch's record; created here on the epoch's first post (by hand, so a
    /// pre-funded address cannot block it), otherwise read as an `EpochRoot`.
    #[account(
        mut,
        seeds = [EPOCH_ROOT_SEED, config.key().as_ref(), &epoch.to_le_bytes()],
        bump,
    )]
    pub epoch_root: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Post an oracle's Merkle root of cumulative per-device rewards up to the end of `epoch`.
///
/// Shall:
/// - be signed by an oracle of the current set (`NotAnOracle`), once per epoch
///   (`AlreadyPosted`);
/// - accept only an epoch after the latest final epoch (`StaleEpoch`) and already over
///   (`FutureEpoch`: `epoch < floor(now / 3600)`);
/// - refuse a total above the sub-DAO tokens emitted to the rewards escrow so far
///   (`RootExceedsEscrow`) or below the latest final total (`TotalNotMonotone`);
/// - count only posts of the current oracle-set generation;
/// - make `(root, total)` final when `threshold` oracles posted it identically for the epoch:
///   it replaces the final root, and later posts of this or any earlier epoch are stale. Since
///   `threshold > n/2`, a different root can never also reach it;
/// - emit `RootPosted`, and `RootFinalized` when it finalizes.
pub fn handler(ctx: Context<PostRoot>, epoch: u64, root: [u8; 32], total: u64) -> Result<()> {
    let oracle = ctx.accounts.oracle.key();
    let config_key = ctx.accounts.config.key();
    let config = &mut ctx.accounts.config;
    require!(config.is_oracle(&oracle), RewardsError::NotAnOracle);
    require!(epoch > config.final_epoch, RewardsError::StaleEpoch);
    let now = Clock::get()?.unix_timestamp;
    require!(epoch < hour_of(now), RewardsError::FutureEpoch);
    require!(
        total <= ctx.accounts.sub_dao.tokens_emitted,
        RewardsError::RootExceedsEscrow
    );
    require!(total >= config.final_total, RewardsError::TotalNotMonotone);

    let info = ctx.accounts.epoch_root.to_account_info();
    let mut record = if info.owner == &crate::ID {
        let data = info.try_borrow_data()?;
        EpochRoot::try_deserialize(&mut &data[..])?
    } else {
        let epoch_bytes = epoch.to_le_bytes();
        let seeds: [&[u8]; 4] = [
            EPOCH_ROOT_SEED,
            config_key.as_ref(),
            &epoch_bytes,
            std::slice::from_ref(&ctx.bumps.epoch_root),
        ];
        lattice_dao::utils::create_pda_account(
            &ctx.accounts.oracle.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            8usize.saturating_add(EpochRoot::INIT_SPACE),
            &crate::ID,
            &seeds,
        )?;
        EpochRoot {
            config: config_key,
            epoch,
            oracle_set_generation: config.oracle_set_generation,
            rent_payer: oracle,
            posts: Vec::with_capacity(MAX_ORACLES),
            finalized: false,
            bump: ctx.bumps.epoch_root,
            reserved: [0; 16],
        }
    };
    if record.oracle_set_generation != config.oracle_set_generation {
        // The set changed since these posts: they no longer speak for the oracles.
        record.posts.clear();
        record.oracle_set_generation = config.oracle_set_generation;
    }
    require!(
        record.posts.iter().all(|p| p.oracle != oracle),
        RewardsError::AlreadyPosted
    );
    require!(
        record.posts.len() < MAX_ORACLES,
        RewardsError::InvariantViolated
    );
    record.posts.push(RootPost {
        oracle,
        root,
        total,
    });
    let votes = record.votes_for(&root, total);
    emit!(RootPosted {
        config: config_key,
        epoch,
        oracle,
        root,
        total,
        votes: u8::try_from(votes).map_err(|_| RewardsError::MathOverflow)?,
    });
    if votes >= usize::from(config.threshold) {
        let previous_epoch = config.final_epoch;
        config.final_epoch = epoch;
        config.final_root = root;
        config.final_total = total;
        record.finalized = true;
        emit!(RootFinalized {
            config: config_key,
            epoch,
            root,
            total,
            previous_epoch,
        });
    }
    {
        let mut data = info.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        record.try_serialize(&mut writer)?;
    }
    config.invariant()
}
