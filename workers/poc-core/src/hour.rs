//! One hour of proof of coverage: judge every report of the hour, keep every rejection with its
//! reason, and turn what passed into each hotspot's share of the coverage sub-DAO's hourly
//! rewards.
//!
//! # Beacon timing
//! A witness is judged in the hour of its own timestamp, against the beacons of that hour. The
//! hotspot worker therefore schedules beacons at a random second in the first
//! [`BEACON_SLOT_SECONDS`] of an hour, leaving two minutes for witnesses to arrive; a beacon sent
//! later is still judged, but witnesses that land in the next hour find no beacon.
//!
//! # Shares
//! Three pools split the hour ([`ShareParams`], basis points):
//! * **beacon**: each valid beacon heard by at least one valid witness earns one unit for its
//!   beaconer;
//! * **witness**: each valid witness earns one unit (at most `max_witnesses_per_beacon` per
//!   beacon: the ones with the lowest [`witness_rank`], a deterministic order nobody can
//!   choose; the report id would not do, a witness can grind it by varying `tmst` or `snr`);
//! * **data**: each DC burned for a packet the hotspot carried earns one unit.
//!
//! Beacon and witness units are scaled by [`crate::hex_density_scale`] of the hotspot's hex at
//! `density_resolution` (counting hotspots with a valid beacon or witness in the hour), so ten
//! hotspots on one roof earn what `density_target` of them would. A pool with no units is
//! shared by the others pro rata to their weights. Shares are fractions of [`SHARE_SCALE`]
//! (10¹² = the whole hour) rounded down; they never sum to more than [`SHARE_SCALE`].

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::report::{beacon_payload, BeaconReport, DataReport, WitnessReport};
use crate::{
    check_denylist, check_entropy, check_location, hex_density_scale, verify_witness, Beacon, Key,
    Params, Position, Region, RejectReason, ReportContext, Witness,
};

/// Shares are fractions of this (10¹² = 100% of the hour's coverage rewards).
pub const SHARE_SCALE: u128 = 1_000_000_000_000;
/// Beacons are scheduled within the first this-many seconds of an hour.
pub const BEACON_SLOT_SECONDS: i64 = 3_480;
/// Fixed-point scale of density-scaled units.
const UNIT: f64 = 1_000_000.0;
/// Largest possible LoRa PHY payload, bytes. A data report claiming more is
/// [`RejectReason::InvalidPayload`] (otherwise one report could claim any amount of DC).
pub const MAX_PACKET_BYTES: u32 = 255;

/// How the hour's rewards are split and scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareParams {
    /// Beacon pool, basis points.
    pub beacon_bps: u16,
    /// Witness pool, basis points.
    pub witness_bps: u16,
    /// Data-transfer pool, basis points (the three sum to 10 000).
    pub data_bps: u16,
    /// H3 resolution of the hexes density is measured in (8 ≈ 0.7 km²).
    pub density_resolution: u8,
    /// Hotspots per hex before rewards are scaled down.
    pub density_target: u32,
    /// Most witnesses rewarded per beacon.
    pub max_witnesses_per_beacon: usize,
    /// Largest |witness time − beacon time|, milliseconds.
    pub witness_window_ms: i64,
    /// Highest believable conducted transmit power, dBm.
    pub max_tx_power_dbm: i8,
    /// Bytes one DC pays for (a packet costs at least 1 DC).
    pub bytes_per_dc: u32,
}

impl Default for ShareParams {
    fn default() -> Self {
        ShareParams {
            beacon_bps: 2_000,
            witness_bps: 5_000,
            data_bps: 3_000,
            density_resolution: 8,
            density_target: 4,
            max_witnesses_per_beacon: 14,
            witness_window_ms: 10_000,
            max_tx_power_dbm: 30,
            bytes_per_dc: 24,
        }
    }
}

impl ShareParams {
    /// The three pools sum to 10 000 bps and the other values are usable.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        u32::from(self.beacon_bps) + u32::from(self.witness_bps) + u32::from(self.data_bps)
            == 10_000
            && self.density_resolution <= 15
            && self.bytes_per_dc > 0
            && self.witness_window_ms >= 0
    }
}

/// DC for one packet of `len` bytes: `ceil(len / bytes_per_dc)`, at least 1.
#[must_use]
pub fn dc_for_packet(len: u32, bytes_per_dc: u32) -> u64 {
    u64::from(len.div_ceil(bytes_per_dc.max(1)).max(1))
}

/// A hotspot as the oracle knows it from chain state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HotspotInfo {
    /// Asserted position, if any.
    pub position: Option<Position>,
}

/// Everything needed to judge one hour.
#[derive(Debug, Default)]
pub struct HourInput {
    /// The hour.
    pub hour: u64,
    /// Beacons of the hour, with report ids.
    pub beacons: Vec<([u8; 32], BeaconReport)>,
    /// Witnesses of the hour.
    pub witnesses: Vec<([u8; 32], WitnessReport)>,
    /// Data packets of the hour.
    pub data: Vec<([u8; 32], DataReport)>,
    /// Registered hotspots.
    pub hotspots: HashMap<Key, HotspotInfo>,
    /// Entropy the oracle saw published, with the hour it was published in.
    pub entropy: HashMap<[u8; 32], u64>,
    /// Denylisted hotspots.
    pub denylist: HashSet<Key>,
    /// DevAddr → payer routes: `(devaddr_min, devaddr_max, payer)`, inclusive.
    pub routes: Vec<(u32, u32, Key)>,
    /// Payers whose DC escrow could not cover their packets: those packets earn nothing
    /// ([`RejectReason::PayerUnfunded`]).
    pub unfunded_payers: HashSet<Key>,
}

