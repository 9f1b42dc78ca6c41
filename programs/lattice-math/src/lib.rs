//! Pure economic math for Lattice.
//!
//! Every function here is deterministic, allocation-light, free of floating point and I/O, and
//! safe to run on SBF. The on-chain programs and the off-chain workers import the **same**
//! functions, so the cranker decides "is this hour issuable?" exactly as the program does.
//!
//! - [`epoch`]: hourly epochs and the issuability rule.
//! - [`emission`]: the decaying hourly emission schedule and its exact cumulative form.
//! - [`utility`]: the utility score and the exact split of an hour's emission among sub-DAOs.
//! - [`dc`]: data-credit pricing at a conservative oracle price.
//! - [`conversion`]: the treasury conversion curve between a sub-DAO token and the main token.
//! - [`compute`]: GPU job escrow, burn/refund split, slashing and fault subjects.
//! - [`merkle`]: the Merkle leaf and hashing of cumulative rewards, shared with the oracles.
//! - [`breaker`]: the windowed, linearly decaying circuit breaker applied to every mint.
//! - [`h3`]: validation of H3 cell indexes (asserted hotspot locations).

#![forbid(unsafe_code)]
// Tests compute expectations with plain operators on bounded values.
#![cfg_attr(
    test,
    allow(clippy::arithmetic_side_effects, clippy::manual_checked_ops)
)]

pub mod breaker;
pub mod compute;
pub mod conversion;
pub mod dc;
pub mod emission;
pub mod epoch;
pub mod governance;
pub mod h3;
pub mod merkle;
pub mod utility;
pub mod voting;
pub mod wide;

/// Basis points in one whole (100%).
pub const BPS: u64 = 10_000;
