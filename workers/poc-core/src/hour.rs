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
use std::sync::atomic::{AtomicU32, Ordering};

use foldhash::{HashMapExt as _, HashSetExt as _};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::report::{
    beacon_payload, BeaconReport, DataReport, ReportKind, WitnessReport, BEACON_PAYLOAD_LEN,
};
use crate::{
    check_entropy, check_location, hex_density_scale, verify_witness_at, Beacon, Key, Params,
    Party, Position, Region, RejectReason, Site, Witness,
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
    beacon_rules(
        params,
        share,
        hour,
        b,
        denylist.contains(&b.hotspot),
        entropy.get(&b.entropy).copied(),
        info.map(|i| check_location(i.position)),
    )
    .map(|_| ())
}

/// [`verify_beacon`] on what it looks up: whether the beaconer is denylisted, the hour its
/// entropy was published in, and (for a registered beaconer) its [`check_location`] verdict.
/// Returns the payload the beacon had to carry.
fn beacon_rules(
    params: &Params,
    share: &ShareParams,
    hour: u64,
    b: &BeaconReport,
    denylisted: bool,
    published: Option<u64>,
    location: Option<Result<(), RejectReason>>,
) -> Result<[u8; BEACON_PAYLOAD_LEN], RejectReason> {
    if denylisted {
        return Err(RejectReason::Denylisted);
    }
    let published = published.ok_or(RejectReason::UnknownEntropy)?;
    check_entropy(published, hour, params.entropy_window_hours)?;
    let payload = beacon_payload(&b.entropy, &b.hotspot);
    if b.payload[..] != payload[..] {
        return Err(RejectReason::InvalidPayload);
    }
    location.ok_or(RejectReason::UnknownHotspot)??;
    let r = region(b.region).ok_or(RejectReason::RegionMismatch)?;
    if !r.contains(b.frequency_hz) {
        return Err(RejectReason::FrequencyMismatch);
    }
    if b.tx_power_dbm > share.max_tx_power_dbm {
        return Err(RejectReason::TxPowerTooHigh);
    }
    Ok(payload)
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

// ---------------------------------------------------------------------------------------------
// run_hour
//
// Reports are judged with every per-report rule in parallel, on hotspots interned to dense
// indexes once (their parsed cells, centres and denylist flags precomputed), and with the
// order-dependent rules (duplicates: the first report in id order, or (timestamp, id) order for
// data, wins) computed by sorting, never by the order reports arrived in. Hash maps use foldhash
// with random seeds ("minimally DoS-resistant": colliding keys cannot be precomputed offline),
// and the only one filled from keys a reporter chooses freely is the set of rejected
// beacon payloads. `hour_reference_tests` checks the result against a direct implementation of
// the rules (the original `run_hour`).
// ---------------------------------------------------------------------------------------------

/// "No index" for `u32` indexes (hotspots, valid beacons).
const NONE: u32 = u32::MAX;
/// A witness whose payload is no beacon of the hour ([`RejectReason::UnknownBeacon`]).
const UNKNOWN_BEACON: u32 = u32::MAX;
/// A witness whose payload is that of a rejected beacon ([`RejectReason::InvalidBeacon`]).
const INVALID_BEACON: u32 = u32::MAX - 1;

fn index32(i: usize) -> u32 {
    u32::try_from(i)
        .ok()
        .filter(|&i| i < INVALID_BEACON)
        .expect("fewer than 2^32 - 2 hotspots and reports of each kind in an hour")
}

fn slot(i: u32) -> usize {
    i as usize
}

/// The first eight bytes of a 32-byte id, big-endian: sorting by it sorts by the id's first
/// eight bytes, and ties are broken by the whole id.
fn prefix(id: &[u8; 32]) -> u64 {
    let [b0, b1, b2, b3, b4, b5, b6, b7, ..] = *id;
    u64::from_be_bytes([b0, b1, b2, b3, b4, b5, b6, b7])
}

/// `(prefix, index)` of every item, sorted by the item's id (ties between equal ids in no
/// particular order: equal ids are equal reports).
fn sort_by_id<T: Sync>(items: &[([u8; 32], T)]) -> Vec<(u64, usize)> {
    let mut v: Vec<(u64, usize)> = items
        .par_iter()
        .enumerate()
        .map(|(i, (id, _))| (prefix(id), i))
        .collect();
    v.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| items[a.1].0.cmp(&items[b.1].0)));
    v
}

