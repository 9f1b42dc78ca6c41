//! Exact delegated voting power (the V input) for governance (issue 7, groundwork).
//!
//! Locks are hour-aligned. At the start of hour `h` a position's power, in exact integer units
//! (no division), is
//!
//! ```text
//! P(h) = amount × (baseline_bps × L + extra_bps × min(rem_h, L))      rem_h = end_h − h (≥ 0)
//! ```
//!
//! for a cliff lock ending at hour `end_h`, and the same with `rem_h = duration` (capped at `L`,
//! the longest lock in hours) for a constant lock. `P` is piecewise linear in `h`
//! ([`Piece`]: `flat + alpha − beta·h`), with at most three pieces (full power until the lock has
//! `L` hours left, then linear decay, then the baseline after expiry). A sub-DAO's
//! [`VeAggregate`] keeps the sums of the active pieces plus the scheduled piece changes by hour,
//! so `V(h)` is exactly `Σ P_pos(h)` over its delegated positions without visiting them.
//!
//! Magnitudes: `amount < 2^64`, `bps ≤ 2^21`, `L·end ≤ 2^40` (hours): every term is below 2^125.

use std::collections::BTreeMap;

/// Power parameters in hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VeParams {
    /// Longest lock that counts, hours (default 4 years = 35 040).
    pub max_lock_hours: u64,
    /// Power per token with nothing left locked, bps of 1× (default 0).
    pub baseline_bps: u32,
    /// Extra power per token at `max_lock_hours` left, bps of 1× (default 100×).
    pub extra_bps: u32,
}

impl Default for VeParams {
    fn default() -> Self {
        Self {
            max_lock_hours: 4 * 365 * 24,
            baseline_bps: 0,
            extra_bps: 1_000_000,
        }
    }
}

/// An hour-aligned lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HourLock {
    /// Locked until the start of `end_hour`; power decays over the last `L` hours.
    Cliff {
        /// First hour no longer locked.
        end_hour: u64,
    },
    /// Locked for `duration_hours` from whenever it is unlocked; power does not decay.
    Constant {
        /// Hours.
        duration_hours: u64,
    },
}

/// One linear piece of a power curve: `flat + alpha − beta·h` (never negative where active).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Piece {
    /// Constant part.
    pub flat: u128,
    /// Intercept of the decaying part.
    pub alpha: u128,
    /// Slope of the decaying part per hour.
    pub beta: u128,
}

impl Piece {
    /// Value at hour `h`.
    pub fn at(&self, h: u64) -> u128 {
        self.flat.saturating_add(
            self.alpha
                .saturating_sub(self.beta.saturating_mul(u128::from(h))),
        )
    }
}

/// Power of `amount` under `lock` at the start of hour `h`.
pub fn power_at(p: &VeParams, amount: u64, lock: HourLock, h: u64) -> u128 {
    let l = u128::from(p.max_lock_hours);
    let rem = match lock {
        HourLock::Cliff { end_hour } => end_hour.saturating_sub(h),
        HourLock::Constant { duration_hours } => duration_hours,
    };
    let per_token = u128::from(p.baseline_bps)
        .saturating_mul(l)
        .saturating_add(u128::from(p.extra_bps).saturating_mul(u128::from(rem).min(l)));
    u128::from(amount).saturating_mul(per_token)
}

/// The pieces of a position's curve from hour `from` on: `(start hour, piece)`, the first one
/// starting at `from`.
pub fn pieces(p: &VeParams, amount: u64, lock: HourLock, from: u64) -> Vec<(u64, Piece)> {
    let a = u128::from(amount);
    let l = u128::from(p.max_lock_hours);
    let base = a
        .saturating_mul(u128::from(p.baseline_bps))
        .saturating_mul(l);
    let extra = a.saturating_mul(u128::from(p.extra_bps));
    match lock {
        HourLock::Constant { duration_hours } => vec![(
            from,
            Piece {
                flat: base.saturating_add(extra.saturating_mul(u128::from(duration_hours).min(l))),
                ..Piece::default()
            },
        )],
        HourLock::Cliff { end_hour } => {
            let decay_from = end_hour.saturating_sub(p.max_lock_hours);
            let full = Piece {
                flat: base.saturating_add(extra.saturating_mul(l)),
                ..Piece::default()
            };
            let decaying = Piece {
                flat: base,
                alpha: extra.saturating_mul(u128::from(end_hour)),
                beta: extra,
            };
            let expired = Piece {
                flat: base,
                ..Piece::default()
            };
            let mut out = Vec::with_capacity(3);
            if from < decay_from {
                out.push((from, full));
                out.push((decay_from, decaying));
                out.push((end_hour, expired));
            } else if from < end_hour {
                out.push((from, decaying));
                out.push((end_hour, expired));
            } else {
                out.push((from, expired));
            }
            out
        }
    }
}

