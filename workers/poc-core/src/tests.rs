//! Unit tests: every rule accepts at its boundary and rejects just past it.

use super::*;
use h3o::Resolution;
use proptest::prelude::*;

const RES12: Resolution = Resolution::Twelve;

fn cell_at(lat: f64, lng: f64, res: Resolution) -> u64 {
    u64::from(LatLng::new(lat, lng).unwrap().to_cell(res))
}

/// A res-12 cell in San Francisco.
fn base() -> u64 {
    cell_at(37.7749, -122.4194, RES12)
}

/// Some cell exactly `k` grid steps from `origin`.
fn cell_at_grid_distance(origin: u64, k: u32) -> u64 {
    let o = CellIndex::try_from(origin).unwrap();
    let (c, _) = o
        .grid_disk_distances::<Vec<_>>(k)
        .into_iter()
        .find(|&(_, d)| d == k)
        .unwrap();
    u64::from(c)
}

fn pos(cell: u64) -> Position {
    Position {
        cell,
        gain_dbi_x10: 12,
        elevation_m: 5,
    }
}

const BEACONER: Key = [1; 32];
const WITNESS: Key = [2; 32];

fn beacon() -> Beacon {
    Beacon {
        beaconer: BEACONER,
        entropy: [9; 32],
        entropy_hour: 100,
        frequency_hz: 904_300_000,
        tx_power_dbm: 27.0,
        timestamp_ms: 360_000_000,
        region: Region::US915,
    }
}

fn witness() -> Witness {
    Witness {
        witness: WITNESS,
        rssi_dbm: -80.0,
        snr_db: 5.5,
        frequency_hz: 904_300_000,
        timestamp_ms: 360_000_050,
        region: Region::US915,
    }
}

// ---- entropy -------------------------------------------------------------------------------

#[test]
fn entropy_accepts_report_hour_and_window_edge() {
    assert_eq!(check_entropy(100, 100, 1), Ok(()));
    assert_eq!(check_entropy(99, 100, 1), Ok(()));
}

#[test]
fn entropy_rejects_just_past_window_as_stale() {
    assert_eq!(check_entropy(98, 100, 1), Err(RejectReason::StaleEntropy));
    assert_eq!(check_entropy(97, 100, 3), Ok(()));
    assert_eq!(check_entropy(96, 100, 3), Err(RejectReason::StaleEntropy));
}

#[test]
fn entropy_rejects_next_hour_as_future() {
    assert_eq!(check_entropy(101, 100, 1), Err(RejectReason::FutureEntropy));
}

#[test]
fn entropy_window_zero_and_hour_zero_do_not_underflow() {
    assert_eq!(check_entropy(100, 100, 0), Ok(()));
    assert_eq!(check_entropy(99, 100, 0), Err(RejectReason::StaleEntropy));
    assert_eq!(check_entropy(0, 0, 5), Ok(()));
    assert_eq!(check_entropy(0, 3, u64::MAX), Ok(()));
}

// ---- location ------------------------------------------------------------------------------

#[test]
fn location_present_and_valid_is_accepted() {
    assert_eq!(check_location(Some(pos(base()))), Ok(()));
}

#[test]
fn location_missing_is_rejected() {
    assert_eq!(check_location(None), Err(RejectReason::MissingLocation));
}

#[test]
fn location_invalid_cell_is_rejected() {
    assert_eq!(
        check_location(Some(pos(0))),
        Err(RejectReason::InvalidLocation)
    );
}

// ---- H3 grid distance ----------------------------------------------------------------------

#[test]
fn h3_distance_accepts_exactly_min() {
    let a = base();
    let b = cell_at_grid_distance(a, 8);
    assert_eq!(h3_grid_distance(a, b), Ok(8));
    assert_eq!(check_h3_distance(a, b, 8), Ok(()));
}

#[test]
fn h3_distance_rejects_one_step_short() {
    let a = base();
    let b = cell_at_grid_distance(a, 7);
    assert_eq!(check_h3_distance(a, b, 8), Err(RejectReason::TooCloseH3));
    assert_eq!(check_h3_distance(a, a, 1), Err(RejectReason::TooCloseH3));
    assert_eq!(check_h3_distance(a, a, 0), Ok(()));
}

#[test]
fn h3_distance_rejects_resolution_mismatch() {
    let a = base();
    let b = cell_at(37.7749, -122.4194, Resolution::Eleven);
    assert_eq!(
        check_h3_distance(a, b, 0),
        Err(RejectReason::ResolutionMismatch)
    );
}

#[test]
fn h3_distance_rejects_invalid_cell() {
    assert_eq!(
        check_h3_distance(base(), 0, 0),
        Err(RejectReason::InvalidLocation)
    );
}

