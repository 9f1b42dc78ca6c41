use crate::{
    constants::*,
    errors::ComputeError,
    events::JobCancelled,
    instructions::{add, DcEscrow},
    state::*,
};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `DcEscrow` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
pub struct CancelJob<'info> {
    /// The job's poster.
    pub poster: Signer<'info>,
    #[account(mut, seeds = [COMPUTE_CONFIG_SEED, config.dao.as_ref()], bump = config.bump)]
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
        has_one = poster @ ComputeError::NotPoster,
    )]
    pub job: Box<Account<'info, Job>>,
    /// CHECK: the job's refund account (`address`); a DC account, checked by the data-credits
    /// program.
    #[account(mut, address = job.poster_dc)]
    pub poster_dc: UncheckedAccount<'info>,
    pub dc: DcEscrow<'info>,
}

/// Cancel a queued job and refund its escrow.
///
/// Shall be signed by the poster (`NotPoster`), only while the job is queued (`JobNotQueued`),
/// refund the whole escrow to the poster's DC account (`ConstraintAddress` for another), take
/// the job off the queue, and emit `JobCancelled`.
pub fn handler(ctx: Context<CancelJob>) -> Result<()> {
    require!(
        ctx.accounts.job.state == JobState::Queued,
        ComputeError::JobNotQueued
    );
    ctx.accounts.dc.check(&ctx.accounts.config)?;
    let refund = lattice_math::compute::full_refund(ctx.accounts.job.escrow_dc);
    ctx.accounts.dc.refund(
        &ctx.accounts.config,
        &ctx.accounts.poster_dc.to_account_info(),
        refund.refunded,
    )?;
    let job = &mut ctx.accounts.job;
    job.state = JobState::Cancelled;
    job.dc_refunded = refund.refunded;
    job.invariant()?;
    let market = &mut ctx.accounts.market;
    market.dequeue(job.id)?;
    add(&mut market.stats.cancelled, 1)?;
    let totals = &mut ctx.accounts.config.totals;
    add(&mut totals.jobs_cancelled, 1)?;
    add(&mut totals.dc_refunded, refund.refunded)?;
    emit!(JobCancelled {
        market: job.market,
        job_id: job.id,
        poster: job.poster,
        dc_refunded: refund.refunded,
    });
    ctx.accounts.config.invariant()
}
