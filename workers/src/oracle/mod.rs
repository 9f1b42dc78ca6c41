//! The proof-of-coverage oracle (`lattice oracle run`).
//!
//! * [`ingest`]: the HTTP ingest. Signed report batches are size-checked, parsed, verified with
//!   ed25519 batch verification, checked against the on-chain registry and the clock, archived
//!   raw through `object_store`, and committed to the database *before* the answer, so an
//!   accepted report is never lost. Replays are answered `duplicate` and counted.
//! * [`settle`]: after each hour closes (plus a grace period) the hour's reports are judged by
//!   the pure rules of `lattice-poc-core`, every rejection is stored with its reason, the DC for
//!   carried packets is burned from the payers' escrows (the oracle is the coverage sub-DAO's burn
//!   authority), and each hotspot's share of the hour is stored.
//! * [`api`]: entropy for beaconing hotspots, per-hotspot rewards and rejections, stats.
//! * [`store`]: SQLite or PostgreSQL through sqlx.

pub mod api;
pub mod archive;
pub mod compute;
pub mod directory;
pub mod ingest;
pub mod rewards;
pub mod settle;
pub mod store;

use anyhow::{Context as _, Result};
use lattice_migrations::config::OracleConfig;
use lattice_poc_core::{hour::ShareParams, Key, Params};
use lattice_sdk::{
    solana::{Keypair, Pubkey},
    Chain,
};
use std::{
    collections::{BTreeMap, HashSet},
    str::FromStr as _,
    sync::{
        atomic::{AtomicI64, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

/// Milliseconds since the Unix epoch, from wall clock or simulated time.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// A clock the owner moves (localnet, tests).
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock starting at `unix_ms`.
    pub fn manual(unix_ms: i64) -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(unix_ms)))
    }

    /// Now, Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Clock::Manual(t) => t.load(Ordering::SeqCst),
        }
    }

    /// Set a manual clock (no effect on the system clock).
    pub fn set_ms(&self, unix_ms: i64) {
        if let Clock::Manual(t) = self {
            t.store(unix_ms, Ordering::SeqCst);
        }
    }
}

/// Verification and reward parameters, parsed from [`OracleConfig`].
#[derive(Debug, Clone)]
pub struct Rules {
    /// Witness rules.
    pub params: Params,
    /// Share split and scaling.
    pub shares: ShareParams,
    /// Denylisted hotspots.
    pub denylist: HashSet<Key>,
    /// DevAddr routes `(lo, hi, payer)`.
    pub routes: Vec<(u32, u32, Key)>,
}

impl Rules {
    /// From the config section.
    pub fn from_config(c: &OracleConfig, bytes_per_dc: u32) -> Result<Self> {
        let params = Params {
            min_h3_distance: c.min_h3_distance,
            max_distance_km: c.max_distance_km,
            rssi_margin_db: c.rssi_margin_db,
            ..Params::default()
        };
        let shares = ShareParams {
            beacon_bps: c.beacon_bps,
            witness_bps: c.witness_bps,
            data_bps: c.data_bps,
            density_resolution: c.density_resolution,
            density_target: c.density_target,
            max_witnesses_per_beacon: c.max_witnesses_per_beacon,
            witness_window_ms: i64::try_from(c.witness_window.as_millis()).unwrap_or(i64::MAX),
            bytes_per_dc,
            ..ShareParams::default()
        };
        anyhow::ensure!(
            shares.is_valid(),
            "oracle share parameters are invalid (beacon_bps + witness_bps + data_bps must be 10000)"
        );
        let denylist = c
            .denylist
            .iter()
            .map(|k| Pubkey::from_str(k).map(|p| p.to_bytes()))
            .collect::<Result<_, _>>()
            .context("oracle.denylist")?;
        let routes = c
            .routes
            .iter()
            .map(|r| parse_route(r))
            .collect::<Result<_>>()?;
        Ok(Self {
            params,
            shares,
            denylist,
            routes,
        })
    }
}

/// Parse `"LO-HI=PAYER"` (hex DevAddrs, base58 payer).
pub fn parse_route(r: &str) -> Result<(u32, u32, Key)> {
    let (range, payer) = r
        .split_once('=')
        .with_context(|| format!("route {r:?}: expected LO-HI=PAYER"))?;
    let (lo, hi) = range
        .split_once('-')
        .with_context(|| format!("route {r:?}: expected LO-HI"))?;
    let lo = u32::from_str_radix(lo.trim(), 16).with_context(|| format!("route {r:?}: LO"))?;
    let hi = u32::from_str_radix(hi.trim(), 16).with_context(|| format!("route {r:?}: HI"))?;
    anyhow::ensure!(lo <= hi, "route {r:?}: LO > HI");
    let payer = Pubkey::from_str(payer.trim()).with_context(|| format!("route {r:?}: payer"))?;
    Ok((lo, hi, payer.to_bytes()))
}

