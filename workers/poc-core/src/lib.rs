//! Proof-of-coverage (PoC) verification rules for Lattice beacon/witness reports.
//!
//! Every hour the oracle receives *beacons* (a hotspot transmitting a LoRa packet whose payload
//! is derived from recent, unpredictable entropy) and *witnesses* (other hotspots reporting that
//! they heard that packet, with signal strength). A witness earns rewards only if it passes
//! every rule in this crate. The crate is pure and off-chain: no I/O, no clock, no randomness,
//! so the same inputs always give the same verdict and any verdict can be replayed.
//!
//! Each rule is a function returning `Result<(), RejectReason>`; [`verify_witness`] composes them
//! in a fixed, documented order and the first failing rule's reason wins. Reasons have a stable
//! [`RejectReason::as_str`] name that is stored with every rejected report.
//!
//! # The rules and the cheats they resist
//!
//! * **Denylist** ([`check_denylist`]): keys of hotspots caught cheating (by governance or by
//!   offline analysis) are rejected outright, as beaconer or as witness.
//! * **Duplicate** ([`check_duplicate`]): a report (identified by its hash) is judged once;
//!   replaying the same signed report to be paid twice gives [`RejectReason::Duplicate`].
//! * **Self-witness** ([`check_self_witness`]): a hotspot cannot witness its own beacon. Without
//!   this rule one radio could "prove" coverage to itself.
//! * **Entropy freshness** ([`check_entropy`]): the beacon payload must be derived from entropy
//!   published in the report's hour or at most `entropy_window_hours` before it. Entropy is
//!   unpredictable before it is published, so beacons cannot be *precomputed* (or witnesses
//!   fabricated ahead of time); and an old beacon cannot be re-broadcast later, because its entropy
//!   is then stale. Entropy "from the future" is impossible for an honest hotspot and is rejected
//!   as [`RejectReason::FutureEntropy`].
//! * **Asserted location** ([`check_location`]): both parties must have an asserted, valid H3
//!   location; the geometric rules below cannot be applied otherwise.
//! * **Region and frequency** ([`check_region_frequency`]): beaconer and witness must be in the
//!   same regulatory [`Region`], both frequencies must be inside that region's band, and the
//!   witness must report the frequency the beacon was sent on (within a tolerance). A witness that
//!   "heard" a packet on a channel it was never sent on, or from another continent's band, is lying.
//! * **Signal plausibility** ([`check_signal_plausibility`]): RSSI and SNR must be finite, RSSI no
//!   weaker than the best LoRa receiver sensitivity, and SNR no higher than a LoRa radio can report.
//!   Values outside these bounds are not measurements, they are made up.
//! * **Minimum H3 grid distance** ([`check_h3_distance`]): beaconer and witness must be at least
//!   `min_h3_distance` grid steps apart. Hotspots clustered at one site (or one operator
//!   asserting many hotspots on top of each other) prove no coverage; this also keeps the FSPL
//!   model (which diverges at zero distance) meaningful. Pairs whose cell centres are too far
//!   apart to be that close ([`NEIGHBOUR_SPACING_EDGES`]) pass without asking h3o for a grid
//!   distance, which it cannot compute for some far-apart pairs.
//! * **Maximum physical distance** ([`check_physical_distance`]): the great-circle distance between
//!   the asserted cell centres must be at most `max_distance_km`. A witness 1000 km away from a
//!   ground-level LoRa transmitter is a *spoofed location* (or a relayed packet), not coverage.
//! * **RSSI vs free-space path loss** ([`check_rssi`]): free space is the best case for a radio
//!   link; real links (terrain, buildings, foliage) are only weaker. A witness reporting a signal
//!   more than `rssi_margin_db` *stronger* than free-space propagation allows from the asserted
//!   distance is physically impossible, which exposes *spoofed locations* (the two radios are
//!   really much closer than asserted, e.g. on the same desk) and fabricated *impossible signal
//!   strengths*.
//!
//! Rewards are additionally scaled by [`hex_density_scale`], so packing many hotspots into one
//! hex does not multiply rewards.

use std::collections::HashSet;

use h3o::{CellIndex, LatLng, Resolution};

pub mod hour;
pub mod report;

/// A 32-byte public key (ed25519 / Solana pubkey bytes).
pub type Key = [u8; 32];

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/// A hotspot's asserted position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// H3 cell index (the asserted location), normally at resolution 12.
    pub cell: u64,
    /// Antenna gain in tenths of dBi (e.g. `12` = 1.2 dBi).
    pub gain_dbi_x10: i16,
    /// Antenna elevation above ground in metres (informational; not used by the rules yet).
    pub elevation_m: i32,
}

