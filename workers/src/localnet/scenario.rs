//! `lattice localnet --scenario demand-growth`: a month of growing demand on a small network,
//! read back through the economics dashboard (`crate::stats`).
//!
//! The simulated network is small (tens of hotspots, a few GPU nodes), so the scenario sizes the
//! main token's emission schedule to it: the first hour emits about what the network's demand
//! burns once its GPUs are nearly fully used. Demand starts at 15 % GPU utilization and grows
//! 9 % a day, so over the month the burn climbs from a few percent of emissions toward
//! burn-and-mint equilibrium while utilization saturates. A staker locks 5 % of the genesis
//! supply every week (cliff locks at the maximum length, delegated in turn to each sub-DAO), so
//! the staking ratio steps up. GPU workers do not vanish (no timeouts or slashes). Everything else (programs, cranker, job market, governance) is
//! the regular localnet.

use crate::ops::Operator;
use anyhow::{Context as _, Result};
use lattice_governance::LockKind;
use lattice_math::emission::{emission_for_hour, EmissionSchedule};
use lattice_migrations::LatticeConfig;
use lattice_sdk::{
    embedded::EmbeddedChain,
    send::send,
    solana::{Keypair, Pubkey, Signer},
};

/// A scripted scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Demand grows for a month toward burn-and-mint equilibrium.
    DemandGrowth,
}

impl std::str::FromStr for Scenario {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "demand-growth" => Ok(Self::DemandGrowth),
            other => anyhow::bail!("unknown scenario {other:?} (known: demand-growth)"),
        }
    }
}

/// Demand growth per simulated day, basis points (compounded).
const GROWTH_BPS_PER_DAY: u32 = 900;
/// GPU utilization the compute demand starts at.
const START_UTILIZATION: f64 = 0.15;
/// Share of the genesis supply locked each week, basis points.
const WEEKLY_LOCK_BPS: u64 = 500;
/// Hours in a week.
const WEEK: u64 = 168;

impl Scenario {
    /// Hours the scenario runs by default: a month.
    pub fn default_hours(self) -> u64 {
        720
    }

    /// The scenario's parameters on top of `cfg`, for a network of `hotspots` hotspots and
    /// `gpus` GPU nodes.
    pub fn configure(self, cfg: &mut LatticeConfig, hotspots: usize, gpus: usize) -> Result<()> {
        let l = &mut cfg.localnet;
        l.demand_growth_bps_per_day = GROWTH_BPS_PER_DAY;
        // No GPU worker vanishes: over a month the timeout slashes would push every node below
        // the markets' minimum stake (the regular localnet exercises faults).
        l.gpu_vanish_bps = 0;
        let gpu_hour_dc = 3_600.0 * l.job_price_dc_per_sec as f64;
        l.dc_per_gpu_hour = (gpu_hour_dc * START_UTILIZATION).round() as u64;
        // The demand near saturation (day 21: 15 % × 1.09^21 ≈ 90 % utilization), in USD.
        let growth = (1.0 + f64::from(GROWTH_BPS_PER_DAY) / 10_000.0).powi(21);
        let dc_per_hour = gpus as f64 * gpu_hour_dc
            + hotspots as f64 * l.packets_per_hotspot_hour as f64 * growth;
        let dc_usd = cfg.data_credits.dc_price_nano_usd as f64 / 1e9;
        let target_tokens = dc_per_hour * dc_usd / l.main_price_usd;
        anyhow::ensure!(
            target_tokens > 0.0,
            "the scenario needs hotspots or GPU nodes"
        );
        // Scale the pool so that the first hour emits `target_tokens` (emission is linear in it).
        let e = &mut cfg.dao.emission;
        let unit = 10f64.powi(i32::from(cfg.dao.decimals));
        let schedule = |pool: u64| EmissionSchedule {
            pool: pool.saturating_mul(10u64.pow(u32::from(cfg.dao.decimals))),
            periods: e.periods,
            hours_per_period: e.hours_per_period,
            decay_bps: e.decay_bps,
        };
        let first = emission_for_hour(&schedule(e.pool), 0) as f64 / unit;
        anyhow::ensure!(first > 0.0, "the emission schedule emits nothing");
        e.pool = ((e.pool as f64) * target_tokens / first).round().max(1.0) as u64;
        Ok(())
    }
}

/// The weekly stakers.
pub struct Stakers {
    chain: EmbeddedChain,
    cfg: LatticeConfig,
    main_mint: Pubkey,
    payer: Keypair,
    locked: Vec<(Keypair, String, u64)>,
}

impl Stakers {
    /// Stakers funded by the genesis holder `payer`.
    pub fn new(
        chain: EmbeddedChain,
        cfg: &LatticeConfig,
        payer: &Keypair,
        main_mint: &Pubkey,
    ) -> Self {
        Self {
            chain,
            cfg: cfg.clone(),
            main_mint: *main_mint,
            payer: payer.insecure_clone(),
            locked: Vec::new(),
        }
    }

    /// At loop index `i` (the chain inside a new hour): a new staker locks and delegates at the
    /// start of every week.
    pub async fn on_hour(&mut self, i: u64) -> Result<()> {
        if !self.cfg.governance.enabled || !i.is_multiple_of(WEEK) {
            return Ok(());
        }
        let unit = 10u64.pow(u32::from(self.cfg.dao.decimals));
        let amount = self
            .cfg
            .dao
            .genesis_supply
            .saturating_mul(unit)
            .saturating_mul(WEEKLY_LOCK_BPS)
            / 10_000;
        let names = &self.cfg.dao.sub_daos;
        let sub = names[self.locked.len() % names.len().max(1)].clone();
        let holder = Keypair::new();
        self.chain.airdrop(&holder.pubkey(), 1_000_000_000).await?;
        let ixs = vec![
            lattice_sdk::token::create_associated_token_account(
                &self.payer.pubkey(),
                &holder.pubkey(),
                &self.main_mint,
            ),
            lattice_sdk::token::transfer(
                &self.payer.pubkey(),
                &holder.pubkey(),
                &self.main_mint,
                amount,
            ),
        ];
        send(
            &self.chain,
            &self.cfg.send_options(),
            &ixs,
            &self.payer,
            &[],
        )
        .await
        .context("funding a staker")?;
        let op = Operator {
            chain: &self.chain,
            cfg: &self.cfg,
            main_mint: self.main_mint,
            wallet: &holder,
            opts: self.cfg.send_options(),
        };
        let max = self.cfg.governance_ve().max_lock_hours;
        let id = op
            .stake_lock(amount, LockKind::Cliff, max, Some(0))
            .await
            .context("staker lock")?;
        op.stake_delegate(id, &sub)
            .await
            .context("staker delegate")?;
        self.locked.push((holder, sub, amount));
        Ok(())
    }
}
