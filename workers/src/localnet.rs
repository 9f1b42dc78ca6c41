//! The embedded localnet: the real programs in an in-process bank, bootstrapped from app-config,
//! with simulated hotspots, GPU nodes and DC demand, and the cranker issuing every hour while the
//! chain clock advances hour by hour.

pub mod compute;
pub mod coverage;
pub mod governance;
pub mod network;
pub mod radio;
pub mod rpc;
pub mod scenario;

use crate::cranker::Cranker;
use anyhow::{Context as _, Result};
use lattice_dao::DaoEpoch;
use lattice_math::emission::emission_for_hour;
use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_sdk::{
    accounts::{fetch, DaoView},
    embedded::EmbeddedChain,
    solana::{Keypair, Signer},
};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalnetOptions {
    /// Hours to run.
    pub hours: u64,
    /// Hotspots to register.
    pub hotspots: usize,
    /// GPU nodes to register.
    pub gpus: usize,
    /// Run proof of coverage: a hotspot worker per hotspot behind a simulated concentrator, the
    /// oracle, and the radio model (coverage DC is then burned by the oracle for real packets).
    pub coverage: bool,
    /// Reward oracles (with coverage).
    pub oracles: usize,
    /// Identical roots needed to finalize an epoch.
    pub threshold: u8,
    /// One oracle lies about rewards.
    pub faulty_oracle: bool,
    /// Run the GPU job market: a worker per GPU node, the compute oracle, a dApp posting jobs
    /// (compute DC is then burned by finalized jobs; otherwise the operator burns it directly).
    pub compute: bool,
    /// Run the governance scenario (holders lock and delegate; a proposal changing the utility
    /// weights passes, waits out its timelock and executes).
    pub governance_demo: bool,
    /// A scripted scenario (its parameters override the config's demand and emission).
    pub scenario: Option<scenario::Scenario>,
}

/// One sub-DAO's part of an hour, in base units.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SubDaoHour {
    /// Main-token base units to the sub-DAO (treasury + delegator pool).
    pub main: u64,
    /// Of which to the delegator pool.
    pub main_to_delegators: u64,
    /// Sub-DAO token base units to its rewards escrow.
    pub token: u64,
    /// DC burned for usage in the hour (the D input), read from the chain.
    pub dc_burned: u64,
    /// Utility score used for the split (10^12 = 100%).
    pub utility_score: u128,
}

/// One simulated hour.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HourRow {
    /// The hour (`unix_timestamp / 3600`).
    pub hour: u64,
    /// Main-token base units emitted in the hour.
    pub main_emitted: u64,
    /// Parts by sub-DAO name.
    pub sub_daos: BTreeMap<String, SubDaoHour>,
    /// Main-token base units emitted since genesis, this hour included.
    pub cumulative_main: u64,
    /// Main-token base units still mintable under the cap.
    pub cap_remaining: u64,
}

/// Totals over the run.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// Main-token base units emitted by the run's hours.
    pub main_emitted: u64,
    /// What the schedule says those hours emit (`Σ emission_for_hour`); equals `main_emitted`.
    pub main_schedule_sum: u64,
    /// The main token's hard cap, base units.
    pub main_cap: u64,
    /// Main-token base units minted at genesis.
    pub main_genesis: u64,
    /// Main-token supply at the end, base units.
    pub main_supply: u64,
    /// Sub-DAO token base units emitted, by name.
    pub sub_dao_token_emitted: BTreeMap<String, u64>,
    /// Main-token base units burned to mint DC (read from the data-credits account).
    pub main_burned_for_dc: u64,
    /// DC minted (by the dApp and the operator).
    pub dc_minted: u64,
    /// DC burned for usage, by sub-DAO.
    pub dc_burned: BTreeMap<String, u64>,
}

/// Devices registered.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Devices {
    /// Hotspots.
    pub hotspots: usize,
    /// GPU nodes.
    pub gpus: usize,
}

/// Rent of one device account, lamports.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeviceRent {
    /// A hotspot.
    pub hotspot: u64,
    /// A GPU node.
    pub gpu_node: u64,
}

