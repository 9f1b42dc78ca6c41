//! Ingest throughput per core on loopback.
//!
//! The oracle (SQLite store, local archive) serves HTTP on a single-threaded runtime pinned to
//! CPU 0; a client pinned to CPU 1 posts pre-signed batches with several requests in flight, so
//! the figure is what one oracle core verifies (batch ed25519), archives and commits per second.
//! Also prints raw signature-verification rates (one by one and batched) for reference.
//!
//! `cargo bench -p lattice-workers --bench ingest`
//! (`LATTICE_BENCH_REPORTS`, default 200000; `LATTICE_BENCH_BATCH`, default 1000).

use anyhow::Result;
use ed25519_dalek::SigningKey;
use lattice_poc_core::{
    hour::HotspotInfo,
    report::{self, DataReport, ReportBody},
    Position,
};
use lattice_sdk::solana::{Keypair, Pubkey};
use lattice_workers::oracle::{Clock, DaoKeys, Oracle};
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pin_to(cpu: usize) {
    // SAFETY: a zeroed cpu_set_t is valid; CPU_SET writes inside it; pid 0 = calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

fn main() -> Result<()> {
    if std::env::var("RUST_LOG").is_err() {
        std::env::set_var("RUST_LOG", "error");
    }
    let n = env_usize("LATTICE_BENCH_REPORTS", 200_000);
    let batch = env_usize("LATTICE_BENCH_BATCH", 1_000).min(report::MAX_BATCH_REPORTS);
    let hotspots: Vec<SigningKey> = (0..1_000u64)
        .map(|i| {
            let mut b = [7u8; 32];
            b[..8].copy_from_slice(&i.to_le_bytes());
            SigningKey::from_bytes(&b)
        })
        .collect();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let t = Instant::now();
    let wires: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let key = &hotspots[i % hotspots.len()];
            let mut hash = [0u8; 32];
            hash[..8].copy_from_slice(&(i as u64).to_le_bytes());
            ReportBody::Data(DataReport {
                hotspot: key.verifying_key().to_bytes(),
                devaddr: 0x4800_0000 | (i as u32 & 0xFFFF),
                payload_hash: hash,
                payload_len: 48,
                frequency_hz: 904_600_000,
                timestamp_ms: now_ms - 1_000,
            })
            .sign(key)
        })
        .collect();
    println!(
        "signed {n} reports in {:.2?} ({} bytes each on the wire)",
        t.elapsed(),
        wires[0].len()
    );

    // Raw verification on one core.
    pin_to(0);
    let parsed: Vec<_> = wires[..20_000.min(n)]
        .iter()
        .map(|w| report::parse(w).unwrap())
        .collect();
    let t = Instant::now();
    for p in &parsed {
        assert!(p
            .key
            .verify_strict(&report::signing_message(&p.body_bytes), &p.signature)
            .is_ok());
    }
    let single = parsed.len() as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for chunk in parsed.chunks(batch) {
        assert!(report::verify_signatures(chunk).iter().all(|ok| *ok));
    }
    let batched = parsed.len() as f64 / t.elapsed().as_secs_f64();
    println!("ed25519 on one core: {single:.0} verifications/s one by one, {batched:.0}/s batched ({batch} per batch)");

    // The ingest over HTTP: server on CPU 0 (one thread), client on CPU 1.
    let dir = std::env::temp_dir().join(format!("lattice-ingest-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let db = format!("sqlite://{}", dir.join("oracle.db").display());
    let archive = dir.join("archive").display().to_string();
    let keys: Vec<[u8; 32]> = hotspots
        .iter()
        .map(|k| k.verifying_key().to_bytes())
        .collect();
    let server = std::thread::spawn(move || -> Result<u64> {
        pin_to(0);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let chain = lattice_sdk::embedded::EmbeddedChain::start_default().await;
            let cfg = lattice_migrations::config::OracleConfig {
                database_url: db,
                archive_url: archive,
                ..Default::default()
            };
            let oracle = Oracle::new(
                chain,
                &cfg,
                24,
                Keypair::new(),
                DaoKeys {
                    dao: Pubkey::new_unique(),
                    coverage_sub_dao: Pubkey::new_unique(),
                },
                Clock::System,
                lattice_sdk::send::SendOptions::default(),
            )
            .await?;
            let info = HotspotInfo {
                position: Some(Position {
                    cell: 0x08c2_8308_2a1a_35ff,
                    gain_dbi_x10: 30,
                    elevation_m: 0,
                }),
            };
            for k in keys {
                oracle.directory.insert(k, Some(info));
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            addr_tx.send(listener.local_addr()?)?;
            let stop = tokio_util::sync::CancellationToken::new();
            let s2 = stop.clone();
            tokio::spawn(async move {
                let _ = stop_rx.await;
                s2.cancel();
            });
            lattice_workers::oracle::serve(oracle.clone(), listener, stop).await?;
            oracle.store.report_count().await
        })
    });
    let addr = addr_rx.recv()?;
    pin_to(1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let bodies: Vec<Vec<u8>> = wires.chunks(batch).map(report::encode_batch).collect();
    let (elapsed, latencies) = rt.block_on(async move {
        let http = reqwest::Client::new();
        let url = format!("http://{addr}/v1/reports");
        let in_flight: usize = std::env::var("LATTICE_BENCH_IN_FLIGHT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(4);
        let started = Instant::now();
        let mut latencies = Vec::with_capacity(bodies.len());
        let mut it = bodies.into_iter();
        let mut set = tokio::task::JoinSet::new();
        loop {
            while set.len() < in_flight {
                let Some(body) = it.next() else { break };
                let (http, url) = (http.clone(), url.clone());
                set.spawn(async move {
                    let t = Instant::now();
                    let r = http.post(url).body(body).send().await?;
                    let status = r.status().as_u16();
                    let _ = r.bytes().await?;
                    anyhow::ensure!(status == 200, "status {status}");
                    Ok::<_, anyhow::Error>(t.elapsed())
                });
            }
            match set.join_next().await {
                Some(r) => latencies.push(r??),
                None => break,
            }
        }
        Ok::<_, anyhow::Error>((started.elapsed(), latencies))
    })?;
    let _ = stop_tx.send(());
    let stored = server
        .join()
        .map_err(|_| anyhow::anyhow!("server panicked"))??;
    let mut lat = latencies;
    lat.sort();
    let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "ingest over loopback HTTP, one oracle core: {n} reports in {elapsed:.2?} = {:.0} reports/s/core (batches of {batch}, 4 in flight; request p50 {:.1?}, p99 {:.1?}); stored {stored}",
        n as f64 / elapsed.as_secs_f64(),
        p(0.5),
        p(0.99),
    );
    assert_eq!(stored as usize, n);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}