fn signed(x: u128) -> i128 {
    i128::try_from(x).unwrap_or(i128::MAX)
}

/// Signed change of the aggregate's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    /// Change of `flat`.
    pub flat: i128,
    /// Change of `alpha`.
    pub alpha: i128,
    /// Change of `beta`.
    pub beta: i128,
}

impl Delta {
    fn of(p: &Piece, sign: i128) -> Self {
        Self::between(&Piece::default(), p, sign)
    }

    fn between(from: &Piece, to: &Piece, sign: i128) -> Self {
        // Values stay below 2^125 (module docs), so they fit i128.
        let d = |a: u128, b: u128| sign.saturating_mul(signed(b).saturating_sub(signed(a)));
        Self {
            flat: d(from.flat, to.flat),
            alpha: d(from.alpha, to.alpha),
            beta: d(from.beta, to.beta),
        }
    }

    /// Adds `o` (saturating; sums stay within the documented magnitudes).
    pub fn add(&mut self, o: &Delta) {
        self.flat = self.flat.saturating_add(o.flat);
        self.alpha = self.alpha.saturating_add(o.alpha);
        self.beta = self.beta.saturating_add(o.beta);
    }

    /// True when nothing changes.
    pub fn is_zero(&self) -> bool {
        *self == Delta::default()
    }
}

/// The aggregate changes, by the hour they take effect, that start counting (`sign = 1`) or stop
/// counting (`sign = -1`) a position from hour `from` on: its first piece at `from`, then the
/// difference at each later piece boundary. At most three hours, in increasing order.
pub fn piece_deltas(
    p: &VeParams,
    amount: u64,
    lock: HourLock,
    from: u64,
    sign: i128,
) -> Vec<(u64, Delta)> {
    let ps = pieces(p, amount, lock, from);
    let mut out = Vec::with_capacity(ps.len());
    if let Some((at, first)) = ps.first() {
        out.push((*at, Delta::of(first, sign)));
    }
    for w in ps.windows(2) {
        out.push((w[1].0, Delta::between(&w[0].1, &w[1].1, sign)));
    }
    out
}

/// Why an aggregate change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VeError {
    /// Changes take effect from a later hour than the aggregate's (`from > hour`).
    PastHour,
    /// The sums would go negative: a removal of something never added.
    Underflow,
}

/// A sub-DAO's delegated power: the active sums at `hour` plus scheduled changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VeAggregate {
    /// The hour the sums describe.
    pub hour: u64,
    /// Σ flat.
    pub flat: i128,
    /// Σ alpha.
    pub alpha: i128,
    /// Σ beta.
    pub beta: i128,
    /// Changes by the hour they take effect (all later than `hour`).
    pub scheduled: BTreeMap<u64, Delta>,
}

impl VeAggregate {
    /// An empty aggregate at `hour`.
    pub fn new(hour: u64) -> Self {
        Self {
            hour,
            ..Self::default()
        }
    }

    fn schedule(&mut self, at: u64, d: Delta) {
        let e = self.scheduled.entry(at).or_default();
        e.add(&d);
        if e.is_zero() {
            self.scheduled.remove(&at);
        }
    }

    fn apply(
        &mut self,
        sign: i128,
        p: &VeParams,
        amount: u64,
        lock: HourLock,
        from: u64,
    ) -> Result<(), VeError> {
        if from <= self.hour {
            return Err(VeError::PastHour);
        }
        for (at, d) in piece_deltas(p, amount, lock, from, sign) {
            self.schedule(at, d);
        }
        Ok(())
    }

    /// Counts a position from hour `from` (> `hour`) on.
    ///
    /// # Errors
    /// [`VeError::PastHour`].
    pub fn add(
        &mut self,
        p: &VeParams,
        amount: u64,
        lock: HourLock,
        from: u64,
    ) -> Result<(), VeError> {
        self.apply(1, p, amount, lock, from)
    }

    /// Stops counting a position (added earlier with the same amount and lock) from hour
    /// `from` (> `hour`) on.
    ///
    /// # Errors
    /// [`VeError::PastHour`].
    pub fn remove(
        &mut self,
        p: &VeParams,
        amount: u64,
        lock: HourLock,
        from: u64,
    ) -> Result<(), VeError> {
        self.apply(-1, p, amount, lock, from)
    }