impl Position {
    /// Antenna gain in dBi.
    #[must_use]
    pub fn gain_dbi(&self) -> f64 {
        f64::from(self.gain_dbi_x10) / 10.0
    }
}

/// LoRaWAN regional parameter plans supported by Lattice (LoRaWAN RP002-1.0.x band edges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// United States, 902–928 MHz ISM band.
    US915,
    /// Europe, 863–870 MHz SRD band.
    EU868,
    /// AS923 group 1 (e.g. Japan, Singapore...), 915–928 MHz.
    AS923_1,
    /// Australia, 915–928 MHz.
    AU915,
}

/// Lower band edge of [`Region::US915`], in Hz (902 MHz).
pub const US915_MIN_HZ: u64 = 902_000_000;
/// Upper band edge of [`Region::US915`], in Hz (928 MHz).
pub const US915_MAX_HZ: u64 = 928_000_000;
/// Lower band edge of [`Region::EU868`], in Hz (863 MHz).
pub const EU868_MIN_HZ: u64 = 863_000_000;
/// Upper band edge of [`Region::EU868`], in Hz (870 MHz).
pub const EU868_MAX_HZ: u64 = 870_000_000;
/// Lower band edge of [`Region::AS923_1`], in Hz (915 MHz).
pub const AS923_1_MIN_HZ: u64 = 915_000_000;
/// Upper band edge of [`Region::AS923_1`], in Hz (928 MHz).
pub const AS923_1_MAX_HZ: u64 = 928_000_000;
/// Lower band edge of [`Region::AU915`], in Hz (915 MHz).
pub const AU915_MIN_HZ: u64 = 915_000_000;
/// Upper band edge of [`Region::AU915`], in Hz (928 MHz).
pub const AU915_MAX_HZ: u64 = 928_000_000;

impl Region {
    /// Every supported region.
    pub const ALL: [Region; 4] = [Region::US915, Region::EU868, Region::AS923_1, Region::AU915];

    /// The region's band as an inclusive `(min_hz, max_hz)` range.
    #[must_use]
    pub const fn band_hz(self) -> (u64, u64) {
        match self {
            Region::US915 => (US915_MIN_HZ, US915_MAX_HZ),
            Region::EU868 => (EU868_MIN_HZ, EU868_MAX_HZ),
            Region::AS923_1 => (AS923_1_MIN_HZ, AS923_1_MAX_HZ),
            Region::AU915 => (AU915_MIN_HZ, AU915_MAX_HZ),
        }
    }

    /// Whether `frequency_hz` lies inside the region's band (edges included).
    #[must_use]
    pub const fn contains(self, frequency_hz: u64) -> bool {
        let (lo, hi) = self.band_hz();
        lo <= frequency_hz && frequency_hz <= hi
    }

    /// Stable name (as used in LoRaWAN regional parameters).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Region::US915 => "US915",
            Region::EU868 => "EU868",
            Region::AS923_1 => "AS923_1",
            Region::AU915 => "AU915",
        }
    }
}

/// A beacon report: the beaconer says it transmitted this packet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beacon {
    /// Beaconer's key.
    pub beaconer: Key,
    /// The entropy the beacon payload was derived from.
    pub entropy: [u8; 32],
    /// Hour (Unix time / 3600) in which `entropy` was published.
    pub entropy_hour: u64,
    /// Transmit frequency in Hz.
    pub frequency_hz: u64,
    /// Conducted transmit power in dBm (antenna gain comes from the [`Position`]).
    pub tx_power_dbm: f64,
    /// Transmit time, Unix milliseconds.
    pub timestamp_ms: i64,
    /// Regional plan the beaconer operates under.
    pub region: Region,
}

/// A witness report: the witness says it received a beacon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Witness {
    /// Witness's key.
    pub witness: Key,
    /// Received signal strength in dBm.
    pub rssi_dbm: f64,
    /// Signal-to-noise ratio in dB.
    pub snr_db: f64,
    /// Frequency the packet was received on, in Hz.
    pub frequency_hz: u64,
    /// Receive time, Unix milliseconds.
    pub timestamp_ms: i64,
    /// Regional plan the witness operates under.
    pub region: Region,
}

