//! A windowed, linearly decaying circuit breaker.
//!
//! Every mint adds its amount to a running value that decays linearly to zero over `window_secs`.
//! A mint that would push the decayed value above `threshold` is refused. This bounds what any
//! bug can mint to about `threshold` per window, independent of the emission logic.
//!
//! ```text
//! decayed(now) = value × (window − min(now − last_ts, window)) / window   (floor)
//! record(amount): decayed(now) + amount ≤ threshold, then value = that sum, last_ts = now
//! ```

/// Breaker limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Length of the decay window, in seconds (> 0).
    pub window_secs: u64,
    /// Largest decayed value allowed after a mint, in base units of the minted token.
    pub threshold: u64,
}

/// Breaker state stored on chain next to the mint authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BreakerState {
    /// Unix time of the last recorded mint, in seconds.
    pub last_ts: i64,
    /// Value (base units) right after the last recorded mint, before decay.
    pub value: u64,
}

/// The mint would exceed the breaker's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerTripped {
    /// Decayed value at `now` before the mint.
    pub current: u64,
    /// Amount requested.
    pub amount: u64,
    /// Configured threshold.
    pub threshold: u64,
}

impl BreakerConfig {
    /// True when the window is positive.
    pub fn is_valid(&self) -> bool {
        self.window_secs > 0
    }
}

/// The state's value decayed to `now`. A clock that moved backwards counts as no time elapsed.
pub fn decayed_value(cfg: &BreakerConfig, state: &BreakerState, now: i64) -> u64 {
    let elapsed = u64::try_from(now.saturating_sub(state.last_ts).max(0)).unwrap_or(u64::MAX);
    let remaining = cfg.window_secs.saturating_sub(elapsed);
    let v = u128::from(state.value)
        .saturating_mul(u128::from(remaining))
        .checked_div(u128::from(cfg.window_secs))
        .unwrap_or(0);
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// Record a mint of `amount` at `now`, returning the new state, or refuse it.
pub fn record_mint(
    cfg: &BreakerConfig,
    state: &BreakerState,
    now: i64,
    amount: u64,
) -> Result<BreakerState, BreakerTripped> {
    let current = decayed_value(cfg, state, now);
    match current.checked_add(amount) {
        Some(value) if value <= cfg.threshold => Ok(BreakerState {
            last_ts: now.max(state.last_ts),
            value,
        }),
        _ => Err(BreakerTripped {
            current,
            amount,
            threshold: cfg.threshold,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CFG: BreakerConfig = BreakerConfig {
        window_secs: 100,
        threshold: 1_000,
    };

    #[test]
    fn trips_within_window_and_recovers_by_decay() {
        let s = record_mint(&CFG, &BreakerState::default(), 1_000, 800).unwrap();
        let err = record_mint(&CFG, &s, 1_000, 201).unwrap_err();
        assert_eq!(err.current, 800);
        // Half the window later, the value has decayed to 400.
        assert_eq!(decayed_value(&CFG, &s, 1_050), 400);
        let s = record_mint(&CFG, &s, 1_050, 600).unwrap();
        assert_eq!(s.value, 1_000);
        // A full window later it is gone.
        assert_eq!(decayed_value(&CFG, &s, 1_150), 0);
        // A clock that moves backwards does not decay the value.
        assert_eq!(decayed_value(&CFG, &s, 900), 1_000);
        assert!(record_mint(&CFG, &s, 1_050, u64::MAX).is_err());
        assert!(!BreakerConfig {
            window_secs: 0,
            threshold: 1
        }
        .is_valid());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever the pattern of mints, the decayed value right after any accepted mint never
        /// exceeds the threshold, and a refused mint changes nothing.
        #[test]
        fn decayed_value_never_exceeds_threshold(steps in prop::collection::vec((0i64..60, 0u64..700), 1..50)) {
            let mut s = BreakerState::default();
            let mut now = 0i64;
            for (dt, amount) in steps {
                now += dt;
                match record_mint(&CFG, &s, now, amount) {
                    Ok(next) => s = next,
                    Err(e) => prop_assert!(e.current.saturating_add(amount) > CFG.threshold),
                }
                prop_assert!(decayed_value(&CFG, &s, now) <= CFG.threshold);
            }
        }
    }
}