/// Counters of ingest outcomes, by outcome name (`accepted`, `duplicate`, `malformed`, …).
#[derive(Debug, Default)]
pub struct IngestStats {
    counts: Mutex<BTreeMap<&'static str, u64>>,
    /// Requests answered.
    pub requests: AtomicU64,
}

impl IngestStats {
    /// Add `n` to `outcome`.
    pub fn add(&self, outcome: &'static str, n: u64) {
        if n == 0 {
            return;
        }
        metrics::counter!("lattice_oracle_reports_total", "outcome" => outcome).increment(n);
        if let Ok(mut c) = self.counts.lock() {
            *c.entry(outcome).or_insert(0) += n;
        }
    }

    /// A snapshot.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts
            .lock()
            .map(|c| c.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect())
            .unwrap_or_default()
    }

    /// One outcome's count.
    pub fn get(&self, outcome: &str) -> u64 {
        self.counts
            .lock()
            .ok()
            .and_then(|c| c.get(outcome).copied())
            .unwrap_or(0)
    }
}

/// Where the oracle sits in the DAO.
#[derive(Debug, Clone, Copy)]
pub struct DaoKeys {
    /// The DAO.
    pub dao: Pubkey,
    /// The coverage sub-DAO.
    pub coverage_sub_dao: Pubkey,
}

/// Everything the oracle's tasks share.
pub struct Oracle<C: Chain> {
    /// Chain access.
    pub chain: C,
    /// Database.
    pub store: store::Store,
    /// Raw-report archive.
    pub archive: archive::Archive,
    /// Registered hotspots.
    pub directory: directory::Directory<C>,
    /// Rules.
    pub rules: Rules,
    /// Clock.
    pub clock: Clock,
    /// Ingest counters.
    pub stats: IngestStats,
    /// The oracle key (DC burn authority of the coverage sub-DAO).
    pub keypair: Keypair,
    /// DAO addresses.
    pub keys: DaoKeys,
    /// Largest accepted future skew, ms.
    pub max_skew_ms: i64,
    /// Wait after an hour ends before settling it.
    pub settle_grace: Duration,
    /// How often entropy is recorded.
    pub entropy_interval: Duration,
    /// Transaction options.
    pub send: lattice_sdk::send::SendOptions,
    /// Decompressed hotspot keys (bounded; cleared when full).
    pub key_cache: Mutex<std::collections::HashMap<Key, ed25519_dalek::VerifyingKey>>,
    /// Cumulative reward index and its latest tree.
    pub rewards: tokio::sync::Mutex<rewards::RewardState>,
    /// Test and localnet switch: this oracle lies about rewards (see `advance_rewards`).
    pub faulty: std::sync::atomic::AtomicBool,
    /// Capacity-challenge and compute-share parameters.
    pub compute: compute::ComputeParams,
    /// Per market, the lowest job id that may still need an audit.
    pub audit_from: Mutex<BTreeMap<Pubkey, u64>>,
    /// Peer capacity-fault evidence already checked: `(node, hour)`.
    pub peer_checked: Mutex<HashSet<(String, u64)>>,
}

/// Most keys kept decompressed.
const KEY_CACHE_MAX: usize = 1 << 20;

impl<C: Chain> Oracle<C> {
    /// Decode a hotspot key through the cache.
    pub fn verifying_key(&self, key: &Key) -> Option<ed25519_dalek::VerifyingKey> {
        if let Some(k) = self.key_cache.lock().ok().and_then(|c| c.get(key).copied()) {
            return Some(k);
        }
        let k = ed25519_dalek::VerifyingKey::from_bytes(key).ok()?;
        if let Ok(mut c) = self.key_cache.lock() {
            if c.len() >= KEY_CACHE_MAX {
                c.clear();
            }
            c.insert(*key, k);
        }
        Some(k)
    }
}

