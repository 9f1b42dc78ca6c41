use crate::{
    constants::*, errors::ComputeError, events::MarketParamsSet, instructions::Admin, state::*,
};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `Admin` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
#[instruction(class_id: u8)]
pub struct CreateMarket<'info> {
    /// Pays rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    pub admin: Admin<'info>,
    /// CHECK: the market, created here by hand (a pre-funded address cannot block it).
    #[account(mut, seeds = [MARKET_SEED, admin.config.key().as_ref(), &[class_id]], bump)]
    pub market: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Create the market of GPU class `class_id`.
///
/// Shall be signed by the configuration's authority (`Unauthorized`), refuse invalid parameters
/// (`InvalidMarketParams`: a name, price floor ≥ 1, duration and verification window in 1 s..=30
/// days, `max_jobs_per_node ≥ 1`, bps ≤ 10 000) and an existing market (`MarketExists`), start
/// with an empty queue and job id 0, and emit `MarketParamsSet` (`created`).
pub fn handler(ctx: Context<CreateMarket>, class_id: u8, params: MarketParams) -> Result<()> {
    require!(params.is_valid(), ComputeError::InvalidMarketParams);
    let info = ctx.accounts.market.to_account_info();
    require!(info.owner != &crate::ID, ComputeError::MarketExists);
    let config = ctx.accounts.admin.config.key();
    let market = Market {
        config,
        class_id,
        params,
        next_job_id: 0,
        queue: [0; QUEUE_CAPACITY],
        queue_len: 0,
        stats: MarketStats::default(),
        bump: ctx.bumps.market,
        reserved: [0; 32],
    };
    let seeds: [&[u8]; 4] = [
        MARKET_SEED,
        config.as_ref(),
        std::slice::from_ref(&class_id),
        std::slice::from_ref(&ctx.bumps.market),
    ];
    crate::instructions::create_account(
        &ctx.accounts.payer.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        &seeds,
        &market,
    )?;
    emit!(MarketParamsSet {
        config,
        market: info.key(),
        class_id,
        params,
        created: true,
        authority: ctx.accounts.admin.authority.key(),
    });
    Ok(())
}
