//! Differential tests: [`run_hour`] against a direct, unoptimised implementation of the same
//! rules (the original `run_hour`) on random hours full of collisions and bad reports, and the
//! witness fast path against [`crate::verify_witness`].

use std::collections::{HashMap, HashSet};

use h3o::{CellIndex, LatLng, Resolution};
use proptest::prelude::*;
use rayon::prelude::*;

use super::*;
use crate::report::{beacon_payload, report_id, ReportBody};
use crate::{check_denylist, distance_km, expected_rssi_dbm, verify_witness, ReportContext};

struct RefValidBeacon<'a> {
    report: &'a BeaconReport,
    published_hour: u64,
    position: Position,
}

/// `run_hour` as it was first written: each rule applied directly, sequentially where it needs the
/// whole hour, with `std` hash maps and [`crate::verify_witness`] itself.
fn run_hour_reference(params: &Params, share: &ShareParams, input: &HourInput) -> HourOutcome {
    let mut out = HourOutcome::default();
    let hour = input.hour;

    // Sort by id so duplicates and caps resolve the same way whatever order reports came in.
    let mut beacons: Vec<&([u8; 32], BeaconReport)> = input.beacons.iter().collect();
    beacons.sort_unstable_by_key(|(id, _)| *id);
    let mut witnesses: Vec<&([u8; 32], WitnessReport)> = input.witnesses.iter().collect();
    witnesses.sort_unstable_by_key(|(id, _)| *id);

    // Beacons: verify, then index the valid ones by payload. Two valid beacons cannot share a
    // payload (it is derived from the beaconer key); a second beacon of the same payload is a
    // re-broadcast and is rejected as a duplicate.
    let verdicts: Vec<Result<(), RejectReason>> = beacons
        .par_iter()
        .map(|(_, b)| {
            verify_beacon(
                params,
                share,
                hour,
                b,
                input.hotspots.get(&b.hotspot),
                &input.entropy,
                &input.denylist,
            )
        })
        .collect();
    let mut by_payload: HashMap<&[u8], RefValidBeacon<'_>> = HashMap::with_capacity(beacons.len());
    let mut rejected_payloads: HashSet<&[u8]> = HashSet::new();
    let mut seen_ids: HashSet<[u8; 32]> = HashSet::with_capacity(beacons.len());
    for ((id, b), verdict) in beacons.iter().zip(verdicts) {
        let verdict = verdict.and_then(|()| {
            if !seen_ids.insert(*id) || by_payload.contains_key(&b.payload[..]) {
                Err(RejectReason::Duplicate)
            } else {
                Ok(())
            }
        });
        match verdict {
            Ok(()) => {
                let info = input.hotspots.get(&b.hotspot);
                if let Some(position) = info.and_then(|i| i.position) {
                    by_payload.insert(
                        &b.payload,
                        RefValidBeacon {
                            report: b,
                            published_hour: input.entropy.get(&b.entropy).copied().unwrap_or(0),
                            position,
                        },
                    );
                }
            }
            Err(reason) => {
                rejected_payloads.insert(&b.payload);
                out.rejections.push(Rejection {
                    id: *id,
                    kind: ReportKind::Beacon,
                    hotspot: b.hotspot,
                    reason,
                });
            }
        }
    }
    out.valid_beacons = by_payload.len() as u64;

    // Witnesses: every rule is per report except duplicates, which need the whole hour. Judge
    // identity first (sequentially, cheap), then the geometry and physics in parallel.
    let mut seen: HashSet<[u8; 32]> = HashSet::with_capacity(witnesses.len());
    let mut pair_seen: HashSet<(Key, &[u8])> = HashSet::with_capacity(witnesses.len());
    let pre: Vec<Result<&RefValidBeacon<'_>, RejectReason>> = witnesses
        .iter()
        .map(|(id, w)| {
            if !seen.insert(*id) {
                return Err(RejectReason::Duplicate);
            }
            let Some(beacon) = by_payload.get(&w.payload[..]) else {
                return Err(if rejected_payloads.contains(&w.payload[..]) {
                    RejectReason::InvalidBeacon
                } else {
                    RejectReason::UnknownBeacon
                });
            };
            // One witness per hotspot per beacon: a second reception is not more coverage.
            if !pair_seen.insert((w.hotspot, &w.payload[..])) {
                return Err(RejectReason::Duplicate);
            }
            Ok(beacon)
        })
        .collect();
    let empty_seen = HashSet::new();
    let witness_verdicts: Vec<Result<[u8; 32], RejectReason>> = witnesses
        .par_iter()
        .zip(pre.par_iter())
        .map(|((id, w), pre)| {
            let beacon = (*pre)?;
            let witness_info = input
                .hotspots
                .get(&w.hotspot)
                .ok_or(RejectReason::UnknownHotspot)?;
            if w.timestamp_ms.abs_diff(beacon.report.timestamp_ms)
                > share.witness_window_ms.unsigned_abs()
            {
                return Err(RejectReason::WitnessTimeMismatch);
            }
            let b = beacon.report;
            let beacon_v = Beacon {
                beaconer: b.hotspot,
                entropy: b.entropy,
                entropy_hour: beacon.published_hour,
                frequency_hz: b.frequency_hz,
                tx_power_dbm: f64::from(b.tx_power_dbm),
                timestamp_ms: b.timestamp_ms,
                region: region(b.region).ok_or(RejectReason::RegionMismatch)?,
            };
            let witness_v = Witness {
                witness: w.hotspot,
                rssi_dbm: f64::from(w.rssi_dbm_x10) / 10.0,
                snr_db: f64::from(w.snr_db_x10) / 10.0,
                frequency_hz: w.frequency_hz,
                timestamp_ms: w.timestamp_ms,
                region: region(w.region).ok_or(RejectReason::RegionMismatch)?,
            };
            // Duplicates were handled above over the whole hour; give the rule a fresh set.
            let mut local_seen = empty_seen.clone();
            let mut ctx = ReportContext {
                report_hour: hour,
                report_hash: *id,
                seen: &mut local_seen,
                denylist: &input.denylist,
            };
            verify_witness(
                params,
                &beacon_v,
                Some(beacon.position),
                &witness_v,
                witness_info.position,
                &mut ctx,
            )?;
            Ok(witness_rank(&w.payload, &w.hotspot))
        })
        .collect();

    // Count valid witnesses per beacon (capped, in rank order) and per witness hotspot. Ranks
    // are unique: one valid witness per (hotspot, payload).
    let mut valid: Vec<([u8; 32], &WitnessReport)> = Vec::new();
    for ((id, w), verdict) in witnesses.iter().zip(&witness_verdicts) {
        match verdict {
            Ok(rank) => valid.push((*rank, w)),
            Err(reason) => out.rejections.push(Rejection {
                id: *id,
                kind: ReportKind::Witness,
                hotspot: w.hotspot,
                reason: *reason,
            }),
        }
    }
    out.valid_witnesses = valid.len() as u64;
    valid.par_sort_unstable_by_key(|(rank, _)| *rank);
    let mut witnessed: HashMap<&[u8], usize> = HashMap::new();
    let mut witness_counts: HashMap<Key, u32> = HashMap::new();
    for (_, w) in valid {
        let n = witnessed.entry(&w.payload[..]).or_insert(0);
        if *n < share.max_witnesses_per_beacon {
            *n += 1;
            *witness_counts.entry(w.hotspot).or_insert(0) += 1;
        }
    }
    let mut beacon_counts: HashMap<Key, u32> = HashMap::new();
    for (payload, n) in &witnessed {
        if *n > 0 {
            if let Some(b) = by_payload.get(payload) {
                *beacon_counts.entry(b.report.hotspot).or_insert(0) += 1;
            }
        }
    }

    // Data packets: registered hotspot, possible length, routed DevAddr, each packet paid once.
    let mut data: Vec<&([u8; 32], DataReport)> = input.data.iter().collect();
    data.sort_unstable_by_key(|(id, d)| (d.timestamp_ms, *id));
    let mut packets_seen: HashSet<[u8; 32]> = HashSet::with_capacity(data.len());
    let mut data_ids: HashSet<[u8; 32]> = HashSet::with_capacity(data.len());
    let mut dc_counts: HashMap<Key, u64> = HashMap::new();
    for (id, d) in data {
        let verdict = (|| {
            if !data_ids.insert(*id) {
                return Err(RejectReason::Duplicate);
            }
            check_denylist(&d.hotspot, &input.denylist)?;
            if !input.hotspots.contains_key(&d.hotspot) {
                return Err(RejectReason::UnknownHotspot);
            }
            if d.payload_len > MAX_PACKET_BYTES {
                return Err(RejectReason::InvalidPayload);
            }
            let payer = input
                .routes
                .iter()
                .find(|(lo, hi, _)| *lo <= d.devaddr && d.devaddr <= *hi)
                .map(|(_, _, p)| *p)
                .ok_or(RejectReason::Unrouted)?;
            if input.unfunded_payers.contains(&payer) {
                return Err(RejectReason::PayerUnfunded);
            }
            if !packets_seen.insert(d.payload_hash) {
                return Err(RejectReason::DuplicatePacket);
            }
            Ok(payer)
        })();
        match verdict {
            Ok(payer) => {
                let dc = dc_for_packet(d.payload_len, share.bytes_per_dc);
                out.valid_packets += 1;
                *out.dc_by_payer.entry(payer).or_insert(0) += dc;
                *dc_counts.entry(d.hotspot).or_insert(0) += dc;
            }
            Err(reason) => out.rejections.push(Rejection {
                id: *id,
                kind: ReportKind::Data,
                hotspot: d.hotspot,
                reason,
            }),
        }
    }

    // Density: hotspots active in PoC this hour, per hex at the density resolution.
    let density_res = h3o::Resolution::try_from(share.density_resolution).ok();
    let hex_of = |key: &Key| -> Option<u64> {
        let pos = input.hotspots.get(key)?.position?;
        let cell = h3o::CellIndex::try_from(pos.cell).ok()?;
        Some(u64::from(cell.parent(density_res?)?))
    };
    let mut active: HashSet<Key> = beacon_counts.keys().copied().collect();
    active.extend(witness_counts.keys().copied());
    let mut per_hex: HashMap<u64, u32> = HashMap::new();
    let hexes: HashMap<Key, Option<u64>> = active.iter().map(|k| (*k, hex_of(k))).collect();
    for hex in hexes.values().flatten() {
        *per_hex.entry(*hex).or_insert(0) += 1;
    }
    let scale_of = |key: &Key| -> f64 {
        match hexes.get(key).copied().flatten() {
            Some(hex) => hex_density_scale(
                per_hex.get(&hex).copied().unwrap_or(1),
                share.density_target,
            ),
            None => 1.0,
        }
    };
    let mut shares: HashMap<Key, HotspotShare> = HashMap::new();
    for (k, n) in &beacon_counts {
        let s = shares.entry(*k).or_default();
        s.beacons = *n;
        s.beacon_units = units(*n, scale_of(k));
    }
    for (k, n) in &witness_counts {
        let s = shares.entry(*k).or_default();
        s.witnesses = *n;
        s.witness_units = units(*n, scale_of(k));
    }
    for (k, dc) in &dc_counts {
        shares.entry(*k).or_default().dc = *dc;
    }
    assign_shares_reference(share, &mut shares);
    out.shares = shares;
    out
}

