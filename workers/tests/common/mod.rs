//! Shared fixtures for the proof-of-coverage tests.
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use lattice_poc_core::{
    hour::HotspotInfo,
    report::{DataReport, ReportBody, WitnessReport},
    Position,
};
use lattice_sdk::{embedded::EmbeddedChain, solana::Keypair};
use lattice_workers::oracle::{Clock, DaoKeys, Oracle};
use std::{path::PathBuf, sync::Arc};

/// A fresh temporary directory (removed by the caller when it wants).
pub fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let d = std::env::temp_dir().join(format!("lattice-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The database URLs to run a suite on: SQLite always, and PostgreSQL from
/// `LATTICE_TEST_POSTGRES_URL` (a server URL; each suite gets a fresh database). In CI
/// (`CI=true`) a missing Postgres URL is an error, so the Postgres half can never be skipped
/// silently there.
pub async fn database_urls(tag: &str) -> Vec<String> {
    let dir = temp_dir(tag);
    let mut urls = vec![format!("sqlite://{}", dir.join("oracle.db").display())];
    match std::env::var("LATTICE_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => urls.push(fresh_postgres_db(&base, tag).await),
        _ => {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI must set LATTICE_TEST_POSTGRES_URL"
            );
            eprintln!("LATTICE_TEST_POSTGRES_URL not set: the PostgreSQL half of {tag} is skipped");
        }
    }
    urls
}

async fn fresh_postgres_db(base: &str, tag: &str) -> String {
    use sqlx::Connection as _;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!(
        "lattice_{tag}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000
    );
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("postgres server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("postgres URL with a database");
    format!("{prefix}/{name}")
}

/// An oracle over an embedded chain (nothing registered on it: seed the directory).
pub async fn oracle(db_url: &str, start_ms: i64) -> (Arc<Oracle<EmbeddedChain>>, Clock, PathBuf) {
    let chain = EmbeddedChain::start_default().await;
    let dir = temp_dir("oracle");
    let cfg = lattice_migrations::config::OracleConfig {
        database_url: db_url.to_owned(),
        archive_url: dir.join("archive").display().to_string(),
        settle_grace: std::time::Duration::ZERO,
        registry_cache_ttl: std::time::Duration::from_secs(3_600),
        ..Default::default()
    };
    let clock = Clock::manual(start_ms);
    let keys = DaoKeys {
        dao: lattice_sdk::solana::Pubkey::new_unique(),
        coverage_sub_dao: lattice_sdk::solana::Pubkey::new_unique(),
    };
    let o = Oracle::new(
        chain,
        &cfg,
        24,
        Keypair::new(),
        keys,
        clock.clone(),
        lattice_sdk::send::SendOptions::default(),
    )
    .await
    .expect("oracle");
    (o, clock, dir)
}

/// A random hotspot key.
pub fn hotspot_key(seed: u64) -> SigningKey {
    let mut b = [0u8; 32];
    b[..8].copy_from_slice(&seed.to_le_bytes());
    b[8] = 0x5A;
    SigningKey::from_bytes(&b)
}

/// Seed the oracle's directory with a registered hotspot at a San Francisco cell.
pub fn register(o: &Oracle<EmbeddedChain>, key: &SigningKey) {
    let cell = h3o::LatLng::new(37.7749, -122.4194)
        .unwrap()
        .to_cell(h3o::Resolution::Twelve);
    o.directory.insert(
        key.verifying_key().to_bytes(),
        Some(HotspotInfo {
            position: Some(Position {
                cell: u64::from(cell),
                gain_dbi_x10: 40,
                elevation_m: 5,
            }),
        }),
    );
}

/// A signed witness report (unique per `n`).
pub fn witness(key: &SigningKey, ts_ms: i64, n: u32) -> Vec<u8> {
    let mut payload = lattice_poc_core::report::BEACON_MAGIC.to_vec();
    payload.extend_from_slice(&[7u8; 16]);
    ReportBody::Witness(WitnessReport {
        hotspot: key.verifying_key().to_bytes(),
        payload,
        rssi_dbm_x10: -900,
        snr_db_x10: 55,
        frequency_hz: 904_600_000,
        region: 1,
        timestamp_ms: ts_ms,
        tmst: n,
    })
    .sign(key)
}

/// A signed data report (unique per `n`).
pub fn data(key: &SigningKey, ts_ms: i64, n: u32) -> Vec<u8> {
    let mut hash = [0u8; 32];
    hash[..4].copy_from_slice(&n.to_le_bytes());
    ReportBody::Data(DataReport {
        hotspot: key.verifying_key().to_bytes(),
        devaddr: 0x4800_0001,
        payload_hash: hash,
        payload_len: 48,
        frequency_hz: 904_600_000,
        timestamp_ms: ts_ms,
    })
    .sign(key)
}
