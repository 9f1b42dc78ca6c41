//! `set_oracles`: the oracle-set rule (empty, or 2 ≤ k with n/2 < k ≤ n: no single key slashes).

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, MAX_ORACLES};
use lattice_sdk::compute;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn replaces_the_set_and_starts_a_generation() {
    let h = Harness::new().await;
    let c = h.compute_config().await;
    assert_eq!(
        (c.oracles.len(), c.threshold, c.oracle_generation),
        (3, 2, 1)
    );
    let keys: Vec<Pubkey> = (0..MAX_ORACLES).map(|_| Pubkey::new_unique()).collect();
    h.set_oracles(keys.clone(), 4).await.unwrap();
    let c = h.compute_config().await;
    assert_eq!((c.oracles, c.threshold, c.oracle_generation), (keys, 4, 2));
    h.set_oracles(vec![], 0).await.unwrap();
    assert!(h.compute_config().await.oracles.is_empty());
}

#[tokio::test]
async fn refuses_sets_a_single_key_or_a_minority_could_slash_with() {
    let h = Harness::new().await;
    let k: Vec<Pubkey> = (0..=MAX_ORACLES).map(|_| Pubkey::new_unique()).collect();
    let cases: Vec<(Vec<Pubkey>, u8)> = vec![
        (vec![], 1),
        (k[..1].to_vec(), 1),
        (k[..1].to_vec(), 0),
        (k[..2].to_vec(), 1),
        (k[..3].to_vec(), 1),
        (k[..4].to_vec(), 2),
        (k[..3].to_vec(), 4),
        (k.clone(), 5),
        (vec![k[0], k[0], k[1]], 2),
        (vec![k[0], Pubkey::default(), k[1]], 2),
    ];
    for (oracles, threshold) in cases {
        assert_compute_err(
            h.set_oracles(oracles.clone(), threshold).await,
            ComputeError::InvalidOracleSet,
        );
    }
    h.set_oracles(k[..2].to_vec(), 2).await.unwrap();
    h.set_oracles(k[..4].to_vec(), 3).await.unwrap();
}

#[tokio::test]
async fn refuses_anyone_but_the_authority() {
    let h = Harness::new().await;
    let stranger = Keypair::new();
    let ix = compute::set_oracles(&stranger.pubkey(), &h.keys, vec![], 0);
    assert_compute_err(
        h.send(&[ix], &[&stranger]).await,
        ComputeError::Unauthorized,
    );
}