/// Why a witness was rejected. [`RejectReason::as_str`] names are stable: they are stored with
/// every rejected report, so never rename one (add new variants instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectReason {
    /// Beacon entropy older than the allowed window.
    StaleEntropy,
    /// Beacon entropy from an hour after the report's hour.
    FutureEntropy,
    /// A party has no asserted location.
    MissingLocation,
    /// A party's asserted location is not a valid H3 cell.
    InvalidLocation,
    /// The two cells are at different H3 resolutions.
    ResolutionMismatch,
    /// h3o could not compute a grid distance (pentagon distortion, or cells on far-apart
    /// icosahedron faces) for cells whose centres are close enough that they might be fewer than
    /// `min_h3_distance` steps apart. Pairs certainly far enough apart never get this reason.
    H3DistanceUnavailable,
    /// Beaconer and witness are fewer than `min_h3_distance` grid steps apart.
    TooCloseH3,
    /// Beaconer and witness are more than `max_distance_km` apart.
    TooFar,
    /// Witness RSSI is stronger than free-space propagation allows (plus margin).
    RssiTooStrong,
    /// Witness RSSI is weaker than any LoRa receiver can decode.
    RssiTooWeak,
    /// Witness SNR is higher than a LoRa radio can report.
    SnrTooHigh,
    /// A signal value (RSSI, SNR, transmit power, gain-derived expectation) is NaN or infinite.
    InvalidSignal,
    /// The witness is the beaconer.
    SelfWitness,
    /// This report was already judged.
    Duplicate,
    /// The beaconer or witness is denylisted.
    Denylisted,
    /// Beaconer and witness are in different regions.
    RegionMismatch,
    /// A frequency lies outside the region's band, or the witness frequency differs from the
    /// beacon's by more than the tolerance.
    FrequencyMismatch,
    /// The beacon's entropy was never published (the oracle did not see that blockhash).
    UnknownEntropy,
    /// The beacon payload is not the one derived from its entropy and beaconer, or a data
    /// packet claims a length no LoRa packet can have.
    InvalidPayload,
    /// The reporting hotspot is not registered.
    UnknownHotspot,
    /// The beacon claims a transmit power above the believable maximum.
    TxPowerTooHigh,
    /// The witnessed beacon was itself rejected.
    InvalidBeacon,
    /// No beacon of the hour has the witnessed payload.
    UnknownBeacon,
    /// The witness time is too far from the beacon time.
    WitnessTimeMismatch,
    /// The packet's DevAddr is not routed to any DC payer.
    Unrouted,
    /// Another hotspot was already credited for this packet.
    DuplicatePacket,
    /// The packet's payer had too little DC in escrow to pay for the hour's packets.
    PayerUnfunded,
}

impl RejectReason {
    /// Every reason, in declaration order.
    pub const ALL: [RejectReason; 27] = [
        RejectReason::StaleEntropy,
        RejectReason::FutureEntropy,
        RejectReason::MissingLocation,
        RejectReason::InvalidLocation,
        RejectReason::ResolutionMismatch,
        RejectReason::H3DistanceUnavailable,
        RejectReason::TooCloseH3,
        RejectReason::TooFar,
        RejectReason::RssiTooStrong,
        RejectReason::RssiTooWeak,
        RejectReason::SnrTooHigh,
        RejectReason::InvalidSignal,
        RejectReason::SelfWitness,
        RejectReason::Duplicate,
        RejectReason::Denylisted,
        RejectReason::RegionMismatch,
        RejectReason::FrequencyMismatch,
        RejectReason::UnknownEntropy,
        RejectReason::InvalidPayload,
        RejectReason::UnknownHotspot,
        RejectReason::TxPowerTooHigh,
        RejectReason::InvalidBeacon,
        RejectReason::UnknownBeacon,
        RejectReason::WitnessTimeMismatch,
        RejectReason::Unrouted,
        RejectReason::DuplicatePacket,
        RejectReason::PayerUnfunded,
    ];

