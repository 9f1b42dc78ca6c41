use super::{
    positions::{close_range, next_hour},
    ve::{deltas, range_reward, schedule, RewardRange},
};
use crate::{constants::*, errors::GovernanceError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount};
use lattice_dao::{program::LatticeDao, Dao, DaoEpoch, SubDao, DAO_EPOCH_SEED};
use lattice_math::{
    epoch::hour_of,
    governance::{hour_rate, RewardCursor},
};

#[derive(Accounts)]
pub struct Delegate<'info> {
    /// The owner; pays for new `VeHour` records.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(mut, has_one = owner @ GovernanceError::Unauthorized, has_one = governance)]
    pub position: Box<Account<'info, Position>>,
    #[account(
        mut,
        seeds = [SUB_DAO_VE_SEED, sub_dao_ve.sub_dao.as_ref()],
        bump = sub_dao_ve.bump,
        has_one = governance,
    )]
    pub sub_dao_ve: Box<Account<'info, SubDaoVe>>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the sub-DAO's `VeHour` records of the next hour and of the lock's
    // later piece boundaries (writable; created when missing).
}

/// Delegate a position to the sub-DAO of `sub_dao_ve`.
///
/// Shall:
/// - be signed by the owner (`Unauthorized`); refuse a withdrawn position (`PositionWithdrawn`),
///   one already delegated (`AlreadyDelegated`: undelegate first, in the same transaction to
///   change) and one whose lock has expired by the next hour (`PositionExpired`);
/// - count the position's power in the sub-DAO's V from the next hour on (its curve's pieces
///   scheduled in the `VeHour` records, `MissingVeHour` when one is not passed);
/// - emit `Delegated`.
pub fn delegate_handler<'info>(ctx: Context<'info, Delegate<'info>>) -> Result<()> {
    let next = next_hour(Clock::get()?.unix_timestamp)?;
    let ve = ctx.accounts.governance.ve;
    let position = &mut ctx.accounts.position;
    require!(!position.withdrawn, GovernanceError::PositionWithdrawn);
    require!(
        position.delegation.is_none(),
        GovernanceError::AlreadyDelegated
    );
    if let Lock::Cliff { end_hour } = position.lock {
        require!(end_hour > next, GovernanceError::PositionExpired);
    }
    let aggregate = &ctx.accounts.sub_dao_ve;
    schedule(
        aggregate,
        deltas(&ve, position.amount, position.lock, next, 1),
        ctx.remaining_accounts,
        &ctx.accounts.owner.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
    )?;
    position.delegation = Some(Delegation {
        sub_dao: aggregate.sub_dao,
        claim_hour: next,
        claim_cursor: None,
    });
    emit!(Delegated {
        position: position.key(),
        sub_dao: aggregate.sub_dao,
        from_hour: next,
    });
    Ok(())
}

/// Stop delegating.
///
/// Shall:
/// - be signed by the owner (`Unauthorized`); refuse a position not delegated (`NotDelegated`) or
///   another sub-DAO's aggregate (`WrongSubDao`);
/// - stop counting the position from the next hour on; keep its unclaimed range for a later
///   claim, so unclaimed rewards never block undelegation (`TooManyUnsettled` only after
///   `MAX_UNSETTLED` unclaimed ranges);
/// - emit `Undelegated`.
pub fn undelegate_handler<'info>(ctx: Context<'info, Delegate<'info>>) -> Result<()> {
    let next = next_hour(Clock::get()?.unix_timestamp)?;
    let ve = ctx.accounts.governance.ve;
    let position = &mut ctx.accounts.position;
    let d = position.delegation.ok_or(GovernanceError::NotDelegated)?;
    let aggregate = &ctx.accounts.sub_dao_ve;
    require_keys_eq!(aggregate.sub_dao, d.sub_dao, GovernanceError::WrongSubDao);
    close_range(position, &d, next)?;
    schedule(
        aggregate,
        deltas(&ve, position.amount, position.lock, next, -1),
        ctx.remaining_accounts,
        &ctx.accounts.owner.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
    )?;
    position.delegation = None;
    emit!(Undelegated {
        position: position.key(),
        sub_dao: d.sub_dao,
        from_hour: next,
    });
    Ok(())
}

