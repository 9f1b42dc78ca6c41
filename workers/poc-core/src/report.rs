//! The signed report wire format shared by the hotspot worker and the oracle.
//!
//! A report on the wire is `borsh(ReportBody) || ed25519_signature(64)`. The signature is by the
//! hotspot key inside the body, over [`SIGNING_DOMAIN`] followed by the body bytes, so a
//! signature for a Lattice report can never be replayed as a signature over anything else.
//! Borsh is canonical and [`parse`] refuses trailing bytes, so one body has exactly one encoding,
//! and a report's identity ([`ParsedReport::id`], the SHA-256 of the body) is stable: a retried
//! or replayed report has the same id, which is how both the worker's outbox and the oracle
//! deduplicate.
//!
//! Reports travel in batches ([`encode_batch`] / [`decode_batch`]), so the oracle can verify
//! signatures with ed25519 batch verification ([`verify_signatures`]).

use borsh::{BorshDeserialize, BorshSerialize};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::{Key, Region};

/// Largest accepted report on the wire, in bytes (body plus signature).
pub const MAX_REPORT_BYTES: usize = 512;
/// Largest accepted number of reports in one batch.
pub const MAX_BATCH_REPORTS: usize = 2_000;
/// Largest accepted batch on the wire, in bytes.
pub const MAX_BATCH_BYTES: usize = 4 + MAX_BATCH_REPORTS * (4 + MAX_REPORT_BYTES);
/// Prefix of every signed message.
pub const SIGNING_DOMAIN: &[u8] = b"lattice-poc-report-v1";
/// First bytes of every beacon payload (lets a receiver tell beacons from device uplinks).
pub const BEACON_MAGIC: [u8; 4] = *b"LTB1";
/// Length of a beacon payload: the magic plus 16 derived bytes.
pub const BEACON_PAYLOAD_LEN: usize = 20;
/// Length of an ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;

/// A hotspot says it transmitted a beacon.
#[derive(BorshSerialize, BorshDeserialize, Debug, Clone, PartialEq, Eq)]
pub struct BeaconReport {
    /// The beaconer (signer).
    pub hotspot: Key,
    /// The chain entropy (a recent blockhash) the payload is derived from.
    pub entropy: [u8; 32],
    /// The transmitted payload; must equal [`beacon_payload`]`(entropy, hotspot)`.
    pub payload: Vec<u8>,
    /// Transmit frequency, Hz.
    pub frequency_hz: u64,
    /// Conducted transmit power, dBm.
    pub tx_power_dbm: i8,
    /// Regional plan ([`Region::as_u8`]).
    pub region: u8,
    /// Transmit time, Unix milliseconds.
    pub timestamp_ms: i64,
}

/// A hotspot says it received a beacon.
#[derive(BorshSerialize, BorshDeserialize, Debug, Clone, PartialEq, Eq)]
pub struct WitnessReport {
    /// The witness (signer).
    pub hotspot: Key,
    /// The received beacon payload.
    pub payload: Vec<u8>,
    /// Received signal strength, tenths of dBm.
    pub rssi_dbm_x10: i16,
    /// Signal-to-noise ratio, tenths of dB.
    pub snr_db_x10: i16,
    /// Receive frequency, Hz.
    pub frequency_hz: u64,
    /// Regional plan ([`Region::as_u8`]).
    pub region: u8,
    /// Receive time, Unix milliseconds.
    pub timestamp_ms: i64,
    /// Concentrator counter at reception (µs); distinguishes two receptions of one payload.
    pub tmst: u32,
}

/// A hotspot says it carried a device's uplink packet (paid for in DC).
#[derive(BorshSerialize, BorshDeserialize, Debug, Clone, PartialEq, Eq)]
pub struct DataReport {
    /// The hotspot that carried the packet (signer).
    pub hotspot: Key,
    /// LoRaWAN DevAddr of the sending device (routes the packet to a DC payer).
    pub devaddr: u32,
    /// SHA-256 of the PHY payload (the same packet heard by two hotspots is paid once).
    pub payload_hash: [u8; 32],
    /// PHY payload length, bytes.
    pub payload_len: u32,
    /// Receive frequency, Hz.
    pub frequency_hz: u64,
    /// Receive time, Unix milliseconds.
    pub timestamp_ms: i64,
}

