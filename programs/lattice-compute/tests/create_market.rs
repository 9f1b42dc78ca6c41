//! `create_market` and `set_market_params`: every parameter validated.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, MarketParams, QUEUE_CAPACITY};
use lattice_sdk::compute;
use solana_sdk::signature::{Keypair, Signer};

fn params() -> MarketParams {
    MarketParams {
        name: compute::market_name("inference"),
        min_vram_gb: 16,
        min_stake: 2_000_000_000,
        price_floor_dc_per_sec: 2,
        max_duration_secs: 7_200,
        max_jobs_per_node: 3,
        verification_window_secs: 120,
        timeout_slash_bps: 250,
        capacity_weight_bps: 5_000,
    }
}

/// Every way to break one parameter.
fn invalid() -> Vec<MarketParams> {
    let p = params();
    vec![
        MarketParams { name: [0; 16], ..p },
        MarketParams {
            price_floor_dc_per_sec: 0,
            ..p
        },
        MarketParams {
            max_duration_secs: 0,
            ..p
        },
        MarketParams {
            max_duration_secs: 30 * 86_400 + 1,
            ..p
        },
        MarketParams {
            verification_window_secs: 0,
            ..p
        },
        MarketParams {
            verification_window_secs: 30 * 86_400 + 1,
            ..p
        },
        MarketParams {
            max_jobs_per_node: 0,
            ..p
        },
        MarketParams {
            timeout_slash_bps: 10_001,
            ..p
        },
        MarketParams {
            capacity_weight_bps: 10_001,
            ..p
        },
    ]
}

#[tokio::test]
async fn bootstrap_created_the_configured_markets() {
    let h = Harness::new().await;
    for (class_id, expected) in h.cfg.compute_markets().unwrap() {
        let m = h.market_account(class_id).await;
        assert_eq!(
            (m.class_id, m.params, m.config),
            (class_id, expected, h.config())
        );
        assert_eq!(
            (m.next_job_id, m.queue_len, m.queue),
            (0, 0, [0; QUEUE_CAPACITY])
        );
    }
    let consumer = h.market_account(CONSUMER).await.params;
    assert_eq!(compute::market_name_str(&consumer.name), "consumer");
}

#[tokio::test]
async fn creates_a_market() {
    let h = Harness::new().await;
    let ix = compute::create_market(&h.payer.pubkey(), &h.payer.pubkey(), &h.keys, 7, params());
    h.send(std::slice::from_ref(&ix), &[]).await.unwrap();
    let m = h.market_account(7).await;
    assert_eq!((m.class_id, m.params), (7, params()));
    assert_compute_err(h.send(&[ix], &[]).await, ComputeError::MarketExists);
}

#[tokio::test]
async fn refuses_invalid_parameters_at_creation() {
    let h = Harness::new().await;
    for p in invalid() {
        let ix = compute::create_market(&h.payer.pubkey(), &h.payer.pubkey(), &h.keys, 7, p);
        assert_compute_err(h.send(&[ix], &[]).await, ComputeError::InvalidMarketParams);
    }
    // The bounds themselves are valid.
    let edge = MarketParams {
        max_duration_secs: 30 * 86_400,
        verification_window_secs: 30 * 86_400,
        timeout_slash_bps: 10_000,
        capacity_weight_bps: 10_000,
        ..params()
    };
    let ix = compute::create_market(&h.payer.pubkey(), &h.payer.pubkey(), &h.keys, 7, edge);
    h.send(&[ix], &[]).await.unwrap();
}

#[tokio::test]
async fn changes_parameters_and_refuses_invalid_ones() {
    let h = Harness::new().await;
    let ix = compute::set_market_params(&h.payer.pubkey(), &h.keys, CONSUMER, params());
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.market_account(CONSUMER).await.params, params());
    for p in invalid() {
        let ix = compute::set_market_params(&h.payer.pubkey(), &h.keys, CONSUMER, p);
        assert_compute_err(h.send(&[ix], &[]).await, ComputeError::InvalidMarketParams);
    }
    // The class id argument must be the market's.
    let mut ix = compute::set_market_params(&h.payer.pubkey(), &h.keys, CONSUMER, params());
    ix.accounts[2].pubkey = h.market(DATACENTER);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // A market that does not exist.
    let ix = compute::set_market_params(&h.payer.pubkey(), &h.keys, 9, params());
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotInitialized,
    );
}

#[tokio::test]
async fn refuses_anyone_but_the_authority() {
    let h = Harness::new().await;
    let stranger = Keypair::new();
    let ix = compute::create_market(&h.payer.pubkey(), &stranger.pubkey(), &h.keys, 7, params());
    assert_compute_err(
        h.send(&[ix], &[&stranger]).await,
        ComputeError::Unauthorized,
    );
    let ix = compute::set_market_params(&stranger.pubkey(), &h.keys, CONSUMER, params());
    assert_compute_err(
        h.send(&[ix], &[&stranger]).await,
        ComputeError::Unauthorized,
    );
}

#[tokio::test]
async fn new_parameters_apply_to_new_jobs_and_settlement() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    // A longer window delays settlement of the submitted job; a higher floor refuses new posts.
    let p = MarketParams {
        verification_window_secs: 900,
        price_floor_dc_per_sec: 3,
        ..h.market_account(CONSUMER).await.params
    };
    let ix = compute::set_market_params(&h.payer.pubkey(), &h.keys, CONSUMER, p);
    h.send(&[ix], &[]).await.unwrap();
    h.warp(300).await;
    assert_compute_err(
        h.finalize(CONSUMER, id).await,
        ComputeError::VerificationWindowOpen,
    );
    h.warp(600).await;
    h.finalize(CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.post(CONSUMER, h.job_args(2, 60)).await,
        ComputeError::PriceBelowFloor,
    );
}
