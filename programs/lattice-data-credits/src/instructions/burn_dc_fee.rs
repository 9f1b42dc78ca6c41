use crate::{constants::*, errors::DcError, state::*};
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
    #[account(
        mut, seeds = [SUB_DAO_DC_SEED, sub_dao_dc.sub_dao.as_ref()],
        bump = sub_dao_dc.bump,
        has_one = data_credits,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    #[account(
        mut,
        token::mint = dc_mint,
        token::authority = owner,
        token::token_program = token_2022_program,
    )]
    pub owner_dc: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    /// CHECK: the DAO (checked by the DAO program against the sub-DAO and the signer's seeds).
    #[account(address = data_credits.dao)]
    pub dao: UncheckedAccount<'info>,
    /// CHECK: the sub-DAO of `sub_dao_dc`.
    #[account(address = sub_dao_dc.sub_dao)]
    pub sub_dao: UncheckedAccount<'info>,
    /// CHECK: the sub-DAO's record of the current hour, checked and created by the DAO program.
    #[account(mut)]
    pub sub_dao_epoch: UncheckedAccount<'info>,
    pub dao_program: Program<'info, lattice_dao::program::LatticeDao>,
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
    crate::instructions::track_burn(
        crate::instructions::TrackAccounts {
            payer: &ctx.accounts.owner.to_account_info(),
            data_credits: &ctx.accounts.data_credits,
            dao: &ctx.accounts.dao.to_account_info(),
            sub_dao: &ctx.accounts.sub_dao.to_account_info(),
            sub_dao_epoch: &ctx.accounts.sub_dao_epoch.to_account_info(),
            system_program: &ctx.accounts.system_program.to_account_info(),
            dao_program: &ctx.accounts.dao_program.to_account_info(),
        },
        &mut ctx.accounts.sub_dao_dc,
        hour,
        amount,
        true,
    )
}
