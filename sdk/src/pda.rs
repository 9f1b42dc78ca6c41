//! Program-derived addresses. Seeds come from `lattice_dao::constants`; none is retyped here.

use lattice_dao::constants::*;
use solana_sdk::pubkey::Pubkey;

/// The DAO of a main mint (also the main mint's authority).
pub fn dao(main_mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DAO_SEED, main_mint.as_ref()], &lattice_dao::ID).0
}

/// A sub-DAO by name.
pub fn sub_dao(dao: &Pubkey, name: &str) -> Pubkey {
    Pubkey::find_program_address(
        &[SUB_DAO_SEED, dao.as_ref(), name.as_bytes()],
        &lattice_dao::ID,
    )
    .0
}

/// A sub-DAO's main-token treasury.
pub fn treasury(sub_dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[TREASURY_SEED, sub_dao.as_ref()], &lattice_dao::ID).0
}

/// A sub-DAO's main-token delegator pool.
pub fn delegator_pool(sub_dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DELEGATOR_POOL_SEED, sub_dao.as_ref()], &lattice_dao::ID).0
}

/// A sub-DAO's token rewards escrow.
pub fn rewards_escrow(sub_dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[REWARDS_ESCROW_SEED, sub_dao.as_ref()], &lattice_dao::ID).0
}

/// The record of one hour.
pub fn dao_epoch(dao: &Pubkey, hour: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[DAO_EPOCH_SEED, dao.as_ref(), &hour.to_le_bytes()],
        &lattice_dao::ID,
    )
    .0
}

/// A sub-DAO's utility-input record of one hour.
pub fn sub_dao_epoch(sub_dao: &Pubkey, hour: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[SUB_DAO_EPOCH_SEED, sub_dao.as_ref(), &hour.to_le_bytes()],
        &lattice_dao::ID,
    )
    .0
}

/// The governance PDA of a DAO (under the governance program): the signer `enable_ve` and
/// `record_ve` accept, and the authority every program is handed to.
pub fn governance(dao: &Pubkey) -> Pubkey {
    lattice_dao::governance_pda(dao)
}

/// The associated token account of `owner` for `mint` (classic SPL Token).
pub fn associated_token(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address(owner, mint)
}
