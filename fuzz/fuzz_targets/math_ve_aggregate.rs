//! Exact delegated voting power and staker rewards (`lattice_math::governance`).
//!
//! Invariants, under arbitrary lock / delegate / undelegate / extend / advance sequences:
//! * `pieces` reproduce `power_at` at every hour from their start;
//! * the aggregate `V(h)` equals the sum of the delegated positions' `power_at(h)` at every hour
//!   it is advanced to, and the aggregate never reports an underflow;
//! * staker rewards from the cursors equal the brute-force `⌊Σ_h P(h)·r_h / 2^64⌋`, and the
//!   claims of all positions never exceed the delegator slices paid in.
//!
//! Magnitudes stay within the module's documented bounds (`bps ≤ 2^21`, `L·end ≤ 2^40`).
#![no_main]

use lattice_math::governance::{
    hour_rate, pieces, position_reward, power_at, HourLock, RewardCursor, VeAggregate, VeParams,
    RATE_SHIFT,
};
use lattice_math::wide::U256;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    Lock { amount: u64, cliff: bool, len: u16 },
    Delegate(u8),
    Undelegate(u8),
    Extend(u8, u16),
    Advance(u16),
}

#[derive(Debug, Arbitrary)]
struct Input {
    max_lock_hours: u16,
    baseline_bps: u32,
    extra_bps: u32,
    ops: Vec<Op>,
    /// (amount, cliff, len, from, to) for the reward check.
    stakers: Vec<(u64, bool, u8, u8, u8)>,
    slices: Vec<u64>,
}

fuzz_target!(|inp: Input| {
    let p = VeParams {
        max_lock_hours: 1 + u64::from(inp.max_lock_hours) % 40_000,
        baseline_bps: inp.baseline_bps % (1 << 21),
        extra_bps: inp.extra_bps % (1 << 21),
    };
    aggregate(&p, &inp.ops);
    rewards(&p, &inp);
});

fn check_pieces(p: &VeParams, amount: u64, lock: HourLock, from: u64) {
    let ps = pieces(p, amount, lock, from);
    assert_eq!(ps[0].0, from);
    assert!(ps.windows(2).all(|w| w[0].0 <= w[1].0), "{ps:?}");
    let mut probes: Vec<u64> = vec![from, from + 1];
    for (s, _) in &ps {
        probes.extend([s.saturating_sub(1), *s, s + 1]);
    }
    for h in probes.into_iter().filter(|h| *h >= from) {
        let piece = ps.iter().rev().find(|(s, _)| *s <= h).unwrap().1;
        assert_eq!(piece.at(h), power_at(p, amount, lock, h), "{p:?} {amount} {lock:?} from {from} h {h}");
    }
}

fn aggregate(p: &VeParams, ops: &[Op]) {
    let mut v = VeAggregate::new(1_000);
    // (amount, lock, delegated_from)
    let mut positions: Vec<(u64, HourLock, Option<u64>)> = Vec::new();
    for o in ops.iter().take(64) {
        let next = v.hour + 1;
        match *o {
            Op::Lock { amount, cliff, len } => {
                if positions.len() < 8 {
                    let len = u64::from(len);
                    let lock = if cliff {
                        HourLock::Cliff { end_hour: v.hour + len }
                    } else {
                        HourLock::Constant { duration_hours: len }
                    };
                    check_pieces(p, amount, lock, next);
                    positions.push((amount, lock, None));
                }
            }
            Op::Delegate(i) => {
                if let Some(pos) = positions.get_mut(usize::from(i % 8)) {
                    if pos.2.is_none() {
                        v.add(p, pos.0, pos.1, next).unwrap();
                        pos.2 = Some(next);
                    }
                }
            }
            Op::Undelegate(i) => {
                if let Some(pos) = positions.get_mut(usize::from(i % 8)) {
                    if pos.2.is_some() {
                        v.remove(p, pos.0, pos.1, next).unwrap();
                        pos.2 = None;
                    }
                }
            }
            Op::Extend(i, by) => {
                if let Some(pos) = positions.get_mut(usize::from(i % 8)) {
                    let by = u64::from(by);
                    let new_lock = match pos.1 {
                        HourLock::Cliff { end_hour } => HourLock::Cliff { end_hour: end_hour.max(next) + by },
                        HourLock::Constant { duration_hours } => HourLock::Constant { duration_hours: duration_hours + by },
                    };
                    if pos.2.is_some() {
                        v.remove(p, pos.0, pos.1, next).unwrap();
                        v.add(p, pos.0, new_lock, next).unwrap();
                    }
                    pos.1 = new_lock;
                }
            }
            Op::Advance(by) => {
                let by = 1 + u64::from(by) % 30_000;
                let target = v.hour + by;
                let step = if by <= 50 { 1 } else { by };
                let mut h = v.hour;
                while h < target {
                    h = (h + step).min(target);
                    v.advance_to(h).unwrap_or_else(|e| panic!("advance to {h}: {e:?}"));
                    let expected: u128 = positions
                        .iter()
                        .filter(|(_, _, from)| from.is_some_and(|f| f <= h))
                        .map(|(a, l, _)| power_at(p, *a, *l, h))
                        .sum();
                    assert_eq!(v.value(), expected, "hour {h}: {p:?}");
                }
            }
        }
    }
}

fn rewards(p: &VeParams, inp: &Input) {
    let slices: Vec<u64> = inp.slices.iter().take(48).copied().collect();
    if slices.is_empty() {
        return;
    }
    let hours = slices.len() as u64;
    let ps: Vec<(u64, HourLock, u64, u64)> = inp
        .stakers
        .iter()
        .take(8)
        .map(|&(amount, cliff, len, x, y)| {
            let len = u64::from(len % 96);
            let lock = if cliff { HourLock::Cliff { end_hour: len } } else { HourLock::Constant { duration_hours: len } };
            let (x, y) = (u64::from(x) % (hours + 1), u64::from(y) % (hours + 1));
            (amount, lock, x.min(y), x.max(y))
        })
        .collect();
    let mut cursors = vec![RewardCursor::default()];
    let mut rates = Vec::new();
    for h in 0..hours {
        let v: u128 = ps.iter().filter(|q| q.2 <= h && h < q.3).map(|q| power_at(p, q.0, q.1, h)).sum();
        let r = hour_rate(slices[h as usize], v);
        rates.push(r);
        let next = cursors[h as usize].after_hour(h, r).expect("cursor overflow");
        cursors.push(next);
    }
    let mut claimed: u128 = 0;
    for q in &ps {
        let got = position_reward(p, q.0, q.1, q.2, q.3, |x| cursors[x as usize]).expect("reward overflow");
        let mut exact = U256::ZERO;
        for h in q.2..q.3 {
            exact = exact.checked_add(U256::mul_u128(power_at(p, q.0, q.1, h), rates[h as usize])).unwrap();
        }
        assert_eq!(Some(got), exact.shift_right(RATE_SHIFT).to_u128(), "{p:?} {q:?}");
        claimed += got;
    }
    let paid: u128 = slices.iter().map(|s| u128::from(*s)).sum();
    assert!(claimed <= paid, "claimed {claimed} > paid {paid}: {p:?} {ps:?}");
}