/// Fill in `share` for every hotspot from its units: each pool's weight (empty pools' weight
/// goes to the others pro rata) times the hotspot's fraction of the pool, rounded down.
fn assign_shares_reference(params: &ShareParams, shares: &mut HashMap<Key, HotspotShare>) {
    let totals = shares.values().fold((0u128, 0u128, 0u128), |t, s| {
        (
            t.0 + u128::from(s.beacon_units),
            t.1 + u128::from(s.witness_units),
            t.2 + u128::from(s.dc),
        )
    });
    let pools = [
        (u128::from(params.beacon_bps), totals.0),
        (u128::from(params.witness_bps), totals.1),
        (u128::from(params.data_bps), totals.2),
    ];
    let live: u128 = pools.iter().filter(|(_, t)| *t > 0).map(|(w, _)| *w).sum();
    for s in shares.values_mut() {
        s.share = 0;
        if live == 0 {
            continue;
        }
        let mine = [
            u128::from(s.beacon_units),
            u128::from(s.witness_units),
            u128::from(s.dc),
        ];
        let mut total = 0u128;
        for ((w, t), m) in pools.iter().zip(mine) {
            if *t > 0 {
                // SHARE_SCALE · (w / live) · (m / t), one rounding at the end of each pool.
                total += SHARE_SCALE * w * m / (live * t);
            }
        }
        s.share = u64::try_from(total).unwrap_or(u64::MAX);
    }
}