#[test]
fn h3_distance_passes_far_pairs_h3o_cannot_measure() {
    // Opposite sides of the globe: no local IJ coordinate system spans them, but they are
    // certainly more than any minimum apart.
    let a = cell_at(37.7749, -122.4194, Resolution::Five);
    let b = cell_at(-37.7749, 57.5806, Resolution::Five);
    assert_eq!(
        h3_grid_distance(a, b),
        Err(RejectReason::H3DistanceUnavailable)
    );
    assert_eq!(check_h3_distance(a, b, 0), Ok(()));
    assert_eq!(check_h3_distance(a, b, 100), Ok(()));
    // Res-12 cells 2.4 km apart (about 110 steps) on different icosahedron faces: h3o cannot
    // measure them, yet they are an honest long-range witness pair.
    let (a, b) = (633_037_222_630_321_663, 633_037_222_700_406_271);
    assert!((2.3..2.4).contains(&distance_km(a, b).unwrap()));
    assert_eq!(
        h3_grid_distance(a, b),
        Err(RejectReason::H3DistanceUnavailable)
    );
    assert_eq!(check_h3_distance(a, b, 8), Ok(()));
    // ...but not more than it could be: the bound does not prove 200 steps.
    assert_eq!(
        check_h3_distance(a, b, 200),
        Err(RejectReason::H3DistanceUnavailable)
    );
}

#[test]
fn h3_distance_unavailable_for_close_pairs_across_a_pentagon() {
    // Res-10 cells ~0.22 km (about 3 steps) apart next to a pentagon: too close for the bound
    // to decide, and h3o cannot measure them.
    let a = 621_637_486_065_614_847;
    let b = 621_637_486_067_122_175;
    assert!(distance_km(a, b).unwrap() < 0.3);
    assert_eq!(
        check_h3_distance(a, b, 8),
        Err(RejectReason::H3DistanceUnavailable)
    );
}

#[test]
fn neighbour_spacing_bound_holds() {
    // Neighbouring centres are at most NEIGHBOUR_SPACING_EDGES average edges apart, over random
    // cells and every pentagon's neighbourhood, at every resolution (measured maximum ~1.91).
    let pentagons: Vec<CellIndex> = CellIndex::base_cells()
        .filter(|c| c.is_pentagon())
        .collect();
    let mut worst: f64 = 0.0;
    for r in 0..=15u8 {
        let res = Resolution::try_from(r).unwrap();
        let mut cells: Vec<CellIndex> = (0..400u32)
            .map(|i| {
                let lat = (f64::from(i) * 0.618_034).fract() * 178.0 - 89.0;
                let lng = (f64::from(i) * 0.414_214).fract() * 358.0 - 179.0;
                LatLng::new(lat, lng).unwrap().to_cell(res)
            })
            .collect();
        for p in &pentagons {
            cells.extend(p.center_child(res).unwrap().grid_disk::<Vec<_>>(2));
        }
        for c in cells {
            let centre = LatLng::from(c);
            for n in c.grid_disk::<Vec<_>>(1) {
                let ratio = centre.distance_km(LatLng::from(n)) / res.edge_length_km();
                worst = worst.max(ratio);
            }
        }
    }
    assert!(worst < NEIGHBOUR_SPACING_EDGES, "{worst}");
    assert!(worst > 1.7, "{worst}");
}

proptest! {
    /// Wherever h3o measures `k` steps, the centres are at most `k` bounds apart: a pair the
    /// bound lets through could never have been measured closer than the minimum.
    #[test]
    fn prop_grid_distance_respects_the_spacing_bound(
        lat in -80.0f64..80.0,
        lng in -179.0f64..179.0,
        dlat in -0.05f64..0.05,
        dlng in -0.05f64..0.05,
        r in 6u8..=13,
    ) {
        let res = Resolution::try_from(r).unwrap();
        let a = cell_at(lat, lng, res);
        let b = cell_at(lat + dlat, lng + dlng, res);
        if let Ok(k) = h3_grid_distance(a, b) {
            let d = distance_km(a, b).unwrap();
            prop_assert!(d <= f64::from(k) * NEIGHBOUR_SPACING_EDGES * res.edge_length_km());
            // The rule agrees with the measured distance for every minimum.
            for min in [0, 1, k, k + 1, 8] {
                prop_assert_eq!(check_h3_distance(a, b, min).is_ok(), k >= min);
            }
        }
    }
}

