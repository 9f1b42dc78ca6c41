//! Tests of one hour of proof of coverage ([`run_hour`]) on small deterministic scenarios:
//! hotspots on res-12 cells around San Francisco, beacons derived from published entropy and
//! witnesses whose RSSI is free-space propagation minus some loss.

use std::collections::{HashMap, HashSet};

use h3o::{CellIndex, LatLng, Resolution};
use proptest::prelude::*;

use super::*;
use crate::report::{
    beacon_payload, report_id, BeaconReport, DataReport, ReportBody, WitnessReport,
};
use crate::{distance_km, expected_rssi_dbm, Key, Params, Position, Region, RejectReason};

const HOUR: u64 = 480_000;
const HOUR_MS: i64 = HOUR as i64 * 3_600_000;
/// Beacon transmit time used by the scenarios (one minute into the hour).
const BEACON_MS: i64 = HOUR_MS + 60_000;
const ENTROPY: [u8; 32] = [7; 32];
const FREQ: u64 = 904_300_000;
const TX_DBM: i8 = 27;
const PAYER: Key = [0xEE; 32];
const ROUTED_DEVADDR: u32 = 0x4800_0010;
const SF: (f64, f64) = (37.7749, -122.4194);
/// Honest path loss beyond free space, dB.
const LOSS_DB: f64 = 12.0;

fn key(i: usize) -> Key {
    let mut k = [0xA5u8; 32];
    k[..8].copy_from_slice(&(i as u64).to_le_bytes());
    k
}

fn cell_at(lat: f64, lng: f64) -> u64 {
    u64::from(LatLng::new(lat, lng).unwrap().to_cell(Resolution::Twelve))
}

fn pos(cell: u64) -> Position {
    Position {
        cell,
        gain_dbi_x10: 12,
        elevation_m: 5,
    }
}

fn beacon_id(b: &BeaconReport) -> [u8; 32] {
    report_id(&ReportBody::Beacon(b.clone()).to_bytes())
}

fn witness_id(w: &WitnessReport) -> [u8; 32] {
    report_id(&ReportBody::Witness(w.clone()).to_bytes())
}

fn data_id(d: &DataReport) -> [u8; 32] {
    report_id(&ReportBody::Data(d.clone()).to_bytes())
}

/// splitmix64: a tiny deterministic generator for shuffles and hashes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// A scenario: hotspots with known positions (registered or not) and the hour's reports.
struct Sc {
    params: Params,
    share: ShareParams,
    input: HourInput,
    /// Every hotspot's true (asserted) position, including unregistered ones.
    cells: HashMap<Key, u64>,
}

impl Sc {
    fn new() -> Self {
        let mut input = HourInput {
            hour: HOUR,
            ..HourInput::default()
        };
        input.entropy.insert(ENTROPY, HOUR);
        input.routes.push((0x4800_0000, 0x48FF_FFFF, PAYER));
        Sc {
            params: Params::default(),
            share: ShareParams::default(),
            input,
            cells: HashMap::new(),
        }
    }

    /// Register hotspot `k` at `(lat, lng)`.
    fn hotspot(&mut self, k: Key, lat: f64, lng: f64) -> Key {
        let cell = cell_at(lat, lng);
        self.cells.insert(k, cell);
        self.input.hotspots.insert(
            k,
            HotspotInfo {
                position: Some(pos(cell)),
            },
        );
        k
    }

    /// `n` hotspots `key(0..n)` on a north-south line, 0.01° (≈ 1.1 km) apart.
    fn line(n: usize) -> Self {
        let mut sc = Sc::new();
        for i in 0..n {
            sc.hotspot(key(i), SF.0 + 0.01 * i as f64, SF.1);
        }
        sc
    }

    /// An extra registered hotspot `key(100 + i)` between the line's hotspots.
    fn extra(&mut self, i: usize) -> Key {
        self.hotspot(key(100 + i), SF.0 + 0.005 + 0.01 * i as f64, SF.1 + 0.004)
    }

    fn beacon_report(&self, k: Key) -> BeaconReport {
        BeaconReport {
            hotspot: k,
            entropy: ENTROPY,
            payload: beacon_payload(&ENTROPY, &k).to_vec(),
            frequency_hz: FREQ,
            tx_power_dbm: TX_DBM,
            region: Region::US915.as_u8(),
            timestamp_ms: BEACON_MS,
        }
    }

    fn push_beacon(&mut self, b: BeaconReport) -> [u8; 32] {
        let id = beacon_id(&b);
        self.input.beacons.push((id, b));
        id
    }

    fn beacon(&mut self, k: Key) -> [u8; 32] {
        let b = self.beacon_report(k);
        self.push_beacon(b)
    }

    /// The (first) beacon report of beaconer `k` in the input.
    fn beacon_of(&self, k: Key) -> BeaconReport {
        self.input
            .beacons
            .iter()
            .find(|(_, b)| b.hotspot == k)
            .map(|(_, b)| b.clone())
            .expect("beaconer has a beacon")
    }

    /// Free-space RSSI (dBm) at `w` of `b`, from the asserted cells.
    fn free_space_rssi(&self, w: Key, b: &BeaconReport) -> f64 {
        let (bc, wc) = (self.cells[&b.hotspot], self.cells[&w]);
        expected_rssi_dbm(
            f64::from(b.tx_power_dbm),
            pos(bc).gain_dbi(),
            pos(wc).gain_dbi(),
            distance_km(bc, wc).unwrap(),
            b.frequency_hz,
        )
    }

