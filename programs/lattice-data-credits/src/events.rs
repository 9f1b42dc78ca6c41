//! Typed events. DC amounts are whole DC (0 decimals); main amounts are base units.

use anchor_lang::prelude::*;

/// DC minted for burned main tokens.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcMinted {
    /// Who burned main tokens.
    pub owner: Pubkey,
    /// The DC account credited.
    pub recipient: Pubkey,
    /// Main-token base units burned.
    pub main_burned: u64,
    /// DC minted.
    pub dc_minted: u64,
    /// Conservative price used (`price − conf`, scaled by `10^exponent`).
    pub price: u64,
    /// The price's exponent.
    pub exponent: i32,
}

/// DC delegated to a sub-DAO payer escrow.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcDelegated {
    /// Who delegated.
    pub owner: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The payer (router, dApp) the escrow belongs to.
    pub payer_key: Pubkey,
    /// DC moved.
    pub amount: u64,
}

/// DC burned, for usage or as a fee.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcBurned {
    /// The sub-DAO credited with the burn.
    pub sub_dao: Pubkey,
    /// The hour it is recorded in.
    pub hour: u64,
    /// DC burned.
    pub amount: u64,
    /// True for a fee burn (onboarding, location), false for usage.
    pub fee: bool,
}

/// Delegated DC returned from a payer escrow to a DC account (burn + mint: supply-neutral).
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcRefunded {
    /// The sub-DAO of the escrow.
    pub sub_dao: Pubkey,
    /// The payer the escrow belongs to.
    pub payer_key: Pubkey,
    /// The DC account credited.
    pub destination: Pubkey,
    /// DC moved.
    pub amount: u64,
    /// The burn authority that signed.
    pub burn_authority: Pubkey,
}

/// A sub-DAO's burn authority changed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BurnAuthoritySet {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The previous burn authority.
    pub previous: Pubkey,
    /// The new burn authority.
    pub burn_authority: Pubkey,
    /// The DC authority that signed.
    pub authority: Pubkey,
}

/// The DC configuration's authority changed (e.g. handed to the governance PDA).
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcAuthoritySet {
    /// The DC configuration.
    pub data_credits: Pubkey,
    /// The authority that signed (the previous one).
    pub previous: Pubkey,
    /// The new authority.
    pub new_authority: Pubkey,
}

/// The DC parameters changed; every field is the value in force after the change.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcParamsSet {
    /// The DC configuration.
    pub data_credits: Pubkey,
    /// The authority that signed.
    pub authority: Pubkey,
    /// USD price of one DC, nano-USD.
    pub dc_price_nano_usd: u64,
    /// Pyth feed id of MAIN/USD.
    pub price_feed_id: [u8; 32],
    /// Program that must own price accounts.
    pub price_owner: Pubkey,
    /// Oldest accepted price, seconds.
    pub max_age_secs: u64,
    /// Widest accepted confidence, basis points of the price.
    pub max_conf_bps: u16,
    /// Limits of the breaker on DC minted (DC per window); its running state is kept.
    pub breaker: lattice_dao::BreakerParams,
}