/// One rejected report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejection {
    /// Report id.
    pub id: [u8; 32],
    /// Report kind.
    pub kind: crate::report::ReportKind,
    /// The reporting hotspot.
    pub hotspot: Key,
    /// Why.
    pub reason: RejectReason,
}

/// One hotspot's hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HotspotShare {
    /// Valid beacons that were witnessed.
    pub beacons: u32,
    /// Valid witnesses (after the per-beacon cap).
    pub witnesses: u32,
    /// DC burned for packets it carried.
    pub dc: u64,
    /// Density-scaled beacon units (× 10⁶).
    pub beacon_units: u64,
    /// Density-scaled witness units (× 10⁶).
    pub witness_units: u64,
    /// Share of the hour, fraction of [`SHARE_SCALE`].
    pub share: u64,
}

/// The verdict on one hour.
#[derive(Debug, Default)]
pub struct HourOutcome {
    /// Every rejected report with its reason.
    pub rejections: Vec<Rejection>,
    /// Valid beacons (witnessed or not).
    pub valid_beacons: u64,
    /// Valid witnesses (before the per-beacon cap).
    pub valid_witnesses: u64,
    /// Valid data packets.
    pub valid_packets: u64,
    /// Per hotspot with any reward.
    pub shares: HashMap<Key, HotspotShare>,
    /// DC to burn per payer for the hour's carried packets.
    pub dc_by_payer: HashMap<Key, u64>,
}

fn region(code: u8) -> Option<Region> {
    Region::from_u8(code)
}

/// A beacon's own verdict: not denylisted, entropy known and fresh, payload derived from it,
/// beaconer registered with a location, region known and frequency in band, transmit power
/// believable.
pub fn verify_beacon(
    params: &Params,
    share: &ShareParams,
    hour: u64,
    b: &BeaconReport,
    info: Option<&HotspotInfo>,
    entropy: &HashMap<[u8; 32], u64>,
    denylist: &HashSet<Key>,
) -> Result<(), RejectReason> {
    check_denylist(&b.hotspot, denylist)?;
    let published = *entropy
        .get(&b.entropy)
        .ok_or(RejectReason::UnknownEntropy)?;
    check_entropy(published, hour, params.entropy_window_hours)?;
    if b.payload[..] != beacon_payload(&b.entropy, &b.hotspot)[..] {
        return Err(RejectReason::InvalidPayload);
    }
    let info = info.ok_or(RejectReason::UnknownHotspot)?;
    check_location(info.position)?;
    let r = region(b.region).ok_or(RejectReason::RegionMismatch)?;
    if !r.contains(b.frequency_hz) {
        return Err(RejectReason::FrequencyMismatch);
    }
    if b.tx_power_dbm > share.max_tx_power_dbm {
        return Err(RejectReason::TxPowerTooHigh);
    }
    Ok(())
}

struct ValidBeacon<'a> {
    report: &'a BeaconReport,
    published_hour: u64,
    position: Position,
}

/// Order in which a beacon's valid witnesses fill the `max_witnesses_per_beacon` slots (lowest
/// first): `SHA-256(payload || witness key)`. Both inputs are fixed before anyone can choose
/// them (the payload is derived from fresh entropy), unlike the report id, which the witness
/// controls through the body.
#[must_use]
pub fn witness_rank(payload: &[u8], witness: &Key) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(payload);
    h.update(witness);
    h.finalize().into()
}

fn units(count: u32, scale: f64) -> u64 {
    (f64::from(count) * scale * UNIT).round() as u64
}

/// Judge one hour and compute its shares (deterministic: the same input gives the same output
/// whatever the input order or thread count).
#[must_use]
pub fn run_hour(params: &Params, share: &ShareParams, input: &HourInput) -> HourOutcome {
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
    let mut by_payload: HashMap<&[u8], ValidBeacon<'_>> = HashMap::with_capacity(beacons.len());
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
                        ValidBeacon {
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
                    kind: crate::report::ReportKind::Beacon,
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
    let pre: Vec<Result<&ValidBeacon<'_>, RejectReason>> = witnesses
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
                kind: crate::report::ReportKind::Witness,
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
                kind: crate::report::ReportKind::Data,
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
    assign_shares(share, &mut shares);
    out.shares = shares;
    out
}

/// Fill in `share` for every hotspot from its units: each pool's weight (empty pools' weight
/// goes to the others pro rata) times the hotspot's fraction of the pool, rounded down.
pub fn assign_shares(params: &ShareParams, shares: &mut HashMap<Key, HotspotShare>) {
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

#[cfg(test)]
#[path = "hour_tests.rs"]
mod hour_tests;
