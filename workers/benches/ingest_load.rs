//! Load test of the oracle ingest on loopback: measured capacity, then a sustained open-loop run.
//!
//! The real oracle (SQLite store, local archive, HTTP API) serves on 127.0.0.1 (an ephemeral
//! port) on a single-threaded runtime pinned to CPU 0; the load generator runs on a
//! single-threaded runtime pinned to CPU 1. Reports are real signed beacon, witness and data
//! reports (1 : 4 : 5) from 1,000 hotspots known to the oracle's directory, every one unique,
//! signed ahead of each phase (on both cores, while the oracle is idle) so signing does not
//! compete with the measurement.
//!
//! 1. Probe: closed loop (a few requests in flight) for a few seconds; the saturated throughput.
//! 2. Ramp: open-loop steps at 60 %, 70 %, ... of the probe figure, then two bisections. A step
//!    passes when every request was sent, every report acknowledged (HTTP 200), nothing timed
//!    out, p99 latency stays within `--p99-ms` and the achieved rate is at least 97 % of the
//!    offered one. The capacity is the highest passing rate.
//! 3. Run: open loop at `--fraction` (default 0.9) of the capacity for `--secs` (default 300),
//!    bounded by `--max-reports` too.
//! 4. Check: the oracle is stopped, the database reopened, every stored report read back and
//!    matched by id: loss = sent − stored, and every acknowledged report must be stored.
//!
//! Latency is measured from each request's scheduled send time (open loop: a slow answer does
//! not delay later requests, so queueing shows up in the figure rather than hiding in the
//! client), to the end of the answer's body.
//!
//! `cargo bench -p lattice-workers --bench ingest_load -- --secs 300`
//!
//! Options: `--secs N` (300), `--batch N` reports per request (100), `--rate R` reports/s (skip
//! the probe and ramp), `--fraction F` (0.9), `--max-reports N` (15,000,000), `--p99-ms N` (50),
//! `--step-secs N` (10), `--probe-secs N` (5), `--timeout-ms N` (10,000), `--max-in-flight N`
//! (512; a request that would exceed it is not sent and counted as shed).

use anyhow::{bail, ensure, Context as _, Result};
use bytes::Bytes;
use ed25519_dalek::SigningKey;
use lattice_poc_core::{
    hour::HotspotInfo,
    report::{self, BeaconReport, DataReport, ReportBody, WitnessReport},
    Position,
};
use lattice_sdk::solana::{Keypair, Pubkey};
use lattice_workers::oracle::{ingest::IngestResponse, store::Store, Clock, DaoKeys, Oracle};
use rayon::prelude::*;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::{mpsc, Semaphore};

const HOTSPOTS: u64 = 1_000;

/// Command-line options.
#[derive(Debug, Clone)]
struct Opts {
    secs: f64,
    batch: usize,
    rate: Option<f64>,
    fraction: f64,
    max_reports: u64,
    p99_ms: f64,
    step_secs: f64,
    probe_secs: f64,
    timeout_ms: u64,
    max_in_flight: usize,
}

impl Opts {
    fn parse() -> Result<Self> {
        let mut o = Self {
            secs: 300.0,
            batch: 100,
            rate: None,
            fraction: 0.9,
            max_reports: 15_000_000,
            p99_ms: 50.0,
            step_secs: 10.0,
            probe_secs: 5.0,
            timeout_ms: 10_000,
            max_in_flight: 512,
        };
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            // `cargo bench` appends `--bench` for harness = false targets.
            if a == "--bench" {
                continue;
            }
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (a.clone(), None),
            };
            let mut value = || -> Result<String> {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .with_context(|| format!("{name} needs a value"))
            };
            match name.as_str() {
                "--secs" => o.secs = value()?.parse()?,
                "--batch" => o.batch = value()?.parse()?,
                "--rate" => o.rate = Some(value()?.parse()?),
                "--fraction" => o.fraction = value()?.parse()?,
                "--max-reports" => o.max_reports = value()?.parse()?,
                "--p99-ms" => o.p99_ms = value()?.parse()?,
                "--step-secs" => o.step_secs = value()?.parse()?,
                "--probe-secs" => o.probe_secs = value()?.parse()?,
                "--timeout-ms" => o.timeout_ms = value()?.parse()?,
                "--max-in-flight" => o.max_in_flight = value()?.parse()?,
                other => bail!("unknown option {other:?}"),
            }
        }
        ensure!(
            (1..=report::MAX_BATCH_REPORTS).contains(&o.batch),
            "--batch must be 1..={}",
            report::MAX_BATCH_REPORTS
        );
        ensure!(o.secs > 0.0 && o.step_secs > 0.0 && o.probe_secs > 0.0);
        ensure!(o.fraction > 0.0 && o.max_reports > 0 && o.max_in_flight > 0);
        Ok(o)
    }
}

