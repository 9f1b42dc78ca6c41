//! The compute sub-DAO's hourly shares: a **capacity** pool and a **work** pool.
//!
//! ```text
//! capacity_i = score_i · weight_bps_i · uptime_slots_i        (verified challenge, class, liveness)
//! work_i     = dc_burned_i                                     (finalized jobs of the hour)
//! share_i    = ⌊ P_cap · capacity_i / Σ capacity ⌋ + ⌊ P_work · work_i / Σ work ⌋
//! ```
//!
//! with `P_cap = SHARE_SCALE · capacity_bps / 10_000` and `P_work = SHARE_SCALE − P_cap`. A pool
//! nobody earned (no verified capacity, or no finalized job) goes to the other pool, so the hour
//! is paid whenever anyone qualifies; with nobody qualifying, every share is 0. Shares are
//! rounded down and never sum to more than [`SHARE_SCALE`]. Aethir splits capacity and work the
//! same way; the split is a DAO parameter (default 40/60).

/// A share of 10¹² is the whole hour (the same scale as proof-of-coverage shares).
pub const SHARE_SCALE: u128 = 1_000_000_000_000;

/// One node's inputs for an hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeHour {
    /// Capacity score of the hour's verified challenge (MMAC/s), 0 if none verified.
    pub score: u32,
    /// Class weight in basis points (the best market the node qualifies for).
    pub weight_bps: u16,
    /// Five-minute slots with a heartbeat (0..=12).
    pub uptime_slots: u8,
    /// DC burned by the node's jobs finalized in the hour.
    pub dc_burned: u64,
}

impl NodeHour {
    /// The capacity units of the node.
    pub fn capacity_units(&self) -> u128 {
        u128::from(self.score) * u128::from(self.weight_bps) * u128::from(self.uptime_slots.min(12))
    }
}

/// Shares of `nodes` (same order), given the capacity pool in basis points (≤ 10 000).
pub fn hour_shares(nodes: &[NodeHour], capacity_bps: u16) -> Vec<u128> {
    let capacity_bps = u128::from(capacity_bps.min(10_000));
    let cap_total: u128 = nodes.iter().map(NodeHour::capacity_units).sum();
    let work_total: u128 = nodes.iter().map(|n| u128::from(n.dc_burned)).sum();
    let (cap_pool, work_pool) = match (cap_total > 0, work_total > 0) {
        (true, true) => {
            let cap = SHARE_SCALE * capacity_bps / 10_000;
            (cap, SHARE_SCALE - cap)
        }
        (true, false) => (SHARE_SCALE, 0),
        (false, true) => (0, SHARE_SCALE),
        (false, false) => (0, 0),
    };
    nodes
        .iter()
        .map(|n| {
            // A zero total means an empty pool: checked_div gives 0 there.
            let cap = (cap_pool * n.capacity_units())
                .checked_div(cap_total)
                .unwrap_or(0);
            let work = (work_pool * u128::from(n.dc_burned))
                .checked_div(work_total)
                .unwrap_or(0);
            cap + work
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn node(score: u32, weight_bps: u16, uptime_slots: u8, dc_burned: u64) -> NodeHour {
        NodeHour {
            score,
            weight_bps,
            uptime_slots,
            dc_burned,
        }
    }

    #[test]
    fn default_split_pays_capacity_and_work() {
        // Two equal-capacity nodes; only the first ran jobs.
        let s = hour_shares(
            &[node(100, 10_000, 12, 500), node(100, 10_000, 12, 0)],
            4_000,
        );
        assert_eq!(s, vec![200_000_000_000 + 600_000_000_000, 200_000_000_000]);
        assert_eq!(s.iter().sum::<u128>(), SHARE_SCALE);
    }

    #[test]
    fn class_weight_and_uptime_scale_capacity() {
        let s = hour_shares(
            &[
                node(100, 10_000, 12, 0),
                node(100, 2_500, 12, 0),
                node(100, 10_000, 6, 0),
            ],
            4_000,
        );
        // Units 12·10⁶, 3·10⁶, 6·10⁶ of 21·10⁶; the work pool is unearned and moves to capacity.
        assert_eq!(s[0], SHARE_SCALE * 12 / 21);
        assert_eq!(s[1], SHARE_SCALE * 3 / 21);
        assert_eq!(s[2], SHARE_SCALE * 6 / 21);
    }

    #[test]
    fn unverified_offline_or_idle_nodes_earn_nothing() {
        let s = hour_shares(
            &[
                node(0, 10_000, 12, 0),
                node(100, 10_000, 0, 0),
                node(100, 0, 12, 0),
            ],
            4_000,
        );
        assert_eq!(s, vec![0, 0, 0]);
        // Work alone pays the whole hour.
        let s = hour_shares(&[node(0, 0, 0, 7), node(0, 0, 0, 3)], 4_000);
        assert_eq!(s, vec![700_000_000_000, 300_000_000_000]);
        assert!(hour_shares(&[], 4_000).is_empty());
    }

    proptest! {
        #[test]
        fn shares_never_exceed_the_hour_and_respect_the_split(
            nodes in prop::collection::vec((0u32..1_000_000, 0u16..=10_000, 0u8..=12, 0u64..1_000_000_000), 0..40),
            capacity_bps in 0u16..=10_000,
        ) {
            let nodes: Vec<NodeHour> = nodes.into_iter().map(|(a, b, c, d)| node(a, b, c, d)).collect();
            let s = hour_shares(&nodes, capacity_bps);
            let total: u128 = s.iter().sum();
            prop_assert!(total <= SHARE_SCALE);
            let any_cap = nodes.iter().any(|n| n.capacity_units() > 0);
            let any_work = nodes.iter().any(|n| n.dc_burned > 0);
            if any_cap || any_work {
                // Rounding loses less than one unit per node per pool.
                prop_assert!(SHARE_SCALE - total <= 2 * nodes.len() as u128);
            } else {
                prop_assert_eq!(total, 0);
            }
            // More work never lowers a node's share (others fixed).
            if let Some(first) = nodes.first().copied() {
                let mut more = nodes.clone();
                more[0].dc_burned = first.dc_burned.saturating_add(1);
                let before = s[0];
                let after = hour_shares(&more, capacity_bps)[0];
                prop_assert!(after + 1 >= before, "{before} -> {after}");
            }
        }
    }
}
