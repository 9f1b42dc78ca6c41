use crate::{constants::*, errors::DaoError, events::DaoParamsSet, state::*};
use anchor_lang::prelude::*;

/// A change of the DAO's parameters: `None` keeps a field as it is.
///
/// The hard cap (`max_supply`) and the genesis supply and hour are not changeable.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct DaoParamsUpdate {
    /// New main-token emission schedule (base units).
    pub emission: Option<EmissionParams>,
    /// New limits of the main-token emission breaker (its running state is kept).
    pub breaker: Option<BreakerParams>,
    /// New utility score weights, basis points.
    pub utility_weights: Option<UtilityWeightParams>,
    /// New delegator share of each sub-DAO part, basis points.
    pub delegator_bps: Option<u16>,
}

#[derive(Accounts)]
pub struct SetDaoParams<'info> {
    /// The DAO's authority (governance, once it holds the role).
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
    )]
    pub dao: Box<Account<'info, Dao>>,
}

/// Change the DAO's emission schedule, breaker limits, utility weights or delegator share.
///
/// The hard cap `max_supply` is **not** changeable: no instruction can raise the main token's
/// supply limit. A new schedule applies to every hour not issued yet, counted from the DAO's
/// genesis hour (hour `h` pays `emission_for_hour(new, h − genesis_hour)`); issued hours are
/// never paid again, and every later mint still checks the cap and the invariant.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - validate the resulting schedule and breaker as `initialize_dao` does: an invalid schedule
///   (`InvalidSchedule`), the genesis supply plus the pool above the cap (`ScheduleExceedsCap`),
///   a breaker with a zero window or below the schedule's peak hour (`InvalidBreaker`);
/// - refuse a pool below the main tokens already emitted (`InvalidSchedule`);
/// - refuse utility weights not summing to 10_000 (`InvalidUtilityWeights`) and a delegator share
///   above 10_000 bps (`InvalidBps`);
/// - change only the fields given, keep the breaker's running state (`last_ts`, `value`) so a
///   change cannot reset the window, and hold the DAO invariant;
/// - emit `DaoParamsSet` with the values in force.
pub fn handler(ctx: Context<SetDaoParams>, params: DaoParamsUpdate) -> Result<()> {
    let dao = &mut ctx.accounts.dao;
    let emission = params.emission.unwrap_or(dao.emission);
    let breaker = params.breaker.unwrap_or(dao.breaker.params);
    crate::instructions::validate_schedule(
        &emission,
        dao.genesis_supply,
        dao.max_supply,
        &breaker,
    )?;
    require!(
        emission.pool >= dao.total_emitted,
        DaoError::InvalidSchedule
    );
    let utility_weights = params.utility_weights.unwrap_or(dao.utility_weights);
    crate::instructions::validate_utility_weights(&utility_weights)?;
    let delegator_bps = params.delegator_bps.unwrap_or(dao.delegator_bps);
    crate::instructions::validate_delegator_bps(delegator_bps)?;

    dao.emission = emission;
    dao.breaker.params = breaker;
    dao.utility_weights = utility_weights;
    dao.delegator_bps = delegator_bps;
    dao.invariant()?;
    emit!(DaoParamsSet {
        dao: dao.key(),
        authority: ctx.accounts.authority.key(),
        emission,
        breaker,
        utility_weights,
        delegator_bps,
    });
    Ok(())
}
