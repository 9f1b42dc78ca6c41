use crate::{constants::*, errors::RegistryError, events::DeviceRegistered, state::*};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `DcFee` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
pub struct RegisterHotspot<'info> {
    /// Pays rent and the DC fee; owns the hotspot.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The device key: its signature proves possession.
    pub device: Signer<'info>,
    #[account(mut, seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    /// CHECK: the device's PDA, created in the handler (`create_device`).
    #[account(mut, seeds = [HOTSPOT_SEED, device.key().as_ref()], bump)]
    pub hotspot: UncheckedAccount<'info>,
    /// CHECK: the registry's DAO.
    #[account(address = registry.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the coverage sub-DAO.
    #[account(mut, address = registry.coverage_sub_dao @ RegistryError::WrongSubDao)]
    pub sub_dao: UncheckedAccount<'info>,
    pub fee: DcFee<'info>,
    pub dao_program: Program<'info, lattice_dao::program::LatticeDao>,
    pub system_program: Program<'info, System>,
}

/// Register a hotspot.
///
/// Shall:
/// - require the device key's signature (`AccountNotSigner`) and a device not registered yet
///   (`DeviceAlreadyRegistered`; a pre-funded address does not block it);
/// - validate the H3 cell (`LocationNotACell`, `LocationWrongResolution`), gain
///   (`GainOutOfRange`) and elevation (`ElevationOutOfRange`);
/// - burn the onboarding fee from the owner's DC (the data-credits program's `InsufficientDc`
///   when short), recorded as a coverage fee;
/// - count the hotspot as an active coverage device.
pub fn handler(ctx: Context<RegisterHotspot>, args: HotspotLocation) -> Result<()> {
    let params = ctx.accounts.registry.params;
    crate::instructions::validate_location(&params, &args)?;
    let device = ctx.accounts.device.key();
    let seeds: [&[u8]; 3] = [
        HOTSPOT_SEED,
        device.as_ref(),
        std::slice::from_ref(&ctx.bumps.hotspot),
    ];
    crate::instructions::create_device(
        &ctx.accounts.owner.to_account_info(),
        &ctx.accounts.hotspot.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &seeds,
        &Hotspot {
            owner: ctx.accounts.owner.key(),
            location: args.location,
            gain_dbi_x10: args.gain_dbi_x10,
            elevation_m: args.elevation_m,
            location_asserts: 1,
            bump: ctx.bumps.hotspot,
        },
    )?;
    let fee = params.hotspot_onboarding_fee_dc;
    crate::instructions::onboard(
        &ctx.accounts.registry,
        crate::instructions::Onboarding {
            owner: ctx.accounts.owner.to_account_info(),
            fee: &ctx.accounts.fee,
            dao: ctx.accounts.dao.to_account_info(),
            sub_dao: ctx.accounts.sub_dao.to_account_info(),
            dao_program: ctx.accounts.dao_program.to_account_info(),
            system_program: ctx.accounts.system_program.to_account_info(),
        },
        fee,
    )?;
    let r = &mut ctx.accounts.registry;
    r.hotspots = r
        .hotspots
        .checked_add(1)
        .ok_or(RegistryError::MathOverflow)?;
    emit!(DeviceRegistered {
        device: ctx.accounts.device.key(),
        owner: ctx.accounts.owner.key(),
        gpu: false,
        fee_dc: fee,
        stake: 0,
    });
    Ok(())
}
