//! A cranker far behind the clock: bounded bursts, a tripped breaker ends the pass with one
//! failure (no error storm), and it catches up once the breaker's window decays.

use lattice_sdk::{
    accounts::DaoView,
    solana::{Keypair, Signer},
};
use lattice_tests::Network;
use lattice_workers::cranker::Cranker;

#[tokio::test]
async fn catches_up_through_the_breaker() {
    let Network {
        chain,
        cfg,
        payer,
        main_mint,
        ..
    } = Network::start().await;
    let genesis = DaoView::load(&chain, &main_mint.pubkey())
        .await
        .unwrap()
        .dao
        .genesis_hour;

    // 200 hours pass with nobody cranking: ~1.07M tokens owed, the breaker allows 400k a day.
    let mut now_hour = genesis + 200;
    chain
        .set_unix_timestamp(lattice_math::epoch::hour_start(now_hour) + 1)
        .await
        .unwrap();
    let mut cranker = Cranker::new(
        chain.clone(),
        payer,
        main_mint.pubkey(),
        cfg.send_options(),
        48,
    );

    let first = cranker.tick().await.unwrap();
    assert_eq!(first.issued.len(), 48, "bounded burst");
    assert!(first.failed.is_empty());
    assert_eq!(first.lag_hours, 152);

    let second = cranker.tick().await.unwrap();
    assert_eq!(
        second.failed.len(),
        1,
        "the pass stops at the first tripped hour"
    );
    assert!(
        second.failed[0].1.contains("CircuitBreakerTripped"),
        "{:?}",
        second.failed
    );
    assert!(second.issued.len() < 48);

    // Days pass; each day the decayed breaker lets another batch through, until caught up.
    let mut passes = 0;
    loop {
        now_hour += 24;
        chain
            .set_unix_timestamp(lattice_math::epoch::hour_start(now_hour) + 1)
            .await
            .unwrap();
        let mut r = cranker.tick().await.unwrap();
        while !r.issued.is_empty() && r.failed.is_empty() && r.lag_hours > 0 {
            r = cranker.tick().await.unwrap();
        }
        passes += 1;
        if r.lag_hours == 0 {
            break;
        }
        assert!(passes < 20, "catch-up makes progress");
    }
    let dao = DaoView::load(&chain, &main_mint.pubkey())
        .await
        .unwrap()
        .dao;
    assert_eq!(dao.hours_issued, now_hour - genesis);
    // A fresh cranker (no cache) finds nothing to do and sends nothing.
    let idle = Cranker::new(
        chain.clone(),
        Keypair::new(),
        main_mint.pubkey(),
        cfg.send_options(),
        48,
    )
    .tick()
    .await
    .unwrap();
    assert!(idle.issued.is_empty() && idle.failed.is_empty());
    assert_eq!(idle.already_issued.len() as u64, now_hour - genesis);
}