    /// An honest witness by `w` of beacon `b`, with RSSI free space minus `loss_db`.
    fn witness_report_of(&self, w: Key, b: &BeaconReport, loss_db: f64) -> WitnessReport {
        let rssi = self.free_space_rssi(w, b) - loss_db;
        WitnessReport {
            hotspot: w,
            payload: b.payload.clone(),
            rssi_dbm_x10: (rssi * 10.0).floor() as i16,
            snr_db_x10: 55,
            frequency_hz: b.frequency_hz,
            region: b.region,
            timestamp_ms: b.timestamp_ms + 150,
            tmst: 1_000,
        }
    }

    fn witness_report(&self, w: Key, beaconer: Key) -> WitnessReport {
        self.witness_report_of(w, &self.beacon_of(beaconer), LOSS_DB)
    }

    fn push_witness(&mut self, w: WitnessReport) -> [u8; 32] {
        let id = witness_id(&w);
        self.input.witnesses.push((id, w));
        id
    }

    fn witness(&mut self, w: Key, beaconer: Key) -> [u8; 32] {
        let r = self.witness_report(w, beaconer);
        self.push_witness(r)
    }

    fn data_report(&self, k: Key, packet: u64, len: u32, ts_ms: i64) -> DataReport {
        let mut payload_hash = [0u8; 32];
        payload_hash[..8].copy_from_slice(&packet.to_le_bytes());
        DataReport {
            hotspot: k,
            devaddr: ROUTED_DEVADDR,
            payload_hash,
            payload_len: len,
            frequency_hz: FREQ,
            timestamp_ms: ts_ms,
        }
    }

    fn push_data(&mut self, d: DataReport) -> [u8; 32] {
        let id = data_id(&d);
        self.input.data.push((id, d));
        id
    }

    fn dup(&self) -> Sc {
        let i = &self.input;
        Sc {
            params: self.params,
            share: self.share,
            input: HourInput {
                hour: i.hour,
                beacons: i.beacons.clone(),
                witnesses: i.witnesses.clone(),
                data: i.data.clone(),
                hotspots: i.hotspots.clone(),
                entropy: i.entropy.clone(),
                denylist: i.denylist.clone(),
                routes: i.routes.clone(),
                unfunded_payers: i.unfunded_payers.clone(),
            },
            cells: self.cells.clone(),
        }
    }

    fn run(&self) -> HourOutcome {
        run_hour(&self.params, &self.share, &self.input)
    }
}

/// `n` hotspots on a line; each beacons once, is witnessed by every other one and carries two
/// 30-byte packets (2 DC each).
fn honest(n: usize) -> Sc {
    let mut sc = Sc::line(n);
    for i in 0..n {
        sc.beacon(key(i));
    }
    for b in 0..n {
        for w in (0..n).filter(|w| *w != b) {
            sc.witness(key(w), key(b));
        }
    }
    for i in 0..n {
        for p in 0..2u64 {
            let d = sc.data_report(key(i), (i as u64) * 10 + p, 30, HOUR_MS + 1_000 * p as i64);
            sc.push_data(d);
        }
    }
    sc
}

fn total_share(out: &HourOutcome) -> u128 {
    out.shares.values().map(|s| u128::from(s.share)).sum()
}

/// Shares sum to at most the hour, and lose less than one unit (10⁻¹²) per hotspot per pool to
/// rounding: [`assign_shares`] rounds each pool's part down separately, so with three live
/// pools the loss can reach `3 · hotspots`, not just `hotspots`.
fn assert_shares_sum(out: &HourOutcome) {
    let total = total_share(out);
    let n = out.shares.len() as u128;
    assert!(total <= SHARE_SCALE, "{total} > {SHARE_SCALE}");
    assert!(
        total + 3 * n >= SHARE_SCALE,
        "{total} lost more than one unit per hotspot per pool ({n} hotspots)"
    );
}

/// The rejections of one report id.
fn reasons(out: &HourOutcome, id: &[u8; 32]) -> Vec<RejectReason> {
    out.rejections
        .iter()
        .filter(|r| &r.id == id)
        .map(|r| r.reason)
        .collect()
}

/// `out` rejected exactly one report, `id`, for `reason`.
fn assert_only(out: &HourOutcome, id: &[u8; 32], reason: RejectReason) {
    let got: Vec<(RejectReason, bool)> = out
        .rejections
        .iter()
        .map(|r| (r.reason, &r.id == id))
        .collect();
    assert_eq!(got, vec![(reason, true)]);
}

// ---------------------------------------------------------------------------------------------
// Honest hour
// ---------------------------------------------------------------------------------------------

#[test]
fn honest_hour_is_all_valid() {
    let sc = honest(6);
    let out = sc.run();
    assert!(out.rejections.is_empty(), "{:?}", out.rejections);
    assert_eq!(out.valid_beacons, 6);
    assert_eq!(out.valid_witnesses, 30);
    assert_eq!(out.valid_packets, 12);
    assert_eq!(out.dc_by_payer, HashMap::from([(PAYER, 24)]));
    assert_eq!(out.shares.len(), 6);
    for i in 0..6 {
        let s = out.shares[&key(i)];
        assert_eq!((s.beacons, s.witnesses, s.dc), (1, 5, 4), "hotspot {i}");
        assert_eq!(s.beacon_units, 1_000_000);
        assert_eq!(s.witness_units, 5_000_000);
        // Everyone did the same work: equal shares (up to rounding).
        assert!(s.share.abs_diff((SHARE_SCALE / 6) as u64) <= 1);
    }
    assert_shares_sum(&out);
}

