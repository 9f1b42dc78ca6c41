//! Verifier parameters, the query derived from the verifier seed, and the soundness arithmetic.
//!
//! # Query derivation
//!
//! ```text
//! key(r_t)  = SHA-256(QUERY_R_TAG || verifier_seed || t as u32 LE)          t in 0..rounds
//! r_t[j]    = (j-th u64 LE of Sha256Stream(key(r_t))) & (2^r_bits − 1)
//! key(rows) = SHA-256(QUERY_ROWS_TAG || verifier_seed || n as u64 LE)
//! rows      = m = min(opened_rows, n) distinct indices: draw u64 LE x from
//!             Sha256Stream(key(rows)), reject x ≥ ⌊2^64/n⌋·n (so x mod n is exactly
//!             uniform), skip repeats; then sort ascending. If m = n, rows = 0..n.
//! ```
//!
//! Masking a uniform `u64` keeps the low bits uniform, so `r_t[j]` is uniform over
//! `S = [0, 2^r_bits)`, `|S| = 2^r_bits`.

use crate::error::ParamsError;
use crate::stream::{hash_parts, Sha256Stream, QUERY_ROWS_TAG, QUERY_R_TAG};

/// Most Freivalds rounds accepted (bounds the response size at `MAX_ROUNDS·n` products).
pub const MAX_ROUNDS: u32 = 16;

/// Verifier parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyParams {
    /// Independent Freivalds rounds (`1..=MAX_ROUNDS`).
    pub rounds: u32,
    /// `log2 |S|`: entries of `r` are uniform in `[0, 2^r_bits)` (`1..=64`).
    pub r_bits: u32,
    /// Rows of `C` to open and recompute (≥ 1; capped at `n`).
    pub opened_rows: u32,
}

impl VerifyParams {
    /// Defaults: 2 rounds × 32-bit entries (false accept ≤ 2^-64) and 16 opened rows.
    pub const DEFAULT: Self = Self {
        rounds: 2,
        r_bits: 32,
        opened_rows: 16,
    };

    /// Checks the ranges documented on the fields.
    ///
    /// # Errors
    /// [`ParamsError::Rounds`], [`ParamsError::RBits`] or [`ParamsError::NoOpenedRows`].
    pub fn validate(&self) -> Result<(), ParamsError> {
        if !(1..=MAX_ROUNDS).contains(&self.rounds) {
            return Err(ParamsError::Rounds {
                rounds: self.rounds,
            });
        }
        if !(1..=64).contains(&self.r_bits) {
            return Err(ParamsError::RBits {
                r_bits: self.r_bits,
            });
        }
        if self.opened_rows == 0 {
            return Err(ParamsError::NoOpenedRows);
        }
        Ok(())
    }
}

impl Default for VerifyParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// `log2` of the probability that Freivalds accepts claimed products computed from a wrong `C`:
/// `−rounds·r_bits` (one round fails to notice with probability ≤ `1/|S| = 2^-r_bits`; rounds
/// use independent vectors). The defaults give `−64`.
///
/// Documentation/configuration helper only; verification never uses floats.
pub fn false_accept_log2(params: &VerifyParams) -> f64 {
    -(f64::from(params.rounds) * f64::from(params.r_bits))
}

/// `log2` of the probability that `opened_rows` distinct uniformly chosen rows (capped at `n`)
/// all miss `bad_rows` wrong rows of an `n`-row commitment:
/// `log2 Π_{t<m} (n − bad − t)/(n − t)`, `−∞` when escape is impossible, `0` when
/// `bad_rows = 0`. This bounds a prover that commits a partly wrong `C` but answers Freivalds
/// honestly (see the crate docs).
///
/// Documentation/configuration helper only; verification never uses floats.
pub fn spot_check_escape_log2(n: usize, bad_rows: usize, opened_rows: u32) -> f64 {
    let m = (opened_rows as usize).min(n);
    let bad = bad_rows.min(n);
    if bad == 0 {
        return 0.0;
    }
    if m > n - bad {
        return f64::NEG_INFINITY;
    }
    (0..m)
        .map(|t| (((n - bad - t) as f64) / ((n - t) as f64)).log2())
        .sum()
}

/// The verifier's query: Freivalds vectors and rows to open, expanded from a verifier seed.
/// Fields are private so every `Query` satisfies its invariants (`rounds` vectors of length
/// `n`, distinct sorted row indices `< n`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    n: usize,
    r: Vec<Vec<u64>>,
    rows: Vec<u32>,
}

impl Query {
    /// Expands `verifier_seed` for an `n`×`n` challenge (see the module docs).
    ///
    /// # Errors
    /// Invalid `params`, [`ParamsError::ZeroSize`], or [`ParamsError::WorkTooLarge`] when `n`
    /// alone is too large for any challenge.
    pub fn derive(
        verifier_seed: [u8; 32],
        n: usize,
        params: &VerifyParams,
    ) -> Result<Self, ParamsError> {
        params.validate()?;
        crate::challenge::check_work_bound(n, 1)?;
        let mask = u64::MAX >> (64 - params.r_bits);
        let r = (0..params.rounds)
            .map(|t| {
                let key = hash_parts(&[QUERY_R_TAG, &verifier_seed, &t.to_le_bytes()]);
                let mut s = Sha256Stream::new(key);
                (0..n).map(|_| s.next_u64() & mask).collect()
            })
            .collect();
        Ok(Self {
            n,
            r,
            rows: select_rows(&verifier_seed, n, params.opened_rows),
        })
    }

    /// Matrix size the query was derived for.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of Freivalds rounds.
    pub fn rounds(&self) -> usize {
        self.r.len()
    }

    /// The Freivalds vectors, one per round, each of length `n`.
    pub fn r(&self) -> &[Vec<u64>] {
        &self.r
    }

    /// The rows to open: distinct, ascending, `< n`.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }
}

/// `min(opened_rows, n)` distinct uniform row indices, ascending (see the module docs).
/// Requires `1 ≤ n ≤ u32::MAX` (guaranteed by the work bound).
fn select_rows(verifier_seed: &[u8; 32], n: usize, opened_rows: u32) -> Vec<u32> {
    let m = (opened_rows as usize).min(n);
    if m == n {
        return (0..n as u32).collect();
    }
    let key = hash_parts(&[QUERY_ROWS_TAG, verifier_seed, &(n as u64).to_le_bytes()]);
    let mut stream = Sha256Stream::new(key);
    let n64 = n as u64;
    // 2^64 mod n; accepting x < 2^64 − rem (every x when rem = 0) makes x mod n exactly uniform.
    let rem = (u64::MAX % n64 + 1) % n64;
    let mut taken = vec![false; n];
    let mut rows: Vec<u32> = Vec::with_capacity(m);
    while rows.len() < m {
        let x = stream.next_u64();
        // x ≥ 2^64 − rem  ⟺  x > u64::MAX − rem.
        if rem != 0 && x > u64::MAX - rem {
            continue;
        }
        let row = (x % n64) as usize;
        if !taken[row] {
            taken[row] = true;
            // row < n ≤ u32::MAX.
            rows.push(row as u32);
        }
    }
    rows.sort_unstable();
    rows
}

#[cfg(test)]
mod tests;
