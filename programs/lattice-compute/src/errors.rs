//! The compute program's errors (codes from 6000, in this order; never reorder).

use anchor_lang::prelude::*;

#[error_code]
pub enum ComputeError {
    #[msg(
        "Signer is not the authority (the DAO authority, or the compute configuration's authority)"
    )]
    Unauthorized,
    #[msg("Oracle set must be empty with threshold 0 (attestations off), or 2..=7 distinct non-default keys with 2 <= k, n/2 < k <= n")]
    InvalidOracleSet,
    #[msg("Compute parameters are invalid: fault_slash_bps <= 10000 and a non-default authority")]
    InvalidComputeParams,
    #[msg("Market parameters are invalid: a name, price floor >= 1, 1..=30 days duration and window, max_jobs_per_node >= 1, bps <= 10000")]
    InvalidMarketParams,
    #[msg("Compute is already initialized for this DAO: use set_compute_params / set_oracles")]
    AlreadyInitialized,
    #[msg("A market of this class exists already: use set_market_params")]
    MarketExists,
    #[msg("Sub-DAO is not this DAO's compute sub-DAO (the registry's)")]
    WrongSubDao,
    #[msg("Registry account is not the configuration's registry")]
    WrongRegistry,
    #[msg(
        "DC account (configuration, mint, sub-DAO settings or escrow) is not the configuration's"
    )]
    WrongDcAccount,
    #[msg("Slash destination is not the configuration's")]
    WrongSlashDestination,
    #[msg("The poster's DC account must be the poster's associated DC token account")]
    WrongPosterDc,
    #[msg("Price is below the market's floor (DC per second)")]
    PriceBelowFloor,
    #[msg("Maximum duration must be 1 second up to the market's maximum")]
    DurationOutOfRange,
    #[msg("URI is longer than 128 bytes")]
    UriTooLong,
    #[msg("The market's queue is full: wait for claims or cancellations")]
    QueueFull,
    #[msg("Signer is not the job's poster")]
    NotPoster,
    #[msg("The job is not queued (claimed, or over already)")]
    JobNotQueued,
    #[msg("The GPU node is unstaking: it can no longer claim jobs")]
    NodeUnstaking,
    #[msg("The GPU node's stake is below the market's minimum")]
    InsufficientStake,
    #[msg("The GPU node's VRAM is below the market's minimum")]
    InsufficientVram,
    #[msg("The GPU node holds as many jobs as the market allows: finish one first")]
    NodeBusy,
    #[msg("The job is not claimed")]
    JobNotClaimed,
    #[msg("Signer is not the device key of the node that claimed the job")]
    NotJobNode,
    #[msg("The job's deadline has passed: it can only be timed out")]
    SubmissionAfterDeadline,
    #[msg("Merkle root must be nonzero for matmul jobs and zero for container jobs")]
    InvalidMerkleRoot,
    #[msg("The job has no submitted result")]
    JobNotSubmitted,
    #[msg("The verification window is still open: finalize once it has passed")]
    VerificationWindowOpen,
    #[msg("The job's deadline has not passed yet")]
    DeadlineNotPassed,
    #[msg("GPU node account is not the one that claimed the job")]
    WrongNodeAccount,
    #[msg("Fault attestations are disabled: the oracle set is empty")]
    FaultAttestationsDisabled,
    #[msg("Signer is not in the fault-oracle set")]
    NotAnOracle,
    #[msg("This oracle already voted on this fault")]
    AlreadyVoted,
    #[msg("This fault was already executed")]
    FaultAlreadyExecuted,
    #[msg("The attested job was not claimed by this GPU node")]
    FaultSubjectMismatch,
    #[msg("A job fault needs the job's account (at its PDA)")]
    MissingJobAccount,
    #[msg("A faulted job's refund needs its poster's DC account")]
    WrongRefundAccount,
    #[msg("A capacity fault must be about an hour that has started")]
    FutureSubject,
    #[msg("The job is not over: only finalized, timed-out, cancelled or faulted jobs close")]
    JobNotTerminal,
    #[msg("The node epoch record is still within its retention period")]
    RetentionNotOver,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Account invariant violated")]
    InvariantViolated,
}
