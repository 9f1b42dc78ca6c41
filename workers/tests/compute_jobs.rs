//! End to end on the embedded chain (real programs): a dApp posts a matmul job, a GPU worker
//! (CPU backend) claims it from the on-chain queue, runs it, stores C and submits the hash and
//! Merkle root; after the verification window anyone finalizes it, which burns the DC for the
//! time used, refunds the rest and records the work in the node's hour. A node that claims a
//! job and vanishes is timed out and slashed.

mod common;

use lattice_sdk::compute as sdkc;
use lattice_sdk::lattice_compute::{state::JobKind, state::JobState, PostJobArgs};
use lattice_sdk::send::send;
use lattice_sdk::solana::Signer as _;
use lattice_sdk::Chain as _;
use lattice_workers::compute::{spec::JobSpec, CpuBackend};
use std::sync::Arc;

#[tokio::test]
async fn matmul_job_runs_end_to_end_and_a_vanished_node_is_slashed() {
    let f = common::compute_fixture(2).await;
    let (chain, payer, net, keys, start) = (
        f.chain.clone(),
        f.payer.insecure_clone(),
        &f.net,
        f.keys,
        f.start,
    );
    let opts = f.cfg.send_options();
    let dapp = net.dapp.insecure_clone();

    // 1. Post a matmul job (spec inline as a data: URI).
    let spec = JobSpec::Matmul {
        n: 64,
        chain: 2,
        seed: hex::encode([5u8; 32]),
    };
    let (_, spec_hash) = spec.encode();
    let post = |id: u64| {
        sdkc::post_job(
            &dapp.pubkey(),
            &keys,
            0,
            id,
            PostJobArgs {
                kind: JobKind::Matmul,
                spec_hash,
                spec_uri: spec.data_uri(),
                max_duration_secs: 600,
                price_dc_per_sec: 2,
            },
        )
    };
    send(&chain, &opts, &[post(0)], &dapp, &[]).await.unwrap();
    let market = keys.market(0);
    assert_eq!(
        sdkc::fetch_queued_jobs(&chain, &market)
            .await
            .unwrap()
            .len(),
        1
    );

    // 2. The worker claims, runs and submits.
    let (w, journal, _) = f
        .worker(
            "compute-jobs",
            &net.gpu_keys[0],
            Arc::new(CpuBackend::new(1).unwrap()),
        )
        .await;
    chain.set_unix_timestamp(start + 30).await.unwrap();
    let report = w.pass().await.unwrap();
    assert_eq!(
        (report.claimed, report.submitted, report.failed),
        (1, 1, 0),
        "{report:?}"
    );
    assert!(journal.held().await.unwrap().is_empty());
    let job = sdkc::fetch_job(&chain, &market, 0).await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Submitted);
    let reference = lattice_compute_core::prove::commit(&spec.matmul_challenge().unwrap());
    assert_eq!(job.merkle_root, reference.root());
    let stored = std::fs::read(job.result_uri.strip_prefix("file://").unwrap()).unwrap();
    let c: Vec<i32> = stored
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(c, reference.matrix());

    // 3. Finalizing inside the window fails; after it, the DC for the time used is burned.
    let hour = lattice_math::epoch::hour_of(chain.unix_timestamp().await.unwrap());
    let early = send(
        &chain,
        &opts,
        &[sdkc::finalize_job(&payer.pubkey(), &keys, &job, hour)],
        &payer,
        &[],
    )
    .await;
    assert!(early.is_err());
    let later = job.submitted_at + 3_600;
    chain.set_unix_timestamp(later).await.unwrap();
    let hour = lattice_math::epoch::hour_of(later);
    send(
        &chain,
        &opts,
        &[sdkc::finalize_job(&payer.pubkey(), &keys, &job, hour)],
        &payer,
        &[],
    )
    .await
    .unwrap();
    let done = sdkc::fetch_job(&chain, &market, 0).await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Finalized);
    assert_eq!(done.dc_burned, 2 * done.used_secs);
    assert_eq!(done.dc_burned + done.dc_refunded, done.escrow_dc);
    let gpu_node = lattice_sdk::registry::gpu_node(&net.gpus[0]);
    let epoch = sdkc::fetch_node_epoch(&chain, &gpu_node, hour)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(epoch.dc_burned, done.dc_burned);
    assert_eq!(epoch.jobs_finalized, 1);

    // 4. A node claims a job and vanishes: after the deadline anyone times it out, the poster
    //    gets everything back and the node loses part of its stake.
    send(&chain, &opts, &[post(1)], &dapp, &[]).await.unwrap();
    let vanishing = net.gpu_keys[0].insecure_clone();
    let claim = sdkc::claim_job(&vanishing.pubkey(), &keys, 0, 1);
    send(&chain, &opts, &[claim], &payer, &[&vanishing])
        .await
        .unwrap();
    let job = sdkc::fetch_job(&chain, &market, 1).await.unwrap().unwrap();
    let stake_before: lattice_registry::GpuNode = lattice_sdk::accounts::fetch(&chain, &gpu_node)
        .await
        .unwrap()
        .unwrap();
    chain.set_unix_timestamp(job.deadline + 1).await.unwrap();
    send(
        &chain,
        &opts,
        &[sdkc::timeout_job(&payer.pubkey(), &keys, &job)],
        &payer,
        &[],
    )
    .await
    .unwrap();
    let timed_out = sdkc::fetch_job(&chain, &market, 1).await.unwrap().unwrap();
    assert_eq!(timed_out.state, JobState::TimedOut);
    assert_eq!(timed_out.dc_refunded, timed_out.escrow_dc);
    let stake_after: lattice_registry::GpuNode = lattice_sdk::accounts::fetch(&chain, &gpu_node)
        .await
        .unwrap()
        .unwrap();
    assert!(timed_out.stake_slashed > 0);
    assert_eq!(
        stake_before.stake - stake_after.stake,
        timed_out.stake_slashed
    );
}
