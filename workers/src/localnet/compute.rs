//! The localnet's GPU job market: every registered GPU node runs a [`GpuWorker`] (CPU backend)
//! against the real compute program, answers the compute oracle's hourly capacity challenge and
//! sends heartbeats; a dApp posts matmul jobs at the configured demand; anyone (the simulation's
//! crank key) finalizes results after their verification window and times out abandoned jobs.
//! Some workers vanish right after claiming a job (and come back two hours later): their jobs
//! time out, the dApp is refunded and the node is slashed.
//!
//! Simulated time: each hour runs in twelve five-minute ticks. A job's true size is a simulated
//! duration (5–25 minutes); the worker computes the (small) matmul at once and submits at the
//! first tick after its claim time plus that duration, so the chain records realistic
//! `used_secs`, DC burns and utilization.

use super::network::{Network, Rng};
use crate::compute::capacity::CapacityClient;
use crate::compute::runner::Runners;
use crate::compute::spec::JobSpec;
use crate::compute::worker::{GpuWorker, JobJournal, PassReport};
use crate::compute::{Backend, CpuBackend};
use crate::oracle::{Clock, DaoKeys, Oracle};
use anyhow::{Context as _, Result};
use lattice_migrations::LatticeConfig;
use lattice_sdk::{
    compute::{self as sdkc, ComputeKeys},
    embedded::EmbeddedChain,
    lattice_compute::{state::JobKind, state::JobState, PostJobArgs},
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer as _},
    Chain as _,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Ticks per simulated hour.
const TICKS: i64 = 12;
/// Seconds per tick.
const TICK_SECS: i64 = 300;
/// Matrix size of the simulated jobs (kept small: the simulated duration is what is billed).
const JOB_N: usize = 48;
/// Longest job, seconds (its deadline after the claim).
const JOB_MAX_SECS: u64 = 1_800;
/// Hours a vanished worker stays away.
const VANISH_HOURS: u64 = 2;

/// One hour of the job market.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ComputeHour {
    /// The hour.
    pub hour: u64,
    /// Jobs posted.
    pub posted: u64,
    /// Jobs finalized.
    pub finalized: u64,
    /// Jobs timed out.
    pub timed_out: u64,
    /// DC burned by finalized jobs.
    pub dc_burned: u64,
    /// GPU seconds billed by finalized jobs.
    pub busy_secs: u64,
    /// Nodes with a nonzero compute share of the hour (oracle).
    pub nodes_paid: u64,
    /// Nodes whose capacity challenge verified.
    pub capacity_verified: u64,
}

/// What the job market did over the run (`--json`'s `compute`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ComputeReport {
    /// GPU nodes working.
    pub gpus: usize,
    /// Jobs posted.
    pub jobs_posted: u64,
    /// Posts refused because the market's queue was full.
    pub jobs_refused_queue_full: u64,
    /// Jobs claimed.
    pub jobs_claimed: u64,
    /// Jobs finalized (DC burned for the time used, the rest refunded).
    pub jobs_finalized: u64,
    /// Jobs timed out (refunded in full, the node slashed).
    pub jobs_timed_out: u64,
    /// Jobs still open at the end.
    pub jobs_open: u64,
    /// DC escrowed by posts.
    pub dc_escrowed: u64,
    /// DC burned by finalized jobs.
    pub dc_burned: u64,
    /// DC refunded to the dApp.
    pub dc_refunded: u64,
    /// Main-token base units slashed from nodes.
    pub stake_slashed: u64,
    /// Workers that vanished mid-job.
    pub vanish_events: u64,
    /// Busy GPU-node seconds (billed time of finalized jobs).
    pub busy_secs: u64,
    /// GPU-node seconds available (nodes × simulated time).
    pub available_secs: u64,
    /// busy / available, basis points.
    pub utilization_bps: u64,
    /// Capacity challenges verified / failed.
    pub capacity_verified: u64,
    /// Capacity challenges that failed.
    pub capacity_failed: u64,
    /// Per hour.
    pub hours: Vec<ComputeHour>,
}