// ---------------------------------------------------------------------------------------------
// Random hours
// ---------------------------------------------------------------------------------------------

const HOUR: u64 = 480_000;
const HOUR_MS: i64 = HOUR as i64 * 3_600_000;

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

fn cell_at(lat: f64, lng: f64, res: Resolution) -> u64 {
    u64::from(LatLng::new(lat, lng).unwrap().to_cell(res))
}

/// Report id: the body hash, with the first eight bytes often forced to one of a few values so
/// that ids share prefixes (a function of the body, so equal ids still mean equal bodies).
fn id_of(body: ReportBody) -> [u8; 32] {
    let mut id = report_id(&body.to_bytes());
    if id[31] & 1 == 0 {
        id[..7].fill(0);
        id[7] = id[30] % 3;
    }
    id
}

/// Asserted positions that exercise every geometric rule: a dense res-12 cluster (too close,
/// RSSI), spots tens of km away (far witnesses), a res-11 cell (resolution mismatch), a pentagon
/// neighbourhood (h3o cannot measure some close pairs), a spot where h3o cannot measure pairs a
/// few km apart, missing and invalid cells.
fn random_position(rng: &mut Rng) -> Option<Position> {
    let gain_dbi_x10 = rng.below(60) as i16 - 10;
    let cell = match rng.below(100) {
        0..=49 => {
            // ~1 km square around San Francisco: many pairs within 8 steps.
            let lat = 37.7749 + rng.unit() * 0.01;
            let lng = -122.4194 + rng.unit() * 0.01;
            cell_at(lat, lng, Resolution::Twelve)
        }
        50..=59 => {
            // 30 to 150 km away.
            let lat = 37.7749 + 0.3 + rng.unit() * 1.0;
            cell_at(lat, -122.4194, Resolution::Twelve)
        }
        60..=64 => cell_at(37.7749, -122.4194 + rng.unit() * 0.01, Resolution::Eleven),
        65..=74 => {
            let pentagon = CellIndex::base_cells()
                .find(|c| c.is_pentagon())
                .unwrap()
                .center_child(Resolution::Twelve)
                .unwrap();
            let disk: Vec<CellIndex> = pentagon.grid_disk(12);
            u64::from(*rng.pick(&disk))
        }
        75..=84 => {
            // h3o's grid distance fails for some pairs here, ~2 km apart.
            let lat = -10.4436 - rng.unit() * 0.02;
            let lng = -121.8384 - rng.unit() * 0.02;
            cell_at(lat, lng, Resolution::Twelve)
        }
        85..=89 => return None,
        90..=94 => rng.below(3),
        _ => cell_at(37.7749, -122.4194 + rng.unit() * 0.002, Resolution::Twelve),
    };
    Some(Position {
        cell,
        gain_dbi_x10,
        elevation_m: 5,
    })
}

