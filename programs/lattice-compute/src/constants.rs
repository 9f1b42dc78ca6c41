//! PDA seeds and limits. The SDK and the workers import these; nothing retypes them.

/// `[ESCROW_SEED, compute_sub_dao, compute_config]` under the data-credits program: the pooled
/// DC escrow of every open job (a Token-2022 DC account owned by the DC configuration).
pub use lattice_data_credits::constants::ESCROW_SEED as DC_ESCROW_SEED;
/// `[COMPUTE_CONFIG_SEED, dao]`: the compute configuration; the compute sub-DAO's DC burn
/// authority, the DC escrow's payer key, and the only signer the registry's `hold_job`,
/// `release_job` and `slash_stake` accept. Defined by the registry, which checks it.
pub use lattice_registry::constants::COMPUTE_CONFIG_SEED;
/// `[MARKET_SEED, compute_config, class_id]`: the market of one GPU class.
pub const MARKET_SEED: &[u8] = b"market";
/// `[JOB_SEED, market, job_id as u64 little-endian]`: one job.
pub const JOB_SEED: &[u8] = b"job";
/// `[NODE_EPOCH_SEED, gpu_node, hour as u64 little-endian]`: a GPU node's finished work in one
/// hour (the input to work rewards).
pub const NODE_EPOCH_SEED: &[u8] = b"node_epoch";
/// `[COMPUTE_HOUR_SEED, config, hour as u64 little-endian]`: the whole network's finished work in
/// one hour (the GPU utilization the economics dashboard reports).
pub const COMPUTE_HOUR_SEED: &[u8] = b"compute_hour";
/// `[FAULT_SEED, gpu_node, subject_hash]`: the oracles' votes that a result or capacity proof of
/// a node was wrong.
pub const FAULT_SEED: &[u8] = b"fault";

/// Largest fault-oracle set (the vote bitmap is one byte).
pub const MAX_ORACLES: usize = 7;
/// Pending jobs a market's on-chain queue holds.
pub const QUEUE_CAPACITY: usize = 32;
/// Longest spec or result URI, in bytes.
pub const MAX_URI_LEN: usize = 128;
/// Bytes of a market name (UTF-8, zero-padded).
pub const MARKET_NAME_LEN: usize = 16;
/// Longest job duration a market may allow, seconds (30 days).
pub const MAX_JOB_DURATION_SECS: u64 = 30 * 86_400;
/// Longest verification window a market may set, seconds (30 days).
pub const MAX_VERIFICATION_WINDOW_SECS: u64 = 30 * 86_400;
/// How long after its hour ends a `NodeEpoch` record must be kept before anyone may close it,
/// seconds (30 days: the oracles have long since read it).
pub const NODE_EPOCH_RETENTION_SECS: i64 = 30 * 86_400;
