//! `attest_fault`: k of n oracles (never one key) attest that a node's result or capacity proof
//! was wrong; the k-th vote slashes, and faults and refunds a running job.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, Fault, FaultSubject, JobState};
use lattice_sdk::compute;
use solana_sdk::signature::{Keypair, Signer};

fn job_subject(h: &Harness, class_id: u8, id: u64) -> FaultSubject {
    FaultSubject::Job {
        market: h.market(class_id),
        job_id: id,
    }
}

#[tokio::test]
async fn a_quorum_slashes_faults_and_refunds_a_submitted_job() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let me = h.payer.pubkey();
    let before = h.dc_of(&me).await;
    let id = h.submitted(&node, CONSUMER, 2, 600, 100).await;
    let (stake, vault, dest) = (
        h.gpu(&node).await.stake,
        h.vault().await,
        h.slashed_to().await,
    );

    // k − 1 = 1 vote slashes nothing.
    h.attest_job(0, &node, CONSUMER, id).await.unwrap();
    assert_eq!(h.gpu(&node).await.stake, stake);
    assert_eq!(h.job(CONSUMER, id).await.state, JobState::Submitted);
    let subject = job_subject(&h, CONSUMER, id);
    let fault: Fault = compute::fetch_fault(&h.chain, &node.account(), &subject)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((fault.votes, fault.executed), (0b001, false));

    // The k-th vote executes.
    h.attest_job(2, &node, CONSUMER, id).await.unwrap();
    let slashed = stake * 2_000 / 10_000;
    let job = h.job(CONSUMER, id).await;
    assert_eq!(job.state, JobState::Faulted);
    assert_eq!(
        (job.dc_burned, job.dc_refunded, job.stake_slashed),
        (0, 1_200, slashed)
    );
    assert_eq!(h.dc_of(&me).await, before, "the whole escrow back");
    assert_eq!(h.escrow().await, 0);
    let gpu = h.gpu(&node).await;
    assert_eq!((gpu.stake, gpu.jobs_held), (stake - slashed, 0));
    assert_eq!(h.vault().await, vault - slashed);
    assert_eq!(h.slashed_to().await, dest + slashed);
    let fault: Fault = compute::fetch_fault(&h.chain, &node.account(), &subject)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (fault.votes, fault.executed, fault.stake_slashed),
        (0b101, true, slashed)
    );
    let t = h.compute_config().await.totals;
    assert_eq!(
        (t.jobs_faulted, t.dc_refunded, t.stake_slashed),
        (1, 1_200, slashed)
    );
    // A faulted job can no longer be finalized.
    h.warp(300).await;
    assert_compute_err(
        h.finalize(CONSUMER, id).await,
        ComputeError::JobNotSubmitted,
    );
    // Nor voted on again.
    assert_compute_err(
        h.attest_job(1, &node, CONSUMER, id).await,
        ComputeError::FaultAlreadyExecuted,
    );
}

#[tokio::test]
async fn a_claimed_job_is_faulted_too() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.post(CONSUMER, h.job_args(1, 600)).await.unwrap();
    h.claim(&node, CONSUMER, id).await.unwrap();
    h.attest_job(0, &node, CONSUMER, id).await.unwrap();
    h.attest_job(1, &node, CONSUMER, id).await.unwrap();
    assert_eq!(h.job(CONSUMER, id).await.state, JobState::Faulted);
    assert_eq!(h.gpu(&node).await.jobs_held, 0);
}

#[tokio::test]
async fn a_finalized_or_closed_job_is_slashed_only() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    h.finalize(CONSUMER, id).await.unwrap();
    let closed = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    h.finalize(CONSUMER, closed).await.unwrap();
    let ix = compute::close_job(&h.payer.pubkey(), &h.market(CONSUMER), closed);
    h.send(&[ix], &[]).await.unwrap();

    let stake = h.gpu(&node).await.stake;
    h.attest_job(0, &node, CONSUMER, id).await.unwrap();
    h.attest_job(1, &node, CONSUMER, id).await.unwrap();
    let job = h.job(CONSUMER, id).await;
    assert_eq!(job.state, JobState::Finalized, "the burn stands");
    let first = stake * 2_000 / 10_000;
    assert_eq!(job.stake_slashed, first);
    for i in [0, 1] {
        h.attest(i, &node, job_subject(&h, CONSUMER, closed), None)
            .await
            .unwrap();
    }
    let second = (stake - first) * 2_000 / 10_000;
    assert_eq!(h.gpu(&node).await.stake, stake - first - second);
}

#[tokio::test]
async fn a_capacity_fault_slashes_without_a_job() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let stake = h.gpu(&node).await.stake;
    let subject = FaultSubject::Capacity { hour: h.hour() - 1 };
    h.attest(1, &node, subject, None).await.unwrap();
    assert_eq!(h.gpu(&node).await.stake, stake);
    h.attest(2, &node, subject, None).await.unwrap();
    assert_eq!(h.gpu(&node).await.stake, stake - stake / 5);
    // The current hour may be attested, a later one may not.
    let now = FaultSubject::Capacity { hour: h.hour() };
    h.attest(0, &node, now, None).await.unwrap();
    let future = FaultSubject::Capacity { hour: h.hour() + 1 };
    assert_compute_err(
        h.attest(0, &node, future, None).await,
        ComputeError::FutureSubject,
    );
}

#[tokio::test]
async fn refuses_a_second_vote_of_one_oracle() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let subject = FaultSubject::Capacity { hour: h.hour() };
    h.attest(0, &node, subject, None).await.unwrap();
    assert_compute_err(
        h.attest(0, &node, subject, None).await,
        ComputeError::AlreadyVoted,
    );
}

