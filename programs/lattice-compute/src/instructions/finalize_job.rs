use crate::{
    constants::*,
    errors::ComputeError,
    events::JobFinalized,
    instructions::{add, DcEscrow, JobAccounts},
    state::*,
};
use anchor_lang::prelude::*;
use lattice_dao::program::LatticeDao;
use lattice_math::epoch::hour_of;
use lattice_registry::program::LatticeRegistry;
// Nested accounts need the generated client modules of `DcEscrow` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
pub struct FinalizeJob<'info> {
    /// Anyone: pays the fee and the rent of the node's and the sub-DAO's hour records the first
    /// time they are written.
    #[account(mut)]
    pub payer: Signer<'info>,
    pub target: JobAccounts<'info>,
    /// CHECK: the job's refund account (`address`); checked by the data-credits program.
    #[account(mut, address = target.job.poster_dc)]
    pub poster_dc: UncheckedAccount<'info>,
    /// CHECK: the registry `GpuNode` that claimed the job (`address`); validated by the registry.
    #[account(mut, address = target.job.node @ ComputeError::WrongNodeAccount)]
    pub gpu_node: UncheckedAccount<'info>,
    /// CHECK: the node's record of the current hour (address checked in the handler, since the
    /// hour comes from the clock); created here on first use.
    #[account(mut)]
    pub node_epoch: UncheckedAccount<'info>,
    /// CHECK: the configuration's record of the current hour (address checked in the handler);
    /// created here on first use.
    #[account(mut)]
    pub compute_hour: UncheckedAccount<'info>,
    pub dc: DcEscrow<'info>,
    /// CHECK: the configuration's DAO (`address`).
    #[account(address = target.config.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the compute sub-DAO (`address`).
    #[account(address = target.config.compute_sub_dao @ ComputeError::WrongSubDao)]
    pub compute_sub_dao: UncheckedAccount<'info>,
    /// CHECK: the compute sub-DAO's record of the current hour; checked (and created) by the DAO
    /// program.
    #[account(mut)]
    pub sub_dao_epoch: UncheckedAccount<'info>,
    pub dao_program: Program<'info, LatticeDao>,
    /// CHECK: the configuration's registry (`address`); validated by the registry program.
    #[account(address = target.config.registry @ ComputeError::WrongRegistry)]
    pub registry: UncheckedAccount<'info>,
    pub registry_program: Program<'info, LatticeRegistry>,
    pub system_program: Program<'info, System>,
}

/// Settle a submitted job once its verification window has passed.
///
/// Shall:
/// - be permissionless, for a submitted job (`JobNotSubmitted`) whose verification window
///   (`submitted_at + market.verification_window_secs`) has passed (`VerificationWindowOpen`);
/// - burn `price × used_secs` DC from the pooled escrow through `burn_delegated_dc` (signed by the
///   configuration, the compute sub-DAO's burn authority), which records it in the compute
///   sub-DAO's current hour (the utility score's D input); refund `escrow − burned` to the
///   poster's DC account (`ConstraintAddress` for another); skip a CPI whose amount is 0;
/// - add the job, its seconds and its burn to the node's `NodeEpoch` of the current hour
///   (created if needed; `ConstraintSeeds` for another record), the node's work units, and to
///   the configuration's `ComputeHour` of the current hour (likewise);
/// - release the node's job in the registry, update the market's and configuration's totals;
/// - emit `JobFinalized`.
pub fn handler(ctx: Context<FinalizeJob>) -> Result<()> {
    let job = &ctx.accounts.target.job;
    require!(
        job.state == JobState::Submitted,
        ComputeError::JobNotSubmitted
    );
    let now = crate::instructions::now()?;
    let window = i64::try_from(ctx.accounts.target.market.params.verification_window_secs)
        .map_err(|_| ComputeError::MathOverflow)?;
    let open_until = job
        .submitted_at
        .checked_add(window)
        .ok_or(ComputeError::MathOverflow)?;
    require!(now >= open_until, ComputeError::VerificationWindowOpen);
    let config = &ctx.accounts.target.config;
    let dc = &ctx.accounts.dc;
    dc.check(config)?;
    let split = lattice_math::compute::settle(job.price_dc_per_sec, job.used_secs, job.escrow_dc)
        .map_err(|_| ComputeError::InvariantViolated)?;
    let hour = hour_of(now);

    if split.burned > 0 {
        let seeds = config.signer_seeds();
        lattice_data_credits::cpi::burn_delegated_dc(
            CpiContext::new_with_signer(
                dc.dc_program.key(),
                lattice_data_credits::cpi::accounts::BurnDelegatedDc {
                    burn_authority: config.to_account_info(),
                    data_credits: dc.data_credits.to_account_info(),
                    dc_mint: dc.dc_mint.to_account_info(),
                    sub_dao_dc: dc.sub_dao_dc.to_account_info(),
                    escrow: dc.dc_escrow.to_account_info(),
                    dao: ctx.accounts.dao.to_account_info(),
                    sub_dao: ctx.accounts.compute_sub_dao.to_account_info(),
                    sub_dao_epoch: ctx.accounts.sub_dao_epoch.to_account_info(),
                    dao_program: ctx.accounts.dao_program.to_account_info(),
                    token_2022_program: dc.token_2022_program.to_account_info(),
                    system_program: ctx.accounts.system_program.to_account_info(),
                    rent_payer: ctx.accounts.payer.to_account_info(),
                },
                &[&seeds],
            ),
            config.key(),
            split.burned,
        )?;
    }
    dc.refund(
        config,
        &ctx.accounts.poster_dc.to_account_info(),
        split.refunded,
    )?;
    record_work(&ctx, hour, job.used_secs, split.burned)?;
    record_hour(&ctx, hour, job.used_secs, split.burned)?;
    crate::instructions::jobs_held(
        config,
        &ctx.accounts.registry.to_account_info(),
        &ctx.accounts.gpu_node.to_account_info(),
        &ctx.accounts.registry_program.to_account_info(),
        false,
    )?;

    let t = &mut ctx.accounts.target;
    let job = &mut t.job;
    job.state = JobState::Finalized;
    job.dc_burned = split.burned;
    job.dc_refunded = split.refunded;
    job.invariant()?;
    let stats = &mut t.market.stats;
    add(&mut stats.finalized, 1)?;
    add(&mut stats.busy_secs, job.used_secs)?;
    let totals = &mut t.config.totals;
    add(&mut totals.jobs_finalized, 1)?;
    add(&mut totals.dc_burned, split.burned)?;
    add(&mut totals.dc_refunded, split.refunded)?;
    emit!(JobFinalized {
        market: job.market,
        job_id: job.id,
        gpu_node: job.node,
        poster: job.poster,
        used_secs: job.used_secs,
        dc_burned: split.burned,
        dc_refunded: split.refunded,
        hour,
        caller: ctx.accounts.payer.key(),
    });
    t.config.invariant()
}

