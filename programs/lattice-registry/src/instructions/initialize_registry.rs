use crate::{constants::*, errors::RegistryError, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use lattice_dao::{Dao, SubDao};

#[derive(Accounts)]
pub struct InitializeRegistry<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(has_one = authority @ RegistryError::Unauthorized, has_one = main_mint)]
    pub dao: Box<Account<'info, Dao>>,
    pub main_mint: Box<Account<'info, Mint>>,
    #[account(has_one = dao @ RegistryError::WrongSubDao)]
    pub coverage_sub_dao: Box<Account<'info, SubDao>>,
    #[account(has_one = dao @ RegistryError::WrongSubDao)]
    pub compute_sub_dao: Box<Account<'info, SubDao>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Registry::INIT_SPACE,
        seeds = [REGISTRY_SEED, dao.key().as_ref()],
        bump,
    )]
    pub registry: Box<Account<'info, Registry>>,
    #[account(
        init,
        payer = payer,
        seeds = [STAKE_VAULT_SEED, registry.key().as_ref()],
        bump,
        token::mint = main_mint,
        token::authority = registry,
    )]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Initialize the registry.
///
/// Shall be signed by the DAO authority (`Unauthorized`), take two sub-DAOs of that DAO
/// (`WrongSubDao`), and refuse bounds with min > max, a zero cooldown or stake, or an H3
/// resolution above 15 (`InvalidParams`).
pub fn handler(ctx: Context<InitializeRegistry>, params: RegistryParams) -> Result<()> {
    params.validate()?;
    ctx.accounts.registry.set_inner(Registry {
        dao: ctx.accounts.dao.key(),
        authority: ctx.accounts.authority.key(),
        coverage_sub_dao: ctx.accounts.coverage_sub_dao.key(),
        compute_sub_dao: ctx.accounts.compute_sub_dao.key(),
        main_mint: ctx.accounts.main_mint.key(),
        params,
        hotspots: 0,
        gpu_nodes: 0,
        bump: ctx.bumps.registry,
        vault_bump: ctx.bumps.stake_vault,
        reserved: [0; 64],
    });
    Ok(())
}
