//! The capacity score.

use crate::challenge::check_work_bound;

/// Capacity score of a challenge answered in `elapsed_ms`: the node's measured exact int8
/// throughput in **millions of multiply-accumulates per second** (MMAC/s),
///
/// ```text
/// score = ⌊ n³·chain / (1000 · max(elapsed_ms, 1)) ⌋      saturated at u32::MAX
/// ```
///
/// (`n³·chain` MACs in `elapsed_ms` milliseconds is `n³·chain / elapsed_ms` MAC/ms
/// `= n³·chain / (1000·elapsed_ms)` MMAC/s; an elapsed time of 0 ms counts as 1 ms). The score is
/// 0 after the deadline (`elapsed_ms > deadline_ms`; finishing exactly at the deadline counts)
/// and for parameters no [`Challenge`](crate::Challenge) accepts. Pure integer arithmetic: the
/// work is at most `131_071³ < 2^52`, so nothing overflows. `u32::MAX` MMAC/s ≈ 4.3·10^15 MAC/s.
pub fn capacity_score(n: usize, chain: u32, elapsed_ms: u64, deadline_ms: u64) -> u32 {
    if elapsed_ms > deadline_ms || check_work_bound(n, chain).is_err() {
        return 0;
    }
    // check_work_bound ⇒ n·chain ≤ 131_071, so n³·chain ≤ 131_071³ < 2^52.
    let n = n as u128;
    let work = n * n * n * u128::from(chain);
    let per = 1000 * u128::from(elapsed_ms.max(1));
    u32::try_from(work / per).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
