//! `lattice bootstrap` logic through the in-process transport: from app-config, idempotent,
//! resumable after an interruption.

use lattice_migrations::bootstrap;
use lattice_sdk::{
    accounts::DaoView,
    embedded::EmbeddedChain,
    ix,
    send::send,
    solana::{Keypair, Signer},
};
use lattice_tests::localnet_config;

/// An embedded chain one minute into the configured start, its payer, and a new main mint.
async fn fresh_chain(cfg: &lattice_migrations::LatticeConfig) -> (EmbeddedChain, Keypair, Keypair) {
    let chain = EmbeddedChain::start_default().await;
    chain
        .set_unix_timestamp(cfg.localnet.start_unix.unwrap() + 60)
        .await
        .unwrap();
    let payer = chain.payer().await;
    (chain, payer, Keypair::new())
}

#[tokio::test]
async fn bootstrap_is_idempotent_and_resumable() {
    let mut cfg = localnet_config();
    // The handoff to governance is the last step; first without it.
    cfg.governance.hand_over = false;
    let (chain, payer, main_mint) = fresh_chain(&cfg).await;

    // Interrupted bootstrap: only the DAO was created.
    let init = ix::initialize_dao(
        &payer.pubkey(),
        &payer.pubkey(),
        &main_mint.pubkey(),
        &payer.pubkey(),
        cfg.initialize_args().unwrap(),
    );
    send(&chain, &cfg.send_options(), &[init], &payer, &[&main_mint])
        .await
        .unwrap();

    let first = bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &payer,
        &payer,
        &main_mint,
    )
    .await
    .unwrap();
    assert_eq!(first.sub_daos.len(), 2);
    assert_eq!(first.sub_daos[0].name, "coverage");
    assert_eq!(first.sub_daos[1].name, "compute");
    assert_eq!(first.main_mint, main_mint.pubkey().to_string());

    // Running it again changes nothing and reports the same deployment.
    let again = bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &payer,
        &payer,
        &main_mint,
    )
    .await
    .unwrap();
    assert_eq!(first, again);
    let view = DaoView::load(&chain, &main_mint.pubkey()).await.unwrap();
    assert_eq!(view.sub_daos.len(), 2);

    // Someone else cannot "resume" a DAO they do not control.
    let stranger = Keypair::new();
    let err = bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &payer,
        &stranger,
        &main_mint,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("exists with authority"), "{err}");

    // The last step hands every program to governance; after it bootstrap has nothing left to
    // do, for anyone, and changes nothing.
    cfg.governance.hand_over = true;
    let handed = bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &payer,
        &payer,
        &main_mint,
    )
    .await
    .unwrap();
    let governance = lattice_sdk::governance::governance(&view.address);
    assert_eq!(handed.governance, Some(governance.to_string()));
    let dao: lattice_dao::Dao = lattice_sdk::accounts::fetch(&chain, &view.address)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dao.authority, governance);
    let after = bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &payer,
        &stranger,
        &main_mint,
    )
    .await
    .unwrap();
    assert_eq!(after.governance, handed.governance);
    assert_eq!(after.sub_daos, handed.sub_daos);
}

#[tokio::test]
async fn bootstrap_sets_up_the_gpu_job_market_idempotently() {
    let mut cfg = localnet_config();
    // Resuming with more markets needs the bootstrap key to still hold the compute program.
    cfg.governance.hand_over = false;
    let (chain, payer, main_mint) = fresh_chain(&cfg).await;
    let opts = cfg.send_options();

    // Interrupted: compute initialized without markets, the burn authority not handed over.
    let markets = std::mem::take(&mut cfg.compute.markets);
    cfg.compute.hand_over_burn_authority = false;
    let partial = bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    assert_eq!(partial.compute.as_ref().unwrap().markets, vec![]);
    let dao = lattice_sdk::pda::dao(&main_mint.pubkey());
    let compute_sub_dao = lattice_sdk::pda::sub_dao(&dao, "compute");
    let burn_authority = |chain: EmbeddedChain| async move {
        lattice_sdk::accounts::fetch::<lattice_data_credits::SubDaoDc, _>(
            &chain,
            &lattice_sdk::dc::sub_dao_dc(&compute_sub_dao),
        )
        .await
        .unwrap()
        .unwrap()
        .burn_authority
    };
    assert_eq!(burn_authority(chain.clone()).await, payer.pubkey());

    // Resumed with the full [compute] section.
    cfg.compute.markets = markets;
    cfg.compute.hand_over_burn_authority = true;
    let full = bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    let compute = full.compute.clone().unwrap();
    let config = lattice_sdk::compute::compute_config(&dao);
    assert_eq!(compute.config, config.to_string());
    assert_eq!(burn_authority(chain.clone()).await, config);
    assert_eq!(
        compute.slash_destination,
        lattice_sdk::pda::treasury(&compute_sub_dao).to_string()
    );
    let names: Vec<(u8, &str)> = compute
        .markets
        .iter()
        .map(|m| (m.class_id, m.name.as_str()))
        .collect();
    assert_eq!(names, vec![(0, "consumer"), (1, "datacenter")]);
    for m in &compute.markets {
        let market: lattice_sdk::lattice_compute::Market =
            lattice_sdk::accounts::fetch(&chain, &m.market.parse().unwrap())
                .await
                .unwrap()
                .unwrap();
        assert_eq!(market.class_id, m.class_id);
    }
    let on_chain = lattice_sdk::compute::fetch_config(&chain, &dao)
        .await
        .unwrap()
        .unwrap();
    assert!(
        on_chain.oracles.is_empty(),
        "one bootstrap key may not slash"
    );
    assert_eq!(on_chain.fault_slash_bps, cfg.compute.fault_slash_bps);

    // Again: nothing changes.
    let again = bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    assert_eq!(full, again);

    // The deployment record names the compute accounts.
    let json = serde_json::to_value(&full).unwrap();
    assert_eq!(json["compute"]["markets"][1]["name"], "datacenter");
}

#[tokio::test]
async fn bootstrap_without_compute_leaves_it_out() {
    let mut cfg = localnet_config();
    cfg.compute.enabled = false;
    let (chain, payer, main_mint) = fresh_chain(&cfg).await;
    let d = bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &payer,
        &payer,
        &main_mint,
    )
    .await
    .unwrap();
    assert!(d.compute.is_none());
    let dao = lattice_sdk::pda::dao(&main_mint.pubkey());
    assert!(lattice_sdk::compute::fetch_config(&chain, &dao)
        .await
        .unwrap()
        .is_none());
}
