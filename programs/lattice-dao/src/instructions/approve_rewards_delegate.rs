use crate::{constants::*, errors::DaoError, events::RewardsDelegateApproved, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Approve, Token, TokenAccount};

#[derive(Accounts)]
pub struct ApproveRewardsDelegate<'info> {
    /// The DAO's authority.
    pub authority: Signer<'info>,
    #[account(
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
    )]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao, has_one = rewards_escrow)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(mut)]
    pub rewards_escrow: Box<Account<'info, TokenAccount>>,
    /// CHECK: only its address is used (the rewards program's configuration PDA of this sub-DAO;
    /// it need not exist yet).
    #[account(
        seeds = [REWARDS_CONFIG_SEED, sub_dao.key().as_ref()],
        bump,
        seeds::program = REWARDS_PROGRAM_ID,
    )]
    pub rewards_config: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// Let the rewards program pay claims out of a sub-DAO's rewards escrow.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - accept only the sub-DAO's own escrow (`ConstraintHasOne`) and, as delegate, only the rewards
///   program's configuration PDA of this sub-DAO (`ConstraintSeeds`);
/// - approve that PDA for `u64::MAX` base units, signed by the sub-DAO PDA (a later call renews
///   the allowance);
/// - emit `RewardsDelegateApproved`.
pub fn handler(ctx: Context<ApproveRewardsDelegate>) -> Result<()> {
    let sub = &ctx.accounts.sub_dao;
    let seeds = sub.signer_seeds();
    token::approve(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            Approve {
                to: ctx.accounts.rewards_escrow.to_account_info(),
                delegate: ctx.accounts.rewards_config.to_account_info(),
                authority: sub.to_account_info(),
            },
            &[&seeds],
        ),
        u64::MAX,
    )?;
    emit!(RewardsDelegateApproved {
        sub_dao: sub.key(),
        rewards_escrow: ctx.accounts.rewards_escrow.key(),
        delegate: ctx.accounts.rewards_config.key(),
        amount: u64::MAX,
    });
    Ok(())
}
