//! Accounts. Fields are never reordered; new fields go into `reserved`.

use anchor_lang::prelude::*;
use lattice_dao::Breaker;

/// DC configuration: PDA `[DATA_CREDITS_SEED, dao]`, the DC mint's authority and the owner of
/// every payer escrow.
#[account]
#[derive(InitSpace, Debug)]
pub struct DataCredits {
    /// Layout version (1).
    pub version: u8,
    /// The DAO.
    pub dao: Pubkey,
    /// The main token mint (burned to mint DC).
    pub main_mint: Pubkey,
    /// The DC mint.
    pub dc_mint: Pubkey,
    /// Authority over parameters (the DAO authority at initialization).
    pub authority: Pubkey,
    /// Pyth feed id of MAIN/USD.
    pub price_feed_id: [u8; 32],
    /// Program that must own price accounts (the Pyth receiver).
    pub price_owner: Pubkey,
    /// Oldest accepted price, in seconds.
    pub max_age_secs: u64,
    /// Widest accepted confidence, `conf / price` in basis points.
    pub max_conf_bps: u16,
    /// USD price of one DC, in nano-USD (10_000 = $0.00001).
    pub dc_price_nano_usd: u64,
    /// Main token decimals.
    pub main_decimals: u8,
    /// Circuit breaker on DC minted for main tokens (DC units).
    pub breaker: Breaker,
    /// DC minted for main tokens, total.
    pub total_minted: u64,
    /// Main-token base units burned for DC, total.
    pub total_main_burned: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the DC mint PDA.
    pub dc_mint_bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

impl DataCredits {
    /// Signer seeds of the configuration PDA (the DC mint's and every escrow's authority).
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            crate::constants::DATA_CREDITS_SEED,
            self.dao.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }
}

/// A sub-DAO's DC settings: PDA `[SUB_DAO_DC_SEED, sub_dao]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct SubDaoDc {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The DC configuration this sub-DAO belongs to (every instruction checks it, so a
    /// configuration of another DAO can never act on this sub-DAO's escrows).
    pub data_credits: Pubkey,
    /// The key that meters usage and may burn delegated DC (an oracle).
    pub burn_authority: Pubkey,
    /// DC burned for usage, total.
    pub dc_burned: u64,
    /// DC burned as fees, total.
    pub fees_burned: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 32],
}

/// What one hour's mints did: PDA `[DC_HOUR_SEED, data_credits, hour_le]`, created by the hour's
/// first `mint_dc` (rent paid by its owner). The economics dashboard (`lattice stats`) reads the
/// burn side of burn-and-mint equilibrium and the oracle price of each hour from it.
#[account]
#[derive(InitSpace, Debug)]
pub struct DcHour {
    /// The DC configuration.
    pub data_credits: Pubkey,
    /// The hour.
    pub hour: u64,
    /// Main-token base units burned for DC in the hour.
    pub main_burned: u64,
    /// DC minted in the hour.
    pub dc_minted: u64,
    /// Mints in the hour.
    pub mints: u64,
    /// The conservative oracle price (`price − conf`) of the hour's last mint, scaled by
    /// `10^price_exponent`: USD per whole main token.
    pub price: u64,
    /// The exponent of `price`.
    pub price_exponent: i32,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 16],
}
