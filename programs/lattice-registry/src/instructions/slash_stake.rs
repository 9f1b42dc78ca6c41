use crate::{constants::*, events::StakeSlashed, instructions::UpdateJobsHeld};
// Nested accounts need the generated client modules of `UpdateJobsHeld` in scope.
#[allow(unused_imports)]
use crate::instructions::*;
use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

#[derive(Accounts)]
pub struct SlashStake<'info> {
    /// The compute configuration's signature, the registry and the node.
    pub compute: UpdateJobsHeld<'info>,
    #[account(
        mut,
        seeds = [STAKE_VAULT_SEED, compute.registry.key().as_ref()],
        bump = compute.registry.vault_bump,
    )]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    /// Any main-token account: receives the slashed stake.
    #[account(mut, token::mint = compute.registry.main_mint)]
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
    let slashed = amount.min(ctx.accounts.compute.gpu_node.stake);
    if slashed > 0 {
        crate::instructions::pay_from_vault(
            &ctx.accounts.compute.registry,
            &ctx.accounts.stake_vault.to_account_info(),
            &ctx.accounts.destination.to_account_info(),
            &ctx.accounts.token_program.to_account_info(),
            slashed,
        )?;
    }
    let node = &mut ctx.accounts.compute.gpu_node;
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
