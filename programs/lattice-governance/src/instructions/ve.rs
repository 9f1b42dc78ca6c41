//! Shared delegation bookkeeping: scheduling aggregate changes into `VeHour` accounts and
//! computing a range's rewards from the reward cursors.

use crate::{constants::*, errors::GovernanceError, state::*};
use anchor_lang::prelude::*;
use lattice_math::governance::{
    piece_deltas, pieces, position_reward, Delta, HourLock, RewardCursor, VeParams,
};
use std::collections::BTreeMap;

/// The `VeHour` address of `sub_dao` at `hour`.
pub fn ve_hour_address(sub_dao: &Pubkey, hour: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[VE_HOUR_SEED, sub_dao.as_ref(), &hour.to_le_bytes()],
        &crate::ID,
    )
}

fn find<'a, 'info>(
    remaining: &'a [AccountInfo<'info>],
    key: &Pubkey,
) -> Result<&'a AccountInfo<'info>> {
    remaining
        .iter()
        .find(|a| a.key == key)
        .ok_or_else(|| error!(GovernanceError::MissingVeHour))
}

fn read_ve_hour(info: &AccountInfo) -> Result<Option<VeHour>> {
    if info.owner != &crate::ID {
        return Ok(None);
    }
    let data = info.try_borrow_data()?;
    Ok(Some(VeHour::try_deserialize(&mut &data[..])?))
}

fn write_ve_hour(info: &AccountInfo, v: &VeHour) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    v.try_serialize(&mut writer)
}

/// The changes that start (`sign = 1`) or stop (`sign = -1`) counting `amount` under `lock` from
/// hour `from` on.
pub fn deltas(ve: &VeConfig, amount: u64, lock: Lock, from: u64, sign: i128) -> Vec<(u64, Delta)> {
    piece_deltas(
        &VeParams::from(*ve),
        amount,
        HourLock::from(lock),
        from,
        sign,
    )
}

/// Adds `changes` into the sub-DAO's `VeHour` accounts (found in `remaining` by address, created
/// when missing, payer `payer`). Every hour must be later than the aggregate's checkpoint.
pub fn schedule<'info>(
    aggregate: &SubDaoVe,
    changes: Vec<(u64, Delta)>,
    remaining: &[AccountInfo<'info>],
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
) -> Result<()> {
    let mut merged: BTreeMap<u64, Delta> = BTreeMap::new();
    for (h, d) in changes {
        merged.entry(h).or_default().add(&d);
    }
    for (hour, d) in merged {
        require!(hour > aggregate.hour, GovernanceError::CheckpointOutOfOrder);
        let (address, bump) = ve_hour_address(&aggregate.sub_dao, hour);
        let info = find(remaining, &address)?;
        let mut record = match read_ve_hour(info)? {
            Some(r) => r,
            None => {
                let hour_bytes = hour.to_le_bytes();
                let seeds: [&[u8]; 4] = [
                    VE_HOUR_SEED,
                    aggregate.sub_dao.as_ref(),
                    &hour_bytes,
                    std::slice::from_ref(&bump),
                ];
                lattice_dao::utils::create_pda_account(
                    payer,
                    info,
                    system_program,
                    8usize.saturating_add(VeHour::INIT_SPACE),
                    &crate::ID,
                    &seeds,
                )?;
                VeHour {
                    sub_dao: aggregate.sub_dao,
                    hour,
                    flat: 0,
                    alpha: 0,
                    beta: 0,
                    checkpointed: false,
                    cursor: Cursor::default(),
                    bump,
                }
            }
        };
        require!(!record.checkpointed, GovernanceError::CheckpointOutOfOrder);
        let add = |a: i128, b: i128| a.checked_add(b).ok_or(GovernanceError::MathOverflow);
        record.flat = add(record.flat, d.flat)?;
        record.alpha = add(record.alpha, d.alpha)?;
        record.beta = add(record.beta, d.beta)?;
        write_ve_hour(info, &record)?;
    }
    Ok(())
}

/// The checkpointed `VeHour` of `hour`, read-only (for claims).
pub fn checkpointed_cursor(
    aggregate: &SubDaoVe,
    hour: u64,
    remaining: &[AccountInfo],
) -> Result<Cursor> {
    if hour == aggregate.hour {
        return Ok(aggregate.cursor);
    }
    let (address, _) = ve_hour_address(&aggregate.sub_dao, hour);
    let record = read_ve_hour(find(remaining, &address)?)?
        .ok_or_else(|| error!(GovernanceError::MissingVeHour))?;
    require!(record.checkpointed, GovernanceError::MissingVeHour);
    Ok(record.cursor)
}

/// A range of hours `[from, to)` a position was delegated in, with the amount and lock that
/// counted and, when known, the cursor at `from`.
pub struct RewardRange {
    /// Amount that counted.
    pub amount: u64,
    /// Lock that counted.
    pub lock: Lock,
    /// First hour.
    pub from: u64,
    /// The cursor at `from`, if the position holds it (else read from `VeHour(from)`).
    pub from_cursor: Option<Cursor>,
    /// First hour not counted (≤ the aggregate's checkpoint).
    pub to: u64,
}

/// Rewards of a range: the cursors at its start (given or read), at the curve's piece
/// boundaries and at its end.
pub fn range_reward(
    ve: &VeConfig,
    aggregate: &SubDaoVe,
    range: &RewardRange,
    remaining: &[AccountInfo],
) -> Result<u64> {
    let (a, b) = (range.from, range.to);
    if b <= a {
        return Ok(0);
    }
    let params = VeParams::from(*ve);
    let hlock = HourLock::from(range.lock);
    let mut cursors: BTreeMap<u64, RewardCursor> = BTreeMap::new();
    cursors.insert(
        a,
        match range.from_cursor {
            Some(c) => c.into(),
            None => checkpointed_cursor(aggregate, a, remaining)?.into(),
        },
    );
    for (start, _) in pieces(&params, range.amount, hlock, a) {
        if start > a && start < b {
            cursors.insert(
                start,
                checkpointed_cursor(aggregate, start, remaining)?.into(),
            );
        }
    }
    cursors.insert(b, checkpointed_cursor(aggregate, b, remaining)?.into());
    let reward = position_reward(&params, range.amount, hlock, a, b, |h| {
        cursors.get(&h).copied().unwrap_or_default()
    })
    .ok_or(GovernanceError::MathOverflow)?;
    Ok(u64::try_from(reward).map_err(|_| GovernanceError::MathOverflow)?)
}