/// Add one finalized job of `busy_secs` seconds and `dc_burned` DC to the node's record of
/// `hour`, creating it (rent from the payer) on the hour's first job.
fn record_work(
    ctx: &Context<FinalizeJob>,
    hour: u64,
    busy_secs: u64,
    dc_burned: u64,
) -> Result<()> {
    let info = ctx.accounts.node_epoch.to_account_info();
    let gpu_node = ctx.accounts.gpu_node.key();
    let hour_bytes = hour.to_le_bytes();
    let (expected, bump) = Pubkey::find_program_address(
        &[NODE_EPOCH_SEED, gpu_node.as_ref(), &hour_bytes],
        &crate::ID,
    );
    require_keys_eq!(
        info.key(),
        expected,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    let existing = crate::instructions::read_account::<NodeEpoch>(&info)?;
    let mut record = existing.clone().unwrap_or(NodeEpoch {
        gpu_node,
        hour,
        jobs_finalized: 0,
        busy_secs: 0,
        dc_burned: 0,
        creator: ctx.accounts.payer.key(),
        bump,
        reserved: [0; 16],
    });
    add(&mut record.jobs_finalized, 1)?;
    add(&mut record.busy_secs, busy_secs)?;
    add(&mut record.dc_burned, dc_burned)?;
    if existing.is_some() {
        crate::instructions::write_account(&info, &record)
    } else {
        let seeds: [&[u8]; 4] = [
            NODE_EPOCH_SEED,
            gpu_node.as_ref(),
            &hour_bytes,
            std::slice::from_ref(&bump),
        ];
        crate::instructions::create_account(
            &ctx.accounts.payer.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            &seeds,
            &record,
        )
    }
}

/// Add one finalized job to the configuration's record of `hour`, creating it (rent from the
/// payer) on the hour's first job.
fn record_hour(
    ctx: &Context<FinalizeJob>,
    hour: u64,
    busy_secs: u64,
    dc_burned: u64,
) -> Result<()> {
    let info = ctx.accounts.compute_hour.to_account_info();
    let config = ctx.accounts.target.config.key();
    let hour_bytes = hour.to_le_bytes();
    let (expected, bump) = Pubkey::find_program_address(
        &[COMPUTE_HOUR_SEED, config.as_ref(), &hour_bytes],
        &crate::ID,
    );
    require_keys_eq!(
        info.key(),
        expected,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    let existing = crate::instructions::read_account::<ComputeHour>(&info)?;
    let mut record = existing.clone().unwrap_or(ComputeHour {
        config,
        hour,
        jobs_finalized: 0,
        busy_secs: 0,
        dc_burned: 0,
        bump,
        reserved: [0; 16],
    });
    add(&mut record.jobs_finalized, 1)?;
    add(&mut record.busy_secs, busy_secs)?;
    add(&mut record.dc_burned, dc_burned)?;
    if existing.is_some() {
        crate::instructions::write_account(&info, &record)
    } else {
        let seeds: [&[u8]; 4] = [
            COMPUTE_HOUR_SEED,
            config.as_ref(),
            &hour_bytes,
            std::slice::from_ref(&bump),
        ];
        crate::instructions::create_account(
            &ctx.accounts.payer.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            &seeds,
            &record,
        )
    }
}