/// Indexes of the positions of `order` (a list sorted by id) whose id equals the previous one's.
fn repeated_ids<T: Sync>(items: &[([u8; 32], T)], order: &[(u64, usize)]) -> Vec<usize> {
    order
        .par_windows(2)
        .filter(|w| w[0].0 == w[1].0 && items[w[0].1].0 == items[w[1].1].0)
        .map(|w| w[1].1)
        .collect()
}

/// Inserts `entries` into `map` grouped by the region of the table they hash to, so that a map
/// larger than the caches is written region by region instead of at random (several times
/// faster). The grouping only matters for speed: hashbrown, behind std's `HashMap`, starts
/// probing at `hash & (buckets - 1)`, with a power-of-two bucket count of at least 8/7 of the
/// capacity.
fn insert_in_bucket_order<K, V, S>(map: &mut HashMap<K, V, S>, entries: Vec<(K, V)>)
where
    K: std::hash::Hash + Eq + Send + Sync,
    V: Send + Sync,
    S: std::hash::BuildHasher + Sync,
{
    const REGIONS_LOG2: u32 = 12;
    map.reserve(entries.len());
    let buckets = (map.capacity().saturating_mul(8) / 7)
        .checked_next_power_of_two()
        .unwrap_or(1 << 63);
    let shift = buckets.trailing_zeros().saturating_sub(REGIONS_LOG2);
    let mask = buckets as u64 - 1;
    let hasher = map.hasher();
    let regions: Vec<usize> = entries
        .par_iter()
        .map(|(k, _)| ((hasher.hash_one(k) & mask) >> shift) as usize)
        .collect();
    let mut sizes = vec![0usize; (buckets >> shift).max(1)];
    for &r in &regions {
        sizes[r] += 1;
    }
    let mut grouped: Vec<Vec<(K, V)>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (entry, r) in entries.into_iter().zip(regions) {
        grouped[r].push(entry);
    }
    for (k, v) in grouped.into_iter().flatten() {
        map.insert(k, v);
    }
}

/// The registered hotspots, interned to dense indexes.
struct Hotspots<'a> {
    keys: Vec<Key>,
    index: foldhash::HashMap<Key, u32>,
    sites: Vec<Site>,
    denylisted: Vec<bool>,
    denylist: &'a HashSet<Key>,
}

impl<'a> Hotspots<'a> {
    fn new(input: &'a HourInput) -> Self {
        let entries: Vec<(&Key, &HotspotInfo)> = input.hotspots.iter().collect();
        let keys: Vec<Key> = entries.par_iter().map(|(k, _)| **k).collect();
        let mut index = foldhash::HashMap::with_capacity(entries.len());
        insert_in_bucket_order(
            &mut index,
            keys.iter()
                .enumerate()
                .map(|(i, k)| (*k, index32(i)))
                .collect(),
        );
        let sites: Vec<Site> = entries
            .par_iter()
            .map(|(_, info)| Site::new(info.position))
            .collect();
        let mut denylisted = vec![false; entries.len()];
        for k in &input.denylist {
            if let Some(&i) = index.get(k) {
                denylisted[slot(i)] = true;
            }
        }
        Hotspots {
            keys,
            index,
            sites,
            denylisted,
            denylist: &input.denylist,
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    /// The hotspot's index, or [`NONE`] if it is not registered.
    fn get(&self, key: &Key) -> u32 {
        self.index.get(key).copied().unwrap_or(NONE)
    }

    /// Whether the hotspot `i` (registered or not, [`NONE`]) with `key` is denylisted.
    fn is_denylisted(&self, i: u32, key: &Key) -> bool {
        if i == NONE {
            self.denylist.contains(key)
        } else {
            self.denylisted[slot(i)]
        }
    }
}

/// A valid beacon.
struct ValidBeacon<'a> {
    report: &'a BeaconReport,
    /// The beaconer's index (always registered).
    hotspot: u32,
    published_hour: u64,
}

impl ValidBeacon<'_> {
    fn beacon(&self) -> Result<Beacon, RejectReason> {
        let b = self.report;
        Ok(Beacon {
            beaconer: b.hotspot,
            entropy: b.entropy,
            entropy_hour: self.published_hour,
            frequency_hz: b.frequency_hz,
            tx_power_dbm: f64::from(b.tx_power_dbm),
            timestamp_ms: b.timestamp_ms,
            region: region(b.region).ok_or(RejectReason::RegionMismatch)?,
        })
    }
}

