//! Reward settlement, off chain: the cumulative reward index per device, the Merkle tree over it
//! (leaves and hashing from `lattice_math::merkle`, the same functions the rewards program
//! verifies with), and its archive.
//!
//! Each settled hour adds `floor(share × hour_tokens / 10¹²)` to every device with a share, where
//! `hour_tokens` is what the sub-DAO's rewards escrow received for that hour. Shares of an hour
//! sum to at most 10¹² and each reward rounds down, so an hour never pays out more than its
//! emission, and the index total never exceeds what the escrow received.
//!
//! The tree's leaves are sorted by device key, so every honest oracle builds the same tree and
//! posts the same root from the same inputs.

pub mod claims;

use lattice_math::merkle::{self, Hash32, Tree};
use rayon::prelude::*;
use std::collections::HashMap;

/// Shares are fractions of this (10¹² = the whole hour).
pub const SHARE_SCALE: u128 = 1_000_000_000_000;

/// A device's reward for one hour: `floor(share × tokens / SHARE_SCALE)`.
#[must_use]
pub fn hour_reward(share: u64, tokens: u64) -> u64 {
    let r = u128::from(share) * u128::from(tokens) / SHARE_SCALE;
    u64::try_from(r).unwrap_or(u64::MAX)
}

/// Cumulative rewards per device, up to and including `epoch`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RewardIndex {
    /// Last hour applied (`None` before the first).
    pub epoch: Option<u64>,
    /// Σ of all cumulative amounts.
    pub total: u64,
    cumulative: HashMap<[u8; 32], u64>,
}

/// Why an hour cannot be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// Hours must be applied in increasing order.
    #[error("hour {hour} is not after the index's epoch {epoch}")]
    NotAfterEpoch {
        /// The hour offered.
        hour: u64,
        /// The index's epoch.
        epoch: u64,
    },
    /// The shares of one hour sum to more than the whole hour.
    #[error("shares of hour {0} sum to more than 10^12")]
    SharesOverflow(u64),
}

impl RewardIndex {
    /// An index rebuilt from archived leaves.
    #[must_use]
    pub fn from_leaves(epoch: u64, leaves: &[([u8; 32], u64)]) -> Self {
        let cumulative: HashMap<_, _> = leaves.iter().copied().collect();
        Self {
            epoch: Some(epoch),
            total: cumulative.values().fold(0u64, |a, b| a.saturating_add(*b)),
            cumulative,
        }
    }

    /// Add hour `hour`'s rewards: `shares` (device, share of 10¹²) of `tokens`. Returns what the
    /// hour paid in total (≤ `tokens`).
    pub fn apply_hour(
        &mut self,
        hour: u64,
        shares: &[([u8; 32], u64)],
        tokens: u64,
    ) -> Result<u64, IndexError> {
        if let Some(epoch) = self.epoch {
            if hour <= epoch {
                return Err(IndexError::NotAfterEpoch { hour, epoch });
            }
        }
        let sum: u128 = shares.iter().map(|(_, s)| u128::from(*s)).sum();
        if sum > SHARE_SCALE {
            return Err(IndexError::SharesOverflow(hour));
        }
        let mut paid = 0u64;
        for (device, share) in shares {
            let r = hour_reward(*share, tokens);
            if r > 0 {
                let c = self.cumulative.entry(*device).or_insert(0);
                *c = c.saturating_add(r);
                paid = paid.saturating_add(r);
            }
        }
        self.total = self.total.saturating_add(paid);
        self.epoch = Some(hour);
        Ok(paid)
    }

    /// Fault injection for the Byzantine tests and the localnet's faulty oracle: move up to
    /// `amount` of the largest device key's rewards to the smallest one (a lying oracle that
    /// keeps the total plausible, so only the quorum can stop it).
    pub fn redirect(&mut self, amount: u64) {
        let (Some(lo), Some(hi)) = (
            self.cumulative.keys().min().copied(),
            self.cumulative.keys().max().copied(),
        ) else {
            return;
        };
        if lo == hi {
            return;
        }
        let moved = self.cumulative.get(&hi).copied().unwrap_or(0).min(amount);
        if let Some(c) = self.cumulative.get_mut(&hi) {
            *c -= moved;
        }
        if let Some(c) = self.cumulative.get_mut(&lo) {
            *c = c.saturating_add(moved);
        }
    }

    /// A device's cumulative amount.
    #[must_use]
    pub fn cumulative(&self, device: &[u8; 32]) -> u64 {
        self.cumulative.get(device).copied().unwrap_or(0)
    }

    /// Devices with a cumulative amount.
    #[must_use]
    pub fn len(&self) -> usize {
        self.cumulative.len()
    }

    /// Whether no device has earned anything.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cumulative.is_empty()
    }

    /// `(device, cumulative)` sorted by device.
    #[must_use]
    pub fn leaves(&self) -> Vec<([u8; 32], u64)> {
        let mut v: Vec<_> = self.cumulative.iter().map(|(k, v)| (*k, *v)).collect();
        v.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        v
    }
}

/// The tree of an index, with the position of each device's leaf.
#[derive(Debug, Clone)]
pub struct RewardTree {
    /// The epoch it settles.
    pub epoch: u64,
    /// Σ cumulative.
    pub total: u64,
    /// Sorted `(device, cumulative)`.
    pub leaves: Vec<([u8; 32], u64)>,
    tree: Tree,
}

impl RewardTree {
    /// Build the tree of `index` (leaves hashed in parallel).
    #[must_use]
    pub fn build(index: &RewardIndex) -> Self {
        Self::from_leaves(index.epoch.unwrap_or(0), index.leaves())
    }

