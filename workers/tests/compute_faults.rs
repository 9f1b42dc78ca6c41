//! Fault attestations end to end: two compute oracles (k = 2) against the real programs. A
//! node's wrong capacity proof is kept as node-signed evidence by the oracle that challenged
//! it; that oracle votes, and a second oracle re-verifies the evidence and votes, which slashes.
//! A wrong matmul job result is found by both oracles' audits: the job is faulted, the poster
//! refunded and the node slashed. One vote never slashes; honest work is never voted on.

mod common;

use lattice_sdk::compute as sdkc;
use lattice_sdk::lattice_compute::{
    state::{FaultSubject, JobKind, JobState},
    PostJobArgs,
};
use lattice_sdk::send::send;
use lattice_sdk::solana::{Keypair, Signer as _};
use lattice_workers::compute::capacity::CapacityClient;
use lattice_workers::compute::{spec::JobSpec, Backend, CpuBackend};
use lattice_workers::node::signing_key;
use lattice_workers::oracle::Clock;
use std::sync::Arc;

#[tokio::test]
async fn k_of_n_oracles_slash_wrong_capacity_proofs_and_wrong_results() {
    let f = common::compute_fixture(2).await;
    let chain = f.chain.clone();
    let opts = f.cfg.send_options();
    let clock = Clock::manual(f.start * 1_000);
    let mut oracles = Vec::new();
    let mut urls = Vec::new();
    let stop = tokio_util::sync::CancellationToken::new();
    for i in 0..2 {
        let key = Keypair::new();
        chain.airdrop(&key.pubkey(), 1_000_000_000).await.unwrap();
        let (o, url) = f
            .serve_oracle(&format!("compute-faults-{i}"), key, &clock, &stop)
            .await;
        oracles.push(o);
        urls.push(url);
    }
    let set = sdkc::set_oracles(
        &f.payer.pubkey(),
        &f.keys,
        oracles.iter().map(|o| o.keypair.pubkey()).collect(),
        2,
    );
    send(&chain, &opts, &[set], &f.payer, &[]).await.unwrap();
    let stake = |device: lattice_sdk::solana::Pubkey| {
        let chain = chain.clone();
        async move {
            let g: lattice_registry::GpuNode =
                lattice_sdk::accounts::fetch(&chain, &lattice_sdk::registry::gpu_node(&device))
                    .await
                    .unwrap()
                    .unwrap();
            g.stake
        }
    };
    let (honest_dev, liar_dev) = (f.net.gpus[0], f.net.gpus[1]);
    let hour = lattice_math::epoch::hour_of(f.start);
    let cpu: Arc<dyn Backend> = Arc::new(CpuBackend::new(1).unwrap());
    let lying: Arc<dyn Backend> = Arc::new(common::Lying(CpuBackend::new(1).unwrap()));

    // 1. Capacity: the liar fails oracle 0's challenge; oracle 0 votes alone: no slash yet.
    let liar = CapacityClient::new(&urls[0], signing_key(&f.net.gpu_keys[1])).unwrap();
    let honest = CapacityClient::new(&urls[0], signing_key(&f.net.gpu_keys[0])).unwrap();
    assert_eq!(
        honest.prove_hour(cpu.clone(), hour).await.unwrap().outcome,
        "verified"
    );
    let liar_stake = stake(liar_dev).await;
    assert!(liar
        .prove_hour(lying.clone(), hour)
        .await
        .unwrap()
        .outcome
        .starts_with("failed"));
    let fault = sdkc::fetch_fault(
        &chain,
        &lattice_sdk::registry::gpu_node(&liar_dev),
        &FaultSubject::Capacity { hour },
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((fault.votes.count_ones(), fault.executed), (1, false));
    assert_eq!(stake(liar_dev).await, liar_stake, "one vote never slashes");
    // Oracle 1 polls its peer's evidence, re-verifies it and votes: slashed (once).
    let http = reqwest::Client::new();
    let evidence = http
        .get(format!(
            "{}/v1/compute/nodes/{liar_dev}/faults/{hour}",
            urls[0]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(evidence.status(), 200);
    let evidence = evidence.bytes().await.unwrap();
    assert_eq!(
        oracles[1]
            .confirm_peer_faults(&[urls[0].clone()], hour)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        oracles[1]
            .confirm_peer_faults(&[urls[0].clone()], hour)
            .await
            .unwrap(),
        0
    );
    assert!(oracles[1].confirm_capacity_fault(&evidence).await.is_ok());
    let fault = sdkc::fetch_fault(
        &chain,
        &lattice_sdk::registry::gpu_node(&liar_dev),
        &FaultSubject::Capacity { hour },
    )
    .await
    .unwrap()
    .unwrap();
    assert!(fault.executed);
    let slashed = liar_stake - stake(liar_dev).await;
    assert!(slashed > 0);
    assert_eq!(fault.stake_slashed, slashed);
    // No evidence exists against the honest node; tampered evidence is refused.
    let none = http
        .get(format!(
            "{}/v1/compute/nodes/{honest_dev}/faults/{hour}",
            urls[0]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 404);
    let mut forged = evidence.to_vec();
    forged[40] ^= 1;
    assert!(oracles[1].confirm_capacity_fault(&forged).await.is_err());

    // 2. Jobs: one honest and one wrong result; both oracles audit.
    let dapp = f.net.dapp.insecure_clone();
    let mut ids = Vec::new();
    for (i, (kp, backend)) in [
        (&f.net.gpu_keys[0], cpu.clone()),
        (&f.net.gpu_keys[1], lying.clone()),
    ]
    .into_iter()
    .enumerate()
    {
        let spec = JobSpec::Matmul {
            n: 24,
            chain: 1,
            seed: hex::encode([i as u8 + 1; 32]),
        };
        let (_, spec_hash) = spec.encode();
        let args = PostJobArgs {
            kind: JobKind::Matmul,
            spec_hash,
            spec_uri: spec.data_uri(),
            max_duration_secs: 600,
            price_dc_per_sec: 2,
        };
        let market = sdkc::fetch_market(&chain, &f.keys.market(0))
            .await
            .unwrap()
            .unwrap();
        let id = market.next_job_id;
        send(
            &chain,
            &opts,
            &[sdkc::post_job(&dapp.pubkey(), &f.keys, 0, id, args)],
            &dapp,
            &[],
        )
        .await
        .unwrap();
        let (w, _, _) = f.worker("compute-faults-worker", kp, backend).await;
        assert_eq!(w.pass().await.unwrap().submitted, 1);
        ids.push(id);
    }
    let liar_stake = stake(liar_dev).await;
    assert_eq!(oracles[0].audit_jobs().await.unwrap(), (2, 1));
    let bad = sdkc::fetch_job(&chain, &f.keys.market(0), ids[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bad.state, JobState::Submitted, "one vote");
    assert_eq!(oracles[1].audit_jobs().await.unwrap(), (2, 1));
    let bad = sdkc::fetch_job(&chain, &f.keys.market(0), ids[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bad.state, JobState::Faulted);
    assert_eq!(bad.dc_refunded, bad.escrow_dc);
    assert!(stake(liar_dev).await < liar_stake);
    let good = sdkc::fetch_job(&chain, &f.keys.market(0), ids[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        good.state,
        JobState::Submitted,
        "honest results are never voted on"
    );
    // Audits are not repeated.
    assert_eq!(oracles[0].audit_jobs().await.unwrap(), (0, 0));
    stop.cancel();
}
