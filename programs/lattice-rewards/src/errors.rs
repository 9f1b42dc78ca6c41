//! The rewards program's errors (codes from 6000, in this order; never reorder).

use anchor_lang::prelude::*;

#[error_code]
pub enum RewardsError {
    #[msg("Signer is not the DAO authority")]
    Unauthorized,
    #[msg(
        "Oracle set must hold 1..=7 distinct non-default keys and a threshold k with n/2 < k <= n"
    )]
    InvalidOracleSet,
    #[msg("Claim breaker window and threshold must be positive")]
    InvalidBreaker,
    #[msg("Rewards are already initialized for this sub-DAO: use set_oracles")]
    AlreadyInitialized,
    #[msg("Signer is not in the sub-DAO's oracle set")]
    NotAnOracle,
    #[msg("This oracle already posted a root for this epoch")]
    AlreadyPosted,
    #[msg("Epoch is not after the latest final epoch: post a later hour")]
    StaleEpoch,
    #[msg("Epoch is not over yet: post it once the hour has ended")]
    FutureEpoch,
    #[msg("Root total exceeds the sub-DAO tokens emitted to the rewards escrow")]
    RootExceedsEscrow,
    #[msg("Root total is below the latest final total: cumulative rewards never decrease")]
    TotalNotMonotone,
    #[msg("No root has been finalized yet: wait for the oracle quorum")]
    NoFinalRoot,
    #[msg("Merkle proof does not lead to the latest final root: fetch a proof for that root")]
    InvalidProof,
    #[msg("Cumulative amount is below what the device was already paid")]
    ClaimBelowClaimed,
    #[msg("Nothing to claim: the device was already paid its cumulative amount")]
    NothingToClaim,
    #[msg("Claim circuit breaker tripped: retry after the window decays")]
    ClaimBreakerTripped,
    #[msg("Destination must be a rewards-mint token account owned by the device's current owner")]
    WrongDestination,
    #[msg("Device account must be the registry's hotspot or GPU node PDA of this device, matching the sub-DAO's device kind")]
    WrongDeviceAccount,
    #[msg("Claim would pay out more than the final root's total")]
    ClaimExceedsRootTotal,
    #[msg("The rewards escrow has not approved this configuration as delegate for the amount: run approve_rewards_delegate")]
    EscrowNotDelegated,
    #[msg("Epoch is not settled yet: only records at or before the final epoch can be closed")]
    EpochNotSettled,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Account invariant violated")]
    InvariantViolated,
}
