use super::*;
use proptest::prelude::*;

fn leaves(count: usize) -> Vec<Hash> {
    (0..count as u32)
        .map(|i| leaf_hash(i, &[i as i32, -1]))
        .collect()
}

#[test]
fn leaf_hash_layout() {
    let mut h = Sha256::new();
    h.update([0x00, 7, 0, 0, 0]);
    h.update([1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
    let expected: Hash = h.finalize().into();
    assert_eq!(leaf_hash(7, &[1, -2]), expected);
    assert_ne!(leaf_hash(7, &[1, -2]), leaf_hash(8, &[1, -2]));
}

#[test]
fn node_hash_layout() {
    let (l, r) = ([1u8; 32], [2u8; 32]);
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(l);
    h.update(r);
    let expected: Hash = h.finalize().into();
    assert_eq!(node_hash(&l, &r), expected);
    assert_ne!(node_hash(&l, &r), node_hash(&r, &l));
}

#[test]
fn empty_tree_is_refused() {
    assert_eq!(MerkleTree::from_leaves(vec![]), None);
    assert_eq!(MerkleTree::from_rows(&[], 3), None);
    assert_eq!(MerkleTree::from_rows(&[1, 2, 3], 0), None);
    assert_eq!(MerkleTree::from_rows(&[1, 2, 3], 2), None);
}

#[test]
fn single_leaf_is_its_own_root() {
    let l = leaves(1);
    let t = MerkleTree::from_leaves(l.clone()).unwrap();
    assert_eq!(t.root(), l[0]);
    let p = t.proof(0).unwrap();
    assert!(p.siblings.is_empty());
    assert!(p.verify(&t.root(), l[0], 0, 1));
    assert_eq!(t.proof(1), None);
}

#[test]
fn two_and_four_leaves() {
    let l = leaves(4);
    let t2 = MerkleTree::from_leaves(l[..2].to_vec()).unwrap();
    assert_eq!(t2.root(), node_hash(&l[0], &l[1]));
    let t4 = MerkleTree::from_leaves(l.clone()).unwrap();
    let root = node_hash(&node_hash(&l[0], &l[1]), &node_hash(&l[2], &l[3]));
    assert_eq!(t4.root(), root);
    assert_eq!(
        t4.proof(2).unwrap().siblings,
        vec![l[3], node_hash(&l[0], &l[1])]
    );
}

#[test]
fn odd_counts_promote_the_last_node() {
    let l = leaves(5);
    // 3 leaves: l2 is promoted.
    let t3 = MerkleTree::from_leaves(l[..3].to_vec()).unwrap();
    assert_eq!(t3.root(), node_hash(&node_hash(&l[0], &l[1]), &l[2]));
    assert_eq!(t3.proof(2).unwrap().siblings, vec![node_hash(&l[0], &l[1])]);
    // 5 leaves: l4 is promoted twice.
    let t5 = MerkleTree::from_leaves(l.clone()).unwrap();
    let left = node_hash(&node_hash(&l[0], &l[1]), &node_hash(&l[2], &l[3]));
    assert_eq!(t5.root(), node_hash(&left, &l[4]));
    assert_eq!(t5.proof(4).unwrap().siblings, vec![left]);
    assert!(t5.proof(4).unwrap().verify(&t5.root(), l[4], 4, 5));
    // 6 leaves: the pair (l4, l5) is promoted at level 1.
    let l6 = leaves(6);
    let t6 = MerkleTree::from_leaves(l6.clone()).unwrap();
    let left = node_hash(&node_hash(&l6[0], &l6[1]), &node_hash(&l6[2], &l6[3]));
    assert_eq!(t6.root(), node_hash(&left, &node_hash(&l6[4], &l6[5])));
}

#[test]
fn promotion_is_not_duplication() {
    let l = leaves(3);
    let mut dup = l.clone();
    dup.push(l[2]);
    let t3 = MerkleTree::from_leaves(l).unwrap();
    let t4 = MerkleTree::from_leaves(dup).unwrap();
    assert_ne!(t3.root(), t4.root());
}

#[test]
fn every_proof_verifies_and_tampering_fails() {
    for count in 1..=33 {
        let l = leaves(count);
        let t = MerkleTree::from_leaves(l.clone()).unwrap();
        let root = t.root();
        assert_eq!(t.leaf_count(), count);
        for (i, leaf) in l.iter().enumerate() {
            let p = t.proof(i).unwrap();
            assert!(p.verify(&root, *leaf, i, count), "count {count} leaf {i}");
            // Wrong leaf.
            assert!(!p.verify(&root, [0xaa; 32], i, count));
            // Out of range.
            assert!(!p.verify(&root, *leaf, count, count));
            // A wrong position (needs a sibling at the bottom level to be distinguishable).
            if count > 1 {
                let other = if i == 0 { 1 } else { i - 1 };
                assert!(
                    !p.verify(&root, *leaf, other, count),
                    "count {count} leaf {i}"
                );
            }
            // Every flipped sibling byte.
            for s in 0..p.siblings.len() {
                let mut bad = p.clone();
                bad.siblings[s][0] ^= 1;
                assert!(!bad.verify(&root, *leaf, i, count));
            }
            // Extra and missing siblings.
            let mut long = p.clone();
            long.siblings.push([0; 32]);
            assert!(!long.verify(&root, *leaf, i, count));
            if !p.siblings.is_empty() {
                let mut short = p.clone();
                short.siblings.pop();
                assert!(!short.verify(&root, *leaf, i, count));
            }
        }
        assert_eq!(t.proof(count), None);
    }
}

#[test]
fn from_rows_hashes_rows_with_their_index() {
    let m = [1, 2, 3, 4, 5, 6];
    let t = MerkleTree::from_rows(&m, 2).unwrap();
    let l = vec![
        leaf_hash(0, &[1, 2]),
        leaf_hash(1, &[3, 4]),
        leaf_hash(2, &[5, 6]),
    ];
    assert_eq!(t, MerkleTree::from_leaves(l).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_trees_prove_every_leaf(count in 1usize..300, pick in any::<prop::sample::Index>(), flip in any::<u8>()) {
        let l = leaves(count);
        let t = MerkleTree::from_leaves(l.clone()).unwrap();
        let i = pick.index(count);
        let p = t.proof(i).unwrap();
        prop_assert!(p.verify(&t.root(), l[i], i, count));
        // Depth is ⌈log2 count⌉ at most.
        prop_assert!(p.siblings.len() <= usize::BITS as usize - (count - 1).leading_zeros() as usize);
        let mut bad_leaf = l[i];
        bad_leaf[usize::from(flip) % 32] ^= 1 << (flip % 8);
        prop_assert!(!p.verify(&t.root(), bad_leaf, i, count));
    }
}
