//! Instruction handlers, one file each.

pub mod add_sub_dao_dc;
pub mod burn_dc_fee;
pub mod burn_delegated_dc;
pub mod delegate_dc;
pub mod initialize_data_credits;
pub mod mint_dc;

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

use crate::{constants::*, state::SubDaoUsage};
use anchor_lang::prelude::*;

/// One burn to record.
pub(crate) struct UsageBurn {
    /// The sub-DAO credited.
    pub sub_dao: Pubkey,
    /// The hour it falls in.
    pub hour: u64,
    /// Bump of the usage record PDA.
    pub bump: u8,
    /// DC burned.
    pub amount: u64,
    /// A fee rather than usage.
    pub fee: bool,
}

/// Add a burn to the usage record of its sub-DAO and hour, creating the record on first use
/// (by hand, so a pre-funded address cannot block burns).
pub(crate) fn record_usage<'info>(
    usage: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    burn: UsageBurn,
) -> Result<()> {
    let UsageBurn {
        sub_dao,
        hour,
        bump,
        amount,
        fee,
    } = burn;
    let hour_bytes = hour.to_le_bytes();
    if usage.owner != &crate::ID {
        let seeds: [&[u8]; 4] = [
            USAGE_SEED,
            sub_dao.as_ref(),
            &hour_bytes,
            std::slice::from_ref(&bump),
        ];
        lattice_dao::utils::create_pda_account(
            payer,
            usage,
            system,
            8usize.saturating_add(SubDaoUsage::INIT_SPACE),
            &crate::ID,
            &seeds,
        )?;
        let fresh = SubDaoUsage {
            sub_dao,
            hour,
            dc_burned: 0,
            fees_burned: 0,
            bump,
        };
        let mut data = usage.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        fresh.try_serialize(&mut writer)?;
    }
    let mut record = {
        let data = usage.try_borrow_data()?;
        SubDaoUsage::try_deserialize(&mut &data[..])?
    };
    let slot = if fee {
        &mut record.fees_burned
    } else {
        &mut record.dc_burned
    };
    *slot = slot
        .checked_add(amount)
        .ok_or(crate::errors::DcError::MathOverflow)?;
    let mut data = usage.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    record.try_serialize(&mut writer)
}
