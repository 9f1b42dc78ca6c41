//! Settling one hour of rewards for N devices: apply the hour's shares to the cumulative index,
//! sort, hash every leaf and build the Merkle tree (what each oracle does before posting its
//! root), then one proof. Prints the figures for 1k, 100k and 1M devices (or `LATTICE_BENCH_N`).
//!
//! `cargo bench -p lattice-workers --bench rewards`

use lattice_workers::rewards::{RewardIndex, RewardTree, SHARE_SCALE};
use std::time::Instant;

fn key(i: u64) -> [u8; 32] {
    // Spread keys like real ed25519 keys (no shared prefixes).
    let mut k = [0u8; 32];
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    for chunk in k.chunks_mut(8) {
        x ^= x >> 33;
        x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        chunk.copy_from_slice(&x.to_le_bytes());
    }
    k
}

fn main() {
    let sizes: Vec<u64> = match std::env::var("LATTICE_BENCH_N") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![1_000, 100_000, 1_000_000],
    };
    for n in sizes {
        // A history of 24 settled hours already in the index, then the timed hour.
        let share = u64::try_from(SHARE_SCALE / u128::from(n)).unwrap_or(0);
        let shares: Vec<([u8; 32], u64)> = (0..n).map(|i| (key(i), share)).collect();
        let mut index = RewardIndex::default();
        for h in 0..24 {
            index.apply_hour(h, &shares, 4_566_210_045).unwrap();
        }
        let started = Instant::now();
        let paid = index.apply_hour(24, &shares, 4_566_210_045).unwrap();
        let applied = started.elapsed();
        let tree = RewardTree::build(&index);
        let total = started.elapsed();
        let t = Instant::now();
        let (amount, proof) = tree.proof(&key(n / 2)).unwrap();
        let proof_time = t.elapsed();
        assert!(lattice_math::merkle::verify(
            &tree.root(),
            &lattice_math::merkle::leaf(&key(n / 2), amount),
            &proof
        ));
        println!(
            "{n:>9} devices: index update {applied:.2?}, index + sorted leaves + Merkle root {total:.2?} \
             (paid {paid} this hour, root {}…, proof depth {}, {proof_time:.1?} per proof, archive {} bytes)",
            hex::encode(&tree.root()[..6]),
            proof.len(),
            tree.encode().len()
        );
    }
}