struct BeaconStage<'a> {
    /// Valid beacons.
    valid: Vec<ValidBeacon<'a>>,
    /// Valid beacon payload → index in `valid`.
    by_payload: foldhash::HashMap<[u8; BEACON_PAYLOAD_LEN], u32>,
    /// Payloads of rejected beacons.
    rejected_payloads: foldhash::HashSet<&'a [u8]>,
}

impl BeaconStage<'_> {
    /// The valid beacon a witness payload names, or [`UNKNOWN_BEACON`] / [`INVALID_BEACON`].
    fn lookup(&self, payload: &[u8]) -> u32 {
        let found = <&[u8; BEACON_PAYLOAD_LEN]>::try_from(payload)
            .ok()
            .and_then(|p| self.by_payload.get(p));
        match found {
            Some(&i) => i,
            None if self.rejected_payloads.contains(payload) => INVALID_BEACON,
            None => UNKNOWN_BEACON,
        }
    }
}

/// A beacon's hotspot index and [`beacon_rules`] verdict: the hour its entropy was published
/// in and its payload.
type BeaconVerdict = (u32, Result<(u64, [u8; BEACON_PAYLOAD_LEN]), RejectReason>);

/// Beacons: verify, then index the valid ones by payload. Two valid beacons cannot share a
/// payload (it is derived from the beaconer key); a second beacon of the same payload is a
/// re-broadcast and is rejected as a duplicate. A beacon whose id repeats that of an earlier
/// beacon that passed verification is a duplicate too.
fn judge_beacons<'a>(
    params: &Params,
    share: &ShareParams,
    input: &'a HourInput,
    hot: &Hotspots<'_>,
    rejections: &mut Vec<Rejection>,
) -> BeaconStage<'a> {
    let order = sort_by_id(&input.beacons);
    let mut verdicts: Vec<BeaconVerdict> = input
        .beacons
        .par_iter()
        .map(|(_, b)| {
            let h = hot.get(&b.hotspot);
            let published = input.entropy.get(&b.entropy).copied();
            let verdict = beacon_rules(
                params,
                share,
                input.hour,
                b,
                hot.is_denylisted(h, &b.hotspot),
                published,
                (h != NONE).then(|| hot.sites[slot(h)].check()),
            );
            (h, verdict.map(|payload| (published.unwrap_or(0), payload)))
        })
        .collect();

    // A verified beacon whose id repeats that of an earlier verified beacon is a duplicate.
    let bs = &input.beacons;
    let repeats: Vec<usize> = order
        .par_chunk_by(|a, b| a.0 == b.0 && bs[a.1].0 == bs[b.1].0)
        .filter(|run| run.len() > 1)
        .flat_map_iter(|run| {
            run.iter()
                .map(|&(_, i)| i)
                .filter(|&i| verdicts[i].1.is_ok())
                .skip(1)
        })
        .collect();
    for i in repeats {
        verdicts[i].1 = Err(RejectReason::Duplicate);
    }
    // Of the verified beacons of one payload, the first in id order is valid, the others are
    // re-broadcasts.
    let mut candidates: Vec<([u8; BEACON_PAYLOAD_LEN], usize)> = verdicts
        .par_iter()
        .enumerate()
        .filter_map(|(i, (_, v))| Some((v.ok()?.1, i)))
        .collect();
    candidates.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| bs[a.1].0.cmp(&bs[b.1].0)));
    let rebroadcasts: Vec<usize> = candidates
        .par_windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].1)
        .collect();
    for i in rebroadcasts {
        verdicts[i].1 = Err(RejectReason::Duplicate);
    }
    candidates.dedup_by(|later, first| later.0 == first.0);
    let valid: Vec<ValidBeacon<'_>> = candidates
        .par_iter()
        .map(|&(_, i)| {
            let (hotspot, verdict) = verdicts[i];
            ValidBeacon {
                report: &bs[i].1,
                hotspot,
                published_hour: verdict.map_or(0, |(published, _)| published),
            }
        })
        .collect();
    let mut by_payload = foldhash::HashMap::with_capacity(candidates.len());
    insert_in_bucket_order(
        &mut by_payload,
        candidates
            .par_iter()
            .enumerate()
            .map(|(v, &(payload, _))| (payload, index32(v)))
            .collect(),
    );
    drop(candidates);

    let mut rejected_payloads = foldhash::HashSet::new();
    for &(_, i) in &order {
        if let Err(reason) = verdicts[i].1 {
            let (id, b) = &bs[i];
            rejected_payloads.insert(&b.payload[..]);
            rejections.push(Rejection {
                id: *id,
                kind: ReportKind::Beacon,
                hotspot: b.hotspot,
                reason,
            });
        }
    }
    BeaconStage {
        valid,
        by_payload,
        rejected_payloads,
    }
}

