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

#[tokio::test]
async fn bootstrap_is_idempotent_and_resumable() {
    let cfg = localnet_config();
    let chain = EmbeddedChain::start_default().await;
    chain
        .set_unix_timestamp(cfg.localnet.start_unix.unwrap() + 60)
        .await
        .unwrap();
    let payer = chain.payer().await;
    let main_mint = Keypair::new();

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
}
