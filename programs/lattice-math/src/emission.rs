//! The hourly emission schedule.
//!
//! A schedule releases a fixed `pool` of base units over `periods × hours_per_period` hours. Each
//! period's weight is the previous period's weight times `decay_bps / 10_000` (a geometric
//! decay, e.g. 20 yearly periods decaying 15% a year). Within a period the release is linear.
//!
//! The schedule is defined by its **cumulative** form `cumulative_emission(s, h)`: the base units
//! released by the end of hour `h - 1` (hours are counted from genesis, so hour 0 is the first).
//!
//! ```text
//! w_0 = 10^15,  w_{i+1} = floor(w_i × decay_bps / 10_000),  W = Σ w_i
//! cw(h) = Σ_{i<y} w_i + floor(w_y × (h mod H) / H)      where y = floor(h / H), H = hours_per_period
//! cumulative_emission(s, h) = floor(pool × cw(h) / W)    (= pool once h ≥ periods × H)
//! emission_for_hour(s, h) = cumulative_emission(s, h + 1) − cumulative_emission(s, h)
//! ```
//!
//! `cw` is non-decreasing in `h`, so every hour's emission is ≥ 0, and the hourly emissions
//! telescope: the sum over any set of distinct hours is at most `pool`, and the sum over all hours
//! is **exactly** `pool`. No rounding dust is created or lost.

/// Weight of the first period; small enough that `pool × Σw` fits in `u128` for any `u64` pool
/// and up to [`MAX_PERIODS`] periods.
const FIRST_WEIGHT: u128 = 1_000_000_000_000_000;

/// Upper bound on the number of decay periods (keeps the on-chain loop short).
pub const MAX_PERIODS: u16 = 100;

/// A decaying hourly release of a fixed pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmissionSchedule {
    /// Base units released over the schedule's whole life.
    pub pool: u64,
    /// Number of decay periods (e.g. 20 for 20 yearly periods).
    pub periods: u16,
    /// Hours in one period (e.g. 8_760 for a year).
    pub hours_per_period: u32,
    /// Weight of each period relative to the previous one, in basis points (10_000 = no decay).
    pub decay_bps: u16,
}

/// Why a schedule is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleError {
    /// `periods` is 0 or above [`MAX_PERIODS`].
    BadPeriods,
    /// `hours_per_period` is 0.
    BadHoursPerPeriod,
    /// `decay_bps` is 0 or above 10_000.
    BadDecay,
}

impl EmissionSchedule {
    /// Check the schedule's parameters.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if self.periods == 0 || self.periods > MAX_PERIODS {
            return Err(ScheduleError::BadPeriods);
        }
        if self.hours_per_period == 0 {
            return Err(ScheduleError::BadHoursPerPeriod);
        }
        if self.decay_bps == 0 || u64::from(self.decay_bps) > crate::BPS {
            return Err(ScheduleError::BadDecay);
        }
        Ok(())
    }

    /// Number of hours during which the schedule emits.
    pub fn total_hours(&self) -> u64 {
        u64::from(self.periods).saturating_mul(u64::from(self.hours_per_period))
    }

    /// Weight of period `i` (`i < periods`).
    fn weight(&self, i: u16) -> u128 {
        let mut w = FIRST_WEIGHT;
        for _ in 0..i {
            w = mul_div(w, u128::from(self.decay_bps), u128::from(crate::BPS));
        }
        w
    }

    /// Sum of all period weights.
    fn total_weight(&self) -> u128 {
        let mut w = FIRST_WEIGHT;
        let mut total: u128 = 0;
        for _ in 0..self.periods {
            total = total.saturating_add(w);
            w = mul_div(w, u128::from(self.decay_bps), u128::from(crate::BPS));
        }
        total
    }
}

/// `floor(a × b / c)` for the small operands used here; saturates instead of overflowing and
/// returns 0 for `c == 0`.
fn mul_div(a: u128, b: u128, c: u128) -> u128 {
    a.saturating_mul(b).checked_div(c).unwrap_or(0)
}

/// Base units released by the schedule during hours `[0, hour)` (hours counted from genesis).
///
/// Non-decreasing in `hour`; equals `pool` for `hour ≥ total_hours()`. An invalid schedule
/// releases nothing.
pub fn cumulative_emission(s: &EmissionSchedule, hour: u64) -> u64 {
    if s.validate().is_err() {
        return 0;
    }
    if hour >= s.total_hours() {
        return s.pool;
    }
    let hpp = u64::from(s.hours_per_period);
    // hour < periods × hpp, so the period index fits in u16.
    let period = u16::try_from(hour.checked_div(hpp).unwrap_or(0)).unwrap_or(u16::MAX);
    let within = hour.checked_rem(hpp).unwrap_or(0);
    let mut cw: u128 = 0;
    let mut w = FIRST_WEIGHT;
    for _ in 0..period {
        cw = cw.saturating_add(w);
        w = mul_div(w, u128::from(s.decay_bps), u128::from(crate::BPS));
    }
    cw = cw.saturating_add(mul_div(w, u128::from(within), u128::from(hpp)));
    let released = mul_div(u128::from(s.pool), cw, s.total_weight());
    // cw ≤ W, so released ≤ pool.
    u64::try_from(released).unwrap_or(s.pool).min(s.pool)
}

/// Base units released by the schedule in hour `hour` (counted from genesis).
///
/// This is the function the DAO program mints by and the cranker plans with.
pub fn emission_for_hour(s: &EmissionSchedule, hour: u64) -> u64 {
    let next = cumulative_emission(s, hour.saturating_add(1));
    let this = cumulative_emission(s, hour);
    next.saturating_sub(this)
}

/// An upper bound on any single hour's emission: use it to size circuit breakers.
///
/// The first period carries the largest weight and releases linearly, so an hour releases at most
/// `pool × (w_0 / H + 1) / W + 1`: the exact average hour of the first period plus the rounding of
/// the cumulative weight (`pool / W`, rounded up) plus the rounding of the cumulative release.
pub fn peak_hourly_emission(s: &EmissionSchedule) -> u64 {
    let total = s.total_weight();
    let first_period = mul_div(u128::from(s.pool), s.weight(0), total);
    let per_hour = first_period
        .checked_div(u128::from(s.hours_per_period))
        .unwrap_or(0);
    let weight_rounding = u128::from(s.pool).div_ceil(total.max(1));
    let bound = per_hour.saturating_add(weight_rounding).saturating_add(2);
    u64::try_from(bound).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
