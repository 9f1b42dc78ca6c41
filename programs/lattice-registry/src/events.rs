//! Typed events.

use anchor_lang::prelude::*;

/// A device joined.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRegistered {
    /// Device key.
    pub device: Pubkey,
    /// Owner.
    pub owner: Pubkey,
    /// True for a GPU node, false for a hotspot.
    pub gpu: bool,
    /// DC burned as the onboarding fee.
    pub fee_dc: u64,
    /// Main-token base units staked (GPU nodes).
    pub stake: u64,
}

/// A hotspot asserted a location.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationAsserted {
    /// Device key.
    pub device: Pubkey,
    /// H3 cell.
    pub location: u64,
    /// DC burned (0 when the location did not change).
    pub fee_dc: u64,
}

/// A device left (closed) or changed hands.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceChanged {
    /// Device key.
    pub device: Pubkey,
    /// New owner (unchanged when closed).
    pub owner: Pubkey,
    /// True when the device was closed.
    pub closed: bool,
}

/// The compute program changed how many jobs a GPU node holds.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobsHeldChanged {
    /// The `GpuNode` account.
    pub gpu_node: Pubkey,
    /// Jobs held now.
    pub jobs_held: u8,
}

/// Part of a GPU node's stake was slashed (a timed-out job or a quorum-attested fault).
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StakeSlashed {
    /// The `GpuNode` account.
    pub gpu_node: Pubkey,
    /// Its owner.
    pub owner: Pubkey,
    /// Main-token base units asked for.
    pub requested: u64,
    /// Main-token base units moved (`min(requested, stake)`).
    pub slashed: u64,
    /// Stake left, main-token base units.
    pub remaining: u64,
    /// The main-token account credited.
    pub destination: Pubkey,
}

/// The registry's authority changed (e.g. handed to the governance PDA).
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryAuthoritySet {
    /// The registry.
    pub registry: Pubkey,
    /// The authority that signed (the previous one).
    pub previous: Pubkey,
    /// The new authority.
    pub new_authority: Pubkey,
}

/// The registry's parameters were replaced.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryParamsSet {
    /// The registry.
    pub registry: Pubkey,
    /// The authority that signed.
    pub authority: Pubkey,
    /// The parameters in force (fees in DC, stake in main-token base units, cooldown in seconds).
    pub params: crate::state::RegistryParams,
}
