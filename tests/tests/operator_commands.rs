//! The `lattice dc` and `lattice device` commands end to end on the embedded chain (the CLI
//! runs the same `Operator` code over RPC).

use lattice_migrations::bootstrap;
use lattice_registry::{GpuNode, Hotspot};
use lattice_sdk::{
    accounts::fetch,
    dc::{self, PriceReading},
    embedded::EmbeddedChain,
    registry,
    solana::{Keypair, Pubkey, Signer},
    Chain,
};
use lattice_tests::localnet_config;
use lattice_workers::ops::{hotspot_location, DcAmount, DeviceKind, Operator};

#[tokio::test]
async fn operator_and_dapp_commands() {
    let cfg = localnet_config();
    let chain = EmbeddedChain::start_default().await;
    let now = cfg.localnet.start_unix.unwrap() + 60;
    chain.set_unix_timestamp(now).await.unwrap();
    let wallet = chain.payer().await;
    let main_mint = Keypair::new();
    bootstrap(
        &chain,
        &cfg,
        &cfg.send_options(),
        &wallet,
        &wallet,
        &main_mint,
    )
    .await
    .unwrap();
    let args = cfg.data_credits_args().unwrap();
    let price = Pubkey::new_unique();
    let reading = PriceReading {
        feed_id: args.price_feed_id,
        price: 250_000_000,
        conf: 1_000_000,
        exponent: -8,
        publish_time: now,
        fully_verified: true,
    };
    chain
        .set_account(
            &price,
            dc::price_update_account(&reading, &args.price_owner, 10_000_000),
        )
        .await;
    let op = Operator {
        chain: &chain,
        cfg: &cfg,
        main_mint: main_mint.pubkey(),
        wallet: &wallet,
        opts: cfg.send_options(),
    };
    let dao = lattice_sdk::pda::dao(&main_mint.pubkey());
    let dc_of = |owner: Pubkey| {
        let chain = chain.clone();
        async move {
            let a = chain
                .get_account(&dc::dc_account(&owner, &dao))
                .await
                .unwrap()
                .unwrap();
            lattice_sdk::accounts::token_amount(&a.data[..165]).unwrap()
        }
    };

    // dc mint, both ways, and for someone else.
    op.dc_mint(DcAmount::Main(100_000_000), &wallet.pubkey(), &price)
        .await
        .unwrap();
    assert_eq!(dc_of(wallet.pubkey()).await, 24_900_000);
    op.dc_mint(DcAmount::Dc(1_000), &wallet.pubkey(), &price)
        .await
        .unwrap();
    assert_eq!(dc_of(wallet.pubkey()).await, 24_901_000);
    let dapp = Pubkey::new_unique();
    op.dc_mint(DcAmount::Dc(5), &dapp, &price).await.unwrap();
    assert_eq!(dc_of(dapp).await, 5);

    // dc delegate.
    let router = Pubkey::new_unique();
    op.dc_delegate("coverage", &router, 1_000).await.unwrap();
    let sub = lattice_sdk::pda::sub_dao(&dao, "coverage");
    let escrow = chain
        .get_account(&dc::escrow(&sub, &router))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        lattice_sdk::accounts::token_amount(&escrow.data[..165]).unwrap(),
        1_000
    );

    // device register-hotspot / assert-location / transfer / close.
    let device = Keypair::new();
    let here = hotspot_location(Some((37.7749, -122.4194)), None, 12, 5.0, 12).unwrap();
    op.register_hotspot(&device, here).await.unwrap();
    let there = hotspot_location(Some((37.80, -122.41)), None, 12, 5.0, 12).unwrap();
    op.assert_location(&device.pubkey(), there).await.unwrap();
    let hs: Hotspot = fetch(&chain, &registry::hotspot(&device.pubkey()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((hs.location, hs.location_asserts), (there.location, 2));
    op.close(&device.pubkey(), DeviceKind::Hotspot)
        .await
        .unwrap();
    assert!(chain
        .get_account(&registry::hotspot(&device.pubkey()))
        .await
        .unwrap()
        .is_none());

    // device register-gpu / transfer / unstake (closing waits for the cooldown).
    let gpu = Keypair::new();
    let specs = lattice_registry::GpuSpecs {
        model: registry::model_bytes("RTX 4090"),
        vram_gb: 24,
        gpu_count: 2,
        region: *b"FR",
    };
    op.register_gpu(&gpu, specs).await.unwrap();
    op.unstake(&gpu.pubkey()).await.unwrap();
    let err = op.close(&gpu.pubkey(), DeviceKind::Gpu).await.unwrap_err();
    assert!(format!("{err:#}").contains("CooldownNotOver"), "{err:#}");
    let buyer = Pubkey::new_unique();
    op.transfer(&gpu.pubkey(), DeviceKind::Gpu, &buyer)
        .await
        .unwrap();
    let node: GpuNode = fetch(&chain, &registry::gpu_node(&gpu.pubkey()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(node.owner, buyer);
}