#[test]
fn honest_hour_with_many_hotspots_sums_within_rounding() {
    // Uneven work: hotspot i carries i + 1 packets of varied length.
    let mut sc = honest(9);
    for i in 0..9 {
        for p in 0..=i {
            let d = sc.data_report(
                key(i),
                1_000 + (i * 10 + p) as u64,
                7 + 13 * p as u32,
                HOUR_MS,
            );
            sc.push_data(d);
        }
    }
    let out = sc.run();
    assert!(out.rejections.is_empty());
    assert_shares_sum(&out);
}

#[test]
fn unwitnessed_beacon_is_valid_but_earns_nothing() {
    let mut sc = Sc::line(3);
    sc.beacon(key(0));
    let out = sc.run();
    assert!(out.rejections.is_empty());
    assert_eq!(out.valid_beacons, 1);
    assert!(out.shares.is_empty());
    assert_eq!(total_share(&out), 0);
}

#[test]
fn empty_hour() {
    let out = Sc::line(3).run();
    assert!(out.rejections.is_empty());
    assert!(out.shares.is_empty());
    assert_eq!(
        (out.valid_beacons, out.valid_witnesses, out.valid_packets),
        (0, 0, 0)
    );
}

// ---------------------------------------------------------------------------------------------
// Beacon rejections
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_entropy() {
    let mut sc = honest(3);
    let k = sc.extra(0);
    let entropy = [8; 32];
    let b = BeaconReport {
        entropy,
        payload: beacon_payload(&entropy, &k).to_vec(),
        ..sc.beacon_report(k)
    };
    let id = sc.push_beacon(b);
    assert_only(&sc.run(), &id, RejectReason::UnknownEntropy);
}

#[test]
fn stale_and_future_entropy_window_edges() {
    for (published, expect) in [
        (HOUR - 2, Some(RejectReason::StaleEntropy)),
        (HOUR - 1, None),
        (HOUR, None),
        (HOUR + 1, Some(RejectReason::FutureEntropy)),
    ] {
        let mut sc = honest(3);
        let k = sc.extra(0);
        let entropy = [9; 32];
        sc.input.entropy.insert(entropy, published);
        let b = BeaconReport {
            entropy,
            payload: beacon_payload(&entropy, &k).to_vec(),
            ..sc.beacon_report(k)
        };
        let id = sc.push_beacon(b);
        let w = sc.witness(key(1), k);
        let out = sc.run();
        match expect {
            Some(reason) => {
                assert_eq!(reasons(&out, &id), vec![reason]);
                assert_eq!(reasons(&out, &w), vec![RejectReason::InvalidBeacon]);
                assert_eq!(out.rejections.len(), 2);
            }
            None => {
                assert!(out.rejections.is_empty(), "published {published}");
                assert_eq!(out.shares[&k].beacons, 1);
            }
        }
    }
}

#[test]
fn invalid_payload() {
    let mut sc = honest(3);
    let k = sc.extra(0);
    // Another hotspot's payload, the right payload truncated, and an empty one.
    for payload in [
        beacon_payload(&ENTROPY, &key(1)).to_vec(),
        beacon_payload(&ENTROPY, &k)[..19].to_vec(),
        Vec::new(),
    ] {
        let mut sc2 = sc.dup();
        let b = BeaconReport {
            payload,
            ..sc2.beacon_report(k)
        };
        let id = sc2.push_beacon(b);
        assert_only(&sc2.run(), &id, RejectReason::InvalidPayload);
    }
    // The beacon with its own payload passes.
    sc.beacon(k);
    assert!(sc.run().rejections.is_empty());
}

#[test]
fn unknown_hotspot_beacon() {
    let mut sc = honest(3);
    let stranger = key(999);
    let id = sc.beacon(stranger);
    assert_only(&sc.run(), &id, RejectReason::UnknownHotspot);
}

#[test]
fn tx_power_edge() {
    for (tx, expect) in [(30, None), (31, Some(RejectReason::TxPowerTooHigh))] {
        let mut sc = honest(3);
        let k = sc.extra(0);
        let b = BeaconReport {
            tx_power_dbm: tx,
            ..sc.beacon_report(k)
        };
        let id = sc.push_beacon(b);
        let out = sc.run();
        match expect {
            Some(r) => assert_only(&out, &id, r),
            None => assert!(out.rejections.is_empty()),
        }
    }
}

#[test]
fn region_and_frequency_of_beacon() {
    let mut sc = honest(3);
    let k = sc.extra(0);
    let b = BeaconReport {
        region: 99,
        ..sc.beacon_report(k)
    };
    let id = sc.push_beacon(b);
    assert_only(&sc.run(), &id, RejectReason::RegionMismatch);

    let mut sc = honest(3);
    let k = sc.extra(0);
    let b = BeaconReport {
        frequency_hz: 868_100_000,
        ..sc.beacon_report(k)
    };
    let id = sc.push_beacon(b);
    assert_only(&sc.run(), &id, RejectReason::FrequencyMismatch);
}

#[test]
fn missing_location() {
    let mut sc = honest(3);
    let k = key(50);
    sc.input.hotspots.insert(k, HotspotInfo { position: None });
    // Its cell for RSSI computation only; the oracle does not know it.
    sc.cells.insert(k, cell_at(SF.0 + 0.005, SF.1 + 0.004));
    let b = sc.beacon(k);
    let w = sc.witness(k, key(0));
    let out = sc.run();
    assert_eq!(reasons(&out, &b), vec![RejectReason::MissingLocation]);
    assert_eq!(reasons(&out, &w), vec![RejectReason::MissingLocation]);
    assert_eq!(out.rejections.len(), 2);
}

