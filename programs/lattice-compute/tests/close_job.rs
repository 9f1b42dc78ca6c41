//! `close_job`: the poster closes a finished job and gets its rent back.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::ComputeError;
use lattice_sdk::{compute, Chain};
use solana_sdk::signature::Signer;

#[tokio::test]
async fn closes_every_terminal_state_and_returns_the_rent() {
    let h = Harness::new().await;
    let alice = h.poster(100_000).await;
    let (node, late) = (h.consumer_node().await, h.consumer_node().await);
    let market = h.market(CONSUMER);
    // Cancelled.
    let cancelled = h
        .post_as(&alice, CONSUMER, h.job_args(1, 10))
        .await
        .unwrap();
    h.cancel_as(&alice, CONSUMER, cancelled).await.unwrap();
    // Timed out.
    let timed_out = h
        .post_as(&alice, CONSUMER, h.job_args(1, 10))
        .await
        .unwrap();
    h.claim(&late, CONSUMER, timed_out).await.unwrap();
    h.warp(11).await;
    h.timeout(CONSUMER, timed_out).await.unwrap();
    // Finalized.
    let finalized = h
        .post_as(&alice, CONSUMER, h.job_args(1, 10))
        .await
        .unwrap();
    h.claim(&node, CONSUMER, finalized).await.unwrap();
    h.submit(&node, CONSUMER, finalized).await.unwrap();
    h.warp(300).await;
    h.finalize(CONSUMER, finalized).await.unwrap();

    for id in [cancelled, timed_out, finalized] {
        let key = compute::job(&market, id);
        let rent = h.chain.get_account(&key).await.unwrap().unwrap().lamports;
        let before = h
            .chain
            .get_account(&alice.pubkey())
            .await
            .unwrap()
            .unwrap()
            .lamports;
        let ix = compute::close_job(&alice.pubkey(), &market, id);
        h.send(&[ix], &[&alice]).await.unwrap();
        assert!(!h.exists(&key).await);
        let after = h
            .chain
            .get_account(&alice.pubkey())
            .await
            .unwrap()
            .unwrap()
            .lamports;
        assert_eq!(after - before, rent);
    }
}

#[tokio::test]
async fn refuses_an_open_job_and_another_signer() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let market = h.market(CONSUMER);
    let id = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    let close = compute::close_job(&h.payer.pubkey(), &market, id);
    assert_compute_err(
        h.send(std::slice::from_ref(&close), &[]).await,
        ComputeError::JobNotTerminal,
    );
    h.claim(&node, CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.send(std::slice::from_ref(&close), &[]).await,
        ComputeError::JobNotTerminal,
    );
    h.submit(&node, CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.send(std::slice::from_ref(&close), &[]).await,
        ComputeError::JobNotTerminal,
    );
    h.warp(300).await;
    h.finalize(CONSUMER, id).await.unwrap();
    let alice = h.poster(1_000).await;
    let ix = compute::close_job(&alice.pubkey(), &market, id);
    assert_compute_err(h.send(&[ix], &[&alice]).await, ComputeError::NotPoster);
    h.send(&[close], &[]).await.unwrap();
}