struct SimWorker {
    worker: GpuWorker<EmbeddedChain>,
    capacity: CapacityClient,
    device: Pubkey,
    /// `(class, id, submit at)` of the job being run.
    busy: Option<(u8, u64, i64)>,
    /// Away until this hour.
    vanished_until: Option<u64>,
}

/// The job market simulation.
pub struct ComputeSim {
    chain: EmbeddedChain,
    keys: ComputeKeys,
    opts: SendOptions,
    oracle: Arc<Oracle<EmbeddedChain>>,
    clock: Clock,
    stop: CancellationToken,
    dir: std::path::PathBuf,
    workers: Vec<SimWorker>,
    backend: Arc<dyn Backend>,
    crank: Keypair,
    dapp: Keypair,
    rng: Rng,
    vanish_bps: u64,
    /// Simulated duration of each posted job, by (class, id).
    sizes: BTreeMap<(u8, u64), i64>,
    /// Jobs not yet finalized or timed out.
    open: Vec<(u8, u64)>,
    /// Classes with at least one qualifying worker, and their job price.
    classes: Vec<(u8, u64)>,
    report: ComputeReport,
}

impl ComputeSim {
    /// Starts the compute oracle and a worker per GPU node of `net`.
    ///
    /// # Errors
    /// Chain, oracle or journal failures.
    pub async fn start(
        chain: EmbeddedChain,
        cfg: &LatticeConfig,
        net: &Network,
        main_mint: &Pubkey,
    ) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("lattice-compute-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let now = chain.unix_timestamp().await?;
        let clock = Clock::manual(now * 1_000);
        let mut ocfg = cfg.oracle.clone();
        ocfg.database_url = format!("sqlite://{}", dir.join("compute-oracle.db").display());
        ocfg.archive_url = dir.join("archive").display().to_string();
        ocfg.settle_grace = std::time::Duration::ZERO;
        let dao = lattice_sdk::pda::dao(main_mint);
        let dao_keys = DaoKeys {
            dao,
            coverage_sub_dao: lattice_sdk::pda::sub_dao(&dao, &cfg.registry.coverage_sub_dao),
        };
        let oracle_key = Keypair::new();
        chain.airdrop(&oracle_key.pubkey(), 1_000_000_000).await?;
        let oracle = Oracle::new(
            chain.clone(),
            &ocfg,
            24,
            oracle_key,
            dao_keys,
            clock.clone(),
            cfg.send_options(),
        )
        .await?;
        let stop = CancellationToken::new();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(crate::oracle::serve(oracle.clone(), listener, stop.clone()));

        let keys = ComputeKeys::load(&chain, &dao).await?;
        let markets: Vec<(u8, lattice_sdk::lattice_compute::state::Market)> = {
            let mut v = Vec::new();
            for class in 0u8..16 {
                if let Some(m) = sdkc::fetch_market(&chain, &keys.market(class)).await? {
                    v.push((class, m));
                }
            }
            v
        };
        let backend: Arc<dyn Backend> = Arc::new(CpuBackend::new(1)?);
        let mut workers = Vec::new();
        let mut qualified = std::collections::BTreeSet::new();
        for (i, kp) in net.gpu_keys.iter().enumerate() {
            let gpu: lattice_registry::GpuNode = lattice_sdk::accounts::fetch(
                &chain,
                &lattice_sdk::registry::gpu_node(&kp.pubkey()),
            )
            .await?
            .context("GPU node account")?;
            let classes: Vec<u8> = markets
                .iter()
                .filter(|(_, m)| {
                    gpu.vram_gb >= m.params.min_vram_gb && gpu.stake >= m.params.min_stake
                })
                .map(|(c, _)| *c)
                .rev()
                .collect();
            qualified.extend(classes.iter().copied());
            let journal = JobJournal::open(&dir.join(format!("jobs-{i}.sqlite"))).await?;
            let results = dir.join(format!("results-{i}"));
            std::fs::create_dir_all(&results)?;
            let store = Arc::new(object_store::local::LocalFileSystem::new_with_prefix(
                &results,
            )?);
            let runners = Runners::new(backend.clone(), None, BTreeMap::new(), 1 << 20);
            workers.push(SimWorker {
                worker: GpuWorker::new(
                    chain.clone(),
                    keys,
                    Arc::new(kp.insecure_clone()),
                    runners,
                    store,
                    format!("file://{}", results.display()),
                    journal,
                    classes,
                ),
                capacity: CapacityClient::new(&url, crate::node::signing_key(kp))?,
                device: kp.pubkey(),
                busy: None,
                vanished_until: None,
            });
        }
        let price = cfg.localnet.job_price_dc_per_sec.max(1);
        let classes = markets
            .iter()
            .filter(|(c, _)| qualified.contains(c))
            .map(|(c, m)| {
                (
                    *c,
                    price.max(m.params.price_floor_dc_per_sec.saturating_mul(4)),
                )
            })
            .collect();
        let crank = Keypair::new();
        chain.airdrop(&crank.pubkey(), 10_000_000_000).await?;
        Ok(Self {
            chain,
            keys,
            opts: cfg.send_options(),
            oracle,
            clock,
            stop,
            dir,
            report: ComputeReport {
                gpus: workers.len(),
                ..ComputeReport::default()
            },
            workers,
            backend,
            crank,
            dapp: net.dapp.insecure_clone(),
            rng: Rng::new(cfg.localnet.seed ^ 0xC0FFEE),
            vanish_bps: u64::from(cfg.localnet.gpu_vanish_bps),
            sizes: BTreeMap::new(),
            open: Vec::new(),
            classes,
        })
    }

