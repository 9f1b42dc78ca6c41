//! Merkle commitment over the rows of `C`.
//!
//! ```text
//! leaf(i, row) = SHA-256(0x00 || i as u32 LE || row[0] as i32 LE || … || row[n-1] as i32 LE)
//! node(l, r)   = SHA-256(0x01 || l || r)
//! ```
//!
//! Levels are built bottom-up by hashing adjacent pairs. **Odd rule: promotion.** When a level
//! has an odd number of nodes, the last one is carried up to the next level unchanged (it is
//! *not* duplicated, which avoids the classic duplicate-last-leaf ambiguity where two different
//! leaf lists share a root). A proof therefore has no sibling at the levels where its node is
//! promoted, and the verifier needs the leaf count (`n`, known from the challenge) to know which
//! levels those are. The leaf/node prefixes separate the two hash domains, and the row index in
//! the leaf binds each row to its position.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Leaf hash of row `index` (see the module docs).
pub fn leaf_hash(index: u32, row: &[i32]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(index.to_le_bytes());
    let bytes: Vec<u8> = row.iter().flat_map(|v| v.to_le_bytes()).collect();
    h.update(&bytes);
    h.finalize().into()
}

/// Interior node hash (see the module docs).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// A Merkle tree with all levels kept, for producing proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[0]` are the leaves, the last level is the single root.
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// Builds the tree over `leaves`; `None` when there are none.
    pub fn from_leaves(leaves: Vec<Hash>) -> Option<Self> {
        if leaves.is_empty() {
            return None;
        }
        let mut levels = vec![leaves];
        while let Some(level) = levels.last().filter(|l| l.len() > 1) {
            let next: Vec<Hash> = level
                .chunks(2)
                .map(|pair| match pair {
                    [l, r] => node_hash(l, r),
                    // Odd rule: promote the last node unchanged.
                    [single] => *single,
                    _ => unreachable!("chunks(2) yields one or two items"),
                })
                .collect();
            levels.push(next);
        }
        Some(Self { levels })
    }

    /// Builds the tree over the rows of a row-major `n`-column matrix (`leaf(i, row_i)`).
    /// `None` when `n` is zero, `matrix` is empty or not a multiple of `n`, or the row count
    /// does not fit `u32`.
    pub fn from_rows(matrix: &[i32], n: usize) -> Option<Self> {
        if n == 0 || matrix.is_empty() || !matrix.len().is_multiple_of(n) {
            return None;
        }
        let leaves = matrix
            .chunks_exact(n)
            .enumerate()
            .map(|(i, row)| u32::try_from(i).ok().map(|i| leaf_hash(i, row)))
            .collect::<Option<Vec<_>>>()?;
        Self::from_leaves(leaves)
    }

    /// Number of leaves.
    pub fn leaf_count(&self) -> usize {
        self.levels[0].len()
    }

    /// The root.
    pub fn root(&self) -> Hash {
        // Construction guarantees a final level holding exactly one hash.
        self.levels[self.levels.len() - 1][0]
    }

    /// The proof for leaf `index`; `None` when out of range.
    pub fn proof(&self, index: usize) -> Option<MerkleProof> {
        if index >= self.leaf_count() {
            return None;
        }
        let mut siblings = Vec::new();
        let mut i = index;
        for level in &self.levels[..self.levels.len() - 1] {
            if let Some(sibling) = level.get(i ^ 1) {
                siblings.push(*sibling);
            } // else: `i` is the promoted last node of an odd level.
            i /= 2;
        }
        Some(MerkleProof { siblings })
    }
}

/// Sibling hashes from the leaf up, skipping levels where the node is promoted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MerkleProof {
    /// Sibling hashes, leaf level first.
    pub siblings: Vec<Hash>,
}

impl MerkleProof {
    /// The root implied by `leaf` at `index` in a tree of `leaf_count` leaves; `None` when
    /// `index ≥ leaf_count` or the proof has too few or too many siblings.
    pub fn root_from_leaf(&self, leaf: Hash, index: usize, leaf_count: usize) -> Option<Hash> {
        if index >= leaf_count {
            return None;
        }
        let mut siblings = self.siblings.iter();
        let (mut h, mut i, mut len) = (leaf, index, leaf_count);
        while len > 1 {
            if i % 2 == 1 {
                h = node_hash(siblings.next()?, &h);
            } else if i + 1 < len {
                h = node_hash(&h, siblings.next()?);
            } // else promoted: unchanged.
            i /= 2;
            // ⌈len/2⌉ without overflow.
            len = len / 2 + len % 2;
        }
        if siblings.next().is_some() {
            return None;
        }
        Some(h)
    }

    /// Whether `leaf` at `index` in a tree of `leaf_count` leaves has root `root`.
    pub fn verify(&self, root: &Hash, leaf: Hash, index: usize, leaf_count: usize) -> bool {
        self.root_from_leaf(leaf, index, leaf_count).as_ref() == Some(root)
    }
}

#[cfg(test)]
mod tests;
