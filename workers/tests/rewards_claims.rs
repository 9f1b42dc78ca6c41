//! Claims end to end on the embedded chain: a real issued hour, an oracle tree over registered
//! hotspots posted as the final root, then an owner's auto-claim aborted at random points 50
//! times (the future is dropped wherever it is, including between building and confirming a
//! transaction). Nothing is paid twice and nothing is lost. The process-level variant (SIGKILL of
//! `lattice node run` auto-claiming over JSON-RPC) is `rewards_sigkill.rs`.

mod common;

use lattice_sdk::solana::Signer;
use lattice_workers::rewards::{claims, RewardIndex, RewardTree};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aborted_auto_claims_never_double_claim_or_lose() {
    let f = common::rewards_fixture(8, 1).await;
    let (chain, payer, net, genesis, coverage) =
        (&f.chain, &f.payer, &f.net, f.genesis, f.coverage);
    let opts = f.cfg.send_options();
    let sd = &f.sub_dao;
    // The oracle's tree for the issued hour: the eight hotspots share it unevenly.
    let tokens = sd.tokens_emitted;
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
    lattice_sdk::send::send(chain, &opts, &[post], payer, &[])
        .await
        .unwrap();

    let config: lattice_rewards::RewardsConfig =
        lattice_sdk::accounts::fetch(chain, &lattice_sdk::rewards::rewards_config(&coverage))
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
        let round = claims::claim_all(chain, &opts, payer, &owner, &keys, &tree, &net.hotspots, 1);
        // A finished round may also have failed (an earlier, cut-off round's claim landed
        // first); only the final state matters.
        if tokio::time::timeout(budget, round).await.is_err() {
            cut += 1;
        }
    }
    // Then one round runs to the end.
    claims::claim_all(chain, &opts, payer, &owner, &keys, &tree, &net.hotspots, 1)
        .await
        .unwrap();
    assert!(
        cut >= 5,
        "too few rounds were cut off to mean anything: {cut}"
    );

    // Every device was paid exactly its cumulative amount, once.
    let mut paid = 0;
    for d in &net.hotspots {
        let claimed = lattice_sdk::rewards::claimed(chain, &coverage, d)
            .await
            .unwrap();
        assert_eq!(claimed, index.cumulative(&d.to_bytes()), "{d}");
        paid += claimed;
    }
    let ata = keys.destination(&owner);
    let balance = lattice_sdk::accounts::token_amount(
        &lattice_sdk::Chain::get_account(chain, &ata)
            .await
            .unwrap()
            .unwrap()
            .data,
    )
    .unwrap();
    assert_eq!((paid, balance), (tree.total, tree.total));
    let s = claims::status(chain, &keys, &tree, &net.hotspots[0])
        .await
        .unwrap();
    assert_eq!(s.claimable, 0);
    // A further round claims nothing.
    let again = claims::claim_all(chain, &opts, payer, &owner, &keys, &tree, &net.hotspots, 1)
        .await
        .unwrap();
    assert_eq!(again.claims, 0);
    eprintln!("50 auto-claim rounds, {cut} cut off mid-way: {paid} paid across 8 devices, exactly the tree's total");
}
