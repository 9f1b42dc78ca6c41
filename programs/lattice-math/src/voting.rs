//! Vote-escrow voting power (groundwork for governance, issue 7).
//!
//! A position locks `amount` main-token base units until `end` (cliff: the remaining time runs
//! down) or for a fixed `duration` that only starts running down once the owner unlocks it
//! (constant). Its voting power is
//!
//! ```text
//! power = amount × (baseline + max_extra × min(remaining, max_lock) / max_lock) / SCALE_BPS
//! ```
//!
//! with `remaining = end − now` for a cliff (0 once expired) and `remaining = duration` for a
//! constant lock. With the defaults (baseline 0, max_extra 100×, max_lock 4 years) this is the
//! reference network's 100× at four years with no baseline. Power is monotone in `amount` and in
//! `remaining`, never above `amount × (baseline + max_extra)`, and a cliff position's power falls
//! linearly to `amount × baseline` at expiry, which lets a sub-DAO keep its delegated total (the
//! V input) as `power at t₀ − fall_rate × (t − t₀)` between expiries.

/// Multipliers are in basis points of 1× (10 000 = 1×).
pub const SCALE_BPS: u128 = 10_000;

/// Lock kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockKind {
    /// Locked until `end`; power decays as the end approaches.
    Cliff {
        /// Unix seconds the lock ends.
        end: i64,
    },
    /// Locked for `duration` seconds from whenever the owner unlocks; power does not decay
    /// while locked.
    Constant {
        /// Seconds.
        duration: u64,
    },
}

/// Voting power parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VotingParams {
    /// Longest lock that counts, seconds (default 4 years).
    pub max_lock_secs: u64,
    /// Power per token of an unlocked-but-escrowed position, bps of 1× (default 0).
    pub baseline_bps: u32,
    /// Extra power per token at `max_lock_secs`, bps of 1× (default 100× = 1 000 000).
    pub max_extra_bps: u32,
}

impl Default for VotingParams {
    fn default() -> Self {
        Self {
            max_lock_secs: 4 * 365 * 86_400,
            baseline_bps: 0,
            max_extra_bps: 1_000_000,
        }
    }
}

impl VotingParams {
    /// Usable parameters: a positive maximum lock.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.max_lock_secs > 0
    }
}

/// Seconds of lock that count at `now`.
#[must_use]
pub fn remaining_secs(kind: LockKind, now: i64) -> u64 {
    match kind {
        LockKind::Cliff { end } => u64::try_from(end.saturating_sub(now)).unwrap_or(0),
        LockKind::Constant { duration } => duration,
    }
}

/// Voting power of `amount` locked as `kind` at `now` (0 for invalid parameters).
#[must_use]
pub fn voting_power(p: &VotingParams, amount: u64, kind: LockKind, now: i64) -> u128 {
    if !p.is_valid() {
        return 0;
    }
    let remaining = u128::from(remaining_secs(kind, now).min(p.max_lock_secs));
    let max = u128::from(p.max_lock_secs);
    let amount = u128::from(amount);
    let baseline = amount.saturating_mul(u128::from(p.baseline_bps));
    // amount × max_extra × remaining / max, with one rounding (down).
    let extra = amount
        .saturating_mul(u128::from(p.max_extra_bps))
        .saturating_mul(remaining)
        .checked_div(max)
        .unwrap_or(0);
    baseline
        .saturating_add(extra)
        .checked_div(SCALE_BPS)
        .unwrap_or(0)
}