/// The report `lattice localnet` prints.
#[derive(Debug, Clone, Serialize)]
pub struct LocalnetReport {
    /// Main token decimals.
    pub decimals: u8,
    /// Sub-DAO token decimals, by name.
    pub sub_dao_decimals: BTreeMap<String, u8>,
    /// Sub-DAO names in DAO order.
    pub sub_dao_names: Vec<String>,
    /// Per-hour rows.
    pub hours: Vec<HourRow>,
    /// Totals.
    pub totals: Totals,
    /// Devices registered.
    pub devices: Devices,
    /// Rent per device account.
    pub rent_per_device_lamports: DeviceRent,
    /// Proof of coverage (when run).
    pub coverage: Option<coverage::CoverageReport>,
    /// The GPU job market (when run).
    pub compute: Option<compute::ComputeReport>,
    /// The governance scenario (with `--governance-demo`).
    pub governance: Option<governance::GovernanceReport>,
    /// The economics dashboard over the run's hours after the setup hour, read from the chain.
    pub stats: crate::stats::Stats,
}

/// Run the simulation; `on_hour` is called after each hour (for a progress bar).
pub async fn run(
    cfg: &LatticeConfig,
    options: &LocalnetOptions,
    mut on_hour: impl FnMut(u64),
) -> Result<LocalnetReport> {
    let hours = options.hours;
    let run_compute = options.compute && options.gpus > 0;
    // Without the job market the operator burns compute demand itself, so it keeps the burn
    // authority.
    let mut cfg_owned = cfg.clone();
    if !run_compute {
        cfg_owned.compute.hand_over_burn_authority = false;
    }
    if let Some(s) = options.scenario {
        s.configure(&mut cfg_owned, options.hotspots, options.gpus)?;
    }
    let cfg = &cfg_owned;
    let chain = EmbeddedChain::start_default().await;
    let start = cfg.localnet.start_unix.unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        i64::try_from(now - now % 3_600).unwrap_or(0)
    });
    chain.set_unix_timestamp(start.saturating_add(60)).await?;

    let payer = chain.payer().await;
    let main_mint = Keypair::new();
    let opts = cfg.send_options();
    // The localnet sets its oracles up after bootstrap, so the handoff to governance is its last
    // setup step instead of bootstrap's.
    let mut boot_cfg = cfg.clone();
    boot_cfg.governance.hand_over = false;
    bootstrap(&chain, &boot_cfg, &opts, &payer, &payer, &main_mint)
        .await
        .context("bootstrap")?;
    let spoofed = if options.coverage {
        coverage::spoofed_indices(options.hotspots)
    } else {
        Vec::new()
    };
    let mut net = network::Network::setup(
        chain.clone(),
        cfg,
        payer.insecure_clone(),
        main_mint.pubkey(),
        options.hotspots,
        options.gpus,
        &spoofed,
    )
    .await
    .context("network setup")?;
    net.coverage_by_oracle = options.coverage;
    net.compute_by_jobs = run_compute;
    if options.scenario.is_some() {
        // Buy DC hour by hour, so that the burn side follows demand smoothly.
        net.topup_hours = 1;
    }
    let mut jobs = if run_compute {
        Some(
            compute::ComputeSim::start(chain.clone(), cfg, &net, &main_mint.pubkey())
                .await
                .context("starting the GPU job market")?,
        )
    } else {
        None
    };
    let view = DaoView::load(&chain, &main_mint.pubkey()).await?;
    let genesis = view.first_issuable_hour();
    let mut poc = if options.coverage {
        Some(
            coverage::CoverageSim::start(
                chain.clone(),
                cfg,
                &net,
                &main_mint.pubkey(),
                genesis,
                options,
            )
            .await
            .context("starting proof of coverage")?,
        )
    } else {
        None
    };
    if cfg.governance.enabled && cfg.governance.hand_over {
        lattice_migrations::hand_over_to_governance(
            &chain,
            &opts,
            &payer,
            &payer,
            &main_mint.pubkey(),
        )
        .await
        .context("handing every authority to governance")?;
    }
    let mut demo = if options.governance_demo {
        Some(
            governance::GovernanceDemo::start(chain.clone(), cfg, &payer, &main_mint.pubkey())
                .await
                .context("starting the governance scenario")?,
        )
    } else {
        None
    };
    let mut stakers = options
        .scenario
        .map(|_| scenario::Stakers::new(chain.clone(), cfg, &payer, &main_mint.pubkey()));
    let demand = net.burn_demand(0, genesis).await?;
    if let Some(poc) = poc.as_mut() {
        coverage_hour(poc, &mut net, cfg, genesis, &demand).await?;
    }
    if let Some(jobs) = jobs.as_mut() {
        compute_hour(jobs, &mut net, cfg, genesis, &demand).await?;
    }
    let names: BTreeMap<_, _> = view
        .sub_daos
        .iter()
        .map(|(k, s)| (*k, s.name.clone()))
        .collect();

    let max_per_tick = usize::try_from(cfg.cranker.max_hours_per_tick).unwrap_or(1);
    let mut cranker = Cranker::new(
        chain.clone(),
        payer.insecure_clone(),
        main_mint.pubkey(),
        opts,
        max_per_tick,
    );
    let mut rows = Vec::new();
    let mut cumulative = 0u64;
    for i in 1..=hours {
        let hour = genesis.saturating_add(i);
        let now = lattice_math::epoch::hour_start(hour).saturating_add(1);
        chain.set_unix_timestamp(now).await?;
        net.post_price(now).await;
        let report = cranker.tick().await?;
        if let Some((h, e)) = report.failed.first() {
            anyhow::bail!("hour {h} failed: {e}");
        }
        let issued = hour.saturating_sub(1);
        let epoch: DaoEpoch = fetch(&chain, &lattice_sdk::pda::dao_epoch(&view.address, issued))
            .await?
            .with_context(|| format!("hour {issued} was not issued"))?;
        cumulative = cumulative.saturating_add(epoch.main_emitted);
        let mut sub_daos = BTreeMap::new();
        for p in &epoch.parts {
            let name = names.get(&p.sub_dao).cloned().unwrap_or_default();
            let usage: Option<lattice_dao::SubDaoEpoch> =
                fetch(&chain, &lattice_sdk::pda::sub_dao_epoch(&p.sub_dao, issued)).await?;
            let part = SubDaoHour {
                main: p.main_to_treasury.saturating_add(p.main_to_delegators),
                main_to_delegators: p.main_to_delegators,
                token: p.tokens_emitted,
                dc_burned: usage.map_or(0, |u| u.dc_burned),
                utility_score: p.utility_score,
            };
            sub_daos.insert(name, part);
        }
        let minted = view.dao.genesis_supply.saturating_add(cumulative);
        rows.push(HourRow {
            hour: issued,
            main_emitted: epoch.main_emitted,
            sub_daos,
            cumulative_main: cumulative,
            cap_remaining: view.dao.max_supply.saturating_sub(minted),
        });
        if let Some(poc) = poc.as_mut() {
            poc.settle_rewards().await?;
        }
        if let Some(demo) = demo.as_mut() {
            demo.on_hour(i, hour).await.context("governance scenario")?;
        }
        if let Some(stakers) = stakers.as_mut() {
            stakers.on_hour(i - 1).await?;
        }
        if i < hours {
            let demand = net.burn_demand(i, hour).await?;
            if let Some(poc) = poc.as_mut() {
                coverage_hour(poc, &mut net, cfg, hour, &demand).await?;
            }
            if let Some(jobs) = jobs.as_mut() {
                compute_hour(jobs, &mut net, cfg, hour, &demand).await?;
            }
        }
        on_hour(i);
    }
    let coverage_report = match poc {
        Some(poc) => {
            let r = poc.report().await?;
            poc.shutdown();
            Some(r)
        }
        None => None,
    };
    let governance_report = match demo {
        Some(d) => Some(d.finish().await.context("governance scenario")?),
        None => None,
    };
    let compute_report = jobs.map(|j| {
        let r = j.report();
        j.shutdown();
        r
    });

    // The dashboard leaves out the setup hour (devices onboarding, DC bought for their fees).
    let stats = crate::stats::collect_range(
        &chain,
        &main_mint.pubkey(),
        genesis.saturating_add(1).min(genesis.saturating_add(hours)),
        genesis.saturating_add(hours),
    )
    .await
    .context("reading the economics dashboard")?;
    let end = DaoView::load(&chain, &main_mint.pubkey()).await?;
    let schedule = end.dao.emission.into();
    let main_schedule_sum = rows
        .iter()
        .map(|r| emission_for_hour(&schedule, r.hour.saturating_sub(end.dao.genesis_hour)))
        .fold(0u64, u64::saturating_add);
    let supply_acct = lattice_sdk::Chain::get_account(&chain, &main_mint.pubkey())
        .await?
        .context("main mint")?;
    Ok(LocalnetReport {
        decimals: cfg.dao.decimals,
        sub_dao_decimals: cfg
            .sub_dao
            .iter()
            .map(|(n, s)| (n.clone(), s.decimals))
            .collect(),
        sub_dao_names: end.sub_daos.iter().map(|(_, s)| s.name.clone()).collect(),
        totals: Totals {
            main_emitted: end.dao.total_emitted,
            main_schedule_sum,
            main_cap: end.dao.max_supply,
            main_genesis: end.dao.genesis_supply,
            main_supply: lattice_sdk::accounts::mint_supply(&supply_acct.data)?,
            sub_dao_token_emitted: end
                .sub_daos
                .iter()
                .map(|(_, s)| (s.name.clone(), s.tokens_emitted))
                .collect(),
            main_burned_for_dc: fetch::<lattice_data_credits::DataCredits, _>(
                &chain,
                &lattice_sdk::dc::data_credits(&end.address),
            )
            .await?
            .map_or(0, |d| d.total_main_burned),
            dc_minted: net.dc_minted,
            dc_burned: net.dc_burned.clone(),
        },
        devices: Devices {
            hotspots: net.hotspots.len(),
            gpus: net.gpus.len(),
        },
        rent_per_device_lamports: DeviceRent {
            hotspot: net.hotspot_rent,
            gpu_node: net.gpu_rent,
        },
        hours: rows,
        coverage: coverage_report,
        compute: compute_report,
        governance: governance_report,
        stats,
    })
}

