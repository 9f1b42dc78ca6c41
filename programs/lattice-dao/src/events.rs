//! Typed events for every issuance. Amounts are in base units of the named token.

use anchor_lang::prelude::*;

/// An hour was issued.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourIssued {
    /// The DAO.
    pub dao: Pubkey,
    /// The issued hour (`floor(unix_timestamp / 3600)`).
    pub hour: u64,
    /// Main-token base units minted for the hour, all sub-DAOs together.
    pub main_emitted: u64,
    /// Main-token base units minted by emissions since genesis, this hour included.
    pub cumulative_emitted: u64,
    /// Who cranked it.
    pub cranker: Pubkey,
}

/// One sub-DAO's part of an issued hour.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubDaoHourIssued {
    /// The DAO.
    pub dao: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The issued hour.
    pub hour: u64,
    /// Utility score used for the split (fixed point, 10^12 = 100%).
    pub utility_score: u128,
    /// Main-token base units minted to the sub-DAO treasury.
    pub main_to_treasury: u64,
    /// Main-token base units minted to the sub-DAO's delegator pool.
    pub main_to_delegators: u64,
    /// Sub-DAO token base units minted to the rewards escrow.
    pub tokens_emitted: u64,
}

/// The DAO authority let a sub-DAO's rewards configuration pay claims out of its rewards escrow.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardsDelegateApproved {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The rewards escrow (sub-DAO token account).
    pub rewards_escrow: Pubkey,
    /// The delegate: the rewards program's configuration PDA of this sub-DAO.
    pub delegate: Pubkey,
    /// Sub-DAO token base units the delegate may move (`u64::MAX`).
    pub amount: u64,
}

/// A sub-DAO's conversion was initialized or its parameters changed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionParamsSet {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The authority that signed.
    pub authority: Pubkey,
    /// Virtual reserve, sub-DAO token base units.
    pub virtual_reserve: u64,
    /// Fee, basis points.
    pub fee_bps: u16,
    /// Sub→main frozen.
    pub frozen_to_main: bool,
    /// Main→sub frozen.
    pub frozen_to_sub: bool,
    /// Both directions frozen before this unix time (seconds).
    pub frozen_until_unix: i64,
}

/// A holder converted between a sub-DAO token and the main token.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The holder who signed.
    pub user: Pubkey,
    /// True for sub-DAO token → main token.
    pub to_main: bool,
    /// Base units of the input token paid into its pool, fee included.
    pub amount_in: u64,
    /// Base units of the input token kept as a fee.
    pub fee: u64,
    /// Base units of the output token paid out.
    pub amount_out: u64,
    /// Main-token base units in the treasury before the conversion.
    pub main_reserve: u64,
    /// Sub-DAO token base units in the pool before the conversion.
    pub sub_reserve: u64,
}

/// The DAO's authority changed (e.g. handed to the governance PDA).
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaoAuthoritySet {
    /// The DAO.
    pub dao: Pubkey,
    /// The authority that signed (the previous one).
    pub previous: Pubkey,
    /// The new authority.
    pub new_authority: Pubkey,
}

/// The DAO's parameters changed; every field is the value in force after the change.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaoParamsSet {
    /// The DAO.
    pub dao: Pubkey,
    /// The authority that signed.
    pub authority: Pubkey,
    /// Main-token emission schedule (base units).
    pub emission: crate::state::EmissionParams,
    /// Main-token emission breaker limits (base units per window); its running state is kept.
    pub breaker: crate::state::BreakerParams,
    /// Utility score weights, basis points.
    pub utility_weights: crate::state::UtilityWeightParams,
    /// Delegator share of each sub-DAO part, basis points.
    pub delegator_bps: u16,
}

/// A sub-DAO's parameters changed; every field is the value in force after the change.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubDaoParamsSet {
    /// The DAO.
    pub dao: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The authority that signed.
    pub authority: Pubkey,
    /// Sub-DAO token emission schedule (sub-DAO token base units).
    pub emission: crate::state::EmissionParams,
    /// Sub-DAO token breaker limits (base units per window); its running state is kept.
    pub breaker: crate::state::BreakerParams,
}

/// Governance enabled a sub-DAO's vote-escrow (V) input.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VeEnabled {
    /// The DAO.
    pub dao: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// First hour whose issuance reads V (`floor(unix_timestamp / 3600)`).
    pub start_hour: u64,
    /// The delegator pool (main-token account) governance may now pay stakers from.
    pub delegator_pool: Pubkey,
    /// The delegate: the governance PDA (`u64::MAX` main-token base units approved).
    pub delegate: Pubkey,
}

/// Governance recorded a sub-DAO's V for one hour.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VeRecorded {
    /// The DAO.
    pub dao: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The hour.
    pub hour: u64,
    /// Vote-escrow power delegated to the sub-DAO at the hour's start (voting-power units).
    pub ve_power: u128,
}
