use super::*;
use proptest::prelude::*;

const W: UtilityWeights = UtilityWeights {
    ve_bps: 4_000,
    dc_bps: 4_000,
    devices_bps: 2_000,
};

#[test]
fn no_inputs_means_equal_scores() {
    let scores = utility_scores(&W, &[UtilityInputs::default(); 2]);
    assert_eq!(scores, vec![SCALE / 2, SCALE / 2]);
    assert_eq!(split_exact(11, &scores), vec![6, 5]);
}

#[test]
fn dropped_inputs_give_their_weight_to_the_rest() {
    // Only devices are non-zero: the split follows devices alone.
    let a = UtilityInputs {
        active_devices: 3,
        ..Default::default()
    };
    let b = UtilityInputs {
        active_devices: 1,
        ..Default::default()
    };
    let scores = utility_scores(&W, &[a, b]);
    assert_eq!(scores, vec![SCALE * 3 / 4, SCALE / 4]);
}

#[test]
fn weighted_mix() {
    let a = UtilityInputs {
        ve_delegated: 100,
        dc_burned: 0,
        active_devices: 1,
    };
    let b = UtilityInputs {
        ve_delegated: 0,
        dc_burned: 50,
        active_devices: 1,
    };
    let s = utility_scores(&W, &[a, b]);
    // a: 0.4 × 1 + 0 + 0.2 × 0.5 = 0.5 ; b: 0 + 0.4 × 1 + 0.2 × 0.5 = 0.5
    assert_eq!(s, vec![SCALE / 2, SCALE / 2]);
    assert!(W.is_valid());
    assert!(!UtilityWeights {
        ve_bps: 1,
        dc_bps: 1,
        devices_bps: 1
    }
    .is_valid());
}

#[test]
fn split_rules() {
    assert_eq!(split_exact(10, &[]), Vec::<u64>::new());
    assert_eq!(split_exact(10, &[0, 0, 0]), vec![4, 3, 3]);
    assert_eq!(split_exact(10, &[1, 2]), vec![3, 7]);
    assert_eq!(
        split_exact(u64::MAX, &[1, 1]),
        vec![u64::MAX / 2 + 1, u64::MAX / 2]
    );
    assert_eq!(split_delegators(1_001, 2_500), (250, 751));
    assert_eq!(split_delegators(5, 20_000), (5, 0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// Parts always sum exactly to the total, and no part exceeds its exact share by a unit.
    #[test]
    fn split_is_exact(total in any::<u64>(), weights in prop::collection::vec(0u128..=SCALE, 1..8)) {
        let parts = split_exact(total, &weights);
        prop_assert_eq!(parts.len(), weights.len());
        let sum: u128 = parts.iter().map(|p| u128::from(*p)).sum();
        prop_assert_eq!(sum, u128::from(total));
        let wsum: u128 = weights.iter().sum();
        if wsum > 0 {
            for (p, w) in parts.iter().zip(&weights) {
                let exact_floor = u128::from(total) * w / wsum;
                prop_assert!(u128::from(*p) == exact_floor || u128::from(*p) == exact_floor + 1);
            }
        }
    }

    /// Scores never sum above 100% and the delegator split is exact.
    #[test]
    fn scores_bounded(inputs in prop::collection::vec((any::<u64>(), any::<u64>(), any::<u64>()), 1..6),
                      part in any::<u64>(), bps in 0u16..=10_000) {
        let inputs: Vec<UtilityInputs> = inputs
            .into_iter()
            .map(|(v, d, a)| UtilityInputs { ve_delegated: u128::from(v), dc_burned: d, active_devices: a })
            .collect();
        let scores = utility_scores(&W, &inputs);
        prop_assert!(scores.iter().sum::<u128>() <= SCALE);
        let (d, t) = split_delegators(part, bps);
        prop_assert_eq!(u128::from(d) + u128::from(t), u128::from(part));
    }
}
