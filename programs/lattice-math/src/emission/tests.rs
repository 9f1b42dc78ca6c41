use super::*;
use proptest::prelude::*;

fn io_net_like() -> EmissionSchedule {
    EmissionSchedule {
        pool: 300_000_000 * 1_000_000,
        periods: 20,
        hours_per_period: 8_760,
        decay_bps: 8_500,
    }
}

#[test]
fn whole_schedule_releases_exactly_the_pool() {
    let s = io_net_like();
    assert_eq!(cumulative_emission(&s, 0), 0);
    assert_eq!(cumulative_emission(&s, s.total_hours()), s.pool);
    assert_eq!(cumulative_emission(&s, u64::MAX), s.pool);
    // Sum over every hour equals the pool exactly (telescoping; checked numerically on a small
    // schedule in `sum_of_all_hours_is_pool`).
}

#[test]
fn sum_of_all_hours_is_pool() {
    let s = EmissionSchedule {
        pool: 1_000_003,
        periods: 3,
        hours_per_period: 7,
        decay_bps: 5_000,
    };
    let total: u64 = (0..s.total_hours() + 5)
        .map(|h| emission_for_hour(&s, h))
        .sum();
    assert_eq!(total, s.pool);
    assert_eq!(emission_for_hour(&s, s.total_hours()), 0);
}

#[test]
fn decays_period_over_period() {
    let s = io_net_like();
    let first = emission_for_hour(&s, 0);
    let second_year = emission_for_hour(&s, 8_760);
    let last_year = emission_for_hour(&s, 19 * 8_760);
    assert!(
        first > second_year && second_year > last_year,
        "{first} {second_year} {last_year}"
    );
    // Year 2 is 85% of year 1 (within rounding of one unit per hour).
    let ratio = u128::from(second_year) * 10_000 / u128::from(first);
    assert!((8_499..=8_501).contains(&ratio), "ratio {ratio}");
    assert!(peak_hourly_emission(&s) >= first);
}

#[test]
fn invalid_schedules_are_refused_and_release_nothing() {
    let mut s = io_net_like();
    s.periods = 0;
    assert_eq!(s.validate(), Err(ScheduleError::BadPeriods));
    assert_eq!(emission_for_hour(&s, 0), 0);
    s.periods = MAX_PERIODS + 1;
    assert_eq!(s.validate(), Err(ScheduleError::BadPeriods));
    let mut s = io_net_like();
    s.hours_per_period = 0;
    assert_eq!(s.validate(), Err(ScheduleError::BadHoursPerPeriod));
    let mut s = io_net_like();
    s.decay_bps = 0;
    assert_eq!(s.validate(), Err(ScheduleError::BadDecay));
    s.decay_bps = 10_001;
    assert_eq!(s.validate(), Err(ScheduleError::BadDecay));
}

fn schedule() -> impl Strategy<Value = EmissionSchedule> {
    (any::<u64>(), 1..=MAX_PERIODS, 1u32..=10_000, 1u16..=10_000).prop_map(
        |(pool, periods, hours_per_period, decay_bps)| EmissionSchedule {
            pool,
            periods,
            hours_per_period,
            decay_bps,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The cumulative release never decreases and never exceeds the pool.
    #[test]
    fn cumulative_is_monotone_and_capped(s in schedule(), a in any::<u64>(), b in any::<u64>()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (lo, hi) = (lo % (s.total_hours() + 2), hi % (s.total_hours() + 2));
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        let c_lo = cumulative_emission(&s, lo);
        let c_hi = cumulative_emission(&s, hi);
        prop_assert!(c_lo <= c_hi);
        prop_assert!(c_hi <= s.pool);
    }

    /// Any set of distinct hours releases at most the pool, and a contiguous range releases
    /// exactly the difference of the cumulative values.
    #[test]
    fn ranges_telescope(s in schedule(), start in any::<u64>(), len in 0u64..500) {
        let start = start % (s.total_hours() + 2);
        let sum: u128 = (start..start + len).map(|h| u128::from(emission_for_hour(&s, h))).sum();
        let expect = cumulative_emission(&s, start + len) - cumulative_emission(&s, start);
        prop_assert_eq!(sum, u128::from(expect));
        prop_assert!(sum <= u128::from(s.pool));
    }

    /// No hour ever releases more than the published peak (breakers sized by it never trip on
    /// the schedule alone).
    #[test]
    fn peak_bounds_every_hour(s in schedule(), h in any::<u64>()) {
        let h = h % (s.total_hours() + 1);
        prop_assert!(emission_for_hour(&s, h) <= peak_hourly_emission(&s));
        prop_assert!(emission_for_hour(&s, 0) <= peak_hourly_emission(&s));
    }
}