    async fn set_time(&self, secs: i64) -> Result<()> {
        self.chain.set_unix_timestamp(secs).await?;
        self.clock.set_ms(secs.saturating_mul(1_000));
        Ok(())
    }

    /// Runs `hour` (the chain clock must be at its start): posts jobs worth about `demand_dc`,
    /// works them in twelve ticks, then settles the hour's compute shares. Returns the DC
    /// burned by jobs finalized in the hour.
    ///
    /// # Errors
    /// Chain, oracle or worker failures.
    pub async fn run_hour(&mut self, net: &mut Network, hour: u64, demand_dc: u64) -> Result<u64> {
        let start = lattice_math::epoch::hour_start(hour);
        let mut row = ComputeHour {
            hour,
            ..ComputeHour::default()
        };
        // Jobs to post: demand over the mean job's cost, spread over the ticks.
        let jobs = if self.classes.is_empty() {
            0
        } else {
            let mean_cost = self.classes[0].1.saturating_mul(900);
            demand_dc.div_ceil(mean_cost.max(1))
        };
        let max_price = self.classes.iter().map(|c| c.1).max().unwrap_or(0);
        let escrows = jobs.saturating_mul(max_price).saturating_mul(JOB_MAX_SECS);
        self.fund_dapp(net, demand_dc.saturating_mul(2), escrows)
            .await?;
        for tick in 0..TICKS {
            let now = start + 30 + tick * TICK_SECS;
            self.set_time(now).await?;
            let per_tick = jobs / TICKS as u64 + u64::from((tick as u64) < jobs % TICKS as u64);
            for _ in 0..per_tick {
                self.post_job(&mut row).await?;
            }
            self.settle_jobs(now, hour, &mut row).await?;
            self.work(now, hour, tick).await?;
        }
        // Settle the hour's compute shares just past its end (the chain clock stays inside it).
        self.clock.set_ms((start + 3_600) * 1_000);
        let shares = self.oracle.settle_compute_hour(hour).await?;
        row.nodes_paid = shares.iter().filter(|s| s.share > 0).count() as u64;
        row.capacity_verified = shares.iter().filter(|s| s.score > 0).count() as u64;
        self.report.available_secs = self
            .report
            .available_secs
            .saturating_add(3_600 * self.workers.len() as u64);
        let burned = row.dc_burned;
        self.report.hours.push(row);
        Ok(burned)
    }