#[derive(Accounts)]
#[instruction(hour: u64)]
pub struct CheckpointVe<'info> {
    /// Anyone; pays for the DAO's hour record when it does not exist yet.
    #[account(mut)]
    pub cranker: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(address = governance.dao)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(address = sub_dao_ve.sub_dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(
        mut,
        seeds = [SUB_DAO_VE_SEED, sub_dao_ve.sub_dao.as_ref()],
        bump = sub_dao_ve.bump,
        has_one = governance,
    )]
    pub sub_dao_ve: Box<Account<'info, SubDaoVe>>,
    /// CHECK: the sub-DAO's `VeHour` of `hour` (may not exist: then nothing changes).
    #[account(
        mut,
        seeds = [VE_HOUR_SEED, sub_dao_ve.sub_dao.as_ref(), &hour.to_le_bytes()],
        bump,
    )]
    pub ve_hour: UncheckedAccount<'info>,
    /// CHECK: the DAO's record of hour − 1 (read when anything was delegated then).
    #[account(
        seeds = [DAO_EPOCH_SEED, dao.key().as_ref(), &hour.saturating_sub(1).to_le_bytes()],
        bump,
        seeds::program = lattice_dao::ID,
    )]
    pub previous_epoch: UncheckedAccount<'info>,
    /// CHECK: the DAO's `SubDaoEpoch` of `hour`, written by the DAO program (which checks it).
    #[account(mut)]
    pub sub_dao_epoch: UncheckedAccount<'info>,
    pub dao_program: Program<'info, LatticeDao>,
    pub system_program: Program<'info, System>,
}

/// Checkpoint hour `hour` of a sub-DAO's delegated power.
///
/// Shall:
/// - go one hour at a time, never past the current hour (`CheckpointOutOfOrder`);
/// - fold hour − 1 into the reward cursor: its rate is the sub-DAO's delegator slice of that hour
///   over `V(hour − 1)` (`HourNotIssued` while that hour, with something delegated, is not issued;
///   nothing is read when `V(hour − 1) = 0`, since the DAO then pays the slice to the treasury);
/// - apply the changes scheduled for `hour`, store the cursor in that `VeHour` (claims read it),
///   and record `V(hour)` as the DAO's V input through its `record_ve` (`VeUnderflow` if the sums
///   went negative, which the bookkeeping never allows);
/// - emit `VeCheckpointed`.
pub fn checkpoint_handler(ctx: Context<CheckpointVe>, hour: u64) -> Result<()> {
    let now_hour = hour_of(Clock::get()?.unix_timestamp);
    let aggregate = &mut ctx.accounts.sub_dao_ve;
    require!(
        aggregate.hour.checked_add(1) == Some(hour) && hour <= now_hour,
        GovernanceError::CheckpointOutOfOrder
    );
    let previous = aggregate.hour;
    let slice = if aggregate.ve_power > 0 {
        let info = ctx.accounts.previous_epoch.to_account_info();
        require!(
            info.owner == &lattice_dao::ID,
            GovernanceError::HourNotIssued
        );
        let data = info.try_borrow_data()?;
        let epoch = DaoEpoch::try_deserialize(&mut &data[..])?;
        require!(epoch.issued, GovernanceError::HourNotIssued);
        epoch
            .parts
            .iter()
            .find(|p| p.sub_dao == aggregate.sub_dao)
            .map_or(0, |p| p.main_to_delegators)
    } else {
        0
    };
    let rate = hour_rate(slice, aggregate.ve_power);
    let cursor = RewardCursor::from(aggregate.cursor)
        .after_hour(previous, rate)
        .ok_or(GovernanceError::MathOverflow)?;

    let info = ctx.accounts.ve_hour.to_account_info();
    if info.owner == &crate::ID {
        let mut record = {
            let data = info.try_borrow_data()?;
            VeHour::try_deserialize(&mut &data[..])?
        };
        require!(!record.checkpointed, GovernanceError::CheckpointOutOfOrder);
        let add = |a: i128, b: i128| a.checked_add(b).ok_or(GovernanceError::MathOverflow);
        aggregate.flat = add(aggregate.flat, record.flat)?;
        aggregate.alpha = add(aggregate.alpha, record.alpha)?;
        aggregate.beta = add(aggregate.beta, record.beta)?;
        record.checkpointed = true;
        record.cursor = cursor.into();
        let mut data = info.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        record.try_serialize(&mut writer)?;
    }
    require!(
        aggregate.flat >= 0 && aggregate.alpha >= 0 && aggregate.beta >= 0,
        GovernanceError::VeUnderflow
    );
    let v = aggregate
        .value_at(hour)
        .ok_or(GovernanceError::VeUnderflow)?;
    aggregate.hour = hour;
    aggregate.ve_power = v;
    aggregate.cursor = cursor.into();

    let g = &ctx.accounts.governance;
    let seeds = g.signer_seeds();
    lattice_dao::cpi::record_ve(
        CpiContext::new_with_signer(
            ctx.accounts.dao_program.key(),
            lattice_dao::cpi::accounts::RecordVe {
                governance: g.to_account_info(),
                payer: ctx.accounts.cranker.to_account_info(),
                dao: ctx.accounts.dao.to_account_info(),
                sub_dao: ctx.accounts.sub_dao.to_account_info(),
                sub_dao_epoch: ctx.accounts.sub_dao_epoch.to_account_info(),
                system_program: ctx.accounts.system_program.to_account_info(),
            },
            &[&seeds],
        ),
        hour,
        v,
        g.total_locked,
    )?;
    emit!(VeCheckpointed {
        sub_dao: aggregate.sub_dao,
        hour,
        ve_power: v,
        previous_slice: slice,
    });
    Ok(())
}

