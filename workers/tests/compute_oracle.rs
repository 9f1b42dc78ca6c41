//! The compute oracle over HTTP against the real programs: hourly capacity challenges (honest
//! node verified and scored, lying node failed, strangers refused, roots cannot be swapped),
//! heartbeats, and an hour's compute shares combining capacity with the DC a finalized job
//! burned (the work units in the node's on-chain hour record).

mod common;

use lattice_compute_core::Challenge;
use lattice_sdk::compute as sdkc;
use lattice_sdk::lattice_compute::{state::JobKind, PostJobArgs};
use lattice_sdk::send::send;
use lattice_sdk::solana::Signer as _;
use lattice_workers::compute::capacity::{CapacityClient, CapacityMsg};
use lattice_workers::compute::{spec::JobSpec, Backend, CpuBackend};
use lattice_workers::node::signing_key;
use lattice_workers::oracle::Clock;
use std::sync::Arc;

#[tokio::test]
async fn capacity_challenges_heartbeats_and_hour_shares() {
    let f = common::compute_fixture(2).await;
    let chain = f.chain.clone();
    let opts = f.cfg.send_options();
    let clock = Clock::manual(f.start * 1_000);
    let stop = tokio_util::sync::CancellationToken::new();
    let (oracle, url) = f
        .serve_oracle("compute-oracle", f.payer.insecure_clone(), &clock, &stop)
        .await;

    let set_time = |secs: i64| {
        let chain = chain.clone();
        let clock = clock.clone();
        async move {
            chain.set_unix_timestamp(secs).await.unwrap();
            clock.set_ms(secs * 1_000);
        }
    };
    let hour = lattice_math::epoch::hour_of(f.start);
    let cpu: Arc<dyn Backend> = Arc::new(CpuBackend::new(1).unwrap());
    let honest = CapacityClient::new(&url, signing_key(&f.net.gpu_keys[0])).unwrap();
    let liar = CapacityClient::new(&url, signing_key(&f.net.gpu_keys[1])).unwrap();

    // Heartbeats in three five-minute slots for the honest node, one for the liar.
    for k in 0..3 {
        set_time(f.start + k * 300).await;
        honest.heartbeat(f.start + k * 300).await.unwrap();
    }
    liar.heartbeat(f.start + 600).await.unwrap();
    // A heartbeat with a far-off clock is refused.
    assert!(honest
        .heartbeat(f.start + 10_000)
        .await
        .unwrap_err()
        .to_string()
        .contains("409"));

    // The honest node is verified and scored; the lying one fails.
    let scored = honest.prove_hour(cpu.clone(), hour).await.unwrap();
    assert_eq!(scored.outcome, "verified");
    assert!(scored.score > 0);
    let lied = liar
        .prove_hour(Arc::new(common::Lying(CpuBackend::new(1).unwrap())), hour)
        .await
        .unwrap();
    assert!(lied.outcome.starts_with("failed"), "{lied:?}");
    assert_eq!(lied.score, 0);
    // Asking again returns the same verdict; a second challenge of the hour is the same one.
    let again = honest.prove_hour(cpu.clone(), hour).await;
    assert!(again.is_ok(), "{again:?}");

    // A key that is not a registered GPU node is refused; a past hour is refused.
    let stranger =
        CapacityClient::new(&url, ed25519_dalek::SigningKey::from_bytes(&[42; 32])).unwrap();
    assert!(stranger
        .prove_hour(cpu.clone(), hour)
        .await
        .unwrap_err()
        .to_string()
        .contains("403"));
    assert!(honest
        .prove_hour(cpu.clone(), hour - 1)
        .await
        .unwrap_err()
        .to_string()
        .contains("409"));
    // Swapping the committed root after seeing the seed is refused.
    let http = reqwest::Client::new();
    let node = honest.node();
    let swap = CapacityMsg::Commit {
        node,
        hour,
        root: [1; 32],
    }
    .sign(&signing_key(&f.net.gpu_keys[0]));
    let resp = http
        .post(format!("{url}/v1/compute/commit"))
        .body(swap)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    // A forged message (signature of another key) is refused.
    let mut forged = CapacityMsg::Start { node, hour }.sign(&signing_key(&f.net.gpu_keys[1]));
    let resp = http
        .post(format!("{url}/v1/compute/start"))
        .body(forged.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    forged.truncate(10);
    let resp = http
        .post(format!("{url}/v1/compute/start"))
        .body(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);

    // A job in the same hour: posted, run by the honest node, finalized at the end of the hour.
    let dapp = f.net.dapp.insecure_clone();
    let spec = JobSpec::Matmul {
        n: 32,
        chain: 1,
        seed: hex::encode([3u8; 32]),
    };
    let (_, spec_hash) = spec.encode();
    let args = PostJobArgs {
        kind: JobKind::Matmul,
        spec_hash,
        spec_uri: spec.data_uri(),
        max_duration_secs: 600,
        price_dc_per_sec: 3,
    };
    set_time(f.start + 1_000).await;
    send(
        &chain,
        &opts,
        &[sdkc::post_job(&dapp.pubkey(), &f.keys, 0, 0, args)],
        &dapp,
        &[],
    )
    .await
    .unwrap();
    let (w, _, _) = f
        .worker("compute-oracle-worker", &f.net.gpu_keys[0], cpu.clone())
        .await;
    set_time(f.start + 1_010).await;
    assert_eq!(w.pass().await.unwrap().submitted, 1);
    let job = sdkc::fetch_job(&chain, &f.keys.market(0), 0)
        .await
        .unwrap()
        .unwrap();
    let end = lattice_math::epoch::hour_start(hour + 1) - 1;
    assert!(
        job.submitted_at + 300 <= end,
        "the window closes inside the hour"
    );
    set_time(end).await;
    send(
        &chain,
        &opts,
        &[sdkc::finalize_job(&f.payer.pubkey(), &f.keys, &job, hour)],
        &f.payer,
        &[],
    )
    .await
    .unwrap();
    let job = sdkc::fetch_job(&chain, &f.keys.market(0), 0)
        .await
        .unwrap()
        .unwrap();

    // Settle the hour: capacity (score × weight × uptime) and work (the job's DC).
    set_time(end + 2).await;
    assert_eq!(oracle.settle_compute_due(hour).await.unwrap(), vec![hour]);
    let shares: Vec<serde_json::Value> = http
        .get(format!("{url}/v1/compute/hours/{hour}/shares"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let honest_key = f.net.gpus[0].to_string();
    let liar_key = f.net.gpus[1].to_string();
    let row = |k: &str| shares.iter().find(|r| r["node"] == k).cloned().unwrap();
    let h = row(&honest_key);
    assert_eq!(h["dc_burned"], job.dc_burned);
    assert_eq!(h["uptime_slots"], 3);
    assert_eq!(h["score"], scored.score);
    assert!(h["weight_bps"].as_u64().unwrap() > 0);
    // The honest node has all the capacity and all the work: the whole hour.
    assert_eq!(h["share"], 1_000_000_000_000u64);
    let l = row(&liar_key);
    assert_eq!(
        (l["score"].as_u64(), l["share"].as_u64()),
        (Some(0), Some(0))
    );
    // The challenge record is public.
    let c: serde_json::Value = http
        .get(format!(
            "{url}/v1/compute/nodes/{honest_key}/challenges/{hour}"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(c["outcome"], "verified");
    assert!(c.get("seed").is_none());
    let _ = Challenge::new(node, [0; 32], 64, 1).unwrap();
    stop.cancel();
}
