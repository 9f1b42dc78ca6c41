//! `post_root`: finalization by identical posts, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_rewards::{EpochRoot, RewardsError};
use lattice_sdk::rewards;
use solana_sdk::{pubkey::Pubkey, signature::Keypair, signature::Signer};

fn sample() -> Rewards {
    Rewards::new(&[(Pubkey::new_unique(), 700), (Pubkey::new_unique(), 300)])
}

#[tokio::test]
async fn threshold_identical_posts_finalize() {
    let h = Harness::new().await;
    let r = sample();
    let epoch = GENESIS_HOUR + 5;
    h.post(0, epoch, r.root(), r.total()).await.unwrap();
    let c = h.rewards_config().await;
    assert_eq!(c.final_epoch, 0, "one post of two is not final");
    let record: EpochRoot = h
        .fetch(&rewards::epoch_root(&h.config(), epoch))
        .await
        .unwrap();
    assert_eq!(record.epoch, epoch);
    assert_eq!(record.config, h.config());
    assert_eq!(record.rent_payer, h.oracles[0].pubkey());
    assert_eq!(record.posts.len(), 1);
    assert!(!record.finalized);

    h.post(1, epoch, r.root(), r.total()).await.unwrap();
    let c = h.rewards_config().await;
    assert_eq!(
        (c.final_epoch, c.final_root, c.final_total),
        (epoch, r.root(), 1_000)
    );
    let record: EpochRoot = h
        .fetch(&rewards::epoch_root(&h.config(), epoch))
        .await
        .unwrap();
    assert!(record.finalized);
    assert_eq!(record.posts.len(), 2);

    // The third oracle is too late for this epoch: it is final.
    assert_rewards_err(
        h.post(2, epoch, r.root(), r.total()).await,
        RewardsError::StaleEpoch,
    );
}

