//! Helpers shared by the unit tests.

use crate::challenge::Challenge;

/// A challenge from small integer labels.
pub fn challenge(node: u8, hour: u8, n: usize, chain: u32) -> Challenge {
    Challenge::new([node; 32], [hour; 32], n, chain).expect("valid test parameters")
}

/// `C = Σ_k A·B_k` by the textbook triple loop in `i64` (independent of the prover's kernel).
pub fn naive_c(ch: &Challenge) -> Vec<i64> {
    let n = ch.n();
    let a = ch.matrix_a();
    let mut c = vec![0i64; n * n];
    for k in 0..ch.chain() {
        let b = ch.matrix_b(k);
        for i in 0..n {
            for j in 0..n {
                for l in 0..n {
                    c[i * n + j] += i64::from(a[i * n + l]) * i64::from(b[l * n + j]);
                }
            }
        }
    }
    c
}