#[test]
fn default_min_h3_distance_is_roughly_150_m_at_res_12() {
    let a = base();
    let b = cell_at_grid_distance(a, Params::default().min_h3_distance);
    let d = distance_km(a, b).unwrap();
    assert!((0.08..0.2).contains(&d), "8 res-12 steps = {d} km");
}

// ---- physical distance ---------------------------------------------------------------------

#[test]
fn distance_km_matches_h3o_and_one_degree_of_latitude() {
    let a = base();
    let b = cell_at(38.7749, -122.4194, RES12);
    let d = distance_km(a, b).unwrap();
    let h3 = LatLng::from(CellIndex::try_from(a).unwrap())
        .distance_km(LatLng::from(CellIndex::try_from(b).unwrap()));
    assert!((d - h3).abs() < 1e-9, "{d} vs {h3}");
    // One degree of latitude on a 6371.007 km sphere is 111.195 km (cell-centre offsets < 20 m).
    assert!((d - 111.195).abs() < 0.05, "{d}");
    assert_eq!(distance_km(a, a), Ok(0.0));
}

#[test]
fn physical_distance_accepts_exactly_max() {
    let (a, b) = (base(), cell_at(38.2, -122.4194, RES12));
    let d = distance_km(a, b).unwrap();
    assert_eq!(check_physical_distance(a, b, d), Ok(()));
    assert_eq!(check_physical_distance(a, b, d.next_up()), Ok(()));
}

#[test]
fn physical_distance_rejects_just_past_max() {
    let (a, b) = (base(), cell_at(38.2, -122.4194, RES12));
    let d = distance_km(a, b).unwrap();
    assert_eq!(
        check_physical_distance(a, b, d.next_down()),
        Err(RejectReason::TooFar)
    );
    assert_eq!(
        check_physical_distance(a, b, f64::NAN),
        Err(RejectReason::TooFar)
    );
}

#[test]
fn physical_distance_rejects_invalid_cell() {
    assert_eq!(
        check_physical_distance(base(), 0, 100.0),
        Err(RejectReason::InvalidLocation)
    );
}

// ---- FSPL / RSSI ---------------------------------------------------------------------------

#[test]
fn fspl_matches_hand_computed_values() {
    // 1 km @ 915 MHz: 20·log10(1) = 0; log10(915) = 2.961421094066448 → ×20 = 59.228421881329;
    // 0 + 59.228421881329 + 32.44 = 91.668421881329 dB.
    assert!((fspl_db(1.0, 915_000_000) - 91.668_421_881_329).abs() < 1e-9);
    // 10 km @ 868 MHz: 20·log10(10) = 20; log10(868) = 2.938519725176492 → ×20 = 58.770394503530;
    // 20 + 58.770394503530 + 32.44 = 111.210394503530 dB.
    assert!((fspl_db(10.0, 868_000_000) - 111.210_394_503_530).abs() < 1e-9);
    // 100 km @ 1000 MHz: 40 + 60 + 32.44 = 132.44 dB exactly (powers of ten).
    assert!((fspl_db(100.0, 1_000_000_000) - 132.44).abs() < 1e-9);
}

#[test]
fn fspl_is_not_finite_at_zero_distance() {
    assert!(!fspl_db(0.0, 915_000_000).is_finite());
    assert!(!expected_rssi_dbm(27.0, 0.0, 0.0, 0.0, 915_000_000).is_finite());
}

#[test]
fn expected_rssi_adds_power_and_gains_and_subtracts_fspl() {
    // 27 dBm + 1.2 dBi + 3.0 dBi − 91.668421881329 dB = −60.468421881329 dBm.
    let e = expected_rssi_dbm(27.0, 1.2, 3.0, 1.0, 915_000_000);
    assert!((e - (-60.468_421_881_329)).abs() < 1e-9, "{e}");
}

#[test]
fn rssi_accepts_exactly_expected_plus_margin() {
    assert_eq!(check_rssi(-54.0, -60.0, 6.0), Ok(()));
    assert_eq!(check_rssi(-120.0, -60.0, 6.0), Ok(()));
}

#[test]
fn rssi_rejects_just_stronger_than_expected_plus_margin() {
    let limit: f64 = -60.0 + 6.0;
    assert_eq!(
        check_rssi(limit.next_up(), -60.0, 6.0),
        Err(RejectReason::RssiTooStrong)
    );
    assert_eq!(
        check_rssi(-53.99, -60.0, 6.0),
        Err(RejectReason::RssiTooStrong)
    );
}

