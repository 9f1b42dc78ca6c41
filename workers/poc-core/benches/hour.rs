//! Throughput of [`run_hour`] on a synthetic hour.
//!
//! ```text
//! cargo bench -p lattice-poc-core --bench hour                   # N = 100 000 and 1 000 000
//! cargo bench -p lattice-poc-core --bench hour -- 50000 200000   # chosen sizes
//! POC_BENCH_N=300000 POC_BENCH_ITERS=5 cargo bench -p lattice-poc-core --bench hour
//! ```
//!
//! The hour: `N` hotspots on distinct res-12 cells, in "cities" of about a thousand hotspots
//! (a jittered grid with ~550 m spacing, ≈ 3 hotspots/km²) on a lattice of cities ~80 km apart
//! across the US. Every hotspot beacons once; each beacon is witnessed by about four nearby
//! hotspots with free-space RSSI minus 5–30 dB of loss; every hotspot carries two data packets.
//! On top come ~5 % adversarial reports (replays, second receptions, fabricated and self
//! witnesses, late and inflated witnesses, spoofed far-away witnesses, over-powered, stale and
//! unregistered beacons, double-claimed, unrouted and unregistered packets) and a 0.1 %
//! denylist. Only `run_hour` is timed, not the input generation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use h3o::{LatLng, Resolution};
use lattice_poc_core::hour::{run_hour, HotspotInfo, HourInput, ShareParams};
use lattice_poc_core::report::{
    beacon_payload, report_id, BeaconReport, DataReport, ReportBody, WitnessReport, BEACON_MAGIC,
};
use lattice_poc_core::{distance_km, expected_rssi_dbm, Key, Params, Position, Region};
use rayon::prelude::*;

const HOUR: u64 = 480_000;
const HOUR_MS: i64 = HOUR as i64 * 3_600_000;
const ENTROPY_NOW: [u8; 32] = [0x11; 32];
const ENTROPY_PREV: [u8; 32] = [0x22; 32];
const ENTROPY_STALE: [u8; 32] = [0x33; 32];
const HOTSPOTS_PER_CITY: usize = 1_000;
const CITY_COLUMNS: usize = 40;
const CITY_SPACING_DEG: f64 = 0.8;
const HOTSPOT_SPACING_DEG: f64 = 0.005;
const PAYERS: u32 = 8;
const WITNESS_OFFSETS: [(i64, i64); 10] = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (-1, -1),
    (1, -1),
    (-1, 1),
    (2, 0),
    (-2, 0),
];

/// splitmix64 of `x`: a stateless, deterministic hash for reproducible inputs.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn rand(seed: u64, stream: u64) -> u64 {
    mix(seed ^ mix(stream))
}

fn unit(seed: u64, stream: u64) -> f64 {
    (rand(seed, stream) >> 11) as f64 / (1u64 << 53) as f64
}

fn bytes32(seed: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&mix(seed.wrapping_mul(4).wrapping_add(i as u64)).to_le_bytes());
    }
    out
}

fn hotspot_key(i: usize) -> Key {
    bytes32(0xA000_0000_0000_0000 ^ i as u64)
}

/// Where hotspots sit: city `i / HOTSPOTS_PER_CITY`, row/column inside the city's grid.
struct Layout {
    n: usize,
    side: usize,
}

impl Layout {
    fn new(n: usize) -> Self {
        let side = (HOTSPOTS_PER_CITY as f64).sqrt().ceil() as usize;
        Layout { n, side }
    }

    fn city_of(&self, i: usize) -> usize {
        i / HOTSPOTS_PER_CITY
    }

    fn grid_of(&self, i: usize) -> (i64, i64) {
        let j = i % HOTSPOTS_PER_CITY;
        ((j / self.side) as i64, (j % self.side) as i64)
    }

    /// The hotspot at `(row, col)` of `i`'s city, if there is one.
    fn at(&self, i: usize, row: i64, col: i64) -> Option<usize> {
        let side = self.side as i64;
        if row < 0 || col < 0 || col >= side {
            return None;
        }
        let j = usize::try_from(row * side + col).ok()?;
        if j >= HOTSPOTS_PER_CITY {
            return None;
        }
        let k = self.city_of(i) * HOTSPOTS_PER_CITY + j;
        (k < self.n).then_some(k)
    }

