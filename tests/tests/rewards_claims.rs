//! Claims end to end on the embedded chain: a real issued hour, an oracle tree over registered
//! hotspots posted as the final root, then an owner's auto-claim aborted at random points 50
//! times (the in-process stand-in for SIGKILL: the future is dropped wherever it is, including
//! between building and confirming a transaction). Nothing is paid twice and nothing is lost.

use lattice_migrations::bootstrap;
use lattice_sdk::{
    accounts::DaoView,
    embedded::EmbeddedChain,
    solana::{Keypair, Signer},
};
use lattice_tests::localnet_config;
use lattice_workers::{
    cranker::Cranker,
    localnet::network::Network,
    rewards::{claims, RewardIndex, RewardTree},
};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aborted_auto_claims_never_double_claim_or_lose() {
    let cfg = localnet_config();
    let opts = cfg.send_options();
    let chain = EmbeddedChain::start_default().await;
    let start = cfg.localnet.start_unix.unwrap() + 60;
    chain.set_unix_timestamp(start).await.unwrap();
    let payer = chain.payer().await;
    let main_mint = Keypair::new();
    bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    let net = Network::setup(
        chain.clone(),
        &cfg,
        payer.insecure_clone(),
        main_mint.pubkey(),
        8,
        0,
        &[],
    )
    .await
    .unwrap();
    let view = DaoView::load(&chain, &main_mint.pubkey()).await.unwrap();
    let genesis = view.first_issuable_hour();
    let now = lattice_math::epoch::hour_start(genesis + 1) + 1;
    chain.set_unix_timestamp(now).await.unwrap();
    net.post_price(now).await;
    let mut cranker = Cranker::new(
        chain.clone(),
        payer.insecure_clone(),
        main_mint.pubkey(),
        opts.clone(),
        4,
    );
    cranker.tick().await.unwrap();

    // The oracle's tree for the issued hour: the eight hotspots share it unevenly.
    let (coverage, sd) = view.sub_dao("coverage").cloned().unwrap();
    let tokens = lattice_sdk::accounts::fetch::<lattice_dao::DaoEpoch, _>(
        &chain,
        &lattice_sdk::pda::dao_epoch(&view.address, genesis),
    )
    .await
    .unwrap()
    .unwrap()
    .parts
    .iter()
    .find(|p| p.sub_dao == coverage)
    .unwrap()
    .tokens_emitted;
    let shares: Vec<([u8; 32], u64)> = net
        .hotspots
        .iter()
        .enumerate()
        .map(|(i, d)| (d.to_bytes(), 50_000_000_000 + i as u64 * 10_000_000_000))
        .collect();
    let mut index = RewardIndex::default();
    index.apply_hour(genesis, &shares, tokens).unwrap();
    let tree = RewardTree::build(&index);
    // Bootstrap made the DAO authority the sub-DAO's only oracle (k = 1).
    let post = lattice_sdk::rewards::post_root(
        &payer.pubkey(),
        &coverage,
        genesis,
        tree.root(),
        tree.total,
    );
    lattice_sdk::send::send(&chain, &opts, &[post], &payer, &[])
        .await
        .unwrap();

    let config: lattice_rewards::RewardsConfig =
        lattice_sdk::accounts::fetch(&chain, &lattice_sdk::rewards::rewards_config(&coverage))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        (config.final_epoch, config.final_total),
        (genesis, tree.total)
    );
    let keys = lattice_sdk::rewards::RewardsKeys::from_config(&config);
    assert_eq!(keys.rewards_mint, sd.mint);
    let owner = payer.pubkey();

    // 50 auto-claim rounds, each cut off at a random point.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut cut = 0;
    for _ in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let budget = Duration::from_micros(seed % 12_000);
        let round = claims::claim_all(
            &chain,
            &opts,
            &payer,
            &owner,
            &keys,
            &tree,
            &net.hotspots,
            1,
        );
        // A finished round may also have failed (an earlier, cut-off round's claim landed
        // first); only the final state matters.
        if tokio::time::timeout(budget, round).await.is_err() {
            cut += 1;
        }
    }
    // Then one round runs to the end.
    claims::claim_all(
        &chain,
        &opts,
        &payer,
        &owner,
        &keys,
        &tree,
        &net.hotspots,
        1,
    )
    .await
    .unwrap();
    assert!(
        cut >= 5,
        "too few rounds were cut off to mean anything: {cut}"
    );

    // Every device was paid exactly its cumulative amount, once.
    let mut paid = 0;
    for d in &net.hotspots {
        let claimed = lattice_sdk::rewards::claimed(&chain, &coverage, d)
            .await
            .unwrap();
        assert_eq!(claimed, index.cumulative(&d.to_bytes()), "{d}");
        paid += claimed;
    }
    let ata = keys.destination(&owner);
    let balance = lattice_sdk::accounts::token_amount(
        &lattice_sdk::Chain::get_account(&chain, &ata)
            .await
            .unwrap()
            .unwrap()
            .data,
    )
    .unwrap();
    assert_eq!((paid, balance), (tree.total, tree.total));
    let s = claims::status(&chain, &keys, &tree, &net.hotspots[0])
        .await
        .unwrap();
    assert_eq!(s.claimable, 0);
    // A further round claims nothing.
    let again = claims::claim_all(
        &chain,
        &opts,
        &payer,
        &owner,
        &keys,
        &tree,
        &net.hotspots,
        1,
    )
    .await
    .unwrap();
    assert_eq!(again.claims, 0);
    eprintln!("50 auto-claim rounds, {cut} cut off mid-way: {paid} paid across 8 devices, exactly the tree's total");
}