/// A witness's duplicate status (decided over the whole hour).
const NOT_REPEATED: u8 = 0;
const REPEATED_ID: u8 = 1;
const REPEATED_PAIR: u8 = 2;

/// What one hour's witnesses earn.
struct WitnessStage {
    valid: u64,
    /// Credited witnesses per hotspot index.
    witnesses: Vec<u32>,
    /// Witnessed valid beacons per beaconer index.
    beacons: Vec<u32>,
}

/// Witnesses: every rule is per report except duplicates, which need the whole hour: a repeated
/// report id, and a second witness by one hotspot of one beacon (one reception is coverage, a
/// second is not more), each resolved in id order. Then each beacon's valid witnesses fill its
/// `max_witnesses_per_beacon` slots in [`witness_rank`] order.
fn judge_witnesses(
    params: &Params,
    share: &ShareParams,
    input: &HourInput,
    hot: &Hotspots<'_>,
    beacons: &BeaconStage<'_>,
    rejections: &mut Vec<Rejection>,
) -> WitnessStage {
    let ws = &input.witnesses;
    let order = sort_by_id(ws);
    // Per witness (input order): the valid beacon it names (or why none) and its hotspot.
    let found: Vec<(u32, u32)> = ws
        .par_iter()
        .map(|(_, w)| (beacons.lookup(&w.payload), hot.get(&w.hotspot)))
        .collect();

    let mut repeated = vec![NOT_REPEATED; ws.len()];
    for i in repeated_ids(ws, &order) {
        repeated[i] = REPEATED_ID;
    }
    // (beacon, witness hotspot) pairs of the witnesses that are not repeated ids and name a
    // valid beacon: of the witnesses of one pair, the first in id order is judged and the others
    // are duplicates. Unregistered witnesses apart (they are rejected, but a second one of the
    // same beacon is a duplicate first).
    let candidate = |i: usize| -> Option<(u32, u32)> {
        let (b, h) = found[i];
        (repeated[i] == NOT_REPEATED && b < INVALID_BEACON).then_some((b, h))
    };
    let mut pairs: Vec<(u64, u32)> = (0..ws.len())
        .into_par_iter()
        .filter_map(|i| {
            let (b, h) = candidate(i)?;
            (h != NONE).then(|| ((u64::from(b) << 32) | u64::from(h), index32(i)))
        })
        .collect();
    let mut unregistered: Vec<(u32, &Key, &[u8; 32], usize)> = (0..ws.len())
        .into_par_iter()
        .filter_map(|i| {
            let (b, h) = candidate(i)?;
            (h == NONE).then(|| (b, &ws[i].1.hotspot, &ws[i].0, i))
        })
        .collect();
    pairs.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| ws[slot(a.1)].0.cmp(&ws[slot(b.1)].0))
    });
    unregistered.par_sort_unstable();
    let pair_repeats: Vec<usize> = pairs
        .par_windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| slot(w[1].1))
        .collect();
    for i in pair_repeats {
        repeated[i] = REPEATED_PAIR;
    }
    for w in unregistered.windows(2) {
        if (w[0].0, w[0].1) == (w[1].0, w[1].1) {
            repeated[w[1].3] = REPEATED_PAIR;
        }
    }
    drop(unregistered);

    let hour = input.hour;
    let verdicts: Vec<Result<(), RejectReason>> = ws
        .par_iter()
        .zip(found.par_iter().zip(repeated.par_iter()))
        .map(|((_, w), (&(b, h), &repeated))| {
            if repeated == REPEATED_ID {
                return Err(RejectReason::Duplicate);
            }
            match b {
                UNKNOWN_BEACON => return Err(RejectReason::UnknownBeacon),
                INVALID_BEACON => return Err(RejectReason::InvalidBeacon),
                _ => {}
            }
            if repeated == REPEATED_PAIR {
                return Err(RejectReason::Duplicate);
            }
            if h == NONE {
                return Err(RejectReason::UnknownHotspot);
            }
            let vb = &beacons.valid[slot(b)];
            if w.timestamp_ms.abs_diff(vb.report.timestamp_ms)
                > share.witness_window_ms.unsigned_abs()
            {
                return Err(RejectReason::WitnessTimeMismatch);
            }
            let beacon = vb.beacon()?;
            let witness = Witness {
                witness: w.hotspot,
                rssi_dbm: f64::from(w.rssi_dbm_x10) / 10.0,
                snr_db: f64::from(w.snr_db_x10) / 10.0,
                frequency_hz: w.frequency_hz,
                timestamp_ms: w.timestamp_ms,
                region: region(w.region).ok_or(RejectReason::RegionMismatch)?,
            };
            verify_witness_at(
                params,
                hour,
                Party {
                    report: &beacon,
                    site: &hot.sites[slot(vb.hotspot)],
                    denylisted: hot.denylisted[slot(vb.hotspot)],
                },
                Party {
                    report: &witness,
                    site: &hot.sites[slot(h)],
                    denylisted: hot.denylisted[slot(h)],
                },
            )
        })
        .collect();

    let mut valid = 0u64;
    for &(_, i) in &order {
        match verdicts[i] {
            Ok(()) => valid += 1,
            Err(reason) => rejections.push(Rejection {
                id: ws[i].0,
                kind: ReportKind::Witness,
                hotspot: ws[i].1.hotspot,
                reason,
            }),
        }
    }

    // Every valid witness is in `pairs` (registered, first of its pair), grouped by beacon. A
    // beacon with more valid witnesses than slots fills them in rank order (ranks are unique:
    // one valid witness per hotspot and payload).
    let witness_counts: Vec<AtomicU32> = (0..hot.len()).map(|_| AtomicU32::new(0)).collect();
    let beacon_counts: Vec<AtomicU32> = (0..hot.len()).map(|_| AtomicU32::new(0)).collect();
    let cap = share.max_witnesses_per_beacon;
    let hotspot_of = |pair: u64| (pair & u64::from(u32::MAX)) as usize;
    pairs
        .par_chunk_by(|a, b| a.0 >> 32 == b.0 >> 32)
        .for_each(|group| {
            let is_valid = |&&(_, i): &&(u64, u32)| verdicts[slot(i)].is_ok();
            let n = group.iter().filter(is_valid).count();
            if n == 0 || cap == 0 {
                return;
            }
            if n <= cap {
                for &(pair, _) in group.iter().filter(is_valid) {
                    witness_counts[hotspot_of(pair)].fetch_add(1, Ordering::Relaxed);
                }
            } else {
                let mut ranked: Vec<([u8; 32], usize)> = group
                    .iter()
                    .filter(is_valid)
                    .map(|&(pair, i)| {
                        let w = &ws[slot(i)].1;
                        (witness_rank(&w.payload, &w.hotspot), hotspot_of(pair))
                    })
                    .collect();
                ranked.sort_unstable();
                for &(_, h) in &ranked[..cap] {
                    witness_counts[h].fetch_add(1, Ordering::Relaxed);
                }
            }
            let beacon = (group[0].0 >> 32) as usize;
            beacon_counts[slot(beacons.valid[beacon].hotspot)].fetch_add(1, Ordering::Relaxed);
        });
    WitnessStage {
        valid,
        witnesses: witness_counts
            .into_iter()
            .map(AtomicU32::into_inner)
            .collect(),
        beacons: beacon_counts
            .into_iter()
            .map(AtomicU32::into_inner)
            .collect(),
    }
}

