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