#[test]
fn duplicate_beacon_id_and_rebroadcast_payload() {
    let mut sc = honest(3);
    let b = sc.beacon_of(key(0));
    let id = sc.push_beacon(b.clone());
    let out = sc.run();
    assert_eq!(reasons(&out, &id), vec![RejectReason::Duplicate]);
    assert_eq!(out.rejections.len(), 1);
    assert_eq!(out.valid_beacons, 3);
    assert_eq!(out.shares[&key(0)].beacons, 1);

    // Same payload, different body (a re-broadcast 5 s later): the lower id wins.
    let mut sc = honest(3);
    let again = BeaconReport {
        timestamp_ms: b.timestamp_ms + 5_000,
        ..b.clone()
    };
    let id2 = sc.push_beacon(again);
    let id1 = beacon_id(&b);
    let out = sc.run();
    let loser = id1.max(id2);
    assert_only(&out, &loser, RejectReason::Duplicate);
    assert_eq!(out.valid_beacons, 3);
}

// ---------------------------------------------------------------------------------------------
// Witness rejections
// ---------------------------------------------------------------------------------------------

#[test]
fn witness_of_rejected_beacon_is_invalid_beacon() {
    let mut sc = honest(3);
    let k = sc.extra(0);
    let b = BeaconReport {
        tx_power_dbm: 40,
        ..sc.beacon_report(k)
    };
    let bid = sc.push_beacon(b);
    let w1 = sc.witness(key(1), k);
    let w2 = sc.witness(key(2), k);
    let out = sc.run();
    assert_eq!(reasons(&out, &bid), vec![RejectReason::TxPowerTooHigh]);
    assert_eq!(reasons(&out, &w1), vec![RejectReason::InvalidBeacon]);
    assert_eq!(reasons(&out, &w2), vec![RejectReason::InvalidBeacon]);
    assert_eq!(out.rejections.len(), 3);
    assert!(!out.shares.contains_key(&k));
}

#[test]
fn witness_of_no_beacon_is_unknown_beacon() {
    let mut sc = honest(3);
    let k = sc.extra(0);
    // k never beacons; a witness claims to have heard its (correctly derived) payload.
    let phantom = sc.beacon_report(k);
    let w = sc.witness_report_of(key(1), &phantom, LOSS_DB);
    let id = sc.push_witness(w);
    assert_only(&sc.run(), &id, RejectReason::UnknownBeacon);
}

#[test]
fn witness_by_unknown_hotspot() {
    let mut sc = honest(3);
    let stranger = key(999);
    sc.cells
        .insert(stranger, cell_at(SF.0 + 0.005, SF.1 + 0.004));
    let id = sc.witness(stranger, key(0));
    assert_only(&sc.run(), &id, RejectReason::UnknownHotspot);
}

#[test]
fn witness_time_window_edges() {
    let window = ShareParams::default().witness_window_ms;
    for (offset, ok) in [
        (window, true),
        (-window, true),
        (window + 1, false),
        (-window - 1, false),
        (3_600_000, false),
    ] {
        let mut sc = honest(3);
        let k = sc.extra(0);
        let w = WitnessReport {
            timestamp_ms: BEACON_MS + offset,
            ..sc.witness_report(k, key(0))
        };
        let id = sc.push_witness(w);
        let out = sc.run();
        if ok {
            assert!(out.rejections.is_empty(), "offset {offset}");
            assert_eq!(out.shares[&k].witnesses, 1);
        } else {
            assert_only(&out, &id, RejectReason::WitnessTimeMismatch);
        }
    }
}

#[test]
fn self_witness() {
    let mut sc = honest(3);
    let b = sc.beacon_of(key(0));
    let w = WitnessReport {
        rssi_dbm_x10: -300,
        ..sc.witness_report_of(key(1), &b, LOSS_DB)
    };
    let w = WitnessReport {
        hotspot: key(0),
        ..w
    };
    let id = sc.push_witness(w);
    assert_only(&sc.run(), &id, RejectReason::SelfWitness);
}

#[test]
fn inflated_rssi() {
    let margin = Params::default().rssi_margin_db;
    // At the margin (rounded down to the 0.1 dB wire resolution) passes; 1 dB over fails.
    for (loss, ok) in [(-margin, true), (-margin - 1.0, false), (-40.0, false)] {
        let mut sc = honest(3);
        let k = sc.extra(0);
        let w = sc.witness_report_of(k, &sc.beacon_of(key(0)), loss);
        let id = sc.push_witness(w);
        let out = sc.run();
        if ok {
            assert!(out.rejections.is_empty(), "loss {loss}");
        } else {
            assert_only(&out, &id, RejectReason::RssiTooStrong);
        }
    }
}

#[test]
fn spoofed_far_location_is_too_far() {
    let mut sc = honest(3);
    // Asserted in Sacramento (≈ 120 km away) while "hearing" San Francisco.
    let liar = sc.hotspot(key(60), 38.5816, -121.4944);
    let w = WitnessReport {
        rssi_dbm_x10: -1_000,
        ..sc.witness_report(liar, key(0))
    };
    let id = sc.push_witness(w);
    assert_only(&sc.run(), &id, RejectReason::TooFar);
}

#[test]
fn spoofed_distant_location_with_near_signal_is_rssi_too_strong() {
    let mut sc = honest(3);
    // Asserted ≈ 40 km away but reporting the signal of a radio 1 km away.
    let liar = sc.hotspot(key(61), SF.0 + 0.36, SF.1);
    let near = sc.witness_report(key(1), key(0));
    let w = WitnessReport {
        hotspot: liar,
        ..near
    };
    let id = sc.push_witness(w);
    assert_only(&sc.run(), &id, RejectReason::RssiTooStrong);
}

