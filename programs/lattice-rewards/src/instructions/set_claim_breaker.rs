use crate::{constants::*, errors::RewardsError, events::ClaimBreakerSet, state::*};
use anchor_lang::prelude::*;
use lattice_dao::{BreakerParams, Dao};

#[derive(Accounts)]
pub struct SetClaimBreaker<'info> {
    /// The DAO's authority (governance, once it holds the role).
    pub authority: Signer<'info>,
    #[account(has_one = authority @ RewardsError::Unauthorized)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(
        mut,
        seeds = [REWARDS_CONFIG_SEED, config.sub_dao.as_ref()],
        bump = config.bump,
        has_one = dao,
    )]
    pub config: Box<Account<'info, RewardsConfig>>,
}

/// Change the limits of a sub-DAO's claim breaker.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`), for a configuration of that DAO
///   (`ConstraintHasOne`);
/// - refuse a zero window or threshold (`InvalidBreaker`), as `initialize_rewards` does;
/// - keep the breaker's running state (`last_ts`, `value`), so a change cannot reset the window;
/// - emit `ClaimBreakerSet`.
pub fn handler(ctx: Context<SetClaimBreaker>, params: BreakerParams) -> Result<()> {
    require!(
        claim_breaker_is_valid(&params),
        RewardsError::InvalidBreaker
    );
    let config = &mut ctx.accounts.config;
    config.claim_breaker.params = params;
    config.invariant()?;
    emit!(ClaimBreakerSet {
        config: config.key(),
        window_secs: params.window_secs,
        threshold: params.threshold,
        authority: ctx.accounts.authority.key(),
    });
    Ok(())
}
