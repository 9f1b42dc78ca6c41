use crate::{constants::*, errors::RegistryError, events::DeviceChanged, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

#[derive(Accounts)]
pub struct CloseGpuNode<'info> {
    /// The owner; receives the stake and the rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// CHECK: the device key (a PDA seed only).
    pub device: UncheckedAccount<'info>,
    #[account(mut, seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    #[account(
        mut,
        close = owner,
        seeds = [GPU_NODE_SEED, device.key().as_ref()],
        bump = gpu_node.bump,
        has_one = owner @ RegistryError::NotOwner,
    )]
    pub gpu_node: Box<Account<'info, GpuNode>>,
    #[account(mut, seeds = [STAKE_VAULT_SEED, registry.key().as_ref()], bump = registry.vault_bump)]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = registry.main_mint, token::authority = owner)]
    pub owner_main: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Close a GPU node and return its stake.
///
/// Shall require the owner (`NotOwner`), a prior unstake request (`UnstakeNotRequested`), the
/// cooldown elapsed (`CooldownNotOver`) and no job held (`NodeHoldsJob`).
pub fn handler(ctx: Context<CloseGpuNode>) -> Result<()> {
    let node = &ctx.accounts.gpu_node;
    require!(node.jobs_held == 0, RegistryError::NodeHoldsJob);
    require!(
        node.unstake_requested_at != 0,
        RegistryError::UnstakeNotRequested
    );
    let cooldown = i64::try_from(ctx.accounts.registry.params.unstake_cooldown_secs)
        .map_err(|_| RegistryError::MathOverflow)?;
    let ready_at = node
        .unstake_requested_at
        .checked_add(cooldown)
        .ok_or(RegistryError::MathOverflow)?;
    require!(
        Clock::get()?.unix_timestamp >= ready_at,
        RegistryError::CooldownNotOver
    );
    crate::instructions::pay_from_vault(
        &ctx.accounts.registry,
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.owner_main.to_account_info(),
        &ctx.accounts.token_program.to_account_info(),
        node.stake,
    )?;
    let r = &mut ctx.accounts.registry;
    r.gpu_nodes = r
        .gpu_nodes
        .checked_sub(1)
        .ok_or(RegistryError::MathOverflow)?;
    emit!(DeviceChanged {
        device: ctx.accounts.device.key(),
        owner: ctx.accounts.owner.key(),
        closed: true,
    });
    Ok(())
}
