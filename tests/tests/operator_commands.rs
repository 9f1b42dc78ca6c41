//! The `lattice dc` and `lattice device` commands end to end on the embedded chain (the CLI
//! runs the same `Operator` code over RPC).

use lattice_registry::{GpuNode, Hotspot};
use lattice_sdk::{
    accounts::fetch,
    dc, registry,
    solana::{Keypair, Pubkey, Signer},
    Chain,
};
use lattice_tests::Network;
use lattice_workers::ops::{hotspot_location, DcAmount, DeviceKind, Operator};

#[tokio::test]
async fn operator_and_dapp_commands() {
    let net = Network::start().await;
    let chain = net.chain.clone();
    let (cfg, wallet, main_mint, price) = (&net.cfg, &net.payer, &net.main_mint, net.price);
    let op = Operator {
        chain: &chain,
        cfg,
        main_mint: main_mint.pubkey(),
        wallet,
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
