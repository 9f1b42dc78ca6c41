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

/// Start `lattice node run` (this package's binary) with `env` overrides.
pub fn spawn_node(env: &[(String, String)], config: &str) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lattice"));
    cmd.args(["node", "run", "--config", config])
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("spawn lattice node run")
}

/// Write a Solana CLI keypair file.
pub fn write_keypair(path: &std::path::Path, kp: &Keypair) {
    std::fs::write(
        path,
        serde_json::to_string(&kp.to_bytes().to_vec()).unwrap(),
    )
    .unwrap();
}

/// The repository's localnet config path.
pub fn localnet_config_path() -> String {
    format!("{}/../app-config/localnet.toml", env!("CARGO_MANIFEST_DIR"))
}

/// A bootstrapped chain with `hotspots` registered (owner: the payer) and the first `hours`
/// hours issued, so the coverage rewards escrow holds tokens.
pub struct RewardsFixture {
    /// The chain.
    pub chain: EmbeddedChain,
    /// Config.
    pub cfg: lattice_migrations::LatticeConfig,
    /// Payer, DAO authority, the sub-DAOs' only oracle, and the hotspots' owner.
    pub payer: Keypair,
    /// Main mint.
    pub main_mint: Keypair,
    /// The simulated network (hotspot keys).
    pub net: lattice_workers::localnet::network::Network,
    /// First emission hour.
    pub genesis: u64,
    /// The coverage sub-DAO.
    pub coverage: lattice_sdk::solana::Pubkey,
    /// The coverage sub-DAO after the issued hours.
    pub sub_dao: lattice_dao::SubDao,
}

/// Build a [`RewardsFixture`].
pub async fn rewards_fixture(hotspots: usize, hours: u64) -> RewardsFixture {
    use lattice_sdk::solana::Signer as _;
    let path = localnet_config_path();
    let cfg = lattice_migrations::LatticeConfig::load_with_env(
        std::path::Path::new(&path),
        Some(Default::default()),
    )
    .unwrap();
    let opts = cfg.send_options();
    let chain = EmbeddedChain::start_default().await;
    let start = cfg.localnet.start_unix.unwrap() + 60;
    chain.set_unix_timestamp(start).await.unwrap();
    let payer = chain.payer().await;
    let main_mint = Keypair::new();
    lattice_migrations::bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    let net = lattice_workers::localnet::network::Network::setup(
        chain.clone(),
        &cfg,
        payer.insecure_clone(),
        main_mint.pubkey(),
        hotspots,
        0,
        &[],
    )
    .await
    .unwrap();
    let view = lattice_sdk::accounts::DaoView::load(&chain, &main_mint.pubkey())
        .await
        .unwrap();
    let genesis = view.first_issuable_hour();
    let now = lattice_math::epoch::hour_start(genesis + hours) + 1;
    chain.set_unix_timestamp(now).await.unwrap();
    net.post_price(now).await;
    lattice_workers::cranker::Cranker::new(
        chain.clone(),
        payer.insecure_clone(),
        main_mint.pubkey(),
        opts,
        64,
    )
    .tick()
    .await
    .unwrap();
    let (coverage, _) = view.sub_dao("coverage").cloned().unwrap();
    let sub_dao = lattice_sdk::accounts::fetch(&chain, &coverage)
        .await
        .unwrap()
        .unwrap();
    RewardsFixture {
        chain,
        cfg,
        payer,
        main_mint,
        net,
        genesis,
        coverage,
        sub_dao,
    }
}

/// A bootstrapped embedded chain (real programs) with `gpus` registered GPU nodes (funded for
/// fees) and the compute sub-DAO's DC burn authority handed to the compute program, at the
/// localnet start time + 60 s, with a fresh price posted. The dApp holds 100 000 DC.
pub struct ComputeFixture {
    pub chain: EmbeddedChain,
    pub cfg: lattice_migrations::LatticeConfig,
    pub payer: Keypair,
    pub main_mint: Keypair,
    pub net: lattice_workers::localnet::network::Network,
    pub keys: lattice_sdk::compute::ComputeKeys,
    pub start: i64,
}

