//! `initialize_rewards`: happy path and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::BreakerParams;
use lattice_rewards::{DeviceKind, RewardsConfig, RewardsError};
use lattice_sdk::rewards;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn creates_the_configuration_from_the_sub_dao() {
    let h = Harness::bare().await;
    h.init_rewards(&h.sub_dao, h.args(DeviceKind::Hotspot, 2))
        .await
        .unwrap();
    let c: RewardsConfig = h.fetch(&h.config()).await.unwrap();
    assert_eq!(c.version, 1);
    assert_eq!(c.dao, h.dao());
    assert_eq!(c.sub_dao, h.sub_dao);
    assert_eq!(c.rewards_mint, h.sub_mint);
    assert_eq!(
        c.rewards_escrow,
        lattice_sdk::pda::rewards_escrow(&h.sub_dao)
    );
    assert_eq!(c.device_kind, DeviceKind::Hotspot);
    assert_eq!(c.oracles, h.oracle_keys());
    assert_eq!(c.threshold, 2);
    assert_eq!((c.final_epoch, c.final_total, c.total_claimed), (0, 0, 0));
    assert_eq!(c.final_root, [0; 32]);
    assert_eq!(c.claim_breaker.params, wide_breaker());

    // The compute sub-DAO pays GPU nodes with its own token.
    h.init_rewards(&h.compute, h.args(DeviceKind::GpuNode, 3))
        .await
        .unwrap();
    let c: RewardsConfig = h.fetch(&rewards::rewards_config(&h.compute)).await.unwrap();
    assert_eq!(c.device_kind, DeviceKind::GpuNode);
    assert_eq!(c.rewards_mint, h.compute_mint);
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::bare().await;
    let intruder = Keypair::new();
    let ix = rewards::initialize_rewards(
        &h.payer.pubkey(),
        &intruder.pubkey(),
        &h.dao(),
        &h.sub_dao,
        h.args(DeviceKind::Hotspot, 2),
    );
    assert_rewards_err(
        h.send(&[ix], &[&intruder]).await,
        RewardsError::Unauthorized,
    );

    let mut ix = rewards::initialize_rewards(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.dao(),
        &h.sub_dao,
        h.args(DeviceKind::Hotspot, 2),
    );
    ix.accounts[1].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}

#[tokio::test]
async fn refuses_a_sub_dao_of_another_dao() {
    let h = Harness::bare().await;
    // A second DAO under the same authority, with its own "coverage".
    let other_mint = Keypair::new();
    let init = lattice_sdk::ix::initialize_dao(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &other_mint.pubkey(),
        &h.authority.pubkey(),
        main_args(),
    );
    h.send(&[init], &[&h.authority, &other_mint]).await.unwrap();
    let sub_mint = Keypair::new();
    let add = lattice_sdk::ix::add_sub_dao(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &other_mint.pubkey(),
        &sub_mint.pubkey(),
        sub_args("coverage"),
    );
    h.send(&[add], &[&h.authority, &sub_mint]).await.unwrap();
    let foreign =
        lattice_sdk::pda::sub_dao(&lattice_sdk::pda::dao(&other_mint.pubkey()), "coverage");
    let ix = rewards::initialize_rewards(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.dao(),
        &foreign,
        h.args(DeviceKind::Hotspot, 2),
    );
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
}

#[tokio::test]
async fn refuses_unsafe_oracle_sets() {
    let h = Harness::bare().await;
    let keys = |n: usize| (0..n).map(|_| Pubkey::new_unique()).collect::<Vec<_>>();
    let a = Pubkey::new_unique();
    let cases: Vec<(Vec<Pubkey>, u8)> = vec![
        (vec![], 0),                           // no oracle
        (keys(8), 5),                          // more than 7
        (keys(3), 0),                          // k = 0
        (keys(3), 4),                          // k > n
        (keys(2), 1),                          // k = n/2: two disjoint quorums
        (keys(4), 2),                          // k = n/2
        (keys(7), 3),                          // k < n/2
        (vec![a, a, Pubkey::new_unique()], 2), // duplicate key
        (vec![Pubkey::default()], 1),          // default key
    ];
    for (oracles, threshold) in cases {
        let args = lattice_rewards::InitializeRewardsArgs {
            device_kind: DeviceKind::Hotspot,
            oracles: oracles.clone(),
            threshold,
            claim_breaker: wide_breaker(),
        };
        assert_rewards_err(
            h.init_rewards(&h.sub_dao, args).await,
            RewardsError::InvalidOracleSet,
        );
    }
    // The boundary cases that are safe: 1 of 1, 2 of 3, 4 of 7.
    assert!(lattice_rewards::oracle_set_is_valid(&keys(1), 1));
    assert!(lattice_rewards::oracle_set_is_valid(&keys(3), 2));
    assert!(lattice_rewards::oracle_set_is_valid(&keys(7), 4));
    assert!(lattice_rewards::oracle_set_is_valid(&keys(7), 7));
}

#[tokio::test]
async fn refuses_a_breaker_that_cannot_pay() {
    let h = Harness::bare().await;
    for claim_breaker in [
        BreakerParams {
            window_secs: 0,
            threshold: 1,
        },
        BreakerParams {
            window_secs: 1,
            threshold: 0,
        },
    ] {
        let mut args = h.args(DeviceKind::Hotspot, 2);
        args.claim_breaker = claim_breaker;
        assert_rewards_err(
            h.init_rewards(&h.sub_dao, args).await,
            RewardsError::InvalidBreaker,
        );
    }
}

#[tokio::test]
async fn initializes_once_even_if_the_address_was_pre_funded() {
    let h = Harness::bare().await;
    h.chain.airdrop(&h.config(), 5_000_000).await.unwrap();
    h.init_rewards(&h.sub_dao, h.args(DeviceKind::Hotspot, 2))
        .await
        .unwrap();
    assert_eq!(h.rewards_config().await.threshold, 2);
    assert_rewards_err(
        h.init_rewards(&h.sub_dao, h.args(DeviceKind::Hotspot, 3))
            .await,
        RewardsError::AlreadyInitialized,
    );
    assert_eq!(h.rewards_config().await.threshold, 2);
}

#[tokio::test]
async fn refuses_a_config_address_of_another_sub_dao() {
    let h = Harness::bare().await;
    let mut ix = rewards::initialize_rewards(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.dao(),
        &h.sub_dao,
        h.args(DeviceKind::Hotspot, 2),
    );
    ix.accounts[4].pubkey = rewards::rewards_config(&h.compute);
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
}
