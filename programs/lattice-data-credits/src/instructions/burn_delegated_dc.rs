use crate::{constants::*, errors::DcError, events::DcBurned, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{self, Token2022},
    token_interface,
};
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
pub struct BurnDelegatedDc<'info> {
    /// The sub-DAO's burn authority (the oracle that meters usage); pays for the hour's record.
    #[account(mut)]
    pub burn_authority: Signer<'info>,
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
        mut,
        seeds = [SUB_DAO_DC_SEED, sub_dao_dc.sub_dao.as_ref()],
        bump = sub_dao_dc.bump,
        has_one = burn_authority @ DcError::WrongBurnAuthority,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    /// An escrow of this sub-DAO (owned by `data_credits`).
    #[account(
        mut,
        token::mint = dc_mint,
        token::authority = data_credits,
        token::token_program = token_2022_program,
    )]
    pub escrow: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    /// CHECK: the current hour's usage record, PDA checked here, created on first burn.
    #[account(mut)]
    pub usage: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Burn delegated DC for usage.
///
/// Shall:
/// - be signed by the sub-DAO's burn authority (`WrongBurnAuthority`);
/// - refuse a zero amount (`InvalidAmount`) or more than the escrow holds (`InsufficientDc`);
/// - record the burn into the usage record of the **current** hour of that sub-DAO, which the
///   emission split reads as D (a usage account of another hour or sub-DAO is refused by its
///   seeds: `ConstraintSeeds`).
pub fn handler(ctx: Context<BurnDelegatedDc>, amount: u64) -> Result<()> {
    require!(amount > 0, DcError::InvalidAmount);
    require!(
        ctx.accounts.escrow.amount >= amount,
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
    let cfg = &ctx.accounts.data_credits;
    let dao = cfg.dao;
    let seeds: [&[u8]; 3] = [
        DATA_CREDITS_SEED,
        dao.as_ref(),
        std::slice::from_ref(&cfg.bump),
    ];
    token_2022::burn(
        CpiContext::new_with_signer(
            ctx.accounts.token_2022_program.key(),
            token_2022::Burn {
                mint: ctx.accounts.dc_mint.to_account_info(),
                from: ctx.accounts.escrow.to_account_info(),
                authority: cfg.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;
    crate::instructions::record_usage(
        &ctx.accounts.usage.to_account_info(),
        &ctx.accounts.burn_authority.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        crate::instructions::UsageBurn {
            sub_dao,
            hour,
            bump,
            amount,
            fee: false,
        },
    )?;
    let s = &mut ctx.accounts.sub_dao_dc;
    s.dc_burned = s
        .dc_burned
        .checked_add(amount)
        .ok_or(DcError::MathOverflow)?;
    emit!(DcBurned {
        sub_dao,
        hour,
        amount,
        fee: false,
    });
    Ok(())
}