    /// Moves to hour `h` (≥ `hour`), applying every change scheduled up to it.
    ///
    /// # Errors
    /// [`VeError::PastHour`] for an earlier `h`, [`VeError::Underflow`] if a sum went negative.
    pub fn advance_to(&mut self, h: u64) -> Result<(), VeError> {
        if h < self.hour {
            return Err(VeError::PastHour);
        }
        let due: Vec<u64> = self.scheduled.range(..=h).map(|(k, _)| *k).collect();
        for k in due {
            if let Some(d) = self.scheduled.remove(&k) {
                self.flat = self.flat.saturating_add(d.flat);
                self.alpha = self.alpha.saturating_add(d.alpha);
                self.beta = self.beta.saturating_add(d.beta);
            }
        }
        self.hour = h;
        if self.flat < 0 || self.alpha < 0 || self.beta < 0 || self.value_signed() < 0 {
            return Err(VeError::Underflow);
        }
        Ok(())
    }

    fn value_signed(&self) -> i128 {
        self.flat
            .saturating_add(self.alpha)
            .saturating_sub(self.beta.saturating_mul(i128::from(self.hour)))
    }

    /// `V(hour)`: Σ of the counted positions' power at the start of `hour`.
    pub fn value(&self) -> u128 {
        u128::try_from(self.value_signed()).unwrap_or(0)
    }
}

/// Reward rates are `r_h = ⌊slice_h · 2^RATE_SHIFT / V(h)⌋`.
pub const RATE_SHIFT: u32 = 64;

/// Hour `h`'s reward rate for a delegator slice `slice` over delegated power `v` (0 when
/// nothing is delegated: the slice stays in the pool).
pub fn hour_rate(slice: u64, v: u128) -> u128 {
    // slice < 2^64, so slice · 2^64 < 2^128.
    (u128::from(slice) << RATE_SHIFT)
        .checked_div(v)
        .unwrap_or(0)
}

/// Cumulative rates before an hour `x`: `r0 = Σ_{k<x} r_k`, `r1 = Σ_{k<x} k·r_k`. A sub-DAO
/// stores one per hour; a position's reward over any hour range then needs only the cursors at
/// the range's ends and its curve's piece boundaries (at most four), however long the range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RewardCursor {
    /// Σ r_k.
    pub r0: crate::wide::U256,
    /// Σ k·r_k.
    pub r1: crate::wide::U256,
}

impl RewardCursor {
    /// The cursor after hour `h` with rate `rate`.
    pub fn after_hour(&self, h: u64, rate: u128) -> Option<Self> {
        use crate::wide::U256;
        Some(Self {
            r0: self.r0.checked_add(U256::from_u128(rate))?,
            r1: self.r1.checked_add(U256::mul_u128(rate, u128::from(h)))?,
        })
    }
}

/// `Σ_{k∈[a,b)} piece(k)·r_k` (unshifted) from the cursors at `a` and `b`:
/// `(flat + alpha)·Δr0 − beta·Δr1`.
pub fn piece_reward(
    piece: &Piece,
    at_a: &RewardCursor,
    at_b: &RewardCursor,
) -> Option<crate::wide::U256> {
    let d0 = at_b.r0.checked_sub(at_a.r0)?;
    let d1 = at_b.r1.checked_sub(at_a.r1)?;
    d0.checked_mul_u128(piece.flat.checked_add(piece.alpha)?)?
        .checked_sub(d1.checked_mul_u128(piece.beta)?)
}

