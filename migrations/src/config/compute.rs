//! `[compute]`: the GPU job market (the compute program) as bootstrap creates it.

use super::{to_base_units, LatticeConfig};
use anyhow::{anyhow, bail, Context as _, Result};
use serde::Deserialize;
use solana_sdk::pubkey::Pubkey;
use std::time::Duration;

/// The compute program's configuration and markets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComputeConfig {
    /// Initialize the compute program and its markets at bootstrap.
    pub enabled: bool,
    /// Make the compute sub-DAO's DC burn authority the compute configuration PDA (jobs can only
    /// settle then). `false` keeps `sub_dao.<compute>.burn_authority`, for a deployment that
    /// burns compute usage directly (the localnet's synthetic compute demand).
    pub hand_over_burn_authority: bool,
    /// Fault-oracle keys (base58); empty = those of `[rewards]` (which default to the bootstrap
    /// authority alone). Fewer than two keys leave the set empty: fault attestations disabled,
    /// since no single key may slash.
    pub oracles: Vec<String>,
    /// Votes that execute a fault; 0 = the smallest quorum, `max(2, n/2 + 1)`.
    pub threshold: u8,
    /// Share of a node's stake an executed fault slashes, basis points.
    pub fault_slash_bps: u16,
    /// Default verification window of the markets (those without their own).
    #[serde(with = "humantime_serde")]
    pub verification_window: Duration,
    /// Main-token account slashed stake goes to (base58); empty = the compute sub-DAO's
    /// treasury (its main-token account, which backs conversion).
    pub slash_destination: String,
    /// The markets, one per GPU class.
    pub markets: Vec<MarketConfig>,
}

impl Default for ComputeConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            hand_over_burn_authority: true,
            oracles: Vec::new(),
            threshold: 0,
            fault_slash_bps: 2_000,
            verification_window: Duration::from_secs(300),
            slash_destination: String::new(),
            markets: vec![
                MarketConfig {
                    class_id: 0,
                    name: "consumer".into(),
                    min_vram_gb: 8,
                    min_stake: 1_000,
                    price_floor_dc_per_sec: 1,
                    max_duration: Duration::from_secs(3_600),
                    max_jobs_per_node: 1,
                    verification_window: None,
                    timeout_slash_bps: 500,
                    capacity_weight_bps: 2_500,
                },
                MarketConfig {
                    class_id: 1,
                    name: "datacenter".into(),
                    min_vram_gb: 40,
                    min_stake: 4_000,
                    price_floor_dc_per_sec: 5,
                    max_duration: Duration::from_secs(86_400),
                    max_jobs_per_node: 2,
                    verification_window: None,
                    timeout_slash_bps: 1_000,
                    capacity_weight_bps: 10_000,
                },
            ],
        }
    }
}

/// One market (`[[compute.markets]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketConfig {
    /// GPU class id (a PDA seed; unique).
    pub class_id: u8,
    /// Name (≤ 16 bytes).
    pub name: String,
    /// Least VRAM per GPU of a claiming node, GiB.
    pub min_vram_gb: u16,
    /// Least stake of a claiming node, whole main tokens.
    pub min_stake: u64,
    /// Lowest job price, DC per second.
    pub price_floor_dc_per_sec: u64,
    /// Longest job (humantime).
    #[serde(with = "humantime_serde")]
    pub max_duration: Duration,
    /// Jobs a node may hold at once to claim here.
    pub max_jobs_per_node: u8,
    /// Verification window (humantime); absent = `compute.verification_window`.
    #[serde(default, with = "humantime_serde")]
    pub verification_window: Option<Duration>,
    /// Share of a node's stake a timeout slashes, basis points.
    pub timeout_slash_bps: u16,
    /// Class weight in capacity rewards, basis points.
    pub capacity_weight_bps: u16,
}

impl LatticeConfig {
    /// The fault-oracle set and threshold bootstrap initializes compute with; `authority` stands
    /// in when neither `[compute]` nor `[rewards]` lists oracles.
    pub fn compute_oracles(&self, authority: &Pubkey) -> Result<(Vec<Pubkey>, u8)> {
        let listed = if self.compute.oracles.is_empty() {
            &self.rewards.oracles
        } else {
            &self.compute.oracles
        };
        let oracles = if listed.is_empty() {
            vec![*authority]
        } else {
            listed
                .iter()
                .map(|k| k.parse())
                .collect::<Result<Vec<Pubkey>, _>>()
                .map_err(|_| anyhow!("compute.oracles: not a pubkey"))?
        };
        if oracles.len() < 2 {
            return Ok((Vec::new(), 0));
        }
        let n = u8::try_from(oracles.len()).context("compute.oracles: too many")?;
        let threshold = match self.compute.threshold {
            0 => (n / 2 + 1).max(2),
            k => k,
        };
        if !lattice_compute::oracle_set_is_valid(&oracles, threshold) {
            bail!(
                "compute.oracles/threshold: need 2..=7 distinct keys and 2 <= k, n/2 < k <= n (n = {n}, k = {threshold})"
            );
        }
        Ok((oracles, threshold))
    }

    /// The slash destination: `compute.slash_destination`, or the compute sub-DAO's treasury.
    pub fn compute_slash_destination(&self, compute_sub_dao: &Pubkey) -> Result<Pubkey> {
        if self.compute.slash_destination.is_empty() {
            Ok(lattice_sdk::pda::treasury(compute_sub_dao))
        } else {
            self.compute
                .slash_destination
                .parse()
                .map_err(|_| anyhow!("compute.slash_destination: not a pubkey"))
        }
    }

    /// `create_market` parameters of every configured market, by class id.
    pub fn compute_markets(&self) -> Result<Vec<(u8, lattice_compute::MarketParams)>> {
        let c = &self.compute;
        let mut out: Vec<(u8, lattice_compute::MarketParams)> = Vec::new();
        for m in &c.markets {
            let what = format!("compute.markets[class {}]", m.class_id);
            if out.iter().any(|(id, _)| *id == m.class_id) {
                bail!("{what}: duplicate class_id");
            }
            if m.name.is_empty() || m.name.len() > lattice_compute::MARKET_NAME_LEN {
                bail!("{what}: name must be 1..=16 bytes");
            }
            let params = lattice_compute::MarketParams {
                name: lattice_sdk::compute::market_name(&m.name),
                min_vram_gb: m.min_vram_gb,
                min_stake: to_base_units(m.min_stake, self.dao.decimals)
                    .with_context(|| format!("{what}.min_stake"))?,
                price_floor_dc_per_sec: m.price_floor_dc_per_sec,
                max_duration_secs: m.max_duration.as_secs(),
                max_jobs_per_node: m.max_jobs_per_node,
                verification_window_secs: m
                    .verification_window
                    .unwrap_or(c.verification_window)
                    .as_secs(),
                timeout_slash_bps: m.timeout_slash_bps,
                capacity_weight_bps: m.capacity_weight_bps,
            };
            if !params.is_valid() {
                bail!(
                    "{what}: price floor >= 1, duration and verification window 1s..=30d, max_jobs_per_node >= 1, bps <= 10000"
                );
            }
            out.push((m.class_id, params));
        }
        Ok(out)
    }

    /// Checks of `[compute]` (the program re-checks every value).
    pub(super) fn validate_compute(&self) -> Result<()> {
        if u64::from(self.compute.fault_slash_bps) > lattice_math::BPS {
            bail!("compute.fault_slash_bps: at most 10000");
        }
        self.compute_oracles(&Pubkey::default())?;
        self.compute_slash_destination(&Pubkey::default())?;
        self.compute_markets()?;
        Ok(())
    }
}
