//! Merkle trees of cumulative rewards (`lattice_math::merkle`), shared by the rewards program and
//! the oracles.
//!
//! Invariants: the leaf is the documented `SHA-256(0x00 ‖ device ‖ cumulative LE)` and differs
//! for any other amount; the node hash is order-independent; every leaf's proof is at most
//! `ceil(log2 n)` long and verifies into the root; a proof verifies exactly its own leaf (another
//! amount, a flipped sibling bit, a truncated or an over-long proof all fail); past-the-end
//! indexes have no proof.
#![no_main]

use lattice_math::merkle::{leaf, node, verify, Hash32, Tree, LEAF_DOMAIN, MAX_DEPTH};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    entries: Vec<([u8; 32], u64)>,
    /// Repeat the entries (a cheap way to reach larger trees and duplicate leaves).
    repeat: u8,
    pick: u16,
    flip: u16,
    other_amount: u64,
}

fuzz_target!(|inp: Input| {
    let mut entries: Vec<([u8; 32], u64)> = inp.entries.iter().take(64).copied().collect();
    let base = entries.clone();
    for _ in 0..(inp.repeat % 4) {
        entries.extend_from_slice(&base);
    }
    let leaves: Vec<Hash32> = entries.iter().map(|(d, c)| leaf(d, *c)).collect();
    let tree = Tree::new(leaves.clone());
    assert_eq!(tree.len(), leaves.len());
    assert_eq!(tree.is_empty(), leaves.is_empty());
    assert_eq!(tree.proof(leaves.len()), None);
    if leaves.is_empty() {
        assert_eq!(tree.root(), [0; 32]);
        return;
    }
    let root = tree.root();
    assert_eq!(Tree::new(leaves.clone()).root(), root, "root is not deterministic");

    let n = leaves.len();
    let i = usize::from(inp.pick) % n;
    let (device, cumulative) = entries[i];
    // The documented leaf encoding.
    let mut pre = vec![LEAF_DOMAIN];
    pre.extend_from_slice(&device);
    pre.extend_from_slice(&cumulative.to_le_bytes());
    assert_eq!(solana_sha256(&pre), leaves[i]);

    let proof = tree.proof(i).expect("an in-range leaf has a proof");
    let depth = usize::BITS - (n - 1).leading_zeros(); // ceil(log2 n)
    assert!(proof.len() <= depth as usize && proof.len() <= MAX_DEPTH);
    assert!(verify(&root, &leaves[i], &proof), "leaf {i} of {n} does not verify");
    for (j, l) in leaves.iter().enumerate().take(8) {
        // The proof of leaf i verifies leaf j iff the two leaves are equal.
        assert_eq!(verify(&root, l, &proof), *l == leaves[i], "leaf {j} verified with the proof of {i}");
    }

    // Another cumulative amount for the same device never verifies.
    if inp.other_amount != cumulative {
        let forged = leaf(&device, inp.other_amount);
        assert_ne!(forged, leaves[i]);
        assert!(!verify(&root, &forged, &proof));
    }
    // A flipped bit in any sibling fails.
    if !proof.is_empty() {
        let mut bad = proof.clone();
        let k = usize::from(inp.flip) % (bad.len() * 256);
        bad[k / 256][(k % 256) / 8] ^= 1 << (k % 8);
        assert!(!verify(&root, &leaves[i], &bad));
        // A truncated proof fails.
        assert!(!verify(&root, &leaves[i], &proof[..proof.len() - 1]));
    }
    // Over-long proofs are refused outright.
    let mut long = proof.clone();
    long.resize(MAX_DEPTH + 1, [0u8; 32]);
    assert!(!verify(&root, &leaves[i], &long));
    // Order independence of the node.
    let s = proof.first().copied().unwrap_or([7u8; 32]);
    assert_eq!(node(&leaves[i], &s), node(&s, &leaves[i]));
});

fn solana_sha256(bytes: &[u8]) -> Hash32 {
    // An independent SHA-256 (the crate's own `hashv` is what is under test).
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}
