//! Hourly epochs.
//!
//! Epoch (hour) `h` covers unix seconds `[h * 3600, (h + 1) * 3600)`. An hour can be issued once it
//! is over, i.e. when `now >= (h + 1) * 3600`, and only if it is at or after the genesis hour.

/// Seconds in one epoch.
pub const SECONDS_PER_HOUR: i64 = 3_600;

/// The epoch (hour) containing `unix_timestamp`: `floor(unix_timestamp / 3600)`.
///
/// Timestamps before the unix epoch map to hour 0; the chain clock never reports them.
pub fn hour_of(unix_timestamp: i64) -> u64 {
    u64::try_from(unix_timestamp.max(0).div_euclid(SECONDS_PER_HOUR)).unwrap_or(0)
}

/// First unix second of `hour`, saturating at `i64::MAX`.
pub fn hour_start(hour: u64) -> i64 {
    i64::try_from(hour)
        .ok()
        .and_then(|h| h.checked_mul(SECONDS_PER_HOUR))
        .unwrap_or(i64::MAX)
}

/// Why an hour cannot be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HourStatus {
    /// The hour precedes the DAO's genesis hour.
    BeforeGenesis,
    /// The hour has not ended yet.
    NotOver,
    /// The hour is over and at or after genesis: it may be issued (if not issued already).
    Issuable,
}

/// Classify `hour` against the genesis hour and the current time.
pub fn hour_status(hour: u64, genesis_hour: u64, now: i64) -> HourStatus {
    if hour < genesis_hour {
        HourStatus::BeforeGenesis
    } else if hour >= hour_of(now) {
        HourStatus::NotOver
    } else {
        HourStatus::Issuable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_boundaries() {
        assert_eq!(hour_of(0), 0);
        assert_eq!(hour_of(3_599), 0);
        assert_eq!(hour_of(3_600), 1);
        assert_eq!(hour_of(-5), 0);
        assert_eq!(hour_start(2), 7_200);
        assert_eq!(hour_start(u64::MAX), i64::MAX);
    }

    #[test]
    fn status_rules() {
        // genesis hour 10, now inside hour 12
        let now = 12 * 3_600 + 5;
        assert_eq!(hour_status(9, 10, now), HourStatus::BeforeGenesis);
        assert_eq!(hour_status(10, 10, now), HourStatus::Issuable);
        assert_eq!(hour_status(11, 10, now), HourStatus::Issuable);
        assert_eq!(hour_status(12, 10, now), HourStatus::NotOver);
        assert_eq!(hour_status(13, 10, now), HourStatus::NotOver);
        // exactly at the boundary the previous hour is over
        assert_eq!(hour_status(11, 10, 12 * 3_600), HourStatus::Issuable);
    }
}
