use super::ve::{deltas, schedule};
use crate::{constants::*, errors::GovernanceError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount};
use lattice_math::epoch::hour_of;

/// How a lock is given: a cliff ends `hours` after the next hour starts; a constant lock keeps
/// `hours` left until unlocked.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    Cliff,
    Constant,
}

/// The lock `kind`/`hours` taken now, validated against the longest lock.
pub fn make_lock(ve: &VeConfig, kind: LockKind, hours: u64, now: i64) -> Result<Lock> {
    require!(hours <= ve.max_lock_hours, GovernanceError::InvalidLock);
    let next = next_hour(now)?;
    Ok(match kind {
        LockKind::Cliff => Lock::Cliff {
            end_hour: next
                .checked_add(hours)
                .ok_or(GovernanceError::MathOverflow)?,
        },
        LockKind::Constant => Lock::Constant {
            duration_hours: hours,
        },
    })
}

/// The hour after the current one: when delegation changes take effect.
pub fn next_hour(now: i64) -> Result<u64> {
    Ok(hour_of(now)
        .checked_add(1)
        .ok_or(GovernanceError::MathOverflow)?)
}

#[derive(Accounts)]
#[instruction(id: u64)]
pub struct LockTokens<'info> {
    /// The owner; pays and provides the tokens.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [GOVERNANCE_SEED, governance.dao.as_ref()],
        bump = governance.bump,
        has_one = main_mint,
    )]
    pub governance: Box<Account<'info, Governance>>,
    #[account(
        init,
        payer = owner,
        space = 8 + Position::INIT_SPACE,
        seeds = [POSITION_SEED, governance.key().as_ref(), owner.key().as_ref(), &id.to_le_bytes()],
        bump,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(
        init,
        payer = owner,
        seeds = [POSITION_VAULT_SEED, position.key().as_ref()],
        bump,
        token::mint = main_mint,
        token::authority = governance,
    )]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = main_mint, token::authority = owner)]
    pub owner_tokens: Box<Account<'info, TokenAccount>>,
    pub main_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Lock `amount` main tokens.
///
/// Shall:
/// - refuse a zero amount or more than the longest lock (`InvalidLock`);
/// - move the tokens into the position's vault (owned by the governance PDA);
/// - start the position with no delegation; emit `PositionLocked`.
pub fn lock_handler(
    ctx: Context<LockTokens>,
    id: u64,
    amount: u64,
    kind: LockKind,
    hours: u64,
) -> Result<()> {
    require!(amount > 0, GovernanceError::InvalidLock);
    let now = Clock::get()?.unix_timestamp;
    let lock = make_lock(&ctx.accounts.governance.ve, kind, hours, now)?;
    token::transfer(
        CpiContext::new(
            ctx.accounts.token_program.key(),
            token::Transfer {
                from: ctx.accounts.owner_tokens.to_account_info(),
                to: ctx.accounts.vault.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        amount,
    )?;
    let g = &mut ctx.accounts.governance;
    g.positions = g
        .positions
        .checked_add(1)
        .ok_or(GovernanceError::MathOverflow)?;
    g.total_locked = g
        .total_locked
        .checked_add(amount)
        .ok_or(GovernanceError::MathOverflow)?;
    let position = &mut ctx.accounts.position;
    position.governance = g.key();
    position.owner = ctx.accounts.owner.key();
    position.id = id;
    position.amount = amount;
    position.lock = lock;
    position.created_hour = hour_of(now);
    position.delegation = None;
    position.unsettled = Vec::new();
    position.relocks = Vec::new();
    position.bump = ctx.bumps.position;
    position.vault_bump = ctx.bumps.vault;
    emit!(PositionLocked {
        position: position.key(),
        owner: position.owner,
        amount,
        lock,
    });
    Ok(())
}

#[derive(Accounts)]
pub struct Relock<'info> {
    /// The owner; pays for new `VeHour` records when delegated.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(mut, has_one = owner @ GovernanceError::Unauthorized, has_one = governance)]
    pub position: Box<Account<'info, Position>>,
    /// The delegated sub-DAO's aggregate; required when the position is delegated.
    #[account(
        mut,
        seeds = [SUB_DAO_VE_SEED, sub_dao_ve.sub_dao.as_ref()],
        bump = sub_dao_ve.bump,
        has_one = governance,
    )]
    pub sub_dao_ve: Option<Box<Account<'info, SubDaoVe>>>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the `VeHour` records of the next hour and of the old and new locks'
    // piece boundaries (writable), when delegated.
}