/// Every report kind.
#[derive(BorshSerialize, BorshDeserialize, Debug, Clone, PartialEq, Eq)]
pub enum ReportBody {
    /// [`BeaconReport`].
    Beacon(BeaconReport),
    /// [`WitnessReport`].
    Witness(WitnessReport),
    /// [`DataReport`].
    Data(DataReport),
}

/// Report kind as a small integer (stored by the oracle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportKind {
    /// A beacon.
    Beacon = 0,
    /// A witness.
    Witness = 1,
    /// A data packet.
    Data = 2,
}

impl ReportKind {
    /// Stable name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ReportKind::Beacon => "beacon",
            ReportKind::Witness => "witness",
            ReportKind::Data => "data",
        }
    }

    /// From the stored integer.
    #[must_use]
    pub const fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(ReportKind::Beacon),
            1 => Some(ReportKind::Witness),
            2 => Some(ReportKind::Data),
            _ => None,
        }
    }
}

impl ReportBody {
    /// The signing hotspot.
    #[must_use]
    pub fn hotspot(&self) -> &Key {
        match self {
            ReportBody::Beacon(b) => &b.hotspot,
            ReportBody::Witness(w) => &w.hotspot,
            ReportBody::Data(d) => &d.hotspot,
        }
    }

    /// The report's own timestamp, Unix milliseconds.
    #[must_use]
    pub fn timestamp_ms(&self) -> i64 {
        match self {
            ReportBody::Beacon(b) => b.timestamp_ms,
            ReportBody::Witness(w) => w.timestamp_ms,
            ReportBody::Data(d) => d.timestamp_ms,
        }
    }

    /// The kind.
    #[must_use]
    pub fn kind(&self) -> ReportKind {
        match self {
            ReportBody::Beacon(_) => ReportKind::Beacon,
            ReportBody::Witness(_) => ReportKind::Witness,
            ReportBody::Data(_) => ReportKind::Data,
        }
    }

    /// The hour (Unix seconds / 3600) the report belongs to: the hour of its timestamp.
    #[must_use]
    pub fn hour(&self) -> u64 {
        hour_of_ms(self.timestamp_ms())
    }

    /// Borsh bytes.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        borsh::to_vec(self).unwrap_or_default()
    }

    /// Sign with the hotspot key: the wire bytes `body || signature`.
    #[must_use]
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let mut out = self.to_bytes();
        let sig = key.sign(&signing_message(&out));
        out.extend_from_slice(&sig.to_bytes());
        out
    }
}

/// Hour of a Unix-millisecond timestamp (negative times map to hour 0).
#[must_use]
pub fn hour_of_ms(timestamp_ms: i64) -> u64 {
    lattice_math::epoch::hour_of(timestamp_ms.div_euclid(1_000))
}

/// The message a hotspot signs: [`SIGNING_DOMAIN`] then the body bytes.
#[must_use]
pub fn signing_message(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_DOMAIN.len() + body.len());
    m.extend_from_slice(SIGNING_DOMAIN);
    m.extend_from_slice(body);
    m
}

/// Why wire bytes are not a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// More than [`MAX_REPORT_BYTES`].
    #[error("report is larger than {MAX_REPORT_BYTES} bytes")]
    TooLarge,
    /// Shorter than a signature.
    #[error("report is shorter than a signature")]
    TooShort,
    /// The body is not a valid borsh `ReportBody` (or has trailing bytes).
    #[error("report body is malformed")]
    Malformed,
    /// The hotspot key is not a valid ed25519 point.
    #[error("hotspot key is not a valid ed25519 public key")]
    BadKey,
    /// A batch is malformed, too large or has too many reports.
    #[error("batch is malformed or too large")]
    BadBatch,
}

