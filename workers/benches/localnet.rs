//! Benchmark: wall time of `lattice localnet --hours N` (default 720 = 30 days) on the embedded
//! chain, end to end (bank start, bootstrap, one cranker pass and one record read per hour).
//!
//! `cargo bench -p lattice-workers --bench localnet` (set `LATTICE_BENCH_HOURS` to change N,
//! `LATTICE_BENCH_RUNS` for repetitions).

use lattice_migrations::LatticeConfig;
use std::{path::PathBuf, time::Instant};

fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    // The embedded runtime logs every instruction at DEBUG unless told otherwise.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let hours = env_u64("LATTICE_BENCH_HOURS", 720);
    let runs = env_u64("LATTICE_BENCH_RUNS", 3).max(1);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../app-config/localnet.toml");
    let cfg = LatticeConfig::load(&path)?;
    let rt = tokio::runtime::Runtime::new()?;
    let mut times = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        let options = lattice_workers::localnet::LocalnetOptions {
            hours,
            hotspots: 20,
            gpus: 4,
            coverage: true,
            oracles: 3,
            threshold: 2,
            faulty_oracle: false,
            compute: true,
            governance_demo: false,
            scenario: None,
        };
        let report = rt.block_on(lattice_workers::localnet::run(&cfg, &options, |_| {}))?;
        let elapsed = started.elapsed();
        assert_eq!(report.hours.len() as u64, hours);
        assert_eq!(report.totals.main_emitted, report.totals.main_schedule_sum);
        println!(
            "run {run}: localnet --hours {hours}: {:.2?} ({:.1} simulated hours/s, {:.2} ms/hour)",
            elapsed,
            hours as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1_000.0 / hours as f64
        );
        times.push(elapsed);
    }
    times.sort();
    println!(
        "localnet --hours {hours}: best {:.2?}, median {:.2?} over {runs} runs",
        times[0],
        times[times.len() / 2]
    );
    Ok(())
}
