use crate::{constants::*, errors::DaoError, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct UpdateActiveDevices<'info> {
    /// The registry configuration PDA of this DAO, signing through CPI.
    #[account(
        seeds = [REGISTRY_SEED, dao.key().as_ref()],
        bump,
        seeds::program = REGISTRY_PROGRAM_ID,
    )]
    pub registry: Signer<'info>,
    #[account(seeds = [DAO_SEED, dao.main_mint.as_ref()], bump = dao.bump)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(mut, has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
}

/// Move a sub-DAO's active-device count (the A input) by `delta`.
///
/// Shall be signed by the DAO's registry PDA (`ConstraintSeeds` otherwise) and never take the
/// count below zero (`DeviceCountUnderflow`).
pub fn handler(ctx: Context<UpdateActiveDevices>, delta: i64) -> Result<()> {
    let sub = &mut ctx.accounts.sub_dao;
    sub.active_devices = sub
        .active_devices
        .checked_add_signed(delta)
        .ok_or(DaoError::DeviceCountUnderflow)?;
    Ok(())
}