/// True when `new` (taken at `next`) holds at least the power of `old` at every hour from `next`
/// on, or is `old` unlocked (constant → cliff of the same length).
fn not_shorter(old: Lock, new: Lock, next: u64) -> bool {
    match (old, new) {
        (Lock::Cliff { end_hour: a }, Lock::Cliff { end_hour: b }) => b >= a,
        (Lock::Constant { duration_hours: a }, Lock::Constant { duration_hours: b }) => b >= a,
        (Lock::Constant { duration_hours: a }, Lock::Cliff { end_hour: b }) => {
            b.saturating_sub(next) >= a
        }
        (Lock::Cliff { end_hour: a }, Lock::Constant { duration_hours: b }) => {
            b >= a.saturating_sub(next)
        }
    }
}

/// Replace a position's lock: extend a cliff or a constant lock, unlock a constant lock (it
/// becomes a cliff of the same length, which starts decaying), or turn a cliff into a constant
/// lock.
///
/// Shall:
/// - be signed by the owner (`Unauthorized`); refuse a withdrawn position (`PositionWithdrawn`);
/// - refuse more than the longest lock (`InvalidLock`) and any lock ending sooner or holding less
///   power (`LockShortened`);
/// - remember the replaced lock, so votes on proposals opened before keep counting the lock at
///   their snapshot hour (`TooManyRelocks` beyond `MAX_RELOCKS` within 30 days);
/// - when delegated: require that sub-DAO's aggregate (`WrongSubDao`), close the running reward
///   range under the old lock (`TooManyUnsettled` when full) and move the aggregate from the old
///   curve to the new one from the next hour on;
/// - emit `PositionRelocked`.
pub fn relock_handler<'info>(
    ctx: Context<'info, Relock<'info>>,
    kind: LockKind,
    hours: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let next = next_hour(now)?;
    let ve = ctx.accounts.governance.ve;
    let position = &mut ctx.accounts.position;
    require!(!position.withdrawn, GovernanceError::PositionWithdrawn);
    let new = make_lock(&ve, kind, hours, now)?;
    let old = position.lock;
    require!(not_shorter(old, new, next), GovernanceError::LockShortened);
    remember_relock(position, old, hour_of(now))?;
    if let Some(d) = position.delegation {
        let aggregate = ctx
            .accounts
            .sub_dao_ve
            .as_ref()
            .ok_or(GovernanceError::WrongSubDao)?;
        require_keys_eq!(aggregate.sub_dao, d.sub_dao, GovernanceError::WrongSubDao);
        close_range(position, &d, next)?;
        let mut changes = deltas(&ve, position.amount, old, next, -1);
        changes.extend(deltas(&ve, position.amount, new, next, 1));
        schedule(
            aggregate,
            changes,
            ctx.remaining_accounts,
            &ctx.accounts.owner.to_account_info(),
            &ctx.accounts.system_program.to_account_info(),
        )?;
        position.delegation = Some(Delegation {
            sub_dao: d.sub_dao,
            claim_hour: next,
            claim_cursor: None,
        });
    }
    position.lock = new;
    emit!(PositionRelocked {
        position: position.key(),
        old,
        new,
    });
    Ok(())
}

