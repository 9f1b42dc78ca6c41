//! Parameter structs stored on chain, with conversions to the pure math types.

use anchor_lang::prelude::*;
use lattice_math::{
    breaker::{BreakerConfig, BreakerState},
    emission::EmissionSchedule,
    utility::UtilityWeights,
};

/// A decaying hourly schedule (see `lattice_math::emission`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct EmissionParams {
    /// Base units released over the schedule's life.
    pub pool: u64,
    /// Number of decay periods.
    pub periods: u16,
    /// Hours per period.
    pub hours_per_period: u32,
    /// Period-over-period weight, in basis points.
    pub decay_bps: u16,
}

impl From<EmissionParams> for EmissionSchedule {
    fn from(p: EmissionParams) -> Self {
        EmissionSchedule {
            pool: p.pool,
            periods: p.periods,
            hours_per_period: p.hours_per_period,
            decay_bps: p.decay_bps,
        }
    }
}

/// Circuit-breaker limits (see `lattice_math::breaker`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct BreakerParams {
    /// Decay window, in seconds.
    pub window_secs: u64,
    /// Most base units mintable within a window (decayed).
    pub threshold: u64,
}

impl From<BreakerParams> for BreakerConfig {
    fn from(p: BreakerParams) -> Self {
        BreakerConfig {
            window_secs: p.window_secs,
            threshold: p.threshold,
        }
    }
}

/// A circuit breaker: its limits and its running state.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Breaker {
    /// Limits.
    pub params: BreakerParams,
    /// Unix time of the last recorded mint, in seconds.
    pub last_ts: i64,
    /// Base units recorded at `last_ts`, before decay.
    pub value: u64,
}

impl Breaker {
    /// A fresh breaker with nothing recorded.
    pub fn new(params: BreakerParams) -> Self {
        Self {
            params,
            last_ts: 0,
            value: 0,
        }
    }

    /// Record a mint of `amount` at `now`; `false` (and no change) when it would trip.
    pub fn try_record(&mut self, now: i64, amount: u64) -> bool {
        let state = BreakerState {
            last_ts: self.last_ts,
            value: self.value,
        };
        match lattice_math::breaker::record_mint(&self.params.into(), &state, now, amount) {
            Ok(next) => {
                self.last_ts = next.last_ts;
                self.value = next.value;
                true
            }
            Err(_) => false,
        }
    }
}

/// Weights of the utility score inputs, in basis points (sum 10_000).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct UtilityWeightParams {
    /// Delegated vote-escrow power.
    pub ve_bps: u16,
    /// Data credits burned.
    pub dc_bps: u16,
    /// Active devices.
    pub devices_bps: u16,
}

impl From<UtilityWeightParams> for UtilityWeights {
    fn from(p: UtilityWeightParams) -> Self {
        UtilityWeights {
            ve_bps: p.ve_bps,
            dc_bps: p.dc_bps,
            devices_bps: p.devices_bps,
        }
    }
}