#[test]
fn rssi_rejects_non_finite_inputs() {
    assert_eq!(
        check_rssi(f64::NAN, -60.0, 6.0),
        Err(RejectReason::InvalidSignal)
    );
    assert_eq!(
        check_rssi(-60.0, f64::INFINITY, 6.0),
        Err(RejectReason::InvalidSignal)
    );
    assert_eq!(
        check_rssi(-60.0, -60.0, f64::NAN),
        Err(RejectReason::InvalidSignal)
    );
}

#[test]
fn signal_plausibility_boundaries() {
    assert_eq!(
        check_signal_plausibility(-140.0, 32.0, -140.0, 32.0),
        Ok(())
    );
    assert_eq!(
        check_signal_plausibility((-140.0f64).next_down(), 0.0, -140.0, 32.0),
        Err(RejectReason::RssiTooWeak)
    );
    assert_eq!(
        check_signal_plausibility(-80.0, 32.0f64.next_up(), -140.0, 32.0),
        Err(RejectReason::SnrTooHigh)
    );
    assert_eq!(
        check_signal_plausibility(f64::NAN, 0.0, -140.0, 32.0),
        Err(RejectReason::InvalidSignal)
    );
    assert_eq!(
        check_signal_plausibility(-80.0, f64::INFINITY, -140.0, 32.0),
        Err(RejectReason::InvalidSignal)
    );
}

// ---- identity rules ------------------------------------------------------------------------

#[test]
fn self_witness_rejected_and_one_bit_difference_accepted() {
    assert_eq!(
        check_self_witness(&BEACONER, &BEACONER),
        Err(RejectReason::SelfWitness)
    );
    let mut other = BEACONER;
    other[31] ^= 1;
    assert_eq!(check_self_witness(&BEACONER, &other), Ok(()));
}

#[test]
fn duplicate_first_sighting_accepted_second_rejected() {
    let mut seen = HashSet::new();
    assert_eq!(check_not_seen(&seen, &[7; 32]), Ok(()));
    assert_eq!(check_duplicate(&mut seen, [7; 32]), Ok(()));
    assert_eq!(
        check_duplicate(&mut seen, [7; 32]),
        Err(RejectReason::Duplicate)
    );
    assert_eq!(
        check_not_seen(&seen, &[7; 32]),
        Err(RejectReason::Duplicate)
    );
    assert_eq!(check_duplicate(&mut seen, [8; 32]), Ok(()));
}

#[test]
fn denylist_rejects_listed_key_only() {
    let deny: HashSet<Key> = [[5; 32]].into_iter().collect();
    assert_eq!(
        check_denylist(&[5; 32], &deny),
        Err(RejectReason::Denylisted)
    );
    assert_eq!(check_denylist(&[6; 32], &deny), Ok(()));
    assert_eq!(check_denylist(&[5; 32], &HashSet::new()), Ok(()));
}

// ---- region / frequency --------------------------------------------------------------------

#[test]
fn region_bands_are_documented_constants() {
    assert_eq!(Region::US915.band_hz(), (902_000_000, 928_000_000));
    assert_eq!(Region::EU868.band_hz(), (863_000_000, 870_000_000));
    assert_eq!(Region::AS923_1.band_hz(), (915_000_000, 928_000_000));
    assert_eq!(Region::AU915.band_hz(), (915_000_000, 928_000_000));
    for r in Region::ALL {
        let (lo, hi) = r.band_hz();
        assert!(r.contains(lo) && r.contains(hi), "{}", r.as_str());
        assert!(!r.contains(lo - 1) && !r.contains(hi + 1), "{}", r.as_str());
    }
}

#[test]
fn region_mismatch_rejected() {
    let mut w = witness();
    w.region = Region::AS923_1;
    w.frequency_hz = 923_200_000;
    assert_eq!(
        check_region_frequency(&beacon(), &w, 1_000),
        Err(RejectReason::RegionMismatch)
    );
}

#[test]
fn frequency_at_band_edges_accepted_and_just_outside_rejected() {
    for r in Region::ALL {
        let (lo, hi) = r.band_hz();
        for (f, ok) in [(lo, true), (hi, true), (lo - 1, false), (hi + 1, false)] {
            let b = Beacon {
                region: r,
                frequency_hz: f,
                ..beacon()
            };
            let w = Witness {
                region: r,
                frequency_hz: f,
                ..witness()
            };
            let want = if ok {
                Ok(())
            } else {
                Err(RejectReason::FrequencyMismatch)
            };
            assert_eq!(
                check_region_frequency(&b, &w, 0),
                want,
                "{} {f}",
                r.as_str()
            );
        }
    }
}