    fn latlng(&self, i: usize) -> (f64, f64) {
        let city = self.city_of(i);
        let (clat, clng) = (
            30.0 + (city / CITY_COLUMNS) as f64 * CITY_SPACING_DEG,
            -122.0 + (city % CITY_COLUMNS) as f64 * CITY_SPACING_DEG,
        );
        let (r, c) = self.grid_of(i);
        let seed = i as u64;
        let lat = clat + r as f64 * HOTSPOT_SPACING_DEG + (unit(seed, 1) - 0.5) * 0.003;
        let lng_step = HOTSPOT_SPACING_DEG / clat.to_radians().cos();
        let lng =
            clng + c as f64 * lng_step + (unit(seed, 2) - 0.5) * 0.003 / clat.to_radians().cos();
        (lat, lng)
    }

    /// Up to four nearby hotspots of the same city.
    fn witnesses_of(&self, i: usize) -> Vec<usize> {
        let (r, c) = self.grid_of(i);
        WITNESS_OFFSETS
            .iter()
            .filter_map(|(dr, dc)| self.at(i, r + dr, c + dc))
            .take(4)
            .collect()
    }
}

struct World {
    layout: Layout,
    keys: Vec<Key>,
    cells: Vec<u64>,
}

impl World {
    fn position(&self, i: usize) -> Position {
        Position {
            cell: self.cells[i],
            gain_dbi_x10: 12 + (mix(i as u64) % 50) as i16,
            elevation_m: 5,
        }
    }

    fn beacon(&self, i: usize) -> BeaconReport {
        let seed = i as u64;
        let entropy = if rand(seed, 3).is_multiple_of(4) {
            ENTROPY_PREV
        } else {
            ENTROPY_NOW
        };
        let key = self.keys[i];
        BeaconReport {
            hotspot: key,
            entropy,
            payload: beacon_payload(&entropy, &key).to_vec(),
            frequency_hz: 902_300_000 + 200_000 * (rand(seed, 4) % 64),
            tx_power_dbm: 20 + (rand(seed, 5) % 8) as i8,
            region: Region::US915.as_u8(),
            timestamp_ms: HOUR_MS + (rand(seed, 6) % 3_480_000) as i64,
        }
    }

    /// `w`'s witness of `b`, with RSSI free space minus `loss_db`.
    fn witness(&self, w: usize, b: usize, beacon: &BeaconReport, loss_db: f64) -> WitnessReport {
        let (bp, wp) = (self.position(b), self.position(w));
        let rssi = expected_rssi_dbm(
            f64::from(beacon.tx_power_dbm),
            bp.gain_dbi(),
            wp.gain_dbi(),
            distance_km(bp.cell, wp.cell).unwrap_or(1.0),
            beacon.frequency_hz,
        ) - loss_db;
        let seed = (b as u64) << 32 | w as u64;
        WitnessReport {
            hotspot: self.keys[w],
            payload: beacon.payload.clone(),
            rssi_dbm_x10: (rssi * 10.0).floor().max(-1_350.0) as i16,
            snr_db_x10: (rand(seed, 7) % 200) as i16 - 50,
            frequency_hz: beacon.frequency_hz,
            region: beacon.region,
            timestamp_ms: beacon.timestamp_ms + 50 + (rand(seed, 8) % 2_000) as i64,
            tmst: rand(seed, 9) as u32,
        }
    }

    fn data(&self, i: usize, p: u64) -> DataReport {
        let seed = (i as u64) << 8 | p;
        let payer = (rand(seed, 10) % u64::from(PAYERS)) as u32;
        DataReport {
            hotspot: self.keys[i],
            devaddr: 0x4800_0000 + payer * 0x10_0000 + (rand(seed, 11) % 0x10_0000) as u32,
            payload_hash: bytes32(rand(seed, 12)),
            payload_len: 10 + (rand(seed, 13) % 51) as u32,
            frequency_hz: 902_300_000 + 200_000 * (rand(seed, 14) % 64),
            timestamp_ms: HOUR_MS + (rand(seed, 15) % 3_600_000) as i64,
        }
    }
}

fn with_id<T: Clone>(wrap: fn(T) -> ReportBody, r: T) -> ([u8; 32], T) {
    (report_id(&wrap(r.clone()).to_bytes()), r)
}

/// One adversarial report of kind `kind` around hotspot `i`.
enum Bad {
    Beacon(BeaconReport),
    Witness(WitnessReport),
    Data(DataReport),
}

const ADVERSARIAL_KINDS: u64 = 14;

