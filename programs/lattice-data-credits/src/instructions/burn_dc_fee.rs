use crate::{constants::*, errors::DcError, events::DcBurned, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{self, Token2022},
    token_interface,
};
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
pub struct BurnDcFee<'info> {
    /// Owner of the DC; pays for the hour's record. Other programs call this by CPI with the
    /// user as signer (onboarding and location fees).
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(
        seeds = [DATA_CREDITS_SEED, data_credits.dao.as_ref()],
        bump = data_credits.bump,
        has_one = dc_mint,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
    /// CHECK: the configured DC mint (`has_one`).
    #[account(mut)]
    pub dc_mint: UncheckedAccount<'info>,
    #[account(mut, seeds = [SUB_DAO_DC_SEED, sub_dao_dc.sub_dao.as_ref()], bump = sub_dao_dc.bump)]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    #[account(
        mut,
        token::mint = dc_mint,
        token::authority = owner,
        token::token_program = token_2022_program,
    )]
    pub owner_dc: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    /// CHECK: the current hour's usage record, PDA checked here, created on first burn.
    #[account(mut)]
    pub usage: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Burn DC as a fee.
///
/// Shall refuse a zero amount (`InvalidAmount`) or more than the owner holds
/// (`InsufficientDc`), and record the burn as a fee (not usage) in the sub-DAO's current hour.
pub fn handler(ctx: Context<BurnDcFee>, amount: u64) -> Result<()> {
    require!(amount > 0, DcError::InvalidAmount);
    require!(
        ctx.accounts.owner_dc.amount >= amount,
        DcError::InsufficientDc
    );
    let hour = hour_of(Clock::get()?.unix_timestamp);
    let sub_dao = ctx.accounts.sub_dao_dc.sub_dao;
    let (expected, bump) = Pubkey::find_program_address(
        &[USAGE_SEED, sub_dao.as_ref(), &hour.to_le_bytes()],
        &crate::ID,
    );
    require_keys_eq!(
        ctx.accounts.usage.key(),
        expected,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    token_2022::burn(
        CpiContext::new(
            ctx.accounts.token_2022_program.key(),
            token_2022::Burn {
                mint: ctx.accounts.dc_mint.to_account_info(),
                from: ctx.accounts.owner_dc.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        amount,
    )?;
    crate::instructions::record_usage(
        &ctx.accounts.usage.to_account_info(),
        &ctx.accounts.owner.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        crate::instructions::UsageBurn {
            sub_dao,
            hour,
            bump,
            amount,
            fee: true,
        },
    )?;
    let s = &mut ctx.accounts.sub_dao_dc;
    s.fees_burned = s
        .fees_burned
        .checked_add(amount)
        .ok_or(DcError::MathOverflow)?;
    emit!(DcBurned {
        sub_dao,
        hour,
        amount,
        fee: true,
    });
    Ok(())
}
