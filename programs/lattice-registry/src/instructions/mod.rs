//! Instruction handlers, one file each, and the CPIs they share.

pub mod assert_location;
pub mod close_gpu_node;
pub mod close_hotspot;
pub mod initialize_registry;
pub mod jobs_held;
pub mod register_gpu_node;
pub mod register_hotspot;
pub mod request_unstake;
pub mod set_authority;
pub mod set_registry_params;
pub mod slash_stake;
pub mod transfer_device;

// Each module has a `handler`; the globs exist for Anchor's generated client modules.
#[allow(ambiguous_glob_reexports)]
pub use assert_location::*;
#[allow(ambiguous_glob_reexports)]
pub use close_gpu_node::*;
#[allow(ambiguous_glob_reexports)]
pub use close_hotspot::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize_registry::*;
#[allow(ambiguous_glob_reexports)]
pub use jobs_held::*;
#[allow(ambiguous_glob_reexports)]
pub use register_gpu_node::*;
#[allow(ambiguous_glob_reexports)]
pub use register_hotspot::*;
#[allow(ambiguous_glob_reexports)]
pub use request_unstake::*;
#[allow(ambiguous_glob_reexports)]
pub use set_authority::*;
#[allow(ambiguous_glob_reexports)]
pub use set_registry_params::*;
#[allow(ambiguous_glob_reexports)]
pub use slash_stake::*;
#[allow(ambiguous_glob_reexports)]
pub use transfer_device::*;

use crate::{errors::RegistryError, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use lattice_math::h3::{validate_cell, H3Error};

/// The accounts a DC fee burn needs. The data-credits program validates every one of them
/// (mint, owner's DC account, sub-DAO, hour record).
#[derive(Accounts)]
pub struct DcFee<'info> {
    /// CHECK: the data-credits configuration; validated by the data-credits program.
    pub data_credits: UncheckedAccount<'info>,
    /// CHECK: the DC mint; validated by the data-credits program.
    #[account(mut)]
    pub dc_mint: UncheckedAccount<'info>,
    /// CHECK: the sub-DAO's DC settings; validated by the data-credits program.
    #[account(mut)]
    pub sub_dao_dc: UncheckedAccount<'info>,
    /// CHECK: the owner's DC account; validated by the data-credits program.
    #[account(mut)]
    pub owner_dc: UncheckedAccount<'info>,
    /// CHECK: the sub-DAO's current-hour record; validated by the DAO program.
    #[account(mut)]
    pub sub_dao_epoch: UncheckedAccount<'info>,
    pub dc_program: Program<'info, lattice_data_credits::program::LatticeDataCredits>,
    pub token_2022_program: Program<'info, Token2022>,
}

/// Burn `amount` DC of `owner` as a fee of `sub_dao` (nothing when `amount` is 0).
pub(crate) fn burn_fee<'info>(
    owner: &AccountInfo<'info>,
    fee: &DcFee<'info>,
    dao: &AccountInfo<'info>,
    sub_dao: &AccountInfo<'info>,
    dao_program: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    lattice_data_credits::cpi::burn_dc_fee(
        CpiContext::new(
            fee.dc_program.key(),
            lattice_data_credits::cpi::accounts::BurnDcFee {
                owner: owner.clone(),
                data_credits: fee.data_credits.to_account_info(),
                dc_mint: fee.dc_mint.to_account_info(),
                sub_dao_dc: fee.sub_dao_dc.to_account_info(),
                owner_dc: fee.owner_dc.to_account_info(),
                dao: dao.clone(),
                sub_dao: sub_dao.clone(),
                sub_dao_epoch: fee.sub_dao_epoch.to_account_info(),
                dao_program: dao_program.clone(),
                token_2022_program: fee.token_2022_program.to_account_info(),
                system_program: system_program.clone(),
            },
        ),
        amount,
    )
}

/// The accounts an onboarding touches outside the registry.
pub(crate) struct Onboarding<'a, 'info> {
    pub owner: AccountInfo<'info>,
    pub fee: &'a DcFee<'info>,
    pub dao: AccountInfo<'info>,
    pub sub_dao: AccountInfo<'info>,
    pub dao_program: AccountInfo<'info>,
    pub system_program: AccountInfo<'info>,
}

/// Onboard a device: burn `fee_dc` of the owner's DC as a fee of the sub-DAO and count one more
/// active device there.
pub(crate) fn onboard<'info>(
    registry: &Account<'info, Registry>,
    o: Onboarding<'_, 'info>,
    fee_dc: u64,
) -> Result<()> {
    burn_fee(
        &o.owner,
        o.fee,
        &o.dao,
        &o.sub_dao,
        &o.dao_program,
        &o.system_program,
        fee_dc,
    )?;
    update_devices(registry, &o.dao, &o.sub_dao, &o.dao_program, 1)
}

/// Move the sub-DAO's active-device count by `delta`, signing as the registry PDA.
pub(crate) fn update_devices<'info>(
    registry: &Account<'info, Registry>,
    dao: &AccountInfo<'info>,
    sub_dao: &AccountInfo<'info>,
    dao_program: &AccountInfo<'info>,
    delta: i64,
) -> Result<()> {
    let seeds = registry.signer_seeds();
    lattice_dao::cpi::update_active_devices(
        CpiContext::new_with_signer(
            dao_program.key(),
            lattice_dao::cpi::accounts::UpdateActiveDevices {
                registry: registry.to_account_info(),
                dao: dao.clone(),
                sub_dao: sub_dao.clone(),
            },
            &[&seeds],
        ),
        delta,
    )
}

/// Move `amount` main tokens out of the stake vault to `to`, signed by the registry PDA.
pub(crate) fn pay_from_vault<'info>(
    registry: &Account<'info, Registry>,
    stake_vault: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let seeds = registry.signer_seeds();
    anchor_spl::token::transfer(
        CpiContext::new_with_signer(
            token_program.key(),
            anchor_spl::token::Transfer {
                from: stake_vault.clone(),
                to: to.clone(),
                authority: registry.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )
}

/// Create a device PDA and write `value` into it, refusing a device registered already
/// (`DeviceAlreadyRegistered`). Created by hand rather than with Anchor's `init`, so lamports
/// sent to the address beforehand cannot block a registration.
pub(crate) fn create_device<'info, T: AccountSerialize + anchor_lang::Space>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    require!(
        account.owner != &crate::ID,
        RegistryError::DeviceAlreadyRegistered
    );
    lattice_dao::utils::create_pda_account(
        payer,
        account,
        system_program,
        8usize.saturating_add(T::INIT_SPACE),
        &crate::ID,
        seeds,
    )?;
    let mut data = account.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}

/// Check a hotspot position against the registry's bounds, each failure with its own error.
pub fn validate_location(p: &RegistryParams, loc: &HotspotLocation) -> Result<()> {
    match validate_cell(loc.location, p.h3_resolution) {
        Ok(()) => {}
        Err(H3Error::WrongResolution) => return err!(RegistryError::LocationWrongResolution),
        Err(_) => return err!(RegistryError::LocationNotACell),
    }
    require!(
        (p.min_gain_dbi_x10..=p.max_gain_dbi_x10).contains(&loc.gain_dbi_x10),
        RegistryError::GainOutOfRange
    );
    require!(
        (p.min_elevation_m..=p.max_elevation_m).contains(&loc.elevation_m),
        RegistryError::ElevationOutOfRange
    );
    Ok(())
}
