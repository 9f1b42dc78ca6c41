use crate::{constants::*, events::StakeSlashed, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount};

#[derive(Accounts)]
pub struct SlashStake<'info> {
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
    #[account(mut, seeds = [STAKE_VAULT_SEED, registry.key().as_ref()], bump = registry.vault_bump)]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    /// Any main-token account: receives the slashed stake.
    #[account(mut, token::mint = registry.main_mint)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Slash a GPU node's stake.
///
/// Shall:
/// - be signed by the DAO's compute configuration PDA (`ConstraintSeeds` for any other signer);
/// - move `min(amount, stake)` main tokens from the stake vault to `destination`, a main-token
///   account (`ConstraintTokenMint`), and lower the node's stake by as much (nothing moves when
///   that is 0);
/// - emit `StakeSlashed`.
pub fn handler(ctx: Context<SlashStake>, amount: u64) -> Result<()> {
    let slashed = amount.min(ctx.accounts.gpu_node.stake);
    if slashed > 0 {
        let registry = &ctx.accounts.registry;
        let dao = registry.dao;
        let seeds: [&[u8]; 3] = [
            REGISTRY_SEED,
            dao.as_ref(),
            std::slice::from_ref(&registry.bump),
        ];
        token::transfer(
            CpiContext::new_with_signer(
                ctx.accounts.token_program.key(),
                token::Transfer {
                    from: ctx.accounts.stake_vault.to_account_info(),
                    to: ctx.accounts.destination.to_account_info(),
                    authority: registry.to_account_info(),
                },
                &[&seeds],
            ),
            slashed,
        )?;
    }
    let node = &mut ctx.accounts.gpu_node;
    node.stake = node.stake.saturating_sub(slashed);
    emit!(StakeSlashed {
        gpu_node: node.key(),
        owner: node.owner,
        requested: amount,
        slashed,
        remaining: node.stake,
        destination: ctx.accounts.destination.key(),
    });
    Ok(())
}
