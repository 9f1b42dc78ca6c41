use crate::{constants::*, errors::ComputeError, events::JobClosed, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CloseJob<'info> {
    /// The job's poster; receives the rent.
    #[account(mut)]
    pub poster: Signer<'info>,
    #[account(
        mut,
        close = poster,
        seeds = [JOB_SEED, job.market.as_ref(), &job.id.to_le_bytes()],
        bump = job.bump,
        has_one = poster @ ComputeError::NotPoster,
    )]
    pub job: Box<Account<'info, Job>>,
}

/// Close a finished job, returning its rent to the poster.
///
/// Shall be signed by the poster (`NotPoster`), only once the job is finalized, timed out,
/// cancelled or faulted (`JobNotTerminal`: its escrow is fully settled), and emit `JobClosed`. A
/// fault about a closed job can still be attested; it then slashes only.
pub fn handler(ctx: Context<CloseJob>) -> Result<()> {
    let job = &ctx.accounts.job;
    require!(job.state.is_terminal(), ComputeError::JobNotTerminal);
    emit!(JobClosed {
        market: job.market,
        job_id: job.id,
        poster: job.poster,
    });
    Ok(())
}
