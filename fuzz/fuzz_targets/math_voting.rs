//! Vote-escrow voting power in seconds (`lattice_math::voting`).
//!
//! Invariants: invalid parameters give no power; power never exceeds
//! `amount × (baseline + max_extra) / 10_000`; it is monotone in the amount and in the time left;
//! a cliff position only loses power as time passes and holds exactly the baseline once expired;
//! a constant position's power does not depend on the time; the fall rate predicts the decay of
//! a cliff position within rounding.
#![no_main]

use lattice_math::voting::{fall_rate_e12, voting_power, LockKind, VotingParams, SCALE_BPS};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    raw: bool,
    max_lock_secs: u64,
    baseline_bps: u32,
    max_extra_bps: u32,
    amount: u64,
    amount2: u64,
    cliff: bool,
    len: i64,
    len2: i64,
    now: i64,
    now2: i64,
}

const YEAR: i64 = 365 * 86_400;

fuzz_target!(|inp: Input| {
    let (p, len, len2, now, now2) = if inp.raw {
        (
            VotingParams { max_lock_secs: inp.max_lock_secs, baseline_bps: inp.baseline_bps, max_extra_bps: inp.max_extra_bps },
            inp.len, inp.len2, inp.now, inp.now2,
        )
    } else {
        (
            VotingParams {
                max_lock_secs: inp.max_lock_secs % (10 * YEAR as u64),
                baseline_bps: inp.baseline_bps % 50_000,
                max_extra_bps: inp.max_extra_bps % 2_000_000,
            },
            inp.len.rem_euclid(12 * YEAR), inp.len2.rem_euclid(12 * YEAR),
            inp.now.rem_euclid(12 * YEAR), inp.now2.rem_euclid(12 * YEAR),
        )
    };
    let kind = |l: i64| if inp.cliff { LockKind::Cliff { end: l } } else { LockKind::Constant { duration: l.unsigned_abs() } };
    let power = |a: u64, l: i64, t: i64| voting_power(&p, a, kind(l), t);

    if !p.is_valid() {
        assert_eq!(power(inp.amount, len, now), 0);
        return;
    }
    let (a_lo, a_hi) = (inp.amount.min(inp.amount2), inp.amount.max(inp.amount2));
    let (l_lo, l_hi) = (len.min(len2), len.max(len2));
    let (t_lo, t_hi) = (now.min(now2), now.max(now2));

    let pw = power(a_hi, l_hi, t_lo);
    let cap = u128::from(a_hi) * (u128::from(p.baseline_bps) + u128::from(p.max_extra_bps)) / SCALE_BPS;
    assert!(pw <= cap, "{pw} > cap {cap}: {p:?} {inp:?}");
    assert!(power(a_lo, l_hi, t_lo) <= pw, "not monotone in the amount");
    if inp.cliff || l_lo >= 0 {
        // (a negative constant duration is read as its magnitude, so only compare same-sign lengths)
        assert!(power(a_hi, l_lo, t_lo) <= pw, "not monotone in the lock");
    }
    let baseline = u128::from(a_hi) * u128::from(p.baseline_bps) / SCALE_BPS;
    if inp.cliff {
        assert!(power(a_hi, l_hi, t_hi) <= pw, "a cliff gained power over time");
        if l_hi <= t_hi {
            assert_eq!(power(a_hi, l_hi, t_hi), baseline, "an expired cliff is not at its baseline");
        }
    } else {
        assert_eq!(power(a_hi, l_hi, t_hi), pw, "a constant lock changed with time");
    }

    // The fall rate predicts a cliff's decay while its remaining lock is under max_lock_secs.
    if inp.cliff {
        let rate = fall_rate_e12(&p, a_hi, kind(l_hi));
        let fits = u128::from(a_hi)
            .checked_mul(u128::from(p.max_extra_bps))
            .and_then(|x| x.checked_mul(1_000_000_000_000))
            .and_then(|x| x.checked_mul(u128::from(p.max_lock_secs)))
            .is_some();
        let end = l_hi;
        if fits && t_lo <= t_hi && t_hi <= end && i128::from(end) - i128::from(t_lo) <= i128::from(p.max_lock_secs) {
            let fell = power(a_hi, end, t_lo) - power(a_hi, end, t_hi);
            let dt = (i128::from(t_hi) - i128::from(t_lo)) as u128;
            let predicted = rate * dt / 1_000_000_000_000;
            let slack = 3 + dt / 1_000_000_000_000;
            assert!(fell.abs_diff(predicted) <= slack, "fell {fell}, predicted {predicted}: {p:?} {inp:?}");
        }
    } else {
        assert_eq!(fall_rate_e12(&p, a_hi, kind(l_hi)), 0);
    }
});
