//! Signed reports end to end (`lattice_poc_core::report`): a hotspot signs an arbitrary report
//! body, the batch travels, and the oracle decodes, parses and verifies it.
//!
//! Invariants: a report signed by its hotspot key parses back to the same body (or is refused as
//! `TooLarge` over `MAX_REPORT_BYTES`), its id is stable, and `verify_signatures` accepts it; the
//! same report with one flipped bit anywhere (body or signature) is never accepted as validly
//! signed, alone or in a batch with good reports, and never changes the verdict on the good ones.
#![no_main]

use ed25519_dalek::SigningKey;
use lattice_poc_core::report::{
    decode_batch, encode_batch, parse, verify_signatures, BeaconReport, DataReport, ParseError,
    ReportBody, WitnessReport, MAX_REPORT_BYTES,
};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Body {
    Beacon { entropy: [u8; 32], payload: Vec<u8>, frequency_hz: u64, tx_power_dbm: i8, region: u8, timestamp_ms: i64 },
    Witness { payload: Vec<u8>, rssi: i16, snr: i16, frequency_hz: u64, region: u8, timestamp_ms: i64, tmst: u32 },
    Data { devaddr: u32, payload_hash: [u8; 32], payload_len: u32, frequency_hz: u64, timestamp_ms: i64 },
}

#[derive(Debug, Arbitrary)]
struct Input {
    secret: [u8; 32],
    body: Body,
    other_secret: [u8; 32],
    other: Body,
    flip: u16,
}

fn body(b: &Body, hotspot: [u8; 32]) -> ReportBody {
    match b {
        Body::Beacon { entropy, payload, frequency_hz, tx_power_dbm, region, timestamp_ms } => ReportBody::Beacon(BeaconReport {
            hotspot, entropy: *entropy, payload: payload.clone(), frequency_hz: *frequency_hz,
            tx_power_dbm: *tx_power_dbm, region: *region, timestamp_ms: *timestamp_ms,
        }),
        Body::Witness { payload, rssi, snr, frequency_hz, region, timestamp_ms, tmst } => ReportBody::Witness(WitnessReport {
            hotspot, payload: payload.clone(), rssi_dbm_x10: *rssi, snr_db_x10: *snr,
            frequency_hz: *frequency_hz, region: *region, timestamp_ms: *timestamp_ms, tmst: *tmst,
        }),
        Body::Data { devaddr, payload_hash, payload_len, frequency_hz, timestamp_ms } => ReportBody::Data(DataReport {
            hotspot, devaddr: *devaddr, payload_hash: *payload_hash, payload_len: *payload_len,
            frequency_hz: *frequency_hz, timestamp_ms: *timestamp_ms,
        }),
    }
}

fuzz_target!(|inp: Input| {
    let key = SigningKey::from_bytes(&inp.secret);
    let b = body(&inp.body, key.verifying_key().to_bytes());
    let wire = b.sign(&key);
    if wire.len() > MAX_REPORT_BYTES {
        assert_eq!(parse(&wire).err(), Some(ParseError::TooLarge));
        return;
    }
    let good = parse(&wire).expect("a signed report parses");
    assert_eq!(good.body, b);
    assert_eq!(good.wire(), wire);

    let other_key = SigningKey::from_bytes(&inp.other_secret);
    let other_wire = body(&inp.other, other_key.verifying_key().to_bytes()).sign(&other_key);

    let mut bad_wire = wire.clone();
    let bit = usize::from(inp.flip) % (bad_wire.len() * 8);
    bad_wire[bit / 8] ^= 1 << (bit % 8);

    // The batch as a worker sends it and the oracle receives it.
    let batch = vec![wire.clone(), bad_wire.clone(), other_wire.clone()];
    let decoded = decode_batch(&encode_batch(&batch)).expect("an encoded batch decodes");
    assert_eq!(decoded, batch);

    let mut parsed = vec![good];
    let bad = parse(&bad_wire).ok();
    if let Some(p) = &bad {
        assert_ne!(p.wire(), wire);
        parsed.push(p.clone());
    }
    let other_ok = other_wire.len() <= MAX_REPORT_BYTES;
    if other_ok {
        parsed.push(parse(&other_wire).expect("a signed report parses"));
    }
    let verdict = verify_signatures(&parsed);
    assert_eq!(verdict.len(), parsed.len());
    assert!(verdict[0], "a validly signed report was rejected");
    if bad.is_some() {
        assert!(!verdict[1], "a report with bit {bit} flipped was accepted");
    }
    if other_ok {
        assert!(*verdict.last().unwrap(), "a validly signed report was rejected next to a bad one");
    }
});
