//! Lattice device registry: one small PDA per device, keyed by the device's ed25519 key.
//!
//! - Hotspots (coverage sub-DAO): asserted H3 location, gain and elevation; onboarding and
//!   location fees burned in DC.
//! - GPU nodes (compute sub-DAO): specs, a main-token stake locked in a program vault, unstaking
//!   after a cooldown and never while a job is held. The compute program (its configuration PDA
//!   signing through CPI) counts the jobs a node holds and slashes its stake.
//!
//! Registering, closing and unstaking keep each sub-DAO's active-device count (the utility
//! score's A input) in the DAO program, through CPI signed by the registry PDA.

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::RegistryError;
pub use instructions::*;
pub use state::*;

declare_id!("9wFCEnzHL1bQ1ztNrttTdNRirs85sb7JhbdbgepXTT7N");

#[program]
pub mod lattice_registry {
    use super::*;

    /// Create the registry (parameters and stake vault). DAO authority only.
    pub fn initialize_registry(
        ctx: Context<InitializeRegistry>,
        args: RegistryParams,
    ) -> Result<()> {
        instructions::initialize_registry::handler(ctx, args)
    }

    /// Register a hotspot: the device key signs, the owner pays the onboarding fee in DC.
    pub fn register_hotspot(ctx: Context<RegisterHotspot>, args: HotspotLocation) -> Result<()> {
        instructions::register_hotspot::handler(ctx, args)
    }

    /// Re-assert a hotspot's location, gain and elevation; the location fee is burned only when
    /// the location changes.
    pub fn assert_location(ctx: Context<AssertLocation>, args: HotspotLocation) -> Result<()> {
        instructions::assert_location::handler(ctx, args)
    }

    /// Register a GPU node: the device key signs, the owner locks the minimum stake.
    pub fn register_gpu_node(ctx: Context<RegisterGpuNode>, args: GpuSpecs) -> Result<()> {
        instructions::register_gpu_node::handler(ctx, args)
    }

    /// Hand a device to a new owner.
    pub fn transfer_device(ctx: Context<TransferDevice>, new_owner: Pubkey) -> Result<()> {
        instructions::transfer_device::handler(ctx, new_owner)
    }

    /// Deactivate and close a hotspot, refunding its rent to the owner.
    pub fn close_hotspot(ctx: Context<CloseHotspot>) -> Result<()> {
        instructions::close_hotspot::handler(ctx)
    }

    /// Deactivate a GPU node and start its unstaking cooldown (not while it holds a job).
    pub fn request_unstake(ctx: Context<RequestUnstake>) -> Result<()> {
        instructions::request_unstake::handler(ctx)
    }

    /// After the cooldown: return the stake and close the node, refunding its rent.
    pub fn close_gpu_node(ctx: Context<CloseGpuNode>) -> Result<()> {
        instructions::close_gpu_node::handler(ctx)
    }

    /// A GPU node claimed a job: one more job held. Compute configuration PDA only.
    pub fn hold_job(ctx: Context<UpdateJobsHeld>) -> Result<()> {
        instructions::jobs_held::hold(ctx)
    }

    /// A GPU node's job ended: one job fewer held. Compute configuration PDA only.
    pub fn release_job(ctx: Context<UpdateJobsHeld>) -> Result<()> {
        instructions::jobs_held::release(ctx)
    }

    /// Move `min(amount, stake)` of a GPU node's stake to a main-token account. Compute
    /// configuration PDA only.
    pub fn slash_stake(ctx: Context<SlashStake>, amount: u64) -> Result<()> {
        instructions::slash_stake::handler(ctx, amount)
    }
    /// Hand the registry's authority to a new key, e.g. the governance PDA. Registry authority
    /// only.
    pub fn set_authority(ctx: Context<SetRegistryAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::set_authority::handler(ctx, new_authority)
    }

    /// Replace the registry's parameters (fees, stake, cooldown, H3 resolution, gain and
    /// elevation bounds). Registry authority only.
    pub fn set_registry_params(
        ctx: Context<SetRegistryParams>,
        params: RegistryParams,
    ) -> Result<()> {
        instructions::set_registry_params::handler(ctx, params)
    }
}