fn random_key(rng: &mut Rng, keys: &[Key]) -> Key {
    if rng.chance(90) {
        *rng.pick(keys)
    } else {
        let mut k = [0xBB; 32];
        k[..8].copy_from_slice(&rng.below(6).to_le_bytes());
        k
    }
}

/// A random hour over `n` hotspots; `busy` scales the number of reports per hotspot.
fn random_hour(seed: u64, n: usize, busy: usize) -> (Params, ShareParams, HourInput) {
    let mut rng = Rng(seed);
    let mut params = Params::default();
    match rng.below(8) {
        0 => params.min_h3_distance = 0,
        1 => params.min_h3_distance = 40,
        2 => params.max_distance_km = 60.0,
        3 => params.entropy_window_hours = 0,
        4 => params.rssi_margin_db = 30.0,
        _ => {}
    }
    let share = ShareParams {
        density_resolution: *rng.pick(&[5u8, 8, 10, 12, 13, 16]),
        density_target: rng.below(4) as u32,
        max_witnesses_per_beacon: rng.below(5) as usize,
        witness_window_ms: *rng.pick(&[0i64, 1_000, 10_000]),
        bytes_per_dc: *rng.pick(&[1u32, 24]),
        ..ShareParams::default()
    };
    let mut input = HourInput {
        hour: HOUR,
        ..HourInput::default()
    };
    let entropies: Vec<([u8; 32], Option<u64>)> = vec![
        ([1; 32], Some(HOUR)),
        ([2; 32], Some(HOUR - 1)),
        ([3; 32], Some(HOUR - 3)),
        ([4; 32], Some(HOUR + 1)),
        ([5; 32], None),
    ];
    for (e, h) in &entropies {
        if let Some(h) = h {
            input.entropy.insert(*e, *h);
        }
    }
    let keys: Vec<Key> = (0..n)
        .map(|i| {
            let mut k = [0xA5; 32];
            k[..8].copy_from_slice(&(i as u64).to_le_bytes());
            k
        })
        .collect();
    let mut positions: HashMap<Key, Option<Position>> = HashMap::new();
    for k in &keys {
        let p = random_position(&mut rng);
        positions.insert(*k, p);
        input.hotspots.insert(*k, HotspotInfo { position: p });
    }
    for _ in 0..=n / 10 {
        let k = random_key(&mut rng, &keys);
        input.denylist.insert(k);
    }
    let payers: Vec<Key> = (0..3u8).map(|p| [0xF0 + p; 32]).collect();
    input.routes = vec![
        (0x4800_0000, 0x48FF_FFFF, payers[0]),
        (0x4880_0000, 0x4980_0000, payers[1]),
        (0x4A00_0000, 0x4A00_00FF, payers[2]),
        (0x4B00_0000, 0x4B00_0000, payers[0]),
    ];
    if rng.chance(50) {
        input.unfunded_payers.insert(payers[2]);
    }

    // Beacons.
    for _ in 0..n * busy {
        let hotspot = random_key(&mut rng, &keys);
        let (entropy, _) = *rng.pick(&entropies);
        let mut payload = beacon_payload(&entropy, &hotspot).to_vec();
        match rng.below(20) {
            0 => payload[5] ^= 1,
            1 => payload.push(0),
            _ => {}
        }
        let region = if rng.chance(95) {
            1
        } else {
            rng.below(6) as u8
        };
        let b = BeaconReport {
            hotspot,
            entropy,
            payload,
            frequency_hz: if rng.chance(95) {
                903_900_000 + 200_000 * rng.below(3)
            } else {
                868_100_000
            },
            tx_power_dbm: 20 + rng.below(13) as i8,
            region,
            timestamp_ms: HOUR_MS + rng.below(120_000) as i64,
        };
        input
            .beacons
            .push((id_of(ReportBody::Beacon(b.clone())), b.clone()));
        if rng.chance(10) {
            let again = input.beacons.last().unwrap().clone();
            input.beacons.push(again);
        }
        if rng.chance(10) {
            let b = BeaconReport {
                timestamp_ms: b.timestamp_ms + 1,
                ..b
            };
            input
                .beacons
                .push((id_of(ReportBody::Beacon(b.clone())), b));
        }
    }

    // Witnesses.
    let payloads: Vec<(Vec<u8>, BeaconReport)> = input
        .beacons
        .iter()
        .map(|(_, b)| (b.payload.clone(), b.clone()))
        .collect();
    for _ in 0..n * busy * 4 {
        if payloads.is_empty() {
            break;
        }
        let witness = random_key(&mut rng, &keys);
        let (mut payload, b) = rng.pick(&payloads).clone();
        if rng.chance(3) {
            payload = vec![0x4C, 0x54, 0x42, 0x31, rng.below(256) as u8];
        }
        let cells = (
            positions.get(&b.hotspot).copied().flatten(),
            positions.get(&witness).copied().flatten(),
        );
        let mut rssi = -60.0 - rng.unit() * 70.0;
        if let (Some(bp), Some(wp)) = cells {
            if let Ok(d) = distance_km(bp.cell, wp.cell) {
                let e = expected_rssi_dbm(
                    f64::from(b.tx_power_dbm),
                    bp.gain_dbi(),
                    wp.gain_dbi(),
                    d,
                    b.frequency_hz,
                );
                if e.is_finite() {
                    rssi = e - 10.0 + rng.unit() * 30.0 - 10.0;
                }
            }
        }
        let w = WitnessReport {
            hotspot: witness,
            payload,
            rssi_dbm_x10: match rng.below(30) {
                0 => i16::MIN,
                1 => i16::MAX,
                _ => (rssi * 10.0).clamp(-2000.0, 300.0) as i16,
            },
            snr_db_x10: rng.below(450) as i16 - 100,
            frequency_hz: match rng.below(20) {
                0 => b.frequency_hz + 1_001,
                1 => b.frequency_hz.saturating_sub(1_000),
                _ => b.frequency_hz,
            },
            region: if rng.chance(95) {
                b.region
            } else {
                rng.below(6) as u8
            },
            timestamp_ms: b.timestamp_ms + rng.below(24_000) as i64 - 12_000,
            tmst: rng.below(3) as u32,
        };
        input
            .witnesses
            .push((id_of(ReportBody::Witness(w.clone())), w));
        if rng.chance(5) {
            let again = input.witnesses.last().unwrap().clone();
            input.witnesses.push(again);
        }
    }

    // Data.
    for _ in 0..n * busy * 2 {
        let d = DataReport {
            hotspot: random_key(&mut rng, &keys),
            devaddr: *rng.pick(&[
                0x4800_0001u32,
                0x4900_0000,
                0x4A00_0010,
                0x4B00_0000,
                0x2600_0000,
            ]),
            payload_hash: [rng.below(n as u64 + 2) as u8; 32],
            payload_len: *rng.pick(&[0u32, 10, 24, 25, 255, 256]),
            frequency_hz: 904_300_000,
            timestamp_ms: HOUR_MS + rng.below(4) as i64,
        };
        input.data.push((id_of(ReportBody::Data(d.clone())), d));
        if rng.chance(5) {
            let again = input.data.last().unwrap().clone();
            input.data.push(again);
        }
    }
    rng.shuffle(&mut input.beacons);
    rng.shuffle(&mut input.witnesses);
    rng.shuffle(&mut input.data);
    (params, share, input)
}

