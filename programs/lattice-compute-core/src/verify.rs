//! The verifier: regenerates `A` and every `B_k` from the challenge and checks a response.
//!
//! All arithmetic is exact integer arithmetic (`i32` for rows of `C`, `i128` for products with
//! `r`); the bounds are in the crate docs. Cheap structural checks run first so garbage is
//! rejected before the O(n²·chain) pass.

use crate::challenge::Challenge;
use crate::error::VerifyError;
use crate::merkle::{leaf_hash, Hash, MerkleTree};
use crate::params::Query;
use crate::prove::{row_dot, Response};

/// Verifies `response` to `query` against the commitment `root` for `challenge`.
///
/// Checks, in order: shapes; each opened row's index, length and Merkle proof; consistency of
/// `c_times_r` with the opened rows; and Freivalds `A·(Σ_k B_k·r_t) == c_times_r[t]` for every
/// round. Together these give `row_i·r_t == (A·Σ_k B_k·r_t)_i` for every opened row `i`: the row
/// was fixed by the Merkle root before `r_t` was revealed, so a wrong opened row passes with
/// probability at most `2^-(rounds·r_bits)` (the Freivalds argument for a single row), without
/// the O(n²·chain) exact recomputation per opened row. Cost: O(n²·chain·rounds) time, O(n²)
/// memory.
///
/// # Errors
/// The first failed check, as a [`VerifyError`].
pub fn verify(
    challenge: &Challenge,
    root: &Hash,
    query: &Query,
    response: &Response,
) -> Result<(), VerifyError> {
    let n = check_query(challenge, query)?;
    let expected_products = query.rounds() * n;
    if response.c_times_r.len() != expected_products {
        return Err(VerifyError::ProductLength {
            expected: expected_products,
            got: response.c_times_r.len(),
        });
    }
    if response.opened_rows.len() != query.rows().len() {
        return Err(VerifyError::OpenedRowCount {
            expected: query.rows().len(),
            got: response.opened_rows.len(),
        });
    }
    for (position, ((index, row, proof), &expected)) in
        response.opened_rows.iter().zip(query.rows()).enumerate()
    {
        let index = *index;
        if index != expected {
            return Err(VerifyError::RowIndex {
                position,
                expected,
                got: index,
            });
        }
        if row.len() != n {
            return Err(VerifyError::RowLength {
                index,
                expected: n,
                got: row.len(),
            });
        }
        if !proof.verify(root, leaf_hash(index, row), index as usize, n) {
            return Err(VerifyError::MerkleProof { index });
        }
        for (round, r) in query.r().iter().enumerate() {
            // round < rounds and index < n, so the position is < rounds·n.
            if row_dot(row, r) != response.c_times_r[round * n + index as usize] {
                return Err(VerifyError::InconsistentProduct { round, index });
            }
        }
    }

    check_freivalds(&reference_pass(challenge, query), &response.c_times_r, n)
}

/// Verifies a full matrix `c` (row-major `n·n`) shipped by the prover: it must hash to `root`
/// and pass Freivalds with the vectors of `query` (its row selection is unused). Any wrong entry
/// is caught with probability ≥ `1 − 2^-(rounds·r_bits)`. Also usable by a prover to self-check a
/// GPU result before committing. O(n²·chain·rounds).
///
/// # Errors
/// [`VerifyError::QuerySize`], [`VerifyError::MatrixLength`], [`VerifyError::RootMismatch`] or
/// [`VerifyError::Freivalds`].
pub fn verify_matrix(
    challenge: &Challenge,
    root: &Hash,
    query: &Query,
    c: &[i32],
) -> Result<(), VerifyError> {
    let n = check_query(challenge, query)?;
    // n ≤ 131_071, so n·n cannot overflow.
    if c.len() != n * n {
        return Err(VerifyError::MatrixLength {
            expected: n * n,
            got: c.len(),
        });
    }
    if MerkleTree::from_rows(c, n).map(|t| t.root()).as_ref() != Some(root) {
        return Err(VerifyError::RootMismatch);
    }
    let c_times_r: Vec<i128> = query
        .r()
        .iter()
        .flat_map(|r| c.chunks_exact(n).map(|row| row_dot(row, r)))
        .collect();
    check_freivalds(&reference_pass(challenge, query), &c_times_r, n)
}

fn check_query(challenge: &Challenge, query: &Query) -> Result<usize, VerifyError> {
    let n = challenge.n();
    if query.n() != n {
        return Err(VerifyError::QuerySize {
            expected: n,
            got: query.n(),
        });
    }
    Ok(n)
}

/// One pass over `A` and every `B_k` (each expanded once, one `B_k` in memory at a time).
/// Returns `A·(Σ_k B_k·r_t)` for every round, concatenated like `c_times_r`.
///
/// Bounds (`n·chain < 2^17`, `|a|, |b| ≤ 2^7`): with `r < 2^32` (every `r_bits ≤ 32`,
/// the default) `|(Σ_k B_k·r)_l| < 2^7·2^32·2^17 = 2^56`, so that pass runs in `i64`; `A·v` is
/// then split as `v = hi·2^28 + lo` (`0 ≤ lo < 2^28`, `|hi| < 2^28`) so both partial sums stay
/// below `2^7·2^28·2^17 = 2^52` in `i64` and are combined in `i128`. Wider `r` (up to 2^64)
/// takes the plain `i128` path: `|(B·r)_l| < 2^88`, `|(A·B·r)_i| < 2^112`.
fn reference_pass(challenge: &Challenge, query: &Query) -> Vec<i128> {
    let narrow = query.r().iter().flatten().all(|&r| r < 1 << 32);
    if narrow {
        reference_pass_narrow(challenge, query)
    } else {
        reference_pass_wide(challenge, query)
    }
}

