use crate::{constants::*, errors::RegistryError, events::DeviceChanged, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CloseHotspot<'info> {
    /// The owner; receives the rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// CHECK: the device key (a PDA seed only).
    pub device: UncheckedAccount<'info>,
    #[account(mut, seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    #[account(
        mut,
        close = owner,
        seeds = [HOTSPOT_SEED, device.key().as_ref()],
        bump = hotspot.bump,
        has_one = owner @ RegistryError::NotOwner,
    )]
    pub hotspot: Box<Account<'info, Hotspot>>,
    /// CHECK: the registry's DAO.
    #[account(address = registry.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the coverage sub-DAO.
    #[account(mut, address = registry.coverage_sub_dao @ RegistryError::WrongSubDao)]
    pub sub_dao: UncheckedAccount<'info>,
    pub dao_program: Program<'info, lattice_dao::program::LatticeDao>,
}

/// Close a hotspot: owner only (`NotOwner`); it stops counting as an active device and its rent
/// returns to the owner.
pub fn handler(ctx: Context<CloseHotspot>) -> Result<()> {
    crate::instructions::update_devices(
        &ctx.accounts.registry,
        &ctx.accounts.dao.to_account_info(),
        &ctx.accounts.sub_dao.to_account_info(),
        &ctx.accounts.dao_program.to_account_info(),
        -1,
    )?;
    let r = &mut ctx.accounts.registry;
    r.hotspots = r
        .hotspots
        .checked_sub(1)
        .ok_or(RegistryError::MathOverflow)?;
    emit!(DeviceChanged {
        device: ctx.accounts.device.key(),
        owner: ctx.accounts.owner.key(),
        closed: true,
    });
    Ok(())
}
