//! The data-credits program's errors (codes from 6000, in this order; never reorder).

use anchor_lang::prelude::*;

#[error_code]
pub enum DcError {
    #[msg("Signer is not the DAO authority")]
    Unauthorized,
    #[msg("Price account is not owned by the configured oracle program")]
    WrongPriceOwner,
    #[msg("Price account is not a PriceUpdateV2 account")]
    InvalidPriceAccount,
    #[msg("Price update is not fully verified by the Wormhole guardians")]
    PriceUnverified,
    #[msg("Price update is for another feed")]
    WrongPriceFeed,
    #[msg("Price update is older than the configured maximum age: post a fresh update")]
    PriceStale,
    #[msg("Price (or its lower confidence bound) is not positive")]
    PriceNotPositive,
    #[msg("Price confidence interval is wider than the configured maximum")]
    PriceConfidenceTooWide,
    #[msg("Give exactly one of main_amount and dc_amount, and it must be positive")]
    InvalidAmount,
    #[msg("Amount too large")]
    MathOverflow,
    #[msg("DC circuit breaker tripped: retry after the window decays")]
    CircuitBreakerTripped,
    #[msg("Signer is not this sub-DAO's burn authority")]
    WrongBurnAuthority,
    #[msg("Not enough DC")]
    InsufficientDc,
    #[msg("Not enough main tokens to burn")]
    InsufficientMain,
    #[msg("Invalid parameter: positive DC price, max age and breaker window, confidence at most 10000 bps")]
    InvalidParameter,
    #[msg("New authority must not be the default (all-zero) key")]
    InvalidAuthority,
}
