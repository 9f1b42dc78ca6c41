//! GPU job money math (`lattice_math::compute`) and the mint circuit breaker
//! (`lattice_math::breaker`).
//!
//! Invariants: a settled job's `burned + refunded == escrow` (nothing created or lost) and a burn
//! above the escrow is refused, never clamped; the billed time is within `[1, max(1, max_duration)]`;
//! a slash never exceeds the stake; job and capacity fault subjects never collide. Under any
//! sequence of mints the breaker's decayed value right after an accepted mint never exceeds the
//! threshold, a refused mint really would have exceeded it, and the decayed value never grows
//! without a mint.
#![no_main]

use lattice_math::breaker::{decayed_value, record_mint, BreakerConfig, BreakerState};
use lattice_math::compute::{
    capacity_fault_subject, deadline, escrow_amount, full_refund, job_fault_subject, settle,
    slash_amount, used_secs, ComputeMathError,
};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    price: u64,
    max_duration: u64,
    claimed_at: i64,
    now: i64,
    stake: u64,
    bps: u16,
    key: [u8; 32],
    id: u64,
    small: bool,
    window_secs: u64,
    threshold: u64,
    mints: Vec<(i16, u64)>,
}

fuzz_target!(|inp: Input| {
    let (price, max_duration) = if inp.small {
        (inp.price % 1_000_000, inp.max_duration % 1_000_000)
    } else {
        (inp.price, inp.max_duration)
    };
    match escrow_amount(price, max_duration) {
        Ok(escrow) => {
            assert_eq!(u128::from(escrow), u128::from(price) * u128::from(max_duration));
            let used = used_secs(inp.claimed_at, inp.now, max_duration);
            assert!(used >= 1 && used <= max_duration.max(1));
            match settle(price, used, escrow) {
                Ok(s) => {
                    assert_eq!(s.burned.checked_add(s.refunded), Some(escrow), "{s:?}");
                    assert_eq!(u128::from(s.burned), u128::from(price) * u128::from(used));
                }
                // only a zero max_duration bills more (1 s) than was escrowed (0 s)
                Err(ComputeMathError::ExceedsEscrow) => assert!(max_duration == 0 && price > 0),
                Err(e) => panic!("{e:?} settling within the escrow"),
            }
            let r = full_refund(escrow);
            assert_eq!((r.burned, r.refunded), (0, escrow));
        }
        Err(e) => {
            assert_eq!(e, ComputeMathError::Overflow);
            assert!(price.checked_mul(max_duration).is_none());
        }
    }
    // A burn above an arbitrary escrow is refused.
    if let Ok(s) = settle(price, inp.id, inp.stake) {
        assert_eq!(s.burned.checked_add(s.refunded), Some(inp.stake));
    }
    match deadline(inp.claimed_at, max_duration) {
        Some(d) => assert_eq!(i128::from(d), i128::from(inp.claimed_at) + i128::from(max_duration)),
        // `None` when the sum does not fit an i64, and also (conservatively) whenever the duration
        // alone does not, even if a negative claim time would bring the sum back in range; chain
        // timestamps are never negative, so only the latter case differs from the doc comment.
        None => assert!(
            i128::from(inp.claimed_at) + i128::from(max_duration) > i128::from(i64::MAX)
                || (inp.claimed_at < 0 && i64::try_from(max_duration).is_err()),
            "deadline({}, {max_duration}) = None", inp.claimed_at
        ),
    }
    let slashed = slash_amount(inp.stake, inp.bps);
    assert!(slashed <= inp.stake);
    assert_eq!(u128::from(slashed), u128::from(inp.stake) * u128::from(inp.bps.min(10_000)) / 10_000);
    assert_ne!(job_fault_subject(&inp.key, inp.id), capacity_fault_subject(&inp.key, inp.id));

    // The breaker.
    let cfg = BreakerConfig {
        window_secs: if inp.small { 1 + inp.window_secs % 10_000 } else { inp.window_secs },
        threshold: inp.threshold,
    };
    if !cfg.is_valid() {
        return;
    }
    let mut s = BreakerState::default();
    let mut now: i64 = inp.claimed_at;
    for &(dt, amount) in inp.mints.iter().take(64) {
        let before = decayed_value(&cfg, &s, now);
        now = now.saturating_add(i64::from(dt));
        // Time passing (or a clock going back) never grows the value.
        assert!(decayed_value(&cfg, &s, now) <= before.max(s.value));
        let amount = if inp.small { amount % (cfg.threshold / 2 + 1) } else { amount };
        match record_mint(&cfg, &s, now, amount) {
            Ok(next) => {
                assert!(next.value <= cfg.threshold);
                assert!(next.last_ts >= s.last_ts);
                s = next;
            }
            Err(e) => {
                assert_eq!(e.current, decayed_value(&cfg, &s, now));
                assert!(e.current.checked_add(amount).is_none_or(|v| v > cfg.threshold));
            }
        }
        assert!(decayed_value(&cfg, &s, now) <= cfg.threshold.max(s.value));
    }
});