fn adversarial(world: &World, a: u64) -> Option<Bad> {
    let n = world.layout.n;
    let i = (rand(a, 20) % n as u64) as usize;
    let l = &world.layout;
    let (r, c) = l.grid_of(i);
    let beacon = world.beacon(i);
    let first_witness = l.witnesses_of(i).first().copied();
    Some(match rand(a, 21) % ADVERSARIAL_KINDS {
        // Replay of an honest witness: Duplicate.
        0 => {
            let w = first_witness?;
            Bad::Witness(world.witness(w, i, &beacon, loss(i, w)))
        }
        // Second reception by the same witness: Duplicate.
        1 => {
            let w = first_witness?;
            let honest = world.witness(w, i, &beacon, loss(i, w));
            Bad::Witness(WitnessReport {
                tmst: honest.tmst.wrapping_add(1),
                ..honest
            })
        }
        // Witness of a beacon nobody sent: UnknownBeacon.
        2 => {
            let mut payload = BEACON_MAGIC.to_vec();
            payload.extend_from_slice(&bytes32(a)[..16]);
            Bad::Witness(WitnessReport {
                payload,
                ..world.witness(first_witness?, i, &beacon, 20.0)
            })
        }
        // Self-witness.
        3 => Bad::Witness(WitnessReport {
            hotspot: world.keys[i],
            ..world.witness(first_witness?, i, &beacon, 20.0)
        }),
        // Late witness (a minute after the beacon): WitnessTimeMismatch.
        4 => {
            let w = l.at(i, r + 3, c).or_else(|| l.at(i, r - 3, c))?;
            let honest = world.witness(w, i, &beacon, 15.0);
            Bad::Witness(WitnessReport {
                timestamp_ms: beacon.timestamp_ms + 60_000,
                ..honest
            })
        }
        // Inflated RSSI: RssiTooStrong.
        5 => {
            let w = l.at(i, r, c + 3).or_else(|| l.at(i, r, c - 3))?;
            Bad::Witness(world.witness(w, i, &beacon, -15.0))
        }
        // A hotspot of another city claims to have heard it: TooFar or RssiTooStrong.
        6 => {
            let w = (i + HOTSPOTS_PER_CITY) % n;
            if l.city_of(w) == l.city_of(i) {
                return None;
            }
            Bad::Witness(WitnessReport {
                rssi_dbm_x10: -800,
                ..world.witness(w, i, &beacon, 0.0)
            })
        }
        // Over-powered beacon (a second beacon of the same payload): TxPowerTooHigh.
        7 => Bad::Beacon(BeaconReport {
            tx_power_dbm: 36,
            timestamp_ms: beacon.timestamp_ms + 1,
            ..beacon
        }),
        // Beacon derived from stale entropy: StaleEntropy.
        8 => Bad::Beacon(BeaconReport {
            entropy: ENTROPY_STALE,
            payload: beacon_payload(&ENTROPY_STALE, &world.keys[i]).to_vec(),
            ..beacon
        }),
        // Beacon by an unregistered hotspot: UnknownHotspot.
        9 => {
            let key = bytes32(0xBAD0_0000_0000_0000 ^ a);
            Bad::Beacon(BeaconReport {
                hotspot: key,
                payload: beacon_payload(&beacon.entropy, &key).to_vec(),
                ..beacon
            })
        }
        // The same packet claimed later by a neighbour: DuplicatePacket.
        10 => {
            let d = world.data(i, 0);
            Bad::Data(DataReport {
                hotspot: world.keys[first_witness?],
                timestamp_ms: d.timestamp_ms + 5,
                ..d
            })
        }
        // Unrouted DevAddr.
        11 => Bad::Data(DataReport {
            devaddr: 0x2600_0000 | (rand(a, 22) as u32 & 0xFFFF),
            payload_hash: bytes32(rand(a, 23)),
            ..world.data(i, 0)
        }),
        // Replayed data report: Duplicate.
        12 => Bad::Data(world.data(i, 1)),
        // Packet from an unregistered hotspot.
        _ => Bad::Data(DataReport {
            hotspot: bytes32(0xBAD1_0000_0000_0000 ^ a),
            payload_hash: bytes32(rand(a, 24)),
            ..world.data(i, 0)
        }),
    })
}

fn loss(b: usize, w: usize) -> f64 {
    5.0 + 25.0 * unit((b as u64) << 32 | w as u64, 30)
}

