//! A hotspot worker (`lattice node run`, a real process) killed with SIGKILL at random points
//! 50 times, while its concentrator keeps sending uplinks, loses no report and duplicates none:
//! every uplink the forwarder saw acknowledged ends up stored by the oracle exactly once.

mod common;

use common::*;
use lattice_sdk::solana::{Keypair, Signer as _};
use lattice_workers::localnet::radio::Concentrator;
use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

const KILLS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkilled_worker_loses_and_duplicates_nothing() {
    let now_ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let dir = temp_dir("sigkill");
    let db = format!("sqlite://{}", dir.join("oracle.db").display());
    let (o, _clock, odir) = oracle(&db, now_ms).await;
    let device = Keypair::new();
    let key = lattice_workers::node::signing_key(&device);
    register(&o, &key);
    assert_eq!(key.verifying_key().to_bytes(), device.pubkey().to_bytes());
    let keypair_path = dir.join("device.json");
    common::write_keypair(&keypair_path, &device);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::spawn(lattice_workers::oracle::serve(
        o.clone(),
        listener,
        stop.clone(),
    ));

    let gw_port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let gw_addr: std::net::SocketAddr = format!("127.0.0.1:{gw_port}").parse().unwrap();
    let env = vec![
        (
            "LATTICE__NODE__KEYPAIR".to_owned(),
            keypair_path.display().to_string(),
        ),
        ("LATTICE__NODE__ORACLE_URL".to_owned(), url.clone()),
        (
            "LATTICE__NODE__GATEWAY_LISTEN".to_owned(),
            gw_addr.to_string(),
        ),
        (
            "LATTICE__NODE__OUTBOX_PATH".to_owned(),
            dir.join("outbox.db").display().to_string(),
        ),
        (
            "LATTICE__NODE__UPLOAD_INTERVAL".to_owned(),
            "20ms".to_owned(),
        ),
        ("LATTICE__NODE__UPLOAD_BATCH".to_owned(), "25".to_owned()),
        ("LATTICE__NODE__BEACONS_PER_HOUR".to_owned(), "0".to_owned()),
    ];
    let config = common::localnet_config_path();

    // The concentrator: sends uplinks one PUSH_DATA at a time, each resent until acknowledged.
    let air = Arc::new(Mutex::new(Vec::new()));
    let conc = Concentrator::start(0, gw_addr, air, 0).await.unwrap();
    let sending = Arc::new(AtomicBool::new(true));
    let acked = Arc::new(AtomicU64::new(0));
    let sender = {
        let (conc, sending, acked) = (conc.clone(), sending.clone(), acked.clone());
        tokio::spawn(async move {
            let datr: semtech_udp::DataRate = "SF7BW125".parse().unwrap();
            let mut n: u64 = 0;
            while sending.load(Ordering::SeqCst) {
                n += 1;
                // Alternate beacon receptions (→ witness reports) and data uplinks.
                let payload = if n.is_multiple_of(2) {
                    let mut p = lattice_poc_core::report::BEACON_MAGIC.to_vec();
                    p.extend_from_slice(&n.to_le_bytes());
                    p.extend_from_slice(&[0u8; 8]);
                    p
                } else {
                    let mut p = vec![0x40, 0x01, 0x00, 0x00, 0x48];
                    p.extend_from_slice(&n.to_le_bytes());
                    p
                };
                let rx = conc.rxpk(payload, 904.6, datr, -97, 6.5, now_ms - 60_000 + n as i64);
                loop {
                    let _ = conc.keepalive().await;
                    if conc
                        .push_with_timeout(vec![rx.clone()], 1, Duration::from_millis(150))
                        .await
                        .is_ok()
                    {
                        break;
                    }
                }
                acked.store(n, Ordering::SeqCst);
            }
        })
    };

    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut child = common::spawn_node(&env, &config);
    for _ in 0..KILLS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(30 + seed % 300)).await;
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        child = common::spawn_node(&env, &config);
    }
    sending.store(false, Ordering::SeqCst);
    sender.await.unwrap();
    let sent = acked.load(Ordering::SeqCst);

    // Let the last worker drain its outbox.
    let mut stored = 0;
    for _ in 0..600 {
        stored = o.store.report_count().await.unwrap();
        if stored >= sent {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    stop.cancel();
    let accepted = o.stats.get("accepted");
    let duplicates = o.stats.get("duplicate");
    eprintln!(
        "{KILLS} SIGKILLs: {sent} uplinks acknowledged, {stored} reports stored, {accepted} accepted, {duplicates} duplicate deliveries absorbed"
    );
    assert!(sent > 100, "too few uplinks to mean anything: {sent}");
    assert_eq!(
        stored, sent,
        "every acknowledged uplink stored exactly once"
    );
    // A request cut off by the kill may still have committed (the store finishes what it
    // started); its reports then come back as duplicates, never as second copies.
    assert!(
        accepted <= sent && accepted + duplicates >= sent,
        "{accepted} + {duplicates} vs {sent}"
    );
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(odir);
}
