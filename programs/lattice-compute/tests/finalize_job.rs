//! `finalize_job`: after the verification window anyone settles a submitted job: the time used
//! is burned (recorded in the compute sub-DAO's hour and the node's hour), the rest refunded.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, JobState};
use lattice_data_credits::DcError;
use lattice_sdk::{compute, Chain};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn burns_the_time_used_and_refunds_the_rest() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let me = h.payer.pubkey();
    let id = h.post(CONSUMER, h.job_args(10, 600)).await.unwrap();
    let (dc_posted, supply) = (h.dc_of(&me).await, h.dc_supply().await);
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.warp(150).await;
    h.submit(&node, CONSUMER, id).await.unwrap();
    h.warp(300).await; // the consumer window
    let hour = h.hour();
    let d_before = h.sub_dao_burned(hour).await;
    h.finalize(CONSUMER, id).await.unwrap();

    let job = h.job(CONSUMER, id).await;
    assert_eq!(job.state, JobState::Finalized);
    assert_eq!((job.dc_burned, job.dc_refunded), (1_500, 4_500));
    assert_eq!(h.dc_of(&me).await, dc_posted + 4_500);
    assert_eq!(h.escrow().await, 0);
    assert_eq!(
        h.dc_supply().await,
        supply - 1_500,
        "only the burn leaves the supply"
    );
    assert_eq!(
        h.sub_dao_burned(hour).await - d_before,
        1_500,
        "the D input"
    );
    let epoch = h.node_epoch(&node, hour).await.unwrap();
    assert_eq!(
        (epoch.jobs_finalized, epoch.busy_secs, epoch.dc_burned),
        (1, 150, 1_500)
    );
    assert_eq!(epoch.creator, me);
    assert_eq!(h.gpu(&node).await.jobs_held, 0);
    let m = h.market_account(CONSUMER).await;
    assert_eq!((m.stats.finalized, m.stats.busy_secs), (1, 150));
    let t = h.compute_config().await.totals;
    assert_eq!(
        (t.jobs_finalized, t.dc_burned, t.dc_refunded, t.dc_escrowed),
        (1, 1_500, 4_500, 6_000)
    );
}

#[tokio::test]
async fn accumulates_a_nodes_hour_and_skips_an_empty_refund() {
    let h = Harness::new().await;
    let node = h.node(80, 4).await;
    // Both jobs use their whole duration: nothing to refund.
    let a = h.submitted(&node, DATACENTER, 5, 100, 100).await;
    let b = h.submitted(&node, DATACENTER, 7, 50, 50).await;
    h.warp(600).await;
    let hour = h.hour();
    let anyone = Keypair::new();
    h.chain
        .airdrop(&anyone.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    for id in [a, b] {
        let job = h.job(DATACENTER, id).await;
        let ix = compute::finalize_job(&anyone.pubkey(), &h.keys, &job, hour);
        h.send_as(&anyone, &[ix], &[]).await.unwrap();
    }
    let epoch = h.node_epoch(&node, hour).await.unwrap();
    assert_eq!(
        (epoch.jobs_finalized, epoch.busy_secs, epoch.dc_burned),
        (2, 150, 850)
    );
    assert_eq!(
        epoch.creator,
        anyone.pubkey(),
        "the first finalizer paid the rent"
    );
    assert_eq!(h.job(DATACENTER, b).await.dc_refunded, 0);
    // The network's record of the hour sums every node's (the dashboard's GPU busy time).
    let net: lattice_compute::ComputeHour = h
        .fetch(&compute::compute_hour(&h.config(), hour))
        .await
        .unwrap();
    assert_eq!(
        (
            net.config,
            net.hour,
            net.jobs_finalized,
            net.busy_secs,
            net.dc_burned
        ),
        (h.config(), hour, 2, 150, 850)
    );
}

#[tokio::test]
async fn refuses_to_finalize_before_the_window_passes() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(299).await;
    assert_compute_err(
        h.finalize(CONSUMER, id).await,
        ComputeError::VerificationWindowOpen,
    );
    h.warp(1).await;
    h.finalize(CONSUMER, id).await.unwrap();
}

