//! `set_oracles`: happy path, pending posts discarded, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_rewards::{EpochRoot, RewardsError};
use lattice_sdk::rewards;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn replaces_the_set_and_starts_a_generation() {
    let h = Harness::new().await;
    let new_oracle = Keypair::new();
    let set = vec![h.oracles[0].pubkey(), new_oracle.pubkey()];
    let ix = rewards::set_oracles(&h.authority.pubkey(), &h.dao(), &h.sub_dao, set.clone(), 2);
    h.send(&[ix], &[&h.authority]).await.unwrap();
    let c = h.rewards_config().await;
    assert_eq!(c.oracles, set);
    assert_eq!(c.threshold, 2);
    assert_eq!(c.oracle_set_generation, 1);
    // A removed oracle can no longer post.
    assert_rewards_err(
        h.post(2, GENESIS_HOUR, [1; 32], 1).await,
        RewardsError::NotAnOracle,
    );
}

#[tokio::test]
async fn pending_posts_of_the_old_set_do_not_count() {
    let h = Harness::new().await;
    let r = Rewards::new(&[(Pubkey::new_unique(), 10)]);
    h.post(0, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    // Same keys, new generation: oracle 0's post is void.
    let ix = rewards::set_oracles(
        &h.authority.pubkey(),
        &h.dao(),
        &h.sub_dao,
        h.oracle_keys(),
        2,
    );
    h.send(&[ix], &[&h.authority]).await.unwrap();
    h.post(1, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    assert_eq!(
        h.rewards_config().await.final_epoch,
        0,
        "one vote of this generation"
    );
    let record: EpochRoot = h
        .fetch(&rewards::epoch_root(&h.config(), GENESIS_HOUR))
        .await
        .unwrap();
    assert_eq!(record.posts.len(), 1);
    assert_eq!(record.oracle_set_generation, 1);
    // Oracle 0 may post again under the new set, and that finalizes.
    h.post(0, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    assert_eq!(h.rewards_config().await.final_epoch, GENESIS_HOUR);
}

#[tokio::test]
async fn keeps_the_final_root() {
    let h = Harness::new().await;
    let r = Rewards::new(&[(Pubkey::new_unique(), 10)]);
    h.finalize(GENESIS_HOUR, &r).await;
    let ix = rewards::set_oracles(
        &h.authority.pubkey(),
        &h.dao(),
        &h.sub_dao,
        h.oracle_keys(),
        3,
    );
    h.send(&[ix], &[&h.authority]).await.unwrap();
    let c = h.rewards_config().await;
    assert_eq!(
        (c.final_epoch, c.final_root, c.threshold),
        (GENESIS_HOUR, r.root(), 3)
    );
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::new().await;
    let intruder = Keypair::new();
    let ix = rewards::set_oracles(
        &intruder.pubkey(),
        &h.dao(),
        &h.sub_dao,
        vec![intruder.pubkey()],
        1,
    );
    assert_rewards_err(
        h.send(&[ix], &[&intruder]).await,
        RewardsError::Unauthorized,
    );
    let mut ix = rewards::set_oracles(
        &h.authority.pubkey(),
        &h.dao(),
        &h.sub_dao,
        h.oracle_keys(),
        2,
    );
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    assert_eq!(h.rewards_config().await.oracles, h.oracle_keys());
}

#[tokio::test]
async fn refuses_unsafe_sets() {
    let h = Harness::new().await;
    for (oracles, k) in [
        (vec![], 0u8),
        (h.oracle_keys(), 1),
        (h.oracle_keys(), 4),
        (vec![h.oracles[0].pubkey(), h.oracles[0].pubkey()], 2),
    ] {
        let ix = rewards::set_oracles(&h.authority.pubkey(), &h.dao(), &h.sub_dao, oracles, k);
        assert_rewards_err(
            h.send(&[ix], &[&h.authority]).await,
            RewardsError::InvalidOracleSet,
        );
    }
    assert_eq!(h.rewards_config().await.oracle_set_generation, 0);
}
