//! GPU job market money math: the DC escrow of a job, its split into burned and refunded DC when
//! it settles, the stake slashed from a node, and the subjects oracles attest faults about.
//!
//! Units: DC amounts are whole DC (the DC mint has 0 decimals), prices are DC per second of GPU
//! time, durations are seconds, stakes are main-token base units, shares are basis points.
//!
//! ```text
//! escrow    = price × max_duration                       (checked: refused on overflow)
//! used      = clamp(now − claimed_at, 1, max_duration)
//! burned    = price × used          ≤ escrow             (BME: burned for the time used)
//! refunded  = escrow − burned                            (back to the poster)
//! slashed   = floor(stake × min(bps, 10 000) / 10 000)   ≤ stake
//! ```
//!
//! So `burned + refunded == escrow` for every settled job and nothing is created or lost.

use crate::BPS;
use solana_sha256_hasher::hashv;

/// A 32-byte hash.
pub type Hash32 = [u8; 32];

/// Domain prefix of a fault subject that is a job (see [`job_fault_subject`]).
pub const FAULT_JOB_DOMAIN: &[u8] = b"lattice-compute/fault/job/v1";
/// Domain prefix of a fault subject that is a capacity proof (see [`capacity_fault_subject`]).
pub const FAULT_CAPACITY_DOMAIN: &[u8] = b"lattice-compute/fault/capacity/v1";

/// Why a job's amounts cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComputeMathError {
    /// `price × duration` does not fit a `u64`.
    Overflow,
    /// The burn for the time used exceeds the escrow (used time beyond the maximum duration).
    ExceedsEscrow,
}

/// The DC escrowed for a job: `price_dc_per_sec × max_duration_secs`, or `Overflow`.
pub fn escrow_amount(
    price_dc_per_sec: u64,
    max_duration_secs: u64,
) -> Result<u64, ComputeMathError> {
    price_dc_per_sec
        .checked_mul(max_duration_secs)
        .ok_or(ComputeMathError::Overflow)
}

/// How a settled job's escrow splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// DC burned for the GPU time used (`price × used_secs`).
    pub burned: u64,
    /// DC refunded to the poster (`escrow − burned`).
    pub refunded: u64,
}

/// Split `escrow` of a job priced `price_dc_per_sec` that used `used_secs`: burn the time used,
/// refund the rest. Refuses a burn above the escrow (`ExceedsEscrow`) instead of clamping it, so a
/// caller bug can never burn DC the poster did not escrow.
pub fn settle(
    price_dc_per_sec: u64,
    used_secs: u64,
    escrow: u64,
) -> Result<Settlement, ComputeMathError> {
    let burned = price_dc_per_sec
        .checked_mul(used_secs)
        .ok_or(ComputeMathError::Overflow)?;
    let refunded = escrow
        .checked_sub(burned)
        .ok_or(ComputeMathError::ExceedsEscrow)?;
    Ok(Settlement { burned, refunded })
}

/// The whole escrow back to the poster (a cancelled, timed-out or faulted job).
pub fn full_refund(escrow: u64) -> Settlement {
    Settlement {
        burned: 0,
        refunded: escrow,
    }
}

/// Seconds of GPU time billed for a result submitted at `now` on a job claimed at `claimed_at`:
/// the elapsed time, at least 1 and at most `max_duration_secs` (at least 1 as well).
pub fn used_secs(claimed_at: i64, now: i64, max_duration_secs: u64) -> u64 {
    let elapsed = u64::try_from(now.saturating_sub(claimed_at)).unwrap_or(0);
    elapsed.max(1).min(max_duration_secs.max(1))
}

/// The deadline of a job claimed at `claimed_at`: `claimed_at + max_duration_secs`, or `None` if
/// it does not fit an `i64`.
pub fn deadline(claimed_at: i64, max_duration_secs: u64) -> Option<i64> {
    i64::try_from(max_duration_secs)
        .ok()
        .and_then(|d| claimed_at.checked_add(d))
}

/// The stake slashed at `bps` basis points of `stake`: `floor(stake × min(bps, 10 000) / 10 000)`,
/// never more than `stake`.
pub fn slash_amount(stake: u64, bps: u16) -> u64 {
    let bps = u128::from(u64::from(bps).min(BPS));
    let slashed = u128::from(stake)
        .saturating_mul(bps)
        .checked_div(u128::from(BPS))
        .unwrap_or(0);
    u64::try_from(slashed).unwrap_or(stake).min(stake)
}

/// The fault subject of job `job_id` of `market` (the market's address):
/// `SHA-256(FAULT_JOB_DOMAIN ‖ market ‖ job_id as u64 LE)`.
#[must_use]
pub fn job_fault_subject(market: &[u8; 32], job_id: u64) -> Hash32 {
    hashv(&[FAULT_JOB_DOMAIN, market, &job_id.to_le_bytes()]).to_bytes()
}

/// The fault subject of the capacity proof of `gpu_node` (the registry `GpuNode` address) for
/// `hour`: `SHA-256(FAULT_CAPACITY_DOMAIN ‖ gpu_node ‖ hour as u64 LE)`.
#[must_use]
pub fn capacity_fault_subject(gpu_node: &[u8; 32], hour: u64) -> Hash32 {
    hashv(&[FAULT_CAPACITY_DOMAIN, gpu_node, &hour.to_le_bytes()]).to_bytes()
}

#[cfg(test)]
mod tests;
