//! `close_epoch_root`: rent back to the record's creator once the epoch is settled.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_rewards::RewardsError;
use lattice_sdk::{rewards, Chain};
use solana_sdk::{pubkey::Pubkey, signature::Signer};

#[tokio::test]
async fn returns_the_rent_once_settled() {
    let h = Harness::new().await;
    let r = Rewards::new(&[(Pubkey::new_unique(), 10)]);
    let creator = h.oracles[0].pubkey();
    h.post(0, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    let record = rewards::epoch_root(&h.config(), GENESIS_HOUR);
    let close = rewards::close_epoch_root(&h.sub_dao, GENESIS_HOUR, &creator);
    assert_rewards_err(
        h.send(std::slice::from_ref(&close), &[]).await,
        RewardsError::EpochNotSettled,
    );

    // A pending, never-finalized epoch is settled once a later one is final.
    h.finalize(GENESIS_HOUR + 1, &r).await;
    let rent = h
        .chain
        .get_account(&record)
        .await
        .unwrap()
        .unwrap()
        .lamports;
    let before = h
        .chain
        .get_account(&creator)
        .await
        .unwrap()
        .unwrap()
        .lamports;
    h.send(&[close], &[]).await.unwrap();
    assert!(!h.exists(&record).await);
    let after = h
        .chain
        .get_account(&creator)
        .await
        .unwrap()
        .unwrap()
        .lamports;
    assert_eq!(after, before + rent);
    // The epoch stays closed to posts.
    assert_rewards_err(
        h.post(1, GENESIS_HOUR, r.root(), r.total()).await,
        RewardsError::StaleEpoch,
    );
    // The final epoch's own record can be closed too; the final root stays.
    let close = rewards::close_epoch_root(&h.sub_dao, GENESIS_HOUR + 1, &creator);
    h.send(&[close], &[]).await.unwrap();
    assert_eq!(h.rewards_config().await.final_root, r.root());
}

#[tokio::test]
async fn pays_only_the_creator() {
    let h = Harness::new().await;
    let r = Rewards::new(&[(Pubkey::new_unique(), 10)]);
    h.finalize(GENESIS_HOUR, &r).await;
    let thief = Pubkey::new_unique();
    let ix = rewards::close_epoch_root(&h.sub_dao, GENESIS_HOUR, &thief);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    assert!(
        h.exists(&rewards::epoch_root(&h.config(), GENESIS_HOUR))
            .await
    );
}
