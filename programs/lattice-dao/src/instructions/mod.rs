//! Instruction handlers, one file each.

pub mod add_sub_dao;
pub mod approve_rewards_delegate;
pub mod convert;
pub mod init_conversion;
pub mod initialize_dao;
pub mod issue_hour;
pub mod set_conversion_params;
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
pub use init_conversion::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize_dao::*;
#[allow(ambiguous_glob_reexports)]
pub use issue_hour::*;
#[allow(ambiguous_glob_reexports)]
pub use set_conversion_params::*;
#[allow(ambiguous_glob_reexports)]
pub use track_dc_burn::*;
#[allow(ambiguous_glob_reexports)]
pub use update_active_devices::*;

use crate::{errors::DaoError, state::*};
use anchor_lang::prelude::*;
use lattice_math::emission::{peak_hourly_emission, EmissionSchedule};

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
