use super::*;

#[test]
fn defaults_meet_the_2_pow_minus_40_target() {
    let p = VerifyParams::default();
    assert_eq!(p, VerifyParams::DEFAULT);
    assert_eq!(p.validate(), Ok(()));
    assert_eq!(false_accept_log2(&p), -64.0);
    assert!(false_accept_log2(&p) <= -40.0);
}

#[test]
fn false_accept_is_rounds_times_bits() {
    let p = VerifyParams {
        rounds: 1,
        r_bits: 20,
        opened_rows: 1,
    };
    assert_eq!(false_accept_log2(&p), -20.0);
    let p = VerifyParams { rounds: 3, ..p };
    assert_eq!(false_accept_log2(&p), -60.0);
}

#[test]
fn validate_rejects_out_of_range() {
    let d = VerifyParams::DEFAULT;
    for (p, e) in [
        (
            VerifyParams { rounds: 0, ..d },
            ParamsError::Rounds { rounds: 0 },
        ),
        (
            VerifyParams {
                rounds: MAX_ROUNDS + 1,
                ..d
            },
            ParamsError::Rounds { rounds: 17 },
        ),
        (
            VerifyParams { r_bits: 0, ..d },
            ParamsError::RBits { r_bits: 0 },
        ),
        (
            VerifyParams { r_bits: 65, ..d },
            ParamsError::RBits { r_bits: 65 },
        ),
        (
            VerifyParams {
                opened_rows: 0,
                ..d
            },
            ParamsError::NoOpenedRows,
        ),
    ] {
        assert_eq!(p.validate(), Err(e));
        assert_eq!(Query::derive([0; 32], 8, &p), Err(e));
    }
    for r_bits in [1, 63, 64] {
        assert!(VerifyParams { r_bits, ..d }.validate().is_ok());
    }
}

#[test]
fn query_shape_and_determinism() {
    let p = VerifyParams::DEFAULT;
    let q = Query::derive([1; 32], 100, &p).unwrap();
    assert_eq!(q, Query::derive([1; 32], 100, &p).unwrap());
    assert_ne!(q, Query::derive([2; 32], 100, &p).unwrap());
    assert_eq!(q.n(), 100);
    assert_eq!(q.rounds(), 2);
    assert!(q.r().iter().all(|r| r.len() == 100));
    assert_ne!(q.r()[0], q.r()[1], "rounds are independent");
    assert!(q.r().iter().flatten().all(|&x| x < 1 << 32));
    // Uses the full 32 bits.
    assert!(q.r().iter().flatten().any(|&x| x >= 1 << 31));
    assert_eq!(q.rows().len(), 16);
    assert!(q.rows().windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
    assert!(q.rows().iter().all(|&i| i < 100));
}

#[test]
fn r_entries_respect_r_bits() {
    for r_bits in [1, 7, 33, 64] {
        let p = VerifyParams {
            r_bits,
            ..VerifyParams::DEFAULT
        };
        let q = Query::derive([5; 32], 64, &p).unwrap();
        let max = q.r().iter().flatten().copied().max().unwrap();
        assert!(r_bits == 64 || max < 1u64 << r_bits);
        assert!(
            max >= 1u64 << (r_bits - 1),
            "top bit used for r_bits={r_bits}"
        );
    }
}

#[test]
fn r_matches_its_definition() {
    let p = VerifyParams {
        rounds: 2,
        r_bits: 20,
        opened_rows: 1,
    };
    let q = Query::derive([8; 32], 5, &p).unwrap();
    let key = hash_parts(&[QUERY_R_TAG, &[8; 32], &1u32.to_le_bytes()]);
    let mut s = Sha256Stream::new(key);
    let r1: Vec<u64> = (0..5).map(|_| s.next_u64() & 0xf_ffff).collect();
    assert_eq!(q.r()[1], r1);
}

#[test]
fn all_rows_when_opening_at_least_n() {
    let p = VerifyParams::DEFAULT;
    for n in [1, 5, 16] {
        let q = Query::derive([3; 32], n, &p).unwrap();
        assert_eq!(q.rows(), (0..n as u32).collect::<Vec<_>>());
    }
    let q = Query::derive([3; 32], 17, &p).unwrap();
    assert_eq!(q.rows().len(), 16);
}

#[test]
fn opening_all_but_one_row_terminates() {
    let p = VerifyParams {
        opened_rows: 999,
        ..VerifyParams::DEFAULT
    };
    let q = Query::derive([4; 32], 1000, &p).unwrap();
    assert_eq!(q.rows().len(), 999);
    assert!(q.rows().windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn row_selection_is_roughly_uniform() {
    let p = VerifyParams {
        opened_rows: 1,
        ..VerifyParams::DEFAULT
    };
    let mut counts = [0u32; 10];
    for s in 0..2000u32 {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&s.to_le_bytes());
        let q = Query::derive(seed, 10, &p).unwrap();
        counts[q.rows()[0] as usize] += 1;
    }
    // Expected 200 each; ±100 is > 7 standard deviations.
    assert!(
        counts.iter().all(|&c| (100..=300).contains(&c)),
        "{counts:?}"
    );
}

#[test]
fn query_rejects_bad_sizes() {
    let p = VerifyParams::DEFAULT;
    assert_eq!(Query::derive([0; 32], 0, &p), Err(ParamsError::ZeroSize));
    assert!(matches!(
        Query::derive([0; 32], 131_072, &p),
        Err(ParamsError::WorkTooLarge { .. })
    ));
}

#[test]
fn spot_check_escape_probabilities() {
    assert_eq!(spot_check_escape_log2(100, 0, 16), 0.0);
    assert_eq!(spot_check_escape_log2(100, 100, 16), f64::NEG_INFINITY);
    assert_eq!(spot_check_escape_log2(100, 85, 16), f64::NEG_INFINITY);
    assert_eq!(spot_check_escape_log2(16, 1, 16), f64::NEG_INFINITY);
    // One bad row of 100, one opened: 99/100.
    let one = spot_check_escape_log2(100, 1, 1);
    assert!((one - (0.99f64).log2()).abs() < 1e-12);
    // One bad row, 16 opened of 100: (100−16)/100 = 0.84.
    let p = spot_check_escape_log2(100, 1, 16);
    assert!((p - (0.84f64).log2()).abs() < 1e-12);
    // Half the rows wrong, 16 opened: below 2^-16.
    assert!(spot_check_escape_log2(1024, 512, 16) < -16.0);
}
