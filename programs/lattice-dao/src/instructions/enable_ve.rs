use crate::{constants::*, errors::DaoError, events::VeEnabled, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Approve, Token, TokenAccount};
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
pub struct EnableVe<'info> {
    /// The DAO's governance PDA (`[GOVERNANCE_SEED, dao]` under the governance program), signing
    /// through CPI.
    pub governance: Signer<'info>,
    #[account(seeds = [DAO_SEED, dao.main_mint.as_ref()], bump = dao.bump)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(mut, has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// The sub-DAO's delegator pool (main tokens owed to its delegated stakers).
    #[account(mut, address = sub_dao.delegator_pool)]
    pub delegator_pool: Account<'info, TokenAccount>,
    pub token_program: Program<'info, Token>,
}

/// Enable a sub-DAO's vote-escrow (V) input from `start_hour` on.
///
/// From `start_hour` on, `issue_hour` requires the sub-DAO's V of the hour (recorded by
/// governance with `record_ve`) and pays its delegator slice only while V is positive; governance
/// pays stakers out of the delegator pool as its SPL Token delegate.
///
/// Shall:
/// - be signed by the DAO's governance PDA ([`governance_pda`]; any other signer:
///   `Unauthorized`);
/// - refuse a sub-DAO whose V is already enabled (`VeAlreadyEnabled`): the start hour is set once;
/// - refuse a start hour that is 0 or not after the current hour (`InvalidVeHour`), so no hour in
///   progress or past changes its inputs;
/// - approve the governance PDA as delegate of the sub-DAO's delegator pool for `u64::MAX`,
///   signed by the sub-DAO PDA;
/// - emit `VeEnabled`.
pub fn handler(ctx: Context<EnableVe>, start_hour: u64) -> Result<()> {
    let governance = ctx.accounts.governance.key();
    require_keys_eq!(
        governance,
        governance_pda(&ctx.accounts.dao.key()),
        DaoError::Unauthorized
    );
    let sub = &mut ctx.accounts.sub_dao;
    require!(sub.ve_start_hour == 0, DaoError::VeAlreadyEnabled);
    let now_hour = hour_of(Clock::get()?.unix_timestamp);
    require!(
        start_hour != 0 && start_hour > now_hour,
        DaoError::InvalidVeHour
    );
    sub.ve_start_hour = start_hour;

    let seeds = sub.signer_seeds();
    token::approve(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            Approve {
                to: ctx.accounts.delegator_pool.to_account_info(),
                delegate: ctx.accounts.governance.to_account_info(),
                authority: sub.to_account_info(),
            },
            &[&seeds],
        ),
        u64::MAX,
    )?;
    sub.invariant()?;
    emit!(VeEnabled {
        dao: sub.dao,
        sub_dao: sub.key(),
        start_hour,
        delegator_pool: ctx.accounts.delegator_pool.key(),
        delegate: governance,
    });
    Ok(())
}