    /// Stable snake_case name, stored with every rejected report. Never change an existing one.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            RejectReason::StaleEntropy => "stale_entropy",
            RejectReason::FutureEntropy => "future_entropy",
            RejectReason::MissingLocation => "missing_location",
            RejectReason::InvalidLocation => "invalid_location",
            RejectReason::ResolutionMismatch => "resolution_mismatch",
            RejectReason::H3DistanceUnavailable => "h3_distance_unavailable",
            RejectReason::TooCloseH3 => "too_close_h3",
            RejectReason::TooFar => "too_far",
            RejectReason::RssiTooStrong => "rssi_too_strong",
            RejectReason::RssiTooWeak => "rssi_too_weak",
            RejectReason::SnrTooHigh => "snr_too_high",
            RejectReason::InvalidSignal => "invalid_signal",
            RejectReason::SelfWitness => "self_witness",
            RejectReason::Duplicate => "duplicate",
            RejectReason::Denylisted => "denylisted",
            RejectReason::RegionMismatch => "region_mismatch",
            RejectReason::FrequencyMismatch => "frequency_mismatch",
            RejectReason::UnknownEntropy => "unknown_entropy",
            RejectReason::InvalidPayload => "invalid_payload",
            RejectReason::UnknownHotspot => "unknown_hotspot",
            RejectReason::TxPowerTooHigh => "tx_power_too_high",
            RejectReason::InvalidBeacon => "invalid_beacon",
            RejectReason::UnknownBeacon => "unknown_beacon",
            RejectReason::WitnessTimeMismatch => "witness_time_mismatch",
            RejectReason::Unrouted => "unrouted",
            RejectReason::DuplicatePacket => "duplicate_packet",
            RejectReason::PayerUnfunded => "payer_unfunded",
        }
    }

    /// From the stored name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl std::fmt::Display for RejectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tunable thresholds. [`Params::default`] documents each default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Minimum H3 grid distance (in grid steps) between beaconer and witness cells.
    ///
    /// Default `8`, meant for resolution-12 cells: a res-12 hexagon has an average edge of
    /// ~10.7 m, so adjacent centres are ~18.6 m apart and 8 steps is roughly 150 m.
    pub min_h3_distance: u32,
    /// Maximum great-circle distance between cell centres, in km. Default `100.0`.
    pub max_distance_km: f64,
    /// How many dB *stronger* than free-space path loss predicts a witness RSSI may be.
    /// Default `6.0` (absorbs antenna-gain misreporting, calibration error and the cell-centre
    /// quantisation of asserted positions).
    pub rssi_margin_db: f64,
    /// Beacon entropy must be from the report's hour or up to this many hours before.
    /// Default `1` (the report's hour or the hour before).
    pub entropy_window_hours: u64,
    /// Weakest plausible RSSI in dBm. Default `-140.0`: slightly below the best LoRa
    /// sensitivity on 125 kHz channels (SF12, about −137 dBm).
    pub min_rssi_dbm: f64,
    /// Highest plausible SNR in dB. Default `32.0`: an SX127x/SX130x reports packet SNR as a
    /// signed byte in quarter dB, so it cannot exceed +31.75 dB.
    pub max_snr_db: f64,
    /// Largest allowed |witness frequency − beacon frequency|, in Hz. Default `1_000` (±1 kHz):
    /// gateways report the channel centre, so honest reports match exactly; 1 kHz absorbs
    /// rounding in reported MHz values.
    pub frequency_tolerance_hz: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_h3_distance: 8,
            max_distance_km: 100.0,
            rssi_margin_db: 6.0,
            entropy_window_hours: 1,
            min_rssi_dbm: -140.0,
            max_snr_db: 32.0,
            frequency_tolerance_hz: 1_000,
        }
    }
}

/// Per-report context for [`verify_witness`].
#[derive(Debug)]
pub struct ReportContext<'a> {
    /// The hour (Unix time / 3600) the report is being judged for.
    pub report_hour: u64,
    /// Hash identifying the witness report (for duplicate detection).
    pub report_hash: [u8; 32],
    /// Hashes of reports already judged; [`verify_witness`] records `report_hash` here.
    pub seen: &'a mut HashSet<[u8; 32]>,
    /// Denylisted hotspot keys.
    pub denylist: &'a HashSet<Key>,
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// Beacon entropy must come from `report_hour` or at most `window` hours before it.
///
/// Accepts `report_hour - window <= beacon_entropy_hour <= report_hour`; older is
/// [`RejectReason::StaleEntropy`], newer is [`RejectReason::FutureEntropy`].
pub fn check_entropy(
    beacon_entropy_hour: u64,
    report_hour: u64,
    window: u64,
) -> Result<(), RejectReason> {
    if beacon_entropy_hour > report_hour {
        return Err(RejectReason::FutureEntropy);
    }
    if beacon_entropy_hour < report_hour.saturating_sub(window) {
        return Err(RejectReason::StaleEntropy);
    }
    Ok(())
}

