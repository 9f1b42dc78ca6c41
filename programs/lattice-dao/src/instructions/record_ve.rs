use crate::{constants::*, errors::DaoError, events::VeRecorded, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
#[instruction(hour: u64)]
pub struct RecordVe<'info> {
    /// The DAO's governance PDA, signing through CPI.
    pub governance: Signer<'info>,
    /// Pays for the hour's record if it does not exist yet.
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [DAO_SEED, dao.main_mint.as_ref()], bump = dao.bump)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// CHECK: the sub-DAO's record of `hour` (a `SubDaoEpoch`; address checked by the seeds);
    /// created here if no DC burn created it first. Created by hand rather than with
    /// `init_if_needed`, so that lamports sent to the address beforehand cannot block the hour.
    #[account(
        mut,
        seeds = [SUB_DAO_EPOCH_SEED, sub_dao.key().as_ref(), &hour.to_le_bytes()],
        bump,
    )]
    pub sub_dao_epoch: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Record a sub-DAO's V of `hour`: the vote-escrow power delegated to it at the hour's start,
/// with the main tokens then locked in governance (`staked`, for the staking ratio).
///
/// Shall:
/// - be signed by the DAO's governance PDA ([`governance_pda`]; any other signer:
///   `Unauthorized`);
/// - refuse a sub-DAO whose V is not enabled, or an hour before its V start hour
///   (`VeNotEnabled`);
/// - record each hour once (`VeAlreadyRecorded`); an hour needing V cannot be issued before it is
///   recorded, so a recorded V is the one its issuance used;
/// - keep the hour's DC burns, creating the record (paid by `payer`) if none exists;
/// - emit `VeRecorded`.
pub fn handler(ctx: Context<RecordVe>, hour: u64, ve_power: u128, staked: u64) -> Result<()> {
    require_keys_eq!(
        ctx.accounts.governance.key(),
        governance_pda(&ctx.accounts.dao.key()),
        DaoError::Unauthorized
    );
    let sub = &ctx.accounts.sub_dao;
    require!(sub.ve_required(hour), DaoError::VeNotEnabled);
    let info = ctx.accounts.sub_dao_epoch.to_account_info();
    let mut record = crate::instructions::load_or_create_sub_dao_epoch(
        &ctx.accounts.payer.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        sub.key(),
        hour,
        ctx.bumps.sub_dao_epoch,
    )?;
    require!(!record.ve_recorded, DaoError::VeAlreadyRecorded);
    record.ve_power = ve_power;
    record.ve_recorded = true;
    record.staked = staked;
    crate::instructions::store(&info, &record)?;
    emit!(VeRecorded {
        dao: sub.dao,
        sub_dao: sub.key(),
        hour,
        ve_power,
    });
    Ok(())
}
