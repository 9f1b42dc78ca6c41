use crate::{
    errors::ComputeError,
    events::JobCancelled,
    instructions::{add, DcEscrow, JobAccounts},
    state::*,
};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `DcEscrow` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
pub struct CancelJob<'info> {
    /// The job's poster.
    #[account(address = target.job.poster @ ComputeError::NotPoster)]
    pub poster: Signer<'info>,
    pub target: JobAccounts<'info>,
    /// CHECK: the job's refund account (`address`); a DC account, checked by the data-credits
    /// program.
    #[account(mut, address = target.job.poster_dc)]
    pub poster_dc: UncheckedAccount<'info>,
    pub dc: DcEscrow<'info>,
}

/// Cancel a queued job and refund its escrow.
///
/// Shall be signed by the poster (`NotPoster`), only while the job is queued (`JobNotQueued`),
/// refund the whole escrow to the poster's DC account (`ConstraintAddress` for another), take
/// the job off the queue, and emit `JobCancelled`.
pub fn handler(ctx: Context<CancelJob>) -> Result<()> {
    let t = &mut ctx.accounts.target;
    require!(t.job.state == JobState::Queued, ComputeError::JobNotQueued);
    ctx.accounts.dc.check(&t.config)?;
    let refund = lattice_math::compute::full_refund(t.job.escrow_dc);
    ctx.accounts.dc.refund(
        &t.config,
        &ctx.accounts.poster_dc.to_account_info(),
        refund.refunded,
    )?;
    let job = &mut t.job;
    job.state = JobState::Cancelled;
    job.dc_refunded = refund.refunded;
    job.invariant()?;
    let market = &mut t.market;
    market.dequeue(job.id)?;
    add(&mut market.stats.cancelled, 1)?;
    let totals = &mut t.config.totals;
    add(&mut totals.jobs_cancelled, 1)?;
    add(&mut totals.dc_refunded, refund.refunded)?;
    emit!(JobCancelled {
        market: job.market,
        job_id: job.id,
        poster: job.poster,
        dc_refunded: refund.refunded,
    });
    t.config.invariant()
}
