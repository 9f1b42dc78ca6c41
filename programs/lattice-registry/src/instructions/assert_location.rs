use crate::{constants::*, errors::RegistryError, events::LocationAsserted, state::*};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `DcFee` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
pub struct AssertLocation<'info> {
    /// The hotspot's owner; pays the location fee.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// CHECK: the device key (a PDA seed only).
    pub device: UncheckedAccount<'info>,
    #[account(seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    #[account(
        mut,
        seeds = [HOTSPOT_SEED, device.key().as_ref()],
        bump = hotspot.bump,
        has_one = owner @ RegistryError::NotOwner,
    )]
    pub hotspot: Box<Account<'info, Hotspot>>,
    /// CHECK: the registry's DAO.
    #[account(address = registry.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the coverage sub-DAO.
    #[account(address = registry.coverage_sub_dao @ RegistryError::WrongSubDao)]
    pub sub_dao: UncheckedAccount<'info>,
    pub fee: DcFee<'info>,
    pub dao_program: Program<'info, lattice_dao::program::LatticeDao>,
    pub system_program: Program<'info, System>,
}

/// Assert a hotspot's location.
///
/// Shall be signed by the owner (`NotOwner`), validate the position like registration, and
/// burn the location fee and count an assertion **only when the cell changes**; gain and
/// elevation updates are free.
pub fn handler(ctx: Context<AssertLocation>, args: HotspotLocation) -> Result<()> {
    let params = ctx.accounts.registry.params;
    crate::instructions::validate_location(&params, &args)?;
    let moved = ctx.accounts.hotspot.location != args.location;
    let fee = if moved { params.location_fee_dc } else { 0 };
    crate::instructions::burn_fee(
        &ctx.accounts.owner.to_account_info(),
        &ctx.accounts.fee,
        &ctx.accounts.dao.to_account_info(),
        &ctx.accounts.sub_dao.to_account_info(),
        &ctx.accounts.dao_program.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        fee,
    )?;
    let h = &mut ctx.accounts.hotspot;
    if moved {
        h.location_asserts = h
            .location_asserts
            .checked_add(1)
            .ok_or(RegistryError::MathOverflow)?;
    }
    h.location = args.location;
    h.gain_dbi_x10 = args.gain_dbi_x10;
    h.elevation_m = args.elevation_m;
    emit!(LocationAsserted {
        device: ctx.accounts.device.key(),
        location: args.location,
        fee_dc: fee,
    });
    Ok(())
}
