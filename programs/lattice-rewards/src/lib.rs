//! Lattice rewards: each sub-DAO's oracles post one Merkle root of **cumulative** per-device
//! rewards per hour; a root is final once `k` of the `n` oracles posted it identically; anyone
//! holding a proof can then claim a device's rewards, always paid to the device's current owner
//! from the sub-DAO's rewards escrow.
//!
//! The leaf and hashing are `lattice_math::merkle`, the same functions the oracles build trees
//! with. One documented line per instruction; each lives in `instructions/<name>.rs`.

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
use lattice_dao::BreakerParams;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::RewardsError;
pub use instructions::*;
pub use state::*;

declare_id!("EVLamaZSYgJL3ryTZEGgy5gUmqsV2aPD9zZzqzvNhnr9");

#[program]
pub mod lattice_rewards {
    use super::*;

    /// Create a sub-DAO's rewards configuration: device kind, oracle set and threshold, claim
    /// breaker. DAO authority only.
    pub fn initialize_rewards(
        ctx: Context<InitializeRewards>,
        args: InitializeRewardsArgs,
    ) -> Result<()> {
        instructions::initialize_rewards::handler(ctx, args)
    }

    /// Replace the oracle set and threshold (pending posts are discarded). DAO authority only.
    pub fn set_oracles(
        ctx: Context<SetOracles>,
        oracles: Vec<Pubkey>,
        threshold: u8,
    ) -> Result<()> {
        instructions::set_oracles::handler(ctx, oracles, threshold)
    }

    /// An oracle posts its root of cumulative rewards up to the end of `epoch`; `threshold`
    /// identical posts make it final.
    pub fn post_root(ctx: Context<PostRoot>, epoch: u64, root: [u8; 32], total: u64) -> Result<()> {
        instructions::post_root::handler(ctx, epoch, root, total)
    }

    /// Permissionless: pay `device` its `cumulative_amount` minus what it was paid, proven
    /// against the latest final root, to its current owner.
    pub fn claim(
        ctx: Context<Claim>,
        device: Pubkey,
        cumulative_amount: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        instructions::claim::handler(ctx, device, cumulative_amount, proof)
    }

    /// Permissionless: close a settled epoch's record, returning its rent to the oracle that
    /// created it.
    pub fn close_epoch_root(ctx: Context<CloseEpochRoot>) -> Result<()> {
        instructions::close_epoch_root::handler(ctx)
    }
    /// Change the claim breaker's limits (its running state is kept). DAO authority only.
    pub fn set_claim_breaker(ctx: Context<SetClaimBreaker>, params: BreakerParams) -> Result<()> {
        instructions::set_claim_breaker::handler(ctx, params)
    }
}