/// One hour of the GPU job market at `hour`'s compute demand (the chain clock inside `hour`).
async fn compute_hour(
    jobs: &mut compute::ComputeSim,
    net: &mut network::Network,
    cfg: &LatticeConfig,
    hour: u64,
    demand: &network::HourDemand,
) -> Result<()> {
    let name = &cfg.registry.compute_sub_dao;
    let dc = demand.get(name).copied().unwrap_or(0);
    let burned = jobs.run_hour(net, hour, dc).await?;
    *net.dc_burned.entry(name.clone()).or_default() += burned;
    Ok(())
}

/// One hour of proof of coverage: beacons, witnesses and uplinks for `hour`'s coverage demand,
/// then settlement with the oracle's clock just past the hour (the chain clock still inside it,
/// so the DC burn counts toward `hour`'s D input when the hour is issued).
async fn coverage_hour(
    poc: &mut coverage::CoverageSim,
    net: &mut network::Network,
    cfg: &LatticeConfig,
    hour: u64,
    demand: &network::HourDemand,
) -> Result<()> {
    let name = &cfg.registry.coverage_sub_dao;
    let bytes_per_dc = u32::try_from(cfg.data_credits.bytes_per_dc).unwrap_or(24);
    let dc = demand.get(name).copied().unwrap_or(0);
    let packets = coverage::CoverageSim::packets_for(dc, bytes_per_dc);
    let per_packet =
        lattice_poc_core::hour::dc_for_packet(coverage::PACKET_BYTES as u32, bytes_per_dc);
    net.fund_escrow(name, packets.saturating_mul(per_packet))
        .await?;
    poc.run_hour(hour, packets).await?;
    let settled = poc
        .settle(lattice_math::epoch::hour_start(hour.saturating_add(1)))
        .await?;
    *net.dc_burned.entry(name.clone()).or_default() += settled;
    Ok(())
}

