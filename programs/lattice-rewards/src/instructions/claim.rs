use crate::{constants::*, errors::RewardsError, events::RewardsClaimed, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount, Transfer};
use lattice_math::merkle;
use lattice_registry::{GpuNode, Hotspot};

#[derive(Accounts)]
#[instruction(device: Pubkey)]
pub struct Claim<'info> {
    /// Anyone: pays the fee, and the claim record's rent on the device's first claim.
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        mut,
        seeds = [REWARDS_CONFIG_SEED, config.sub_dao.as_ref()],
        bump = config.bump,
        has_one = rewards_escrow,
    )]
    pub config: Box<Account<'info, RewardsConfig>>,
    /// CHECK: the registry's `Hotspot` or `GpuNode` PDA of `device` (per the configuration's
    /// device kind); owner program, type and address checked in the handler.
    pub device_account: UncheckedAccount<'info>,
    /// CHECK: the device's claim record; created here on its first claim (by hand, so a
    /// pre-funded address cannot block it), otherwise read as a `ClaimRecord`.
    #[account(mut, seeds = [CLAIMED_SEED, config.key().as_ref(), device.as_ref()], bump)]
    pub claim_record: UncheckedAccount<'info>,
    /// The sub-DAO's rewards escrow, paid from with the configuration as delegate.
    #[account(mut)]
    pub rewards_escrow: Box<Account<'info, TokenAccount>>,
    /// A rewards-mint token account of the device's current owner.
    #[account(
        mut,
        constraint = destination.mint == config.rewards_mint @ RewardsError::WrongDestination,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// The current owner of `device`, read from its registry account of `kind`.
///
/// The account must be owned by the registry program, decode as the kind's type (discriminator
/// checked) and sit at `[kind seed, device]` with its stored bump (`WrongDeviceAccount`).
pub fn device_owner(kind: DeviceKind, device: &Pubkey, info: &AccountInfo) -> Result<Pubkey> {
    require_keys_eq!(
        *info.owner,
        lattice_registry::ID,
        RewardsError::WrongDeviceAccount
    );
    let data = info.try_borrow_data()?;
    let (owner, bump) = match kind {
        DeviceKind::Hotspot => Hotspot::try_deserialize(&mut &data[..]).map(|h| (h.owner, h.bump)),
        DeviceKind::GpuNode => GpuNode::try_deserialize(&mut &data[..]).map(|g| (g.owner, g.bump)),
    }
    .map_err(|_| RewardsError::WrongDeviceAccount)?;
    let expected = Pubkey::create_program_address(
        &[kind.seed(), device.as_ref(), &[bump]],
        &lattice_registry::ID,
    )
    .map_err(|_| RewardsError::WrongDeviceAccount)?;
    require_keys_eq!(info.key(), expected, RewardsError::WrongDeviceAccount);
    Ok(owner)
}

/// Pay a device what it earned since its last claim.
///
/// Shall:
/// - be permissionless: anyone may send a claim, and it always pays the device's **current**
///   owner (read from the registry at claim time);
/// - verify `leaf(device, cumulative_amount)` with `proof` against the latest final root only
///   (`NoFinalRoot` before any, `InvalidProof` otherwise, including proofs of older roots and
///   amounts other than the leaf's);
/// - accept only the registry account of `device` for the sub-DAO's device kind
///   (`WrongDeviceAccount`) and a rewards-mint account of its owner (`WrongDestination`);
/// - refuse a cumulative amount below what was paid (`ClaimBelowClaimed`) and pay exactly
///   `cumulative_amount − claimed`, which must be positive (`NothingToClaim`);
/// - never let the claims paid exceed the final root's total (`ClaimExceedsRootTotal`), which
///   itself never exceeds what emissions put into the escrow;
/// - pass the claim circuit breaker (`ClaimBreakerTripped`);
/// - pay from the rewards escrow as its approved delegate (`EscrowNotDelegated` if not);
/// - record the new claimed amount and emit `RewardsClaimed`.
pub fn handler(
    ctx: Context<Claim>,
    device: Pubkey,
    cumulative_amount: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let config_key = ctx.accounts.config.key();
    let config = &ctx.accounts.config;
    require!(config.final_epoch > 0, RewardsError::NoFinalRoot);
    let leaf = merkle::leaf(&device.to_bytes(), cumulative_amount);
    require!(
        merkle::verify(&config.final_root, &leaf, &proof),
        RewardsError::InvalidProof
    );
    let owner = device_owner(
        config.device_kind,
        &device,
        &ctx.accounts.device_account.to_account_info(),
    )?;
    require_keys_eq!(
        ctx.accounts.destination.owner,
        owner,
        RewardsError::WrongDestination
    );

    let info = ctx.accounts.claim_record.to_account_info();
    let existing = info.owner == &crate::ID;
    let mut record = if existing {
        let data = info.try_borrow_data()?;
        ClaimRecord::try_deserialize(&mut &data[..])?
    } else {
        ClaimRecord {
            device,
            claimed: 0,
            last_epoch: 0,
            bump: ctx.bumps.claim_record,
        }
    };
    require!(
        cumulative_amount >= record.claimed,
        RewardsError::ClaimBelowClaimed
    );
    let amount = cumulative_amount.saturating_sub(record.claimed);
    require!(amount > 0, RewardsError::NothingToClaim);
    let total_claimed = config
        .total_claimed
        .checked_add(amount)
        .ok_or(RewardsError::MathOverflow)?;
    require!(
        total_claimed <= config.final_total,
        RewardsError::ClaimExceedsRootTotal
    );
    let escrow = &ctx.accounts.rewards_escrow;
    require!(
        escrow.delegate == Some(config_key).into() && escrow.delegated_amount >= amount,
        RewardsError::EscrowNotDelegated
    );

    let now = Clock::get()?.unix_timestamp;
    let config = &mut ctx.accounts.config;
    require!(
        config.claim_breaker.try_record(now, amount),
        RewardsError::ClaimBreakerTripped
    );

    if !existing {
        let seeds: [&[u8]; 4] = [
            CLAIMED_SEED,
            config_key.as_ref(),
            device.as_ref(),
            std::slice::from_ref(&record.bump),
        ];
        lattice_dao::utils::create_pda_account(
            &ctx.accounts.payer.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            8usize.saturating_add(ClaimRecord::INIT_SPACE),
            &crate::ID,
            &seeds,
        )?;
    }
    let seeds = config.signer_seeds();
    token::transfer(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            Transfer {
                from: ctx.accounts.rewards_escrow.to_account_info(),
                to: ctx.accounts.destination.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;

    record.claimed = cumulative_amount;
    record.last_epoch = config.final_epoch;
    {
        let mut data = info.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        record.try_serialize(&mut writer)?;
    }
    config.total_claimed = total_claimed;
    emit!(RewardsClaimed {
        config: config_key,
        device,
        owner,
        destination: ctx.accounts.destination.key(),
        cumulative: cumulative_amount,
        amount,
        epoch: config.final_epoch,
        payer: ctx.accounts.payer.key(),
    });
    config.invariant()
}
