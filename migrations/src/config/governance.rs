//! `[governance]`: vote-escrow power, proposal rules and the authority handoff.

use super::{to_base_units, LatticeConfig};
use anyhow::{bail, Result};
use serde::Deserialize;
use std::time::Duration;

/// Governance as bootstrap creates it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GovernanceConfig {
    /// Initialize governance and every sub-DAO's V input (the cranker then checkpoints each
    /// sub-DAO's delegated power before issuing an hour).
    pub enabled: bool,
    /// Last bootstrap step: every program's admin authority becomes the governance PDA. After it
    /// no key, the bootstrap key included, can change a parameter except through a proposal.
    pub hand_over: bool,
    /// Longest lock that counts (4 years at most 8).
    #[serde(with = "humantime_serde")]
    pub max_lock: Duration,
    /// Power per token with nothing left locked, basis points of 1×.
    pub baseline_bps: u32,
    /// Extra power per token locked for `max_lock`, basis points of 1× (1 000 000 = 100×).
    pub extra_bps: u32,
    /// Voting period.
    #[serde(with = "humantime_serde")]
    pub voting_period: Duration,
    /// Wait between a proposal passing and its execution.
    #[serde(with = "humantime_serde")]
    pub timelock: Duration,
    /// Quorum: turnout at least the power of this many whole main tokens locked for `max_lock`.
    pub quorum_tokens: u64,
    /// Smallest yes share of yes + no, basis points.
    pub threshold_bps: u16,
    /// A proposer needs the power of this many whole main tokens locked for `max_lock`.
    pub min_proposal_tokens: u64,
}

impl Default for GovernanceConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            hand_over: false,
            max_lock: Duration::from_secs(4 * 365 * 86_400),
            baseline_bps: 0,
            extra_bps: 1_000_000,
            voting_period: Duration::from_secs(3 * 86_400),
            timelock: Duration::from_secs(86_400),
            quorum_tokens: 1_000_000,
            threshold_bps: 5_000,
            min_proposal_tokens: 1_000,
        }
    }
}

impl LatticeConfig {
    /// The on-chain power parameters.
    pub fn governance_ve(&self) -> lattice_governance::VeConfig {
        let g = &self.governance;
        lattice_governance::VeConfig {
            max_lock_hours: g.max_lock.as_secs() / 3_600,
            baseline_bps: g.baseline_bps,
            extra_bps: g.extra_bps,
        }
    }

    /// Power of `tokens` whole main tokens locked for the longest lock.
    fn max_power(&self, tokens: u64) -> Result<u128> {
        let ve = self.governance_ve();
        let base = to_base_units(tokens, self.dao.decimals)?;
        Ok(lattice_math::governance::power_at(
            &ve.into(),
            base,
            lattice_math::governance::HourLock::Constant {
                duration_hours: ve.max_lock_hours,
            },
            0,
        ))
    }

    /// The on-chain proposal rules.
    pub fn governance_params(&self) -> Result<lattice_governance::GovernanceParams> {
        let g = &self.governance;
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        let params = lattice_governance::GovernanceParams {
            voting_secs: secs(g.voting_period),
            quorum: self.max_power(g.quorum_tokens)?,
            threshold_bps: g.threshold_bps,
            timelock_secs: secs(g.timelock),
            min_proposal_power: self.max_power(g.min_proposal_tokens)?,
        };
        if !params.is_valid() || !self.governance_ve().is_valid() {
            bail!("[governance]: lock 1 hour..=8 years, voting period 1 s..=30 days, timelock ≤ 30 days, threshold 1..=10000 bps");
        }
        Ok(params)
    }
}