fn build(n: usize) -> HourInput {
    let layout = Layout::new(n);
    let keys: Vec<Key> = (0..n).into_par_iter().map(hotspot_key).collect();
    let cells: Vec<u64> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (lat, lng) = layout.latlng(i);
            u64::from(
                LatLng::new(lat, lng)
                    .expect("finite coordinates")
                    .to_cell(Resolution::Twelve),
            )
        })
        .collect();
    let world = World {
        layout,
        keys,
        cells,
    };

    let beacons: Vec<([u8; 32], BeaconReport)> = (0..n)
        .into_par_iter()
        .map(|i| with_id(ReportBody::Beacon, world.beacon(i)))
        .collect();
    let mut witnesses: Vec<([u8; 32], WitnessReport)> =
        (0..n)
            .into_par_iter()
            .flat_map_iter(|b| {
                let beacon = &beacons[b].1;
                let world = &world;
                world.layout.witnesses_of(b).into_iter().map(move |w| {
                    with_id(ReportBody::Witness, world.witness(w, b, beacon, loss(b, w)))
                })
            })
            .collect();
    let mut data: Vec<([u8; 32], DataReport)> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let world = &world;
            (0..2).map(move |p| with_id(ReportBody::Data, world.data(i, p)))
        })
        .collect();
    let mut beacons = beacons;

    // ~5 % adversarial reports.
    let honest = beacons.len() + witnesses.len() + data.len();
    let bad: Vec<Bad> = (0..(honest / 20) as u64)
        .into_par_iter()
        .filter_map(|a| adversarial(&world, a))
        .collect();
    for b in bad {
        match b {
            Bad::Beacon(r) => beacons.push(with_id(ReportBody::Beacon, r)),
            Bad::Witness(r) => witnesses.push(with_id(ReportBody::Witness, r)),
            Bad::Data(r) => data.push(with_id(ReportBody::Data, r)),
        }
    }

    let hotspots: HashMap<Key, HotspotInfo> = (0..n)
        .map(|i| {
            (
                world.keys[i],
                HotspotInfo {
                    position: Some(world.position(i)),
                },
            )
        })
        .collect();
    let denylist: HashSet<Key> = (0..n)
        .filter(|i| mix(*i as u64 ^ 0xDE17).is_multiple_of(1_000))
        .map(|i| world.keys[i])
        .collect();
    let routes = (0..PAYERS)
        .map(|p| {
            let lo = 0x4800_0000 + p * 0x10_0000;
            (lo, lo + 0xF_FFFF, bytes32(0xFA11_0000 + u64::from(p)))
        })
        .collect();
    HourInput {
        hour: HOUR,
        beacons,
        witnesses,
        data,
        hotspots,
        entropy: HashMap::from([
            (ENTROPY_NOW, HOUR),
            (ENTROPY_PREV, HOUR - 1),
            (ENTROPY_STALE, HOUR - 3),
        ]),
        denylist,
        routes,
        ..HourInput::default()
    }
}

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn run(n: usize, iters: usize) {
    let t = Instant::now();
    let input = build(n);
    let gen_s = t.elapsed().as_secs_f64();
    let reports = input.beacons.len() + input.witnesses.len() + input.data.len();
    println!(
        "N = {n}: {reports} reports ({} beacons, {} witnesses, {} data), generated in {gen_s:.2} s",
        input.beacons.len(),
        input.witnesses.len(),
        input.data.len(),
    );
    let (params, share) = (Params::default(), ShareParams::default());
    let mut best = f64::INFINITY;
    for it in 0..iters {
        let t = Instant::now();
        let out = run_hour(&params, &share, &input);
        let secs = t.elapsed().as_secs_f64();
        best = best.min(secs);
        let valid = out.valid_beacons + out.valid_witnesses + out.valid_packets;
        let rejected = out.rejections.len();
        println!(
            "  run {}: {secs:.3} s, {:.0} reports/s | valid {valid} (beacons {}, witnesses {}, \
             packets {}), rejected {rejected}, rewarded hotspots {}",
            it + 1,
            reports as f64 / secs,
            out.valid_beacons,
            out.valid_witnesses,
            out.valid_packets,
            out.shares.len(),
        );
        assert_eq!(
            valid as usize + rejected,
            reports,
            "every report judged once"
        );
        if it == 0 {
            let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &out.rejections {
                *by_reason.entry(r.reason.as_str()).or_default() += 1;
            }
            println!("  rejections: {by_reason:?}");
        }
    }
    println!(
        "RESULT N={n} reports={reports} best_seconds={best:.3} reports_per_s={:.0} threads={} peak_rss_mib={}",
        reports as f64 / best,
        rayon::current_num_threads(),
        peak_rss_mib().map_or_else(|| "?".to_owned(), |m| m.to_string()),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; sizes are the other arguments, else POC_BENCH_N.
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = std::env::var("POC_BENCH_N")
            .ok()
            .map(|v| {
                v.split(',')
                    .filter_map(|s| s.trim().replace('_', "").parse().ok())
                    .collect()
            })
            .unwrap_or_default();
    }
    if sizes.is_empty() {
        sizes = vec![100_000, 1_000_000];
    }
    let iters_env: Option<usize> = std::env::var("POC_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok());
    for n in sizes {
        let iters = iters_env.unwrap_or(if n <= 200_000 { 3 } else { 1 });
        run(n.max(1), iters.max(1));
    }
}
