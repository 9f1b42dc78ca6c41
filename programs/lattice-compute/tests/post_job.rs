//! `post_job`: escrow through `delegate_dc`, the on-chain queue, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, JobKind, JobState, QUEUE_CAPACITY};
use lattice_sdk::compute;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn escrows_price_times_duration_and_queues_the_job() {
    let h = Harness::new().await;
    let me = h.payer.pubkey();
    let (dc_before, supply_before) = (h.dc_of(&me).await, h.dc_supply().await);
    let id = h.post(CONSUMER, h.matmul_args(10, 600)).await.unwrap();
    assert_eq!(id, 0);
    assert_eq!(h.dc_of(&me).await, dc_before - 6_000);
    assert_eq!(h.escrow().await, 6_000);
    assert_eq!(
        h.dc_supply().await,
        supply_before,
        "delegation is supply-neutral"
    );

    let job = h.job(CONSUMER, id).await;
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.kind, JobKind::Matmul);
    assert_eq!(
        (job.price_dc_per_sec, job.max_duration_secs, job.escrow_dc),
        (10, 600, 6_000)
    );
    assert_eq!(job.poster, me);
    assert_eq!(job.poster_dc, h.keys.dc_account(&me));
    assert_eq!(job.spec_uri, "s3://specs/job.json");
    assert_eq!(job.posted_at, h.now());
    assert_eq!(job.market, h.market(CONSUMER));

    let second = h.post(CONSUMER, h.job_args(1, 1)).await.unwrap();
    let market = h.market_account(CONSUMER).await;
    assert_eq!(market.pending(), &[0, 1]);
    assert_eq!(market.next_job_id, 2);
    assert_eq!(market.stats.posted, 2);
    assert_eq!(second, 1);
    let totals = h.compute_config().await.totals;
    assert_eq!((totals.jobs_posted, totals.dc_escrowed), (2, 6_001));
    // The worker's read: queued jobs in order, without getProgramAccounts.
    let queued = compute::fetch_queued_jobs(&h.chain, &h.market(CONSUMER))
        .await
        .unwrap();
    assert_eq!(queued.iter().map(|j| j.id).collect::<Vec<_>>(), vec![0, 1]);
}

#[tokio::test]
async fn another_poster_pays_from_its_own_dc() {
    let h = Harness::new().await;
    let alice = h.poster(100_000).await;
    let before = h.dc_of(&alice.pubkey()).await;
    let id = h
        .post_as(&alice, DATACENTER, h.job_args(5, 100))
        .await
        .unwrap();
    assert_eq!(h.dc_of(&alice.pubkey()).await, before - 500);
    assert_eq!(h.job(DATACENTER, id).await.poster, alice.pubkey());
}

#[tokio::test]
async fn refuses_a_price_below_the_floor() {
    let h = Harness::new().await;
    // The datacenter floor is 5 DC/s.
    assert_compute_err(
        h.post(DATACENTER, h.job_args(4, 60)).await,
        ComputeError::PriceBelowFloor,
    );
    h.post(DATACENTER, h.job_args(5, 60)).await.unwrap();
}

#[tokio::test]
async fn refuses_a_duration_of_zero_or_above_the_maximum() {
    let h = Harness::new().await;
    assert_compute_err(
        h.post(CONSUMER, h.job_args(1, 0)).await,
        ComputeError::DurationOutOfRange,
    );
    assert_compute_err(
        h.post(CONSUMER, h.job_args(1, 3_601)).await,
        ComputeError::DurationOutOfRange,
    );
    h.post(CONSUMER, h.job_args(1, 3_600)).await.unwrap();
}

#[tokio::test]
async fn refuses_a_long_spec_uri() {
    let h = Harness::new().await;
    let mut args = h.job_args(1, 60);
    args.spec_uri = "x".repeat(129);
    assert_compute_err(
        h.post(CONSUMER, args.clone()).await,
        ComputeError::UriTooLong,
    );
    args.spec_uri = "x".repeat(128);
    h.post(CONSUMER, args).await.unwrap();
}

#[tokio::test]
async fn refuses_a_full_queue() {
    let h = Harness::new().await;
    for _ in 0..QUEUE_CAPACITY {
        h.post(CONSUMER, h.job_args(1, 1)).await.unwrap();
    }
    assert_compute_err(
        h.post(CONSUMER, h.job_args(1, 1)).await,
        ComputeError::QueueFull,
    );
    // Another market has its own queue; a cancellation frees a slot.
    h.post(DATACENTER, h.job_args(5, 1)).await.unwrap();
    h.cancel_as(&h.payer, CONSUMER, 3).await.unwrap();
    h.post(CONSUMER, h.job_args(1, 1)).await.unwrap();
}

#[tokio::test]
async fn refuses_an_escrow_that_overflows_or_exceeds_the_posters_dc() {
    let h = Harness::new().await;
    assert_compute_err(
        h.post(CONSUMER, h.job_args(u64::MAX, 2)).await,
        ComputeError::MathOverflow,
    );
    let poor = h.poster(1_000).await;
    let held = h.dc_of(&poor.pubkey()).await;
    let res = h.post_as(&poor, CONSUMER, h.job_args(held, 2)).await;
    assert_code(
        res,
        u32::from(lattice_data_credits::DcError::InsufficientDc),
    );
    assert_eq!(h.next_job_id(CONSUMER).await, 0, "nothing was posted");
}

#[tokio::test]
async fn takes_only_the_posters_associated_dc_account() {
    let h = Harness::new().await;
    let alice = h.poster(10_000).await;
    let mut ix = compute::post_job(&h.payer.pubkey(), &h.keys, CONSUMER, 0, h.job_args(1, 10));
    // poster, config, market, job, poster_dc, …
    ix.accounts[4].pubkey = h.keys.dc_account(&alice.pubkey());
    assert_compute_err(h.send(&[ix], &[]).await, ComputeError::WrongPosterDc);
}

#[tokio::test]
async fn escrows_only_into_the_compute_sub_daos_pooled_escrow() {
    let h = Harness::new().await;
    let coverage = lattice_sdk::pda::sub_dao(&h.dao(), "coverage");
    let mut ix = compute::post_job(&h.payer.pubkey(), &h.keys, CONSUMER, 0, h.job_args(1, 10));
    // … dc: data_credits 5, dc_mint 6, sub_dao_dc 7, dc_escrow 8.
    ix.accounts[7].pubkey = lattice_sdk::dc::sub_dao_dc(&coverage);
    ix.accounts[8].pubkey = lattice_sdk::dc::escrow(&coverage, &h.config());
    assert_compute_err(h.send(&[ix], &[]).await, ComputeError::WrongDcAccount);
}

#[tokio::test]
async fn takes_only_the_markets_next_job_id() {
    let h = Harness::new().await;
    let ix = compute::post_job(&h.payer.pubkey(), &h.keys, CONSUMER, 1, h.job_args(1, 10));
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
}

#[tokio::test]
async fn a_prefunded_job_address_does_not_block_posting() {
    let h = Harness::new().await;
    h.chain
        .airdrop(&h.keys.job(CONSUMER, 0), 1_000_000)
        .await
        .unwrap();
    h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    assert_eq!(h.job(CONSUMER, 0).await.escrow_dc, 10);
}