/// How fast a cliff position's power falls while its remaining lock is below `max_lock_secs`,
/// in power units per second scaled by 10¹² (the sub-DAO's V bookkeeping subtracts
/// `fall_rate × Δt / 10¹²`). Constant positions do not fall (0).
#[must_use]
pub fn fall_rate_e12(p: &VotingParams, amount: u64, kind: LockKind) -> u128 {
    match kind {
        LockKind::Constant { .. } => 0,
        LockKind::Cliff { .. } => u128::from(amount)
            .saturating_mul(u128::from(p.max_extra_bps))
            .saturating_mul(1_000_000_000_000)
            .checked_div(u128::from(p.max_lock_secs).saturating_mul(SCALE_BPS))
            .unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const YEAR: i64 = 365 * 86_400;

    #[test]
    fn hundred_times_at_four_years_nothing_when_expired() {
        let p = VotingParams::default();
        assert_eq!(
            voting_power(&p, 1_000, LockKind::Cliff { end: 4 * YEAR }, 0),
            100_000
        );
        assert_eq!(
            voting_power(&p, 1_000, LockKind::Cliff { end: 8 * YEAR }, 0),
            100_000
        );
        assert_eq!(
            voting_power(&p, 1_000, LockKind::Cliff { end: YEAR }, 0),
            25_000
        );
        assert_eq!(
            voting_power(&p, 1_000, LockKind::Cliff { end: YEAR }, YEAR),
            0
        );
        assert_eq!(
            voting_power(&p, 1_000, LockKind::Cliff { end: YEAR }, 2 * YEAR),
            0
        );
        let c = LockKind::Constant {
            duration: 2 * YEAR as u64,
        };
        assert_eq!(voting_power(&p, 1_000, c, 0), 50_000);
        assert_eq!(voting_power(&p, 1_000, c, 10 * YEAR), 50_000);
        let with_baseline = VotingParams {
            baseline_bps: 10_000,
            ..p
        };
        assert_eq!(
            voting_power(&with_baseline, 1_000, LockKind::Cliff { end: 0 }, 5),
            1_000
        );
        assert_eq!(
            voting_power(
                &VotingParams {
                    max_lock_secs: 0,
                    ..p
                },
                1_000,
                c,
                0
            ),
            0
        );
    }

    #[test]
    fn fall_rate_matches_the_decay() {
        let p = VotingParams::default();
        let amount = 123_456_789;
        let kind = LockKind::Cliff { end: 3 * YEAR };
        let rate = fall_rate_e12(&p, amount, kind);
        let (t0, t1) = (0, YEAR);
        let fell = voting_power(&p, amount, kind, t0) - voting_power(&p, amount, kind, t1);
        let predicted = rate * u128::try_from(t1 - t0).unwrap() / 1_000_000_000_000;
        assert!(fell.abs_diff(predicted) <= 1, "{fell} vs {predicted}");
        assert_eq!(
            fall_rate_e12(&p, amount, LockKind::Constant { duration: 9 }),
            0
        );
    }

    proptest! {
        #[test]
        fn power_is_monotone_and_bounded(
            a in 0u64..u64::MAX / 2, b in 0u64..u64::MAX / 2,
            r1 in 0i64..10 * YEAR, r2 in 0i64..10 * YEAR,
            baseline in 0u32..50_000, extra in 0u32..2_000_000,
        ) {
            let p = VotingParams { baseline_bps: baseline, max_extra_bps: extra, ..VotingParams::default() };
            let (lo_a, hi_a) = (a.min(b), a.max(b));
            let (lo_r, hi_r) = (r1.min(r2), r1.max(r2));
            for kind_of in [|r: i64| LockKind::Cliff { end: r }, |r: i64| LockKind::Constant { duration: r as u64 }] {
                // Monotone in amount and in lock time.
                prop_assert!(voting_power(&p, lo_a, kind_of(hi_r), 0) <= voting_power(&p, hi_a, kind_of(hi_r), 0));
                prop_assert!(voting_power(&p, hi_a, kind_of(lo_r), 0) <= voting_power(&p, hi_a, kind_of(hi_r), 0));
                // Never above amount × (baseline + max_extra).
                let cap = u128::from(hi_a) * (u128::from(baseline) + u128::from(extra)) / SCALE_BPS;
                prop_assert!(voting_power(&p, hi_a, kind_of(hi_r), 0) <= cap);
            }
            // A cliff only loses power as time passes.
            let kind = LockKind::Cliff { end: hi_r };
            prop_assert!(voting_power(&p, hi_a, kind, lo_r) <= voting_power(&p, hi_a, kind, 0));
        }
    }
}
