//! `submit_result`: the claiming device only, before the deadline, with a Merkle root exactly for
//! matmul jobs.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, JobState};
use lattice_sdk::compute;

#[tokio::test]
async fn commits_the_result_and_bills_the_time_used() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.matmul_args(3, 600)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.warp(250).await;
    h.submit_with(&node.device, CONSUMER, id, [9; 32])
        .await
        .unwrap();
    let job = h.job(CONSUMER, id).await;
    assert_eq!(job.state, JobState::Submitted);
    assert_eq!(job.used_secs, 250);
    assert_eq!(job.submitted_at, h.now());
    assert_eq!(job.merkle_root, [9; 32]);
    assert_eq!(job.result_hash, [5; 32]);
    assert_eq!(job.result_uri, "s3://results/out.bin");
    assert_eq!(
        (job.dc_burned, job.dc_refunded),
        (0, 0),
        "nothing settles yet"
    );
}

#[tokio::test]
async fn bills_at_least_one_second_and_at_most_the_duration() {
    let h = Harness::new().await;
    let node = h.node(80, 4).await;
    let id = h.post(DATACENTER, h.job_args(5, 100)).await.unwrap();
    h.claim(&node, DATACENTER, id).await.unwrap();
    h.submit(&node, DATACENTER, id).await.unwrap();
    assert_eq!(h.job(DATACENTER, id).await.used_secs, 1, "same second");
    let id = h.post(DATACENTER, h.job_args(5, 100)).await.unwrap();
    h.claim(&node, DATACENTER, id).await.unwrap();
    h.warp(100).await; // exactly at the deadline: still accepted
    h.submit(&node, DATACENTER, id).await.unwrap();
    assert_eq!(h.job(DATACENTER, id).await.used_secs, 100);
}

#[tokio::test]
async fn refuses_a_submission_after_the_deadline() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.warp(61).await;
    assert_compute_err(
        h.submit(&node, CONSUMER, id).await,
        ComputeError::SubmissionAfterDeadline,
    );
}

#[tokio::test]
async fn refuses_another_signer() {
    let h = Harness::new().await;
    let (node, other) = (h.consumer_node().await, h.consumer_node().await);
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.submit(&other, CONSUMER, id).await,
        ComputeError::NotJobNode,
    );
    assert_compute_err(
        h.submit_with(&h.payer, CONSUMER, id, [0; 32]).await,
        ComputeError::NotJobNode,
    );
}

#[tokio::test]
async fn refuses_a_job_that_is_not_claimed() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    assert_compute_err(
        h.submit(&node, CONSUMER, id).await,
        ComputeError::JobNotClaimed,
    );
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.submit(&node, CONSUMER, id).await.unwrap();
    assert_compute_err(
        h.submit(&node, CONSUMER, id).await,
        ComputeError::JobNotClaimed,
    );
}

#[tokio::test]
async fn requires_a_merkle_root_exactly_for_matmul_jobs() {
    let h = Harness::new().await;
    let node = h.node(80, 4).await;
    let matmul = h.post(DATACENTER, h.matmul_args(5, 60)).await.unwrap();
    let container = h.post(DATACENTER, h.job_args(5, 60)).await.unwrap();
    h.claim(&node, DATACENTER, matmul).await.unwrap();
    h.claim(&node, DATACENTER, container).await.unwrap();
    assert_compute_err(
        h.submit_with(&node.device, DATACENTER, matmul, [0; 32])
            .await,
        ComputeError::InvalidMerkleRoot,
    );
    assert_compute_err(
        h.submit_with(&node.device, DATACENTER, container, [1; 32])
            .await,
        ComputeError::InvalidMerkleRoot,
    );
    h.submit_with(&node.device, DATACENTER, matmul, [1; 32])
        .await
        .unwrap();
    h.submit_with(&node.device, DATACENTER, container, [0; 32])
        .await
        .unwrap();
}

#[tokio::test]
async fn refuses_a_long_result_uri() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    let ix = compute::submit_result(
        &solana_sdk::signature::Signer::pubkey(&node.device),
        &h.keys,
        CONSUMER,
        id,
        [5; 32],
        "r".repeat(129),
        [0; 32],
    );
    assert_compute_err(
        h.send(&[ix], &[&node.device]).await,
        ComputeError::UriTooLong,
    );
}
