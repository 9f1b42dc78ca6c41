//! `cancel_job`: the poster cancels a queued job and gets its whole escrow back.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, JobState};
use lattice_sdk::compute;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn refunds_in_full_and_leaves_the_queue() {
    let h = Harness::new().await;
    let alice = h.poster(50_000).await;
    let before = h.dc_of(&alice.pubkey()).await;
    let supply = h.dc_supply().await;
    let a = h
        .post_as(&alice, CONSUMER, h.job_args(3, 1_000))
        .await
        .unwrap();
    let b = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    h.cancel_as(&alice, CONSUMER, a).await.unwrap();
    let job = h.job(CONSUMER, a).await;
    assert_eq!(job.state, JobState::Cancelled);
    assert_eq!((job.dc_burned, job.dc_refunded), (0, 3_000));
    assert_eq!(h.dc_of(&alice.pubkey()).await, before);
    assert_eq!(h.escrow().await, 10, "the other job's escrow stays");
    assert_eq!(h.dc_supply().await, supply);
    let m = h.market_account(CONSUMER).await;
    assert_eq!(m.pending(), &[b]);
    assert_eq!(m.stats.cancelled, 1);
    let t = h.compute_config().await.totals;
    assert_eq!((t.jobs_cancelled, t.dc_refunded), (1, 3_000));
}

#[tokio::test]
async fn only_the_poster_cancels() {
    let h = Harness::new().await;
    let alice = h.poster(10_000).await;
    let id = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    // Alice signs as the poster of the payer's job.
    assert_compute_err(
        h.cancel_as(&alice, CONSUMER, id).await,
        ComputeError::NotPoster,
    );
    // Naming the payer as poster without its signature.
    let mut ix = compute::cancel_job(&h.payer.pubkey(), &h.keys, CONSUMER, id);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send_as(&alice, &[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}

#[tokio::test]
async fn refuses_a_claimed_or_cancelled_job() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.cancel_as(&h.payer, CONSUMER, id).await,
        ComputeError::JobNotQueued,
    );
    let id = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    h.cancel_as(&h.payer, CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.cancel_as(&h.payer, CONSUMER, id).await,
        ComputeError::JobNotQueued,
    );
}

#[tokio::test]
async fn refunds_only_to_the_jobs_dc_account() {
    let h = Harness::new().await;
    let alice = h.poster(10_000).await;
    let id = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    let mut ix = compute::cancel_job(&h.payer.pubkey(), &h.keys, CONSUMER, id);
    ix.accounts[4].pubkey = h.keys.dc_account(&alice.pubkey());
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintAddress,
    );
}