impl ParseError {
    /// Stable snake_case name (metrics labels, HTTP error bodies).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ParseError::TooLarge => "oversized",
            ParseError::TooShort | ParseError::Malformed => "malformed",
            ParseError::BadKey => "bad_key",
            ParseError::BadBatch => "bad_batch",
        }
    }
}

/// A report parsed from the wire, signature not yet checked.
#[derive(Debug, Clone)]
pub struct ParsedReport {
    /// SHA-256 of the body: the report's identity.
    pub id: [u8; 32],
    /// The decoded body.
    pub body: ReportBody,
    /// The body bytes (what was signed, after the domain).
    pub body_bytes: Vec<u8>,
    /// The signature.
    pub signature: Signature,
    /// The signer's key.
    pub key: VerifyingKey,
}

impl ParsedReport {
    /// The wire bytes again (`body || signature`).
    #[must_use]
    pub fn wire(&self) -> Vec<u8> {
        let mut out = self.body_bytes.clone();
        out.extend_from_slice(&self.signature.to_bytes());
        out
    }
}

/// Report identity: SHA-256 of the body bytes.
#[must_use]
pub fn report_id(body_bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(body_bytes).into()
}

/// Parse wire bytes (size, borsh, key); the signature is checked by [`verify_signatures`].
pub fn parse(wire: &[u8]) -> Result<ParsedReport, ParseError> {
    parse_with(wire, |k| VerifyingKey::from_bytes(k).ok())
}

/// [`parse`] with a caller-supplied key decoder, e.g. a cache of decompressed keys (a hotspot
/// sends many reports; decompressing its key once saves a field square root per report).
pub fn parse_with(
    wire: &[u8],
    decode_key: impl FnOnce(&Key) -> Option<VerifyingKey>,
) -> Result<ParsedReport, ParseError> {
    if wire.len() > MAX_REPORT_BYTES {
        return Err(ParseError::TooLarge);
    }
    let body_len = wire
        .len()
        .checked_sub(SIGNATURE_LEN)
        .ok_or(ParseError::TooShort)?;
    let (body_bytes, sig) = wire.split_at(body_len);
    let body: ReportBody = borsh::from_slice(body_bytes).map_err(|_| ParseError::Malformed)?;
    let key = decode_key(body.hotspot()).ok_or(ParseError::BadKey)?;
    let sig: [u8; SIGNATURE_LEN] = sig.try_into().map_err(|_| ParseError::TooShort)?;
    Ok(ParsedReport {
        id: report_id(body_bytes),
        body,
        body_bytes: body_bytes.to_vec(),
        signature: Signature::from_bytes(&sig),
        key,
    })
}

/// Check every report's signature; `result[i]` tells whether `reports[i]` is validly signed.
///
/// Uses ed25519 batch verification over the whole slice first (one multiscalar
/// multiplication, about twice as fast per signature as verifying one by one), and accepts
/// the whole slice if it passes and no key is small-order ([`VerifyingKey::is_weak`]). Only
/// when that fails does it check each signature on its own with `verify_strict`, to find the
/// bad ones.
///
/// # What a passing batch does and does not prove
///
/// Every signature `verify_strict` accepts also passes a batch, so a batch of good signatures
/// is always accepted. The converse does not hold: the batch equation is cofactorless, with
/// coefficients derived deterministically from the batch's contents, and it skips
/// `verify_strict`'s checks that `R` is not small-order and is canonically encoded. A passing
/// batch proves (except with negligible probability) that each signature holds *up to a
/// small-order component*, not that `verify_strict` would accept it: a signature whose `R` (or
/// key) carries a small-order component passes whenever the coefficients happen to cancel it
/// (for a given batch, with probability 1/8 to 1/2, which the submitter can grind by varying
/// the batch), yet fails on its own. Making such a signature takes the key's secret (it cannot
/// be derived from someone else's valid signature), so nobody signs for a key they do not hold
/// this way. But such a report is accepted or rejected depending on the rest of its batch, and
/// a strict verifier elsewhere (e.g. re-checking archived reports one by one) would reject it.
#[must_use]
pub fn verify_signatures(reports: &[ParsedReport]) -> Vec<bool> {
    if reports.is_empty() {
        return Vec::new();
    }
    let messages: Vec<Vec<u8>> = reports
        .iter()
        .map(|r| signing_message(&r.body_bytes))
        .collect();
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let sigs: Vec<Signature> = reports.iter().map(|r| r.signature).collect();
    let keys: Vec<VerifyingKey> = reports.iter().map(|r| r.key).collect();
    if ed25519_dalek::verify_batch(&refs, &sigs, &keys).is_ok()
        && reports.iter().all(|r| !r.key.is_weak())
    {
        return vec![true; reports.len()];
    }
    reports
        .iter()
        .zip(&messages)
        .map(|(r, m)| r.key.verify_strict(m, &r.signature).is_ok())
        .collect()
}