/// `amount` base units as a decimal string with `decimals` places, thousands separated.
pub fn format_tokens(amount: u64, decimals: u8) -> String {
    let scale = 10u64.pow(u32::from(decimals));
    let whole = amount / scale;
    let frac = amount % scale;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if decimals == 0 {
        grouped
    } else {
        format!("{grouped}.{frac:0width$}", width = usize::from(decimals))
    }
}

/// The per-hour table and totals, as printed by `lattice localnet`.
pub fn render_table(r: &LocalnetReport) -> String {
    use std::fmt::Write as _;
    let d = r.decimals;
    let mut out = String::new();
    let mut header = format!("{:>8} {:>18}", "hour", "main emitted");
    for n in &r.sub_dao_names {
        let _ = write!(
            header,
            " {:>18} {:>18} {:>12}",
            format!("{n} main"),
            format!("{n} token"),
            format!("{n} DC")
        );
    }
    let _ = write!(header, " {:>22} {:>24}", "cumulative main", "cap remaining");
    let _ = writeln!(out, "{header}");
    for row in &r.hours {
        let mut line = format!("{:>8} {:>18}", row.hour, format_tokens(row.main_emitted, d));
        for n in &r.sub_dao_names {
            let p = row.sub_daos.get(n);
            let sd = r.sub_dao_decimals.get(n).copied().unwrap_or(d);
            let _ = write!(
                line,
                " {:>18} {:>18} {:>12}",
                format_tokens(p.map_or(0, |p| p.main), d),
                format_tokens(p.map_or(0, |p| p.token), sd),
                format_tokens(p.map_or(0, |p| p.dc_burned), 0)
            );
        }
        let _ = write!(
            line,
            " {:>22} {:>24}",
            format_tokens(row.cumulative_main, d),
            format_tokens(row.cap_remaining, d)
        );
        let _ = writeln!(out, "{line}");
    }
    let t = &r.totals;
    let _ = writeln!(out);
    let _ = writeln!(out, "hours issued          {}", r.hours.len());
    let _ = writeln!(
        out,
        "main emitted          {}",
        format_tokens(t.main_emitted, d)
    );
    let _ = writeln!(
        out,
        "main schedule sum     {}",
        format_tokens(t.main_schedule_sum, d)
    );
    let _ = writeln!(
        out,
        "main genesis supply   {}",
        format_tokens(t.main_genesis, d)
    );
    let _ = writeln!(
        out,
        "main supply           {}",
        format_tokens(t.main_supply, d)
    );
    let _ = writeln!(
        out,
        "main cap              {}",
        format_tokens(t.main_cap, d)
    );
    for (n, v) in &t.sub_dao_token_emitted {
        let sd = r.sub_dao_decimals.get(n).copied().unwrap_or(d);
        let _ = writeln!(out, "{n:<10} tokens emitted {}", format_tokens(*v, sd));
    }
    let _ = writeln!(
        out,
        "DC minted             {}",
        format_tokens(t.dc_minted, 0)
    );
    for (n, v) in &t.dc_burned {
        let _ = writeln!(out, "{n:<10} DC burned     {}", format_tokens(*v, 0));
    }
    let _ = writeln!(
        out,
        "devices               {} hotspots, {} GPU nodes",
        r.devices.hotspots, r.devices.gpus
    );
    let _ = writeln!(
        out,
        "rent per device       hotspot {} lamports, GPU node {} lamports",
        r.rent_per_device_lamports.hotspot, r.rent_per_device_lamports.gpu_node
    );
    if let Some(c) = &r.coverage {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "proof of coverage     {} hotspot workers, {} reports stored, {} valid, {} DC burned by the oracle",
            c.hotspots, c.reports_received, c.valid, c.dc_burned
        );
        for (reason, n) in &c.rejected_by_reason {
            let _ = writeln!(out, "  rejected {reason:<24} {n}");
        }
        for (behavior, reasons) in &c.adversary_rejections {
            let list: Vec<String> = reasons.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(out, "  adversary {behavior:<17} {}", list.join(", "));
        }
        for h in &c.shares_per_hour {
            let _ = writeln!(
                out,
                "  hour {} beacons {} witnesses {} packets {} rejected {} rewarded {} adversary share {:.4}%",
                h.summary.hour,
                h.summary.valid_beacons,
                h.summary.valid_witnesses,
                h.summary.valid_packets,
                h.summary.rejected,
                h.hotspots_rewarded,
                h.adversary_share_sum as f64 / 1e10
            );
        }
    }
    if let Some(c) = &r.compute {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "GPU job market        {} workers: {} jobs posted ({} refused, queue full), {} claimed, {} finalized, {} timed out, {} open",
            c.gpus, c.jobs_posted, c.jobs_refused_queue_full, c.jobs_claimed, c.jobs_finalized, c.jobs_timed_out, c.jobs_open
        );
        let _ = writeln!(
            out,
            "  DC escrowed {} burned {} refunded {}; stake slashed {} base units ({} vanished workers)",
            c.dc_escrowed, c.dc_burned, c.dc_refunded, c.stake_slashed, c.vanish_events
        );
        let _ = writeln!(
            out,
            "  utilization {:.1}% ({} of {} GPU-node seconds); capacity challenges verified {}, failed {}",
            c.utilization_bps as f64 / 100.0,
            c.busy_secs,
            c.available_secs,
            c.capacity_verified,
            c.capacity_failed
        );
    }
    if let Some(g) = &r.governance {
        let _ = writeln!(out);
        let _ = writeln!(out, "governance scenario");
        for h in &g.holders {
            let _ = writeln!(
                out,
                "  holder {} locked {} ({}) → {}, voted {}, claimed {} in staker rewards",
                h.wallet, h.locked, h.lock, h.delegated_to, h.vote, h.rewards_claimed
            );
        }
        let _ = writeln!(
            out,
            "  proposal {:?} {}: {} — yes {} no {}; voting from hour {:?}, queued hour {:?}, executed hour {:?}",
            g.proposal_id, g.proposal_uri, g.proposal_state, g.yes, g.no, g.voted_hour, g.queued_hour, g.executed_hour
        );
        let _ = writeln!(
            out,
            "  utility weights (ve, dc, devices) bps {:?} → {:?}",
            g.weights_before, g.weights_after
        );
        for (label, hour) in [
            (
                "before delegation",
                Some(g.first_hour_with_delegation.saturating_sub(1)),
            ),
            ("first hour, delegated", Some(g.first_hour_with_delegation)),
            (
                "last hour, old weights",
                g.first_hour_with_new_weights.map(|h| h.saturating_sub(1)),
            ),
            ("first hour, new weights", g.first_hour_with_new_weights),
        ] {
            if let Some(row) = hour.and_then(|h| r.hours.iter().find(|x| x.hour == h)) {
                let parts: Vec<String> = row
                    .sub_daos
                    .iter()
                    .map(|(n, p)| format!("{n} {:.2}%", p.utility_score as f64 / 1e10))
                    .collect();
                let _ = writeln!(out, "  {label:<24} hour {}: {}", row.hour, parts.join(", "));
            }
        }
    }
    out
}

/// The JSON object printed by `lattice localnet --json`.
pub fn render_json(r: &LocalnetReport) -> serde_json::Value {
    serde_json::json!({
        "decimals": r.decimals,
        "sub_dao_decimals": r.sub_dao_decimals,
        "hours": r.hours,
        "totals": r.totals,
        "devices": r.devices,
        "rent_per_device_lamports": r.rent_per_device_lamports,
        "coverage": r.coverage,
        "compute": r.compute,
        "governance": r.governance,
        "stats": r.stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_tokens() {
        assert_eq!(format_tokens(1_234_567_890_123, 6), "1,234,567.890123");
        assert_eq!(format_tokens(5, 6), "0.000005");
        assert_eq!(format_tokens(1_000, 0), "1,000");
    }
}