#[test]
fn frequency_tolerance_accepts_at_limit_and_rejects_one_hz_past() {
    let b = beacon();
    for (delta, ok) in [
        (1_000i64, true),
        (-1_000, true),
        (1_001, false),
        (-1_001, false),
    ] {
        let w = Witness {
            frequency_hz: b.frequency_hz.checked_add_signed(delta).unwrap(),
            ..witness()
        };
        let want = if ok {
            Ok(())
        } else {
            Err(RejectReason::FrequencyMismatch)
        };
        assert_eq!(check_region_frequency(&b, &w, 1_000), want, "{delta}");
    }
    let w = Witness {
        frequency_hz: b.frequency_hz + 1,
        ..witness()
    };
    assert_eq!(
        check_region_frequency(&b, &w, 0),
        Err(RejectReason::FrequencyMismatch)
    );
}

// ---- reason names --------------------------------------------------------------------------

#[test]
fn reject_reason_names_are_stable_and_unique() {
    let names: Vec<&str> = RejectReason::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        names,
        [
            "stale_entropy",
            "future_entropy",
            "missing_location",
            "invalid_location",
            "resolution_mismatch",
            "h3_distance_unavailable",
            "too_close_h3",
            "too_far",
            "rssi_too_strong",
            "rssi_too_weak",
            "snr_too_high",
            "invalid_signal",
            "self_witness",
            "duplicate",
            "denylisted",
            "region_mismatch",
            "frequency_mismatch",
            "unknown_entropy",
            "invalid_payload",
            "unknown_hotspot",
            "tx_power_too_high",
            "invalid_beacon",
            "unknown_beacon",
            "witness_time_mismatch",
            "unrouted",
            "duplicate_packet",
            "payer_unfunded",
        ]
    );
    for r in RejectReason::ALL {
        assert_eq!(RejectReason::from_name(r.as_str()), Some(r));
    }
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len());
    assert_eq!(RejectReason::TooFar.to_string(), "too_far");
}

#[test]
fn params_defaults() {
    let p = Params::default();
    assert_eq!(p.min_h3_distance, 8);
    assert_eq!(p.max_distance_km, 100.0);
    assert_eq!(p.rssi_margin_db, 6.0);
    assert_eq!(p.entropy_window_hours, 1);
    assert_eq!(p.min_rssi_dbm, -140.0);
    assert_eq!(p.max_snr_db, 32.0);
    assert_eq!(p.frequency_tolerance_hz, 1_000);
}

// ---- density -------------------------------------------------------------------------------

#[test]
fn hex_density_full_scale_up_to_target() {
    assert_eq!(hex_density_scale(0, 4), 1.0);
    assert_eq!(hex_density_scale(4, 4), 1.0);
}

#[test]
fn hex_density_scales_down_just_past_target() {
    assert_eq!(hex_density_scale(5, 4), 0.8);
    assert_eq!(hex_density_scale(8, 4), 0.5);
    assert_eq!(hex_density_scale(0, 0), 1.0);
    assert_eq!(hex_density_scale(1, 0), 0.0);
}

// ---- verify_witness ------------------------------------------------------------------------

/// Witness about 1 km north of the beaconer.
fn scene() -> (u64, u64) {
    (base(), cell_at(37.7839, -122.4194, RES12))
}

fn run(
    p: &Params,
    b: &Beacon,
    bpos: Option<Position>,
    w: &Witness,
    wpos: Option<Position>,
    deny: &HashSet<Key>,
) -> Result<(), RejectReason> {
    let mut seen = HashSet::new();
    let mut ctx = ReportContext {
        report_hour: 100,
        report_hash: [3; 32],
        seen: &mut seen,
        denylist: deny,
    };
    verify_witness(p, b, bpos, w, wpos, &mut ctx)
}

#[test]
fn verify_accepts_honest_witness() {
    let (a, c) = scene();
    let p = Params::default();
    assert_eq!(
        run(
            &p,
            &beacon(),
            Some(pos(a)),
            &witness(),
            Some(pos(c)),
            &HashSet::new()
        ),
        Ok(())
    );
}

#[test]
fn verify_rssi_accepts_at_limit_and_rejects_just_past() {
    let (a, c) = scene();
    let p = Params::default();
    let b = beacon();
    let d = distance_km(a, c).unwrap();
    assert!((0.9..1.1).contains(&d), "{d}");
    let limit = expected_rssi_dbm(b.tx_power_dbm, 1.2, 1.2, d, b.frequency_hz) + p.rssi_margin_db;
    let at = Witness {
        rssi_dbm: limit,
        ..witness()
    };
    assert_eq!(
        run(&p, &b, Some(pos(a)), &at, Some(pos(c)), &HashSet::new()),
        Ok(())
    );
    let past = Witness {
        rssi_dbm: limit.next_up(),
        ..witness()
    };
    assert_eq!(
        run(&p, &b, Some(pos(a)), &past, Some(pos(c)), &HashSet::new()),
        Err(RejectReason::RssiTooStrong)
    );
}