#[tokio::test]
async fn refuses_a_signer_outside_the_set() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let stranger = Keypair::new();
    h.chain
        .airdrop(&stranger.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let ix = compute::attest_fault(
        &stranger.pubkey(),
        &h.keys,
        &node.device.pubkey(),
        FaultSubject::Capacity { hour: h.hour() },
        None,
    );
    assert_compute_err(
        h.send_as(&stranger, &[ix], &[]).await,
        ComputeError::NotAnOracle,
    );
}

#[tokio::test]
async fn an_empty_oracle_set_disables_attestations() {
    let h = Harness::with(config()).await;
    assert!(
        h.compute_config().await.oracles.is_empty(),
        "bootstrap's default"
    );
    let node = h.consumer_node().await;
    let ix = compute::attest_fault(
        &h.payer.pubkey(),
        &h.keys,
        &node.device.pubkey(),
        FaultSubject::Capacity { hour: h.hour() },
        None,
    );
    assert_compute_err(
        h.send(&[ix], &[]).await,
        ComputeError::FaultAttestationsDisabled,
    );
}

#[tokio::test]
async fn a_new_oracle_set_voids_pending_votes() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let stake = h.gpu(&node).await.stake;
    let subject = FaultSubject::Capacity { hour: h.hour() };
    h.attest(0, &node, subject, None).await.unwrap();
    // Same keys, new generation.
    h.set_oracles(h.oracle_keys(), 2).await.unwrap();
    h.attest(1, &node, subject, None).await.unwrap();
    assert_eq!(
        h.gpu(&node).await.stake,
        stake,
        "one vote of this generation"
    );
    let fault: Fault = compute::fetch_fault(&h.chain, &node.account(), &subject)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((fault.votes, fault.oracle_generation), (0b010, 2));
    h.attest(0, &node, subject, None).await.unwrap();
    assert!(h.gpu(&node).await.stake < stake);
}

#[tokio::test]
async fn refuses_a_job_of_another_node() {
    let h = Harness::new().await;
    let (node, other) = (h.consumer_node().await, h.consumer_node().await);
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    assert_compute_err(
        h.attest_job(0, &other, CONSUMER, id).await,
        ComputeError::FaultSubjectMismatch,
    );
    // A queued job has no node at all.
    let queued = h.post(CONSUMER, h.job_args(1, 60)).await.unwrap();
    assert_compute_err(
        h.attest_job(0, &node, CONSUMER, queued).await,
        ComputeError::FaultSubjectMismatch,
    );
}

#[tokio::test]
async fn a_job_subject_needs_its_market_and_job_accounts() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    let subject = job_subject(&h, CONSUMER, id);
    let good = compute::attest_fault(
        &h.oracles[0].pubkey(),
        &h.keys,
        &node.device.pubkey(),
        subject,
        None,
    );
    // oracle, config, gpu_node, fault, market 4, job 5, poster_dc 6, …
    let mut no_job = good.clone();
    no_job.accounts[5].pubkey = lattice_compute::ID;
    no_job.accounts[5].is_writable = false;
    assert_compute_err(
        h.send_as(&h.oracles[0], &[no_job], &[]).await,
        ComputeError::MissingJobAccount,
    );
    let mut wrong_job = good.clone();
    wrong_job.accounts[5].pubkey = h.keys.job(CONSUMER, id + 1);
    assert_compute_err(
        h.send_as(&h.oracles[0], &[wrong_job], &[]).await,
        ComputeError::MissingJobAccount,
    );
    let mut no_market = good.clone();
    no_market.accounts[4].pubkey = lattice_compute::ID;
    assert_compute_err(
        h.send_as(&h.oracles[0], &[no_market], &[]).await,
        ComputeError::MissingJobAccount,
    );
    let mut other_market = good.clone();
    other_market.accounts[4].pubkey = h.market(DATACENTER);
    assert_compute_err(
        h.send_as(&h.oracles[0], &[other_market], &[]).await,
        ComputeError::MissingJobAccount,
    );
    h.send_as(&h.oracles[0], &[good], &[]).await.unwrap();
}

#[tokio::test]
async fn the_executing_vote_needs_the_jobs_refund_account() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    let subject = job_subject(&h, CONSUMER, id);
    h.attest(0, &node, subject, None).await.unwrap();
    assert_compute_err(
        h.attest(1, &node, subject, None).await,
        ComputeError::WrongRefundAccount,
    );
    let wrong = h.keys.dc_account(&h.oracles[1].pubkey());
    assert_compute_err(
        h.attest(1, &node, subject, Some(&wrong)).await,
        ComputeError::WrongRefundAccount,
    );
    h.attest_job(1, &node, CONSUMER, id).await.unwrap();
    assert_eq!(h.job(CONSUMER, id).await.state, JobState::Faulted);
}

#[tokio::test]
async fn refuses_another_slash_destination() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let subject = FaultSubject::Capacity { hour: h.hour() };
    let mut ix = compute::attest_fault(
        &h.oracles[0].pubkey(),
        &h.keys,
        &node.device.pubkey(),
        subject,
        None,
    );
    // … dc 7..=12, registry 13, stake_vault 14, slash_destination 15.
    ix.accounts[15].pubkey =
        lattice_sdk::pda::associated_token(&h.payer.pubkey(), &h.main_mint.pubkey());
    assert_compute_err(
        h.send_as(&h.oracles[0], &[ix], &[]).await,
        ComputeError::WrongSlashDestination,
    );
}