#[tokio::test]
async fn same_root_with_a_different_total_is_a_different_post() {
    let h = Harness::new().await;
    let r = sample();
    h.post(0, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    h.post(1, GENESIS_HOUR, r.root(), r.total() + 1)
        .await
        .unwrap();
    assert_eq!(h.rewards_config().await.final_epoch, 0);
    h.post(2, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    assert_eq!(h.rewards_config().await.final_total, r.total());
}

#[tokio::test]
async fn refuses_a_non_oracle() {
    let h = Harness::new().await;
    let outsider = Keypair::new();
    h.chain
        .airdrop(&outsider.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let r = sample();
    assert_rewards_err(
        h.post_to(&h.sub_dao, &outsider, GENESIS_HOUR, r.root(), r.total())
            .await,
        RewardsError::NotAnOracle,
    );
    // An oracle's key without its signature.
    let mut ix = rewards::post_root(
        &h.oracles[0].pubkey(),
        &h.sub_dao,
        GENESIS_HOUR,
        r.root(),
        r.total(),
    );
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}

#[tokio::test]
async fn each_oracle_posts_once_per_epoch() {
    let h = Harness::new().await;
    let r = sample();
    h.post(0, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    // Neither the same root again (which would count twice) nor a changed one.
    assert_rewards_err(
        h.post(0, GENESIS_HOUR, r.root(), r.total()).await,
        RewardsError::AlreadyPosted,
    );
    assert_rewards_err(
        h.post(0, GENESIS_HOUR, [9; 32], r.total()).await,
        RewardsError::AlreadyPosted,
    );
    assert_eq!(h.rewards_config().await.final_epoch, 0);
}

#[tokio::test]
async fn refuses_stale_and_future_epochs() {
    let h = Harness::new().await;
    let r = sample();
    // Hour 0 can never be posted: it marks "no final root".
    assert_rewards_err(
        h.post(0, 0, r.root(), r.total()).await,
        RewardsError::StaleEpoch,
    );
    // The current hour is not over; later hours neither.
    assert_rewards_err(
        h.post(0, NOW_HOUR, r.root(), r.total()).await,
        RewardsError::FutureEpoch,
    );
    assert_rewards_err(
        h.post(0, NOW_HOUR + 10, r.root(), r.total()).await,
        RewardsError::FutureEpoch,
    );
    h.post(0, NOW_HOUR - 1, r.root(), r.total()).await.unwrap();

    let epoch = GENESIS_HOUR + 10;
    h.finalize(epoch, &r).await;
    for stale in [epoch, epoch - 1, GENESIS_HOUR] {
        assert_rewards_err(
            h.post(2, stale, r.root(), r.total()).await,
            RewardsError::StaleEpoch,
        );
    }
    h.post(2, epoch + 1, r.root(), r.total()).await.unwrap();
}

#[tokio::test]
async fn refuses_a_total_above_the_escrowed_emissions() {
    let h = Harness::new().await;
    let emitted = h.sub().await.tokens_emitted;
    assert!(emitted > 0);
    assert_rewards_err(
        h.post(0, GENESIS_HOUR, [1; 32], emitted + 1).await,
        RewardsError::RootExceedsEscrow,
    );
    // Exactly what was emitted is fine.
    h.post(0, GENESIS_HOUR, [1; 32], emitted).await.unwrap();
    // The bound follows emissions: after another issued hour, more can be posted.
    h.issue(GENESIS_HOUR + ISSUED_HOURS).await.unwrap();
    let more = h.sub().await.tokens_emitted;
    assert!(more > emitted);
    h.post(1, GENESIS_HOUR + 1, [2; 32], more).await.unwrap();
    assert_rewards_err(
        h.post(2, GENESIS_HOUR + 1, [2; 32], more + 1).await,
        RewardsError::RootExceedsEscrow,
    );
}

#[tokio::test]
async fn refuses_a_total_below_the_final_total() {
    let h = Harness::new().await;
    let r = sample();
    h.finalize(GENESIS_HOUR, &r).await;
    assert_rewards_err(
        h.post(0, GENESIS_HOUR + 1, [3; 32], r.total() - 1).await,
        RewardsError::TotalNotMonotone,
    );
    // An unchanged total (nothing earned in the hour) is fine.
    h.post(0, GENESIS_HOUR + 1, [3; 32], r.total())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_later_epoch_supersedes_pending_earlier_ones() {
    let h = Harness::new().await;
    let (a, b) = (sample(), sample());
    h.post(0, GENESIS_HOUR, a.root(), a.total()).await.unwrap();
    h.finalize(GENESIS_HOUR + 1, &b).await;
    // The earlier epoch's pending post can never complete.
    assert_rewards_err(
        h.post(1, GENESIS_HOUR, a.root(), a.total()).await,
        RewardsError::StaleEpoch,
    );
    assert_eq!(h.rewards_config().await.final_root, b.root());
}

#[tokio::test]
async fn a_pre_funded_epoch_record_does_not_block_the_epoch() {
    let h = Harness::new().await;
    let r = sample();
    h.chain
        .airdrop(&rewards::epoch_root(&h.config(), GENESIS_HOUR), 1_000_000)
        .await
        .unwrap();
    h.finalize(GENESIS_HOUR, &r).await;
}

#[tokio::test]
async fn refuses_wrong_accounts() {
    let h = Harness::new().await;
    let r = sample();
    // The record of another epoch.
    let mut ix = rewards::post_root(
        &h.oracles[0].pubkey(),
        &h.sub_dao,
        GENESIS_HOUR,
        r.root(),
        r.total(),
    );
    ix.accounts[3].pubkey = rewards::epoch_root(&h.config(), GENESIS_HOUR + 1);
    assert_anchor_err(
        lattice_sdk::send::send(&h.chain, &Default::default(), &[ix], &h.oracles[0], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // Another sub-DAO (whose emissions would bound the total).
    let mut ix = rewards::post_root(
        &h.oracles[0].pubkey(),
        &h.sub_dao,
        GENESIS_HOUR,
        r.root(),
        r.total(),
    );
    ix.accounts[2].pubkey = h.compute;
    assert_anchor_err(
        lattice_sdk::send::send(&h.chain, &Default::default(), &[ix], &h.oracles[0], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
}
