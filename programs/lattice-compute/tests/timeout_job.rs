//! `timeout_job`: anyone times out a claimed job past its deadline: the poster is refunded in
//! full and `timeout_slash_bps` of the node's stake goes to the slash destination.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, JobState};
use lattice_sdk::compute;

#[tokio::test]
async fn refunds_the_poster_and_slashes_the_node() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let me = solana_sdk::signature::Signer::pubkey(&h.payer);
    let before = h.dc_of(&me).await;
    let id = h.post(CONSUMER, h.job_args(4, 100)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    let (stake, vault, dest, supply) = (
        h.gpu(&node).await.stake,
        h.vault().await,
        h.slashed_to().await,
        h.dc_supply().await,
    );
    h.warp(101).await;
    h.timeout(CONSUMER, id).await.unwrap();

    let slashed = stake * 500 / 10_000; // the consumer market's 5%
    let job = h.job(CONSUMER, id).await;
    assert_eq!(job.state, JobState::TimedOut);
    assert_eq!(
        (job.dc_burned, job.dc_refunded, job.stake_slashed),
        (0, 400, slashed)
    );
    assert_eq!(h.dc_of(&me).await, before, "refunded in full");
    assert_eq!(h.escrow().await, 0);
    assert_eq!(h.dc_supply().await, supply, "nothing burned");
    let gpu = h.gpu(&node).await;
    assert_eq!((gpu.stake, gpu.jobs_held), (stake - slashed, 0));
    assert_eq!(h.vault().await, vault - slashed);
    assert_eq!(h.slashed_to().await, dest + slashed);
    assert_eq!(
        h.keys.slash_destination,
        lattice_sdk::pda::treasury(&h.keys.compute_sub_dao)
    );
    assert_eq!(h.market_account(CONSUMER).await.stats.timed_out, 1);
    let t = h.compute_config().await.totals;
    assert_eq!(
        (t.jobs_timed_out, t.dc_refunded, t.stake_slashed),
        (1, 400, slashed)
    );
}

#[tokio::test]
async fn refuses_a_timeout_before_the_deadline() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 100)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.warp(100).await; // at the deadline the node may still submit
    assert_compute_err(
        h.timeout(CONSUMER, id).await,
        ComputeError::DeadlineNotPassed,
    );
    h.warp(1).await;
    h.timeout(CONSUMER, id).await.unwrap();
    assert_compute_err(h.timeout(CONSUMER, id).await, ComputeError::JobNotClaimed);
}

#[tokio::test]
async fn refuses_a_submitted_job() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 100, 50).await;
    h.warp(1_000).await;
    assert_compute_err(h.timeout(CONSUMER, id).await, ComputeError::JobNotClaimed);
    h.finalize(CONSUMER, id).await.unwrap();
}

#[tokio::test]
async fn refuses_wrong_accounts() {
    let h = Harness::new().await;
    let (node, other) = (h.consumer_node().await, h.consumer_node().await);
    let id = h.post(CONSUMER, h.job_args(1, 100)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.warp(101).await;
    let job = h.job(CONSUMER, id).await;
    let good = compute::timeout_job(
        &solana_sdk::signature::Signer::pubkey(&h.payer),
        &h.keys,
        &job,
    );
    // caller, config, market, job, poster_dc 4, gpu_node 5, dc 6..=11, registry 12,
    // stake_vault 13, slash_destination 14, …
    let cases: Vec<(usize, solana_sdk::pubkey::Pubkey, u32)> = vec![
        (
            5,
            other.account(),
            u32::from(ComputeError::WrongNodeAccount),
        ),
        (
            14,
            lattice_sdk::pda::treasury(&lattice_sdk::pda::sub_dao(&h.dao(), "coverage")),
            u32::from(ComputeError::WrongSlashDestination),
        ),
        (
            12,
            h.keys.stake_vault(),
            u32::from(ComputeError::WrongRegistry),
        ),
        (
            8,
            lattice_sdk::dc::sub_dao_dc(&lattice_sdk::pda::sub_dao(&h.dao(), "coverage")),
            u32::from(ComputeError::WrongDcAccount),
        ),
    ];
    h.assert_swaps(&good, cases).await;
    h.send(&[good], &[]).await.unwrap();
}

#[tokio::test]
async fn a_zero_slash_moves_no_stake() {
    let h = Harness::new().await;
    let mut params = h.market_account(CONSUMER).await.params;
    params.timeout_slash_bps = 0;
    let ix = compute::set_market_params(
        &solana_sdk::signature::Signer::pubkey(&h.payer),
        &h.keys,
        CONSUMER,
        params,
    );
    h.send(&[ix], &[]).await.unwrap();
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 10)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    let (stake, vault) = (h.gpu(&node).await.stake, h.vault().await);
    h.warp(11).await;
    h.timeout(CONSUMER, id).await.unwrap();
    assert_eq!(h.gpu(&node).await.stake, stake);
    assert_eq!(h.vault().await, vault);
    assert_eq!(h.job(CONSUMER, id).await.stake_slashed, 0);
}
