use crate::{constants::*, errors::DaoError, events::SubDaoParamsSet, state::*};
use anchor_lang::prelude::*;

/// A change of a sub-DAO's parameters: `None` keeps a field as it is.
///
/// The sub-DAO token's hard cap (`max_supply`) is not changeable.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct SubDaoParamsUpdate {
    /// New sub-DAO token emission schedule (sub-DAO token base units).
    pub emission: Option<EmissionParams>,
    /// New limits of the sub-DAO token breaker (its running state is kept).
    pub breaker: Option<BreakerParams>,
}

#[derive(Accounts)]
pub struct SetSubDaoParams<'info> {
    /// The DAO's authority (governance, once it holds the role).
    pub authority: Signer<'info>,
    #[account(
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
    )]
    pub dao: Box<Account<'info, Dao>>,
    #[account(
        mut,
        seeds = [SUB_DAO_SEED, dao.key().as_ref(), sub_dao.name.as_bytes()],
        bump = sub_dao.bump,
        has_one = dao,
    )]
    pub sub_dao: Box<Account<'info, SubDao>>,
}

/// Change a sub-DAO's token emission schedule or breaker limits.
///
/// The sub-DAO token's hard cap is **not** changeable. A new schedule applies to every hour not
/// issued yet, counted from the sub-DAO's genesis hour; every later mint still checks the cap.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`), for a sub-DAO of that DAO
///   (`ConstraintHasOne`);
/// - validate the resulting schedule and breaker as `add_sub_dao` does: an invalid schedule
///   (`InvalidSchedule`), a pool above the cap (`ScheduleExceedsCap`), a breaker with a zero window
///   or below the schedule's peak hour (`InvalidBreaker`);
/// - refuse a pool below the sub-DAO tokens already emitted (`InvalidSchedule`);
/// - change only the fields given, keep the breaker's running state, and hold the sub-DAO
///   invariant;
/// - emit `SubDaoParamsSet` with the values in force.
pub fn handler(ctx: Context<SetSubDaoParams>, params: SubDaoParamsUpdate) -> Result<()> {
    let sub = &mut ctx.accounts.sub_dao;
    let emission = params.emission.unwrap_or(sub.emission);
    let breaker = params.breaker.unwrap_or(sub.breaker.params);
    crate::instructions::validate_schedule(&emission, 0, sub.max_supply, &breaker)?;
    require!(
        emission.pool >= sub.tokens_emitted,
        DaoError::InvalidSchedule
    );
    sub.emission = emission;
    sub.breaker.params = breaker;
    sub.invariant()?;
    emit!(SubDaoParamsSet {
        dao: sub.dao,
        sub_dao: sub.key(),
        authority: ctx.accounts.authority.key(),
        emission,
        breaker,
    });
    Ok(())
}