/// What one hour's data packets earn.
struct DataStage {
    valid: u64,
    /// DC per hotspot index.
    dc: Vec<u64>,
    /// DC per route (index in `HourInput::routes`).
    dc_by_route: Vec<u64>,
}

/// Data packets: not denylisted, registered hotspot, possible length, routed DevAddr, funded
/// payer, and each report and each packet paid once: the first in (timestamp, id) order wins.
fn judge_data(
    share: &ShareParams,
    input: &HourInput,
    hot: &Hotspots<'_>,
    rejections: &mut Vec<Rejection>,
) -> DataStage {
    let data = &input.data;
    let unfunded: Vec<bool> = input
        .routes
        .iter()
        .map(|(_, _, payer)| input.unfunded_payers.contains(payer))
        .collect();
    // The rules that look at one report only, in rule order after the duplicate-id rule.
    let checked: Vec<(u32, Result<usize, RejectReason>)> = data
        .par_iter()
        .map(|(_, d)| {
            let h = hot.get(&d.hotspot);
            let verdict = (|| {
                if hot.is_denylisted(h, &d.hotspot) {
                    return Err(RejectReason::Denylisted);
                }
                if h == NONE {
                    return Err(RejectReason::UnknownHotspot);
                }
                if d.payload_len > MAX_PACKET_BYTES {
                    return Err(RejectReason::InvalidPayload);
                }
                let route = input
                    .routes
                    .iter()
                    .position(|(lo, hi, _)| *lo <= d.devaddr && d.devaddr <= *hi)
                    .ok_or(RejectReason::Unrouted)?;
                if unfunded[route] {
                    return Err(RejectReason::PayerUnfunded);
                }
                Ok(route)
            })();
            (h, verdict)
        })
        .collect();

    // Of the reports with one id, the first in (timestamp, id) order is judged, the others are
    // duplicates (equal ids are equal reports, so which copy does not matter).
    let ts_then_id = |i: usize, j: usize| {
        data[i]
            .1
            .timestamp_ms
            .cmp(&data[j].1.timestamp_ms)
            .then_with(|| data[i].0.cmp(&data[j].0))
    };
    let mut repeated = vec![false; data.len()];
    let by_id = sort_by_id(data);
    let repeats: Vec<usize> = by_id
        .par_chunk_by(|a, b| a.0 == b.0 && data[a.1].0 == data[b.1].0)
        .filter(|run| run.len() > 1)
        .flat_map_iter(|run| {
            let first = run
                .iter()
                .map(|&(_, i)| i)
                .min_by(|&i, &j| ts_then_id(i, j).then(i.cmp(&j)));
            run.iter()
                .map(|&(_, i)| i)
                .filter(move |&i| Some(i) != first)
        })
        .collect();
    drop(by_id);
    for i in repeats {
        repeated[i] = true;
    }
    // Of the reports of one packet that pass every other rule, the first in (timestamp, id)
    // order is paid.
    let mut packets: Vec<(u64, usize)> = data
        .par_iter()
        .enumerate()
        .filter(|&(i, _)| !repeated[i] && checked[i].1.is_ok())
        .map(|(i, (_, d))| (prefix(&d.payload_hash), i))
        .collect();
    packets.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| data[a.1].1.payload_hash.cmp(&data[b.1].1.payload_hash))
            .then_with(|| ts_then_id(a.1, b.1))
    });
    let packet_repeats: Vec<usize> = packets
        .par_windows(2)
        .filter(|w| w[0].0 == w[1].0 && data[w[0].1].1.payload_hash == data[w[1].1].1.payload_hash)
        .map(|w| w[1].1)
        .collect();
    drop(packets);
    let mut repeated_packet = vec![false; data.len()];
    for i in packet_repeats {
        repeated_packet[i] = true;
    }

    let verdict = |i: usize| -> Result<(u32, usize), RejectReason> {
        if repeated[i] {
            return Err(RejectReason::Duplicate);
        }
        let (h, checked) = checked[i];
        let route = checked?;
        if repeated_packet[i] {
            return Err(RejectReason::DuplicatePacket);
        }
        Ok((h, route))
    };
    // Rejections in (timestamp, id) order.
    let mut rejected: Vec<(i64, u64, usize, RejectReason)> = data
        .par_iter()
        .enumerate()
        .filter_map(|(i, (id, d))| {
            let reason = verdict(i).err()?;
            Some((d.timestamp_ms, prefix(id), i, reason))
        })
        .collect();
    // (Copies of one report: the judged one first, as it came first.)
    rejected.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| data[a.2].0.cmp(&data[b.2].0))
            .then(repeated[a.2].cmp(&repeated[b.2]))
    });
    rejections.extend(rejected.into_iter().map(|(_, _, i, reason)| Rejection {
        id: data[i].0,
        kind: ReportKind::Data,
        hotspot: data[i].1.hotspot,
        reason,
    }));
    let mut stage = DataStage {
        valid: 0,
        dc: vec![0; hot.len()],
        dc_by_route: vec![0; input.routes.len()],
    };
    for (i, (_, d)) in data.iter().enumerate() {
        if let Ok((h, route)) = verdict(i) {
            let dc = dc_for_packet(d.payload_len, share.bytes_per_dc);
            stage.valid += 1;
            stage.dc[slot(h)] += dc;
            stage.dc_by_route[route] += dc;
        }
    }
    stage
}

