use crate::{
    errors::ComputeError,
    events::JobTimedOut,
    instructions::{add, DcEscrow, JobAccounts, NodeStake},
    state::*,
};
use anchor_lang::prelude::*;
use lattice_registry::GpuNode;
// Nested accounts need the generated client modules of `DcEscrow` and `NodeStake` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
pub struct TimeoutJob<'info> {
    /// Anyone: pays the fee.
    pub caller: Signer<'info>,
    pub target: JobAccounts<'info>,
    /// CHECK: the job's refund account (`address`); checked by the data-credits program.
    #[account(mut, address = target.job.poster_dc)]
    pub poster_dc: UncheckedAccount<'info>,
    /// The registry `GpuNode` that claimed the job.
    #[account(mut, address = target.job.node @ ComputeError::WrongNodeAccount)]
    pub gpu_node: Box<Account<'info, GpuNode>>,
    pub dc: DcEscrow<'info>,
    pub stake: NodeStake<'info>,
}

/// Time out a claimed job whose node missed the deadline.
///
/// Shall:
/// - be permissionless, for a claimed job (`JobNotClaimed`: a submitted job is finalized
///   instead) whose deadline has passed (`DeadlineNotPassed`: `now > deadline`);
/// - refund the whole escrow to the poster's DC account (`ConstraintAddress` for another);
/// - slash `timeout_slash_bps` of the node's stake (`lattice_math::compute::slash_amount`) to the
///   configuration's slash destination (`WrongSlashDestination` for another) through the
///   registry's `slash_stake`, skipped when 0; release the node's job;
/// - emit `JobTimedOut`.
pub fn handler(ctx: Context<TimeoutJob>) -> Result<()> {
    let job = &ctx.accounts.target.job;
    require!(job.state == JobState::Claimed, ComputeError::JobNotClaimed);
    let now = crate::instructions::now()?;
    require!(now > job.deadline, ComputeError::DeadlineNotPassed);
    let config = &ctx.accounts.target.config;
    ctx.accounts.dc.check(config)?;
    ctx.accounts.stake.check(config)?;
    let refund = lattice_math::compute::full_refund(job.escrow_dc);
    ctx.accounts.dc.refund(
        config,
        &ctx.accounts.poster_dc.to_account_info(),
        refund.refunded,
    )?;
    let slashed = lattice_math::compute::slash_amount(
        ctx.accounts.gpu_node.stake,
        ctx.accounts.target.market.params.timeout_slash_bps,
    );
    let node = ctx.accounts.gpu_node.to_account_info();
    ctx.accounts.stake.slash(config, &node, slashed)?;
    ctx.accounts.stake.release(config, &node)?;

    let t = &mut ctx.accounts.target;
    let job = &mut t.job;
    job.state = JobState::TimedOut;
    job.dc_refunded = refund.refunded;
    job.stake_slashed = slashed;
    job.invariant()?;
    add(&mut t.market.stats.timed_out, 1)?;
    let totals = &mut t.config.totals;
    add(&mut totals.jobs_timed_out, 1)?;
    add(&mut totals.dc_refunded, refund.refunded)?;
    add(&mut totals.stake_slashed, slashed)?;
    emit!(JobTimedOut {
        market: job.market,
        job_id: job.id,
        gpu_node: job.node,
        dc_refunded: refund.refunded,
        stake_slashed: slashed,
        caller: ctx.accounts.caller.key(),
    });
    t.config.invariant()
}