fn pin_to(cpu: usize) {
    // SAFETY: a zeroed cpu_set_t is valid; CPU_SET writes inside it; pid 0 = calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Signs unique reports: sequence number `seq` always yields the same report, and no two
/// sequence numbers yield the same one.
struct Signer {
    keys: Vec<SigningKey>,
    /// Next unused sequence number.
    next: u64,
    /// Report id (SHA-256 of the body) of every sequence number handed out.
    ids: Vec<[u8; 32]>,
    min_hour: u64,
    max_hour: u64,
}

/// One phase's pre-signed requests.
struct Load {
    /// First sequence number.
    first: u64,
    /// Request bodies (encoded batches of `batch` reports, the last possibly shorter).
    bodies: Vec<Bytes>,
    batch: usize,
    reports: u64,
}

impl Load {
    fn seqs(&self, request: usize) -> std::ops::Range<u64> {
        let start = self.first + (request * self.batch) as u64;
        let end = (start + self.batch as u64).min(self.first + self.reports);
        start..end
    }
}

impl Signer {
    fn new() -> Self {
        let keys = (0..HOTSPOTS)
            .map(|i| {
                let mut b = [9u8; 32];
                b[..8].copy_from_slice(&i.to_le_bytes());
                SigningKey::from_bytes(&b)
            })
            .collect();
        Self {
            keys,
            next: 0,
            ids: Vec::new(),
            min_hour: u64::MAX,
            max_hour: 0,
        }
    }

    fn body(&self, seq: u64, timestamp_ms: i64) -> (usize, ReportBody) {
        // Cycles of ten: a beacon, four witnesses of it (the next four hotspots), five packets.
        let cycle = seq / 10;
        let beaconer = (cycle % HOTSPOTS) as usize;
        let mut entropy = [0x5au8; 32];
        entropy[..8].copy_from_slice(&cycle.to_le_bytes());
        let beacon_key = self.keys[beaconer].verifying_key().to_bytes();
        let payload = report::beacon_payload(&entropy, &beacon_key).to_vec();
        match seq % 10 {
            0 => (
                beaconer,
                ReportBody::Beacon(BeaconReport {
                    hotspot: beacon_key,
                    entropy,
                    payload,
                    frequency_hz: 904_300_000,
                    tx_power_dbm: 27,
                    region: 0,
                    timestamp_ms,
                }),
            ),
            w @ 1..=4 => {
                let who = (beaconer + w as usize) % HOTSPOTS as usize;
                (
                    who,
                    ReportBody::Witness(WitnessReport {
                        hotspot: self.keys[who].verifying_key().to_bytes(),
                        payload,
                        rssi_dbm_x10: -1_050 + w as i16 * 10,
                        snr_db_x10: 55,
                        frequency_hz: 904_300_000,
                        region: 0,
                        timestamp_ms: timestamp_ms + 20,
                        tmst: (seq & 0xFFFF_FFFF) as u32,
                    }),
                )
            }
            _ => {
                let who = (seq % HOTSPOTS) as usize;
                let mut hash = [0u8; 32];
                hash[..8].copy_from_slice(&seq.to_le_bytes());
                (
                    who,
                    ReportBody::Data(DataReport {
                        hotspot: self.keys[who].verifying_key().to_bytes(),
                        devaddr: 0x4800_0000 | (seq as u32 & 0xFFFF),
                        payload_hash: hash,
                        payload_len: 48,
                        frequency_hz: 904_600_000,
                        timestamp_ms,
                    }),
                )
            }
        }
    }

    /// Sign the next `n` reports into requests of `batch`, on `pool`.
    fn load(&mut self, pool: &rayon::ThreadPool, n: u64, batch: usize) -> Load {
        let first = self.next;
        let ts = now_ms() - 1_000;
        let hour = report::hour_of_ms(ts);
        self.min_hour = self.min_hour.min(hour);
        self.max_hour = self.max_hour.max(hour);
        let me = &*self;
        let signed: Vec<(Vec<u8>, [u8; 32])> = pool.install(|| {
            (first..first + n)
                .into_par_iter()
                .map(|seq| {
                    let (who, body) = me.body(seq, ts);
                    let id = report::report_id(&body.to_bytes());
                    (body.sign(&me.keys[who]), id)
                })
                .collect()
        });
        self.ids.extend(signed.iter().map(|(_, id)| *id));
        self.next += n;
        let bodies = pool.install(|| {
            signed
                .par_chunks(batch)
                .map(|c| {
                    let wires: Vec<Vec<u8>> = c.iter().map(|(w, _)| w.clone()).collect();
                    Bytes::from(report::encode_batch(&wires))
                })
                .collect()
        });
        Load {
            first,
            bodies,
            batch,
            reports: n,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// HTTP 200: every report accepted.
    Acked,
    /// Answered with another status.
    Status(u16),
    Timeout,
    /// Connection or protocol error.
    Error,
}

struct Record {
    request: usize,
    outcome: Outcome,
    /// Reports of a non-200 answer that it said were accepted.
    partial: Vec<bool>,
    /// From the scheduled send time to the end of the answer, µs.
    latency_us: u64,
    /// From the actual send to the end of the answer, µs.
    service_us: u64,
    /// How late the request was issued after its scheduled time, µs.
    lag_us: u64,
    /// Completion, since the phase's start.
    done: Duration,
}

/// One phase's outcome.
#[derive(Default)]
struct Phase {
    offered_rate: f64,
    sent_requests: usize,
    sent_reports: u64,
    shed_requests: usize,
    acked_reports: u64,
    timeouts: usize,
    errors: usize,
    statuses: std::collections::BTreeMap<u16, usize>,
    latency_us: Vec<u64>,
    service_us: Vec<u64>,
    lag_us: Vec<u64>,
    elapsed: Duration,
    /// Per report of the load: sent, acknowledged.
    sent: Vec<bool>,
    acked: Vec<bool>,
}

fn pct(sorted: &[u64], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    Duration::from_micros(sorted[((sorted.len() as f64 - 1.0) * q).round() as usize])
}

impl Phase {
    fn achieved(&self) -> f64 {
        self.acked_reports as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn p(&self, q: f64) -> Duration {
        pct(&self.latency_us, q)
    }

    fn clean(&self) -> bool {
        self.shed_requests == 0
            && self.timeouts == 0
            && self.errors == 0
            && self.acked_reports == self.sent_reports
    }
}

async fn post(http: &reqwest::Client, url: &str, body: Bytes) -> (Outcome, Vec<bool>) {
    let resp = match http
        .post(url)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
    {
        Ok(r) => r,
        Err(e) if e.is_timeout() => return (Outcome::Timeout, Vec::new()),
        Err(_) => return (Outcome::Error, Vec::new()),
    };
    let status = resp.status().as_u16();
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) if e.is_timeout() => return (Outcome::Timeout, Vec::new()),
        Err(_) => return (Outcome::Error, Vec::new()),
    };
    if status == 200 {
        return (Outcome::Acked, Vec::new());
    }
    let partial = serde_json::from_slice::<IngestResponse>(&bytes)
        .map(|r| r.results.iter().map(|s| s == "accepted").collect())
        .unwrap_or_default();
    (Outcome::Status(status), partial)
}

/// Open loop: request `i` is due at `start + i / rate_requests`, whatever happened to earlier
/// requests.
async fn open_loop(
    http: &reqwest::Client,
    url: &str,
    load: &Load,
    rate_reports: f64,
    max_in_flight: usize,
) -> Phase {
    let interval = Duration::from_secs_f64(load.batch as f64 / rate_reports);
    let (tx, mut rx) = mpsc::unbounded_channel::<Record>();
    let permits = Arc::new(Semaphore::new(max_in_flight));
    let mut phase = Phase {
        offered_rate: rate_reports,
        sent: vec![false; load.reports as usize],
        acked: vec![false; load.reports as usize],
        ..Phase::default()
    };
    let start = tokio::time::Instant::now() + Duration::from_millis(5);
    for (i, body) in load.bodies.iter().enumerate() {
        let due = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(due).await;
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            phase.shed_requests += 1;
            continue;
        };
        phase.sent_requests += 1;
        for s in load.seqs(i) {
            phase.sent[(s - load.first) as usize] = true;
        }
        let (http, url, body, tx) = (http.clone(), url.to_owned(), body.clone(), tx.clone());
        tokio::spawn(async move {
            let sent_at = tokio::time::Instant::now();
            let (outcome, partial) = post(&http, &url, body).await;
            let end = tokio::time::Instant::now();
            drop(permit);
            let _ = tx.send(Record {
                request: i,
                outcome,
                partial,
                latency_us: (end - due).as_micros() as u64,
                service_us: (end - sent_at).as_micros() as u64,
                lag_us: (sent_at - due).as_micros() as u64,
                done: end - start,
            });
        });
    }
    drop(tx);
    let mut last = Duration::ZERO;
    while let Some(r) = rx.recv().await {
        phase.absorb(load, r, &mut last);
    }
    phase.elapsed = last;
    phase.finish();
    phase
}

/// Closed loop: `in_flight` requests outstanding, for at most `secs`.
async fn closed_loop(
    http: &reqwest::Client,
    url: &str,
    load: &Load,
    in_flight: usize,
    secs: f64,
) -> Phase {
    let mut phase = Phase {
        sent: vec![false; load.reports as usize],
        acked: vec![false; load.reports as usize],
        ..Phase::default()
    };
    let start = tokio::time::Instant::now();
    let stop = start + Duration::from_secs_f64(secs);
    let mut set = tokio::task::JoinSet::new();
    let mut next = 0;
    let mut last = Duration::ZERO;
    loop {
        while set.len() < in_flight
            && next < load.bodies.len()
            && tokio::time::Instant::now() < stop
        {
            let i = next;
            next += 1;
            phase.sent_requests += 1;
            for s in load.seqs(i) {
                phase.sent[(s - load.first) as usize] = true;
            }
            let (http, url, body) = (http.clone(), url.to_owned(), load.bodies[i].clone());
            set.spawn(async move {
                let t = tokio::time::Instant::now();
                let (outcome, partial) = post(&http, &url, body).await;
                let end = tokio::time::Instant::now();
                let us = (end - t).as_micros() as u64;
                Record {
                    request: i,
                    outcome,
                    partial,
                    latency_us: us,
                    service_us: us,
                    lag_us: 0,
                    done: end - start,
                }
            });
        }
        match set.join_next().await {
            Some(Ok(r)) => phase.absorb(load, r, &mut last),
            Some(Err(_)) => phase.errors += 1,
            None => break,
        }
    }
    phase.elapsed = last;
    phase.finish();
    phase
}

impl Phase {
    fn absorb(&mut self, load: &Load, r: Record, last: &mut Duration) {
        let seqs = load.seqs(r.request);
        self.sent_reports += seqs.end - seqs.start;
        match r.outcome {
            Outcome::Acked => {
                for s in seqs.clone() {
                    self.acked[(s - load.first) as usize] = true;
                }
                self.acked_reports += seqs.end - seqs.start;
            }
            Outcome::Status(code) => {
                self.errors += 1;
                *self.statuses.entry(code).or_default() += 1;
                for (s, ok) in seqs.clone().zip(&r.partial) {
                    if *ok {
                        self.acked[(s - load.first) as usize] = true;
                        self.acked_reports += 1;
                    }
                }
            }
            Outcome::Timeout => self.timeouts += 1,
            Outcome::Error => self.errors += 1,
        }
        self.latency_us.push(r.latency_us);
        self.service_us.push(r.service_us);
        self.lag_us.push(r.lag_us);
        *last = (*last).max(r.done);
    }

    fn finish(&mut self) {
        self.latency_us.sort_unstable();
        self.service_us.sort_unstable();
        self.lag_us.sort_unstable();
    }
}

fn line(label: &str, p: &Phase) -> String {
    format!(
        "{label}: offered {:>7.0}/s achieved {:>7.0}/s | latency p50 {:>8.2?} p99 {:>8.2?} max {:>8.2?} | sent {} acked {} shed {} timeouts {} errors {}{}",
        p.offered_rate,
        p.achieved(),
        p.p(0.5),
        p.p(0.99),
        p.p(1.0),
        p.sent_reports,
        p.acked_reports,
        p.shed_requests,
        p.timeouts,
        p.errors,
        if p.statuses.is_empty() {
            String::new()
        } else {
            format!(" {:?}", p.statuses)
        }
    )
}

fn main() -> Result<()> {
    if std::env::var("RUST_LOG").is_err() {
        std::env::set_var("RUST_LOG", "error");
    }
    let opts = Opts::parse()?;
    // The signing pool spans both cores (threads keep the affinity they are created with).
    let pool = rayon::ThreadPoolBuilder::new().build()?;
    let mut signer = Signer::new();
    let keys: Vec<[u8; 32]> = signer
        .keys
        .iter()
        .map(|k| k.verifying_key().to_bytes())
        .collect();

    let dir = std::env::temp_dir().join(format!("lattice-ingest-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = format!("sqlite://{}", dir.join("oracle.db").display());
    let archive = dir.join("archive").display().to_string();

    // The oracle: one thread on CPU 0.
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server_db = db.clone();
    let server = std::thread::spawn(move || -> Result<u64> {
        pin_to(0);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let chain = lattice_sdk::embedded::EmbeddedChain::start_default().await;
            let cfg = lattice_migrations::config::OracleConfig {
                database_url: server_db,
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
    let addr = addr_rx.recv().context("oracle did not start")?;

    // The load generator: one thread (this one) on CPU 1.
    pin_to(1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let url = format!("http://{addr}/v1/reports");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(opts.timeout_ms))
        .build()?;
    println!(
        "oracle on {addr} (SQLite store, local archive), server on CPU 0, load generator on CPU 1; {} reports per request",
        opts.batch
    );

    // Capacity.
    let mut phases: Vec<(String, Load, Phase)> = Vec::new();
    let capacity = match opts.rate {
        Some(r) => {
            println!("rate given: {r:.0} reports/s (no probe or ramp)");
            None
        }
        None => {
            let load = signer.load(&pool, 400_000, opts.batch);
            let probe = rt.block_on(closed_loop(&http, &url, &load, 4, opts.probe_secs));
            let x = probe.achieved();
            println!("{}", line("probe (closed loop, 4 in flight)", &probe));
            ensure!(probe.clean() && x > 0.0, "the probe itself failed");
            phases.push(("probe".into(), load, probe));

            let p99_bound = Duration::from_secs_f64(opts.p99_ms / 1e3);
            let mut step = |rate: f64, phases: &mut Vec<(String, Load, Phase)>| -> bool {
                let n = ((rate * opts.step_secs) as u64).max(opts.batch as u64);
                let load = signer.load(&pool, n, opts.batch);
                let p = rt.block_on(open_loop(&http, &url, &load, rate, opts.max_in_flight));
                let pass = p.clean()
                    && p.p(0.99) <= p99_bound
                    && p.achieved() >= 0.97 * rate.min(n as f64 / opts.step_secs);
                println!(
                    "{} {}",
                    line(&format!("step {:>5.1}%", rate / x * 100.0), &p),
                    if pass { "PASS" } else { "FAIL" }
                );
                phases.push((format!("step {rate:.0}"), load, p));
                pass
            };
            let mut best: Option<f64> = None;
            let mut fail: Option<f64> = None;
            for k in 0..=24 {
                let rate = x * (0.6 + 0.1 * k as f64);
                if step(rate, &mut phases) {
                    best = Some(rate);
                } else {
                    fail = Some(rate);
                    break;
                }
            }
            let mut lo = best.context("no ramp step passed (lower --p99-ms or --batch?)")?;
            if let Some(mut hi) = fail {
                for _ in 0..2 {
                    let mid = (lo + hi) / 2.0;
                    if step(mid, &mut phases) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
            }
            println!(
                "capacity: {lo:.0} reports/s ({:.0} requests/s of {}), p99 <= {} ms, no loss",
                lo / opts.batch as f64,
                opts.batch,
                opts.p99_ms
            );
            Some(lo)
        }
    };

    // The sustained run.
    let rate = opts
        .rate
        .unwrap_or_else(|| capacity.unwrap_or(0.0) * opts.fraction);
    let n = ((rate * opts.secs) as u64).min(opts.max_reports);
    let t = Instant::now();
    let load = signer.load(&pool, n, opts.batch);
    println!(
        "run: {n} reports in {} requests at {rate:.0} reports/s = {:.0} s (signed in {:.1?})",
        load.bodies.len(),
        n as f64 / rate,
        t.elapsed()
    );
    let run = rt.block_on(open_loop(&http, &url, &load, rate, opts.max_in_flight));
    println!("{}", line("run", &run));
    phases.push(("run".into(), load, run));
    drop(http);

    // Stop the oracle and read back what it stored.
    let _ = stop_tx.send(());
    let counted = server
        .join()
        .map_err(|_| anyhow::anyhow!("oracle panicked"))??;
    let (stored_ids, rows) = rt.block_on(async {
        let store = Store::connect(&db).await?;
        let rows = store.report_count().await?;
        let mut ids = Vec::new();
        for hour in signer.min_hour..=signer.max_hour {
            for w in store.reports_of_hour(hour).await? {
                ensure!(w.len() > report::SIGNATURE_LEN, "short stored report");
                ids.push(report::report_id(&w[..w.len() - report::SIGNATURE_LEN]));
            }
        }
        Ok::<_, anyhow::Error>((ids, rows))
    })?;
    let mut sorted = stored_ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    println!(
        "store: {rows} reports (row sum after reopening; {counted} at shutdown), {} read back, {} distinct",
        stored_ids.len(),
        sorted.len()
    );
    let is_stored = |seq: u64| sorted.binary_search(&signer.ids[seq as usize]).is_ok();
    let mut all_ok = sorted.len() == stored_ids.len() && rows == stored_ids.len() as u64;
    let mut total_stored = 0u64;
    for (name, load, p) in &phases {
        let mut stored = 0u64;
        let mut stored_unsent = 0u64;
        let mut acked_missing = 0u64;
        for (k, seq) in (load.first..load.first + load.reports).enumerate() {
            let s = is_stored(seq);
            stored += u64::from(s);
            stored_unsent += u64::from(s && !p.sent[k]);
            acked_missing += u64::from(p.acked[k] && !s);
        }
        total_stored += stored;
        let loss = p.sent_reports as i64 - stored as i64;
        if name == "run" {
            println!(
                "run check: sent {} stored {stored} acknowledged {} acknowledged-but-missing {acked_missing} => loss {loss}",
                p.sent_reports, p.acked_reports
            );
        }
        all_ok &= acked_missing == 0 && stored_unsent == 0;
        if name == "run" || name == "probe" {
            all_ok &= loss == 0;
        }
    }
    all_ok &= total_stored == rows;

    let (_, load, run) = phases.last().context("no run")?;
    println!();
    println!("=== ingest load test (loopback, server 1 core + client 1 core) ===");
    if let Some(c) = capacity {
        println!(
            "capacity            {c:.0} reports/s (highest open-loop rate with p99 <= {} ms and no loss)",
            opts.p99_ms
        );
    }
    println!(
        "offered             {:.0} reports/s ({:.0}% of capacity), {} reports per request, {} requests",
        run.offered_rate,
        capacity.map_or(100.0, |c| run.offered_rate / c * 100.0),
        opts.batch,
        load.bodies.len()
    );
    println!("duration            {:.1} s", run.elapsed.as_secs_f64());
    println!(
        "achieved            {:.0} reports/s ({:.1} requests/s)",
        run.achieved(),
        run.acked_reports as f64 / opts.batch as f64 / run.elapsed.as_secs_f64()
    );
    println!(
        "latency (from schedule) p50 {:.2?}  p90 {:.2?}  p99 {:.2?}  p99.9 {:.2?}  max {:.2?}",
        run.p(0.5),
        run.p(0.9),
        run.p(0.99),
        run.p(0.999),
        run.p(1.0)
    );
    println!(
        "service time        p50 {:.2?}  p99 {:.2?}  max {:.2?}; client send lag p99 {:.2?} max {:.2?}",
        pct(&run.service_us, 0.5),
        pct(&run.service_us, 0.99),
        pct(&run.service_us, 1.0),
        pct(&run.lag_us, 0.99),
        pct(&run.lag_us, 1.0)
    );
    println!(
        "sent {} / acknowledged {} / shed {} / timeouts {} / errors {}",
        run.sent_reports, run.acked_reports, run.shed_requests, run.timeouts, run.errors
    );
    let run_stored = (load.first..load.first + load.reports)
        .filter(|s| is_stored(*s))
        .count() as u64;
    println!(
        "loss                {} (sent − stored; stored {run_stored})",
        run.sent_reports as i64 - run_stored as i64
    );
    let _ = std::fs::remove_dir_all(&dir);
    ensure!(
        all_ok,
        "loss or an unacknowledged inconsistency (see above)"
    );
    Ok(())
}
