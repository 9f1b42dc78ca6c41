//! `claim_job`: only a registered, staked, active GPU node with enough VRAM and a free slot
//! claims; the registry counts the job as held, so the node cannot unstake meanwhile.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, JobState};
use lattice_registry::RegistryError;
use lattice_sdk::{compute, registry};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn a_qualified_node_claims_and_holds_the_job() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let first = h.post(CONSUMER, h.job_args(2, 600)).await.unwrap();
    let second = h.post(CONSUMER, h.job_args(2, 600)).await.unwrap();
    h.warp(30).await;
    h.claim(&node, CONSUMER, second).await.unwrap();
    let job = h.job(CONSUMER, second).await;
    assert_eq!(job.state, JobState::Claimed);
    assert_eq!(job.node, node.account());
    assert_eq!(job.node_device, node.device.pubkey());
    assert_eq!(job.claimed_at, h.now());
    assert_eq!(job.deadline, h.now() + 600);
    assert_eq!(h.gpu(&node).await.jobs_held, 1);
    assert_eq!(h.market_account(CONSUMER).await.pending(), &[first]);
    assert_eq!(h.escrow().await, 2_400, "claiming moves no DC");
}

#[tokio::test]
async fn a_held_job_blocks_unstaking_until_it_is_released() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    let me = h.payer.pubkey();
    let unstake = registry::request_unstake(&me, &node.device.pubkey(), &h.registry_keys);
    assert_code(
        h.send(std::slice::from_ref(&unstake), &[]).await,
        u32::from(RegistryError::NodeHoldsJob),
    );
    let close = registry::close_gpu_node(&me, &node.device.pubkey(), &h.registry_keys);
    assert_code(
        h.send(&[close], &[]).await,
        u32::from(RegistryError::NodeHoldsJob),
    );
    h.warp(300).await;
    h.finalize(CONSUMER, id).await.unwrap();
    assert_eq!(h.gpu(&node).await.jobs_held, 0);
    h.send(&[unstake], &[]).await.unwrap();
}

#[tokio::test]
async fn refuses_an_unregistered_device() {
    let h = Harness::new().await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    let stranger = Node {
        device: Keypair::new(),
    };
    assert_anchor_err(
        h.claim(&stranger, CONSUMER, id).await,
        anchor_lang::error::ErrorCode::AccountNotInitialized,
    );
}

#[tokio::test]
async fn refuses_an_unstaking_node() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let ix = registry::request_unstake(&h.payer.pubkey(), &node.device.pubkey(), &h.registry_keys);
    h.send(&[ix], &[]).await.unwrap();
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    assert_compute_err(
        h.claim(&node, CONSUMER, id).await,
        ComputeError::NodeUnstaking,
    );
}

#[tokio::test]
async fn refuses_a_node_staked_below_the_markets_minimum() {
    let h = Harness::new().await;
    // One GPU stakes 1,000 LAT; the datacenter market wants 4,000 (and 40 GiB).
    let small = h.node(80, 1).await;
    let id = h.post(DATACENTER, h.job_args(5, 60)).await.unwrap();
    assert_compute_err(
        h.claim(&small, DATACENTER, id).await,
        ComputeError::InsufficientStake,
    );
    let big = h.node(80, 4).await;
    h.claim(&big, DATACENTER, id).await.unwrap();
}

#[tokio::test]
async fn refuses_a_node_with_too_little_vram() {
    let h = Harness::new().await;
    let node = h.node(24, 4).await; // staked enough, but 24 < 40 GiB
    let id = h.post(DATACENTER, h.job_args(5, 60)).await.unwrap();
    assert_compute_err(
        h.claim(&node, DATACENTER, id).await,
        ComputeError::InsufficientVram,
    );
    // The consumer market wants 8 GiB.
    let tiny = h.node(6, 1).await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    assert_compute_err(
        h.claim(&tiny, CONSUMER, id).await,
        ComputeError::InsufficientVram,
    );
}

#[tokio::test]
async fn refuses_a_double_claim() {
    let h = Harness::new().await;
    let (a, b) = (h.consumer_node().await, h.consumer_node().await);
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    h.claim(&a, CONSUMER, id).await.unwrap();
    assert_compute_err(h.claim(&b, CONSUMER, id).await, ComputeError::JobNotQueued);
    // Nor can a cancelled job be claimed.
    let other = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    h.cancel_as(&h.payer, CONSUMER, other).await.unwrap();
    assert_compute_err(
        h.claim(&b, CONSUMER, other).await,
        ComputeError::JobNotQueued,
    );
}

#[tokio::test]
async fn refuses_a_busy_node_up_to_the_markets_limit() {
    let h = Harness::new().await;
    // The consumer market allows one job per node, the datacenter market two.
    let node = h.node(80, 4).await;
    let a = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    let b = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    h.claim(&node, CONSUMER, a).await.unwrap();
    assert_compute_err(h.claim(&node, CONSUMER, b).await, ComputeError::NodeBusy);
    let c = h.post(DATACENTER, h.job_args(5, 60)).await.unwrap();
    let d = h.post(DATACENTER, h.job_args(5, 60)).await.unwrap();
    h.claim(&node, DATACENTER, c).await.unwrap();
    assert_eq!(h.gpu(&node).await.jobs_held, 2);
    assert_compute_err(h.claim(&node, DATACENTER, d).await, ComputeError::NodeBusy);
}

#[tokio::test]
async fn refuses_another_devices_node_account_and_registry() {
    let h = Harness::new().await;
    let (node, other) = (h.consumer_node().await, h.consumer_node().await);
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    let mut ix = compute::claim_job(&node.device.pubkey(), &h.keys, CONSUMER, id);
    // device, config, market, job, gpu_node, registry, registry_program
    ix.accounts[4].pubkey = other.account();
    assert_anchor_err(
        h.send(&[ix], &[&node.device]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    let mut ix = compute::claim_job(&node.device.pubkey(), &h.keys, CONSUMER, id);
    ix.accounts[5].pubkey = h.keys.stake_vault();
    assert_compute_err(
        h.send(&[ix], &[&node.device]).await,
        ComputeError::WrongRegistry,
    );
}

#[tokio::test]
async fn requires_the_device_signature() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    let mut ix = compute::claim_job(&node.device.pubkey(), &h.keys, CONSUMER, id);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}
