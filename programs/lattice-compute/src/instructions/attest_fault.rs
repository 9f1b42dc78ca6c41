use crate::{
    constants::*,
    errors::ComputeError,
    events::{FaultExecuted, FaultVoted, JobFaulted},
    instructions::{add, read_account, write_account, DcEscrow, NodeStake},
    state::*,
};
use anchor_lang::prelude::*;
use lattice_math::epoch::hour_of;
use lattice_registry::GpuNode;
// Nested accounts need the generated client modules of `DcEscrow` and `NodeStake` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
#[instruction(subject: FaultSubject)]
pub struct AttestFault<'info> {
    /// An oracle of the current set; pays the fault record's rent on the first vote.
    #[account(mut)]
    pub oracle: Signer<'info>,
    #[account(mut, seeds = [COMPUTE_CONFIG_SEED, config.dao.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, ComputeConfig>>,
    /// The registry `GpuNode` the fault is about.
    #[account(mut)]
    pub gpu_node: Box<Account<'info, GpuNode>>,
    /// CHECK: the fault record, created on the first vote (by hand, so a pre-funded address
    /// cannot block it).
    #[account(mut, seeds = [FAULT_SEED, gpu_node.key().as_ref(), &subject.hash(&gpu_node.key())], bump)]
    pub fault: UncheckedAccount<'info>,
    /// Job subjects only: the job's market, of this configuration (`ConstraintHasOne`).
    #[account(has_one = config)]
    pub market: Option<Box<Account<'info, Market>>>,
    /// CHECK: job subjects only: the job's PDA (checked in the handler). It may have been closed;
    /// the fault then slashes only.
    #[account(mut)]
    pub job: Option<UncheckedAccount<'info>>,
    /// CHECK: needed when the executing vote refunds a claimed or submitted job: the job's
    /// poster DC account (checked against the job).
    #[account(mut)]
    pub poster_dc: Option<UncheckedAccount<'info>>,
    pub dc: DcEscrow<'info>,
    pub stake: NodeStake<'info>,
    pub system_program: Program<'info, System>,
}

