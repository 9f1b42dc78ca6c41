//! A node worker auto-claiming its device's rewards (`lattice node run`, a real process, talking
//! to the chain through the standard JSON-RPC transport) is killed with SIGKILL at random points
//! 50 times while new roots keep finalizing. It never claims twice and never loses a claim: at
//! the end the device has been paid exactly its final cumulative amount, once.

mod common;

use lattice_sdk::solana::Signer;
use lattice_workers::rewards::{RewardIndex, RewardTree};
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};
use std::time::Duration;

const KILLS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkilled_auto_claimer_never_double_claims_or_loses() {
    let config = common::localnet_config_path();
    let hours = 40u64;
    let f = common::rewards_fixture(1, hours).await;
    let (chain, payer, net, genesis, coverage) = (
        f.chain.clone(),
        f.payer.insecure_clone(),
        &f.net,
        f.genesis,
        f.coverage,
    );
    let opts = f.cfg.send_options();
    let main_mint = f.main_mint.insecure_clone();
    let sd = f.sub_dao.clone();
    let device = net.hotspot_keys[0].pubkey();
    let now = lattice_math::epoch::hour_start(genesis + hours) + 1;
    let per_hour = sd.tokens_emitted / hours / 2;

    // The chain over JSON-RPC for the worker process; an oracle serving the latest tree's proofs.
    let stop = tokio_util::sync::CancellationToken::new();
    let rpc_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let rpc_url = format!("http://{}", rpc_listener.local_addr().unwrap());
    tokio::spawn(lattice_workers::localnet::rpc::serve(
        chain.clone(),
        rpc_listener,
        stop.clone(),
    ));
    let dir = common::temp_dir("rewards-sigkill");
    let (oracle, _clock, odir) = common::oracle(
        &format!("sqlite://{}", dir.join("oracle.db").display()),
        now * 1_000,
    )
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let oracle_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(lattice_workers::oracle::serve(
        oracle.clone(),
        listener,
        stop.clone(),
    ));

    // New roots keep finalizing while the worker is killed: epoch e pays (e + 1) × per_hour.
    let final_cumulative = Arc::new(AtomicU64::new(0));
    let poster = {
        let (chain, opts, payer, oracle, fc) = (
            chain.clone(),
            opts.clone(),
            payer.insecure_clone(),
            oracle.clone(),
            final_cumulative.clone(),
        );
        tokio::spawn(async move {
            let mut index = RewardIndex::default();
            for h in 0..hours {
                index
                    .apply_hour(
                        genesis + h,
                        &[(device.to_bytes(), 1_000_000_000_000)],
                        per_hour,
                    )
                    .unwrap();
                let tree = RewardTree::build(&index);
                let ix = lattice_sdk::rewards::post_root(
                    &payer.pubkey(),
                    &coverage,
                    genesis + h,
                    tree.root(),
                    tree.total,
                );
                lattice_sdk::send::send(&chain, &opts, &[ix], &payer, &[])
                    .await
                    .unwrap();
                oracle.rewards.lock().await.tree = Some(Arc::new(tree));
                fc.store(index.cumulative(&device.to_bytes()), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };

    let device_path = dir.join("device.json");
    let owner_path = dir.join("owner.json");
    common::write_keypair(&device_path, &net.hotspot_keys[0]);
    common::write_keypair(&owner_path, &payer);
    let env: Vec<(String, String)> = [
        ("LATTICE__NODE__KEYPAIR", device_path.display().to_string()),
        ("LATTICE__NODE__ORACLE_URL", oracle_url.clone()),
        ("LATTICE__NODE__GATEWAY_LISTEN", "127.0.0.1:0".to_owned()),
        (
            "LATTICE__NODE__OUTBOX_PATH",
            dir.join("outbox.db").display().to_string(),
        ),
        ("LATTICE__NODE__BEACONS_PER_HOUR", "0".to_owned()),
        ("LATTICE__NODE__RPC_URL", rpc_url.clone()),
        ("LATTICE__NODE__MAIN_MINT", main_mint.pubkey().to_string()),
        (
            "LATTICE__NODE__OWNER_KEYPAIR",
            owner_path.display().to_string(),
        ),
        ("LATTICE__NODE__CLAIM_INTERVAL", "30ms".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();

    let mut seed: u64 = 0xA076_1D64_78BD_642F;
    let mut child = common::spawn_node(&env, &config);
    for _ in 0..KILLS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(40 + seed % 260)).await;
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        child = common::spawn_node(&env, &config);
    }
    poster.await.unwrap();
    let expected = final_cumulative.load(Ordering::SeqCst);
    let mut claimed = 0;
    for _ in 0..400 {
        claimed = lattice_sdk::rewards::claimed(&chain, &coverage, &device)
            .await
            .unwrap();
        if claimed >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    stop.cancel();
    let ata = lattice_sdk::pda::associated_token(&payer.pubkey(), &sd.mint);
    let balance = lattice_sdk::accounts::token_amount(
        &lattice_sdk::Chain::get_account(&chain, &ata)
            .await
            .unwrap()
            .unwrap()
            .data,
    )
    .unwrap();
    eprintln!("{KILLS} SIGKILLs of the auto-claiming worker: claimed {claimed} of {expected}, owner balance {balance}");
    assert!(expected > 0);
    assert_eq!(claimed, expected, "every finalized reward claimed");
    assert_eq!(balance, expected, "paid exactly once");
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(odir);
}