#[test]
fn verify_rejects_spoofed_far_location() {
    let a = base();
    let far = cell_at(38.7749, -122.4194, RES12); // ~111 km
    let p = Params::default();
    let r = run(
        &p,
        &beacon(),
        Some(pos(a)),
        &witness(),
        Some(pos(far)),
        &HashSet::new(),
    );
    // The grid-distance rule passes (h3o can measure ~6000 res-12 steps); the physical rule rejects.
    assert_eq!(r, Err(RejectReason::TooFar));
    assert_eq!(
        check_physical_distance(a, far, p.max_distance_km),
        Err(RejectReason::TooFar)
    );
}

#[test]
fn verify_rejects_colocated_witness() {
    let a = base();
    let near = cell_at_grid_distance(a, 3);
    let p = Params::default();
    assert_eq!(
        run(
            &p,
            &beacon(),
            Some(pos(a)),
            &witness(),
            Some(pos(near)),
            &HashSet::new()
        ),
        Err(RejectReason::TooCloseH3)
    );
}

#[test]
fn verify_first_failing_rule_wins() {
    let (a, c) = scene();
    let p = Params::default();
    let deny: HashSet<Key> = [WITNESS].into_iter().collect();
    let stale = Beacon {
        entropy_hour: 50,
        ..beacon()
    };
    let other_region = Witness {
        region: Region::EU868,
        frequency_hz: 868_100_000,
        ..witness()
    };

    // Denylist beats self-witness and stale entropy.
    let selfw = Witness {
        witness: BEACONER,
        ..witness()
    };
    let deny_b: HashSet<Key> = [BEACONER].into_iter().collect();
    assert_eq!(
        run(&p, &stale, Some(pos(a)), &selfw, Some(pos(c)), &deny_b),
        Err(RejectReason::Denylisted)
    );
    assert_eq!(
        run(&p, &stale, Some(pos(a)), &witness(), Some(pos(c)), &deny),
        Err(RejectReason::Denylisted)
    );
    // Self-witness beats stale entropy.
    assert_eq!(
        run(
            &p,
            &stale,
            Some(pos(a)),
            &selfw,
            Some(pos(c)),
            &HashSet::new()
        ),
        Err(RejectReason::SelfWitness)
    );
    // Stale entropy beats missing location.
    assert_eq!(
        run(&p, &stale, None, &witness(), None, &HashSet::new()),
        Err(RejectReason::StaleEntropy)
    );
    // Missing location beats region mismatch.
    assert_eq!(
        run(
            &p,
            &beacon(),
            Some(pos(a)),
            &other_region,
            None,
            &HashSet::new()
        ),
        Err(RejectReason::MissingLocation)
    );
    // Region mismatch beats an implausible signal.
    let loud = Witness {
        snr_db: 99.0,
        ..other_region
    };
    assert_eq!(
        run(
            &p,
            &beacon(),
            Some(pos(a)),
            &loud,
            Some(pos(c)),
            &HashSet::new()
        ),
        Err(RejectReason::RegionMismatch)
    );
    // Implausible signal beats too-close.
    let weak = Witness {
        rssi_dbm: -150.0,
        ..witness()
    };
    assert_eq!(
        run(
            &p,
            &beacon(),
            Some(pos(a)),
            &weak,
            Some(pos(a)),
            &HashSet::new()
        ),
        Err(RejectReason::RssiTooWeak)
    );
    // Too-close beats impossible RSSI.
    let strong = Witness {
        rssi_dbm: 0.0,
        ..witness()
    };
    assert_eq!(
        run(
            &p,
            &beacon(),
            Some(pos(a)),
            &strong,
            Some(pos(a)),
            &HashSet::new()
        ),
        Err(RejectReason::TooCloseH3)
    );
}

#[test]
fn verify_duplicate_is_checked_first_and_records_hash() {
    let (a, c) = scene();
    let p = Params::default();
    let deny = HashSet::new();
    let mut seen = HashSet::new();
    let mut ctx = ReportContext {
        report_hour: 100,
        report_hash: [3; 32],
        seen: &mut seen,
        denylist: &deny,
    };
    let bad = Witness {
        witness: BEACONER,
        ..witness()
    };
    assert_eq!(
        verify_witness(&p, &beacon(), Some(pos(a)), &bad, Some(pos(c)), &mut ctx),
        Err(RejectReason::SelfWitness)
    );
    assert_eq!(
        verify_witness(
            &p,
            &beacon(),
            Some(pos(a)),
            &witness(),
            Some(pos(c)),
            &mut ctx
        ),
        Err(RejectReason::Duplicate)
    );
    assert!(seen.contains(&[3; 32]));
}