/// Encode a batch of wire reports (borsh `Vec<Vec<u8>>`).
#[must_use]
pub fn encode_batch(reports: &[Vec<u8>]) -> Vec<u8> {
    borsh::to_vec(reports).unwrap_or_default()
}

/// Decode a batch, refusing more than [`MAX_BATCH_REPORTS`] reports or [`MAX_BATCH_BYTES`].
pub fn decode_batch(bytes: &[u8]) -> Result<Vec<Vec<u8>>, ParseError> {
    if bytes.len() > MAX_BATCH_BYTES {
        return Err(ParseError::BadBatch);
    }
    // Read the count first so a hostile length prefix cannot make us allocate.
    let count = bytes
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or(ParseError::BadBatch)?;
    if usize::try_from(count).map_or(true, |c| c > MAX_BATCH_REPORTS) {
        return Err(ParseError::BadBatch);
    }
    borsh::from_slice(bytes).map_err(|_| ParseError::BadBatch)
}

/// Domain separator of beacon payload derivation.
pub const BEACON_DOMAIN: &[u8] = b"lattice-beacon-v1";

/// The payload a hotspot must transmit for `entropy`: [`BEACON_MAGIC`] then the first 16 bytes
/// of `SHA-256(BEACON_DOMAIN || entropy || hotspot)`. It is unknowable before the entropy is
/// published, and differs per hotspot, so one beacon cannot be claimed by another hotspot.
#[must_use]
pub fn beacon_payload(entropy: &[u8; 32], hotspot: &Key) -> [u8; BEACON_PAYLOAD_LEN] {
    let mut h = Sha256::new();
    h.update(BEACON_DOMAIN);
    h.update(entropy);
    h.update(hotspot);
    let digest = h.finalize();
    let mut out = [0u8; BEACON_PAYLOAD_LEN];
    out[..4].copy_from_slice(&BEACON_MAGIC);
    out[4..].copy_from_slice(&digest[..16]);
    out
}

/// Whether a received payload looks like a beacon (length and magic).
#[must_use]
pub fn is_beacon_payload(payload: &[u8]) -> bool {
    payload.len() == BEACON_PAYLOAD_LEN && payload.starts_with(&BEACON_MAGIC)
}

impl Region {
    /// Stable wire code.
    #[must_use]
    pub const fn as_u8(self) -> u8 {
        match self {
            Region::US915 => 1,
            Region::EU868 => 2,
            Region::AS923_1 => 3,
            Region::AU915 => 4,
        }
    }

    /// From the wire code.
    #[must_use]
    pub const fn from_u8(v: u8) -> Option<Self> {
        match v {
            1 => Some(Region::US915),
            2 => Some(Region::EU868),
            3 => Some(Region::AS923_1),
            4 => Some(Region::AU915),
            _ => None,
        }
    }

    /// From the name ([`Region::as_str`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Region::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// LoRaWAN DevAddr of an uplink PHY payload (MHDR, then DevAddr little-endian), if the payload
/// is a data uplink (MType 010 unconfirmed or 100 confirmed) long enough to hold one.
#[must_use]
pub fn lorawan_devaddr(phy: &[u8]) -> Option<u32> {
    let mhdr = *phy.first()?;
    let mtype = mhdr >> 5;
    if mtype != 0b010 && mtype != 0b100 {
        return None;
    }
    let b: [u8; 4] = phy.get(1..5)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod report_tests;
