use crate::{constants::*, errors::RewardsError, events::RewardsInitialized, state::*};
use anchor_lang::prelude::*;
use lattice_dao::{Breaker, BreakerParams, Dao, SubDao};

/// Arguments of `initialize_rewards`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeRewardsArgs {
    /// Which registry accounts identify the sub-DAO's devices.
    pub device_kind: DeviceKind,
    /// Oracle keys (1..=7, distinct).
    pub oracles: Vec<Pubkey>,
    /// Identical posts needed to finalize a root (`n/2 < k <= n`).
    pub threshold: u8,
    /// Circuit breaker on claim payments (sub-DAO token base units per window).
    pub claim_breaker: BreakerParams,
}

#[derive(Accounts)]
pub struct InitializeRewards<'info> {
    /// Pays rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The DAO's authority.
    pub authority: Signer<'info>,
    #[account(has_one = authority @ RewardsError::Unauthorized)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// CHECK: the configuration, created here by hand (a pre-funded address cannot block it).
    #[account(mut, seeds = [REWARDS_CONFIG_SEED, sub_dao.key().as_ref()], bump)]
    pub config: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Create a sub-DAO's rewards configuration.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`), for a sub-DAO of that DAO
///   (`ConstraintHasOne`);
/// - refuse an unsafe oracle set (`InvalidOracleSet`: 1..=7 distinct keys, `n/2 < k <= n`), a
///   claim breaker with a zero window or threshold (`InvalidBreaker`) and a second initialization
///   (`AlreadyInitialized`);
/// - pay from the sub-DAO's own rewards escrow in its own token, with no root final yet;
/// - emit `RewardsInitialized`.
pub fn handler(ctx: Context<InitializeRewards>, args: InitializeRewardsArgs) -> Result<()> {
    require!(
        oracle_set_is_valid(&args.oracles, args.threshold),
        RewardsError::InvalidOracleSet
    );
    require!(
        claim_breaker_is_valid(&args.claim_breaker),
        RewardsError::InvalidBreaker
    );
    let info = ctx.accounts.config.to_account_info();
    require!(
        info.owner != &crate::ID && info.data_is_empty(),
        RewardsError::AlreadyInitialized
    );
    let sub = &ctx.accounts.sub_dao;
    let sub_key = sub.key();
    let seeds: [&[u8]; 3] = [
        REWARDS_CONFIG_SEED,
        sub_key.as_ref(),
        std::slice::from_ref(&ctx.bumps.config),
    ];
    lattice_dao::utils::create_pda_account(
        &ctx.accounts.payer.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        8usize.saturating_add(RewardsConfig::INIT_SPACE),
        &crate::ID,
        &seeds,
    )?;
    let config = RewardsConfig {
        version: 1,
        dao: ctx.accounts.dao.key(),
        sub_dao: sub_key,
        rewards_mint: sub.mint,
        rewards_escrow: sub.rewards_escrow,
        device_kind: args.device_kind,
        oracles: args.oracles,
        threshold: args.threshold,
        oracle_set_generation: 0,
        final_epoch: 0,
        final_root: [0; 32],
        final_total: 0,
        total_claimed: 0,
        claim_breaker: Breaker::new(args.claim_breaker),
        bump: ctx.bumps.config,
        reserved: [0; 64],
    };
    config.invariant()?;
    {
        let mut data = info.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        config.try_serialize(&mut writer)?;
    }
    emit!(RewardsInitialized {
        config: info.key(),
        sub_dao: sub_key,
        device_kind: config.device_kind.as_u8(),
        oracles: config.oracles.clone(),
        threshold: config.threshold,
        authority: ctx.accounts.authority.key(),
    });
    Ok(())
}
