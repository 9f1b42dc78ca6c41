//! CPU reference prover: exact `C = Σ_k A·B_k`, the Merkle commitment, and the response.
//!
//! Other backends (CUDA) compute `C` themselves and hand it to [`Commitment::from_matrix`];
//! the commitment and response logic is shared. Their `C` must be bit-identical to
//! [`compute_c`] (see the crate docs on bit-exactness).

use crate::challenge::Challenge;
use crate::error::ProveError;
use crate::merkle::{Hash, MerkleProof, MerkleTree};
use crate::params::Query;

/// `C += A·B` for row-major `n`×`n` int8 `A`, `B` and int32 `C`.
///
/// Each product `|a·b| ≤ 128·128 = 16384` fits `i16` exactly, and the challenge bound
/// `n·chain·16384 ≤ i32::MAX` keeps every partial sum of every entry of `C` within `i32`, so the
/// `wrapping_*` operations below never actually wrap: they are the exact arithmetic, spelled
/// so that the loop vectorizes under `overflow-checks`.
pub(crate) fn accumulate_product(c: &mut [i32], a: &[i8], b: &[i8], n: usize) {
    for (c_row, a_row) in c.chunks_exact_mut(n).zip(a.chunks_exact(n)) {
        accumulate_row(c_row, a_row, b, n);
    }
}

/// `c_row += a_row · B` (one row of [`accumulate_product`]; same bounds).
pub(crate) fn accumulate_row(c_row: &mut [i32], a_row: &[i8], b: &[i8], n: usize) {
    for (&a_il, b_row) in a_row.iter().zip(b.chunks_exact(n)) {
        let a_il = i16::from(a_il);
        for (c_ij, &b_lj) in c_row.iter_mut().zip(b_row) {
            *c_ij = c_ij.wrapping_add(i32::from(a_il.wrapping_mul(i16::from(b_lj))));
        }
    }
}

/// `row · r`, exact. `|row[j]| ≤ 2^31`, `r[j] < 2^64`, at most 2^17 terms: `|sum| < 2^112`.
pub(crate) fn row_dot(row: &[i32], r: &[u64]) -> i128 {
    row.iter()
        .zip(r)
        .map(|(&c, &r)| i128::from(c) * i128::from(r))
        .sum()
}

/// The exact work matrix `C = Σ_k A·B_k`, row-major `n·n` int32, on the CPU.
pub fn compute_c(challenge: &Challenge) -> Vec<i32> {
    let n = challenge.n();
    let a = challenge.matrix_a();
    let mut c = vec![0i32; a.len()];
    for k in 0..challenge.chain() {
        accumulate_product(&mut c, &a, &challenge.matrix_b(k), n);
    }
    c
}

/// Computes `C` on the CPU and commits to it.
pub fn commit(challenge: &Challenge) -> Commitment {
    let n = challenge.n();
    Commitment::from_matrix(n, compute_c(challenge))
        .expect("a valid challenge yields an n·n matrix with n ≤ u32::MAX")
}

/// The prover's committed matrix `C` and its Merkle tree over rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commitment {
    n: usize,
    c: Vec<i32>,
    tree: MerkleTree,
}

/// The prover's answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// `C·r_t` for every round `t`, concatenated: entry `t·n + i` is `(C·r_t)[i]`.
    pub c_times_r: Vec<i128>,
    /// `(row index, row of C, Merkle proof)` for each requested row, in query order.
    pub opened_rows: Vec<(u32, Vec<i32>, MerkleProof)>,
}

impl Commitment {
    /// Commits to an externally computed row-major `n`×`n` matrix `C` (e.g. from a GPU).
    ///
    /// # Errors
    /// [`ProveError::MatrixLength`] when `c.len() != n·n`, `n = 0` or `n > u32::MAX`.
    pub fn from_matrix(n: usize, c: Vec<i32>) -> Result<Self, ProveError> {
        let expected = n.checked_mul(n);
        let err = ProveError::MatrixLength {
            expected: expected.unwrap_or(usize::MAX),
            got: c.len(),
        };
        if expected != Some(c.len()) {
            return Err(err);
        }
        let tree = MerkleTree::from_rows(&c, n).ok_or(err)?;
        Ok(Self { n, c, tree })
    }

    /// Matrix size.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The committed matrix, row-major.
    pub fn matrix(&self) -> &[i32] {
        &self.c
    }

    /// The Merkle root published as the commitment.
    pub fn root(&self) -> Hash {
        self.tree.root()
    }

    /// Row `i` of `C`.
    pub fn row(&self, i: usize) -> Option<&[i32]> {
        self.c.chunks_exact(self.n).nth(i)
    }

    /// Answers `query`: `C·r_t` for every round and the requested rows with their proofs.
    /// O(rounds·n²).
    ///
    /// # Errors
    /// [`ProveError::QuerySize`] when the query was derived for another `n`.
    pub fn respond(&self, query: &Query) -> Result<Response, ProveError> {
        if query.n() != self.n {
            return Err(ProveError::QuerySize {
                expected: self.n,
                got: query.n(),
            });
        }
        let c_times_r = query
            .r()
            .iter()
            .flat_map(|r| self.c.chunks_exact(self.n).map(|row| row_dot(row, r)))
            .collect();
        let opened_rows = query
            .rows()
            .iter()
            .map(|&i| {
                // Query rows are < n by construction.
                let idx = i as usize;
                let row = self.c[idx * self.n..(idx + 1) * self.n].to_vec();
                let proof = self
                    .tree
                    .proof(idx)
                    .expect("query rows are < n = leaf count");
                (i, row, proof)
            })
            .collect();
        Ok(Response {
            c_times_r,
            opened_rows,
        })
    }
}

#[cfg(test)]
mod tests;
