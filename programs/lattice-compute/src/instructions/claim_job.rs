use crate::{constants::*, errors::ComputeError, events::JobClaimed, state::*};
use anchor_lang::prelude::*;
use lattice_registry::{program::LatticeRegistry, GpuNode, GPU_NODE_SEED};

#[derive(Accounts)]
pub struct ClaimJob<'info> {
    /// The GPU node's device key (the key the worker runs with).
    pub device: Signer<'info>,
    #[account(seeds = [COMPUTE_CONFIG_SEED, config.dao.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, ComputeConfig>>,
    #[account(
        mut,
        seeds = [MARKET_SEED, config.key().as_ref(), &[market.class_id]],
        bump = market.bump,
        has_one = config,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        mut,
        seeds = [JOB_SEED, market.key().as_ref(), &job.id.to_le_bytes()],
        bump = job.bump,
        has_one = market,
    )]
    pub job: Box<Account<'info, Job>>,
    /// The registry's `GpuNode` of `device`.
    #[account(
        mut,
        seeds = [GPU_NODE_SEED, device.key().as_ref()],
        bump = gpu_node.bump,
        seeds::program = lattice_registry::ID,
    )]
    pub gpu_node: Box<Account<'info, GpuNode>>,
    /// CHECK: the configuration's registry (`address`); validated by the registry program.
    #[account(address = config.registry @ ComputeError::WrongRegistry)]
    pub registry: UncheckedAccount<'info>,
    pub registry_program: Program<'info, LatticeRegistry>,
}

/// Claim a queued job for a GPU node.
///
/// Shall:
/// - be signed by the node's device key, whose registry `GpuNode` must exist
///   (`AccountNotInitialized`) at its PDA (`ConstraintSeeds`);
/// - refuse a job that is not queued (`JobNotQueued`: claimed already, or over);
/// - refuse a node that is unstaking (`NodeUnstaking`), staked below the market's minimum
///   (`InsufficientStake`), with less VRAM than the market's minimum (`InsufficientVram`), or
///   holding as many jobs as the market allows (`NodeBusy`);
/// - set the deadline to `now + max_duration`, count the job as held by the node in the registry
///   (so it cannot unstake meanwhile) and take it off the queue;
/// - emit `JobClaimed`.
pub fn handler(ctx: Context<ClaimJob>) -> Result<()> {
    require!(
        ctx.accounts.job.state == JobState::Queued,
        ComputeError::JobNotQueued
    );
    let node = &ctx.accounts.gpu_node;
    let params = &ctx.accounts.market.params;
    require!(node.unstake_requested_at == 0, ComputeError::NodeUnstaking);
    require!(
        node.stake >= params.min_stake,
        ComputeError::InsufficientStake
    );
    require!(
        node.vram_gb >= params.min_vram_gb,
        ComputeError::InsufficientVram
    );
    require!(
        node.jobs_held < params.max_jobs_per_node,
        ComputeError::NodeBusy
    );
    let now = crate::instructions::now()?;
    let deadline = lattice_math::compute::deadline(now, ctx.accounts.job.max_duration_secs)
        .ok_or(ComputeError::MathOverflow)?;
    crate::instructions::jobs_held(
        &ctx.accounts.config,
        &ctx.accounts.registry.to_account_info(),
        &ctx.accounts.gpu_node.to_account_info(),
        &ctx.accounts.registry_program.to_account_info(),
        true,
    )?;
    let job = &mut ctx.accounts.job;
    job.state = JobState::Claimed;
    job.node = ctx.accounts.gpu_node.key();
    job.node_device = ctx.accounts.device.key();
    job.claimed_at = now;
    job.deadline = deadline;
    job.invariant()?;
    ctx.accounts.market.dequeue(job.id)?;
    emit!(JobClaimed {
        market: job.market,
        job_id: job.id,
        gpu_node: job.node,
        device: job.node_device,
        claimed_at: now,
        deadline,
    });
    Ok(())
}
