//! The utility score and the exact split of an hour's emission.
//!
//! Each sub-DAO reports three inputs for an hour: delegated vote-escrow power `V`, data credits
//! burned `D` and active devices `A`. The score of sub-DAO `i` is a weighted sum of its share of
//! each input across all sub-DAOs:
//!
//! ```text
//! score_i = Σ_k weight_k × input_{k,i} / Σ_j input_{k,j}     (k ∈ {V, D, A}, fixed point 10^12)
//! ```
//!
//! An input that is zero for every sub-DAO carries no information and is dropped (its weight goes
//! to the remaining inputs); with no inputs at all every sub-DAO scores the same. Unlike a pure
//! product such as `V × √D × ⁴√A`, a sub-DAO with no burn yet still earns from its stake and devices,
//! which matters while a network bootstraps.
//!
//! [`split_exact`] turns scores into integer parts that sum **exactly** to the total (largest
//! remainder method, ties to the lowest index).

/// Fixed-point scale of a score (a score of `SCALE` means 100%).
pub const SCALE: u128 = 1_000_000_000_000;

/// How much each input counts, in basis points. The three weights sum to 10_000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtilityWeights {
    /// Weight of delegated vote-escrow power.
    pub ve_bps: u16,
    /// Weight of data credits burned.
    pub dc_bps: u16,
    /// Weight of active devices.
    pub devices_bps: u16,
}

impl UtilityWeights {
    /// True when the weights sum to exactly 10_000 bps.
    pub fn is_valid(&self) -> bool {
        u64::from(self.ve_bps)
            .saturating_add(u64::from(self.dc_bps))
            .saturating_add(u64::from(self.devices_bps))
            == crate::BPS
    }
}

/// One sub-DAO's inputs for one hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UtilityInputs {
    /// Vote-escrow power delegated to the sub-DAO (voting-power units).
    pub ve_delegated: u128,
    /// Data credits burned for the sub-DAO's usage in the hour (DC).
    pub dc_burned: u64,
    /// Devices active in the hour (count).
    pub active_devices: u64,
}

/// Reads one input column from a sub-DAO's inputs.
type Column = fn(&UtilityInputs) -> u128;

/// Scores (fixed point, [`SCALE`] = 100%) for each sub-DAO, in the order given.
///
/// The scores sum to at most `SCALE` (floor rounding) and are all equal when no input is non-zero.
pub fn utility_scores(weights: &UtilityWeights, inputs: &[UtilityInputs]) -> Vec<u128> {
    let columns: [(u16, Column); 3] = [
        (weights.ve_bps, |i| i.ve_delegated),
        (weights.dc_bps, |i| u128::from(i.dc_burned)),
        (weights.devices_bps, |i| u128::from(i.active_devices)),
    ];
    let live: Vec<(u128, u128, Column)> = columns
        .iter()
        .map(|(w, f)| {
            let total = inputs.iter().fold(0u128, |acc, i| acc.saturating_add(f(i)));
            (u128::from(*w), total, *f)
        })
        .filter(|(w, total, _)| *w > 0 && *total > 0)
        .collect();
    let live_weight = live
        .iter()
        .fold(0u128, |acc, (w, _, _)| acc.saturating_add(*w));
    if live_weight == 0 {
        let n = u128::try_from(inputs.len()).unwrap_or(u128::MAX);
        let equal = SCALE.checked_div(n).unwrap_or(0);
        return vec![equal; inputs.len()];
    }
    inputs
        .iter()
        .map(|input| {
            live.iter().fold(0u128, |acc, (w, total, f)| {
                // share of this input in SCALE units, weighted by w / live_weight
                let share = f(input)
                    .saturating_mul(SCALE)
                    .checked_div(*total)
                    .unwrap_or(0);
                acc.saturating_add(
                    share
                        .saturating_mul(*w)
                        .checked_div(live_weight)
                        .unwrap_or(0),
                )
            })
        })
        .collect()
}

/// Split `total` into integer parts proportional to `weights`, summing exactly to `total`.
///
/// Each part is `floor(total × w_i / Σw)`; the remaining units (fewer than the number of parts)
/// go one each to the parts with the largest fractional remainders, ties to the lowest index. With
/// all-zero (or no) weights the split is equal. An empty `weights` yields no parts.
pub fn split_exact(total: u64, weights: &[u128]) -> Vec<u64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum = weights.iter().fold(0u128, |acc, w| acc.saturating_add(*w));
    let equal;
    let (weights, sum) = if sum == 0 {
        equal = vec![1u128; weights.len()];
        let n = u128::try_from(equal.len()).unwrap_or(u128::MAX);
        (equal.as_slice(), n)
    } else {
        (weights, sum)
    };
    let total_wide = u128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let num = total_wide.saturating_mul(*w);
        let part = num.checked_div(sum).unwrap_or(0);
        let rem = num.checked_rem(sum).unwrap_or(0);
        parts.push(u64::try_from(part).unwrap_or(u64::MAX));
        remainders.push((rem, i));
    }
    let assigned = parts.iter().fold(0u64, |acc, p| acc.saturating_add(*p));
    let mut left = total.saturating_sub(assigned);
    // Largest remainder first; ties broken by lowest index.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        if let Some(p) = parts.get_mut(i) {
            *p = p.saturating_add(1);
            left = left.saturating_sub(1);
        }
    }
    parts
}

/// Split a sub-DAO's part into `(delegator_slice, treasury_slice)`.
///
/// `delegator = floor(part × delegator_bps / 10_000)`, `treasury = part − delegator`, so the two
/// always sum to `part`. `delegator_bps` above 10_000 is treated as 10_000.
pub fn split_delegators(part: u64, delegator_bps: u16) -> (u64, u64) {
    let bps = u128::from(delegator_bps).min(u128::from(crate::BPS));
    let delegators = u128::from(part)
        .saturating_mul(bps)
        .checked_div(u128::from(crate::BPS))
        .unwrap_or(0);
    let delegators = u64::try_from(delegators).unwrap_or(part).min(part);
    (delegators, part.saturating_sub(delegators))
}

#[cfg(test)]
mod tests;
