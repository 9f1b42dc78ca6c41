//! Instruction handlers, one file each.

pub mod add_sub_dao;
pub mod approve_rewards_delegate;
pub mod convert;
pub mod enable_ve;
pub mod init_conversion;
pub mod initialize_dao;
pub mod issue_hour;
pub mod record_ve;
pub mod set_authority;
pub mod set_conversion_params;
pub mod set_dao_params;
pub mod set_sub_dao_params;
pub mod track_dc_burn;
pub mod update_active_devices;

// Each module has a `handler`; the globs exist for Anchor's generated client modules.
#[allow(ambiguous_glob_reexports)]
pub use add_sub_dao::*;
#[allow(ambiguous_glob_reexports)]
pub use approve_rewards_delegate::*;
#[allow(ambiguous_glob_reexports)]
pub use convert::*;
#[allow(ambiguous_glob_reexports)]
pub use enable_ve::*;
#[allow(ambiguous_glob_reexports)]
pub use init_conversion::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize_dao::*;
#[allow(ambiguous_glob_reexports)]
pub use issue_hour::*;
#[allow(ambiguous_glob_reexports)]
pub use record_ve::*;
#[allow(ambiguous_glob_reexports)]
pub use set_authority::*;
#[allow(ambiguous_glob_reexports)]
pub use set_conversion_params::*;
#[allow(ambiguous_glob_reexports)]
pub use set_dao_params::*;
#[allow(ambiguous_glob_reexports)]
pub use set_sub_dao_params::*;
#[allow(ambiguous_glob_reexports)]
pub use track_dc_burn::*;
#[allow(ambiguous_glob_reexports)]
pub use update_active_devices::*;

use crate::{constants::*, errors::DaoError, state::*};
use anchor_lang::prelude::*;
use lattice_math::{
    emission::{peak_hourly_emission, EmissionSchedule},
    utility::UtilityWeights,
};

/// Shared checks of a schedule against its cap and breaker.
pub(crate) fn validate_schedule(
    emission: &EmissionParams,
    already_minted: u64,
    max_supply: u64,
    breaker: &BreakerParams,
) -> Result<()> {
    let schedule: EmissionSchedule = (*emission).into();
    require!(schedule.validate().is_ok(), DaoError::InvalidSchedule);
    let total = already_minted
        .checked_add(emission.pool)
        .ok_or(DaoError::ScheduleExceedsCap)?;
    require!(total <= max_supply, DaoError::ScheduleExceedsCap);
    // A breaker below the largest hour would stop the schedule on its own.
    require!(
        breaker.window_secs > 0 && breaker.threshold >= peak_hourly_emission(&schedule),
        DaoError::InvalidBreaker
    );
    Ok(())
}

/// Utility weights must sum to exactly 10_000 bps (`InvalidUtilityWeights`).
pub(crate) fn validate_utility_weights(weights: &UtilityWeightParams) -> Result<()> {
    require!(
        UtilityWeights::from(*weights).is_valid(),
        DaoError::InvalidUtilityWeights
    );
    Ok(())
}

/// The delegator share is at most 10_000 bps (`InvalidBps`).
pub(crate) fn validate_delegator_bps(delegator_bps: u16) -> Result<()> {
    require!(
        u64::from(delegator_bps) <= lattice_math::BPS,
        DaoError::InvalidBps
    );
    Ok(())
}

/// Load a sub-DAO's record of `hour` from `info` (the caller has checked that it is the PDA
/// `[SUB_DAO_EPOCH_SEED, sub_dao, hour_le]` with `bump`), creating it, paid by `payer`, if it does
/// not exist yet. Created by hand so that lamports sent to the address beforehand cannot block
/// it. Write it back with [`store`].
pub(crate) fn load_or_create_sub_dao_epoch<'info>(
    payer: &AccountInfo<'info>,
    info: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    sub_dao: Pubkey,
    hour: u64,
    bump: u8,
) -> Result<SubDaoEpoch> {
    if info.owner == &crate::ID {
        let data = info.try_borrow_data()?;
        return SubDaoEpoch::try_deserialize(&mut &data[..]);
    }
    let hour_bytes = hour.to_le_bytes();
    let seeds: [&[u8]; 4] = [
        SUB_DAO_EPOCH_SEED,
        sub_dao.as_ref(),
        &hour_bytes,
        std::slice::from_ref(&bump),
    ];
    crate::utils::create_pda_account(
        payer,
        info,
        system_program,
        8usize.saturating_add(SubDaoEpoch::INIT_SPACE),
        &crate::ID,
        &seeds,
    )?;
    Ok(SubDaoEpoch::new(sub_dao, hour, bump))
}

/// Serialize an account (discriminator and data) into `info`.
pub(crate) fn store<T: AccountSerialize>(info: &AccountInfo, value: &T) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}
