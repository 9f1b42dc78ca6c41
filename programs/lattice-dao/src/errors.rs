//! The DAO program's errors (codes from 6000, in this order; never reorder).

use anchor_lang::prelude::*;

#[error_code]
pub enum DaoError {
    #[msg("Emission schedule is invalid: periods must be 1..=100, hours per period > 0, decay 1..=10000 bps")]
    InvalidSchedule,
    #[msg(
        "Genesis supply plus emission pool exceeds the max supply: lower the pool or raise the cap"
    )]
    ScheduleExceedsCap,
    #[msg("Circuit breaker window must be positive and its threshold at least the peak hourly emission")]
    InvalidBreaker,
    #[msg("Utility weights must sum to exactly 10000 bps")]
    InvalidUtilityWeights,
    #[msg("Basis-point parameter must be at most 10000")]
    InvalidBps,
    #[msg("Sub-DAO name must be 1..=16 bytes of a-z, 0-9, '-' or '_'")]
    InvalidName,
    #[msg("The DAO already holds the maximum number of sub-DAOs")]
    TooManySubDaos,
    #[msg("Signer is not the DAO authority")]
    Unauthorized,
    #[msg("Hour is before the DAO's genesis hour: nothing was scheduled for it")]
    HourBeforeGenesis,
    #[msg("Hour is not over yet: wait until the next hour starts")]
    HourNotOver,
    #[msg("Hour was already issued: nothing to do")]
    HourAlreadyIssued,
    #[msg("Sub-DAO accounts must be passed as (sub_dao, mint, treasury, delegator pool, rewards escrow) for every sub-DAO, in DAO order")]
    SubDaoAccountMismatch,
    #[msg("Minting would exceed the main token's max supply")]
    CapReached,
    #[msg("Minting would exceed the sub-DAO token's max supply")]
    SubDaoCapReached,
    #[msg("Main-token circuit breaker tripped: retry after the window decays")]
    CircuitBreakerTripped,
    #[msg("Sub-DAO token circuit breaker tripped: retry after the window decays")]
    SubDaoCircuitBreakerTripped,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Account invariant violated")]
    InvariantViolated,
    #[msg("No sub-DAO was active in this hour: add a sub-DAO first")]
    NoActiveSubDaos,
    #[msg("Active-device count would go below zero")]
    DeviceCountUnderflow,
    #[msg(
        "Conversion in this direction is frozen: wait for `frozen_until` or a governance change"
    )]
    ConversionFrozen,
    #[msg("Conversion output is below `min_out`: quote again or accept more slippage")]
    SlippageExceeded,
    #[msg("Amount is zero (or converts to zero): convert a larger amount")]
    ZeroAmount,
    #[msg(
        "Conversion parameters are invalid: virtual reserve must be > 0 and the fee < 10000 bps"
    )]
    InvalidConversionParams,
    #[msg("The treasury holds no main tokens to price against: wait for emissions")]
    ConversionReserveEmpty,
    #[msg("Token account is not for the expected mint")]
    WrongMint,
    #[msg("Conversion is already initialized for this sub-DAO: use set_conversion_params")]
    ConversionAlreadyInitialized,
    #[msg("New authority must not be the default (all-zero) key")]
    InvalidAuthority,
    #[msg("The vote-escrow (V) input is already enabled for this sub-DAO")]
    VeAlreadyEnabled,
    #[msg("V start hour must be a future hour (after the current one)")]
    InvalidVeHour,
    #[msg("The V input is not enabled for this sub-DAO at this hour: enable_ve first, and record hours from its start hour on")]
    VeNotEnabled,
    #[msg("V was already recorded for this sub-DAO and hour")]
    VeAlreadyRecorded,
    #[msg("V was not recorded for an active sub-DAO of this hour: checkpoint it in governance (record_ve) first")]
    VeNotRecorded,
}