    /// Keep the dApp's DC above `needed`: buying ten times that when short, or, when the network
    /// buys hour by hour (`topup_hours == 1`), exactly what this hour's demand and the escrows
    /// of its jobs (`escrows`) need.
    async fn fund_dapp(&self, net: &mut Network, needed: u64, escrows: u64) -> Result<()> {
        let account = self.keys.dc_account(&self.dapp.pubkey());
        let balance = match self.chain.get_account(&account).await? {
            Some(a) => lattice_sdk::accounts::token_amount(&a.data).unwrap_or(0),
            None => 0,
        };
        if net.topup_hours <= 1 {
            let target = needed.saturating_add(escrows);
            if balance < target {
                net.mint_dc(&self.dapp, target - balance).await?;
            }
        } else if balance < needed {
            net.mint_dc(&self.dapp, needed.saturating_mul(10)).await?;
        }
        Ok(())
    }

    async fn post_job(&mut self, row: &mut ComputeHour) -> Result<()> {
        let pick = (self.rng.next_u64() % 100) as usize;
        let (class, price) = if pick < 30 && self.classes.len() > 1 {
            self.classes[1]
        } else {
            self.classes[0]
        };
        let market = sdkc::fetch_market(&self.chain, &self.keys.market(class))
            .await?
            .context("market")?;
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        let spec = JobSpec::Matmul {
            n: JOB_N,
            chain: 1,
            seed: hex::encode(seed),
        };
        let (_, spec_hash) = spec.encode();
        let args = PostJobArgs {
            kind: JobKind::Matmul,
            spec_hash,
            spec_uri: spec.data_uri(),
            max_duration_secs: JOB_MAX_SECS,
            price_dc_per_sec: price,
        };
        let id = market.next_job_id;
        let ix = sdkc::post_job(&self.dapp.pubkey(), &self.keys, class, id, args);
        match send(&self.chain, &self.opts, &[ix], &self.dapp, &[]).await {
            Ok(_) => {
                // 5–25 simulated minutes.
                let size = 300 + (self.rng.next_u64() % 1_201) as i64;
                self.sizes.insert((class, id), size);
                self.open.push((class, id));
                self.report.jobs_posted += 1;
                self.report.dc_escrowed = self
                    .report
                    .dc_escrowed
                    .saturating_add(price.saturating_mul(JOB_MAX_SECS));
                row.posted += 1;
            }
            Err(e)
                if e.custom_code()
                    == Some(
                        lattice_sdk::lattice_compute::ComputeError::QueueFull as u32 + 6000,
                    ) =>
            {
                self.report.jobs_refused_queue_full += 1;
            }
            Err(e) => return Err(e).context("post_job"),
        }
        Ok(())
    }

