//! Tests of the signed report wire format: signing, parsing, batch signature verification,
//! batch framing, beacon payloads, DevAddr extraction and region codes.

use super::*;
use ed25519_dalek::{SigningKey, VerifyingKey};
use proptest::prelude::*;

fn signing_key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn pubkey(sk: &SigningKey) -> Key {
    sk.verifying_key().to_bytes()
}

fn beacon_body(sk: &SigningKey) -> ReportBody {
    let hotspot = pubkey(sk);
    let entropy = [7; 32];
    ReportBody::Beacon(BeaconReport {
        hotspot,
        entropy,
        payload: beacon_payload(&entropy, &hotspot).to_vec(),
        frequency_hz: 904_300_000,
        tx_power_dbm: 27,
        region: Region::US915.as_u8(),
        timestamp_ms: 1_728_000_000_123,
    })
}

fn witness_body(sk: &SigningKey) -> ReportBody {
    ReportBody::Witness(WitnessReport {
        hotspot: pubkey(sk),
        payload: beacon_payload(&[7; 32], &[9; 32]).to_vec(),
        rssi_dbm_x10: -1_034,
        snr_db_x10: 55,
        frequency_hz: 904_300_000,
        region: Region::US915.as_u8(),
        timestamp_ms: 1_728_000_000_456,
        tmst: 123_456_789,
    })
}

fn data_body(sk: &SigningKey) -> ReportBody {
    ReportBody::Data(DataReport {
        hotspot: pubkey(sk),
        devaddr: 0x4800_0001,
        payload_hash: [3; 32],
        payload_len: 23,
        frequency_hz: 904_500_000,
        timestamp_ms: 1_728_000_000_789,
    })
}

fn all_bodies(sk: &SigningKey) -> [ReportBody; 3] {
    [beacon_body(sk), witness_body(sk), data_body(sk)]
}

/// Some 32 bytes that are not a valid compressed Edwards point.
fn invalid_key() -> Key {
    (0u32..)
        .map(|n| {
            let mut k = [0u8; 32];
            k[..4].copy_from_slice(&n.to_le_bytes());
            k
        })
        .find(|k| VerifyingKey::from_bytes(k).is_err())
        .unwrap()
}