pub async fn compute_fixture(gpus: usize) -> ComputeFixture {
    use lattice_sdk::solana::Signer as _;
    let path = localnet_config_path();
    let env = [
        (
            "LATTICE__COMPUTE__HAND_OVER_BURN_AUTHORITY".to_string(),
            "true".to_string(),
        ),
        ("LATTICE__ORACLE__CAPACITY_N".to_string(), "64".to_string()),
        // The fault tests set the compute oracles with the bootstrap key.
        (
            "LATTICE__GOVERNANCE__HAND_OVER".to_string(),
            "false".to_string(),
        ),
    ];
    let cfg = lattice_migrations::LatticeConfig::load_with_env(
        std::path::Path::new(&path),
        Some(env.into_iter().collect()),
    )
    .unwrap();
    let opts = cfg.send_options();
    let chain = EmbeddedChain::start_default().await;
    let start = cfg.localnet.start_unix.unwrap() + 60;
    chain.set_unix_timestamp(start).await.unwrap();
    let payer = chain.payer().await;
    let main_mint = Keypair::new();
    lattice_migrations::bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    let mut net = lattice_workers::localnet::network::Network::setup(
        chain.clone(),
        &cfg,
        payer.insecure_clone(),
        main_mint.pubkey(),
        0,
        gpus,
        &[],
    )
    .await
    .unwrap();
    net.post_price(start).await;
    let dao = lattice_sdk::pda::dao(&main_mint.pubkey());
    let keys = lattice_sdk::compute::ComputeKeys::load(&chain, &dao)
        .await
        .unwrap();
    let dapp = net.dapp.insecure_clone();
    net.mint_dc(&dapp, 100_000).await.unwrap();
    ComputeFixture {
        chain,
        cfg,
        payer,
        main_mint,
        net,
        keys,
        start,
    }
}

/// A backend whose result is off by one in one entry (a faulty GPU or a cheat).
pub struct Lying(pub lattice_workers::compute::CpuBackend);

impl lattice_workers::compute::Backend for Lying {
    fn name(&self) -> String {
        "lying".into()
    }
    fn gemm(&self, a: &[i8], b: &[i8], c: &mut [i32], n: usize) -> anyhow::Result<()> {
        self.0.gemm(a, b, c, n)?;
        c[n + 1] = c[n + 1].wrapping_add(1);
        Ok(())
    }
}

impl ComputeFixture {
    /// An oracle (signing with `key`, no settle grace) over the fixture's chain, serving HTTP
    /// until `stop`; returns it and its URL.
    pub async fn serve_oracle(
        &self,
        tag: &str,
        key: Keypair,
        clock: &Clock,
        stop: &tokio_util::sync::CancellationToken,
    ) -> (Arc<Oracle<EmbeddedChain>>, String) {
        use lattice_sdk::solana::Signer as _;
        let dir = temp_dir(tag);
        let mut ocfg = self.cfg.oracle.clone();
        ocfg.database_url = format!("sqlite://{}", dir.join("oracle.db").display());
        ocfg.archive_url = dir.join("archive").display().to_string();
        ocfg.settle_grace = std::time::Duration::ZERO;
        let dao = lattice_sdk::pda::dao(&self.main_mint.pubkey());
        let keys = DaoKeys {
            dao,
            coverage_sub_dao: lattice_sdk::pda::sub_dao(&dao, &self.cfg.registry.coverage_sub_dao),
        };
        let oracle = Oracle::new(
            self.chain.clone(),
            &ocfg,
            24,
            key,
            keys,
            clock.clone(),
            self.cfg.send_options(),
        )
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(lattice_workers::oracle::serve(
            oracle.clone(),
            listener,
            stop.clone(),
        ));
        (oracle, url)
    }

    /// A GPU worker for device `kp` on `backend` in market 0, with results and journal in a
    /// fresh directory; returns the worker, its journal and the directory.
    pub async fn worker(
        &self,
        tag: &str,
        kp: &Keypair,
        backend: Arc<dyn lattice_workers::compute::Backend>,
    ) -> (
        lattice_workers::compute::worker::GpuWorker<EmbeddedChain>,
        lattice_workers::compute::worker::JobJournal,
        PathBuf,
    ) {
        use lattice_workers::compute::{runner::Runners, worker};
        let dir = temp_dir(tag);
        let journal = worker::JobJournal::open(&dir.join("jobs.sqlite"))
            .await
            .unwrap();
        let w = worker::GpuWorker::new(
            self.chain.clone(),
            self.keys,
            Arc::new(kp.insecure_clone()),
            Runners::new(backend, None, Default::default(), 1 << 20),
            Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&dir).unwrap()),
            format!("file://{}", dir.display()),
            journal.clone(),
            vec![0],
        );
        (w, journal, dir)
    }
}