impl<C: Chain + Clone + 'static> Oracle<C> {
    /// Build from config.
    #[allow(clippy::too_many_arguments)]
    pub async fn new(
        chain: C,
        cfg: &OracleConfig,
        bytes_per_dc: u32,
        keypair: Keypair,
        keys: DaoKeys,
        clock: Clock,
        send: lattice_sdk::send::SendOptions,
    ) -> Result<Arc<Self>> {
        let store = store::Store::connect(&cfg.database_url).await?;
        let archive = archive::Archive::open(&cfg.archive_url)?;
        let rules = Rules::from_config(cfg, bytes_per_dc)?;
        lattice_compute_core::challenge::check_work_bound(cfg.capacity_n, cfg.capacity_chain)
            .map_err(|e| anyhow::anyhow!("oracle.capacity_n/capacity_chain: {e}"))?;
        anyhow::ensure!(
            cfg.capacity_share_bps <= 10_000,
            "oracle.capacity_share_bps must be at most 10000"
        );
        Ok(Arc::new(Self {
            directory: directory::Directory::new(chain.clone(), cfg.registry_cache_ttl),
            chain,
            store,
            archive,
            rules,
            clock,
            stats: IngestStats::default(),
            keypair,
            keys,
            max_skew_ms: i64::try_from(cfg.max_clock_skew.as_millis()).unwrap_or(i64::MAX),
            settle_grace: cfg.settle_grace,
            entropy_interval: cfg.entropy_interval,
            send,
            key_cache: Mutex::new(std::collections::HashMap::new()),
            rewards: tokio::sync::Mutex::new(rewards::RewardState::default()),
            faulty: std::sync::atomic::AtomicBool::new(false),
            compute: compute::ComputeParams {
                n: cfg.capacity_n,
                chain: cfg.capacity_chain,
                deadline: cfg.capacity_deadline,
                capacity_bps: cfg.capacity_share_bps,
                max_skew: cfg.max_clock_skew,
                ..compute::ComputeParams::default()
            },
            audit_from: Mutex::new(BTreeMap::new()),
            peer_checked: Mutex::new(HashSet::new()),
        }))
    }

    /// Record the chain's latest blockhash as entropy published now. Returns the hash.
    pub async fn record_entropy(&self) -> Result<[u8; 32]> {
        let hash = self.chain.latest_blockhash().await?.to_bytes();
        let now_secs = self.clock.now_ms().div_euclid(1_000);
        self.store.record_entropy(&hash, now_secs).await?;
        Ok(hash)
    }

    /// Record entropy every `entropy_interval` until cancelled.
    pub async fn entropy_loop(self: Arc<Self>, stop: tokio_util::sync::CancellationToken) {
        loop {
            if let Err(e) = self.record_entropy().await {
                tracing::warn!(error = %e, "recording entropy failed");
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(self.entropy_interval) => {}
            }
        }
    }

    /// Settle every closed hour (after the grace period) not yet settled, oldest first, starting
    /// after the last settled hour (or at `first_hour` on a fresh database).
    pub async fn settle_due(&self, first_hour: u64) -> Result<Vec<store::HourSummary>> {
        let mut out = Vec::new();
        for hour in self.due_hours(self.store.last_settled_hour().await?, first_hour) {
            out.push(self.settle_hour(hour).await?);
        }
        Ok(out)
    }

    /// The hours after `last_done` (or from `first_hour` on a fresh database) that have ended
    /// more than the grace period ago, oldest first.
    pub fn due_hours(&self, last_done: Option<u64>, first_hour: u64) -> std::ops::Range<u64> {
        let from = last_done.map_or(first_hour, |h| h.saturating_add(1).max(first_hour));
        let grace_ms = i64::try_from(self.settle_grace.as_millis()).unwrap_or(i64::MAX);
        // Hour h is due once hour_start(h + 1) + grace ≤ now.
        let now_secs = self
            .clock
            .now_ms()
            .saturating_sub(grace_ms)
            .div_euclid(1_000);
        let until = lattice_math::epoch::hour_of(now_secs);
        from..until.max(from)
    }

    /// Settle due hours every few seconds until cancelled.
    pub async fn settle_loop(
        self: Arc<Self>,
        first_hour: u64,
        stop: tokio_util::sync::CancellationToken,
    ) {
        loop {
            match self.settle_due(first_hour).await {
                Ok(done) => {
                    for s in done {
                        tracing::info!(
                            hour = s.hour,
                            reports = s.reports,
                            rejected = s.rejected,
                            dc_burned = s.dc_burned,
                            "hour settled"
                        );
                    }
                }
                Err(e) => tracing::warn!(error = %e, "settling failed; retrying"),
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    }
}

/// Serve the oracle's HTTP API on `listener` until `stop`.
pub async fn serve<C: Chain + Clone + 'static>(
    oracle: Arc<Oracle<C>>,
    listener: tokio::net::TcpListener,
    stop: tokio_util::sync::CancellationToken,
) -> Result<()> {
    let app = api::router(oracle);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
        .context("oracle HTTP server")
}