/// Judge one hour and compute its shares (deterministic: the same input gives the same output
/// whatever the input order or thread count).
///
/// Rejections are listed beacons first, then witnesses, both in report id order, then data
/// reports in (timestamp, id) order.
#[must_use]
pub fn run_hour(params: &Params, share: &ShareParams, input: &HourInput) -> HourOutcome {
    let mut out = HourOutcome::default();
    let hot = Hotspots::new(input);
    let beacons = judge_beacons(params, share, input, &hot, &mut out.rejections);
    out.valid_beacons = beacons.valid.len() as u64;
    let witnesses = judge_witnesses(params, share, input, &hot, &beacons, &mut out.rejections);
    out.valid_witnesses = witnesses.valid;
    let data = judge_data(share, input, &hot, &mut out.rejections);
    out.valid_packets = data.valid;
    for ((_, _, payer), dc) in input.routes.iter().zip(&data.dc_by_route) {
        if *dc > 0 {
            *out.dc_by_payer.entry(*payer).or_insert(0) += dc;
        }
    }

    // Density: hotspots active in PoC this hour (a witnessed beacon or a credited witness), per
    // hex at the density resolution.
    let density_res = h3o::Resolution::try_from(share.density_resolution).ok();
    let active = |i: usize| witnesses.beacons[i] > 0 || witnesses.witnesses[i] > 0;
    let mut hexes: Vec<(u64, u32)> = (0..hot.len())
        .into_par_iter()
        .filter(|&i| active(i))
        .filter_map(|i| {
            let hex = hot.sites[i].cell()?.parent(density_res?)?;
            Some((u64::from(hex), index32(i)))
        })
        .collect();
    hexes.par_sort_unstable();
    let mut in_hex = vec![0u32; hot.len()];
    for group in hexes.chunk_by(|a, b| a.0 == b.0) {
        let n = u32::try_from(group.len()).unwrap_or(u32::MAX);
        for &(_, i) in group {
            in_hex[slot(i)] = n;
        }
    }
    drop(hexes);
    let mut shares: Vec<(usize, HotspotShare)> = (0..hot.len())
        .into_par_iter()
        .filter_map(|i| {
            let (b, w, dc) = (witnesses.beacons[i], witnesses.witnesses[i], data.dc[i]);
            if b == 0 && w == 0 && dc == 0 {
                return None;
            }
            let scale = match in_hex[i] {
                0 => 1.0,
                n => hex_density_scale(n, share.density_target),
            };
            let mut s = HotspotShare {
                dc,
                ..HotspotShare::default()
            };
            if b > 0 {
                s.beacons = b;
                s.beacon_units = units(b, scale);
            }
            if w > 0 {
                s.witnesses = w;
                s.witness_units = units(w, scale);
            }
            Some((i, s))
        })
        .collect();
    let pools = Pools::new(
        share,
        shares
            .par_iter()
            .map(|(_, s)| Totals::of(s))
            .reduce(Totals::default, Totals::add),
    );
    shares
        .par_iter_mut()
        .for_each(|(_, s)| s.share = pools.share_of(s));
    insert_in_bucket_order(
        &mut out.shares,
        shares
            .into_par_iter()
            .map(|(i, s)| (hot.keys[i], s))
            .collect(),
    );
    out
}

