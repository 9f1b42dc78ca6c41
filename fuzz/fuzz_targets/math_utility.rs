//! Utility scores and the exact split of an hour's emission (`lattice_math::utility`).
//!
//! Invariants: one score per sub-DAO; scores sum to at most `SCALE` (all equal when no input is
//! live; 0 for a sub-DAO with no live input); `split_exact` returns one part per weight and the
//! parts sum exactly to the total; the delegator split sums to the part.
//!
//! `split_exact`'s exactness is asserted where `total × Σweights` fits a `u128` (see the README:
//! beyond that the function does not keep its contract; the DAO only ever passes utility scores,
//! each at most `SCALE`). Set `LATTICE_FUZZ_STRICT_SPLIT=1` to assert it for every input.
#![no_main]

use lattice_math::utility::{
    split_delegators, split_exact, utility_scores, UtilityInputs, UtilityWeights, SCALE,
};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    raw_weights: bool,
    ve_bps: u16,
    dc_bps: u16,
    devices_bps: u16,
    inputs: Vec<(u128, u64, u64)>,
    /// Keep ve_delegated within the documented magnitude (< 2^125).
    bounded_ve: bool,
    total: u64,
    raw_split: Vec<u128>,
    delegator_bps: u16,
}

fuzz_target!(|inp: Input| {
    let weights = if inp.raw_weights {
        UtilityWeights { ve_bps: inp.ve_bps, dc_bps: inp.dc_bps, devices_bps: inp.devices_bps }
    } else {
        let ve = inp.ve_bps % 10_001;
        let dc = inp.dc_bps % (10_001 - ve);
        UtilityWeights { ve_bps: ve, dc_bps: dc, devices_bps: 10_000 - ve - dc }
    };
    if !inp.raw_weights {
        assert!(weights.is_valid());
    }
    let inputs: Vec<UtilityInputs> = inp
        .inputs
        .iter()
        .take(32)
        .map(|&(ve, dc, dev)| UtilityInputs {
            ve_delegated: if inp.bounded_ve { ve >> 3 } else { ve },
            dc_burned: dc,
            active_devices: dev,
        })
        .collect();
    let scores = utility_scores(&weights, &inputs);
    assert_eq!(scores.len(), inputs.len());
    let sum = scores.iter().fold(0u128, |a, s| a.checked_add(*s).expect("score sum overflows"));
    assert!(sum <= SCALE, "scores sum to {sum} > SCALE: {weights:?} {inputs:?}");
    let live = |w: u16, f: fn(&UtilityInputs) -> u128| w > 0 && inputs.iter().any(|i| f(i) > 0);
    let any_live = live(weights.ve_bps, |i| i.ve_delegated)
        || live(weights.dc_bps, |i| u128::from(i.dc_burned))
        || live(weights.devices_bps, |i| u128::from(i.active_devices));
    if !any_live && !inputs.is_empty() {
        let equal = SCALE / inputs.len() as u128;
        assert!(scores.iter().all(|s| *s == equal), "{scores:?}");
    }
    if any_live {
        for (i, s) in inputs.iter().zip(&scores) {
            if *i == UtilityInputs::default() {
                assert_eq!(*s, 0, "a sub-DAO with no input scored");
            }
        }
    }

    // The DAO's split: by the scores, as issue_hour does.
    check_split(inp.total, &scores);
    // Arbitrary weights.
    let raw: Vec<u128> = inp.raw_split.iter().take(64).copied().collect();
    check_split(inp.total, &raw);

    let (d, t) = split_delegators(inp.total, inp.delegator_bps);
    assert_eq!(d.checked_add(t), Some(inp.total));
    if inp.delegator_bps >= 10_000 {
        assert_eq!(t, 0);
    }
    assert_eq!(u128::from(d), u128::from(inp.total) * u128::from(inp.delegator_bps.min(10_000)) / 10_000);
});

fn check_split(total: u64, weights: &[u128]) {
    let parts = split_exact(total, weights);
    assert_eq!(parts.len(), weights.len());
    if weights.is_empty() {
        return;
    }
    static STRICT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let strict = *STRICT.get_or_init(|| std::env::var_os("LATTICE_FUZZ_STRICT_SPLIT").is_some());
    let wsum = weights.iter().try_fold(0u128, |a, w| a.checked_add(*w));
    let in_domain = wsum.is_some_and(|s| u128::from(total).checked_mul(s).is_some());
    if !in_domain && !strict {
        return; // outside the contract, see the module docs
    }
    let wsum = wsum.unwrap_or(u128::MAX);
    let sum = parts.iter().fold(0u128, |a, p| a + u128::from(*p));
    assert_eq!(sum, u128::from(total), "split of {total} by {weights:?} gave {parts:?}");
    // Each part is within one unit of its exact share (when the product fits).
    for (p, w) in parts.iter().zip(weights) {
        let (num, den) = if wsum == 0 { (u128::from(total), weights.len() as u128) } else {
            match u128::from(total).checked_mul(*w) { Some(n) => (n, wsum), None => continue }
        };
        let floor = num / den;
        let p = u128::from(*p);
        assert!(p == floor || p == floor + 1, "part {p} vs exact share {num}/{den}");
    }
}
