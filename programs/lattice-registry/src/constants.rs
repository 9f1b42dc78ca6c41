//! PDA seeds. The SDK and workers import these.

use anchor_lang::prelude::*;

/// `[REGISTRY_SEED, dao]`: the registry; signs the DAO program's `update_active_devices`.
/// Defined by the DAO program, which accepts this PDA's signature.
pub use lattice_dao::constants::REGISTRY_SEED;
/// `[HOTSPOT_SEED, device_key]`: a hotspot.
pub const HOTSPOT_SEED: &[u8] = b"hotspot";
/// `[GPU_NODE_SEED, device_key]`: a GPU node.
pub const GPU_NODE_SEED: &[u8] = b"gpu_node";
/// `[STAKE_VAULT_SEED, registry]`: main tokens staked by GPU nodes.
pub const STAKE_VAULT_SEED: &[u8] = b"stake_vault";
/// Bytes of a GPU model name (UTF-8, zero-padded).
pub const GPU_MODEL_LEN: usize = 12;

/// `[COMPUTE_CONFIG_SEED, dao]` under [`COMPUTE_PROGRAM_ID`]: the compute program's
/// configuration, the only signer `hold_job`, `release_job` and `slash_stake` accept. Defined
/// here because the registry checks it; the compute program re-exports it.
pub const COMPUTE_CONFIG_SEED: &[u8] = b"compute_config";
/// The compute program (its `declare_id!` is tested to match).
pub const COMPUTE_PROGRAM_ID: Pubkey = pubkey!("3S7srj232gfShfzRAvE6PYwbAVYh75oRurvx4d4uVv3k");