/// Sums of each pool's units over all hotspots.
#[derive(Debug, Clone, Copy, Default)]
struct Totals([u128; 3]);

impl Totals {
    fn of(s: &HotspotShare) -> Self {
        Totals([
            u128::from(s.beacon_units),
            u128::from(s.witness_units),
            u128::from(s.dc),
        ])
    }

    fn add(self, other: Self) -> Self {
        let [a, b, c] = self.0;
        let [x, y, z] = other.0;
        Totals([a + x, b + y, c + z])
    }
}

/// The pools' weights and unit totals.
struct Pools {
    pools: [(u128, u128); 3],
    live: u128,
}

impl Pools {
    fn new(params: &ShareParams, totals: Totals) -> Self {
        let [b, w, d] = totals.0;
        let pools = [
            (u128::from(params.beacon_bps), b),
            (u128::from(params.witness_bps), w),
            (u128::from(params.data_bps), d),
        ];
        let live: u128 = pools.iter().filter(|(_, t)| *t > 0).map(|(w, _)| *w).sum();
        Pools { pools, live }
    }

    fn share_of(&self, s: &HotspotShare) -> u64 {
        if self.live == 0 {
            return 0;
        }
        let mut total = 0u128;
        for ((w, t), m) in self.pools.iter().zip(Totals::of(s).0) {
            if *t > 0 {
                // SHARE_SCALE · (w / live) · (m / t), one rounding at the end of each pool.
                total += SHARE_SCALE * w * m / (self.live * t);
            }
        }
        u64::try_from(total).unwrap_or(u64::MAX)
    }
}

/// Fill in `share` for every hotspot from its units: each pool's weight (empty pools' weight
/// goes to the others pro rata) times the hotspot's fraction of the pool, rounded down.
pub fn assign_shares(params: &ShareParams, shares: &mut HashMap<Key, HotspotShare>) {
    let totals = shares
        .values()
        .map(Totals::of)
        .fold(Totals::default(), Totals::add);
    let pools = Pools::new(params, totals);
    for s in shares.values_mut() {
        s.share = pools.share_of(s);
    }
}

#[cfg(test)]
#[path = "hour_tests.rs"]
mod hour_tests;

#[cfg(test)]
#[path = "hour_reference_tests.rs"]
mod hour_reference_tests;
