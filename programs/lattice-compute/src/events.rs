//! Typed events for every state transition. DC amounts are whole DC; stakes are main-token base
//! units; times are unix seconds; hours are `floor(unix_timestamp / 3600)`.

use crate::state::MarketParams;
use anchor_lang::prelude::*;

/// The compute configuration was created.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeInitialized {
    /// The configuration.
    pub config: Pubkey,
    /// The DAO.
    pub dao: Pubkey,
    /// The compute sub-DAO.
    pub compute_sub_dao: Pubkey,
    /// The fault-oracle set (empty = attestations off).
    pub oracles: Vec<Pubkey>,
    /// Votes that execute a fault.
    pub threshold: u8,
    /// Share of a node's stake slashed by an executed fault, basis points.
    pub fault_slash_bps: u16,
    /// Main-token account slashed stake goes to.
    pub slash_destination: Pubkey,
    /// The DAO authority that signed.
    pub authority: Pubkey,
}

/// The configuration's authority, fault slash or slash destination changed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeParamsSet {
    /// The configuration.
    pub config: Pubkey,
    /// The new authority.
    pub authority: Pubkey,
    /// The new fault slash, basis points.
    pub fault_slash_bps: u16,
    /// The new slash destination.
    pub slash_destination: Pubkey,
    /// The previous authority, which signed.
    pub signer: Pubkey,
}

/// The fault-oracle set changed; votes of the old set are void.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraclesSet {
    /// The configuration.
    pub config: Pubkey,
    /// The new set.
    pub oracles: Vec<Pubkey>,
    /// The new threshold.
    pub threshold: u8,
    /// The new oracle-set generation.
    pub generation: u32,
    /// The authority that signed.
    pub authority: Pubkey,
}

/// A market was created (`created`) or its parameters changed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketParamsSet {
    /// The configuration.
    pub config: Pubkey,
    /// The market.
    pub market: Pubkey,
    /// Its GPU class.
    pub class_id: u8,
    /// Its parameters now.
    pub params: MarketParams,
    /// True when the market was created by this instruction.
    pub created: bool,
    /// The authority that signed.
    pub authority: Pubkey,
}

/// A job was posted and its DC escrowed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPosted {
    /// The market.
    pub market: Pubkey,
    /// The job's id in the market.
    pub job_id: u64,
    /// The poster.
    pub poster: Pubkey,
    /// 0 = matmul, 1 = container.
    pub kind: u8,
    /// Content hash of the spec.
    pub spec_hash: [u8; 32],
    /// DC per second of GPU time.
    pub price_dc_per_sec: u64,
    /// Longest run, seconds.
    pub max_duration_secs: u64,
    /// DC escrowed (`price × max_duration`).
    pub escrow_dc: u64,
    /// Jobs in the market's queue now.
    pub queue_len: u8,
    /// Unix time.
    pub posted_at: i64,
}

/// A queued job was cancelled by its poster and fully refunded.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCancelled {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The poster.
    pub poster: Pubkey,
    /// DC refunded.
    pub dc_refunded: u64,
}

/// A GPU node claimed a job.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobClaimed {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// Its device key, which signed.
    pub device: Pubkey,
    /// Unix time of the claim.
    pub claimed_at: i64,
    /// Unix time after which the job can be timed out.
    pub deadline: i64,
}

/// The claiming node committed its result.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultSubmitted {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// Hash of the result.
    pub result_hash: [u8; 32],
    /// Merkle root over the result rows (matmul), zero for containers.
    pub merkle_root: [u8; 32],
    /// Seconds billed.
    pub used_secs: u64,
    /// Unix time of the submission (the verification window starts here).
    pub submitted_at: i64,
}

/// A job settled: DC burned for the time used, the rest refunded, work recorded.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFinalized {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The registry `GpuNode` account credited with the work.
    pub gpu_node: Pubkey,
    /// The poster.
    pub poster: Pubkey,
    /// Seconds billed.
    pub used_secs: u64,
    /// DC burned (recorded in the compute sub-DAO's hour and the node's hour).
    pub dc_burned: u64,
    /// DC refunded to the poster.
    pub dc_refunded: u64,
    /// The hour the work is recorded in.
    pub hour: u64,
    /// Who sent the finalize.
    pub caller: Pubkey,
}

/// A claimed job passed its deadline: refunded in full, the node slashed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobTimedOut {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// DC refunded to the poster.
    pub dc_refunded: u64,
    /// Stake slashed to the slash destination.
    pub stake_slashed: u64,
    /// Who sent the timeout.
    pub caller: Pubkey,
}

/// An oracle voted that a node's result or capacity proof was wrong.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultVoted {
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// The subject's hash (`lattice_math::compute`).
    pub subject_hash: [u8; 32],
    /// The oracle.
    pub oracle: Pubkey,
    /// Votes of the current oracle set so far, this one included.
    pub votes: u8,
    /// Votes that execute the fault.
    pub threshold: u8,
}

/// A fault reached the threshold and was executed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultExecuted {
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// The subject's hash.
    pub subject_hash: [u8; 32],
    /// Stake slashed to the slash destination.
    pub stake_slashed: u64,
    /// Whether a claimed or submitted job was marked faulted (and refunded).
    pub job_faulted: bool,
}

/// A claimed or submitted job was marked faulted by an executed fault and refunded in full.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFaulted {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// DC refunded to the poster.
    pub dc_refunded: u64,
}

/// A finished job's record was closed, its rent returned to the poster.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobClosed {
    /// The market.
    pub market: Pubkey,
    /// The job id.
    pub job_id: u64,
    /// The poster.
    pub poster: Pubkey,
}

/// A node's hour record was closed after its retention, its rent returned to its creator.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeEpochClosed {
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// The hour.
    pub hour: u64,
    /// Who received the rent.
    pub creator: Pubkey,
}
