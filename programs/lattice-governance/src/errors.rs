use anchor_lang::prelude::*;

#[error_code]
pub enum GovernanceError {
    #[msg("Signer is not the authority for this action")]
    Unauthorized,
    #[msg("Invalid governance parameters: lock 1..=8 years of hours, threshold 1..=10000 bps, periods 1 s..=30 days")]
    InvalidGovernanceParams,
    #[msg("Invalid lock: 0..=max lock hours, and an amount above zero")]
    InvalidLock,
    #[msg("The lock has not expired")]
    LockNotExpired,
    #[msg("The position's lock has expired; it cannot be delegated")]
    PositionExpired,
    #[msg("The position is already delegated")]
    AlreadyDelegated,
    #[msg("The position is not delegated")]
    NotDelegated,
    #[msg("A new lock may never end sooner or hold less power than the old one")]
    LockShortened,
    #[msg("The position is delegated: undelegate first")]
    StillDelegated,
    #[msg("The position has been withdrawn")]
    PositionWithdrawn,
    #[msg("Too many unclaimed delegation ranges: claim first")]
    TooManyUnsettled,
    #[msg("A needed ve-hour account is missing or not checkpointed")]
    MissingVeHour,
    #[msg("Checkpoints go one hour at a time, up to the current hour")]
    CheckpointOutOfOrder,
    #[msg("The previous hour has not been issued yet")]
    HourNotIssued,
    #[msg("The sub-DAO's delegated power would go negative")]
    VeUnderflow,
    #[msg("The proposal is not a draft")]
    NotDraft,
    #[msg("The proposal is not in voting")]
    NotVoting,
    #[msg("The voting period is over")]
    VotingClosed,
    #[msg("The voting period is not over")]
    VotingNotOver,
    #[msg("The position has no voting power for this proposal (locked after voting started)")]
    NoVotingPower,
    #[msg("Not enough voting power to propose")]
    InsufficientPower,
    #[msg("A proposal carries 1..=8 parameter changes")]
    TooManyChanges,
    #[msg("Description URI too long")]
    UriTooLong,
    #[msg("The proposal did not succeed")]
    ProposalNotSucceeded,
    #[msg("The timelock has not passed")]
    TimelockNotOver,
    #[msg("Changes execute in order, each once")]
    ChangeOutOfOrder,
    #[msg("The accounts do not match the parameter change")]
    ChangeAccountMismatch,
    #[msg("The sub-DAO account is not the position's delegation")]
    WrongSubDao,
    #[msg("Too many relocks within 30 days")]
    TooManyRelocks,
    #[msg("Arithmetic overflow")]
    MathOverflow,
}
