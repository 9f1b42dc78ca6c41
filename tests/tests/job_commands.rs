//! `lattice job post|status|cancel|finalize` on the embedded chain (the CLI runs the same
//! `Operator` code over RPC): a cancelled job refunds everything, an abandoned claim is timed
//! out after its deadline and slashed, and each command refuses what it cannot do.

use lattice_sdk::{
    compute as sdkc,
    lattice_compute::state::JobState,
    send::send,
    solana::{Keypair, Signer},
    Chain,
};
use lattice_tests::Network;
use lattice_workers::compute::spec::JobSpec;
use lattice_workers::ops::{DcAmount, Operator};

#[tokio::test]
async fn job_commands() {
    let net = Network::start().await;
    let chain = net.chain.clone();
    let cfg = &net.cfg;
    let op = Operator {
        chain: &chain,
        cfg,
        main_mint: net.main_mint.pubkey(),
        wallet: &net.payer,
        opts: cfg.send_options(),
    };
    op.dc_mint(DcAmount::Dc(1_000_000), &net.payer.pubkey(), &net.price)
        .await
        .unwrap();
    let dao = lattice_sdk::pda::dao(&net.main_mint.pubkey());
    let dc_account = lattice_sdk::dc::dc_account(&net.payer.pubkey(), &dao);
    let dc = || {
        let chain = chain.clone();
        async move {
            let a = chain.get_account(&dc_account).await.unwrap().unwrap();
            lattice_sdk::accounts::token_amount(&a.data).unwrap()
        }
    };
    let before = dc().await;
    let spec = JobSpec::Matmul {
        n: 16,
        chain: 1,
        seed: "01".repeat(32),
    };

    // Post, inspect, cancel: the escrow comes back in full.
    let (id, job_key) = op.job_post(0, &spec, None, 600, 2).await.unwrap();
    assert_eq!(id, 0);
    assert_eq!(
        job_key,
        sdkc::job(&sdkc::market(&sdkc::compute_config(&dao), 0), 0)
    );
    let job = op.job_status(0, id).await.unwrap().unwrap();
    assert_eq!((job.state, job.escrow_dc), (JobState::Queued, 1_200));
    assert_eq!(dc().await, before - 1_200);
    assert!(op
        .job_finalize(0, id)
        .await
        .unwrap_err()
        .to_string()
        .contains("nothing to finalize"));
    op.job_cancel(0, id).await.unwrap();
    assert_eq!(
        op.job_status(0, id).await.unwrap().unwrap().state,
        JobState::Cancelled
    );
    assert_eq!(dc().await, before);
    assert!(op.job_cancel(0, id).await.is_err(), "cancelled twice");
    assert!(op.job_status(0, 99).await.unwrap().is_none());

    // Refusals: a price under the floor, a URI that does not serve the spec, an unknown market.
    assert!(op.job_post(0, &spec, None, 600, 0).await.is_err());
    let other = JobSpec::Matmul {
        n: 17,
        chain: 1,
        seed: "01".repeat(32),
    };
    let err = op
        .job_post(0, &spec, Some(other.data_uri()), 600, 2)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("canonical bytes"), "{err}");
    assert!(op
        .job_post(9, &spec, None, 600, 2)
        .await
        .unwrap_err()
        .to_string()
        .contains("no market"));

    // A GPU node claims a job and abandons it: finalize before the deadline is refused, after
    // it the job times out, the poster is refunded and the node slashed.
    let gpu = Keypair::new();
    let specs = lattice_registry::GpuSpecs {
        model: lattice_sdk::registry::model_bytes("RTX 4090"),
        vram_gb: 24,
        gpu_count: 1,
        region: *b"US",
    };
    op.register_gpu(&gpu, specs).await.unwrap();
    // (Registration spent the onboarding fee in DC.)
    op.dc_mint(DcAmount::Dc(10_000), &net.payer.pubkey(), &net.price)
        .await
        .unwrap();
    let before = dc().await;
    let (id, _) = op.job_post(0, &spec, None, 600, 2).await.unwrap();
    let keys = sdkc::ComputeKeys::load(&chain, &dao).await.unwrap();
    send(
        &chain,
        &cfg.send_options(),
        &[sdkc::claim_job(&gpu.pubkey(), &keys, 0, id)],
        &net.payer,
        &[&gpu],
    )
    .await
    .unwrap();
    assert!(op.job_finalize(0, id).await.is_err(), "before the deadline");
    let job = op.job_status(0, id).await.unwrap().unwrap();
    chain.set_unix_timestamp(job.deadline + 1).await.unwrap();
    op.job_finalize(0, id).await.unwrap();
    let job = op.job_status(0, id).await.unwrap().unwrap();
    assert_eq!(job.state, JobState::TimedOut);
    assert_eq!(job.dc_refunded, job.escrow_dc);
    assert!(job.stake_slashed > 0);
    assert_eq!(dc().await, before);
}