#[test]
fn too_close_witness() {
    let mut sc = honest(3);
    // Two res-12 cells from the beaconer (min is 8).
    let c0 = CellIndex::try_from(sc.cells[&key(0)]).unwrap();
    let near_cell = c0
        .grid_disk_distances::<Vec<_>>(2)
        .into_iter()
        .find(|&(_, d)| d == 2)
        .unwrap()
        .0;
    let k = key(62);
    sc.cells.insert(k, u64::from(near_cell));
    sc.input.hotspots.insert(
        k,
        HotspotInfo {
            position: Some(pos(u64::from(near_cell))),
        },
    );
    let id = sc.witness(k, key(0));
    assert_only(&sc.run(), &id, RejectReason::TooCloseH3);
}

#[test]
fn duplicate_witness_report_id() {
    let mut sc = honest(3);
    let w = sc.witness_report(key(1), key(0));
    let id = sc.push_witness(w);
    let out = sc.run();
    assert_only(&out, &id, RejectReason::Duplicate);
    assert_eq!(out.valid_witnesses, 6);
    assert_eq!(out.shares[&key(1)].witnesses, 2);
}

#[test]
fn second_witness_by_same_hotspot_for_same_beacon() {
    let mut sc = honest(3);
    let first = sc.witness_report(key(1), key(0));
    let first_id = witness_id(&first);
    let second = WitnessReport {
        tmst: first.tmst + 7,
        rssi_dbm_x10: first.rssi_dbm_x10 - 3,
        ..first
    };
    let second_id = sc.push_witness(second);
    let out = sc.run();
    // Exactly one of the two is a duplicate (the higher id); the hotspot is credited once.
    assert_only(&out, &first_id.max(second_id), RejectReason::Duplicate);
    assert_eq!(out.valid_witnesses, 6);
    assert_eq!(out.shares[&key(1)].witnesses, 2);
}

#[test]
fn denylisted_hotspot_loses_everything() {
    let mut sc = honest(4);
    sc.input.denylist.insert(key(1));
    let out = sc.run();
    let by_kind = |kind| {
        out.rejections
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| (r.hotspot, r.reason))
            .collect::<Vec<_>>()
    };
    use crate::report::ReportKind;
    // Its beacon.
    assert_eq!(
        by_kind(ReportKind::Beacon),
        vec![(key(1), RejectReason::Denylisted)]
    );
    // The three witnesses of its beacon, then its own three witnesses.
    let witnesses = by_kind(ReportKind::Witness);
    assert_eq!(witnesses.len(), 6);
    assert_eq!(
        witnesses
            .iter()
            .filter(|(_, r)| *r == RejectReason::InvalidBeacon)
            .count(),
        3
    );
    assert!(witnesses
        .iter()
        .filter(|(_, r)| *r == RejectReason::Denylisted)
        .all(|(k, _)| *k == key(1)));
    // Its two packets.
    assert_eq!(
        by_kind(ReportKind::Data),
        vec![(key(1), RejectReason::Denylisted); 2]
    );
    assert!(!out.shares.contains_key(&key(1)));
    assert_shares_sum(&out);
}

// ---------------------------------------------------------------------------------------------
// Data rejections
// ---------------------------------------------------------------------------------------------

#[test]
fn unrouted_packet() {
    let mut sc = honest(3);
    let d = DataReport {
        devaddr: 0x2600_0001,
        ..sc.data_report(key(0), 777, 20, HOUR_MS)
    };
    let id = sc.push_data(d);
    let out = sc.run();
    assert_only(&out, &id, RejectReason::Unrouted);
    assert_eq!(out.dc_by_payer[&PAYER], 12);
}

#[test]
fn unfunded_payer_pays_nothing_and_earns_nothing() {
    let mut sc = honest(3);
    let other_payer = [0xDD; 32];
    sc.input
        .routes
        .push((0x2600_0000, 0x2600_FFFF, other_payer));
    sc.input.unfunded_payers.insert(other_payer);
    let d = DataReport {
        devaddr: 0x2600_0001,
        ..sc.data_report(key(0), 777, 20, HOUR_MS)
    };
    let id = sc.push_data(d);
    let out = sc.run();
    assert_only(&out, &id, RejectReason::PayerUnfunded);
    assert!(!out.dc_by_payer.contains_key(&other_payer));
    assert_eq!(out.shares[&key(0)].dc, 4);
}

#[test]
fn route_edges_are_inclusive() {
    for (devaddr, ok) in [
        (0x4800_0000, true),
        (0x48FF_FFFF, true),
        (0x47FF_FFFF, false),
        (0x4900_0000, false),
    ] {
        let mut sc = honest(3);
        let d = DataReport {
            devaddr,
            ..sc.data_report(key(0), 777, 20, HOUR_MS)
        };
        let id = sc.push_data(d);
        let out = sc.run();
        if ok {
            assert!(out.rejections.is_empty());
        } else {
            assert_only(&out, &id, RejectReason::Unrouted);
        }
    }
}

#[test]
fn data_from_unknown_hotspot() {
    let mut sc = honest(3);
    let d = sc.data_report(key(999), 777, 20, HOUR_MS);
    let id = sc.push_data(d);
    assert_only(&sc.run(), &id, RejectReason::UnknownHotspot);
}

#[test]
fn same_packet_from_two_hotspots_first_by_timestamp_wins() {
    for (t1, t2) in [(5, 3), (3, 5), (100, 4_000)] {
        let mut sc = honest(3);
        let a = sc.data_report(key(1), 777, 40, HOUR_MS + t1);
        let b = sc.data_report(key(2), 777, 40, HOUR_MS + t2);
        let (ida, idb) = (sc.push_data(a), sc.push_data(b));
        let out = sc.run();
        let (winner, loser) = if t1 < t2 { (1, idb) } else { (2, ida) };
        assert_only(&out, &loser, RejectReason::DuplicatePacket);
        assert_eq!(out.shares[&key(winner)].dc, 4 + 2);
        assert_eq!(out.shares[&key(3 - winner)].dc, 4);
        assert_eq!(out.dc_by_payer[&PAYER], 12 + 2);
    }
}

