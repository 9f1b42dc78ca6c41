//! Typed events for every state transition. Amounts are in sub-DAO token base units; epochs are
//! hours (`floor(unix_timestamp / 3600)`).

use anchor_lang::prelude::*;

/// A sub-DAO's rewards configuration was created.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardsInitialized {
    /// The configuration.
    pub config: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// 0 = hotspots, 1 = GPU nodes.
    pub device_kind: u8,
    /// The oracle set.
    pub oracles: Vec<Pubkey>,
    /// Identical posts needed to finalize a root.
    pub threshold: u8,
    /// The DAO authority that signed.
    pub authority: Pubkey,
}

/// The oracle set or threshold changed; posts not yet final are discarded.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraclesSet {
    /// The configuration.
    pub config: Pubkey,
    /// The new oracle set.
    pub oracles: Vec<Pubkey>,
    /// The new threshold.
    pub threshold: u8,
    /// The new oracle-set generation.
    pub generation: u32,
    /// The DAO authority that signed.
    pub authority: Pubkey,
}

/// An oracle posted its root of an epoch.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootPosted {
    /// The configuration.
    pub config: Pubkey,
    /// The epoch (hour) the root covers, cumulatively.
    pub epoch: u64,
    /// The oracle.
    pub oracle: Pubkey,
    /// The Merkle root.
    pub root: [u8; 32],
    /// Sum of all leaves' cumulative amounts.
    pub total: u64,
    /// Posts of this epoch with the same root and total, this one included.
    pub votes: u8,
}

/// A root reached the threshold and is now the one claims verify against.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootFinalized {
    /// The configuration.
    pub config: Pubkey,
    /// The epoch.
    pub epoch: u64,
    /// The Merkle root.
    pub root: [u8; 32],
    /// Sum of all leaves' cumulative amounts.
    pub total: u64,
    /// The previous final epoch (0 = none).
    pub previous_epoch: u64,
}

/// A device's rewards were paid.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardsClaimed {
    /// The configuration.
    pub config: Pubkey,
    /// The device key.
    pub device: Pubkey,
    /// The device's owner at claim time.
    pub owner: Pubkey,
    /// The token account paid.
    pub destination: Pubkey,
    /// Cumulative amount proven (the leaf).
    pub cumulative: u64,
    /// Amount paid now (`cumulative − previously claimed`).
    pub amount: u64,
    /// The final epoch whose root the proof verified against.
    pub epoch: u64,
    /// Who sent the claim.
    pub payer: Pubkey,
}

/// A settled epoch record was closed and its rent returned.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochRootClosed {
    /// The configuration.
    pub config: Pubkey,
    /// The epoch.
    pub epoch: u64,
    /// Who received the rent (the oracle that created the record).
    pub rent_payer: Pubkey,
}

/// The claim breaker's limits changed (its running state is kept).
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimBreakerSet {
    /// The configuration.
    pub config: Pubkey,
    /// Decay window, seconds.
    pub window_secs: u64,
    /// Most sub-DAO token base units claimable within a window (decayed).
    pub threshold: u64,
    /// The DAO authority that signed.
    pub authority: Pubkey,
}
