use crate::{constants::*, errors::RegistryError, events::DeviceRegistered, state::*};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `DcFee` in scope.
#[allow(unused_imports)]
use crate::instructions::*;
use anchor_spl::token::{self, Token, TokenAccount};

#[derive(Accounts)]
pub struct RegisterGpuNode<'info> {
    /// Pays rent and the DC fee, locks the stake; owns the node.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The device key: its signature proves possession.
    pub device: Signer<'info>,
    #[account(mut, seeds = [REGISTRY_SEED, registry.dao.as_ref()], bump = registry.bump)]
    pub registry: Box<Account<'info, Registry>>,
    /// CHECK: the device's PDA, created in the handler (`create_device`).
    #[account(mut, seeds = [GPU_NODE_SEED, device.key().as_ref()], bump)]
    pub gpu_node: UncheckedAccount<'info>,
    #[account(mut, token::mint = registry.main_mint, token::authority = owner)]
    pub owner_main: Box<Account<'info, TokenAccount>>,
    #[account(mut, seeds = [STAKE_VAULT_SEED, registry.key().as_ref()], bump = registry.vault_bump)]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: the registry's DAO.
    #[account(address = registry.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the compute sub-DAO.
    #[account(mut, address = registry.compute_sub_dao @ RegistryError::WrongSubDao)]
    pub sub_dao: UncheckedAccount<'info>,
    pub fee: DcFee<'info>,
    pub dao_program: Program<'info, lattice_dao::program::LatticeDao>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Register a GPU node.
///
/// Shall:
/// - require the device key's signature (`AccountNotSigner`) and a device not registered yet (`DeviceAlreadyRegistered`; a pre-funded address does not block
///   it);
/// - refuse 0 or more than 64 GPUs, zero VRAM or an empty model (`InvalidGpuSpecs`);
/// - lock `min_stake_per_gpu × gpu_count` main tokens in the vault (`InsufficientStake` when
///   short) and burn the onboarding fee in DC (when configured);
/// - count the node as an active compute device.
pub fn handler(ctx: Context<RegisterGpuNode>, args: GpuSpecs) -> Result<()> {
    require!(
        (1..=64).contains(&args.gpu_count)
            && args.vram_gb > 0
            && args.model.first().is_some_and(|b| *b != 0),
        RegistryError::InvalidGpuSpecs
    );
    let params = ctx.accounts.registry.params;
    let stake = params
        .min_stake_per_gpu
        .checked_mul(u64::from(args.gpu_count))
        .ok_or(RegistryError::MathOverflow)?;
    require!(
        ctx.accounts.owner_main.amount >= stake,
        RegistryError::InsufficientStake
    );
    token::transfer(
        CpiContext::new(
            ctx.accounts.token_program.key(),
            token::Transfer {
                from: ctx.accounts.owner_main.to_account_info(),
                to: ctx.accounts.stake_vault.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        stake,
    )?;
    let device = ctx.accounts.device.key();
    let seeds: [&[u8]; 3] = [
        GPU_NODE_SEED,
        device.as_ref(),
        std::slice::from_ref(&ctx.bumps.gpu_node),
    ];
    crate::instructions::create_device(
        &ctx.accounts.owner.to_account_info(),
        &ctx.accounts.gpu_node.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &seeds,
        &GpuNode {
            owner: ctx.accounts.owner.key(),
            model: args.model,
            vram_gb: args.vram_gb,
            gpu_count: args.gpu_count,
            region: args.region,
            stake,
            unstake_requested_at: 0,
            jobs_held: 0,
            bump: ctx.bumps.gpu_node,
        },
    )?;
    let fee = params.gpu_onboarding_fee_dc;
    crate::instructions::onboard(
        &ctx.accounts.registry,
        crate::instructions::Onboarding {
            owner: ctx.accounts.owner.to_account_info(),
            fee: &ctx.accounts.fee,
            dao: ctx.accounts.dao.to_account_info(),
            sub_dao: ctx.accounts.sub_dao.to_account_info(),
            dao_program: ctx.accounts.dao_program.to_account_info(),
            system_program: ctx.accounts.system_program.to_account_info(),
        },
        fee,
    )?;
    let r = &mut ctx.accounts.registry;
    r.gpu_nodes = r
        .gpu_nodes
        .checked_add(1)
        .ok_or(RegistryError::MathOverflow)?;
    emit!(DeviceRegistered {
        device: ctx.accounts.device.key(),
        owner: ctx.accounts.owner.key(),
        gpu: true,
        fee_dc: fee,
        stake,
    });
    Ok(())
}