#[test]
fn rejected_packet_does_not_claim_the_packet() {
    // An unknown hotspot reports the packet first; the registered one is still paid.
    let mut sc = honest(3);
    let a = sc.data_report(key(999), 777, 40, HOUR_MS);
    let b = sc.data_report(key(2), 777, 40, HOUR_MS + 10);
    let ida = sc.push_data(a);
    sc.push_data(b);
    let out = sc.run();
    assert_only(&out, &ida, RejectReason::UnknownHotspot);
    assert_eq!(out.shares[&key(2)].dc, 4 + 2);
}

#[test]
fn duplicate_data_report_id() {
    let mut sc = honest(3);
    let d = sc.input.data[0].1.clone();
    let id = sc.push_data(d);
    let out = sc.run();
    assert_only(&out, &id, RejectReason::Duplicate);
    assert_eq!(out.dc_by_payer[&PAYER], 12);
}

#[test]
fn impossible_packet_length() {
    for (len, ok) in [
        (MAX_PACKET_BYTES, true),
        (MAX_PACKET_BYTES + 1, false),
        (u32::MAX, false),
    ] {
        let mut sc = honest(3);
        let d = sc.data_report(key(0), 777, len, HOUR_MS);
        let id = sc.push_data(d);
        let out = sc.run();
        if ok {
            assert!(out.rejections.is_empty());
            assert_eq!(out.dc_by_payer[&PAYER], 12 + 11);
        } else {
            assert_only(&out, &id, RejectReason::InvalidPayload);
            assert_eq!(out.dc_by_payer[&PAYER], 12);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Caps, density, pools, order
// ---------------------------------------------------------------------------------------------

#[test]
fn witness_cap_per_beacon() {
    let mut sc = honest(6);
    sc.share.max_witnesses_per_beacon = 2;
    let out = sc.run();
    assert!(out.rejections.is_empty());
    // Every witness is valid, but only two per beacon are credited.
    assert_eq!(out.valid_witnesses, 30);
    let credited: u32 = out.shares.values().map(|s| s.witnesses).sum();
    assert_eq!(credited, 12);
    // Still one beacon unit each (every beacon has credited witnesses).
    assert!(out.shares.values().all(|s| s.beacons == 1));
    assert_shares_sum(&out);

    // The credited witnesses are the lowest ranks of each beacon.
    let mut expected: HashMap<Key, u32> = HashMap::new();
    for b in 0..6 {
        let payload = beacon_payload(&ENTROPY, &key(b));
        let mut ranks: Vec<([u8; 32], Key)> = (0..6)
            .filter(|w| *w != b)
            .map(|w| (witness_rank(&payload, &key(w)), key(w)))
            .collect();
        ranks.sort_unstable();
        for (_, w) in &ranks[..2] {
            *expected.entry(*w).or_insert(0) += 1;
        }
    }
    for (k, s) in &out.shares {
        assert_eq!(s.witnesses, expected.get(k).copied().unwrap_or(0));
    }
}

#[test]
fn witness_cap_cannot_be_won_by_grinding_the_report_id() {
    let mut sc = honest(6);
    sc.share.max_witnesses_per_beacon = 2;
    let before = sc.run();
    // Every witness re-rolls its body (tmst), which changes every report id.
    for salt in 1..5u32 {
        let mut sc2 = honest(6);
        sc2.share.max_witnesses_per_beacon = 2;
        for (id, w) in &mut sc2.input.witnesses {
            w.tmst = w.tmst.wrapping_add(salt * 7_919 + u32::from(w.hotspot[0]));
            *id = witness_id(w);
        }
        let after = sc2.run();
        assert_eq!(before.shares, after.shares, "salt {salt}");
    }
}

#[test]
fn zero_witness_cap_credits_nothing() {
    let mut sc = honest(4);
    sc.share.max_witnesses_per_beacon = 0;
    sc.input.data.clear();
    let out = sc.run();
    assert_eq!(out.valid_witnesses, 12);
    assert!(out.shares.is_empty());
}

#[test]
fn density_scaling_in_a_dense_hex() {
    let mut sc = Sc::new();
    let res8 = Resolution::try_from(sc.share.density_resolution).unwrap();
    let hex = |cell: u64| CellIndex::try_from(cell).unwrap().parent(res8).unwrap();
    // A lone beaconer ≈ 2.2 km north of the dense hex.
    let beaconer = sc.hotspot(key(0), SF.0 + 0.02, SF.1);
    sc.beacon(beaconer);
    // Eight witnesses packed into one res-8 hex.
    let dense_hex = LatLng::new(SF.0, SF.1).unwrap().to_cell(res8);
    let mut dense = Vec::new();
    for (i, c) in dense_hex.children(Resolution::Twelve).take(8).enumerate() {
        let k = key(10 + i);
        let cell = u64::from(c);
        sc.cells.insert(k, cell);
        sc.input.hotspots.insert(
            k,
            HotspotInfo {
                position: Some(pos(cell)),
            },
        );
        dense.push(k);
    }
    // Two witnesses each alone in its hex.
    let sparse = vec![
        sc.hotspot(key(20), SF.0 + 0.01, SF.1 + 0.03),
        sc.hotspot(key(21), SF.0 + 0.03, SF.1 - 0.03),
    ];
    let hexes: HashSet<_> = sparse
        .iter()
        .chain([&beaconer])
        .map(|k| hex(sc.cells[k]))
        .chain([dense_hex])
        .collect();
    assert_eq!(hexes.len(), 4, "scenario hotspots share hexes");
    for k in dense.iter().chain(&sparse) {
        sc.witness(*k, beaconer);
    }
    let out = sc.run();
    assert!(out.rejections.is_empty(), "{:?}", out.rejections);
    assert_eq!(out.valid_witnesses, 10);
    // target 4 of 8 hotspots: each dense witness earns half a unit.
    for k in &dense {
        assert_eq!(out.shares[k].witnesses, 1);
        assert_eq!(out.shares[k].witness_units, 500_000);
    }
    for k in &sparse {
        assert_eq!(out.shares[k].witness_units, 1_000_000);
    }
    assert_eq!(out.shares[&beaconer].beacon_units, 1_000_000);
    let (d, s) = (out.shares[&dense[0]].share, out.shares[&sparse[0]].share);
    assert!(d < s);
    assert!((2 * d).abs_diff(s) <= 2, "dense {d} sparse {s}");
    // The dense hex as a whole earns what four hotspots would.
    let dense_total: u64 = dense.iter().map(|k| out.shares[k].share).sum();
    assert!(dense_total.abs_diff(4 * s) <= 8);
    assert_shares_sum(&out);

    // With a target above the crowd nothing is scaled.
    sc.share.density_target = 8;
    let out = sc.run();
    assert!(dense
        .iter()
        .all(|k| out.shares[k].witness_units == 1_000_000));
}

#[test]
fn empty_pools_give_their_weight_to_the_others() {
    // No data at all: beacon and witness pools share the whole hour.
    let mut sc = honest(4);
    sc.input.data.clear();
    let out = sc.run();
    assert_shares_sum(&out);
    for s in out.shares.values() {
        assert!(s.share.abs_diff((SHARE_SCALE / 4) as u64) <= 1);
    }

    // Only data: the data pool is the whole hour, pro rata to DC.
    let mut sc = Sc::line(2);
    let a = sc.data_report(key(0), 1, 24, HOUR_MS); // 1 DC
    let b = sc.data_report(key(1), 2, 72, HOUR_MS); // 3 DC
    sc.push_data(a);
    sc.push_data(b);
    let out = sc.run();
    assert_eq!(out.shares[&key(0)].share, (SHARE_SCALE / 4) as u64);
    assert_eq!(out.shares[&key(1)].share, (SHARE_SCALE * 3 / 4) as u64);
}

#[test]
fn assign_shares_pool_weights() {
    let params = ShareParams::default();
    let mut shares = HashMap::from([
        (
            key(0),
            HotspotShare {
                beacon_units: 1,
                ..HotspotShare::default()
            },
        ),
        (
            key(1),
            HotspotShare {
                witness_units: 1,
                ..HotspotShare::default()
            },
        ),
        (
            key(2),
            HotspotShare {
                dc: 1,
                ..HotspotShare::default()
            },
        ),
    ]);
    assign_shares(&params, &mut shares);
    assert_eq!(shares[&key(0)].share, (SHARE_SCALE * 2 / 10) as u64);
    assert_eq!(shares[&key(1)].share, (SHARE_SCALE * 5 / 10) as u64);
    assert_eq!(shares[&key(2)].share, (SHARE_SCALE * 3 / 10) as u64);
    // Without the witness pool, beacon and data split 2:3.
    shares.remove(&key(1));
    assign_shares(&params, &mut shares);
    assert_eq!(shares[&key(0)].share, (SHARE_SCALE * 2 / 5) as u64);
    assert_eq!(shares[&key(2)].share, (SHARE_SCALE * 3 / 5) as u64);
    // Nothing at all: zero shares.
    let mut idle = HashMap::from([(key(3), HotspotShare::default())]);
    assign_shares(&params, &mut idle);
    assert_eq!(idle[&key(3)].share, 0);
}

/// An honest hour plus one of (almost) every kind of bad report.
fn messy() -> Sc {
    let mut sc = honest(6);
    sc.share.max_witnesses_per_beacon = 3;
    sc.input.denylist.insert(key(5));
    let k = sc.extra(0);
    let bad = BeaconReport {
        tx_power_dbm: 40,
        ..sc.beacon_report(k)
    };
    sc.push_beacon(bad);
    sc.witness(key(1), k);
    let dup = sc.input.beacons[0].1.clone();
    sc.push_beacon(dup);
    let w = sc.input.witnesses[3].1.clone();
    sc.push_witness(w.clone());
    sc.push_witness(WitnessReport {
        tmst: w.tmst + 1,
        ..w
    });
    let e1 = sc.extra(1);
    let late = WitnessReport {
        timestamp_ms: BEACON_MS + 60_000,
        ..sc.witness_report(e1, key(2))
    };
    sc.push_witness(late);
    for (h, t) in [(1, 30), (2, 20), (3, 20), (4, 10)] {
        let d = sc.data_report(key(h), 4242, 50, HOUR_MS + t);
        sc.push_data(d);
    }
    let unrouted = DataReport {
        devaddr: 1,
        ..sc.data_report(key(0), 4343, 50, HOUR_MS)
    };
    sc.push_data(unrouted);
    sc
}

#[test]
fn outcome_is_independent_of_input_order() {
    let sc = messy();
    let reference = sc.run();
    assert!(reference.rejections.len() >= 8);
    let mut rng = Rng(42);
    for _ in 0..10 {
        let mut input = sc.dup().input;
        rng.shuffle(&mut input.beacons);
        rng.shuffle(&mut input.witnesses);
        rng.shuffle(&mut input.data);
        let out = run_hour(&sc.params, &sc.share, &input);
        assert_eq!(out.rejections, reference.rejections);
        assert_eq!(out.shares, reference.shares);
        assert_eq!(out.dc_by_payer, reference.dc_by_payer);
        assert_eq!(
            (out.valid_beacons, out.valid_witnesses, out.valid_packets),
            (
                reference.valid_beacons,
                reference.valid_witnesses,
                reference.valid_packets
            )
        );
    }
}

#[test]
fn messy_hour_reasons() {
    let out = messy().run();
    let mut got: Vec<&str> = out.rejections.iter().map(|r| r.reason.as_str()).collect();
    got.sort_unstable();
    let mut want = vec![
        "tx_power_too_high",
        "invalid_beacon",
        "duplicate",
        "duplicate",
        "duplicate",
        "witness_time_mismatch",
        "duplicate_packet",
        "duplicate_packet",
        "duplicate_packet",
        "unrouted",
        // Hotspot 5 is denylisted: its beacon, its 5 witnesses and its 2 packets; the 5
        // witnesses of its beacon are invalid_beacon.
        "denylisted",
        "denylisted",
        "denylisted",
        "denylisted",
        "denylisted",
        "denylisted",
        "denylisted",
        "denylisted",
        "invalid_beacon",
        "invalid_beacon",
        "invalid_beacon",
        "invalid_beacon",
        "invalid_beacon",
    ];
    want.sort_unstable();
    assert_eq!(got, want);
    assert_shares_sum(&out);
}

#[test]
fn dc_for_packet_boundaries() {
    assert_eq!(dc_for_packet(0, 24), 1);
    assert_eq!(dc_for_packet(1, 24), 1);
    assert_eq!(dc_for_packet(24, 24), 1);
    assert_eq!(dc_for_packet(25, 24), 2);
    assert_eq!(dc_for_packet(48, 24), 2);
    assert_eq!(dc_for_packet(49, 24), 3);
    assert_eq!(dc_for_packet(u32::MAX, 1), u64::from(u32::MAX));
    // A zero divisor is treated as 1 byte per DC.
    assert_eq!(dc_for_packet(10, 0), 10);
}

#[test]
fn share_params_validity() {
    assert!(ShareParams::default().is_valid());
    let p = ShareParams {
        data_bps: 2_999,
        ..ShareParams::default()
    };
    assert!(!p.is_valid());
    let p = ShareParams {
        bytes_per_dc: 0,
        ..ShareParams::default()
    };
    assert!(!p.is_valid());
    let p = ShareParams {
        density_resolution: 16,
        ..ShareParams::default()
    };
    assert!(!p.is_valid());
    let p = ShareParams {
        witness_window_ms: -1,
        ..ShareParams::default()
    };
    assert!(!p.is_valid());
}

#[test]
fn verify_beacon_alone() {
    let sc = honest(2);
    let b = sc.beacon_of(key(0));
    let info = sc.input.hotspots.get(&key(0));
    let ok = verify_beacon(
        &sc.params,
        &sc.share,
        HOUR,
        &b,
        info,
        &sc.input.entropy,
        &sc.input.denylist,
    );
    assert_eq!(ok, Ok(()));
    // Denylist is checked first, before the entropy.
    let deny = HashSet::from([key(0)]);
    let err = verify_beacon(
        &sc.params,
        &sc.share,
        HOUR,
        &b,
        info,
        &HashMap::new(),
        &deny,
    );
    assert_eq!(err, Err(RejectReason::Denylisted));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn arb_bps() -> impl Strategy<Value = (u16, u16, u16)> {
    (0u16..=10_000)
        .prop_flat_map(|a| (Just(a), 0u16..=10_000 - a))
        .prop_map(|(a, b)| (a, b, 10_000 - a - b))
}

proptest! {
    #[test]
    fn assign_shares_never_exceeds_the_hour(
        units in prop::collection::vec(
            (
                prop_oneof![Just(0u64), 0u64..1_000_000_000, any::<u64>()],
                prop_oneof![Just(0u64), 0u64..1_000_000_000, any::<u64>()],
                prop_oneof![Just(0u64), 0u64..10_000, any::<u64>()],
            ),
            0..40,
        ),
        (beacon_bps, witness_bps, data_bps) in arb_bps(),
    ) {
        let params = ShareParams { beacon_bps, witness_bps, data_bps, ..ShareParams::default() };
        let mut shares: HashMap<Key, HotspotShare> = units
            .iter()
            .enumerate()
            .map(|(i, &(b, w, d))| {
                (key(i), HotspotShare { beacon_units: b, witness_units: w, dc: d, ..HotspotShare::default() })
            })
            .collect();
        assign_shares(&params, &mut shares);
        let total: u128 = shares.values().map(|s| u128::from(s.share)).sum();
        prop_assert!(total <= SHARE_SCALE);
        for s in shares.values() {
            prop_assert!(u128::from(s.share) <= SHARE_SCALE);
        }
        // Each live, weighted pool loses less than one unit per hotspot to rounding.
        let live = [
            (beacon_bps, shares.values().any(|s| s.beacon_units > 0)),
            (witness_bps, shares.values().any(|s| s.witness_units > 0)),
            (data_bps, shares.values().any(|s| s.dc > 0)),
        ];
        if live.iter().any(|(w, l)| *l && *w > 0) {
            let pools = live.iter().filter(|(_, l)| *l).count() as u128;
            prop_assert!(total + pools * shares.len() as u128 + pools >= SHARE_SCALE);
        } else {
            prop_assert_eq!(total, 0);
        }
    }
}