fn assert_same(got: &HourOutcome, want: &HourOutcome) {
    if got.rejections != want.rejections {
        let i = got
            .rejections
            .iter()
            .zip(&want.rejections)
            .position(|(g, w)| g != w)
            .unwrap_or(got.rejections.len().min(want.rejections.len()));
        panic!(
            "rejections differ at {i} of {}/{}: got {:?}, want {:?}",
            got.rejections.len(),
            want.rejections.len(),
            got.rejections.get(i),
            want.rejections.get(i)
        );
    }
    assert_eq!(got.shares, want.shares);
    assert_eq!(got.dc_by_payer, want.dc_by_payer);
    assert_eq!(
        (got.valid_beacons, got.valid_witnesses, got.valid_packets),
        (want.valid_beacons, want.valid_witnesses, want.valid_packets)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn run_hour_matches_the_reference(seed in any::<u64>(), n in 2usize..40, busy in 1usize..4) {
        let (params, share, input) = random_hour(seed, n, busy);
        let want = run_hour_reference(&params, &share, &input);
        let got = run_hour(&params, &share, &input);
        assert_same(&got, &want);
    }
}

#[test]
fn random_hours_exercise_every_reason() {
    let mut reasons: HashSet<RejectReason> = HashSet::new();
    for seed in 0..60 {
        let (params, share, input) = random_hour(seed, 30, 3);
        reasons.extend(
            run_hour_reference(&params, &share, &input)
                .rejections
                .iter()
                .map(|r| r.reason),
        );
    }
    let missing: Vec<&str> = RejectReason::ALL
        .iter()
        .filter(|r| !reasons.contains(r))
        .map(|r| r.as_str())
        .collect();
    // RSSI and SNR come from integers, so they are always finite.
    assert_eq!(missing, ["invalid_signal"]);
}

#[test]
fn large_random_hour_matches_the_reference_on_any_thread_count() {
    let (params, share, input) = random_hour(7, 3_000, 3);
    let want = run_hour_reference(&params, &share, &input);
    assert!(want.rejections.len() > 1_000 && want.shares.len() > 100);
    for threads in [1, 2, 5] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let got = pool.install(|| run_hour(&params, &share, &input));
        assert_same(&got, &want);
    }
    let _ = input.witnesses.par_iter().count();
}
