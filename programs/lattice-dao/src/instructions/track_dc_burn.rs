use crate::{constants::*, errors::DaoError, state::*};
use anchor_lang::prelude::*;
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
pub struct TrackDcBurn<'info> {
    /// Pays for the hour's record the first time.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The data-credits configuration PDA of this DAO, signing through CPI.
    #[account(
        seeds = [DATA_CREDITS_SEED, dao.key().as_ref()],
        bump,
        seeds::program = DATA_CREDITS_PROGRAM_ID,
    )]
    pub data_credits: Signer<'info>,
    #[account(seeds = [DAO_SEED, dao.main_mint.as_ref()], bump = dao.bump)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// CHECK: the sub-DAO's record of the current hour (address checked in the handler, since
    /// the hour comes from the clock); created here on first use.
    #[account(mut)]
    pub sub_dao_epoch: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Record a DC burn into a sub-DAO's current hour.
///
/// Shall:
/// - be signed by the DAO's data-credits PDA (`ConstraintSeeds` for any other signer), so only
///   the data-credits program can move the D input;
/// - record into the current hour's record only (`ConstraintSeeds` for any other account); the
///   current hour cannot have been issued yet;
/// - add usage burns to `dc_burned` (the D input) and fee burns to `fees_burned`.
pub fn handler(ctx: Context<TrackDcBurn>, amount: u64, fee: bool) -> Result<()> {
    let hour = hour_of(Clock::get()?.unix_timestamp);
    let info = ctx.accounts.sub_dao_epoch.to_account_info();
    let sub_dao = ctx.accounts.sub_dao.key();
    let hour_bytes = hour.to_le_bytes();
    let (expected, bump) = Pubkey::find_program_address(
        &[SUB_DAO_EPOCH_SEED, sub_dao.as_ref(), &hour_bytes],
        &crate::ID,
    );
    require_keys_eq!(
        info.key(),
        expected,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    let mut record = crate::instructions::load_or_create_sub_dao_epoch(
        &ctx.accounts.payer.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        sub_dao,
        hour,
        bump,
    )?;
    let slot = if fee {
        &mut record.fees_burned
    } else {
        &mut record.dc_burned
    };
    *slot = slot.checked_add(amount).ok_or(DaoError::MathOverflow)?;
    crate::instructions::store(&info, &record)
}