// ---- properties ----------------------------------------------------------------------------

proptest! {
    #[test]
    fn prop_fspl_monotone_in_distance(d in 0.001f64..1000.0, k in 1.0001f64..100.0, f in 100_000_000u64..6_000_000_000) {
        prop_assert!(fspl_db(d * k, f) > fspl_db(d, f));
    }

    #[test]
    fn prop_fspl_monotone_in_frequency(d in 0.001f64..1000.0, f in 100_000_000u64..6_000_000_000, df in 1_000u64..1_000_000_000) {
        prop_assert!(fspl_db(d, f + df) > fspl_db(d, f));
    }

    #[test]
    fn prop_distance_symmetric(lat1 in -80.0f64..80.0, lng1 in -179.0f64..179.0, lat2 in -80.0f64..80.0, lng2 in -179.0f64..179.0) {
        let a = cell_at(lat1, lng1, RES12);
        let b = cell_at(lat2, lng2, RES12);
        let ab = distance_km(a, b).unwrap();
        let ba = distance_km(b, a).unwrap();
        prop_assert!((ab - ba).abs() < 1e-9);
        prop_assert!((0.0..=20_016.0).contains(&ab));
    }

    #[test]
    fn prop_entropy_accepted_iff_in_window(e in 0u64..1000, r in 0u64..1000, w in 0u64..10) {
        let ok = e <= r && e + w >= r;
        prop_assert_eq!(check_entropy(e, r, w).is_ok(), ok);
    }

    #[test]
    fn prop_hex_density_caps_total(count in 0u32..10_000, target in 0u32..100) {
        let s = hex_density_scale(count, target);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!(s * f64::from(count) <= f64::from(target) + 1e-9);
    }
}

// ---- the fast path of run_hour -------------------------------------------------------------

/// Cells that exercise every geometric rule: a res-12 cluster (too close, RSSI), 1 and 111 km
/// away, a res-11 cell, a pentagon neighbourhood, a pair h3o cannot measure 2.4 km apart, the
/// other side of the globe.
fn cell_pool() -> Vec<u64> {
    let a = base();
    let mut cells = vec![
        a,
        cell_at_grid_distance(a, 1),
        cell_at_grid_distance(a, 7),
        cell_at_grid_distance(a, 8),
        cell_at_grid_distance(a, 9),
        cell_at_grid_distance(a, 13),
        cell_at(37.7839, -122.4194, RES12),
        cell_at(38.7749, -122.4194, RES12),
        cell_at(37.7749, -122.4194, Resolution::Eleven),
        cell_at(-37.7749, 57.5806, RES12),
        633_037_222_630_321_663,
        633_037_222_700_406_271,
        621_637_486_065_614_847,
        621_637_486_067_122_175,
    ];
    let pentagon = CellIndex::base_cells()
        .find(|c| c.is_pentagon())
        .unwrap()
        .center_child(RES12)
        .unwrap();
    cells.extend(
        pentagon
            .grid_disk::<Vec<_>>(10)
            .into_iter()
            .step_by(17)
            .map(u64::from),
    );
    cells
}

fn arb_position() -> impl Strategy<Value = Option<Position>> {
    let cell = prop_oneof![
        8 => prop::sample::select(cell_pool()),
        1 => Just(0u64),
        1 => any::<u64>(),
    ];
    prop_oneof![
        1 => Just(None),
        9 => (cell, any::<i16>()).prop_map(|(cell, gain_dbi_x10)| Some(Position {
            cell,
            gain_dbi_x10,
            elevation_m: 5,
        })),
    ]
}

fn arb_f64(normal: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => normal,
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0]),
    ]
}

fn arb_region() -> impl Strategy<Value = Region> {
    prop::sample::select(Region::ALL.to_vec())
}

fn arb_frequency() -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(vec![
            902_000_000u64,
            928_000_000,
            901_999_999,
            928_000_001,
            863_000_000,
            870_000_000,
            904_300_000,
            868_100_000,
            923_200_000,
        ]),
        900_000_000u64..930_000_000,
    ]
}

