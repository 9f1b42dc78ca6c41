//! `lattice`: one binary for operators, dApps and voters.

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_sdk::{
    rpc::RpcChain,
    solana::{Keypair, Pubkey, Signer},
};
use lattice_workers::{
    cranker::Cranker,
    localnet,
    ops::{self, DcAmount, DeviceKind, Operator},
    task, telemetry,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "lattice",
    version,
    about = "Lattice DePIN protocol: localnet, bootstrap, cranker"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the real programs on an embedded chain: bootstrap from config, crank N hours, report.
    Localnet {
        /// Simulated hours to run (default 24; a scenario's own length with --scenario).
        #[arg(long)]
        hours: Option<u64>,
        /// Hotspots to register (spread over H3 cells around the configured city); each runs a
        /// hotspot worker, and every tenth one cheats.
        #[arg(long, default_value_t = 40)]
        hotspots: usize,
        /// GPU nodes to register.
        #[arg(long, default_value_t = 4)]
        gpus: usize,
        /// Protocol parameters (LATTICE__SECTION__KEY variables override them).
        #[arg(long, default_value = "app-config/localnet.toml")]
        config: PathBuf,
        /// Print one JSON object instead of the table.
        #[arg(long)]
        json: bool,
        /// Skip the GPU job market (no GPU workers or jobs; compute DC burned directly).
        #[arg(long)]
        no_compute: bool,
        /// Skip proof of coverage (no hotspot workers, no oracle; coverage DC burned directly).
        #[arg(long)]
        no_coverage: bool,
        /// Reward oracles posting roots of cumulative rewards.
        #[arg(long, default_value_t = 3)]
        oracles: usize,
        /// Identical roots needed to finalize an epoch (more than half of --oracles).
        #[arg(long, default_value_t = 2)]
        threshold: u8,
        /// Make one oracle lie (it credits one device with the whole hour).
        #[arg(long)]
        faulty_oracle: bool,
        /// Governance scenario: holders lock and delegate, a proposal changing the utility
        /// weights passes, waits out its timelock and executes (needs 8 hours or more).
        #[arg(long)]
        governance_demo: bool,
        /// A scripted scenario: `demand-growth` (a month of growing demand on a network whose
        /// emissions are sized to it; prints the economics dashboard by day).
        #[arg(long)]
        scenario: Option<localnet::scenario::Scenario>,
        /// Write the economics dashboard's chart (`.svg` or `.png`) over the run's hours.
        #[arg(long)]
        chart: Option<PathBuf>,
    },
    /// Initialize the DAO and sub-DAOs on a cluster (e.g. solana-test-validator) from config.
    Bootstrap {
        /// JSON-RPC URL.
        #[arg(long, short = 'u', default_value = "http://127.0.0.1:8899")]
        url: String,
        /// Payer and bootstrap authority keypair file (Solana CLI JSON format).
        #[arg(long, short = 'k')]
        keypair: PathBuf,
        /// Protocol parameters.
        #[arg(long, default_value = "app-config/devnet.toml")]
        config: PathBuf,
        /// Main-mint keypair file; created if missing. Re-running with it resumes a bootstrap.
        #[arg(long, default_value = "main-mint.json")]
        main_mint_keypair: PathBuf,
        /// Where to write the deployment's addresses (JSON).
        #[arg(long, default_value = "deployment.json")]
        out: PathBuf,
    },
    /// Data credits: mint (burning main tokens) and delegate to a sub-DAO payer.
    Dc {
        #[command(subcommand)]
        command: DcCommand,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Devices: register hotspots and GPU nodes, assert locations, transfer, close, unstake.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// The proof-of-coverage oracle: report ingest, hourly verification, shares, rewards API.
    Oracle {
        #[command(subcommand)]
        command: OracleCommand,
    },
    /// The node worker: a hotspot behind a LoRa concentrator (Semtech UDP packet forwarder).
    Node {
        #[command(subcommand)]
        command: NodeCommand,
    },
    /// Rewards: what a device can claim, and bulk claims for a wallet's devices.
    Rewards {
        #[command(subcommand)]
        command: RewardsCommand,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// GPU jobs: post, status, cancel, finalize.
    Job {
        #[command(subcommand)]
        command: JobCommand,
    },
    /// Vote escrow: lock main tokens, extend, withdraw, delegate to a sub-DAO, claim rewards.
    Stake {
        #[command(subcommand)]
        command: StakeCommand,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Governance: propose typed parameter changes, vote, execute, list, show.
    Gov {
        #[command(subcommand)]
        command: GovCommand,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Convert between a sub-DAO token and the main token through the sub-DAO treasury pool.
    Convert {
        /// Sub-DAO name.
        #[arg(long)]
        sub_dao: String,
        /// Direction: `main` (sell sub-DAO tokens) or `sub` (buy them with main tokens).
        #[arg(long, value_parser = ["main", "sub"])]
        to: String,
        /// Input amount, base units.
        #[arg(long)]
        amount: u64,
        /// Accepted slippage from the quote, basis points (sets min_out).
        #[arg(long, default_value_t = 50)]
        slippage_bps: u16,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Economics dashboard: emission vs burn, revenue vs incentives, GPU utilization, devices,
    /// DC share and staking ratio per hour, read from the chain; optionally a chart.
    Stats {
        /// Complete hours to show, ending with the last one.
        #[arg(long, default_value_t = 24)]
        hours: u64,
        /// Hours per table row and chart point (default: 1 up to 48 hours, else 24).
        #[arg(long)]
        every: Option<usize>,
        /// Write a chart (`.svg` or `.png`): emitted vs burned, utilization and ratios.
        #[arg(long)]
        chart: Option<PathBuf>,
        /// Print one JSON object instead of the table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Run the cranker daemon against a cluster.
    Crank {
        /// JSON-RPC URL.
        #[arg(long, short = 'u', default_value = "http://127.0.0.1:8899")]
        url: String,
        /// Fee payer keypair file.
        #[arg(long, short = 'k')]
        keypair: PathBuf,
        /// The DAO's main mint.
        #[arg(long)]
        main_mint: Pubkey,
        /// Cranker settings.
        #[arg(long, default_value = "app-config/devnet.toml")]
        config: PathBuf,
        /// One pass, then exit.
        #[arg(long)]
        once: bool,
    },
}

#[derive(Subcommand)]
enum OracleCommand {
    /// Run the oracle daemon (settings in `[oracle]`; LATTICE__ORACLE__KEY overrides them).
    Run {
        /// JSON-RPC URL of the cluster (registrations, entropy, DC burns).
        #[arg(long, short = 'u', default_value = "http://127.0.0.1:8899")]
        url: String,
        /// The DAO's main mint.
        #[arg(long)]
        main_mint: Pubkey,
        /// Oracle keypair (the coverage sub-DAO's DC burn authority); default `oracle.keypair`.
        #[arg(long, short = 'k')]
        keypair: Option<PathBuf>,
        /// Settings.
        #[arg(long, default_value = "app-config/devnet.toml")]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum NodeCommand {
    /// Run a hotspot (settings in `[node]`; LATTICE__NODE__KEY overrides them).
    Run {
        /// Device keypair; default `node.keypair`.
        #[arg(long, short = 'k')]
        keypair: Option<PathBuf>,
        /// Settings.
        #[arg(long, default_value = "app-config/devnet.toml")]
        config: PathBuf,
        #[command(flatten)]
        gpu: GpuArgs,
    },
    /// A hotspot's rewards per hour and every rejected report with its reason.
    Rewards {
        /// The device key.
        #[arg(long)]
        device: Pubkey,
        /// Hours back.
        #[arg(long, default_value_t = 24)]
        hours: u64,
        /// Oracle URL; default `node.oracle_url`.
        #[arg(long)]
        oracle_url: Option<String>,
        /// Settings.
        #[arg(long, default_value = "app-config/devnet.toml")]
        config: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// GPU mode of `lattice node run`: work the compute job markets instead of a LoRa radio.
#[derive(clap::Args, Debug)]
struct GpuArgs {
    /// Run as a GPU node: take jobs from the markets' on-chain queues, answer the oracle's hourly
    /// capacity challenge and send heartbeats (needs `node.rpc_url`, `node.main_mint` and
    /// `node.oracle_url`; the device key pays transaction fees).
    #[arg(long)]
    gpu: bool,
    /// Market classes to take jobs from.
    #[arg(long, value_delimiter = ',', default_value = "0")]
    classes: Vec<u8>,
    /// Directory results are stored in (published as file:// URIs).
    #[arg(long, default_value = "lattice-results")]
    results_dir: PathBuf,
    /// Container engine address (`unix:///run/docker.sock`, `http://host:2375`); default: the
    /// local engine if one answers, else container jobs are skipped.
    #[arg(long)]
    engine: Option<String>,
    /// Allow-listed local programs, `name=/path/to/executable`.
    #[arg(long = "allow", value_parser = parse_allow)]
    allow: Vec<(String, PathBuf)>,
    /// CPU GEMM threads when no CUDA device is used (0 = one per core).
    #[arg(long, default_value_t = 0)]
    cpu_threads: usize,
    /// Seconds between queue polls.
    #[arg(long, default_value_t = 5)]
    poll_secs: u64,
}

fn parse_allow(s: &str) -> Result<(String, PathBuf), String> {
    let (name, path) = s.split_once('=').ok_or("expected name=/path")?;
    Ok((name.to_string(), PathBuf::from(path)))
}

/// GPU jobs in the compute markets.
#[derive(Subcommand)]
enum JobCommand {
    /// Post a job: escrows price × max duration DC from the wallet's DC account.
    Post {
        /// Market class.
        #[arg(long, default_value_t = 0)]
        class: u8,
        /// The job spec (JSON; see docs/ARCHITECTURE.md, "GPU job flow").
        #[arg(long)]
        spec: PathBuf,
        /// Where workers fetch the spec; default: inline as a data: URI (short specs only).
        #[arg(long)]
        uri: Option<String>,
        /// Longest run, seconds.
        #[arg(long)]
        max_duration: u64,
        /// Price, DC per second.
        #[arg(long)]
        price: u64,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// A job's state, node, times, result and DC settlement.
    Status {
        /// Market class.
        #[arg(long, default_value_t = 0)]
        class: u8,
        /// Job id.
        #[arg(long)]
        id: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Cancel a job that no node has claimed yet (full refund).
    Cancel {
        /// Market class.
        #[arg(long, default_value_t = 0)]
        class: u8,
        /// Job id.
        #[arg(long)]
        id: u64,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Finalize a submitted job after its verification window (anyone may), or time out a
    /// claimed job past its deadline (refund + slash).
    Finalize {
        /// Market class.
        #[arg(long, default_value_t = 0)]
        class: u8,
        /// Job id.
        #[arg(long)]
        id: u64,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
}

/// Lock kinds on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum LockKindArg {
    /// Power decays over the last 4 years; the tokens unlock at the end.
    Cliff,
    /// Power stays until unlocked (`extend --kind cliff`), then decays like a cliff.
    Constant,
}

impl From<LockKindArg> for lattice_governance::LockKind {
    fn from(k: LockKindArg) -> Self {
        match k {
            LockKindArg::Cliff => Self::Cliff,
            LockKindArg::Constant => Self::Constant,
        }
    }
}

#[derive(Subcommand)]
enum StakeCommand {
    /// Lock main tokens in a new position.
    Lock {
        /// Main-token base units.
        #[arg(long)]
        amount: u64,
        /// Lock kind.
        #[arg(long, value_enum, default_value = "cliff")]
        kind: LockKindArg,
        /// Lock length, hours (up to the longest lock, 35 040 = 4 years by default).
        #[arg(long)]
        hours: u64,
        /// Position id (default: the first free one).
        #[arg(long)]
        id: Option<u64>,
    },
    /// Extend a lock, or unlock a constant lock (`--kind cliff` with the same hours).
    Extend {
        #[arg(long)]
        id: u64,
        #[arg(long, value_enum)]
        kind: LockKindArg,
        #[arg(long)]
        hours: u64,
    },
    /// Withdraw an expired, undelegated position.
    Withdraw {
        #[arg(long)]
        id: u64,
    },
    /// Delegate a position to a sub-DAO (moves it if delegated elsewhere), from the next hour.
    Delegate {
        #[arg(long)]
        id: u64,
        /// Sub-DAO name.
        #[arg(long)]
        sub_dao: String,
    },
    /// Stop delegating from the next hour (unclaimed rewards stay claimable).
    Undelegate {
        #[arg(long)]
        id: u64,
    },
    /// Claim a position's staker rewards.
    Claim {
        #[arg(long)]
        id: u64,
    },
    /// The wallet's positions.
    List,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ChoiceArg {
    Yes,
    No,
    Abstain,
}

#[derive(Subcommand)]
enum GovCommand {
    /// Propose the changes of a TOML file (see docs/GOVERNANCE.md) and open voting.
    Propose {
        /// The proposal file.
        #[arg(long)]
        file: PathBuf,
        /// The proposer's position id (needs the minimum power).
        #[arg(long)]
        position: u64,
        /// Only draft it (open voting later with `gov start`).
        #[arg(long)]
        draft: bool,
    },
    /// Open a draft for votes (proposer).
    Start {
        #[arg(long)]
        id: u64,
    },
    /// Cancel a draft (proposer).
    Cancel {
        #[arg(long)]
        id: u64,
    },
    /// Vote with the wallet's positions (all that can vote, or those given).
    Vote {
        #[arg(long)]
        id: u64,
        #[arg(long, value_enum)]
        choice: ChoiceArg,
        /// Position ids (default: every position that can vote).
        #[arg(long)]
        position: Vec<u64>,
    },
    /// Finalize a proposal whose voting is over and execute its changes (after the timelock).
    Execute {
        #[arg(long)]
        id: u64,
    },
    /// Every proposal: id, state, tallies, URI.
    List,
    /// One proposal in full.
    Show {
        #[arg(long)]
        id: u64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RewardsCommand {
    /// Cumulative earned (oracle), claimed (chain) and claimable for a device.
    Status {
        /// The device key.
        #[arg(long)]
        device: Pubkey,
        /// Sub-DAO name.
        #[arg(long, default_value = "coverage")]
        sub_dao: String,
        /// Oracle URL; default `node.oracle_url`.
        #[arg(long)]
        oracle_url: Option<String>,
    },
    /// Claim for every device of a wallet (or the given devices), packed into the fewest
    /// transactions; the wallet (`--keypair`) pays the fees.
    Claim {
        /// The devices' owner (claims pay its rewards-token account).
        #[arg(long)]
        owner: Pubkey,
        /// Devices to claim for (default: the owner's devices known to the oracle).
        #[arg(long = "device")]
        devices: Vec<Pubkey>,
        /// Sub-DAO name.
        #[arg(long, default_value = "coverage")]
        sub_dao: String,
        /// Oracle URL; default `node.oracle_url`.
        #[arg(long)]
        oracle_url: Option<String>,
        /// Skip devices with less than this claimable (base units).
        #[arg(long, default_value_t = 1)]
        min: u64,
    },
}

/// Where and as whom to act (Solana CLI conventions).
#[derive(clap::Args)]
struct ClusterArgs {
    /// JSON-RPC URL.
    #[arg(
        long,
        short = 'u',
        global = true,
        default_value = "http://127.0.0.1:8899"
    )]
    url: String,
    /// Wallet keypair file; defaults to the Solana CLI config's keypair.
    #[arg(long, short = 'k', global = true)]
    keypair: Option<PathBuf>,
    /// The deployment's main mint (see deployment.json).
    #[arg(long, global = true)]
    main_mint: Option<Pubkey>,
    /// Protocol parameters (sub-DAO names, fees).
    #[arg(long, global = true, default_value = "app-config/devnet.toml")]
    config: PathBuf,
}

#[derive(Subcommand)]
enum DcCommand {
    /// Burn main tokens and mint DC at the oracle price.
    Mint {
        /// Main tokens to burn, in base units.
        #[arg(long, conflicts_with = "dc", required_unless_present = "dc")]
        main: Option<u64>,
        /// DC to mint.
        #[arg(long)]
        dc: Option<u64>,
        /// Who receives the DC (default: the wallet).
        #[arg(long)]
        recipient: Option<Pubkey>,
        /// The PriceUpdateV2 account of the MAIN/USD feed.
        #[arg(long)]
        price_account: Pubkey,
    },
    /// Move DC into a sub-DAO payer escrow (a router or a dApp account).
    Delegate {
        /// Sub-DAO name.
        #[arg(long)]
        sub_dao: String,
        /// The payer key the escrow belongs to.
        #[arg(long)]
        payer_key: Pubkey,
        /// DC to move.
        #[arg(long)]
        amount: u64,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Register a hotspot; its device key signs, the onboarding fee is burned in DC.
    RegisterHotspot {
        /// The device keypair file.
        #[arg(long)]
        device_keypair: PathBuf,
        #[command(flatten)]
        position: PositionArgs,
    },
    /// Register a GPU node; specs are detected with NVML when a GPU is present, else the flags.
    RegisterGpu {
        /// The device keypair file.
        #[arg(long)]
        device_keypair: PathBuf,
        /// GPU model (when not detected).
        #[arg(long)]
        model: Option<String>,
        /// VRAM per GPU, GiB (when not detected).
        #[arg(long)]
        vram_gb: Option<u16>,
        /// Number of GPUs (when not detected).
        #[arg(long)]
        gpu_count: Option<u8>,
        /// Region code (ISO 3166-1 alpha-2).
        #[arg(long)]
        region: String,
    },
    /// Re-assert a hotspot's location (the fee is burned only if the cell changes).
    AssertLocation {
        /// The device key.
        #[arg(long)]
        device: Pubkey,
        #[command(flatten)]
        position: PositionArgs,
    },
    /// Hand a device to a new owner.
    Transfer {
        /// The device key.
        #[arg(long)]
        device: Pubkey,
        /// hotspot or gpu.
        #[arg(long, value_enum)]
        kind: DeviceKind,
        /// The new owner.
        #[arg(long)]
        new_owner: Pubkey,
    },
    /// Close a device (rent refunded; a GPU node's stake returns after the cooldown).
    Close {
        /// The device key.
        #[arg(long)]
        device: Pubkey,
        /// hotspot or gpu.
        #[arg(long, value_enum)]
        kind: DeviceKind,
    },
    /// Start a GPU node's unstaking cooldown.
    Unstake {
        /// The device key.
        #[arg(long)]
        device: Pubkey,
    },
}

/// A hotspot's asserted position.
#[derive(clap::Args)]
struct PositionArgs {
    /// Latitude, degrees (with --lng).
    #[arg(long, requires = "lng", allow_hyphen_values = true)]
    lat: Option<f64>,
    /// Longitude, degrees (with --lat).
    #[arg(long, requires = "lat", allow_hyphen_values = true)]
    lng: Option<f64>,
    /// H3 cell (hex), instead of --lat/--lng.
    #[arg(long, conflicts_with_all = ["lat", "lng"])]
    h3: Option<String>,
    /// Antenna gain, dBi.
    #[arg(long, default_value_t = 4.0)]
    gain: f64,
    /// Elevation above ground, metres.
    #[arg(long, default_value_t = 0)]
    elevation: i32,
}

impl PositionArgs {
    fn location(&self, resolution: u8) -> Result<lattice_registry::HotspotLocation> {
        ops::hotspot_location(
            self.lat.zip(self.lng),
            self.h3.as_deref(),
            resolution,
            self.gain,
            self.elevation,
        )
    }
}

/// Read a Solana CLI keypair file (a JSON array of 64 bytes).
fn read_keypair(path: &Path) -> Result<Keypair> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let bytes: Vec<u8> =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Keypair::try_from(bytes.as_slice()).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn write_keypair(path: &Path, kp: &Keypair) -> Result<()> {
    let json = serde_json::to_string(&kp.to_bytes().to_vec())?;
    std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))
}

/// Config, wallet, main mint and an RPC chain from the common flags.
/// Print `stats` as a table (rows of `every` hours) or JSON, and write the chart if asked.
fn print_stats(
    stats: &lattice_workers::stats::Stats,
    every: Option<usize>,
    chart: Option<&std::path::Path>,
    json: bool,
) -> Result<()> {
    let every = every.unwrap_or(if stats.hours.len() > 48 { 24 } else { 1 });
    if let Some(path) = chart {
        lattice_workers::stats::render_chart(stats, every, path)?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(stats)?);
    } else {
        print!("{}", lattice_workers::stats::render_table(stats, every));
        if let Some(path) = chart {
            println!("chart written to {}", path.display());
        }
    }
    Ok(())
}

fn connect(c: &ClusterArgs) -> Result<(LatticeConfig, Keypair, Pubkey, RpcChain)> {
    let cfg = LatticeConfig::load(&c.config)?;
    let path = match &c.keypair {
        Some(p) => p.clone(),
        None => ops::default_keypair_path().context("no --keypair and no home directory")?,
    };
    let wallet = read_keypair(&path)?;
    let main_mint = c.main_mint.context(
        "--main-mint is required (see the deployment.json written by `lattice bootstrap`)",
    )?;
    Ok((cfg, wallet, main_mint, RpcChain::new(c.url.clone())))
}

#[tokio::main]
async fn main() -> Result<()> {
    telemetry::init_tracing();
    let cli = Cli::parse();
    match cli.command {
        Command::Localnet {
            hours,
            hotspots,
            gpus,
            config,
            json,
            no_coverage,
            no_compute,
            oracles,
            threshold,
            faulty_oracle,
            governance_demo,
            scenario,
            chart,
        } => {
            let hours = hours.unwrap_or_else(|| scenario.map_or(24, |s| s.default_hours()));
            let cfg = LatticeConfig::load(&config)?;
            tracing::info!(?config, hours, "starting localnet");
            let bar = if json {
                ProgressBar::hidden()
            } else {
                ProgressBar::new(hours)
            };
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} hour {pos}/{len} [{bar:40}] {elapsed_precise} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let started = std::time::Instant::now();
            let options = localnet::LocalnetOptions {
                hours,
                hotspots,
                gpus,
                // The scenario burns coverage DC through escrows: a month of proof of coverage
                // would take hours.
                coverage: !no_coverage && scenario.is_none(),
                oracles,
                threshold,
                faulty_oracle,
                compute: !no_compute,
                governance_demo,
                scenario,
            };
            // The programs run natively and `msg!` writes to stdout; send it to stderr while the
            // simulation runs so stdout carries only the report (e.g. `--json | jq`).
            let report = {
                let _stdout = StdoutToStderr::new();
                localnet::run(&cfg, &options, |i| bar.set_position(i)).await?
            };
            bar.finish_and_clear();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&localnet::render_json(&report))?
                );
                if let Some(path) = &chart {
                    let every = if hours > 48 { 24 } else { 1 };
                    lattice_workers::stats::render_chart(&report.stats, every, path)?;
                }
            } else if scenario.is_some() {
                print_stats(&report.stats, None, chart.as_deref(), false)?;
                println!(
                    "wall time {:.2?} for {hours} simulated hours",
                    started.elapsed()
                );
            } else {
                print!("{}", localnet::render_table(&report));
                if let Some(path) = &chart {
                    let every = if hours > 48 { 24 } else { 1 };
                    lattice_workers::stats::render_chart(&report.stats, every, path)?;
                    println!("chart written to {}", path.display());
                }
                println!("wall time             {:.2?}", started.elapsed());
            }
        }
        Command::Bootstrap {
            url,
            keypair,
            config,
            main_mint_keypair,
            out,
        } => {
            let cfg = LatticeConfig::load(&config)?;
            let payer = read_keypair(&keypair)?;
            let main_mint = if main_mint_keypair.exists() {
                read_keypair(&main_mint_keypair)?
            } else {
                let kp = Keypair::new();
                write_keypair(&main_mint_keypair, &kp)?;
                kp
            };
            let chain = RpcChain::new(url);
            let deployment = bootstrap(
                &chain,
                &cfg,
                &cfg.send_options(),
                &payer,
                &payer,
                &main_mint,
            )
            .await?;
            let json = serde_json::to_string_pretty(&deployment)?;
            std::fs::write(&out, &json).with_context(|| format!("writing {}", out.display()))?;
            println!("{json}");
        }
        Command::Dc { command, cluster } => {
            let (cfg, wallet, main_mint, chain) = connect(&cluster)?;
            let op = Operator {
                chain: &chain,
                cfg: &cfg,
                main_mint,
                wallet: &wallet,
                opts: cfg.send_options(),
            };
            let sig = match command {
                DcCommand::Mint {
                    main,
                    dc,
                    recipient,
                    price_account,
                } => {
                    let amount = match (main, dc) {
                        (Some(m), None) => DcAmount::Main(m),
                        (None, Some(d)) => DcAmount::Dc(d),
                        _ => anyhow::bail!("give exactly one of --main and --dc"),
                    };
                    let to = recipient.unwrap_or(wallet.pubkey());
                    op.dc_mint(amount, &to, &price_account).await?
                }
                DcCommand::Delegate {
                    sub_dao,
                    payer_key,
                    amount,
                } => op.dc_delegate(&sub_dao, &payer_key, amount).await?,
            };
            println!("{sig}");
        }
        Command::Device { command, cluster } => {
            let (cfg, wallet, main_mint, chain) = connect(&cluster)?;
            let op = Operator {
                chain: &chain,
                cfg: &cfg,
                main_mint,
                wallet: &wallet,
                opts: cfg.send_options(),
            };
            let res = cfg.registry.h3_resolution;
            let sig = match command {
                DeviceCommand::RegisterHotspot {
                    device_keypair,
                    position,
                } => {
                    let device = read_keypair(&device_keypair)?;
                    op.register_hotspot(&device, position.location(res)?)
                        .await?
                }
                DeviceCommand::RegisterGpu {
                    device_keypair,
                    model,
                    vram_gb,
                    gpu_count,
                    region,
                } => {
                    let device = read_keypair(&device_keypair)?;
                    let (model, vram_gb, gpu_count) = match ops::detect_gpus() {
                        Some(found) => {
                            tracing::info!(?found, "GPU specs detected with NVML");
                            found
                        }
                        None => (
                            model.context("no GPU detected: pass --model")?,
                            vram_gb.context("no GPU detected: pass --vram-gb")?,
                            gpu_count.context("no GPU detected: pass --gpu-count")?,
                        ),
                    };
                    let region: [u8; 2] = region
                        .as_bytes()
                        .try_into()
                        .map_err(|_| anyhow::anyhow!("--region: two letters, e.g. DE"))?;
                    let specs = lattice_registry::GpuSpecs {
                        model: lattice_sdk::registry::model_bytes(&model),
                        vram_gb,
                        gpu_count,
                        region,
                    };
                    op.register_gpu(&device, specs).await?
                }
                DeviceCommand::AssertLocation { device, position } => {
                    op.assert_location(&device, position.location(res)?).await?
                }
                DeviceCommand::Transfer {
                    device,
                    kind,
                    new_owner,
                } => op.transfer(&device, kind, &new_owner).await?,
                DeviceCommand::Close { device, kind } => op.close(&device, kind).await?,
                DeviceCommand::Unstake { device } => op.unstake(&device).await?,
            };
            println!("{sig}");
        }
        Command::Oracle {
            command:
                OracleCommand::Run {
                    url,
                    main_mint,
                    keypair,
                    config,
                },
        } => {
            let cfg = LatticeConfig::load(&config)?;
            telemetry::init_metrics(&cfg.cranker.metrics_addr)?;
            let path = keypair.unwrap_or_else(|| PathBuf::from(&cfg.oracle.keypair));
            let kp = read_keypair(&path)?;
            let chain = RpcChain::new(url);
            let dao = lattice_sdk::pda::dao(&main_mint);
            let keys = lattice_workers::oracle::DaoKeys {
                dao,
                coverage_sub_dao: lattice_sdk::pda::sub_dao(&dao, &cfg.registry.coverage_sub_dao),
            };
            let oracle = lattice_workers::oracle::Oracle::new(
                chain,
                &cfg.oracle,
                u32::try_from(cfg.data_credits.bytes_per_dc).unwrap_or(u32::MAX),
                kp,
                keys,
                lattice_workers::oracle::Clock::System,
                cfg.send_options(),
            )
            .await?;
            let listener = tokio::net::TcpListener::bind(&cfg.oracle.listen)
                .await
                .with_context(|| format!("binding {}", cfg.oracle.listen))?;
            tracing::info!(listen = %cfg.oracle.listen, db = ?oracle.store.backend(), "oracle starting");
            let first_hour = lattice_math::epoch::hour_of(
                lattice_workers::oracle::Clock::System.now_ms() / 1_000,
            );
            let mut tasks = task::TaskManager::new();
            let o = oracle.clone();
            tasks.spawn("oracle-http", move |t| {
                lattice_workers::oracle::serve(o, listener, t)
            });
            let o = oracle.clone();
            tasks.spawn("entropy", move |t| async move {
                o.entropy_loop(t).await;
                Ok(())
            });
            let o = oracle.clone();
            tasks.spawn("settle", move |t| async move {
                o.settle_loop(first_hour, t).await;
                Ok(())
            });
            let o = oracle.clone();
            let peers = cfg.oracle.compute_peers.clone();
            tasks.spawn("compute", move |t| async move {
                o.compute_loop(first_hour, peers, t).await;
                Ok(())
            });
            tasks.run(task::shutdown_signal()).await?;
        }
        Command::Node {
            command:
                NodeCommand::Run {
                    keypair,
                    config,
                    gpu,
                },
        } => {
            let cfg = LatticeConfig::load(&config)?;
            let path = keypair.unwrap_or_else(|| PathBuf::from(&cfg.node.keypair));
            let kp = read_keypair(&path)?;
            if gpu.gpu {
                return run_gpu_node(&cfg, kp, gpu).await;
            }
            let node = lattice_workers::node::Hotspot::open(&cfg.node, &kp).await?;
            tracing::info!(device = %kp.pubkey(), gateway = %node.gateway.local_addr()?, "hotspot starting");
            let mut tasks = task::TaskManager::new();
            let device = kp.pubkey();
            tasks.spawn("hotspot", move |t| node.run(t));
            let n = &cfg.node;
            if !n.rpc_url.is_empty() && !n.main_mint.is_empty() && !n.owner_keypair.is_empty() {
                let chain = RpcChain::new(n.rpc_url.clone());
                let main_mint: Pubkey = n.main_mint.parse().context("node.main_mint")?;
                let owner = read_keypair(Path::new(&n.owner_keypair))?;
                let dao = lattice_sdk::pda::dao(&main_mint);
                let sub_dao = lattice_sdk::pda::sub_dao(&dao, &cfg.registry.coverage_sub_dao);
                let config: lattice_rewards::RewardsConfig = lattice_sdk::accounts::fetch(
                    &chain,
                    &lattice_sdk::rewards::rewards_config(&sub_dao),
                )
                .await?
                .context("rewards are not initialized for the coverage sub-DAO")?;
                let keys = lattice_sdk::rewards::RewardsKeys::from_config(&config);
                let oracle = lattice_workers::node::client::OracleClient::new(&n.oracle_url)?;
                let (opts, min, interval) = (
                    cfg.send_options(),
                    cfg.rewards.auto_claim_min,
                    n.claim_interval,
                );
                tracing::info!(owner = %owner.pubkey(), ?interval, min, "auto-claim on");
                tasks.spawn("auto-claim", move |t| {
                    let owner_key = owner.pubkey();
                    lattice_workers::rewards::claims::auto_claim_loop(
                        chain,
                        opts,
                        owner,
                        owner_key,
                        keys,
                        oracle,
                        vec![device],
                        min,
                        interval,
                        t,
                    )
                });
            }
            tasks.run(task::shutdown_signal()).await?;
        }
        Command::Node {
            command:
                NodeCommand::Rewards {
                    device,
                    hours,
                    oracle_url,
                    config,
                    json,
                },
        } => {
            let cfg = LatticeConfig::load(&config)?;
            let url = oracle_url.unwrap_or(cfg.node.oracle_url);
            let client = lattice_workers::node::client::OracleClient::new(&url)?;
            let r = client.rewards(&device.to_string(), hours).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print!("{}", lattice_workers::node::render_rewards(&r));
            }
        }
        Command::Rewards { command, cluster } => {
            let (cfg, wallet, main_mint, chain) = connect(&cluster)?;
            let dao = lattice_sdk::pda::dao(&main_mint);
            let (sub_dao_name, oracle_url) = match &command {
                RewardsCommand::Status {
                    sub_dao,
                    oracle_url,
                    ..
                }
                | RewardsCommand::Claim {
                    sub_dao,
                    oracle_url,
                    ..
                } => (sub_dao.clone(), oracle_url.clone()),
            };
            let sub_dao = lattice_sdk::pda::sub_dao(&dao, &sub_dao_name);
            let config: lattice_rewards::RewardsConfig = lattice_sdk::accounts::fetch(
                &chain,
                &lattice_sdk::rewards::rewards_config(&sub_dao),
            )
            .await?
            .context("rewards are not initialized for this sub-DAO")?;
            let keys = lattice_sdk::rewards::RewardsKeys::from_config(&config);
            let oracle = lattice_workers::node::client::OracleClient::new(
                &oracle_url.unwrap_or(cfg.node.oracle_url.clone()),
            )?;
            match command {
                RewardsCommand::Status { device, .. } => {
                    let s =
                        lattice_workers::rewards::claims::status(&chain, &keys, &oracle, &device)
                            .await?;
                    println!("{}", serde_json::to_string_pretty(&s)?);
                }
                RewardsCommand::Claim {
                    owner,
                    devices,
                    min,
                    ..
                } => {
                    let devices = if devices.is_empty() {
                        oracle
                            .devices_of(&owner.to_string())
                            .await?
                            .iter()
                            .map(|d| d.parse())
                            .collect::<Result<Vec<Pubkey>, _>>()?
                    } else {
                        devices
                    };
                    let s = lattice_workers::rewards::claims::claim_all(
                        &chain,
                        &cfg.send_options(),
                        &wallet,
                        &owner,
                        &keys,
                        &oracle,
                        &devices,
                        min,
                    )
                    .await?;
                    println!("{}", serde_json::to_string_pretty(&s)?);
                }
            }
        }
        Command::Job { command } => job_command(command).await?,
        Command::Stake { command, cluster } => stake_command(command, &cluster).await?,
        Command::Gov { command, cluster } => gov_command(command, &cluster).await?,
        Command::Convert {
            sub_dao,
            to,
            amount,
            slippage_bps,
            cluster,
        } => {
            let (cfg, wallet, main_mint, chain) = connect(&cluster)?;
            let dao = lattice_sdk::pda::dao(&main_mint);
            let sub = lattice_sdk::pda::sub_dao(&dao, &sub_dao);
            let sd: lattice_dao::SubDao = lattice_sdk::accounts::fetch(&chain, &sub)
                .await?
                .with_context(|| format!("no sub-DAO {sub_dao}"))?;
            let view = lattice_sdk::conversion::ConversionView::load(&chain, &sub).await?;
            let to_main = to == "main";
            let quote = view
                .quote(to_main, amount)
                .map_err(|e| anyhow::anyhow!("quote: {e:?}"))?;
            let min_out =
                lattice_sdk::conversion::min_out_with_slippage(quote.amount_out, slippage_bps);
            let keys = lattice_sdk::conversion::ConvertKeys {
                dao,
                main_mint,
                sub_dao: sub,
                sub_mint: sd.mint,
            };
            let ix = if to_main {
                lattice_sdk::conversion::convert_to_main(&wallet.pubkey(), &keys, amount, min_out)
            } else {
                lattice_sdk::conversion::convert_to_sub(&wallet.pubkey(), &keys, amount, min_out)
            };
            let sig =
                lattice_sdk::send::send(&chain, &cfg.send_options(), &[ix], &wallet, &[]).await?;
            println!("{sig} (quoted {} out, min_out {min_out})", quote.amount_out);
        }
        Command::Stats {
            hours,
            every,
            chart,
            json,
            cluster,
        } => {
            let main_mint = cluster.main_mint.context(
                "--main-mint is required (see the deployment.json written by `lattice bootstrap`)",
            )?;
            let chain = RpcChain::new(cluster.url.clone());
            let stats = lattice_workers::stats::collect(&chain, &main_mint, hours).await?;
            print_stats(&stats, every, chart.as_deref(), json)?;
        }
        Command::Crank {
            url,
            keypair,
            main_mint,
            config,
            once,
        } => {
            let cfg = LatticeConfig::load(&config)?;
            telemetry::init_metrics(&cfg.cranker.metrics_addr)?;
            let payer = read_keypair(&keypair)?;
            tracing::info!(payer = %payer.pubkey(), %main_mint, cranker = ?cfg.cranker, "cranker starting");
            let max = usize::try_from(cfg.cranker.max_hours_per_tick).unwrap_or(1);
            let mut cranker = Cranker::new(
                RpcChain::new(url),
                payer,
                main_mint,
                cfg.send_options(),
                max,
            );
            if once {
                let report = cranker.tick().await?;
                println!("{report:?}");
            } else {
                let mut tasks = task::TaskManager::new();
                let poll = cfg.cranker.poll_interval;
                tasks.spawn("cranker", move |token| cranker.run(poll, token));
                tasks.run(task::shutdown_signal()).await?;
            }
        }
    }
    Ok(())
}

/// `lattice node run --gpu`.
async fn run_gpu_node(cfg: &LatticeConfig, device: Keypair, args: GpuArgs) -> Result<()> {
    use lattice_workers::compute::{runner, worker};
    let n = &cfg.node;
    anyhow::ensure!(
        !n.rpc_url.is_empty() && !n.main_mint.is_empty(),
        "GPU mode needs node.rpc_url and node.main_mint"
    );
    let chain = RpcChain::new(n.rpc_url.clone());
    let main_mint: Pubkey = n.main_mint.parse().context("node.main_mint")?;
    let dao = lattice_sdk::pda::dao(&main_mint);
    let keys = lattice_sdk::compute::ComputeKeys::load(&chain, &dao).await?;
    let backend = gpu_backend(args.cpu_threads)?;
    tracing::info!(backend = %backend.name(), "GEMM backend");
    let docker = match runner::connect_engine(args.engine.as_deref()) {
        Ok(d) if d.ping().await.is_ok() => Some(d),
        _ => {
            tracing::warn!("no container engine answers; container jobs will be skipped");
            None
        }
    };
    let runners = runner::Runners::new(
        backend.clone(),
        docker,
        args.allow.into_iter().collect(),
        16 << 20,
    );
    let capacity = lattice_workers::compute::capacity::CapacityClient::new(
        &n.oracle_url,
        lattice_workers::node::signing_key(&device),
    )?;
    std::fs::create_dir_all(&args.results_dir)?;
    let dir = std::fs::canonicalize(&args.results_dir)?;
    let store = Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&dir)?);
    let journal = worker::JobJournal::open(&dir.join("jobs.sqlite")).await?;
    let w = worker::GpuWorker::new(
        chain,
        keys,
        Arc::new(device),
        runners,
        store,
        format!("file://{}", dir.display()),
        journal,
        args.classes,
    );
    let mut tasks = task::TaskManager::new();
    let every = std::time::Duration::from_secs(args.poll_secs.max(1));
    tasks.spawn("gpu-worker", move |t| w.run(every, t));
    tasks.spawn("capacity", move |t| {
        lattice_workers::compute::capacity::capacity_loop(capacity, backend, t)
    });
    tasks.run(task::shutdown_signal()).await
}

/// The CUDA backend when built with it and a device answers, else the CPU backend.
fn gpu_backend(cpu_threads: usize) -> Result<Arc<dyn lattice_workers::compute::Backend>> {
    #[cfg(feature = "cuda")]
    if lattice_workers::compute::cuda::device_count() > 0 {
        match lattice_workers::compute::cuda::CudaBackend::open(0) {
            Ok(b) => return Ok(Arc::new(b)),
            Err(e) => tracing::warn!(error = %e, "CUDA backend unavailable; using the CPU"),
        }
    }
    if let Some((name, vram, count)) = ops::detect_gpus() {
        tracing::info!(%name, vram_gib = vram, count, "NVML sees GPUs (CUDA backend needs --features cuda)");
    }
    Ok(Arc::new(lattice_workers::compute::CpuBackend::new(
        cpu_threads,
    )?))
}

async fn job_command(command: JobCommand) -> Result<()> {
    let cluster = match &command {
        JobCommand::Post { cluster, .. }
        | JobCommand::Status { cluster, .. }
        | JobCommand::Cancel { cluster, .. }
        | JobCommand::Finalize { cluster, .. } => cluster,
    };
    let (cfg, wallet, main_mint, chain) = connect(cluster)?;
    let op = ops::Operator {
        chain: &chain,
        cfg: &cfg,
        main_mint,
        wallet: &wallet,
        opts: cfg.send_options(),
    };
    match command {
        JobCommand::Post {
            class,
            spec,
            uri,
            max_duration,
            price,
            ..
        } => {
            let text =
                std::fs::read(&spec).with_context(|| format!("reading {}", spec.display()))?;
            let parsed: lattice_workers::compute::spec::JobSpec =
                serde_json::from_slice(&text).context("job spec")?;
            let (id, job) = op
                .job_post(class, &parsed, uri, max_duration, price)
                .await?;
            println!("job {id} in class {class}: {job}");
        }
        JobCommand::Status {
            class, id, json, ..
        } => {
            let job = op.job_status(class, id).await?.with_context(|| {
                format!("no job {id} in class {class} (never posted, or closed)")
            })?;
            let view = serde_json::json!({
                "id": id,
                "class": class,
                "state": format!("{:?}", job.state),
                "kind": format!("{:?}", job.kind),
                "poster": job.poster.to_string(),
                "node": (job.node != Pubkey::default()).then(|| job.node_device.to_string()),
                "spec_uri": job.spec_uri,
                "max_duration_secs": job.max_duration_secs,
                "price_dc_per_sec": job.price_dc_per_sec,
                "escrow_dc": job.escrow_dc,
                "claimed_at": job.claimed_at,
                "deadline": job.deadline,
                "submitted_at": job.submitted_at,
                "used_secs": job.used_secs,
                "result_uri": job.result_uri,
                "result_hash": hex::encode(job.result_hash),
                "merkle_root": hex::encode(job.merkle_root),
                "dc_burned": job.dc_burned,
                "dc_refunded": job.dc_refunded,
                "stake_slashed": job.stake_slashed,
            });
            if json {
                println!("{}", serde_json::to_string_pretty(&view)?);
            } else if let Some(map) = view.as_object() {
                for (k, v) in map {
                    println!("{k:>18}: {v}");
                }
            }
        }
        JobCommand::Cancel { class, id, .. } => {
            println!("cancelled job {id}: {}", op.job_cancel(class, id).await?)
        }
        JobCommand::Finalize { class, id, .. } => {
            println!("job {id} settled: {}", op.job_finalize(class, id).await?)
        }
    }
    Ok(())
}

async fn stake_command(command: StakeCommand, cluster: &ClusterArgs) -> Result<()> {
    let (cfg, wallet, main_mint, chain) = connect(cluster)?;
    let op = ops::Operator {
        chain: &chain,
        cfg: &cfg,
        main_mint,
        wallet: &wallet,
        opts: cfg.send_options(),
    };
    match command {
        StakeCommand::Lock {
            amount,
            kind,
            hours,
            id,
        } => {
            let id = op.stake_lock(amount, kind.into(), hours, id).await?;
            println!("locked {amount} in position {id}");
        }
        StakeCommand::Extend { id, kind, hours } => {
            println!(
                "relocked: {}",
                op.stake_extend(id, kind.into(), hours).await?
            )
        }
        StakeCommand::Withdraw { id } => println!("withdrawn: {}", op.stake_withdraw(id).await?),
        StakeCommand::Delegate { id, sub_dao } => {
            println!(
                "delegated to {sub_dao}: {}",
                op.stake_delegate(id, &sub_dao).await?
            )
        }
        StakeCommand::Undelegate { id } => {
            println!("undelegated: {}", op.stake_undelegate(id).await?)
        }
        StakeCommand::Claim { id } => println!("claimed {} base units", op.stake_claim(id).await?),
        StakeCommand::List => {
            for p in op.stake_positions().await? {
                let pos = &p.position;
                println!(
                    "{:>3} {} amount {} lock {:?} delegated {} unclaimed ranges {} claimed {}",
                    p.id,
                    p.address,
                    pos.amount,
                    pos.lock,
                    pos.delegation
                        .map_or("-".to_string(), |d| d.sub_dao.to_string()),
                    pos.unsettled.len(),
                    pos.claimed
                );
            }
        }
    }
    Ok(())
}

async fn gov_command(command: GovCommand, cluster: &ClusterArgs) -> Result<()> {
    use lattice_governance::VoteChoice;
    let (cfg, wallet, main_mint, chain) = connect(cluster)?;
    let op = ops::Operator {
        chain: &chain,
        cfg: &cfg,
        main_mint,
        wallet: &wallet,
        opts: cfg.send_options(),
    };
    match command {
        GovCommand::Propose {
            file,
            position,
            draft,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let parsed = ops::governance::ProposalFile::parse(&text)?;
            let id = op.gov_propose(&parsed, position, draft).await?;
            println!(
                "proposal {id} {}",
                if draft { "drafted" } else { "open for votes" }
            );
        }
        GovCommand::Start { id } => println!("voting open: {}", op.gov_start(id).await?),
        GovCommand::Cancel { id } => println!("cancelled: {}", op.gov_cancel(id).await?),
        GovCommand::Vote {
            id,
            choice,
            position,
        } => {
            let choice = match choice {
                ChoiceArg::Yes => VoteChoice::Yes,
                ChoiceArg::No => VoteChoice::No,
                ChoiceArg::Abstain => VoteChoice::Abstain,
            };
            let voted = op.gov_vote(id, choice, &position).await?;
            println!("positions {voted:?} voted {choice:?} on proposal {id}");
        }
        GovCommand::Execute { id } => {
            println!("proposal {id}: {:?}", op.gov_execute(id).await?)
        }
        GovCommand::List => {
            for (id, p) in op.gov_list().await? {
                println!(
                    "{id:>4} {:<9} yes {} no {} abstain {} changes {} {}",
                    format!("{:?}", p.state),
                    p.yes,
                    p.no,
                    p.abstain,
                    p.changes.len(),
                    p.uri
                );
            }
        }
        GovCommand::Show { id, json } => {
            let (_, p) = op
                .gov_list()
                .await?
                .into_iter()
                .find(|(i, _)| *i == id)
                .with_context(|| format!("no proposal {id}"))?;
            let view = serde_json::json!({
                "id": id,
                "state": format!("{:?}", p.state),
                "proposer": p.proposer.to_string(),
                "uri": p.uri,
                "voting_start": p.voting_start,
                "voting_end": p.voting_end,
                "snapshot_hour": p.snapshot_hour,
                "yes": p.yes.to_string(),
                "no": p.no.to_string(),
                "abstain": p.abstain.to_string(),
                "eta": p.eta,
                "executed": p.executed,
                "changes": p.changes.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>(),
            });
            if json {
                println!("{}", serde_json::to_string_pretty(&view)?);
            } else if let Some(map) = view.as_object() {
                for (k, v) in map {
                    println!("{k:>14}: {v}");
                }
            }
        }
    }
    Ok(())
}

/// Points file descriptor 1 at stderr until dropped (unix; a no-op elsewhere).
struct StdoutToStderr {
    #[cfg(unix)]
    saved: Option<i32>,
}

impl StdoutToStderr {
    fn new() -> Self {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        {
            // SAFETY: dup/dup2 on the process's own standard descriptors; failures leave stdout
            // as it was (saved = None).
            let saved = unsafe { libc::dup(1) };
            let saved = (saved >= 0 && unsafe { libc::dup2(2, 1) } >= 0).then_some(saved);
            Self { saved }
        }
        #[cfg(not(unix))]
        Self {}
    }
}

impl Drop for StdoutToStderr {
    fn drop(&mut self) {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        if let Some(fd) = self.saved.take() {
            // SAFETY: restores the descriptor saved in `new`.
            unsafe {
                libc::dup2(fd, 1);
                libc::close(fd);
            }
        }
    }
}
