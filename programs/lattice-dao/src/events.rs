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
