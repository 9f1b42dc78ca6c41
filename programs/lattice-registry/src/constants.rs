//! PDA seeds. The SDK and workers import these.

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
