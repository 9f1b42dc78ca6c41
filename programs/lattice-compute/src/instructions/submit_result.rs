use crate::{constants::*, errors::ComputeError, events::ResultSubmitted, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SubmitResult<'info> {
    /// The device key of the node that claimed the job.
    pub device: Signer<'info>,
    #[account(
        mut,
        seeds = [JOB_SEED, job.market.as_ref(), &job.id.to_le_bytes()],
        bump = job.bump,
    )]
    pub job: Box<Account<'info, Job>>,
}

/// Commit a claimed job's result.
///
/// Shall:
/// - accept only a claimed job (`JobNotClaimed`), signed by the device key that claimed it
///   (`NotJobNode`), no later than its deadline (`SubmissionAfterDeadline`);
/// - refuse a result URI over 128 bytes (`UriTooLong`), a zero Merkle root for a matmul job or a
///   nonzero one for a container job (`InvalidMerkleRoot`);
/// - bill `clamp(now − claimed_at, 1, max_duration)` seconds and open the verification window;
/// - emit `ResultSubmitted`.
pub fn handler(
    ctx: Context<SubmitResult>,
    result_hash: [u8; 32],
    result_uri: String,
    merkle_root: [u8; 32],
) -> Result<()> {
    let job = &mut ctx.accounts.job;
    require!(job.state == JobState::Claimed, ComputeError::JobNotClaimed);
    require_keys_eq!(
        ctx.accounts.device.key(),
        job.node_device,
        ComputeError::NotJobNode
    );
    let now = crate::instructions::now()?;
    require!(now <= job.deadline, ComputeError::SubmissionAfterDeadline);
    require!(result_uri.len() <= MAX_URI_LEN, ComputeError::UriTooLong);
    let has_root = merkle_root != [0; 32];
    require!(
        has_root == (job.kind == JobKind::Matmul),
        ComputeError::InvalidMerkleRoot
    );
    job.state = JobState::Submitted;
    job.submitted_at = now;
    job.result_hash = result_hash;
    job.result_uri = result_uri;
    job.merkle_root = merkle_root;
    job.used_secs = lattice_math::compute::used_secs(job.claimed_at, now, job.max_duration_secs);
    job.invariant()?;
    emit!(ResultSubmitted {
        market: job.market,
        job_id: job.id,
        gpu_node: job.node,
        result_hash,
        merkle_root,
        used_secs: job.used_secs,
        submitted_at: now,
    });
    Ok(())
}
