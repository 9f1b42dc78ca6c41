//! PDA seeds and limits. The SDK and the workers import these; nothing retypes them.

/// `[REWARDS_CONFIG_SEED, sub_dao]`: a sub-DAO's rewards configuration, also the SPL Token
/// delegate of its rewards escrow. Defined by the DAO program, which approves that delegate.
pub use lattice_dao::constants::REWARDS_CONFIG_SEED;
/// `[EPOCH_ROOT_SEED, rewards_config, epoch as u64 little-endian]`: the oracles' posts of one hour.
pub const EPOCH_ROOT_SEED: &[u8] = b"epoch_root";
/// `[CLAIMED_SEED, rewards_config, device_key]`: what one device has been paid so far.
pub const CLAIMED_SEED: &[u8] = b"claimed";

/// Largest oracle set. Bounds the epoch record (one post per oracle).
pub const MAX_ORACLES: usize = 7;
/// Longest Merkle proof accepted (2³² devices).
pub const MAX_PROOF_LEN: usize = lattice_math::merkle::MAX_DEPTH;
