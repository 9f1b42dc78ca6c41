//! PDA seeds and limits. The SDK and the workers import these; nothing retypes them.

/// `[GOVERNANCE_SEED, dao]`: the DAO's governance, and the authority every program is handed to.
/// Defined by the DAO program, which checks it when governance records the V input.
pub use lattice_dao::constants::GOVERNANCE_SEED;
/// `[POSITION_SEED, governance, owner, id as u64 little-endian]`: one vote-escrowed position.
pub const POSITION_SEED: &[u8] = b"position";
/// `[POSITION_VAULT_SEED, position]`: the main tokens of one position (owned by the governance
/// PDA).
pub const POSITION_VAULT_SEED: &[u8] = b"position_vault";
/// `[SUB_DAO_VE_SEED, sub_dao]`: a sub-DAO's delegated power aggregate and reward cursor.
pub const SUB_DAO_VE_SEED: &[u8] = b"sub_dao_ve";
/// `[VE_HOUR_SEED, sub_dao, hour as u64 little-endian]`: the aggregate changes scheduled for an
/// hour and, once checkpointed, the reward cursor at that hour.
pub const VE_HOUR_SEED: &[u8] = b"ve_hour";
/// `[PROPOSAL_SEED, governance, id as u64 little-endian]`: one proposal.
pub const PROPOSAL_SEED: &[u8] = b"proposal";
/// `[VOTE_SEED, proposal, position]`: one position's vote on one proposal.
pub const VOTE_SEED: &[u8] = b"vote";

/// Most parameter changes in one proposal.
pub const MAX_CHANGES: usize = 8;
/// Longest description URI, bytes.
pub const MAX_URI_LEN: usize = 200;
/// Closed delegation ranges a position may hold before they are claimed.
pub const MAX_UNSETTLED: usize = 6;
/// Longest voting period and timelock, seconds (30 days).
pub const MAX_PERIOD_SECS: i64 = 30 * 86_400;
/// Relocks a position remembers (the lock each replaced), so a vote counts the lock in force at
/// its proposal's snapshot hour; at most this many relocks per voting period (30 days).
pub const MAX_RELOCKS: usize = 4;