#[tokio::test]
async fn refuses_a_job_without_a_result() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    let ix = |job: &lattice_compute::Job| {
        compute::finalize_job(&h.payer.pubkey(), &h.keys, job, h.hour())
    };
    // A queued job has no node to settle with.
    let mut queued = h.job(CONSUMER, id).await;
    queued.node = node.account();
    assert_compute_err(
        h.send(&[ix(&queued)], &[]).await,
        ComputeError::WrongNodeAccount,
    );
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.warp(1_000).await;
    assert_compute_err(
        h.finalize(CONSUMER, id).await,
        ComputeError::JobNotSubmitted,
    );
    // Twice.
    let other = h.consumer_node().await;
    let id = h.submitted(&other, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    let job = h.job(CONSUMER, id).await;
    h.send(&[ix(&job)], &[]).await.unwrap();
    assert_compute_err(
        h.send(&[ix(&job)], &[]).await,
        ComputeError::JobNotSubmitted,
    );
}

#[tokio::test]
async fn refuses_wrong_accounts() {
    let h = Harness::new().await;
    let (node, other) = (h.consumer_node().await, h.consumer_node().await);
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    let job = h.job(CONSUMER, id).await;
    let good = compute::finalize_job(&h.payer.pubkey(), &h.keys, &job, h.hour());
    // payer, config, market, job, poster_dc 4, gpu_node 5, node_epoch 6, compute_hour 7,
    // dc 8..=13, dao 14, compute_sub_dao 15, sub_dao_epoch 16, dao_program 17, registry 18, …
    let cases: Vec<(usize, solana_sdk::pubkey::Pubkey, u32)> = vec![
        (
            4,
            h.keys.dc_account(&node.device.pubkey()),
            u32::from(anchor_lang::error::ErrorCode::ConstraintAddress),
        ),
        (
            5,
            other.account(),
            u32::from(ComputeError::WrongNodeAccount),
        ),
        (
            6,
            compute::node_epoch(&node.account(), h.hour() + 1),
            u32::from(anchor_lang::error::ErrorCode::ConstraintSeeds),
        ),
        (
            7,
            compute::compute_hour(&h.config(), h.hour() + 1),
            u32::from(anchor_lang::error::ErrorCode::ConstraintSeeds),
        ),
        (
            11,
            lattice_sdk::dc::escrow(&h.keys.compute_sub_dao, &h.payer.pubkey()),
            u32::from(ComputeError::WrongDcAccount),
        ),
        (
            15,
            lattice_sdk::pda::sub_dao(&h.dao(), "coverage"),
            u32::from(ComputeError::WrongSubDao),
        ),
        (
            18,
            h.keys.stake_vault(),
            u32::from(ComputeError::WrongRegistry),
        ),
    ];
    h.assert_swaps(&good, cases).await;
    h.send(&[good], &[]).await.unwrap();
}

#[tokio::test]
async fn cannot_settle_until_the_burn_authority_is_handed_over() {
    let mut cfg = config();
    cfg.compute.hand_over_burn_authority = false;
    let h = Harness::with(cfg).await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    assert_code(
        h.finalize(CONSUMER, id).await,
        u32::from(DcError::WrongBurnAuthority),
    );
    let ix = lattice_sdk::dc::set_burn_authority(
        &h.payer.pubkey(),
        &h.dao(),
        &h.keys.compute_sub_dao,
        &h.config(),
    );
    h.send(&[ix], &[]).await.unwrap();
    h.finalize(CONSUMER, id).await.unwrap();
}

#[tokio::test]
async fn the_registry_never_releases_a_job_the_node_does_not_hold() {
    use anchor_lang::AccountSerialize;
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    // Corrupt the node's count (as if released already).
    let mut gpu = h.gpu(&node).await;
    gpu.jobs_held = 0;
    let mut acct = h.chain.get_account(&node.account()).await.unwrap().unwrap();
    let mut data = Vec::new();
    gpu.try_serialize(&mut data).unwrap();
    acct.data = data;
    h.chain.set_account(&node.account(), acct).await;
    assert_code(
        h.finalize(CONSUMER, id).await,
        u32::from(lattice_registry::RegistryError::NoJobHeld),
    );
}