/// The hotspot must have an asserted location that is a valid H3 cell.
pub fn check_location(position: Option<Position>) -> Result<(), RejectReason> {
    let pos = position.ok_or(RejectReason::MissingLocation)?;
    cell(pos.cell)?;
    Ok(())
}

fn cell(raw: u64) -> Result<CellIndex, RejectReason> {
    CellIndex::try_from(raw).map_err(|_| RejectReason::InvalidLocation)
}

/// H3 grid distance between two raw cell indexes (h3o `grid_distance`).
///
/// h3o cannot compute every distance: pairs across pentagon distortion, and some far-apart
/// pairs (even ones a few km apart at resolution 12, on different icosahedron faces), give
/// [`RejectReason::H3DistanceUnavailable`]. [`check_h3_distance`] does not need it for those.
pub fn h3_grid_distance(a_cell: u64, b_cell: u64) -> Result<u32, RejectReason> {
    let (a, b) = (cell(a_cell)?, cell(b_cell)?);
    if a.resolution() != b.resolution() {
        return Err(RejectReason::ResolutionMismatch);
    }
    let d = a
        .grid_distance(b)
        .map_err(|_| RejectReason::H3DistanceUnavailable)?;
    u32::try_from(d).map_err(|_| RejectReason::H3DistanceUnavailable)
}

/// Upper bound on the great-circle distance between the centres of two *neighbouring* cells, in
/// units of the resolution's average hexagon edge length ([`Resolution::edge_length_km`]).
///
/// On a regular hexagonal grid neighbouring centres are `√3 ≈ 1.73` edges apart; H3's
/// projection distorts cells by a few tens of percent. Measured over the whole globe (random
/// cells plus every pentagon's neighbourhood, resolutions 0–15) the largest neighbour spacing is
/// about 1.91 average edges (see the `neighbour_spacing_bound_holds` test), so `3.0` leaves a
/// margin of more than 50 %.
///
/// Consequence: `k` grid steps move a cell centre at most `k · 3 · edge` km (triangle
/// inequality), so two cells whose centres are more than `(min − 1) · 3 · edge` km apart are
/// certainly at least `min` steps apart, whatever h3o's `grid_distance` can compute. (The
/// `prop_grid_distance_respects_the_spacing_bound` test checks `d ≤ k · 3 · edge` wherever h3o
/// does measure `k` steps, so the shortcut never overrides a distance h3o would give.)
pub const NEIGHBOUR_SPACING_EDGES: f64 = 3.0;

/// Whether cells at `res` whose centres are `centres_km` apart are certainly at least `min` grid
/// steps apart (see [`NEIGHBOUR_SPACING_EDGES`]). Every pair is at least 0 steps apart.
fn certainly_at_least_steps(res: Resolution, centres_km: f64, min: u32) -> bool {
    match min.checked_sub(1) {
        None => true,
        Some(k) => centres_km > f64::from(k) * NEIGHBOUR_SPACING_EDGES * res.edge_length_km(),
    }
}

/// The grid-distance rule on parsed cells whose centres are `centres_km` apart.
fn h3_distance_rule(
    a: CellIndex,
    b: CellIndex,
    centres_km: f64,
    min: u32,
) -> Result<(), RejectReason> {
    if a.resolution() != b.resolution() {
        return Err(RejectReason::ResolutionMismatch);
    }
    if certainly_at_least_steps(a.resolution(), centres_km, min) {
        return Ok(());
    }
    let d = a
        .grid_distance(b)
        .map_err(|_| RejectReason::H3DistanceUnavailable)?;
    let d = u32::try_from(d).map_err(|_| RejectReason::H3DistanceUnavailable)?;
    if d < min {
        return Err(RejectReason::TooCloseH3);
    }
    Ok(())
}

/// Cells must be at least `min` H3 grid steps apart (distance `== min` is accepted).
///
/// Invalid cells give [`RejectReason::InvalidLocation`], cells at different resolutions
/// [`RejectReason::ResolutionMismatch`]. A pair whose centres are more than
/// `(min − 1) × 3 × edge` km apart (`edge` the resolution's average edge length, see
/// [`NEIGHBOUR_SPACING_EDGES`]) passes without computing the grid distance: it cannot be fewer
/// than `min` steps apart (and `min == 0` always passes). Otherwise h3o's grid distance
/// decides, and a pair it cannot measure (pentagon distortion, different icosahedron faces)
/// gives [`RejectReason::H3DistanceUnavailable`].
pub fn check_h3_distance(a_cell: u64, b_cell: u64, min: u32) -> Result<(), RejectReason> {
    let (a, b) = (cell(a_cell)?, cell(b_cell)?);
    let centres_km = Centre::of(a).distance_km(&Centre::of(b));
    h3_distance_rule(a, b, centres_km, min)
}