fn arb_params() -> impl Strategy<Value = Params> {
    (
        prop_oneof![Just(8u32), Just(0), Just(1), 0u32..200],
        prop_oneof![Just(100.0), Just(0.1), Just(2.0), arb_f64(0.0..500.0)],
        prop_oneof![Just(6.0), arb_f64(-10.0..40.0)],
        0u64..3,
        prop_oneof![Just(-140.0), arb_f64(-200.0..0.0)],
        prop_oneof![Just(32.0), arb_f64(-10.0..40.0)],
        prop_oneof![Just(1_000u64), Just(0), 0u64..5_000],
    )
        .prop_map(
            |(min_h3, max_km, margin, window, min_rssi, max_snr, tol)| Params {
                min_h3_distance: min_h3,
                max_distance_km: max_km,
                rssi_margin_db: margin,
                entropy_window_hours: window,
                min_rssi_dbm: min_rssi,
                max_snr_db: max_snr,
                frequency_tolerance_hz: tol,
            },
        )
}

/// One random witness case for the fast path.
#[derive(Debug, Clone)]
struct Case {
    params: Params,
    beacon: Beacon,
    bpos: Option<Position>,
    witness: Witness,
    wpos: Option<Position>,
    deny: HashSet<Key>,
}

impl Case {
    fn reference(&self) -> Result<(), RejectReason> {
        run(
            &self.params,
            &self.beacon,
            self.bpos,
            &self.witness,
            self.wpos,
            &self.deny,
        )
    }

    fn fast(&self) -> Result<(), RejectReason> {
        let (bsite, wsite) = (Site::new(self.bpos), Site::new(self.wpos));
        verify_witness_at(
            &self.params,
            100,
            Party {
                report: &self.beacon,
                site: &bsite,
                denylisted: self.deny.contains(&self.beacon.beaconer),
            },
            Party {
                report: &self.witness,
                site: &wsite,
                denylisted: self.deny.contains(&self.witness.witness),
            },
        )
    }
}

fn arb_case() -> impl Strategy<Value = Case> {
    (
        arb_params(),
        (0u8..3, 0u8..3, prop::collection::vec(0u8..3, 0..3)),
        (
            97u64..103,
            arb_f64(-10.0..40.0),
            arb_frequency(),
            arb_region(),
        ),
        (
            arb_f64(-200.0..40.0),
            arb_f64(-30.0..40.0),
            arb_frequency(),
            arb_region(),
        ),
        any::<bool>(),
        (arb_position(), arb_position()),
    )
        .prop_map(
            |(
                params,
                (beaconer, witness_key, denied),
                (entropy_hour, tx_power_dbm, b_freq, b_region),
                (rssi_dbm, snr_db, w_freq, w_region),
                same_frequency,
                (bpos, wpos),
            )| Case {
                params,
                beacon: Beacon {
                    beaconer: [beaconer; 32],
                    entropy_hour,
                    tx_power_dbm,
                    frequency_hz: b_freq,
                    region: b_region,
                    ..beacon()
                },
                bpos,
                witness: Witness {
                    witness: [witness_key; 32],
                    rssi_dbm,
                    snr_db,
                    frequency_hz: if same_frequency { b_freq } else { w_freq },
                    region: if same_frequency { b_region } else { w_region },
                    ..witness()
                },
                wpos,
                deny: denied.iter().map(|k| [*k; 32]).collect(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// `verify_witness_at` (precomputed positions and denylist membership, as `run_hour` uses
    /// it) gives exactly `verify_witness`'s verdict, first failing reason included.
    #[test]
    fn fast_path_matches_verify_witness(case in arb_case()) {
        prop_assert_eq!(case.fast(), case.reference());
    }
}

#[test]
fn fast_path_cases_reach_every_witness_reason() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = arb_case();
    let mut seen: HashSet<Result<(), RejectReason>> = HashSet::new();
    for _ in 0..20_000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let verdict = case.reference();
        assert_eq!(case.fast(), verdict, "{case:?}");
        seen.insert(verdict);
    }
    let mut want: HashSet<Result<(), RejectReason>> = [
        RejectReason::Denylisted,
        RejectReason::SelfWitness,
        RejectReason::StaleEntropy,
        RejectReason::FutureEntropy,
        RejectReason::MissingLocation,
        RejectReason::InvalidLocation,
        RejectReason::RegionMismatch,
        RejectReason::FrequencyMismatch,
        RejectReason::InvalidSignal,
        RejectReason::RssiTooWeak,
        RejectReason::SnrTooHigh,
        RejectReason::ResolutionMismatch,
        RejectReason::H3DistanceUnavailable,
        RejectReason::TooCloseH3,
        RejectReason::TooFar,
        RejectReason::RssiTooStrong,
    ]
    .into_iter()
    .map(Err)
    .collect();
    want.insert(Ok(()));
    let missing: Vec<_> = want.difference(&seen).collect();
    assert!(missing.is_empty(), "{missing:?}");
}
