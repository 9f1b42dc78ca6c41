//! Cross-program: DC burned for usage in hour h (data-credits program → DAO `track_dc_burn`)
//! and active devices (registry → DAO `update_active_devices`) change hour h's emission split
//! exactly as `lattice_math::utility` says.

use lattice_dao::{Dao, DaoEpoch};
use lattice_math::{
    emission::emission_for_hour,
    epoch::{hour_of, hour_start},
    utility::{split_delegators, split_exact, utility_scores, UtilityInputs},
};
use lattice_sdk::{
    accounts::{fetch, DaoView},
    dc, registry,
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer},
};
use lattice_tests::Network;
use lattice_workers::cranker::Cranker;

#[tokio::test]
async fn dc_burns_and_devices_move_the_split_exactly() {
    let net = Network::start_without_handoff().await;
    let chain = net.chain.clone();
    let (cfg, payer, main_mint, price) = (&net.cfg, &net.payer, &net.main_mint, net.price);
    let opts = SendOptions {
        max_attempts: 1,
        ..Default::default()
    };
    let now = net.now;
    let view = DaoView::load(&chain, &main_mint.pubkey()).await.unwrap();
    let dao = view.address;
    let (coverage, compute) = (view.sub_daos[0].0, view.sub_daos[1].0);
    let hour = hour_of(now);
    let me = payer.pubkey();
    send(
        &chain,
        &opts,
        &[dc::create_dc_account(&me, &me, &dao)],
        payer,
        &[],
    )
    .await
    .unwrap();
    let mint = dc::mint_dc(
        &me,
        &main_mint.pubkey(),
        &me,
        &price,
        lattice_data_credits::MintDcArgs {
            main_amount: Some(100_000_000),
            dc_amount: None,
        },
        hour,
    );
    send(&chain, &opts, &[mint], payer, &[]).await.unwrap();
    let router = Pubkey::new_unique();
    for sub in [coverage, compute] {
        let ix = dc::delegate_dc(&me, &dao, &sub, &router, 1_000_000);
        send(&chain, &opts, &[ix], payer, &[]).await.unwrap();
    }
    // Usage in hour h: coverage 300,000 DC, compute 100,000 DC. The payer is coverage's burn
    // authority in localnet.toml; bootstrap handed compute's to the compute program, so the DAO
    // authority (the payer) takes it back to meter usage directly here.
    let take_back = dc::set_burn_authority(&me, &dao, &compute, &me);
    send(&chain, &opts, &[take_back], payer, &[]).await.unwrap();
    for (sub, amount) in [(coverage, 300_000u64), (compute, 100_000)] {
        let ix = dc::burn_delegated_dc(&me, &dao, &sub, &router, hour, amount);
        send(&chain, &opts, &[ix], payer, &[]).await.unwrap();
    }
    // Devices: 3 hotspots, 1 GPU node. (Onboarding fees are fees, not usage: D is unchanged.)
    let keys = lattice_migrations::bootstrap::registry_keys(cfg, &main_mint.pubkey());
    for i in 0..3 {
        let device = Keypair::new();
        let loc = lattice_registry::HotspotLocation {
            location: u64::from(
                h3o::LatLng::new(48.85 + f64::from(i) * 0.01, 2.35)
                    .unwrap()
                    .to_cell(h3o::Resolution::Twelve),
            ),
            gain_dbi_x10: 40,
            elevation_m: 5,
        };
        let ix = registry::register_hotspot(&me, &device.pubkey(), &keys, hour, loc);
        send(&chain, &opts, &[ix], payer, &[&device]).await.unwrap();
    }
    let gpu = Keypair::new();
    let specs = lattice_registry::GpuSpecs {
        model: registry::model_bytes("H100"),
        vram_gb: 80,
        gpu_count: 1,
        region: *b"US",
    };
    let ix = registry::register_gpu_node(&me, &gpu.pubkey(), &keys, hour, specs);
    send(&chain, &opts, &[ix], payer, &[&gpu]).await.unwrap();

    // Issue hour h.
    chain
        .set_unix_timestamp(hour_start(hour + 1) + 1)
        .await
        .unwrap();
    let mut cranker = Cranker::new(
        chain.clone(),
        payer.insecure_clone(),
        main_mint.pubkey(),
        cfg.send_options(),
        8,
    );
    assert_eq!(cranker.tick().await.unwrap().issued, vec![hour]);

    // Expected, from the pure functions.
    let dao_acct: Dao = fetch(&chain, &dao).await.unwrap().unwrap();
    let inputs = [
        UtilityInputs {
            ve_delegated: 0,
            dc_burned: 300_000,
            active_devices: 3,
        },
        UtilityInputs {
            ve_delegated: 0,
            dc_burned: 100_000,
            active_devices: 1,
        },
    ];
    let scores = utility_scores(&dao_acct.utility_weights.into(), &inputs);
    let emission = emission_for_hour(&dao_acct.emission.into(), hour - dao_acct.genesis_hour);
    let parts = split_exact(emission, &scores);
    // Both inputs say 3:1, so the split is 75% / 25% (scores floor per weighted term).
    assert_eq!(scores[0], 750_000_000_000);
    assert!(scores[1].abs_diff(250_000_000_000) <= 1);

    let epoch: DaoEpoch = fetch(&chain, &lattice_sdk::pda::dao_epoch(&dao, hour))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(epoch.main_emitted, emission);
    for ((p, part), score) in epoch.parts.iter().zip(&parts).zip(&scores) {
        assert_eq!(p.utility_score, *score);
        let (to_delegators, to_treasury) = split_delegators(*part, dao_acct.delegator_bps);
        assert_eq!(
            (p.main_to_delegators, p.main_to_treasury),
            (to_delegators, to_treasury)
        );
    }
    // The next hour has no burns: only devices count (3:1 again, by devices alone).
    chain
        .set_unix_timestamp(hour_start(hour + 2) + 1)
        .await
        .unwrap();
    cranker.tick().await.unwrap();
    let next: DaoEpoch = fetch(&chain, &lattice_sdk::pda::dao_epoch(&dao, hour + 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.parts[0].utility_score, 750_000_000_000);
}
