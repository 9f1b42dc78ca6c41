use crate::{constants::*, errors::DcError, events::DcRefunded, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{self, Token2022},
    token_interface,
};

#[derive(Accounts)]
#[instruction(payer_key: Pubkey)]
pub struct RefundDelegatedDc<'info> {
    /// The sub-DAO's burn authority (e.g. the compute program's configuration, signing through
    /// CPI for a job's unused escrow).
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
        seeds = [SUB_DAO_DC_SEED, sub_dao_dc.sub_dao.as_ref()],
        bump = sub_dao_dc.bump,
        has_one = burn_authority @ DcError::WrongBurnAuthority,
        has_one = data_credits,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    /// The payer's escrow **in this sub-DAO**.
    #[account(
        mut,
        seeds = [ESCROW_SEED, sub_dao_dc.sub_dao.as_ref(), payer_key.as_ref()],
        bump,
        token::mint = dc_mint,
        token::authority = data_credits,
        token::token_program = token_2022_program,
    )]
    pub escrow: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    /// Any DC account (of this DAO's DC mint): receives the refund.
    #[account(
        mut,
        token::mint = dc_mint,
        token::token_program = token_2022_program,
    )]
    pub destination: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    pub token_2022_program: Program<'info, Token2022>,
}

/// Refund delegated DC out of a payer's escrow.
///
/// DC cannot be transferred (NonTransferable), so a refund burns `amount` from the escrow and
/// mints the same amount into `destination`, like `delegate_dc` in reverse: supply-neutral, not
/// usage (nothing is recorded in the sub-DAO's hour), outside the mint breaker.
///
/// Shall:
/// - be signed by the sub-DAO's burn authority (`WrongBurnAuthority`) and take only from an
///   escrow of that sub-DAO (`ConstraintSeeds`);
/// - pay only a DC account of this DAO's DC mint (`ConstraintTokenMint`);
/// - refuse a zero amount (`InvalidAmount`) or more than the escrow holds (`InsufficientDc`);
/// - emit `DcRefunded`.
pub fn handler(ctx: Context<RefundDelegatedDc>, payer_key: Pubkey, amount: u64) -> Result<()> {
    require!(amount > 0, DcError::InvalidAmount);
    require!(
        ctx.accounts.escrow.amount >= amount,
        DcError::InsufficientDc
    );
    let cfg = &ctx.accounts.data_credits;
    let seeds = cfg.signer_seeds();
    let program = ctx.accounts.token_2022_program.key();
    token_2022::burn(
        CpiContext::new_with_signer(
            program,
            token_2022::Burn {
                mint: ctx.accounts.dc_mint.to_account_info(),
                from: ctx.accounts.escrow.to_account_info(),
                authority: cfg.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;
    token_2022::mint_to(
        CpiContext::new_with_signer(
            program,
            token_2022::MintTo {
                mint: ctx.accounts.dc_mint.to_account_info(),
                to: ctx.accounts.destination.to_account_info(),
                authority: cfg.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;
    emit!(DcRefunded {
        sub_dao: ctx.accounts.sub_dao_dc.sub_dao,
        payer_key,
        destination: ctx.accounts.destination.key(),
        amount,
        burn_authority: ctx.accounts.burn_authority.key(),
    });
    Ok(())
}