/// A position's reward for hours `[a, b)` (counted from `a`), given the sub-DAO's cursor at any
/// hour: the sum over its curve's pieces, shifted down once (so it never exceeds its exact
/// share). `None` on arithmetic overflow (not reachable within the documented magnitudes).
pub fn position_reward(
    p: &VeParams,
    amount: u64,
    lock: HourLock,
    a: u64,
    b: u64,
    cursor_at: impl Fn(u64) -> RewardCursor,
) -> Option<u128> {
    use crate::wide::U256;
    if b <= a {
        return Some(0);
    }
    let ps = pieces(p, amount, lock, a);
    let mut total = U256::ZERO;
    for (i, (start, piece)) in ps.iter().enumerate() {
        if *start >= b {
            break;
        }
        let end = ps.get(i.wrapping_add(1)).map_or(b, |(s, _)| (*s).min(b));
        total = total.checked_add(piece_reward(piece, &cursor_at(*start), &cursor_at(end))?)?;
    }
    total.shift_right(RATE_SHIFT).to_u128()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn curve_shapes() {
        let p = VeParams {
            max_lock_hours: 100,
            baseline_bps: 10,
            extra_bps: 1_000,
        };
        let cliff = HourLock::Cliff { end_hour: 300 };
        // Full power until 100 hours are left, then linear, then the baseline.
        assert_eq!(power_at(&p, 2, cliff, 0), 2 * (10 * 100 + 1_000 * 100));
        assert_eq!(power_at(&p, 2, cliff, 200), 2 * (10 * 100 + 1_000 * 100));
        assert_eq!(power_at(&p, 2, cliff, 250), 2 * (10 * 100 + 1_000 * 50));
        assert_eq!(power_at(&p, 2, cliff, 300), 2 * 10 * 100);
        assert_eq!(power_at(&p, 2, cliff, 9_999), 2 * 10 * 100);
        let c = HourLock::Constant { duration_hours: 40 };
        assert_eq!(power_at(&p, 3, c, 12_345), 3 * (10 * 100 + 1_000 * 40));
        for from in [0, 150, 200, 250, 300, 400] {
            let ps = pieces(&p, 2, cliff, from);
            assert_eq!(ps[0].0, from);
            for h in from..from + 300 {
                let piece = ps.iter().rev().find(|(s, _)| *s <= h).unwrap().1;
                assert_eq!(piece.at(h), power_at(&p, 2, cliff, h), "from {from} h {h}");
            }
        }
    }

    #[test]
    fn defaults_are_100x_at_four_years() {
        let p = VeParams::default();
        let l = u128::from(p.max_lock_hours);
        assert_eq!(
            power_at(
                &p,
                1,
                HourLock::Constant {
                    duration_hours: 35_040
                },
                0
            ),
            1_000_000 * l
        );
        assert_eq!(power_at(&p, 1, HourLock::Cliff { end_hour: 10 }, 10), 0);
    }

    #[test]
    fn refusals() {
        let p = VeParams::default();
        let mut v = VeAggregate::new(10);
        let lock = HourLock::Cliff { end_hour: 100 };
        assert_eq!(v.add(&p, 1, lock, 10), Err(VeError::PastHour));
        assert_eq!(v.advance_to(9), Err(VeError::PastHour));
        v.remove(&p, 1, lock, 11).unwrap();
        assert_eq!(v.advance_to(11), Err(VeError::Underflow));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Lock { amount: u64, cliff: bool, len: u64 },
        Delegate(usize),
        Undelegate(usize),
        Extend(usize, u64),
        Advance(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1u64..u64::MAX / 4, any::<bool>(), 0u64..50_000)
                .prop_map(|(amount, cliff, len)| Op::Lock { amount, cliff, len }),
            (0usize..8).prop_map(Op::Delegate),
            (0usize..8).prop_map(Op::Undelegate),
            ((0usize..8), 0u64..50_000).prop_map(|(i, by)| Op::Extend(i, by)),
            (1u64..30_000).prop_map(Op::Advance),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// V(h) equals the sum over delegated positions at every hour, under random lock,
        /// delegate, extend (change), undelegate and expiry sequences.
        #[test]
        fn aggregate_equals_the_sum_over_positions(ops in prop::collection::vec(op(), 1..60), small in any::<bool>()) {
            let p = if small {
                VeParams { max_lock_hours: 500, baseline_bps: 7, extra_bps: 3_000 }
            } else {
                VeParams::default()
            };
            let mut v = VeAggregate::new(1_000);
            // (amount, lock, delegated_from) per position.
            let mut positions: Vec<(u64, HourLock, Option<u64>)> = Vec::new();
            for o in ops {
                let next = v.hour + 1;
                match o {
                    Op::Lock { amount, cliff, len } => {
                        let lock = if cliff {
                            HourLock::Cliff { end_hour: v.hour + len }
                        } else {
                            HourLock::Constant { duration_hours: len }
                        };
                        positions.push((amount, lock, None));
                    }
                    Op::Delegate(i) => {
                        if let Some(pos) = positions.get_mut(i) {
                            if pos.2.is_none() {
                                v.add(&p, pos.0, pos.1, next).unwrap();
                                pos.2 = Some(next);
                            }
                        }
                    }
                    Op::Undelegate(i) => {
                        if let Some(pos) = positions.get_mut(i) {
                            if pos.2.is_some() {
                                v.remove(&p, pos.0, pos.1, next).unwrap();
                                pos.2 = None;
                            }
                        }
                    }
                    Op::Extend(i, by) => {
                        if let Some(pos) = positions.get_mut(i) {
                            let new_lock = match pos.1 {
                                HourLock::Cliff { end_hour } => HourLock::Cliff { end_hour: end_hour.max(next) + by },
                                HourLock::Constant { duration_hours } => HourLock::Constant { duration_hours: duration_hours + by },
                            };
                            if pos.2.is_some() {
                                v.remove(&p, pos.0, pos.1, next).unwrap();
                                v.add(&p, pos.0, new_lock, next).unwrap();
                            }
                            pos.1 = new_lock;
                        }
                    }
                    Op::Advance(by) => {
                        // Check every hour of short steps, and the end of long ones.
                        let target = v.hour + by;
                        let step = if by <= 50 { 1 } else { by };
                        let mut h = v.hour;
                        while h < target {
                            h = (h + step).min(target);
                            v.advance_to(h).unwrap();
                            let expected: u128 = positions
                                .iter()
                                .filter(|(_, _, from)| from.is_some_and(|f| f <= h))
                                .map(|(a, l, _)| power_at(&p, *a, *l, h))
                                .sum();
                            prop_assert_eq!(v.value(), expected, "hour {}", h);
                        }
                    }
                }
            }
        }

        /// Staker claims: each equals the brute-force `⌊Σ_h P(h)·r_h / 2^64⌋`, and all claims of
        /// the run never exceed the delegator slices paid into the pool.
        #[test]
        fn claims_match_brute_force_and_never_exceed_the_slices(
            positions in prop::collection::vec((1u64..u64::MAX / 4, any::<bool>(), 0u64..80, 0u64..40, 0u64..40), 1..8),
            slices in prop::collection::vec(0u64..u64::MAX / 2, 40),
            small in any::<bool>(),
        ) {
            use crate::wide::U256;
            let p = if small {
                VeParams { max_lock_hours: 20, baseline_bps: 3, extra_bps: 500 }
            } else {
                VeParams::default()
            };
            let hours = slices.len() as u64;
            // (amount, lock, [from, to)) delegated ranges.
            let ps: Vec<(u64, HourLock, u64, u64)> = positions
                .into_iter()
                .map(|(amount, cliff, len, x, y)| {
                    let lock = if cliff { HourLock::Cliff { end_hour: len } } else { HourLock::Constant { duration_hours: len } };
                    (amount, lock, x.min(y), x.max(y))
                })
                .collect();
            let mut cursors = vec![RewardCursor::default()];
            let mut rates = Vec::new();
            for h in 0..hours {
                let v: u128 = ps.iter().filter(|q| q.2 <= h && h < q.3).map(|q| power_at(&p, q.0, q.1, h)).sum();
                let r = hour_rate(slices[h as usize], v);
                rates.push(r);
                let next = cursors[h as usize].after_hour(h, r).unwrap();
                cursors.push(next);
            }
            let mut claimed: u128 = 0;
            for q in &ps {
                let got = position_reward(&p, q.0, q.1, q.2, q.3, |x| cursors[x as usize]).unwrap();
                let mut exact = U256::ZERO;
                for h in q.2..q.3 {
                    exact = exact.checked_add(U256::mul_u128(power_at(&p, q.0, q.1, h), rates[h as usize])).unwrap();
                }
                prop_assert_eq!(got, exact.shift_right(RATE_SHIFT).to_u128().unwrap());
                claimed += got;
            }
            let paid: u128 = slices.iter().map(|s| u128::from(*s)).sum();
            prop_assert!(claimed <= paid, "{claimed} > {paid}");
        }

        /// Power is monotone in the amount and in the time left.
        #[test]
        fn power_is_monotone(a in 0u64..u64::MAX / 2, more in 0u64..1_000, end in 0u64..100_000, h in 0u64..100_000, ext in 0u64..1_000) {
            let p = VeParams::default();
            let lock = HourLock::Cliff { end_hour: end };
            prop_assert!(power_at(&p, a + more, lock, h) >= power_at(&p, a, lock, h));
            let longer = HourLock::Cliff { end_hour: end + ext };
            prop_assert!(power_at(&p, a, longer, h) >= power_at(&p, a, lock, h));
            prop_assert!(power_at(&p, a, lock, h) >= power_at(&p, a, lock, h + 1));
        }
    }
}
