//! PDA seeds and limits. The SDK and the workers import these; nothing retypes them.

use anchor_lang::prelude::*;

/// `[DAO_SEED, main_mint]`: the DAO account, which is also the main mint's authority.
pub const DAO_SEED: &[u8] = b"dao";
/// `[SUB_DAO_SEED, dao, name]`: a sub-DAO, also its token mint's and token accounts' authority.
pub const SUB_DAO_SEED: &[u8] = b"sub_dao";
/// `[TREASURY_SEED, sub_dao]`: the sub-DAO's main-token treasury (backs conversion).
pub const TREASURY_SEED: &[u8] = b"treasury";
/// `[DELEGATOR_POOL_SEED, sub_dao]`: main tokens owed to the sub-DAO's delegated stakers.
pub const DELEGATOR_POOL_SEED: &[u8] = b"delegator_pool";
/// `[REWARDS_ESCROW_SEED, sub_dao]`: sub-DAO tokens owed to the sub-DAO's operators.
pub const REWARDS_ESCROW_SEED: &[u8] = b"rewards_escrow";
/// `[DAO_EPOCH_SEED, dao, hour as u64 little-endian]`: the record of one issued hour.
pub const DAO_EPOCH_SEED: &[u8] = b"dao_epoch";

/// `[SUB_DAO_EPOCH_SEED, sub_dao, hour as u64 little-endian]`: a sub-DAO's utility inputs of one
/// hour (DC burned), written by the data-credits program through `track_dc_burn`.
pub const SUB_DAO_EPOCH_SEED: &[u8] = b"sub_dao_epoch";
/// `[DATA_CREDITS_SEED, dao]` under [`DATA_CREDITS_PROGRAM_ID`]: the data-credits configuration,
/// the only signer `track_dc_burn` accepts.
pub const DATA_CREDITS_SEED: &[u8] = b"data_credits";
/// `[REGISTRY_SEED, dao]` under [`REGISTRY_PROGRAM_ID`]: the device registry configuration, the
/// only signer `update_active_devices` accepts.
pub const REGISTRY_SEED: &[u8] = b"registry";

/// `[REWARDS_CONFIG_SEED, sub_dao]` under [`REWARDS_PROGRAM_ID`]: a sub-DAO's rewards
/// configuration, the delegate `approve_rewards_delegate` lets pay claims from the rewards escrow.
pub const REWARDS_CONFIG_SEED: &[u8] = b"rewards_config";
/// `[CONVERSION_SEED, sub_dao]`: a sub-DAO's conversion parameters and volumes.
pub const CONVERSION_SEED: &[u8] = b"conversion";
/// `[CONVERSION_POOL_SEED, sub_dao]`: the sub-DAO token side of the conversion curve (a token
/// account owned by the sub-DAO PDA); the main side is the treasury.
pub const CONVERSION_POOL_SEED: &[u8] = b"conversion_pool";

/// The data-credits program (its `declare_id!` is tested to match).
pub const DATA_CREDITS_PROGRAM_ID: Pubkey = pubkey!("CghH3KroyphcamqxpP9vijFjXEtRNZqAjVEw1HiRezAV");
/// The device registry program (its `declare_id!` is tested to match).
pub const REGISTRY_PROGRAM_ID: Pubkey = pubkey!("9wFCEnzHL1bQ1ztNrttTdNRirs85sb7JhbdbgepXTT7N");
/// The rewards program (its `declare_id!` is tested to match).
pub const REWARDS_PROGRAM_ID: Pubkey = pubkey!("EVLamaZSYgJL3ryTZEGgy5gUmqsV2aPD9zZzqzvNhnr9");
/// The governance program: its PDA `[GOVERNANCE_SEED, dao]` is the only signer `enable_ve` and
/// `record_ve` accept, and the authority every program is handed to.
pub const GOVERNANCE_PROGRAM_ID: Pubkey = pubkey!("8gsREG8f7ceK5r2NZcnsqpbShDJHcpHgy84zk6RhtZDw");
/// `[GOVERNANCE_SEED, dao]` under [`GOVERNANCE_PROGRAM_ID`]: the governance of a DAO (see
/// [`governance_pda`]).
pub const GOVERNANCE_SEED: &[u8] = b"governance";

/// The governance PDA of `dao`: `[GOVERNANCE_SEED, dao]` under [`GOVERNANCE_PROGRAM_ID`].
pub fn governance_pda(dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[GOVERNANCE_SEED, dao.as_ref()], &GOVERNANCE_PROGRAM_ID).0
}

/// Most sub-DAOs a DAO can hold. Bounds `issue_hour`'s account list (6 accounts each) so that
/// it fits a legacy transaction's 1232 bytes.
pub const MAX_SUB_DAOS: usize = 3;
/// Longest sub-DAO name, in bytes.
pub const MAX_NAME_LEN: usize = 16;
/// Accounts passed per sub-DAO to `issue_hour`, in this order: sub_dao, sub_dao mint, treasury,
/// delegator pool, rewards escrow, the hour's sub-DAO epoch record (which may not exist).
pub const ISSUE_ACCOUNTS_PER_SUB_DAO: usize = 6;
