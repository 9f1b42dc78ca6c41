//! The oracle's report ingest decoding (`lattice_poc_core::report`, what `POST /v1/reports` in
//! `workers/src/oracle/ingest.rs` runs on every request body): `decode_batch` of the body, then
//! `parse` of each report (size, borsh body, hotspot key), before any signature check.
//!
//! Invariants:
//! * `decode_batch` accepts at most `MAX_BATCH_REPORTS` reports, only bodies up to
//!   `MAX_BATCH_BYTES`, and an accepted batch re-encodes (`encode_batch`) to the exact body;
//! * `parse` refuses exactly the reports over `MAX_REPORT_BYTES` (`TooLarge`) and those shorter
//!   than a signature (`TooShort`); a parsed report's wire bytes are the input, its body
//!   re-encodes to the signed body bytes (one body, one encoding, so the report id is stable), its
//!   id is the SHA-256 of those bytes, its key is the body's hotspot, and its hour is the hour of
//!   its timestamp; a key decoder that refuses every key turns every parse into `BadKey`.
#![no_main]

use lattice_poc_core::report::{
    decode_batch, encode_batch, hour_of_ms, parse, parse_with, ParseError, MAX_BATCH_BYTES,
    MAX_BATCH_REPORTS, MAX_REPORT_BYTES, SIGNATURE_LEN,
};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fn check_report(wire: &[u8]) {
    let parsed = parse(wire);
    if wire.len() > MAX_REPORT_BYTES {
        assert_eq!(parsed.err(), Some(ParseError::TooLarge));
        return;
    }
    if wire.len() < SIGNATURE_LEN {
        assert_eq!(parsed.err(), Some(ParseError::TooShort));
        return;
    }
    match parsed {
        Ok(p) => {
            assert_eq!(p.wire(), wire);
            assert_eq!(p.body_bytes.as_slice(), &wire[..wire.len() - SIGNATURE_LEN]);
            assert_eq!(borsh::to_vec(&p.body).unwrap(), p.body_bytes, "non-canonical body accepted");
            assert_eq!(p.body.to_bytes(), p.body_bytes);
            let id: [u8; 32] = Sha256::digest(&p.body_bytes).into();
            assert_eq!(p.id, id);
            assert_eq!(p.key.to_bytes(), *p.body.hotspot());
            assert_eq!(p.body.hour(), hour_of_ms(p.body.timestamp_ms()));
            assert_eq!(p.signature.to_bytes().as_slice(), &wire[wire.len() - SIGNATURE_LEN..]);
            assert_eq!(parse_with(wire, |_| None).err(), Some(ParseError::BadKey));
        }
        Err(ParseError::Malformed) => {
            assert!(borsh::from_slice::<lattice_poc_core::report::ReportBody>(&wire[..wire.len() - SIGNATURE_LEN]).is_err());
        }
        Err(ParseError::BadKey) => {}
        Err(e) => panic!("unexpected {e:?} for a {}-byte report", wire.len()),
    }
}

fuzz_target!(|input: &[u8]| {
    // The body of a POST /v1/reports.
    match decode_batch(input) {
        Ok(reports) => {
            assert!(input.len() <= MAX_BATCH_BYTES);
            assert!(reports.len() <= MAX_BATCH_REPORTS);
            assert_eq!(encode_batch(&reports), input, "a batch does not re-encode to its body");
            for r in reports.iter().take(8) {
                check_report(r);
            }
        }
        Err(e) => assert_eq!(e, ParseError::BadBatch),
    }
    // The same bytes as one report on the wire.
    check_report(input);
});
