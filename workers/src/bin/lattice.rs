//! `lattice`: one binary for operators, dApps and voters.

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_sdk::{
    rpc::RpcChain,
    solana::{Keypair, Pubkey, Signer},
};
use lattice_workers::{cranker::Cranker, localnet, task, telemetry};
use std::path::{Path, PathBuf};

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
        /// Simulated hours to run.
        #[arg(long, default_value_t = 24)]
        hours: u64,
        /// Hotspots to register (spread over H3 cells around the configured city).
        #[arg(long, default_value_t = 20)]
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
        } => {
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
            };
            let report = localnet::run(&cfg, &options, |i| bar.set_position(i)).await?;
            bar.finish_and_clear();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&localnet::render_json(&report))?
                );
            } else {
                print!("{}", localnet::render_table(&report));
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