    /// Build from sorted leaves (e.g. read back from the archive).
    #[must_use]
    pub fn from_leaves(epoch: u64, leaves: Vec<([u8; 32], u64)>) -> Self {
        let hashes: Vec<Hash32> = leaves
            .par_iter()
            .map(|(d, c)| merkle::leaf(d, *c))
            .collect();
        let total = leaves.iter().fold(0u64, |a, (_, c)| a.saturating_add(*c));
        Self {
            epoch,
            total,
            tree: Tree::new(hashes),
            leaves,
        }
    }

    /// The root.
    #[must_use]
    pub fn root(&self) -> Hash32 {
        self.tree.root()
    }

    /// A device's cumulative amount and proof.
    #[must_use]
    pub fn proof(&self, device: &[u8; 32]) -> Option<(u64, Vec<Hash32>)> {
        let i = self.leaves.binary_search_by(|(d, _)| d.cmp(device)).ok()?;
        Some((self.leaves[i].1, self.tree.proof(i)?))
    }

    /// Archive encoding: epoch, total, count, then (device, cumulative) pairs (borsh).
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        borsh::to_vec(&(self.epoch, self.total, &self.leaves)).unwrap_or_default()
    }

    /// Decode an archived tree (the root is recomputed, never trusted from the file).
    pub fn decode(bytes: &[u8]) -> Result<Self, std::io::Error> {
        let (epoch, _total, leaves): (u64, u64, Vec<([u8; 32], u64)>) = borsh::from_slice(bytes)?;
        Ok(Self::from_leaves(epoch, leaves))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(i: u64) -> [u8; 32] {
        let mut k = [0u8; 32];
        k[..8].copy_from_slice(&i.to_be_bytes());
        k
    }

    #[test]
    fn hour_reward_rounds_down() {
        assert_eq!(hour_reward(500_000_000_000, 3), 1);
        assert_eq!(hour_reward(1_000_000_000_000, 3), 3);
        assert_eq!(hour_reward(0, u64::MAX), 0);
        assert_eq!(hour_reward(1_000_000_000_000, u64::MAX), u64::MAX);
    }

    #[test]
    fn hours_apply_in_order_and_accumulate() {
        let mut idx = RewardIndex::default();
        let shares = vec![(key(1), 600_000_000_000), (key(2), 400_000_000_000)];
        assert_eq!(idx.apply_hour(10, &shares, 1_000).unwrap(), 1_000);
        assert_eq!(idx.apply_hour(11, &shares[..1], 1_000).unwrap(), 600);
        assert_eq!(
            (idx.cumulative(&key(1)), idx.cumulative(&key(2))),
            (1_200, 400)
        );
        assert_eq!(idx.total, 1_600);
        assert_eq!(
            idx.apply_hour(11, &shares, 1),
            Err(IndexError::NotAfterEpoch {
                hour: 11,
                epoch: 11
            })
        );
        let over = vec![(key(1), 600_000_000_000), (key(2), 400_000_000_001)];
        assert_eq!(
            idx.apply_hour(12, &over, 1),
            Err(IndexError::SharesOverflow(12))
        );
        assert_eq!(idx.epoch, Some(11));
    }

    #[test]
    fn tree_round_trips_through_the_archive_and_proves_every_leaf() {
        let mut idx = RewardIndex::default();
        let shares: Vec<_> = (0..37u64)
            .map(|i| (key(i * 7919), 20_000_000_000))
            .collect();
        idx.apply_hour(5, &shares, 1_000_000).unwrap();
        let t = RewardTree::build(&idx);
        let back = RewardTree::decode(&t.encode()).unwrap();
        assert_eq!(
            (back.root(), back.total, back.epoch),
            (t.root(), t.total, 5)
        );
        for (d, c) in &t.leaves {
            let (amount, proof) = t.proof(d).unwrap();
            assert_eq!(amount, *c);
            assert!(merkle::verify(&t.root(), &merkle::leaf(d, amount), &proof));
        }
        assert!(t.proof(&key(1)).is_none());
    }

    proptest! {
        /// Σ paid per hour ≤ the hour's tokens, the index total is the sum of hours paid, and
        /// two oracles applying the same hours in any device order get the same root.
        #[test]
        fn index_never_pays_more_than_emitted(
            hours in proptest::collection::vec(
                (proptest::collection::vec((0u64..50, 1u64..1_000), 1..20), 0u64..10_000_000),
                1..10,
            ),
        ) {
            let mut a = RewardIndex::default();
            let mut b = RewardIndex::default();
            let mut emitted = 0u64;
            for (h, (weights, tokens)) in hours.iter().enumerate() {
                let mut per_device: HashMap<u64, u64> = HashMap::new();
                for (d, w) in weights {
                    *per_device.entry(*d).or_insert(0) += *w;
                }
                let sum: u64 = per_device.values().sum();
                let mut shares: Vec<_> = per_device
                    .iter()
                    .map(|(d, w)| (key(*d), (u128::from(*w) * SHARE_SCALE / u128::from(sum)) as u64))
                    .collect();
                let paid = a.apply_hour(h as u64, &shares, *tokens).unwrap();
                prop_assert!(paid <= *tokens);
                shares.reverse();
                b.apply_hour(h as u64, &shares, *tokens).unwrap();
                emitted += tokens;
            }
            prop_assert!(a.total <= emitted);
            prop_assert_eq!(a.total, a.leaves().iter().map(|(_, c)| c).sum::<u64>());
            prop_assert_eq!(RewardTree::build(&a).root(), RewardTree::build(&b).root());
        }
    }
}