/// Record that `before` stops being the lock in `hour` (once per hour: the first relock of an
/// hour keeps the lock in force at its start). Relocks older than the longest voting period are
/// forgotten; more than `MAX_RELOCKS` within it are refused (`TooManyRelocks`).
fn remember_relock(position: &mut Position, before: Lock, hour: u64) -> Result<()> {
    if position.relocks.last().is_some_and(|r| r.hour == hour) {
        return Ok(());
    }
    let horizon = hour.saturating_sub(u64::try_from(MAX_PERIOD_SECS / 3_600).unwrap_or(u64::MAX));
    position.relocks.retain(|r| r.hour >= horizon);
    require!(
        position.relocks.len() < MAX_RELOCKS,
        GovernanceError::TooManyRelocks
    );
    position.relocks.push(Relocked { hour, before });
    Ok(())
}

/// Keep the delegation's unclaimed range `[claim_hour, end)` under the current amount and lock.
pub fn close_range(position: &mut Position, d: &Delegation, end: u64) -> Result<()> {
    if d.claim_hour >= end {
        return Ok(());
    }
    require!(
        position.unsettled.len() < MAX_UNSETTLED,
        GovernanceError::TooManyUnsettled
    );
    position.unsettled.push(Unsettled {
        sub_dao: d.sub_dao,
        amount: position.amount,
        lock: position.lock,
        from_hour: d.claim_hour,
        to_hour: end,
        from_cursor: d.claim_cursor,
    });
    Ok(())
}

#[derive(Accounts)]
pub struct Withdraw<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [GOVERNANCE_SEED, governance.dao.as_ref()],
        bump = governance.bump,
    )]
    pub governance: Box<Account<'info, Governance>>,
    #[account(mut, has_one = owner @ GovernanceError::Unauthorized, has_one = governance)]
    pub position: Box<Account<'info, Position>>,
    #[account(mut, seeds = [POSITION_VAULT_SEED, position.key().as_ref()], bump = position.vault_bump)]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = governance.main_mint)]
    pub owner_tokens: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Return an expired position's tokens.
///
/// Shall:
/// - be signed by the owner (`Unauthorized`); refuse a position already withdrawn (its vault is
///   closed: `AccountNotInitialized`), still delegated (`StillDelegated`) or whose lock has not expired
///   (`LockNotExpired`: a constant lock never expires until unlocked);
/// - pay the whole vault to `owner_tokens` and close the vault;
/// - close the position too, unless it still has unclaimed delegation ranges (then it stays,
///   marked withdrawn, until they are claimed); emit `PositionWithdrawn`.
pub fn withdraw_handler(ctx: Context<Withdraw>) -> Result<()> {
    let now_hour = hour_of(Clock::get()?.unix_timestamp);
    let position = &ctx.accounts.position;
    require!(!position.withdrawn, GovernanceError::PositionWithdrawn);
    require!(
        position.delegation.is_none(),
        GovernanceError::StillDelegated
    );
    match position.lock {
        Lock::Cliff { end_hour } if end_hour <= now_hour => {}
        _ => return err!(GovernanceError::LockNotExpired),
    }
    let amount = position.amount;
    let g = &ctx.accounts.governance;
    let seeds = g.signer_seeds();
    let program = ctx.accounts.token_program.key();
    token::transfer(
        CpiContext::new_with_signer(
            program,
            token::Transfer {
                from: ctx.accounts.vault.to_account_info(),
                to: ctx.accounts.owner_tokens.to_account_info(),
                authority: g.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;
    token::close_account(CpiContext::new_with_signer(
        program,
        token::CloseAccount {
            account: ctx.accounts.vault.to_account_info(),
            destination: ctx.accounts.owner.to_account_info(),
            authority: g.to_account_info(),
        },
        &[&seeds],
    ))?;
    let g = &mut ctx.accounts.governance;
    g.positions = g.positions.saturating_sub(1);
    g.total_locked = g.total_locked.saturating_sub(amount);
    let key = ctx.accounts.position.key();
    emit!(PositionWithdrawn {
        position: key,
        amount,
    });
    if ctx.accounts.position.unsettled.is_empty() {
        ctx.accounts
            .position
            .close(ctx.accounts.owner.to_account_info())
    } else {
        let position = &mut ctx.accounts.position;
        position.withdrawn = true;
        position.amount = 0;
        Ok(())
    }
}
