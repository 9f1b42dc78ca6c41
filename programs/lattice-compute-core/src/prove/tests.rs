use super::*;
use crate::challenge::MAX_PRODUCT;
use crate::params::VerifyParams;
use crate::testutil::{challenge, naive_c};

#[test]
fn compute_c_matches_the_textbook_product() {
    for n in [1, 2, 3, 7, 16, 31] {
        for chain in 1..=3 {
            let ch = challenge(n as u8, chain as u8, n, chain);
            let c: Vec<i64> = compute_c(&ch).into_iter().map(i64::from).collect();
            assert_eq!(c, naive_c(&ch), "n={n} chain={chain}");
        }
    }
}

#[test]
fn accumulation_is_exact_at_the_i32_bound() {
    // The extreme challenge n·chain = 131_071 with every entry −128 (products +16384) or with
    // −128 × 127 (products −16256): the accumulator reaches ±2^31 − 16384 and never wraps.
    let max_terms = (i32::MAX as u64 / MAX_PRODUCT) as usize;
    assert_eq!(max_terms, 131_071);
    let mut c = [0i32];
    let mut d = [0i32];
    for _ in 0..max_terms {
        accumulate_product(&mut c, &[-128], &[-128], 1);
        accumulate_product(&mut d, &[-128], &[127], 1);
    }
    assert_eq!(i64::from(c[0]), 131_071 * 16_384);
    assert_eq!(i64::from(d[0]), -131_071 * 16_256);
    // The same with a wide row: n = 4096 terms per entry, chain 32 = 131_072 terms would exceed
    // the bound and is rejected; 4096·31 terms fit.
    let n = 4096;
    let a = vec![-128i8; n];
    let b = vec![-128i8; n * n];
    let mut row = vec![0i32; n];
    for _ in 0..31 {
        accumulate_row(&mut row, &a, &b, n);
    }
    assert!(row.iter().all(|&v| i64::from(v) == 4096 * 31 * 16_384));
}

#[test]
fn commitment_roots_the_rows_of_c() {
    let ch = challenge(1, 1, 9, 2);
    let com = commit(&ch);
    assert_eq!(com.n(), 9);
    assert_eq!(com.matrix(), compute_c(&ch).as_slice());
    assert_eq!(
        com.root(),
        MerkleTree::from_rows(com.matrix(), 9).unwrap().root()
    );
    assert_eq!(com.row(8), Some(&com.matrix()[72..81]));
    assert_eq!(com.row(9), None);
}

#[test]
fn from_matrix_checks_the_shape() {
    assert_eq!(
        Commitment::from_matrix(3, vec![0; 8]),
        Err(ProveError::MatrixLength {
            expected: 9,
            got: 8
        })
    );
    assert!(Commitment::from_matrix(0, vec![]).is_err());
    assert!(matches!(
        Commitment::from_matrix(usize::MAX, vec![]),
        Err(ProveError::MatrixLength {
            expected: usize::MAX,
            ..
        })
    ));
    assert!(Commitment::from_matrix(2, vec![1, 2, 3, 4]).is_ok());
}

#[test]
fn response_layout() {
    let n = 20;
    let ch = challenge(2, 3, n, 1);
    let com = commit(&ch);
    let q = Query::derive([4; 32], n, &VerifyParams::DEFAULT).unwrap();
    let resp = com.respond(&q).unwrap();
    assert_eq!(resp.c_times_r.len(), 2 * n);
    let c = naive_c(&ch);
    for (t, r) in q.r().iter().enumerate() {
        for i in 0..n {
            let expected: i128 = (0..n)
                .map(|j| i128::from(c[i * n + j]) * i128::from(r[j]))
                .sum();
            assert_eq!(resp.c_times_r[t * n + i], expected);
        }
    }
    assert_eq!(resp.opened_rows.len(), 16);
    for ((index, row, proof), &want) in resp.opened_rows.iter().zip(q.rows()) {
        assert_eq!(*index, want);
        assert_eq!(row.as_slice(), com.row(want as usize).unwrap());
        assert!(proof.verify(
            &com.root(),
            crate::merkle::leaf_hash(want, row),
            want as usize,
            n
        ));
    }
}

#[test]
fn respond_rejects_a_query_for_another_size() {
    let com = commit(&challenge(2, 3, 8, 1));
    let q = Query::derive([4; 32], 9, &VerifyParams::DEFAULT).unwrap();
    assert_eq!(
        com.respond(&q),
        Err(ProveError::QuerySize {
            expected: 8,
            got: 9
        })
    );
}

#[test]
fn known_answer() {
    // End-to-end pin (challenge → C → Merkle root), from an independent Python implementation
    // (`tests/vectors/kat.py`: hashlib + the `cryptography` package's AES-CTR) of the documented
    // derivation, hashing
    // and odd-node promotion. A CUDA backend must match.
    let ch = Challenge::new([0; 32], [0; 32], 4, 1).unwrap();
    let com = commit(&ch);
    assert_eq!(
        com.matrix(),
        [
            1305, -6131, 3961, 17624, 9860, 3715, 607, 13011, -1317, -12699, 16975, 13580, 183,
            35367, 8170, 17972
        ]
    );
    assert_eq!(
        hex(&com.root()),
        "86a36c023293970b285020f32b6c6e32d3cbdcbf38e707b41af737149e0e37a2"
    );
    // n = 5 (odd: row 4 promoted), chain = 2.
    let com = commit(&Challenge::new([1; 32], [2; 32], 5, 2).unwrap());
    assert_eq!(
        com.matrix(),
        [
            -15205, 14198, -9320, 2742, -14300, 20136, 29996, -2179, 7334, 21786, 15519, -6735,
            -37884, -22853, -16668, 15706, 32104, -25500, 35573, 20418, 18893, -22755, -2436, 3595,
            8804
        ]
    );
    assert_eq!(
        hex(&com.root()),
        "af276619a155a2e4448f583c17539f11dc7115de556f8f9605dfdc88afb80fe1"
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
