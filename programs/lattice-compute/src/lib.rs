//! Lattice compute: the GPU job market of the compute sub-DAO.
//!
//! - **Markets** per GPU class (minimum VRAM and stake, DC price floor, maximum duration,
//!   verification window, timeout slash) hold an on-chain queue of pending jobs.
//! - **Jobs** escrow `price × max_duration` DC into the compute sub-DAO's pooled escrow
//!   (`delegate_dc`, payer key = the configuration PDA). A registered, staked, active GPU node
//!   claims a job with its device key, submits a result (a hash, a URI and, for matmul jobs, a
//!   Merkle root), and after an optimistic verification window anyone finalizes it: the time
//!   used is **burned** (BME; recorded in the compute sub-DAO's hour and the node's
//!   `NodeEpoch`), the rest refunded.
//! - **Timeouts** are permissionless: a claimed job past its deadline is refunded and part of the
//!   node's stake slashed. **Faults**: `k` of the `n` oracles (never one key) attest a wrong
//!   result or capacity proof, which slashes and refunds.
//!
//! The configuration PDA is the compute sub-DAO's DC burn authority and the signer the registry
//! accepts for `hold_job`/`release_job`/`slash_stake`. The money math is `lattice_math::compute`.
//! One documented line per instruction; each lives in `instructions/<name>.rs`.

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::ComputeError;
pub use instructions::*;
pub use state::*;

declare_id!("3S7srj232gfShfzRAvE6PYwbAVYh75oRurvx4d4uVv3k");

#[program]
pub mod lattice_compute {
    use super::*;

    /// Create a DAO's compute configuration (oracle set, fault slash, slash destination). DAO
    /// authority only.
    pub fn initialize_compute(
        ctx: Context<InitializeCompute>,
        args: InitializeComputeArgs,
    ) -> Result<()> {
        instructions::initialize_compute::handler(ctx, args)
    }

    /// Change the configuration's authority, fault slash and slash destination. Authority only.
    pub fn set_compute_params(ctx: Context<SetComputeParams>, params: ComputeParams) -> Result<()> {
        instructions::set_compute_params::handler(ctx, params)
    }

    /// Replace the fault-oracle set and threshold (pending votes are void). Authority only.
    pub fn set_oracles(
        ctx: Context<SetOracles>,
        oracles: Vec<Pubkey>,
        threshold: u8,
    ) -> Result<()> {
        instructions::set_oracles::handler(ctx, oracles, threshold)
    }

    /// Create the market of a GPU class. Authority only.
    pub fn create_market(
        ctx: Context<CreateMarket>,
        class_id: u8,
        params: MarketParams,
    ) -> Result<()> {
        instructions::create_market::handler(ctx, class_id, params)
    }

    /// Replace a market's parameters. Authority only.
    pub fn set_market_params(
        ctx: Context<SetMarketParams>,
        class_id: u8,
        params: MarketParams,
    ) -> Result<()> {
        instructions::set_market_params::handler(ctx, class_id, params)
    }

    /// Post a job: escrow `price × max_duration` DC and queue it in the market.
    pub fn post_job(ctx: Context<PostJob>, args: PostJobArgs) -> Result<()> {
        instructions::post_job::handler(ctx, args)
    }

    /// The poster cancels a queued job and gets the whole escrow back.
    pub fn cancel_job(ctx: Context<CancelJob>) -> Result<()> {
        instructions::cancel_job::handler(ctx)
    }

    /// A registered, staked, active GPU node claims a queued job (signed by its device key).
    pub fn claim_job(ctx: Context<ClaimJob>) -> Result<()> {
        instructions::claim_job::handler(ctx)
    }

    /// The claiming node commits its result before the deadline.
    pub fn submit_result(
        ctx: Context<SubmitResult>,
        result_hash: [u8; 32],
        result_uri: String,
        merkle_root: [u8; 32],
    ) -> Result<()> {
        instructions::submit_result::handler(ctx, result_hash, result_uri, merkle_root)
    }

    /// Permissionless, after the verification window: burn the time used, refund the rest,
    /// record the node's work of the hour.
    pub fn finalize_job(ctx: Context<FinalizeJob>) -> Result<()> {
        instructions::finalize_job::handler(ctx)
    }

    /// Permissionless, past a claimed job's deadline: refund the poster, slash the node.
    pub fn timeout_job(ctx: Context<TimeoutJob>) -> Result<()> {
        instructions::timeout_job::handler(ctx)
    }

    /// An oracle votes that a node's result or capacity proof was wrong; `k` votes slash (and
    /// fault and refund a running job).
    pub fn attest_fault(ctx: Context<AttestFault>, subject: FaultSubject) -> Result<()> {
        instructions::attest_fault::handler(ctx, subject)
    }

    /// The poster closes a finished job, getting its rent back.
    pub fn close_job(ctx: Context<CloseJob>) -> Result<()> {
        instructions::close_job::handler(ctx)
    }

    /// Permissionless: close a node's hour record after its retention, rent to its creator.
    pub fn close_node_epoch(ctx: Context<CloseNodeEpoch>) -> Result<()> {
        instructions::close_node_epoch::handler(ctx)
    }
}
