//! Deterministic challenge generation.
//!
//! ```text
//! seed       = SHA-256(CHALLENGE_TAG || node_key || hour_entropy || n as u64 LE || chain as u32 LE)
//! key(A)     = SHA-256(MATRIX_TAG || seed || b'A' || 0u32 LE)
//! key(B_k)   = SHA-256(MATRIX_TAG || seed || b'B' || k as u32 LE)      for k in 0..chain
//! M[i][j]    = Sha256Stream(key(M)) byte i·n + j, read as two's-complement i8
//! ```
//!
//! Matrices are row-major `Vec<i8>` of length `n·n`, entries uniform over all of `i8`
//! (`-128..=127`). The work is `C = Σ_k A·B_k` with int32 accumulation; [`Challenge::new`]
//! rejects parameters with `n·chain·128·128 > i32::MAX`, so no entry (and no partial sum, in any
//! order) of `C` can overflow. `chain` scales the work linearly without growing the matrices or
//! the commitment; the largest accepted `n·chain` is 131 071.

use crate::error::ParamsError;
use crate::merkle::Hash;
use crate::stream::{hash_parts, CHALLENGE_TAG, MATRIX_TAG};

/// Largest `|a·b|` for int8 `a`, `b`: `(-128)·(-128)`.
pub const MAX_PRODUCT: u64 = 128 * 128;

/// A capacity challenge: the seed and the shape of the work. Cheap to clone; matrices are
/// expanded on demand ([`matrix_a`](Self::matrix_a), [`matrix_b`](Self::matrix_b)) so a long
/// chain never needs all `B_k` in memory at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    seed: Hash,
    n: usize,
    chain: u32,
}

impl Challenge {
    /// Derives the challenge for `node_key` in the hour with `hour_entropy`.
    ///
    /// # Errors
    /// [`ParamsError::ZeroSize`], [`ParamsError::ZeroChain`], or
    /// [`ParamsError::WorkTooLarge`] when `n·chain·16384 > i32::MAX`.
    pub fn new(
        node_key: [u8; 32],
        hour_entropy: [u8; 32],
        n: usize,
        chain: u32,
    ) -> Result<Self, ParamsError> {
        check_work_bound(n, chain)?;
        // `n ≤ 131_071` after the check, so the cast is lossless.
        let n_le = (n as u64).to_le_bytes();
        let seed = hash_parts(&[
            CHALLENGE_TAG,
            &node_key,
            &hour_entropy,
            &n_le,
            &chain.to_le_bytes(),
        ]);
        Ok(Self { seed, n, chain })
    }

    /// The challenge seed.
    pub fn seed(&self) -> &Hash {
        &self.seed
    }

    /// Matrix size `n`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of `B_k` matrices (≥ 1).
    pub fn chain(&self) -> u32 {
        self.chain
    }

    /// Multiply-accumulates in the honest computation of `C`: `n³·chain`.
    pub fn work_macs(&self) -> u64 {
        // n·chain ≤ 131_071 < 2^17 and n < 2^17, so n³·chain < 2^51.
        let n = self.n as u64;
        n * n * n * u64::from(self.chain)
    }

    /// Largest possible `|C[i][j]|`: `n·chain·16384 ≤ i32::MAX`.
    pub fn entry_bound(&self) -> u64 {
        self.n as u64 * u64::from(self.chain) * MAX_PRODUCT
    }

    /// The matrix `A`, row-major, `n·n` entries.
    pub fn matrix_a(&self) -> Vec<i8> {
        self.expand(b'A', 0)
    }

    /// The matrix `B_k`, row-major, `n·n` entries. Defined for every `k`; the challenge uses
    /// `k < chain`.
    pub fn matrix_b(&self, k: u32) -> Vec<i8> {
        self.expand(b'B', k)
    }

    fn expand(&self, which: u8, k: u32) -> Vec<i8> {
        let key = hash_parts(&[MATRIX_TAG, &self.seed, &[which], &k.to_le_bytes()]);
        // n ≤ 131_071, so n·n < 2^34 cannot overflow usize on 64-bit targets; saturate elsewhere
        // (the allocation then fails loudly instead of silently truncating).
        let mut bytes = vec![0u8; self.n.saturating_mul(self.n)];
        aes_ctr_keystream(&key, &mut bytes);
        bytes.into_iter().map(|b| b as i8).collect()
    }
}

/// Fills `out` with the AES-128-CTR keystream of `key` (AES key `key[..16]`, initial counter
/// block `key[16..]`, 128-bit big-endian increment): the matrix expansion of
/// [`MATRIX_TAG`](crate::stream::MATRIX_TAG).
pub fn aes_ctr_keystream(key: &[u8; 32], out: &mut [u8]) {
    use aes::cipher::{KeyIvInit as _, StreamCipher as _};
    out.fill(0);
    let (aes_key, iv) = key.split_at(16);
    ctr::Ctr128BE::<aes::Aes128>::new(aes_key.into(), iv.into()).apply_keystream(out);
}

/// Checks `n ≥ 1`, `chain ≥ 1` and `n·chain·16384 ≤ i32::MAX`.
///
/// # Errors
/// See [`Challenge::new`].
pub fn check_work_bound(n: usize, chain: u32) -> Result<(), ParamsError> {
    if n == 0 {
        return Err(ParamsError::ZeroSize);
    }
    if chain == 0 {
        return Err(ParamsError::ZeroChain);
    }
    let bound = u128::try_from(n)
        .ok()
        .and_then(|n| n.checked_mul(u128::from(chain)))
        .and_then(|nc| nc.checked_mul(u128::from(MAX_PRODUCT)));
    match bound {
        Some(b) if b <= i32::MAX as u128 => Ok(()),
        _ => Err(ParamsError::WorkTooLarge { n, chain }),
    }
}

#[cfg(test)]
mod tests;