/// Vote that a node's job result or capacity proof was wrong; `threshold` votes execute it.
///
/// Shall:
/// - refuse every vote while the oracle set is empty (`FaultAttestationsDisabled`) and any signer
///   outside it (`NotAnOracle`);
/// - for a job subject, take the market of this configuration (`ConstraintHasOne`) and the job at
///   `[JOB_SEED, market, job_id]` (`MissingJobAccount`), which, unless closed, must have been
///   claimed by this node (`FaultSubjectMismatch`); for a capacity subject, refuse an hour that
///   has not started (`FutureSubject`);
/// - count one vote per oracle (`AlreadyVoted`) of the current oracle-set generation only (older
///   votes are void), and none after execution (`FaultAlreadyExecuted`);
/// - when the votes reach the threshold (`k ≥ 2`, so no single key can slash): slash
///   `fault_slash_bps` of the node's stake to the slash destination, and if the job is claimed or
///   submitted mark it faulted, refund its whole escrow to the poster's DC account
///   (`WrongRefundAccount`) and release the node's job;
/// - emit `FaultVoted`, and `FaultExecuted` (plus `JobFaulted`) when it executes.
pub fn handler(ctx: Context<AttestFault>, subject: FaultSubject) -> Result<()> {
    let config = &ctx.accounts.config;
    require!(
        !config.oracles.is_empty(),
        ComputeError::FaultAttestationsDisabled
    );
    let oracle = ctx.accounts.oracle.key();
    let index = config
        .oracle_index(&oracle)
        .ok_or(ComputeError::NotAnOracle)?;
    ctx.accounts.dc.check(config)?;
    ctx.accounts.stake.check(config)?;
    let gpu_node = ctx.accounts.gpu_node.key();
    let now = crate::instructions::now()?;

    // The job of a job subject (its record, unless closed).
    let job_info = match subject {
        FaultSubject::Job { market, job_id } => {
            let market_account = ctx
                .accounts
                .market
                .as_ref()
                .ok_or(ComputeError::MissingJobAccount)?;
            require_keys_eq!(
                market_account.key(),
                market,
                ComputeError::MissingJobAccount
            );
            let info = ctx
                .accounts
                .job
                .as_ref()
                .ok_or(ComputeError::MissingJobAccount)?
                .to_account_info();
            let (expected, _) = Pubkey::find_program_address(
                &[JOB_SEED, market.as_ref(), &job_id.to_le_bytes()],
                &crate::ID,
            );
            require_keys_eq!(info.key(), expected, ComputeError::MissingJobAccount);
            Some(info)
        }
        FaultSubject::Capacity { hour } => {
            require!(hour <= hour_of(now), ComputeError::FutureSubject);
            None
        }
    };
    let job = match &job_info {
        Some(info) => read_account::<Job>(info)?,
        None => None,
    };
    if let Some(j) = &job {
        require_keys_eq!(j.node, gpu_node, ComputeError::FaultSubjectMismatch);
    }

    let fault_info = ctx.accounts.fault.to_account_info();
    let subject_hash = subject.hash(&gpu_node);
    let mut fault = match read_account::<Fault>(&fault_info)? {
        Some(f) => f,
        None => {
            let seeds: [&[u8]; 4] = [
                FAULT_SEED,
                gpu_node.as_ref(),
                &subject_hash,
                std::slice::from_ref(&ctx.bumps.fault),
            ];
            lattice_dao::utils::create_pda_account(
                &ctx.accounts.oracle.to_account_info(),
                &fault_info,
                &ctx.accounts.system_program.to_account_info(),
                8usize.saturating_add(Fault::INIT_SPACE),
                &crate::ID,
                &seeds,
            )?;
            Fault {
                gpu_node,
                subject_hash,
                subject,
                oracle_generation: config.oracle_generation,
                votes: 0,
                executed: false,
                stake_slashed: 0,
                creator: oracle,
                bump: ctx.bumps.fault,
                reserved: [0; 16],
            }
        }
    };
    require!(!fault.executed, ComputeError::FaultAlreadyExecuted);
    if fault.oracle_generation != config.oracle_generation {
        // The set changed since these votes: they no longer speak for the oracles.
        fault.votes = 0;
        fault.oracle_generation = config.oracle_generation;
    }
    let bit = u32::try_from(index)
        .ok()
        .and_then(|i| 1u8.checked_shl(i))
        .ok_or(ComputeError::InvariantViolated)?;
    require!(fault.votes & bit == 0, ComputeError::AlreadyVoted);
    fault.votes |= bit;
    let votes = u8::try_from(fault.votes.count_ones()).map_err(|_| ComputeError::MathOverflow)?;
    emit!(FaultVoted {
        gpu_node,
        subject_hash,
        oracle,
        votes,
        threshold: config.threshold,
    });
    if votes >= config.threshold {
        let refunded = execute(&ctx, job_info.as_ref(), job, &mut fault)?;
        let totals = &mut ctx.accounts.config.totals;
        add(&mut totals.stake_slashed, fault.stake_slashed)?;
        if let Some(refunded) = refunded {
            add(&mut totals.jobs_faulted, 1)?;
            add(&mut totals.dc_refunded, refunded)?;
        }
        emit!(FaultExecuted {
            gpu_node,
            subject_hash,
            stake_slashed: fault.stake_slashed,
            job_faulted: refunded.is_some(),
        });
    }
    write_account(&fault_info, &fault)?;
    ctx.accounts.config.invariant()
}

/// Slash the node and, if the job is still running or awaiting finalization, fault and refund
/// it. Returns the DC refunded when a job was faulted.
fn execute(
    ctx: &Context<AttestFault>,
    job_info: Option<&AccountInfo>,
    job: Option<Job>,
    fault: &mut Fault,
) -> Result<Option<u64>> {
    let config = &ctx.accounts.config;
    let slashed =
        lattice_math::compute::slash_amount(ctx.accounts.gpu_node.stake, config.fault_slash_bps);
    let node = ctx.accounts.gpu_node.to_account_info();
    ctx.accounts.stake.slash(config, &node, slashed)?;
    fault.executed = true;
    fault.stake_slashed = slashed;
    let mut faulted = None;
    if let (Some(info), Some(mut j)) = (job_info, job) {
        if matches!(j.state, JobState::Claimed | JobState::Submitted) {
            let poster_dc = ctx
                .accounts
                .poster_dc
                .as_ref()
                .ok_or(ComputeError::WrongRefundAccount)?;
            require_keys_eq!(
                poster_dc.key(),
                j.poster_dc,
                ComputeError::WrongRefundAccount
            );
            let refund = lattice_math::compute::full_refund(j.escrow_dc);
            ctx.accounts
                .dc
                .refund(config, &poster_dc.to_account_info(), refund.refunded)?;
            ctx.accounts.stake.release(config, &node)?;
            j.state = JobState::Faulted;
            j.dc_refunded = refund.refunded;
            faulted = Some(refund.refunded);
            emit!(JobFaulted {
                market: j.market,
                job_id: j.id,
                gpu_node: j.node,
                dc_refunded: refund.refunded,
            });
        }
        add(&mut j.stake_slashed, slashed)?;
        j.invariant()?;
        write_account(info, &j)?;
    }
    Ok(faulted)
}
