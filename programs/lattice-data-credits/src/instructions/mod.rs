//! Instruction handlers, one file each.

pub mod add_sub_dao_dc;
pub mod burn_dc_fee;
pub mod burn_delegated_dc;
pub mod delegate_dc;
pub mod initialize_data_credits;
pub mod mint_dc;
pub mod refund_delegated_dc;
pub mod set_authority;
pub mod set_burn_authority;
pub mod set_dc_params;

// Each module has a `handler`; the globs exist for Anchor's generated client modules.
#[allow(ambiguous_glob_reexports)]
pub use add_sub_dao_dc::*;
#[allow(ambiguous_glob_reexports)]
pub use burn_dc_fee::*;
#[allow(ambiguous_glob_reexports)]
pub use burn_delegated_dc::*;
#[allow(ambiguous_glob_reexports)]
pub use delegate_dc::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize_data_credits::*;
#[allow(ambiguous_glob_reexports)]
pub use mint_dc::*;
#[allow(ambiguous_glob_reexports)]
pub use refund_delegated_dc::*;
#[allow(ambiguous_glob_reexports)]
pub use set_authority::*;
#[allow(ambiguous_glob_reexports)]
pub use set_burn_authority::*;
#[allow(ambiguous_glob_reexports)]
pub use set_dc_params::*;

use crate::{
    constants::*,
    errors::DcError,
    events::DcBurned,
    state::{DataCredits, SubDaoDc},
};
use anchor_lang::prelude::*;

/// The accounts `track_dc_burn` needs, shared by the two burn instructions.
pub(crate) struct TrackAccounts<'a, 'info> {
    pub payer: &'a AccountInfo<'info>,
    pub data_credits: &'a Account<'info, DataCredits>,
    pub dao: &'a AccountInfo<'info>,
    pub sub_dao: &'a AccountInfo<'info>,
    pub sub_dao_epoch: &'a AccountInfo<'info>,
    pub system_program: &'a AccountInfo<'info>,
    pub dao_program: &'a AccountInfo<'info>,
}

/// Record a burn of `amount` DC made in `hour`: into the sub-DAO's current hour through the DAO
/// program (`track_dc_burn`, signing as the data-credits PDA), into the sub-DAO's totals, and as
/// a `DcBurned` event.
pub(crate) fn track_burn(
    a: TrackAccounts,
    sub_dao_dc: &mut SubDaoDc,
    hour: u64,
    amount: u64,
    fee: bool,
) -> Result<()> {
    let dao = a.data_credits.dao;
    let seeds: [&[u8]; 3] = [
        DATA_CREDITS_SEED,
        dao.as_ref(),
        std::slice::from_ref(&a.data_credits.bump),
    ];
    lattice_dao::cpi::track_dc_burn(
        CpiContext::new_with_signer(
            a.dao_program.key(),
            lattice_dao::cpi::accounts::TrackDcBurn {
                payer: a.payer.clone(),
                data_credits: a.data_credits.to_account_info(),
                dao: a.dao.clone(),
                sub_dao: a.sub_dao.clone(),
                sub_dao_epoch: a.sub_dao_epoch.clone(),
                system_program: a.system_program.clone(),
            },
            &[&seeds],
        ),
        amount,
        fee,
    )?;
    let total = if fee {
        &mut sub_dao_dc.fees_burned
    } else {
        &mut sub_dao_dc.dc_burned
    };
    *total = total.checked_add(amount).ok_or(DcError::MathOverflow)?;
    emit!(DcBurned {
        sub_dao: sub_dao_dc.sub_dao,
        hour,
        amount,
        fee,
    });
    Ok(())
}

/// The DC parameters `initialize_data_credits` and `set_dc_params` accept: a positive DC price,
/// max price age and breaker window, and a confidence of at most 10_000 bps
/// (`InvalidParameter`).
pub(crate) fn validate_dc_params(
    dc_price_nano_usd: u64,
    max_age_secs: u64,
    max_conf_bps: u16,
    breaker: &lattice_dao::BreakerParams,
) -> Result<()> {
    require!(
        dc_price_nano_usd > 0
            && max_age_secs > 0
            && breaker.window_secs > 0
            && u64::from(max_conf_bps) <= lattice_math::BPS,
        DcError::InvalidParameter
    );
    Ok(())
}