fn verify_one(wire: &[u8]) -> bool {
    match parse(wire) {
        Ok(r) => verify_signatures(&[r]) == vec![true],
        Err(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Round trip
// ---------------------------------------------------------------------------------------------

#[test]
fn sign_parse_verify_round_trip_every_kind() {
    let sk = signing_key(1);
    let mut parsed = Vec::new();
    for (body, kind) in
        all_bodies(&sk)
            .into_iter()
            .zip([ReportKind::Beacon, ReportKind::Witness, ReportKind::Data])
    {
        let wire = body.sign(&sk);
        assert!(wire.len() <= MAX_REPORT_BYTES);
        let r = parse(&wire).unwrap();
        assert_eq!(r.body, body);
        assert_eq!(r.body.kind(), kind);
        assert_eq!(r.body_bytes, body.to_bytes());
        assert_eq!(r.id, report_id(&body.to_bytes()));
        assert_eq!(r.key, sk.verifying_key());
        assert_eq!(r.body.hotspot(), &pubkey(&sk));
        assert_eq!(r.wire(), wire);
        assert_eq!(verify_signatures(std::slice::from_ref(&r)), vec![true]);
        parsed.push(r);
    }
    assert_eq!(verify_signatures(&parsed), vec![true; 3]);
}

#[test]
fn empty_batch_verifies_to_empty() {
    assert!(verify_signatures(&[]).is_empty());
}

#[test]
fn signing_is_deterministic_and_id_is_the_body_hash() {
    let sk = signing_key(2);
    for body in all_bodies(&sk) {
        let (a, b) = (body.sign(&sk), body.sign(&sk));
        assert_eq!(a, b);
        let (pa, pb) = (parse(&a).unwrap(), parse(&b).unwrap());
        assert_eq!(pa.id, pb.id);
        // The id covers the body only: a different (even invalid) signature keeps the id.
        let mut c = a.clone();
        let last = c.len() - 1;
        c[last] ^= 0x40;
        assert_eq!(parse(&c).unwrap().id, pa.id);
    }
    // Different bodies have different ids.
    let ids: std::collections::HashSet<[u8; 32]> = all_bodies(&sk)
        .iter()
        .chain(all_bodies(&signing_key(3)).iter())
        .map(|b| parse(&b.sign(&sk)).unwrap().id)
        .collect();
    assert_eq!(ids.len(), 6);
}

#[test]
fn report_accessors() {
    let sk = signing_key(4);
    let [b, w, d] = all_bodies(&sk);
    assert_eq!(b.timestamp_ms(), 1_728_000_000_123);
    assert_eq!(w.timestamp_ms(), 1_728_000_000_456);
    assert_eq!(d.timestamp_ms(), 1_728_000_000_789);
    assert_eq!(b.hour(), 1_728_000_000 / 3_600);
    for k in [ReportKind::Beacon, ReportKind::Witness, ReportKind::Data] {
        assert_eq!(ReportKind::from_u8(k as u8), Some(k));
    }
    assert_eq!(ReportKind::from_u8(3), None);
    assert_eq!(ReportKind::Beacon.as_str(), "beacon");
    assert_eq!(ReportKind::Witness.as_str(), "witness");
    assert_eq!(ReportKind::Data.as_str(), "data");
}

#[test]
fn hour_of_ms_boundaries() {
    assert_eq!(hour_of_ms(0), 0);
    assert_eq!(hour_of_ms(3_599_999), 0);
    assert_eq!(hour_of_ms(3_600_000), 1);
    assert_eq!(hour_of_ms(7_199_999), 1);
    assert_eq!(hour_of_ms(-1), 0);
    assert_eq!(hour_of_ms(i64::MIN), 0);
    assert_eq!(hour_of_ms(i64::MAX), (i64::MAX / 1_000 / 3_600) as u64);
}

// ---------------------------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------------------------

#[test]
fn any_flipped_body_byte_fails() {
    let sk = signing_key(5);
    for body in all_bodies(&sk) {
        let wire = body.sign(&sk);
        let body_len = wire.len() - SIGNATURE_LEN;
        for i in 0..body_len {
            for bit in [0x01u8, 0x80] {
                let mut t = wire.clone();
                t[i] ^= bit;
                assert!(
                    !verify_one(&t),
                    "flipping bit {bit:#x} of body byte {i} passed"
                );
            }
        }
        // The last body byte is inside the timestamp/tmst, so it still parses: the signature
        // check is what catches it.
        let mut t = wire.clone();
        t[body_len - 1] ^= 1;
        let r = parse(&t).unwrap();
        assert_eq!(verify_signatures(&[r]), vec![false]);
    }
}

#[test]
fn any_flipped_signature_byte_fails() {
    let sk = signing_key(6);
    for body in all_bodies(&sk) {
        let wire = body.sign(&sk);
        for i in wire.len() - SIGNATURE_LEN..wire.len() {
            let mut t = wire.clone();
            t[i] ^= 0x01;
            let r = parse(&t).expect("signature bytes are not parsed");
            assert_eq!(verify_signatures(&[r]), vec![false], "signature byte {i}");
        }
    }
}

#[test]
fn batch_of_fifty_with_one_bad_flags_exactly_that_one() {
    for bad in [0usize, 17, 49] {
        for tamper_signature in [false, true] {
            let reports: Vec<ParsedReport> = (0..50u8)
                .map(|i| {
                    let sk = signing_key(i + 10);
                    let body = all_bodies(&sk)[usize::from(i) % 3].clone();
                    let mut wire = body.sign(&sk);
                    if usize::from(i) == bad {
                        let pos = if tamper_signature {
                            wire.len() - 10
                        } else {
                            wire.len() - SIGNATURE_LEN - 1
                        };
                        wire[pos] ^= 0x02;
                    }
                    parse(&wire).unwrap()
                })
                .collect();
            let result = verify_signatures(&reports);
            assert_eq!(result.len(), 50);
            for (i, ok) in result.iter().enumerate() {
                assert_eq!(*ok, i != bad, "report {i} (bad = {bad})");
            }
        }
    }
}

#[test]
fn signature_by_another_key_fails() {
    let (owner, other) = (signing_key(20), signing_key(21));
    for body in all_bodies(&owner) {
        let wire = body.sign(&other);
        let r = parse(&wire).unwrap();
        assert_eq!(verify_signatures(&[r]), vec![false]);
    }
}

#[test]
fn signature_without_the_domain_fails() {
    let sk = signing_key(22);
    for body in all_bodies(&sk) {
        let mut wire = body.to_bytes();
        wire.extend_from_slice(&sk.sign(&body.to_bytes()).to_bytes());
        assert!(!verify_one(&wire));
    }
}

#[test]
fn weak_key_with_trivial_signature_fails_alone_and_in_a_batch() {
    // Key = the identity point and signature (R = identity, s = 0) satisfy the cofactorless
    // equation [s]B = R + [k]A for every message, so ed25519 batch verification accepts it; the
    // weak-key check must catch it.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let body = ReportBody::Data(DataReport {
        hotspot: identity,
        ..match data_body(&signing_key(23)) {
            ReportBody::Data(d) => d,
            _ => unreachable!(),
        }
    });
    let mut wire = body.to_bytes();
    wire.extend_from_slice(&identity);
    wire.extend_from_slice(&[0u8; 32]);
    let weak = parse(&wire).expect("the identity is a valid point encoding");
    assert!(weak.key.is_weak());
    assert_eq!(verify_signatures(std::slice::from_ref(&weak)), vec![false]);

    let sk = signing_key(24);
    let mut batch: Vec<ParsedReport> = all_bodies(&sk)
        .iter()
        .map(|b| parse(&b.sign(&sk)).unwrap())
        .collect();
    batch.insert(1, weak);
    assert_eq!(verify_signatures(&batch), vec![true, false, true, true]);
}

// ---------------------------------------------------------------------------------------------
// Parse errors
// ---------------------------------------------------------------------------------------------

/// A signed beacon whose wire length is exactly `len` (by sizing the payload).
fn beacon_of_wire_len(sk: &SigningKey, len: usize) -> Vec<u8> {
    let ReportBody::Beacon(mut b) = beacon_body(sk) else {
        unreachable!()
    };
    let fixed = beacon_body(sk).sign(sk).len() - BEACON_PAYLOAD_LEN;
    b.payload = vec![0xAB; len - fixed];
    let wire = ReportBody::Beacon(b).sign(sk);
    assert_eq!(wire.len(), len);
    wire
}

#[test]
fn oversized_reports_are_too_large() {
    let sk = signing_key(30);
    let at_limit = beacon_of_wire_len(&sk, MAX_REPORT_BYTES);
    let r = parse(&at_limit).expect("exactly MAX_REPORT_BYTES is accepted");
    assert_eq!(verify_signatures(&[r]), vec![true]);

    let over = beacon_of_wire_len(&sk, MAX_REPORT_BYTES + 1);
    assert_eq!(parse(&over).unwrap_err(), ParseError::TooLarge);
    assert_eq!(
        parse(&vec![0u8; MAX_REPORT_BYTES + 1]).unwrap_err(),
        ParseError::TooLarge
    );
    assert_eq!(
        parse(&vec![0u8; 100_000]).unwrap_err(),
        ParseError::TooLarge
    );
    // Exactly at the limit, garbage fails for another reason.
    assert_ne!(
        parse(&vec![0u8; MAX_REPORT_BYTES]).unwrap_err(),
        ParseError::TooLarge
    );
    assert_eq!(ParseError::TooLarge.as_str(), "oversized");
}

#[test]
fn too_short_reports() {
    for len in 0..SIGNATURE_LEN {
        assert_eq!(parse(&vec![0u8; len]).unwrap_err(), ParseError::TooShort);
    }
    // A signature and no body: the empty body is malformed.
    assert_eq!(
        parse(&[0u8; SIGNATURE_LEN]).unwrap_err(),
        ParseError::Malformed
    );
    // A valid report cut short anywhere is never accepted.
    let sk = signing_key(31);
    for body in all_bodies(&sk) {
        let wire = body.sign(&sk);
        for cut in 0..wire.len() {
            assert!(parse(&wire[..cut]).is_err(), "cut at {cut}");
        }
    }
    assert_eq!(ParseError::TooShort.as_str(), "malformed");
}

#[test]
fn trailing_bytes_are_malformed() {
    let sk = signing_key(32);
    for body in all_bodies(&sk) {
        let mut bytes = body.to_bytes();
        bytes.push(0);
        // Even validly signed over the padded body.
        let sig = sk.sign(&signing_message(&bytes));
        bytes.extend_from_slice(&sig.to_bytes());
        assert_eq!(parse(&bytes).unwrap_err(), ParseError::Malformed);
    }
}

#[test]
fn unknown_variant_tag_is_malformed() {
    let sk = signing_key(33);
    let mut wire = data_body(&sk).sign(&sk);
    wire[0] = 3;
    assert_eq!(parse(&wire).unwrap_err(), ParseError::Malformed);
    assert_eq!(ParseError::Malformed.as_str(), "malformed");
}

#[test]
fn invalid_key_bytes_are_bad_key() {
    let bad = invalid_key();
    for body in all_bodies(&signing_key(34)) {
        let body = match body {
            ReportBody::Beacon(b) => ReportBody::Beacon(BeaconReport { hotspot: bad, ..b }),
            ReportBody::Witness(w) => ReportBody::Witness(WitnessReport { hotspot: bad, ..w }),
            ReportBody::Data(d) => ReportBody::Data(DataReport { hotspot: bad, ..d }),
        };
        let mut wire = body.to_bytes();
        wire.extend_from_slice(&[0x11; SIGNATURE_LEN]);
        assert_eq!(parse(&wire).unwrap_err(), ParseError::BadKey);
    }
    assert_eq!(ParseError::BadKey.as_str(), "bad_key");
}

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

#[test]
fn batch_round_trip() {
    let sk = signing_key(40);
    let wires: Vec<Vec<u8>> = all_bodies(&sk).iter().map(|b| b.sign(&sk)).collect();
    let bytes = encode_batch(&wires);
    assert_eq!(decode_batch(&bytes).unwrap(), wires);
    assert_eq!(
        decode_batch(&encode_batch(&[])).unwrap(),
        Vec::<Vec<u8>>::new()
    );
    let parsed: Vec<ParsedReport> = decode_batch(&bytes)
        .unwrap()
        .iter()
        .map(|w| parse(w).unwrap())
        .collect();
    assert_eq!(verify_signatures(&parsed), vec![true; 3]);
}

#[test]
fn batch_at_the_report_limit_decodes() {
    let wires = vec![Vec::new(); MAX_BATCH_REPORTS];
    assert_eq!(
        decode_batch(&encode_batch(&wires)).unwrap().len(),
        MAX_BATCH_REPORTS
    );
}

#[test]
fn batch_with_too_many_reports_is_bad() {
    let wires = vec![Vec::new(); MAX_BATCH_REPORTS + 1];
    let bytes = encode_batch(&wires);
    assert!(bytes.len() <= MAX_BATCH_BYTES);
    assert_eq!(decode_batch(&bytes).unwrap_err(), ParseError::BadBatch);
    assert_eq!(ParseError::BadBatch.as_str(), "bad_batch");
}

#[test]
fn batch_with_hostile_count_prefix_is_bad() {
    for count in [
        u32::MAX,
        u32::MAX / 2,
        (MAX_BATCH_REPORTS + 1) as u32,
        1_000_000,
    ] {
        let mut bytes = count.to_le_bytes().to_vec();
        bytes.extend_from_slice(&[0u8; 16]);
        assert_eq!(decode_batch(&bytes).unwrap_err(), ParseError::BadBatch);
    }
}

#[test]
fn batch_with_hostile_inner_length_is_bad() {
    // One report claiming 4 GiB of bytes: must fail without allocating them.
    let mut bytes = 1u32.to_le_bytes().to_vec();
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    bytes.extend_from_slice(&[0u8; 32]);
    assert_eq!(decode_batch(&bytes).unwrap_err(), ParseError::BadBatch);
}

#[test]
fn batch_over_the_byte_limit_is_bad() {
    let big = vec![vec![0u8; MAX_BATCH_BYTES]];
    let bytes = encode_batch(&big);
    assert!(bytes.len() > MAX_BATCH_BYTES);
    assert_eq!(decode_batch(&bytes).unwrap_err(), ParseError::BadBatch);
    assert_eq!(
        decode_batch(&vec![0u8; MAX_BATCH_BYTES + 1]).unwrap_err(),
        ParseError::BadBatch
    );
}

#[test]
fn truncated_or_padded_batches_are_bad() {
    let sk = signing_key(41);
    let wires: Vec<Vec<u8>> = all_bodies(&sk).iter().map(|b| b.sign(&sk)).collect();
    let bytes = encode_batch(&wires);
    for cut in 0..bytes.len() {
        assert_eq!(
            decode_batch(&bytes[..cut]).unwrap_err(),
            ParseError::BadBatch,
            "cut at {cut}"
        );
    }
    let mut padded = bytes.clone();
    padded.push(0);
    assert_eq!(decode_batch(&padded).unwrap_err(), ParseError::BadBatch);
}

// ---------------------------------------------------------------------------------------------
// Beacon payloads, DevAddr, regions
// ---------------------------------------------------------------------------------------------

#[test]
fn beacon_payload_is_deterministic_and_bound_to_entropy_and_hotspot() {
    let (e1, e2) = ([1u8; 32], [2u8; 32]);
    let (h1, h2) = ([10u8; 32], [11u8; 32]);
    let p = beacon_payload(&e1, &h1);
    assert_eq!(p, beacon_payload(&e1, &h1));
    assert_eq!(p.len(), BEACON_PAYLOAD_LEN);
    assert!(p.starts_with(&BEACON_MAGIC));
    assert!(is_beacon_payload(&p));
    assert_ne!(p, beacon_payload(&e1, &h2));
    assert_ne!(p, beacon_payload(&e2, &h1));
    assert_ne!(beacon_payload(&e1, &h2), beacon_payload(&e2, &h1));
    // Swapping entropy and hotspot is a different input.
    assert_ne!(beacon_payload(&h1, &e1), p);
}

#[test]
fn is_beacon_payload_checks_length_and_magic() {
    let p = beacon_payload(&[1; 32], &[2; 32]);
    assert!(!is_beacon_payload(&p[..BEACON_PAYLOAD_LEN - 1]));
    let mut longer = p.to_vec();
    longer.push(0);
    assert!(!is_beacon_payload(&longer));
    let mut bad_magic = p;
    bad_magic[0] ^= 1;
    assert!(!is_beacon_payload(&bad_magic));
    assert!(!is_beacon_payload(&[]));
    assert!(!is_beacon_payload(&BEACON_MAGIC));
}

#[test]
fn lorawan_devaddr_of_data_uplinks() {
    let devaddr: u32 = 0x2601_1F3A;
    let mut phy = vec![0x40];
    phy.extend_from_slice(&devaddr.to_le_bytes());
    phy.extend_from_slice(&[0x80, 0x01, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD]);
    // Unconfirmed data up.
    assert_eq!(lorawan_devaddr(&phy), Some(devaddr));
    // Confirmed data up.
    phy[0] = 0x80;
    assert_eq!(lorawan_devaddr(&phy), Some(devaddr));
    // RFU/major bits do not matter.
    phy[0] = 0x43;
    assert_eq!(lorawan_devaddr(&phy), Some(devaddr));
    // Just long enough.
    assert_eq!(lorawan_devaddr(&phy[..5]), Some(devaddr));
}

#[test]
fn lorawan_devaddr_of_other_frames_is_none() {
    let mut phy = vec![
        0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
    ];
    // Join request (000), join accept (001), unconfirmed down (011), confirmed down (101),
    // rejoin (110), proprietary (111).
    for mhdr in [0x00u8, 0x20, 0x60, 0xA0, 0xC0, 0xE0] {
        phy[0] = mhdr;
        assert_eq!(lorawan_devaddr(&phy), None, "mhdr {mhdr:#x}");
    }
    // Too short to hold a DevAddr.
    assert_eq!(lorawan_devaddr(&[]), None);
    for len in 1..5 {
        assert_eq!(lorawan_devaddr(&[0x40, 1, 2, 3, 4][..len]), None);
    }
}

#[test]
fn region_codes_round_trip() {
    let mut codes = std::collections::HashSet::new();
    for r in Region::ALL {
        assert_eq!(Region::from_u8(r.as_u8()), Some(r));
        assert_eq!(Region::from_name(r.as_str()), Some(r));
        assert!(codes.insert(r.as_u8()), "code of {r:?} reused");
    }
    assert_eq!(Region::from_u8(0), None);
    assert_eq!(Region::from_u8(5), None);
    assert_eq!(Region::from_u8(u8::MAX), None);
    assert_eq!(Region::from_name("us915"), None);
    assert_eq!(Region::from_name(""), None);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

prop_compose! {
    fn arb_beacon()(
        entropy in any::<[u8; 32]>(),
        payload in prop::collection::vec(any::<u8>(), 0..64),
        frequency_hz in any::<u64>(),
        tx_power_dbm in any::<i8>(),
        region in any::<u8>(),
        timestamp_ms in any::<i64>(),
    ) -> BeaconReport {
        BeaconReport { hotspot: [0; 32], entropy, payload, frequency_hz, tx_power_dbm, region, timestamp_ms }
    }
}

prop_compose! {
    fn arb_witness()(
        payload in prop::collection::vec(any::<u8>(), 0..64),
        rssi_dbm_x10 in any::<i16>(),
        snr_db_x10 in any::<i16>(),
        frequency_hz in any::<u64>(),
        region in any::<u8>(),
        timestamp_ms in any::<i64>(),
        tmst in any::<u32>(),
    ) -> WitnessReport {
        WitnessReport {
            hotspot: [0; 32], payload, rssi_dbm_x10, snr_db_x10, frequency_hz, region, timestamp_ms, tmst,
        }
    }
}

prop_compose! {
    fn arb_data()(
        devaddr in any::<u32>(),
        payload_hash in any::<[u8; 32]>(),
        payload_len in any::<u32>(),
        frequency_hz in any::<u64>(),
        timestamp_ms in any::<i64>(),
    ) -> DataReport {
        DataReport { hotspot: [0; 32], devaddr, payload_hash, payload_len, frequency_hz, timestamp_ms }
    }
}

fn arb_signed_body() -> impl Strategy<Value = (SigningKey, ReportBody)> {
    (
        any::<[u8; 32]>(),
        prop_oneof![
            arb_beacon().prop_map(ReportBody::Beacon),
            arb_witness().prop_map(ReportBody::Witness),
            arb_data().prop_map(ReportBody::Data),
        ],
    )
        .prop_map(|(seed, body)| {
            let sk = SigningKey::from_bytes(&seed);
            let hotspot = pubkey(&sk);
            let body = match body {
                ReportBody::Beacon(b) => ReportBody::Beacon(BeaconReport { hotspot, ..b }),
                ReportBody::Witness(w) => ReportBody::Witness(WitnessReport { hotspot, ..w }),
                ReportBody::Data(d) => ReportBody::Data(DataReport { hotspot, ..d }),
            };
            (sk, body)
        })
}

proptest! {
    #[test]
    fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..700)) {
        let _ = parse(&bytes);
        let _ = decode_batch(&bytes);
    }

    /// Arbitrary bytes behind a valid variant tag and a valid key reach deeper into borsh.
    #[test]
    fn parse_never_panics_past_the_key(
        tag in 0u8..4,
        seed in any::<[u8; 32]>(),
        rest in prop::collection::vec(any::<u8>(), 0..500),
    ) {
        let mut bytes = vec![tag];
        bytes.extend_from_slice(&pubkey(&SigningKey::from_bytes(&seed)));
        bytes.extend_from_slice(&rest);
        if let Ok(r) = parse(&bytes) {
            // Whatever parsed re-encodes to the same bytes (canonical encoding).
            prop_assert_eq!(r.wire(), bytes);
            let _ = verify_signatures(&[r]);
        }
    }

    #[test]
    fn random_bodies_round_trip((sk, body) in arb_signed_body()) {
        let wire = body.sign(&sk);
        let r = parse(&wire).unwrap();
        prop_assert_eq!(&r.body, &body);
        prop_assert_eq!(r.id, report_id(&body.to_bytes()));
        prop_assert_eq!(r.wire(), wire.clone());
        prop_assert_eq!(verify_signatures(std::slice::from_ref(&r)), vec![true]);
        // And through a batch.
        let batch = decode_batch(&encode_batch(std::slice::from_ref(&wire))).unwrap();
        prop_assert_eq!(batch, vec![wire]);
    }
}
