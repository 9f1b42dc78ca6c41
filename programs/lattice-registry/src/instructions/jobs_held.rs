use crate::{constants::*, errors::RegistryError, events::JobsHeldChanged, state::*};
use anchor_lang::prelude::*;

/// The compute configuration's signature on a GPU node of this registry (also the first accounts
/// of `slash_stake`).
#[derive(Accounts)]
pub struct UpdateJobsHeld<'info> {
    /// The compute program's configuration PDA of this registry's DAO, signing through CPI.
    #[account(
        seeds = [COMPUTE_CONFIG_SEED, registry.dao.as_ref()],
        bump,
        seeds::program = COMPUTE_PROGRAM_ID,
    )]
    pub compute_config: Signer<'info>,
    #[account(seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    #[account(mut)]
    pub gpu_node: Box<Account<'info, GpuNode>>,
}

/// Count one more job held by a GPU node (it claimed one).
///
/// Shall be signed by the DAO's compute configuration PDA (`ConstraintSeeds` for any other
/// signer); while `jobs_held > 0` the node can neither request unstaking nor close
/// (`NodeHoldsJob`).
pub fn hold(ctx: Context<UpdateJobsHeld>) -> Result<()> {
    let node = &mut ctx.accounts.gpu_node;
    node.jobs_held = node
        .jobs_held
        .checked_add(1)
        .ok_or(RegistryError::MathOverflow)?;
    emit_change(&ctx.accounts.gpu_node)
}

/// Count one job fewer (it was finalized, timed out or faulted).
///
/// Shall be signed by the DAO's compute configuration PDA (`ConstraintSeeds`) and refuse a node
/// that holds no job (`NoJobHeld`).
pub fn release(ctx: Context<UpdateJobsHeld>) -> Result<()> {
    let node = &mut ctx.accounts.gpu_node;
    node.jobs_held = node
        .jobs_held
        .checked_sub(1)
        .ok_or(RegistryError::NoJobHeld)?;
    emit_change(&ctx.accounts.gpu_node)
}

fn emit_change(node: &Account<GpuNode>) -> Result<()> {
    emit!(JobsHeldChanged {
        gpu_node: node.key(),
        jobs_held: node.jobs_held,
    });
    Ok(())
}
