use crate::{constants::*, errors::RegistryError, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct RequestUnstake<'info> {
    pub owner: Signer<'info>,
    /// CHECK: the device key (a PDA seed only).
    pub device: UncheckedAccount<'info>,
    #[account(seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    #[account(
        mut,
        seeds = [GPU_NODE_SEED, device.key().as_ref()],
        bump = gpu_node.bump,
        has_one = owner @ RegistryError::NotOwner,
    )]
    pub gpu_node: Box<Account<'info, GpuNode>>,
    /// CHECK: the registry's DAO.
    #[account(address = registry.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the compute sub-DAO.
    #[account(mut, address = registry.compute_sub_dao @ RegistryError::WrongSubDao)]
    pub sub_dao: UncheckedAccount<'info>,
    pub dao_program: Program<'info, lattice_dao::program::LatticeDao>,
}

/// Request unstaking: owner only (`NotOwner`), not while a job is held (`NodeHoldsJob`), once
/// (`UnstakeAlreadyRequested`). The node stops counting as active; the stake unlocks after the
/// cooldown.
pub fn handler(ctx: Context<RequestUnstake>) -> Result<()> {
    let node = &mut ctx.accounts.gpu_node;
    require!(node.jobs_held == 0, RegistryError::NodeHoldsJob);
    require!(
        node.unstake_requested_at == 0,
        RegistryError::UnstakeAlreadyRequested
    );
    node.unstake_requested_at = Clock::get()?.unix_timestamp.max(1);
    crate::instructions::update_devices(
        &ctx.accounts.registry,
        &ctx.accounts.dao.to_account_info(),
        &ctx.accounts.sub_dao.to_account_info(),
        &ctx.accounts.dao_program.to_account_info(),
        -1,
    )
}
