//! Lattice DAO program: the main token, its sub-DAOs and hourly, hard-capped emissions, and each
//! sub-DAO's treasury conversion.
//!
//! One documented line per instruction; each lives in `instructions/<name>.rs` with its
//! arguments, accounts and handler.

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;
pub mod utils;

pub use constants::*;
pub use errors::DaoError;
pub use instructions::*;
pub use state::*;

declare_id!("CNtw62sg4qyjvvd82o4nMi9AnEJt5RaH9LrgRBxb3hhB");

#[program]
pub mod lattice_dao {
    use super::*;

    /// Create the main mint (PDA mint authority), the DAO and its hard cap, emission schedule,
    /// breaker and split parameters; mint the one-time genesis supply.
    pub fn initialize_dao(ctx: Context<InitializeDao>, args: InitializeDaoArgs) -> Result<()> {
        instructions::initialize_dao::handler(ctx, args)
    }

    /// Add a sub-DAO: its token mint (PDA authority), capped schedule, treasury, delegator pool
    /// and rewards escrow. Bootstrap authority only.
    pub fn add_sub_dao(ctx: Context<AddSubDao>, args: AddSubDaoArgs) -> Result<()> {
        instructions::add_sub_dao::handler(ctx, args)
    }

    /// Permissionless: issue a finished hour's main-token emission (split among sub-DAOs) and
    /// every sub-DAO's token emission, exactly once per hour.
    pub fn issue_hour<'info>(ctx: Context<'info, IssueHour<'info>>, hour: u64) -> Result<()> {
        instructions::issue_hour::handler(ctx, hour)
    }

    /// CPI from the data-credits program: record a DC burn into a sub-DAO's current hour (the
    /// utility score's D input).
    pub fn track_dc_burn(ctx: Context<TrackDcBurn>, amount: u64, fee: bool) -> Result<()> {
        instructions::track_dc_burn::handler(ctx, amount, fee)
    }

    /// CPI from the registry: move a sub-DAO's active-device count (the A input).
    pub fn update_active_devices(ctx: Context<UpdateActiveDevices>, delta: i64) -> Result<()> {
        instructions::update_active_devices::handler(ctx, delta)
    }

    /// Let the rewards program's configuration PDA of a sub-DAO pay claims out of its rewards
    /// escrow (SPL Token delegate for `u64::MAX`). DAO authority only.
    pub fn approve_rewards_delegate(ctx: Context<ApproveRewardsDelegate>) -> Result<()> {
        instructions::approve_rewards_delegate::handler(ctx)
    }

    /// Open a sub-DAO's treasury conversion: its parameters and its sub-DAO token pool. DAO
    /// authority only.
    pub fn init_conversion(ctx: Context<InitConversion>, params: ConversionParams) -> Result<()> {
        instructions::init_conversion::handler(ctx, params)
    }

    /// Change a sub-DAO's conversion curve or freezes. DAO authority only.
    pub fn set_conversion_params(
        ctx: Context<SetConversionParams>,
        params: ConversionParams,
    ) -> Result<()> {
        instructions::set_conversion_params::handler(ctx, params)
    }

    /// Sell sub-DAO tokens into the pool for main tokens from the treasury, at least `min_out`.
    pub fn convert_to_main(ctx: Context<Convert>, amount_in: u64, min_out: u64) -> Result<()> {
        instructions::convert::to_main_handler(ctx, amount_in, min_out)
    }

    /// Buy sub-DAO tokens from the pool with main tokens paid into the treasury, at least
    /// `min_out`.
    pub fn convert_to_sub(ctx: Context<Convert>, amount_in: u64, min_out: u64) -> Result<()> {
        instructions::convert::to_sub_handler(ctx, amount_in, min_out)
    }
    /// Hand the DAO's authority (also the rewards program's admin) to a new key, e.g. the
    /// governance PDA. DAO authority only.
    pub fn set_authority(ctx: Context<SetDaoAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::set_authority::handler(ctx, new_authority)
    }

    /// Change the main emission schedule, breaker limits, utility weights or delegator share
    /// (never the hard cap). DAO authority only.
    pub fn set_dao_params(ctx: Context<SetDaoParams>, params: DaoParamsUpdate) -> Result<()> {
        instructions::set_dao_params::handler(ctx, params)
    }

    /// Change a sub-DAO's token emission schedule or breaker limits (never its cap). DAO
    /// authority only.
    pub fn set_sub_dao_params(
        ctx: Context<SetSubDaoParams>,
        params: SubDaoParamsUpdate,
    ) -> Result<()> {
        instructions::set_sub_dao_params::handler(ctx, params)
    }

    /// Governance PDA only: make a sub-DAO's utility score read the vote-escrow (V) input from
    /// `start_hour` on, and let governance pay stakers from its delegator pool.
    pub fn enable_ve(ctx: Context<EnableVe>, start_hour: u64) -> Result<()> {
        instructions::enable_ve::handler(ctx, start_hour)
    }

    /// Governance PDA only: record a sub-DAO's V of one hour (once), which `issue_hour` requires.
    pub fn record_ve(ctx: Context<RecordVe>, hour: u64, ve_power: u128, staked: u64) -> Result<()> {
        instructions::record_ve::handler(ctx, hour, ve_power, staked)
    }
}
