use crate::{
    constants::*,
    errors::ComputeError,
    events::JobPosted,
    instructions::{add, DcEscrow},
    state::*,
};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `DcEscrow` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

/// Arguments of `post_job`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct PostJobArgs {
    /// What the job runs.
    pub kind: JobKind,
    /// Content hash of the spec.
    pub spec_hash: [u8; 32],
    /// Where the spec is (≤ 128 bytes).
    pub spec_uri: String,
    /// Longest run, seconds (1..=market maximum).
    pub max_duration_secs: u64,
    /// Price, DC per second of GPU time (≥ the market's floor).
    pub price_dc_per_sec: u64,
}

#[derive(Accounts)]
pub struct PostJob<'info> {
    /// Pays the job's rent and its DC escrow (from `poster_dc`).
    #[account(mut)]
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
    /// CHECK: the job at the market's next id, created here by hand.
    #[account(
        mut,
        seeds = [JOB_SEED, market.key().as_ref(), &market.next_job_id.to_le_bytes()],
        bump,
    )]
    pub job: UncheckedAccount<'info>,
    /// CHECK: the poster's associated DC account (checked in the handler; the data-credits
    /// program checks its mint and owner). Refunds return here; being associated, anyone can
    /// re-create it if the poster closes it, so a refund can never be blocked.
    #[account(mut)]
    pub poster_dc: UncheckedAccount<'info>,
    pub dc: DcEscrow<'info>,
    pub system_program: Program<'info, System>,
}

/// Post a job to a market and escrow its DC.
///
/// Shall:
/// - refuse a price below the market's floor (`PriceBelowFloor`), a maximum duration of 0 or
///   above the market's (`DurationOutOfRange`), a spec URI over 128 bytes (`UriTooLong`) and a
///   full queue (`QueueFull`);
/// - take the DC from the poster's associated DC account (`WrongPosterDc`) into the compute
///   sub-DAO's pooled escrow (`WrongDcAccount`) through `delegate_dc`, for `price × max_duration`
///   (`MathOverflow` when that overflows; `InsufficientDc` from the data-credits program when
///   the poster holds less);
/// - create the job at the market's next id (`ConstraintSeeds` for another), queued;
/// - emit `JobPosted`.
pub fn handler(ctx: Context<PostJob>, args: PostJobArgs) -> Result<()> {
    let params = ctx.accounts.market.params;
    require!(
        args.price_dc_per_sec >= params.price_floor_dc_per_sec,
        ComputeError::PriceBelowFloor
    );
    require!(
        (1..=params.max_duration_secs).contains(&args.max_duration_secs),
        ComputeError::DurationOutOfRange
    );
    require!(args.spec_uri.len() <= MAX_URI_LEN, ComputeError::UriTooLong);
    require!(
        usize::from(ctx.accounts.market.queue_len) < QUEUE_CAPACITY,
        ComputeError::QueueFull
    );
    let escrow =
        lattice_math::compute::escrow_amount(args.price_dc_per_sec, args.max_duration_secs)
            .map_err(|_| ComputeError::MathOverflow)?;
    let config = &ctx.accounts.config;
    ctx.accounts.dc.check(config)?;
    let poster = ctx.accounts.poster.key();
    require_keys_eq!(
        ctx.accounts.poster_dc.key(),
        anchor_spl::associated_token::get_associated_token_address_with_program_id(
            &poster,
            &config.dc_mint,
            &anchor_spl::token_2022::ID,
        ),
        ComputeError::WrongPosterDc
    );

    let dc = &ctx.accounts.dc;
    lattice_data_credits::cpi::delegate_dc(
        CpiContext::new(
            dc.dc_program.key(),
            lattice_data_credits::cpi::accounts::DelegateDc {
                owner: ctx.accounts.poster.to_account_info(),
                data_credits: dc.data_credits.to_account_info(),
                dc_mint: dc.dc_mint.to_account_info(),
                owner_dc: ctx.accounts.poster_dc.to_account_info(),
                sub_dao_dc: dc.sub_dao_dc.to_account_info(),
                escrow: dc.dc_escrow.to_account_info(),
                token_2022_program: dc.token_2022_program.to_account_info(),
                system_program: ctx.accounts.system_program.to_account_info(),
            },
        ),
        config.key(),
        escrow,
    )?;

    let now = crate::instructions::now()?;
    let market_key = ctx.accounts.market.key();
    let job_id = ctx.accounts.market.next_job_id;
    let job = Job {
        market: market_key,
        id: job_id,
        poster,
        poster_dc: ctx.accounts.poster_dc.key(),
        kind: args.kind,
        spec_hash: args.spec_hash,
        spec_uri: args.spec_uri,
        max_duration_secs: args.max_duration_secs,
        price_dc_per_sec: args.price_dc_per_sec,
        escrow_dc: escrow,
        state: JobState::Queued,
        node: Pubkey::default(),
        node_device: Pubkey::default(),
        posted_at: now,
        claimed_at: 0,
        deadline: 0,
        submitted_at: 0,
        result_hash: [0; 32],
        result_uri: String::new(),
        merkle_root: [0; 32],
        used_secs: 0,
        dc_burned: 0,
        dc_refunded: 0,
        stake_slashed: 0,
        bump: ctx.bumps.job,
        reserved: [0; 32],
    };
    job.invariant()?;
    let id_bytes = job_id.to_le_bytes();
    let seeds: [&[u8]; 4] = [
        JOB_SEED,
        market_key.as_ref(),
        &id_bytes,
        std::slice::from_ref(&ctx.bumps.job),
    ];
    crate::instructions::create_account(
        &ctx.accounts.poster.to_account_info(),
        &ctx.accounts.job.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &seeds,
        &job,
    )?;

    let market = &mut ctx.accounts.market;
    market.next_job_id = job_id.checked_add(1).ok_or(ComputeError::MathOverflow)?;
    market.enqueue(job_id)?;
    add(&mut market.stats.posted, 1)?;
    let totals = &mut ctx.accounts.config.totals;
    add(&mut totals.jobs_posted, 1)?;
    add(&mut totals.dc_escrowed, escrow)?;
    emit!(JobPosted {
        market: market_key,
        job_id,
        poster,
        kind: job.kind.as_u8(),
        spec_hash: job.spec_hash,
        price_dc_per_sec: job.price_dc_per_sec,
        max_duration_secs: job.max_duration_secs,
        escrow_dc: escrow,
        queue_len: market.queue_len,
        posted_at: now,
    });
    ctx.accounts.config.invariant()
}
