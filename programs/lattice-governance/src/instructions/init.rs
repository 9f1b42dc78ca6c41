use crate::{constants::*, errors::GovernanceError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};
use lattice_dao::{program::LatticeDao, Dao, SubDao};
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
pub struct InitializeGovernance<'info> {
    /// The DAO's authority (the bootstrap key); pays.
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(has_one = authority @ GovernanceError::Unauthorized)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(
        init,
        payer = authority,
        space = 8 + Governance::INIT_SPACE,
        seeds = [GOVERNANCE_SEED, dao.key().as_ref()],
        bump,
    )]
    pub governance: Box<Account<'info, Governance>>,
    pub system_program: Program<'info, System>,
}

/// Create the governance.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - refuse invalid power parameters or proposal rules (`InvalidGovernanceParams`);
/// - emit `GovernanceInitialized`.
pub fn initialize_handler(
    ctx: Context<InitializeGovernance>,
    ve: VeConfig,
    params: GovernanceParams,
) -> Result<()> {
    require!(
        ve.is_valid() && params.is_valid(),
        GovernanceError::InvalidGovernanceParams
    );
    let g = &mut ctx.accounts.governance;
    g.version = 1;
    g.dao = ctx.accounts.dao.key();
    g.main_mint = ctx.accounts.dao.main_mint;
    g.ve = ve;
    g.params = params;
    g.bump = ctx.bumps.governance;
    emit!(GovernanceInitialized {
        governance: g.key(),
        dao: g.dao,
    });
    Ok(())
}

#[derive(Accounts)]
pub struct InitSubDaoVe<'info> {
    /// Anyone; pays.
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(address = governance.dao)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(mut, has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(mut, address = sub_dao.delegator_pool)]
    pub delegator_pool: Box<Account<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        space = 8 + SubDaoVe::INIT_SPACE,
        seeds = [SUB_DAO_VE_SEED, sub_dao.key().as_ref()],
        bump,
    )]
    pub sub_dao_ve: Box<Account<'info, SubDaoVe>>,
    pub dao_program: Program<'info, LatticeDao>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Start a sub-DAO's delegated-power aggregate at the current hour (nothing delegated) and enable
/// its V input in the DAO from the next hour on (the DAO also makes the governance PDA the
/// delegate of its delegator pool, from which staker rewards are paid).
///
/// Shall create the aggregate once (`init`), through the DAO's `enable_ve` (which refuses a
/// sub-DAO already enabled) and emit `SubDaoVeInitialized`.
pub fn init_sub_dao_ve_handler(ctx: Context<InitSubDaoVe>) -> Result<()> {
    let hour = hour_of(Clock::get()?.unix_timestamp);
    let start_hour = hour.checked_add(1).ok_or(GovernanceError::MathOverflow)?;
    let g = &ctx.accounts.governance;
    let seeds = g.signer_seeds();
    lattice_dao::cpi::enable_ve(
        CpiContext::new_with_signer(
            ctx.accounts.dao_program.key(),
            lattice_dao::cpi::accounts::EnableVe {
                governance: g.to_account_info(),
                dao: ctx.accounts.dao.to_account_info(),
                sub_dao: ctx.accounts.sub_dao.to_account_info(),
                delegator_pool: ctx.accounts.delegator_pool.to_account_info(),
                token_program: ctx.accounts.token_program.to_account_info(),
            },
            &[&seeds],
        ),
        start_hour,
    )?;
    let ve = &mut ctx.accounts.sub_dao_ve;
    ve.governance = g.key();
    ve.sub_dao = ctx.accounts.sub_dao.key();
    ve.index = ctx.accounts.sub_dao.index;
    ve.hour = hour;
    ve.bump = ctx.bumps.sub_dao_ve;
    emit!(SubDaoVeInitialized {
        sub_dao: ve.sub_dao,
        start_hour,
    });
    Ok(())
}
