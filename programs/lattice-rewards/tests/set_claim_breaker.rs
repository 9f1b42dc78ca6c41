//! `set_claim_breaker`: the claim breaker's limits change (its running state is kept), validation
//! as in `initialize_rewards`, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::BreakerParams;
use lattice_rewards::{DeviceKind, RewardsError};
use lattice_sdk::rewards;
use solana_sdk::signature::{Keypair, Signer};

async fn set(h: &Harness, params: BreakerParams) -> Result<(), lattice_sdk::ChainError> {
    let ix = rewards::set_claim_breaker(&h.authority.pubkey(), &h.dao(), &h.sub_dao, params);
    h.send(&[ix], &[&h.authority]).await
}

#[tokio::test]
async fn a_tighter_breaker_counts_what_was_already_paid() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 800), (b.key, 800)]);
    h.finalize(GENESIS_HOUR, &r).await;
    h.claim_in(&a, &r).await.unwrap();
    let before = h.rewards_config().await.claim_breaker;
    assert_eq!(before.value, 800);

    let tight = BreakerParams {
        window_secs: 3_600,
        threshold: 1_000,
    };
    set(&h, tight).await.unwrap();
    let after = h.rewards_config().await.claim_breaker;
    assert_eq!(after.params, tight);
    assert_eq!((after.last_ts, after.value), (before.last_ts, before.value));
    // 800 already paid in the window: another 800 would pass 1,000.
    assert_rewards_err(h.claim_in(&b, &r).await, RewardsError::ClaimBreakerTripped);

    // Loosened again, the same claim goes through; only this configuration changed.
    set(&h, wide_breaker()).await.unwrap();
    h.claim_in(&b, &r).await.unwrap();
    assert_eq!(h.paid(&b).await, 800);
}

#[tokio::test]
async fn changes_only_this_sub_daos_breaker() {
    let h = Harness::new().await;
    h.approve(&h.compute).await.unwrap();
    h.init_rewards(&h.compute, h.args(DeviceKind::GpuNode, 2))
        .await
        .unwrap();
    let tight = BreakerParams {
        window_secs: 60,
        threshold: 1,
    };
    set(&h, tight).await.unwrap();
    assert_eq!(h.rewards_config().await.claim_breaker.params, tight);
    let other: lattice_rewards::RewardsConfig =
        h.fetch(&rewards::rewards_config(&h.compute)).await.unwrap();
    assert_eq!(other.claim_breaker.params, wide_breaker());
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::new().await;
    let intruder = Keypair::new();
    let tight = BreakerParams {
        window_secs: 60,
        threshold: 1,
    };
    let ix = rewards::set_claim_breaker(&intruder.pubkey(), &h.dao(), &h.sub_dao, tight);
    assert_rewards_err(
        h.send(&[ix], &[&intruder]).await,
        RewardsError::Unauthorized,
    );
    let mut ix = rewards::set_claim_breaker(&h.authority.pubkey(), &h.dao(), &h.sub_dao, tight);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    assert_eq!(
        h.rewards_config().await.claim_breaker.params,
        wide_breaker()
    );
}

#[tokio::test]
async fn follows_the_dao_authority_handoff() {
    let h = Harness::new().await;
    let next = Keypair::new();
    let ix = lattice_sdk::ix::set_dao_authority(&h.authority.pubkey(), &h.dao(), &next.pubkey());
    h.send(&[ix], &[&h.authority]).await.unwrap();
    let tight = BreakerParams {
        window_secs: 60,
        threshold: 1,
    };
    assert_rewards_err(set(&h, tight).await, RewardsError::Unauthorized);
    let ix = rewards::set_claim_breaker(&next.pubkey(), &h.dao(), &h.sub_dao, tight);
    h.send(&[ix], &[&next]).await.unwrap();
    assert_eq!(h.rewards_config().await.claim_breaker.params, tight);
}

#[tokio::test]
async fn refuses_what_initialize_rewards_refuses_and_other_daos() {
    let h = Harness::new().await;
    for params in [
        BreakerParams {
            window_secs: 0,
            threshold: 1_000,
        },
        BreakerParams {
            window_secs: 3_600,
            threshold: 0,
        },
    ] {
        assert_rewards_err(set(&h, params).await, RewardsError::InvalidBreaker);
    }
    // The configuration under a DAO account that is not its DAO (a sub-DAO account).
    let mut ix = rewards::set_claim_breaker(
        &h.authority.pubkey(),
        &h.dao(),
        &h.sub_dao,
        BreakerParams {
            window_secs: 60,
            threshold: 1,
        },
    );
    ix.accounts[1].pubkey = h.compute;
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch,
    );
    // Another DAO's authority, naming its own DAO with this configuration.
    let intruder = Keypair::new();
    let other_mint = Keypair::new();
    let init = lattice_sdk::ix::initialize_dao(
        &h.payer.pubkey(),
        &intruder.pubkey(),
        &other_mint.pubkey(),
        &intruder.pubkey(),
        main_args(),
    );
    h.send(&[init], &[&intruder, &other_mint]).await.unwrap();
    let other_dao = lattice_sdk::pda::dao(&other_mint.pubkey());
    let ix = rewards::set_claim_breaker(
        &intruder.pubkey(),
        &other_dao,
        &h.sub_dao,
        BreakerParams {
            window_secs: 60,
            threshold: 1,
        },
    );
    assert_anchor_err(
        h.send(&[ix], &[&intruder]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    assert_eq!(
        h.rewards_config().await.claim_breaker.params,
        wide_breaker()
    );
}
