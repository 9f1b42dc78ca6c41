//! Merkle trees of cumulative rewards: the leaf and hashing shared by the rewards program and
//! the oracles.
//!
//! * leaf = `SHA-256(0x00 ‖ device ‖ cumulative_amount as u64 LE)`;
//! * node = `SHA-256(0x01 ‖ min(a, b) ‖ max(a, b))`: children are hashed in sorted order, so a
//!   proof is just the list of siblings, with no left/right bits;
//! * the domain bytes keep a leaf from ever being read as a node (no second-preimage tricks);
//! * an unpaired node at the end of a level moves up unchanged.
//!
//! Leaves carry the **cumulative** amount earned since genesis, so a later root supersedes an
//! earlier one and a claim pays `cumulative − already_claimed`: a device missing from one hour's
//! root loses nothing, and a root that lowered a device's cumulative amount is visible at claim
//! time (`cumulative < claimed`). On SBF the hashes use the `sol_sha256` syscall.

use solana_sha256_hasher::hashv;

/// A 32-byte hash.
pub type Hash32 = [u8; 32];

/// Domain byte of leaves.
pub const LEAF_DOMAIN: u8 = 0x00;
/// Domain byte of inner nodes.
pub const NODE_DOMAIN: u8 = 0x01;
/// Deepest proof accepted (2³² leaves).
pub const MAX_DEPTH: usize = 32;

/// The leaf of `device` with `cumulative` earned.
#[must_use]
pub fn leaf(device: &[u8; 32], cumulative: u64) -> Hash32 {
    hashv(&[&[LEAF_DOMAIN], device, &cumulative.to_le_bytes()]).to_bytes()
}

/// The parent of two nodes (order-independent).
#[must_use]
pub fn node(a: &Hash32, b: &Hash32) -> Hash32 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    hashv(&[&[NODE_DOMAIN], lo, hi]).to_bytes()
}

/// Whether `proof` leads from `leaf` to `root` (at most [`MAX_DEPTH`] siblings).
#[must_use]
pub fn verify(root: &Hash32, leaf: &Hash32, proof: &[Hash32]) -> bool {
    if proof.len() > MAX_DEPTH {
        return false;
    }
    let mut h = *leaf;
    for sibling in proof {
        h = node(&h, sibling);
    }
    h == *root
}

/// A whole tree, kept level by level (level 0 = leaves) to serve proofs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    levels: Vec<Vec<Hash32>>,
}

impl Tree {
    /// Build over `leaves` (in the given order). An empty tree has root `[0; 32]`.
    #[must_use]
    pub fn new(leaves: Vec<Hash32>) -> Self {
        let mut levels = vec![leaves];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let prev = levels.last().map(Vec::as_slice).unwrap_or_default();
            let next: Vec<Hash32> = prev
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => node(a, b),
                    [a] => *a,
                    _ => [0; 32],
                })
                .collect();
            levels.push(next);
        }
        Self { levels }
    }

    /// The root.
    #[must_use]
    pub fn root(&self) -> Hash32 {
        self.levels
            .last()
            .and_then(|l| l.first())
            .copied()
            .unwrap_or([0; 32])
    }

    /// Number of leaves.
    #[must_use]
    pub fn len(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    /// Whether there are no leaves.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The siblings from leaf `index` up to the root (`None` past the end).
    #[must_use]
    pub fn proof(&self, index: usize) -> Option<Vec<Hash32>> {
        if index >= self.len() {
            return None;
        }
        let mut out = Vec::new();
        let mut i = index;
        for level in &self.levels[..self.levels.len().saturating_sub(1)] {
            let sibling = i ^ 1;
            if let Some(s) = level.get(sibling) {
                out.push(*s);
            }
            i /= 2;
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn leaves(n: usize) -> Vec<Hash32> {
        (0..n)
            .map(|i| {
                let mut d = [0u8; 32];
                d[..8].copy_from_slice(&(i as u64).to_le_bytes());
                leaf(&d, i as u64 * 7)
            })
            .collect()
    }

    #[test]
    fn leaf_is_the_documented_hash() {
        use sha2::{Digest, Sha256};
        let device = [3u8; 32];
        let mut h = Sha256::new();
        h.update([0u8]);
        h.update(device);
        h.update(500u64.to_le_bytes());
        let expected: [u8; 32] = h.finalize().into();
        assert_eq!(leaf(&device, 500), expected);
        assert_ne!(leaf(&device, 500), leaf(&device, 501));
        assert_ne!(leaf(&device, 500), leaf(&[4u8; 32], 500));
    }

    #[test]
    fn node_is_order_independent_and_domain_separated() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(node(&a, &b), node(&b, &a));
        // A node is never equal to the leaf hash of the same bytes.
        let mut as_device = [0u8; 32];
        as_device.copy_from_slice(&a);
        assert_ne!(node(&a, &b), leaf(&as_device, 0));
    }

    #[test]
    fn empty_and_single_trees() {
        assert_eq!(Tree::new(vec![]).root(), [0; 32]);
        assert_eq!(Tree::new(vec![]).proof(0), None);
        let l = leaves(1);
        let t = Tree::new(l.clone());
        assert_eq!(t.root(), l[0]);
        assert_eq!(t.proof(0), Some(vec![]));
        assert!(verify(&t.root(), &l[0], &[]));
    }

    #[test]
    fn wrong_proofs_fail() {
        let l = leaves(9);
        let t = Tree::new(l.clone());
        let p = t.proof(4).unwrap();
        assert!(verify(&t.root(), &l[4], &p));
        assert!(!verify(&t.root(), &l[5], &p));
        let mut bad = p.clone();
        bad[0][0] ^= 1;
        assert!(!verify(&t.root(), &l[4], &bad));
        assert!(!verify(&t.root(), &l[4], &p[..p.len() - 1]));
        assert!(!verify(&t.root(), &l[4], &vec![[0u8; 32]; MAX_DEPTH + 1]));
    }

    proptest! {
        #[test]
        fn every_leaf_proves_into_its_root(n in 1usize..300, pick in 0usize..300) {
            let l = leaves(n);
            let t = Tree::new(l.clone());
            let i = pick % n;
            let p = t.proof(i).unwrap();
            prop_assert!(p.len() <= 9);
            prop_assert!(verify(&t.root(), &l[i], &p));
            // Another leaf's amount in the same slot does not verify.
            let mut d = [0u8; 32];
            d[..8].copy_from_slice(&(i as u64).to_le_bytes());
            prop_assert!(!verify(&t.root(), &leaf(&d, i as u64 * 7 + 1), &p));
        }
    }
}
