//! PDA seeds and limits. The SDK and the workers import these; nothing retypes them.

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

/// Most sub-DAOs a DAO can hold (bounds `issue_hour`'s account list: 5 accounts each).
pub const MAX_SUB_DAOS: usize = 4;
/// Longest sub-DAO name, in bytes.
pub const MAX_NAME_LEN: usize = 16;
/// Accounts passed per sub-DAO to `issue_hour`, in this order: sub_dao, sub_dao mint, treasury,
/// delegator pool, rewards escrow.
pub const ISSUE_ACCOUNTS_PER_SUB_DAO: usize = 5;
