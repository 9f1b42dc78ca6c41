//! Proof-of-compute *capacity challenge* core for Lattice.
//!
//! A node proves, once per hour, that it can perform a large exact int8 matrix multiplication
//! within a deadline. This crate is the pure, backend-independent core shared by the GPU worker
//! (the prover) and the oracle (the verifier): challenge generation, the exact CPU reference
//! prover, the Merkle commitment, the verifier, the soundness arithmetic and the score. It is
//! deterministic, free of `unsafe`, I/O and floating point on every proving and verification
//! path (floats appear only in the documentation helpers [`false_accept_log2`] and
//! [`spot_check_escape_log2`]).
//!
//! # Protocol
//!
//! 1. **Challenge.** Both sides derive the same [`Challenge`] from public data:
//!    `seed = SHA-256("lattice-compute/v1/challenge\0" || node_key || hour_entropy ||
//!    n as u64 LE || chain as u32 LE)`. From the seed, AES-128-CTR keystreams keyed by
//!    `SHA-256(MATRIX_TAG || seed || b'A'/b'B' || k)` ([`stream::MATRIX_TAG`]) expand an n×n
//!    int8 matrix `A` and `chain` n×n int8 matrices `B_0..B_{chain-1}`.
//! 2. **Work.** The prover computes the int32 matrix `C = Σ_k A·B_k` (for `chain = 1` simply
//!    `C = A·B_0`), exactly ([`prove::compute_c`] on the CPU; a CUDA backend later).
//! 3. **Commit.** The prover commits to `C` with a Merkle root over its rows ([`merkle`]) and
//!    publishes the root before the deadline. Elapsed time feeds [`capacity_score`].
//! 4. **Reveal.** Only then does the oracle reveal a 32-byte *verifier seed*. Both sides expand
//!    it into a [`Query`]: `rounds` random vectors `r_t` with entries uniform in `[0, 2^r_bits)`
//!    and a set of distinct row indices to open ([`Query::derive`]). The seed must be
//!    unpredictable to the prover until the root is fixed (e.g. the oracle commits to
//!    `SHA-256(seed)` in advance and reveals `seed` after seeing the root); otherwise the prover
//!    can tailor the committed rows to the query.
//! 5. **Respond.** The prover returns a [`Response`]: `C·r_t` for every round (exact, `i128`)
//!    and each requested row of `C` with its Merkle proof ([`prove::Commitment::respond`]).
//! 6. **Verify.** The oracle ([`verify::verify`]) regenerates `A` and every `B_k` itself and checks
//!    - every opened row has the requested index, length `n`, and a Merkle proof to the root;
//!    - `c_times_r[t][i] == row_i · r_t` for every opened row `i` (the claimed products are
//!      consistent with the committed rows);
//!    - Freivalds, exactly over the integers: `A·(Σ_k B_k·r_t) == c_times_r[t]` for every round;
//!    - every opened row equals the row recomputed exactly from `A` and the `B_k`.
//!
//!    This costs O(n²·chain) per round plus O(n²·chain) per opened row, against the prover's
//!    O(n³·chain). When bandwidth allows shipping all of `C` (4·n² bytes), [`verify::verify_matrix`]
//!    checks the full matrix against the root and with Freivalds directly.
//!
//! # Bit-exactness
//!
//! int8 × int8 products accumulated in int32 are exactly what GPU integer tensor cores compute
//! (IMMA / `cublasLt` int8 GEMM with int32 accumulation). Because the parameters are bounded so
//! that **no partial sum can overflow** (`n·chain·128·128 ≤ i32::MAX`, enforced by
//! [`Challenge::new`]), every summation order — tiling, split-K, tensor-core fragment order, even
//! wrapping int32 arithmetic — yields the same exact `C`. A CUDA backend must therefore produce a
//! `C` bit-identical to [`prove::compute_c`], and hence the same Merkle root.
//!
//! # False-accept bound
//!
//! Let `D = Σ_k A·B_k − C'` where `C'` is the matrix the claimed products `c_times_r` were
//! computed from. If `D ≠ 0`, pick a nonzero entry `d_ij`. Conditioned on all entries of `r`
//! except `r_j`, the `i`-th coordinate of `D·r` is `d_ij·r_j + const`, which vanishes for at most
//! one value of `r_j`. The arithmetic is exact (no modular reduction), so one Freivalds round
//! false-accepts with probability at most `1/|S| = 2^-r_bits`, and `rounds` independent rounds
//! at most `2^-(rounds·r_bits)`. The defaults ([`VerifyParams::DEFAULT`]: 2 rounds × 32 bits) give
//! `2^-64 ≤ 2^-40`; see [`false_accept_log2`].
//!
//! **Scope of the bound.** Freivalds certifies the claimed vector `c_times_r`, which catches any
//! prover (e.g. faulty hardware, a buggy kernel) that derives its answer from a wrong `C`. The
//! verifier never sees unopened rows, though, and `A·(B·r)` can be computed in O(n²·chain)
//! without computing `C`; against a *deliberate* cheater the link between the committed root and
//! the work is the row spot check: a committed `C` with `b` wrong rows out of `n` escapes `m`
//! opened rows with probability `C(n−b, m)/C(n, m) ≤ (1 − b/n)^m` ([`spot_check_escape_log2`]).
//! [`verify::verify_matrix`] (full `C` shipped) closes this gap: any wrong entry is then caught
//! with probability ≥ `1 − 2^-(rounds·r_bits)`.
//!
//! # Arithmetic bounds
//!
//! With `n·chain ≤ 131_071 < 2^17` (implied by the work bound), `|a|, |b| ≤ 2^7`,
//! `0 ≤ r < 2^64`, and `|c| ≤ 2^31`:
//! `|(B·r)_i| < 2^7·2^64·2^17 = 2^88`, `|(A·B·r)_i| < 2^7·2^88·2^17 = 2^112` and
//! `|(C·r)_i| < 2^31·2^64·2^17 = 2^112`, all far inside `i128`. Values received from the prover
//! are only compared, or multiplied after their type has bounded them (`i32` rows), so the
//! verifier cannot be made to overflow.

// `unsafe` only in the SIMD dispatch `multiversion` generates for the verifier's dot product.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod challenge;
mod error;
pub mod merkle;
pub mod params;
pub mod prove;
pub mod score;
pub mod shares;
pub mod stream;
#[cfg(test)]
mod testutil;
pub mod verify;

pub use challenge::Challenge;
pub use error::{ParamsError, ProveError, VerifyError};
pub use merkle::{Hash, MerkleProof, MerkleTree};
pub use params::{false_accept_log2, spot_check_escape_log2, Query, VerifyParams};
pub use prove::{Commitment, Response};
pub use score::capacity_score;
