use super::*;
use crate::testutil::challenge;

#[test]
fn generation_is_deterministic() {
    let a = challenge(1, 2, 17, 2);
    let b = challenge(1, 2, 17, 2);
    assert_eq!(a, b);
    assert_eq!(a.matrix_a(), b.matrix_a());
    assert_eq!(a.matrix_b(0), b.matrix_b(0));
    assert_eq!(a.matrix_b(1), b.matrix_b(1));
}

#[test]
fn seed_matches_its_definition() {
    let ch = Challenge::new([3; 32], [4; 32], 100, 3).unwrap();
    let expected = hash_parts(&[
        CHALLENGE_TAG,
        &[3; 32],
        &[4; 32],
        &100u64.to_le_bytes(),
        &3u32.to_le_bytes(),
    ]);
    assert_eq!(ch.seed(), &expected);
    // A is the AES-CTR keystream of its key, byte for byte.
    let key = hash_parts(&[MATRIX_TAG, &expected, b"A", &0u32.to_le_bytes()]);
    let mut bytes = vec![0u8; 100 * 100];
    super::aes_ctr_keystream(&key, &mut bytes);
    let a: Vec<i8> = bytes.iter().map(|&b| b as i8).collect();
    assert_eq!(ch.matrix_a(), a);
}

#[test]
fn every_input_changes_the_seed() {
    let base = challenge(1, 2, 8, 1);
    for other in [
        challenge(9, 2, 8, 1),
        challenge(1, 9, 8, 1),
        challenge(1, 2, 9, 1),
        challenge(1, 2, 8, 2),
    ] {
        assert_ne!(base.seed(), other.seed());
    }
}

#[test]
fn matrices_are_distinct_and_sized() {
    let ch = challenge(5, 6, 33, 3);
    let a = ch.matrix_a();
    let bs: Vec<_> = (0..3).map(|k| ch.matrix_b(k)).collect();
    assert_eq!(a.len(), 33 * 33);
    assert!(bs.iter().all(|b| b.len() == 33 * 33));
    assert_ne!(a, bs[0]);
    assert_ne!(bs[0], bs[1]);
    assert_ne!(bs[1], bs[2]);
}

#[test]
fn entries_span_all_of_i8() {
    let a = challenge(7, 7, 128, 1).matrix_a();
    let mut seen = [0u32; 256];
    for &v in &a {
        seen[(v as u8) as usize] += 1;
    }
    // 16384 samples over 256 values: every value appears, none wildly over-represented.
    assert!(seen.iter().all(|&c| (20..=120).contains(&c)), "{seen:?}");
    assert!(a.contains(&i8::MIN) && a.contains(&i8::MAX));
}

#[test]
fn known_answer() {
    // Pins the generation for cross-implementation (CUDA, other languages) conformance.
    let ch = Challenge::new([0; 32], [0; 32], 4, 1).unwrap();
    assert_eq!(ch.matrix_a(), KAT_A);
    assert_eq!(ch.matrix_b(0), KAT_B0);
}

// Computed by an independent Python implementation of the documented derivation.
const KAT_A: [i8; 16] = [
    -31, 27, 115, 115, 68, -21, 94, 35, -116, -92, 49, -26, 61, -128, -62, 85,
];
const KAT_B0: [i8; 16] = [
    64, 117, -63, -9, -23, -97, -96, -120, 65, -107, 25, 82, -31, 108, 15, 97,
];

#[test]
fn work_bound_boundaries() {
    // i32::MAX / 16384 = 131_071.99…
    assert!(check_work_bound(131_071, 1).is_ok());
    assert_eq!(
        check_work_bound(131_072, 1),
        Err(ParamsError::WorkTooLarge {
            n: 131_072,
            chain: 1
        })
    );
    assert!(check_work_bound(65_535, 2).is_ok());
    assert!(check_work_bound(65_536, 2).is_err());
    assert!(check_work_bound(1, 131_071).is_ok());
    assert!(check_work_bound(1, 131_072).is_err());
    assert!(check_work_bound(1024, 127).is_ok());
    assert!(check_work_bound(1024, 128).is_err());
    assert!(check_work_bound(usize::MAX, u32::MAX).is_err());
    assert_eq!(check_work_bound(0, 1), Err(ParamsError::ZeroSize));
    assert_eq!(check_work_bound(1, 0), Err(ParamsError::ZeroChain));
}

#[test]
fn new_rejects_what_the_bound_rejects() {
    assert_eq!(
        Challenge::new([0; 32], [0; 32], 4096, 32),
        Err(ParamsError::WorkTooLarge { n: 4096, chain: 32 })
    );
    assert_eq!(
        Challenge::new([0; 32], [0; 32], 0, 1),
        Err(ParamsError::ZeroSize)
    );
    assert_eq!(
        Challenge::new([0; 32], [0; 32], 4, 0),
        Err(ParamsError::ZeroChain)
    );
    let ch = Challenge::new([0; 32], [0; 32], 4096, 31).unwrap();
    assert!(ch.entry_bound() <= i32::MAX as u64);
    assert_eq!(ch.work_macs(), 4096u64.pow(3) * 31);
}