/// Mean Earth radius used by [`distance_km`], in km (IUGG mean radius, as used by h3o).
pub const EARTH_RADIUS_KM: f64 = 6371.007180918475;

/// A cell centre in radians, with the cosine of its latitude (the haversine needs it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Centre {
    lat: f64,
    lng: f64,
    cos_lat: f64,
}

impl Centre {
    fn of(cell: CellIndex) -> Self {
        let ll = LatLng::from(cell);
        let lat = ll.lat_radians();
        Centre {
            lat,
            lng: ll.lng_radians(),
            cos_lat: lat.cos(),
        }
    }

    /// Great-circle (haversine) distance in km. The one implementation of [`distance_km`]: the
    /// judging paths that precompute centres get bit-identical distances.
    fn distance_km(&self, other: &Centre) -> f64 {
        let dlat = other.lat - self.lat;
        let dlng = other.lng - self.lng;
        let h =
            (dlat / 2.0).sin().powi(2) + self.cos_lat * other.cos_lat * (dlng / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

/// Great-circle (haversine) distance in km between the centres of two H3 cells.
pub fn distance_km(a_cell: u64, b_cell: u64) -> Result<f64, RejectReason> {
    let a = Centre::of(cell(a_cell)?);
    let b = Centre::of(cell(b_cell)?);
    Ok(a.distance_km(&b))
}

/// Cell centres must be at most `max_km` apart (distance `== max_km` is accepted; a NaN
/// `max_km` rejects everything).
pub fn check_physical_distance(a_cell: u64, b_cell: u64, max_km: f64) -> Result<(), RejectReason> {
    physical_distance_rule(distance_km(a_cell, b_cell)?, max_km)
}

fn physical_distance_rule(d: f64, max_km: f64) -> Result<(), RejectReason> {
    if d.is_nan() || max_km.is_nan() || d > max_km {
        return Err(RejectReason::TooFar);
    }
    Ok(())
}

/// The FSPL constant for km and MHz: `20·log10(4π/c · 10³ · 10⁶)` with `c ≈ 3·10⁸ m/s`
/// (32.4418; with the exact `c` it would be 32.4478). The lower constant predicts slightly less
/// loss, i.e. a slightly *stronger* expected RSSI, so it only errs in the witness's favour.
pub const FSPL_CONSTANT_DB: f64 = 32.44;

/// Free-space path loss in dB: `FSPL = 20·log10(d_km) + 20·log10(f_MHz) + 32.44`.
///
/// Defined for `distance_km > 0` and `frequency_hz > 0`; otherwise the result is not finite
/// (−∞ at zero distance), which [`check_rssi`] rejects as [`RejectReason::InvalidSignal`].
#[must_use]
pub fn fspl_db(distance_km: f64, frequency_hz: u64) -> f64 {
    let f_mhz = frequency_hz as f64 / 1e6;
    20.0 * distance_km.log10() + 20.0 * f_mhz.log10() + FSPL_CONSTANT_DB
}

/// RSSI a receiver would see in free space: `P_tx + G_tx + G_rx − FSPL(d, f)`, in dBm.
#[must_use]
pub fn expected_rssi_dbm(
    tx_power_dbm: f64,
    tx_gain_dbi: f64,
    rx_gain_dbi: f64,
    distance_km: f64,
    frequency_hz: u64,
) -> f64 {
    tx_power_dbm + tx_gain_dbi + rx_gain_dbi - fspl_db(distance_km, frequency_hz)
}

/// The witness RSSI may be at most `margin_db` stronger than `expected_dbm` (equality accepted).
///
/// A non-finite RSSI or expectation is [`RejectReason::InvalidSignal`].
pub fn check_rssi(
    witness_rssi_dbm: f64,
    expected_dbm: f64,
    margin_db: f64,
) -> Result<(), RejectReason> {
    if !witness_rssi_dbm.is_finite() || !expected_dbm.is_finite() || !margin_db.is_finite() {
        return Err(RejectReason::InvalidSignal);
    }
    if witness_rssi_dbm > expected_dbm + margin_db {
        return Err(RejectReason::RssiTooStrong);
    }
    Ok(())
}

/// RSSI and SNR must be finite, RSSI `>= min_rssi_dbm` and SNR `<= max_snr_db`.
pub fn check_signal_plausibility(
    rssi_dbm: f64,
    snr_db: f64,
    min_rssi_dbm: f64,
    max_snr_db: f64,
) -> Result<(), RejectReason> {
    if !rssi_dbm.is_finite() || !snr_db.is_finite() {
        return Err(RejectReason::InvalidSignal);
    }
    if rssi_dbm < min_rssi_dbm {
        return Err(RejectReason::RssiTooWeak);
    }
    if snr_db > max_snr_db {
        return Err(RejectReason::SnrTooHigh);
    }
    Ok(())
}

/// A hotspot cannot witness its own beacon.
pub fn check_self_witness(beaconer: &Key, witness: &Key) -> Result<(), RejectReason> {
    if beaconer == witness {
        return Err(RejectReason::SelfWitness);
    }
    Ok(())
}

/// Pure duplicate check: rejects a hash already in `seen` (does not record it).
pub fn check_not_seen(
    seen: &HashSet<[u8; 32]>,
    report_hash: &[u8; 32],
) -> Result<(), RejectReason> {
    if seen.contains(report_hash) {
        return Err(RejectReason::Duplicate);
    }
    Ok(())
}

/// Records `report_hash` in `seen`; the first sighting passes, every later one is
/// [`RejectReason::Duplicate`].
pub fn check_duplicate(
    seen: &mut HashSet<[u8; 32]>,
    report_hash: [u8; 32],
) -> Result<(), RejectReason> {
    if !seen.insert(report_hash) {
        return Err(RejectReason::Duplicate);
    }
    Ok(())
}

/// Rejects a denylisted key.
pub fn check_denylist(key: &Key, denylist: &HashSet<Key>) -> Result<(), RejectReason> {
    if denylist.contains(key) {
        return Err(RejectReason::Denylisted);
    }
    Ok(())
}

/// Same region; both frequencies inside the region's band (edges included); and
/// `|witness.frequency_hz − beacon.frequency_hz| <= tolerance_hz`.
pub fn check_region_frequency(
    beacon: &Beacon,
    witness: &Witness,
    tolerance_hz: u64,
) -> Result<(), RejectReason> {
    if beacon.region != witness.region {
        return Err(RejectReason::RegionMismatch);
    }
    if !beacon.region.contains(beacon.frequency_hz)
        || !witness.region.contains(witness.frequency_hz)
    {
        return Err(RejectReason::FrequencyMismatch);
    }
    if beacon.frequency_hz.abs_diff(witness.frequency_hz) > tolerance_hz {
        return Err(RejectReason::FrequencyMismatch);
    }
    Ok(())
}

/// Runs every rule on one witness of one beacon; the first failing rule's reason wins.
///
/// Order (cheap identity checks first, then time, location, radio, geometry, physics):
///
/// 1. [`check_duplicate`] on `ctx.report_hash` (recorded on first sight whatever the verdict, so
///    a replayed copy is always `Duplicate` and the first verdict stands);
/// 2. [`check_denylist`] for the beaconer, then the witness;
/// 3. [`check_self_witness`];
/// 4. [`check_entropy`] (`beacon.entropy_hour` vs `ctx.report_hour`, `params.entropy_window_hours`);
/// 5. [`check_location`] for the beaconer, then the witness;
/// 6. [`check_region_frequency`] (`params.frequency_tolerance_hz`);
/// 7. [`check_signal_plausibility`] (`params.min_rssi_dbm`, `params.max_snr_db`);
/// 8. [`check_h3_distance`] (`params.min_h3_distance`);
/// 9. [`check_physical_distance`] (`params.max_distance_km`);
/// 10. [`check_rssi`] against [`expected_rssi_dbm`] from the beacon's transmit power, both
///     antenna gains, the cell-centre distance and the beacon frequency (`params.rssi_margin_db`).
pub fn verify_witness(
    params: &Params,
    beacon: &Beacon,
    beacon_pos: Option<Position>,
    witness: &Witness,
    witness_pos: Option<Position>,
    ctx: &mut ReportContext<'_>,
) -> Result<(), RejectReason> {
    check_duplicate(ctx.seen, ctx.report_hash)?;
    check_denylist(&beacon.beaconer, ctx.denylist)?;
    check_denylist(&witness.witness, ctx.denylist)?;
    check_self_witness(&beacon.beaconer, &witness.witness)?;
    check_entropy(
        beacon.entropy_hour,
        ctx.report_hour,
        params.entropy_window_hours,
    )?;
    check_location(beacon_pos)?;
    check_location(witness_pos)?;
    let bpos = beacon_pos.ok_or(RejectReason::MissingLocation)?;
    let wpos = witness_pos.ok_or(RejectReason::MissingLocation)?;
    check_region_frequency(beacon, witness, params.frequency_tolerance_hz)?;
    check_signal_plausibility(
        witness.rssi_dbm,
        witness.snr_db,
        params.min_rssi_dbm,
        params.max_snr_db,
    )?;
    check_h3_distance(bpos.cell, wpos.cell, params.min_h3_distance)?;
    check_physical_distance(bpos.cell, wpos.cell, params.max_distance_km)?;
    let d = distance_km(bpos.cell, wpos.cell)?;
    let expected = expected_rssi_dbm(
        beacon.tx_power_dbm,
        bpos.gain_dbi(),
        wpos.gain_dbi(),
        d,
        beacon.frequency_hz,
    );
    check_rssi(witness.rssi_dbm, expected, params.rssi_margin_db)
}

/// A hotspot's asserted position, parsed once: what [`verify_witness`] derives from an
/// `Option<Position>` for every witness (the cell, its centre and the antenna gain), or the
/// reason [`check_location`] gives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site(Result<Located, RejectReason>);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Located {
    cell: CellIndex,
    centre: Centre,
    gain_dbi: f64,
}

impl Site {
    pub(crate) fn new(position: Option<Position>) -> Self {
        Site(match position {
            None => Err(RejectReason::MissingLocation),
            Some(p) => cell(p.cell).map(|cell| Located {
                cell,
                centre: Centre::of(cell),
                gain_dbi: p.gain_dbi(),
            }),
        })
    }

    /// [`check_location`] of the position.
    pub(crate) fn check(&self) -> Result<(), RejectReason> {
        self.0.map(|_| ())
    }

    /// The asserted cell, if the location is valid.
    pub(crate) fn cell(&self) -> Option<CellIndex> {
        self.0.ok().map(|l| l.cell)
    }
}

/// One side of a witness judged by [`verify_witness_at`]: the report, its hotspot's parsed
/// position and whether the hotspot is denylisted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Party<'a, T> {
    pub(crate) report: &'a T,
    pub(crate) site: &'a Site,
    pub(crate) denylisted: bool,
}

/// [`verify_witness`] without the duplicate rule, on precomputed positions and denylist
/// membership: the same rules in the same order, so the same first failing reason (the
/// `fast_path_matches_verify_witness` property test compares the two). Used by
/// [`hour::run_hour`], which handles duplicates over the whole hour itself.
pub(crate) fn verify_witness_at(
    params: &Params,
    report_hour: u64,
    beacon: Party<'_, Beacon>,
    witness: Party<'_, Witness>,
) -> Result<(), RejectReason> {
    if beacon.denylisted || witness.denylisted {
        return Err(RejectReason::Denylisted);
    }
    let (b, w) = (beacon.report, witness.report);
    check_self_witness(&b.beaconer, &w.witness)?;
    check_entropy(b.entropy_hour, report_hour, params.entropy_window_hours)?;
    let bpos = beacon.site.0?;
    let wpos = witness.site.0?;
    check_region_frequency(b, w, params.frequency_tolerance_hz)?;
    check_signal_plausibility(w.rssi_dbm, w.snr_db, params.min_rssi_dbm, params.max_snr_db)?;
    let d = bpos.centre.distance_km(&wpos.centre);
    h3_distance_rule(bpos.cell, wpos.cell, d, params.min_h3_distance)?;
    physical_distance_rule(d, params.max_distance_km)?;
    let expected = expected_rssi_dbm(
        b.tx_power_dbm,
        bpos.gain_dbi,
        wpos.gain_dbi,
        d,
        b.frequency_hz,
    );
    check_rssi(w.rssi_dbm, expected, params.rssi_margin_db)
}

/// Reward scale for a hex with `witnesses_in_hex` hotspots and a density `target`:
/// `1.0` while `witnesses_in_hex <= target`, then `target / witnesses_in_hex`, so the hex as a
/// whole earns at most `target` hotspots' worth. With `target == 0` a non-empty hex scales to 0.
#[must_use]
pub fn hex_density_scale(witnesses_in_hex: u32, target: u32) -> f64 {
    if witnesses_in_hex <= target {
        1.0
    } else {
        f64::from(target) / f64::from(witnesses_in_hex)
    }
}

#[cfg(test)]
mod tests;
