//! The hourly emission schedule (`lattice_math::emission`).
//!
//! Invariants: an invalid schedule releases nothing; `cumulative_emission` starts at 0, never
//! decreases, never exceeds the pool and reaches it exactly at `total_hours()`; an hour's emission
//! is the difference of the cumulative form, never exceeds `peak_hourly_emission` (the bound the
//! circuit breakers are sized by) and is 0 after the schedule ends; emissions over a window of
//! consecutive hours telescope exactly.
#![no_main]

use lattice_math::emission::{
    cumulative_emission, emission_for_hour, peak_hourly_emission, EmissionSchedule, MAX_PERIODS,
};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Use the raw parameters (mostly invalid) instead of valid ones built from them.
    raw: bool,
    pool: u64,
    periods: u16,
    hours_per_period: u32,
    decay_bps: u16,
    hour_a: u64,
    hour_b: u64,
    window: u8,
}

fuzz_target!(|inp: Input| {
    let s = if inp.raw {
        EmissionSchedule {
            pool: inp.pool,
            periods: inp.periods,
            hours_per_period: inp.hours_per_period,
            decay_bps: inp.decay_bps,
        }
    } else {
        EmissionSchedule {
            pool: inp.pool,
            periods: 1 + inp.periods % MAX_PERIODS,
            // Mostly short periods so the hours land inside the schedule.
            hours_per_period: 1 + inp.hours_per_period % 20_000,
            decay_bps: 1 + inp.decay_bps % 10_000,
        }
    };
    let total = s.total_hours();
    if s.validate().is_err() {
        assert_eq!(cumulative_emission(&s, inp.hour_a), 0);
        assert_eq!(emission_for_hour(&s, inp.hour_a), 0);
        return;
    }
    // Pick hours inside (or just past) the schedule most of the time.
    let span = total.saturating_add(2).max(1);
    let (a, b) = if inp.raw {
        (inp.hour_a, inp.hour_b)
    } else {
        (inp.hour_a % span, inp.hour_b % span)
    };
    let (lo, hi) = (a.min(b), a.max(b));

    assert_eq!(cumulative_emission(&s, 0), 0, "{s:?}");
    assert_eq!(cumulative_emission(&s, total), s.pool, "{s:?}");
    assert_eq!(cumulative_emission(&s, u64::MAX), s.pool, "{s:?}");

    let c_lo = cumulative_emission(&s, lo);
    let c_hi = cumulative_emission(&s, hi);
    assert!(c_lo <= c_hi, "not monotone: {s:?} c({lo})={c_lo} > c({hi})={c_hi}");
    assert!(c_hi <= s.pool);

    let peak = peak_hourly_emission(&s);
    let e = emission_for_hour(&s, lo);
    assert!(e <= peak, "hour {lo} emits {e} > peak bound {peak}: {s:?}");
    if lo >= total {
        assert_eq!(e, 0, "emission after the schedule ended: {s:?} hour {lo}");
    }
    if let Some(next) = lo.checked_add(1) {
        assert_eq!(e, cumulative_emission(&s, next) - c_lo);
    }

    // A window of consecutive hours telescopes exactly and every hour is under the bound.
    let w = u64::from(inp.window % 48);
    let end = lo.saturating_add(w);
    let mut sum: u64 = 0;
    let mut h = lo;
    while h < end {
        let e = emission_for_hour(&s, h);
        assert!(e <= peak, "hour {h} emits {e} > peak bound {peak}: {s:?}");
        sum = sum.checked_add(e).expect("window sum overflows");
        h += 1;
    }
    assert_eq!(sum, cumulative_emission(&s, end) - c_lo, "{s:?} [{lo}, {end})");
});
