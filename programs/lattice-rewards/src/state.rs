//! Accounts. Fields are never reordered; new fields go into `reserved`.

use crate::{constants::*, errors::RewardsError};
use anchor_lang::prelude::*;
use lattice_dao::{Breaker, BreakerParams};

/// Which registry accounts a sub-DAO pays (borsh: one byte, 0 or 1).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum DeviceKind {
    /// 0: registry `Hotspot` PDAs `[HOTSPOT_SEED, device]`.
    Hotspot,
    /// 1: registry `GpuNode` PDAs `[GPU_NODE_SEED, device]`.
    GpuNode,
}

impl DeviceKind {
    /// The byte stored and emitted.
    pub fn as_u8(self) -> u8 {
        match self {
            DeviceKind::Hotspot => 0,
            DeviceKind::GpuNode => 1,
        }
    }

    /// The registry seed of this kind's device accounts.
    pub fn seed(self) -> &'static [u8] {
        match self {
            DeviceKind::Hotspot => lattice_registry::HOTSPOT_SEED,
            DeviceKind::GpuNode => lattice_registry::GPU_NODE_SEED,
        }
    }
}

/// Whether `threshold` of `oracles` is a safe quorum: `n` in `1..=MAX_ORACLES` distinct,
/// non-default keys and `n/2 < k <= n`, so two disjoint groups of oracles can never both reach
/// the threshold (on different roots of the same epoch).
pub fn oracle_set_is_valid(oracles: &[Pubkey], threshold: u8) -> bool {
    let n = oracles.len();
    let k = usize::from(threshold);
    let distinct = oracles
        .iter()
        .enumerate()
        .all(|(i, o)| *o != Pubkey::default() && !oracles[..i].contains(o));
    (1..=MAX_ORACLES).contains(&n) && k <= n && k.saturating_mul(2) > n && distinct
}

/// Whether a claim breaker is acceptable: a positive window and threshold (`initialize_rewards`
/// and `set_claim_breaker` refuse anything else with `InvalidBreaker`).
pub fn claim_breaker_is_valid(params: &BreakerParams) -> bool {
    params.window_secs > 0 && params.threshold > 0
}

/// A sub-DAO's rewards configuration: PDA `[REWARDS_CONFIG_SEED, sub_dao]`, and the SPL Token
/// delegate of the sub-DAO's rewards escrow (approved by the DAO program).
#[account]
#[derive(InitSpace, Debug)]
pub struct RewardsConfig {
    /// Layout version (1).
    pub version: u8,
    /// The DAO; its `authority` (later: governance) manages this configuration.
    pub dao: Pubkey,
    /// The sub-DAO whose emissions are paid.
    pub sub_dao: Pubkey,
    /// The sub-DAO token mint (what rewards are paid in).
    pub rewards_mint: Pubkey,
    /// The sub-DAO's rewards escrow (paid from as delegate).
    pub rewards_escrow: Pubkey,
    /// Which registry accounts identify devices and their owners.
    pub device_kind: DeviceKind,
    /// Oracle keys allowed to post roots.
    #[max_len(MAX_ORACLES)]
    pub oracles: Vec<Pubkey>,
    /// Identical posts (root and total) needed to finalize an epoch (`n/2 < k <= n`).
    pub threshold: u8,
    /// Incremented by every `set_oracles`; posts made under an older set do not count.
    pub oracle_set_generation: u32,
    /// Latest final epoch (hour); 0 = no root is final yet (hour 0 can never be posted).
    pub final_epoch: u64,
    /// Merkle root of cumulative per-device rewards at `final_epoch`.
    pub final_root: [u8; 32],
    /// Sum of the final root's leaves, sub-DAO token base units.
    pub final_total: u64,
    /// Sub-DAO token base units paid by claims since initialization.
    pub total_claimed: u64,
    /// Circuit breaker on claim payments.
    pub claim_breaker: Breaker,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields (e.g. owner-configured destinations).
    pub reserved: [u8; 64],
}

impl RewardsConfig {
    /// Signer seeds of the configuration PDA.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            REWARDS_CONFIG_SEED,
            self.sub_dao.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }

    /// Whether `key` is in the oracle set.
    pub fn is_oracle(&self, key: &Pubkey) -> bool {
        self.oracles.contains(key)
    }

    /// Holds after every mutating handler.
    pub fn invariant(&self) -> Result<()> {
        require!(
            oracle_set_is_valid(&self.oracles, self.threshold),
            RewardsError::InvariantViolated
        );
        require!(
            self.total_claimed <= self.final_total,
            RewardsError::InvariantViolated
        );
        Ok(())
    }
}

/// One oracle's post of an epoch.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct RootPost {
    /// The oracle.
    pub oracle: Pubkey,
    /// Its Merkle root of cumulative rewards.
    pub root: [u8; 32],
    /// Its sum of leaves, sub-DAO token base units.
    pub total: u64,
}

/// The oracles' posts of one epoch: PDA `[EPOCH_ROOT_SEED, config, epoch_le]`, created by the
/// first post and closable once the epoch is at or before the final epoch.
#[account]
#[derive(InitSpace, Debug)]
pub struct EpochRoot {
    /// The rewards configuration.
    pub config: Pubkey,
    /// The epoch (hour).
    pub epoch: u64,
    /// Oracle-set generation the posts were made under.
    pub oracle_set_generation: u32,
    /// The oracle that paid the rent; receives it back on close.
    pub rent_payer: Pubkey,
    /// Posts so far, one per oracle.
    #[max_len(MAX_ORACLES)]
    pub posts: Vec<RootPost>,
    /// True once `threshold` identical posts made this epoch final.
    pub finalized: bool,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 16],
}

impl EpochRoot {
    /// Posts agreeing exactly with `root` and `total`.
    pub fn votes_for(&self, root: &[u8; 32], total: u64) -> usize {
        self.posts
            .iter()
            .filter(|p| p.root == *root && p.total == total)
            .count()
    }
}

/// What one device has been paid: PDA `[CLAIMED_SEED, config, device]`, created by its first
/// claim (rent paid by whoever sends it).
#[account]
#[derive(InitSpace, Debug)]
pub struct ClaimRecord {
    /// The device key.
    pub device: Pubkey,
    /// Sub-DAO token base units paid so far (the cumulative amount of the last claim).
    pub claimed: u64,
    /// Final epoch whose root the last claim verified against.
    pub last_epoch: u64,
    /// Bump of this PDA.
    pub bump: u8,
}