fn reference_pass_narrow(challenge: &Challenge, query: &Query) -> Vec<i128> {
    let n = challenge.n();
    // Everything below runs as unsigned 32 × 32 → 64-bit products (SIMD-friendly): a signed
    // int8 entry x is x_off − 128 with x_off = x + 128 ∈ [0, 256).
    let rs: Vec<Vec<u32>> = query
        .r()
        .iter()
        .map(|r| r.iter().map(|&x| x as u32).collect())
        .collect();
    let r_sums: Vec<i64> = rs
        .iter()
        .map(|r| r.iter().map(|&x| i64::from(x)).sum())
        .collect();
    // |Σ_k B_k·r| < 2^56 (see above), so i64.
    let mut br: Vec<Vec<i64>> = vec![vec![0; n]; query.rounds()];
    for k in 0..challenge.chain() {
        let b = offset(challenge.matrix_b(k));
        for (l, b_row) in b.chunks_exact(n).enumerate() {
            for ((acc, r), r_sum) in br.iter_mut().zip(&rs).zip(&r_sums) {
                // Σ_j b_j·r_j = Σ_j b_off_j·r_j − 128·Σ_j r_j; the dot is < 2^8·2^32·2^17.
                acc[l] += dot_u8_u32(b_row, r) as i64 - 128 * r_sum;
            }
        }
    }
    let a = offset(challenge.matrix_a());
    let a_sums: Vec<i64> = a
        .chunks_exact(n)
        .map(|row| row.iter().map(|&x| i64::from(x)).sum())
        .collect();
    const LO_BITS: u32 = 28;
    const HI_OFF: i64 = 1 << LO_BITS;
    let n_i64 = n as i64;
    br.iter()
        .flat_map(|v| {
            // v = hi·2^28 + lo with lo ∈ [0, 2^28) and hi ∈ [−2^28, 2^28); hi_off = hi + 2^28.
            let lo: Vec<u32> = v.iter().map(|&x| (x & (HI_OFF - 1)) as u32).collect();
            let hi_off: Vec<u32> = v
                .iter()
                .map(|&x| ((x >> LO_BITS) + HI_OFF) as u32)
                .collect();
            let lo_sum: i64 = lo.iter().map(|&x| i64::from(x)).sum();
            let hi_off_sum: i64 = hi_off.iter().map(|&x| i64::from(x)).sum();
            a.chunks_exact(n)
                .zip(&a_sums)
                .map(|(a_row, &a_sum)| {
                    // Σ a·lo = Σ a_off·lo − 128·Σ lo;
                    // Σ a·hi = Σ a_off·hi_off − 2^28·Σ a_off − 128·Σ hi_off + 128·2^28·n.
                    // Each dot is < 2^8·2^29·2^17 = 2^54.
                    let a_lo = dot_u8_u32(a_row, &lo) as i64 - 128 * lo_sum;
                    let a_hi =
                        dot_u8_u32(a_row, &hi_off) as i64 - HI_OFF * a_sum - 128 * hi_off_sum
                            + 128 * HI_OFF * n_i64;
                    (i128::from(a_hi) << LO_BITS) + i128::from(a_lo)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `x + 128` of every int8 entry, as `u8`.
fn offset(m: Vec<i8>) -> Vec<u8> {
    m.into_iter().map(|x| (x as u8) ^ 0x80).collect()
}

/// `Σ x_j·y_j` as unsigned 64-bit; callers bound it below 2^64. Compiled for AVX-512, AVX2 and
/// NEON with runtime dispatch (the only `unsafe` in this crate is the dispatch `multiversion`
/// generates).
#[allow(unsafe_code)]
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512vl",
    "x86_64+avx2",
    "aarch64+neon"
))]
fn dot_u8_u32(x: &[u8], y: &[u32]) -> u64 {
    x.iter()
        .zip(y)
        .map(|(&x, &y)| u64::from(x) * u64::from(y))
        .sum()
}

fn reference_pass_wide(challenge: &Challenge, query: &Query) -> Vec<i128> {
    let n = challenge.n();
    let mut br: Vec<Vec<i128>> = vec![vec![0; n]; query.rounds()];
    for k in 0..challenge.chain() {
        let b = challenge.matrix_b(k);
        for (l, b_row) in b.chunks_exact(n).enumerate() {
            for (acc, r) in br.iter_mut().zip(query.r()) {
                acc[l] += b_row
                    .iter()
                    .zip(r)
                    .map(|(&b, &r)| i128::from(b) * i128::from(r))
                    .sum::<i128>();
            }
        }
    }
    let a = challenge.matrix_a();
    br.iter()
        .flat_map(|br| {
            a.chunks_exact(n).map(move |a_row| {
                a_row
                    .iter()
                    .zip(br)
                    .map(|(&a, &v)| i128::from(a) * v)
                    .sum::<i128>()
            })
        })
        .collect()
}

fn check_freivalds(expected: &[i128], claimed: &[i128], n: usize) -> Result<(), VerifyError> {
    match expected.iter().zip(claimed).position(|(e, c)| e != c) {
        Some(p) => Err(VerifyError::Freivalds {
            round: p / n,
            index: p % n,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