    /// Finalizes results past their window and times out jobs past their deadline.
    async fn settle_jobs(&mut self, now: i64, hour: u64, row: &mut ComputeHour) -> Result<()> {
        let mut still_open = Vec::with_capacity(self.open.len());
        for (class, id) in std::mem::take(&mut self.open) {
            let market = self.keys.market(class);
            let Some(job) = sdkc::fetch_job(&self.chain, &market, id).await? else {
                continue;
            };
            let window = sdkc::fetch_market(&self.chain, &market)
                .await?
                .map_or(0, |m| m.params.verification_window_secs);
            let ix = match job.state {
                JobState::Submitted
                    if now >= job.submitted_at.saturating_add(i64::try_from(window)?) =>
                {
                    Some(sdkc::finalize_job(
                        &self.crank.pubkey(),
                        &self.keys,
                        &job,
                        hour,
                    ))
                }
                JobState::Claimed if now > job.deadline => {
                    Some(sdkc::timeout_job(&self.crank.pubkey(), &self.keys, &job))
                }
                _ => None,
            };
            let Some(ix) = ix else {
                still_open.push((class, id));
                continue;
            };
            send(&self.chain, &self.opts, &[ix], &self.crank, &[])
                .await
                .with_context(|| format!("settling job {id} ({:?})", job.state))?;
            let done = sdkc::fetch_job(&self.chain, &market, id)
                .await?
                .context("settled job")?;
            self.report.dc_burned = self.report.dc_burned.saturating_add(done.dc_burned);
            self.report.dc_refunded = self.report.dc_refunded.saturating_add(done.dc_refunded);
            self.report.stake_slashed =
                self.report.stake_slashed.saturating_add(done.stake_slashed);
            match done.state {
                JobState::Finalized => {
                    self.report.jobs_finalized += 1;
                    self.report.busy_secs = self.report.busy_secs.saturating_add(done.used_secs);
                    row.finalized += 1;
                    row.dc_burned = row.dc_burned.saturating_add(done.dc_burned);
                    row.busy_secs = row.busy_secs.saturating_add(done.used_secs);
                }
                _ => {
                    self.report.jobs_timed_out += 1;
                    row.timed_out += 1;
                }
            }
        }
        self.open = still_open;
        Ok(())
    }

    /// Every present worker: heartbeat, the capacity challenge (first tick), submit finished
    /// jobs, claim and start a new one (or vanish holding it).
    async fn work(&mut self, now: i64, hour: u64, tick: i64) -> Result<()> {
        for w in &mut self.workers {
            if let Some(until) = w.vanished_until {
                if hour < until {
                    continue;
                }
                w.vanished_until = None;
            }
            w.capacity.heartbeat(now).await.context("heartbeat")?;
            if tick == 0 {
                match w.capacity.prove_hour(self.backend.clone(), hour).await {
                    Ok(s) if s.score > 0 => self.report.capacity_verified += 1,
                    Ok(_) => self.report.capacity_failed += 1,
                    Err(e) => {
                        tracing::warn!(device = %w.device, error = %e, "capacity challenge failed");
                        self.report.capacity_failed += 1;
                    }
                }
            }
            let mut pass = PassReport::default();
            if let Some((_, _, at)) = w.busy {
                if now >= at {
                    w.worker.submit_stored(&mut pass).await?;
                    w.busy = None;
                }
            }
            if w.busy.is_none() {
                // Jobs left in the journal by an earlier vanishing are dropped here.
                w.worker.submit_stored(&mut pass).await?;
                if let Some((class, id, spec)) = w.worker.claim_next(&mut pass).await? {
                    self.report.jobs_claimed += 1;
                    if self.rng.next_u64() % 10_000 < self.vanish_bps {
                        self.report.vanish_events += 1;
                        w.vanished_until = Some(hour.saturating_add(VANISH_HOURS));
                        w.worker.abandon(class, id).await?;
                        continue;
                    }
                    if w.worker.execute(class, id, &spec, &mut pass).await? {
                        let size = self.sizes.get(&(class, id)).copied().unwrap_or(600);
                        w.busy = Some((class, id, now.saturating_add(size)));
                    }
                }
            }
        }
        Ok(())
    }

    /// The report (utilization filled in).
    pub fn report(&self) -> ComputeReport {
        let mut r = self.report.clone();
        r.jobs_open = self.open.len() as u64;
        r.utilization_bps = r
            .busy_secs
            .saturating_mul(10_000)
            .checked_div(r.available_secs)
            .unwrap_or(0);
        r
    }

    /// Stops the oracle and removes the temporary files.
    pub fn shutdown(self) {
        self.stop.cancel();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