#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(mut, has_one = owner @ GovernanceError::Unauthorized, has_one = governance)]
    pub position: Box<Account<'info, Position>>,
    #[account(
        mut,
        seeds = [SUB_DAO_VE_SEED, sub_dao_ve.sub_dao.as_ref()],
        bump = sub_dao_ve.bump,
        has_one = governance,
    )]
    pub sub_dao_ve: Box<Account<'info, SubDaoVe>>,
    #[account(address = sub_dao_ve.sub_dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(mut, address = sub_dao.delegator_pool)]
    pub delegator_pool: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = governance.main_mint)]
    pub owner_tokens: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    // remaining_accounts: the sub-DAO's checkpointed `VeHour` records at the ranges' starts
    // (when the position does not hold the cursor), ends and piece boundaries (read-only).
}

/// Claim a position's staker rewards from one sub-DAO, up to the sub-DAO's checkpoint.
///
/// Shall:
/// - be signed by the owner (`Unauthorized`);
/// - pay, for every closed range with this sub-DAO that ends by the checkpoint and for the running
///   delegation up to the checkpoint, `Σ_h P(h)·slice_h / V(h)` (floored once per range), so the
///   claims of an hour never exceed its delegator slice; a range's `VeHour` records must be
///   passed (`MissingVeHour`);
/// - advance the running delegation's claim hour to the checkpoint; close a withdrawn position
///   with nothing left to claim;
/// - emit `RewardsClaimed`.
pub fn claim_handler<'info>(ctx: Context<'info, ClaimRewards<'info>>) -> Result<()> {
    let ve = ctx.accounts.governance.ve;
    let aggregate = &ctx.accounts.sub_dao_ve;
    let b = aggregate.hour;
    let remaining = ctx.remaining_accounts;
    let position = &mut ctx.accounts.position;
    let mut total: u64 = 0;
    let mut kept = Vec::with_capacity(position.unsettled.len());
    for u in position.unsettled.iter() {
        if u.sub_dao == aggregate.sub_dao && u.to_hour <= b {
            let range = RewardRange {
                amount: u.amount,
                lock: u.lock,
                from: u.from_hour,
                from_cursor: u.from_cursor,
                to: u.to_hour,
            };
            let r = range_reward(&ve, aggregate, &range, remaining)?;
            total = total.checked_add(r).ok_or(GovernanceError::MathOverflow)?;
        } else {
            kept.push(*u);
        }
    }
    position.unsettled = kept;
    if let Some(mut d) = position.delegation {
        if d.sub_dao == aggregate.sub_dao && d.claim_hour < b {
            let range = RewardRange {
                amount: position.amount,
                lock: position.lock,
                from: d.claim_hour,
                from_cursor: d.claim_cursor,
                to: b,
            };
            let r = range_reward(&ve, aggregate, &range, remaining)?;
            total = total.checked_add(r).ok_or(GovernanceError::MathOverflow)?;
            d.claim_hour = b;
            d.claim_cursor = Some(aggregate.cursor);
            position.delegation = Some(d);
        }
    }
    if total > 0 {
        let g = &ctx.accounts.governance;
        let seeds = g.signer_seeds();
        token::transfer(
            CpiContext::new_with_signer(
                ctx.accounts.token_program.key(),
                token::Transfer {
                    from: ctx.accounts.delegator_pool.to_account_info(),
                    to: ctx.accounts.owner_tokens.to_account_info(),
                    authority: g.to_account_info(),
                },
                &[&seeds],
            ),
            total,
        )?;
    }
    position.claimed = position
        .claimed
        .checked_add(total)
        .ok_or(GovernanceError::MathOverflow)?;
    let aggregate = &mut ctx.accounts.sub_dao_ve;
    aggregate.claimed = aggregate
        .claimed
        .checked_add(total)
        .ok_or(GovernanceError::MathOverflow)?;
    emit!(RewardsClaimed {
        position: ctx.accounts.position.key(),
        sub_dao: aggregate.sub_dao,
        amount: total,
        through_hour: b,
    });
    let p = &ctx.accounts.position;
    if p.withdrawn && p.unsettled.is_empty() && p.delegation.is_none() {
        ctx.accounts
            .position
            .close(ctx.accounts.owner.to_account_info())?;
    }
    Ok(())
}
