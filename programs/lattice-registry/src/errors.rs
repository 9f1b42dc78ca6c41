//! The registry's errors (codes from 6000, in this order; never reorder).

use anchor_lang::prelude::*;

#[error_code]
pub enum RegistryError {
    #[msg("Signer is not the DAO authority")]
    Unauthorized,
    #[msg("Invalid registry parameters: min ≤ max bounds, a positive cooldown, resolution ≤ 15")]
    InvalidParams,
    #[msg("Location is not a valid H3 cell")]
    LocationNotACell,
    #[msg("Location is an H3 cell at the wrong resolution")]
    LocationWrongResolution,
    #[msg("Antenna gain is outside the configured bounds")]
    GainOutOfRange,
    #[msg("Elevation is outside the configured bounds")]
    ElevationOutOfRange,
    #[msg("Signer is not the device's owner")]
    NotOwner,
    #[msg("GPU specs are invalid: 1..=64 GPUs, positive VRAM, a non-empty model")]
    InvalidGpuSpecs,
    #[msg("Not enough main tokens for the stake")]
    InsufficientStake,
    #[msg("The node holds a job: finish or time it out first")]
    NodeHoldsJob,
    #[msg("Unstaking already requested")]
    UnstakeAlreadyRequested,
    #[msg("Request unstaking first")]
    UnstakeNotRequested,
    #[msg("The unstaking cooldown is not over")]
    CooldownNotOver,
    #[msg("Sub-DAO does not match the registry's")]
    WrongSubDao,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("This device key is registered already")]
    DeviceAlreadyRegistered,
    #[msg("The node holds no job: nothing to release")]
    NoJobHeld,
    #[msg("New authority must not be the default (all-zero) key")]
    InvalidAuthority,
}
