use crate::{constants::*, errors::DcError, events::DcDelegated, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{self, spl_token_2022, Token2022},
    token_interface,
};

#[derive(Accounts)]
#[instruction(payer_key: Pubkey)]
pub struct DelegateDc<'info> {
    /// Owner of the DC being delegated; pays the escrow's rent the first time.
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
        mut,
        token::mint = dc_mint,
        token::authority = owner,
        token::token_program = token_2022_program,
    )]
    pub owner_dc: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    #[account(
        seeds = [SUB_DAO_DC_SEED, sub_dao_dc.sub_dao.as_ref()],
        bump = sub_dao_dc.bump,
        has_one = data_credits,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    /// CHECK: the payer's escrow (a Token-2022 DC account owned by `data_credits`), created here
    /// on first use.
    #[account(
        mut,
        seeds = [ESCROW_SEED, sub_dao_dc.sub_dao.as_ref(), payer_key.as_ref()],
        bump,
    )]
    pub escrow: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Delegate DC to a sub-DAO payer.
///
/// DC cannot be transferred (NonTransferable), so delegation burns the owner's DC and mints the
/// same amount into the escrow: supply-neutral, outside the mint breaker, and the only way DC
/// changes hands.
///
/// Shall refuse a zero amount (`InvalidAmount`) and more than the owner holds
/// (`InsufficientDc`).
pub fn handler(ctx: Context<DelegateDc>, payer_key: Pubkey, amount: u64) -> Result<()> {
    require!(amount > 0, DcError::InvalidAmount);
    require!(
        ctx.accounts.owner_dc.amount >= amount,
        DcError::InsufficientDc
    );
    let program = ctx.accounts.token_2022_program.key();
    let escrow = ctx.accounts.escrow.to_account_info();
    let cfg = &ctx.accounts.data_credits;
    let sub_dao = ctx.accounts.sub_dao_dc.sub_dao;
    if escrow.owner != &token_2022::ID {
        use spl_token_2022::extension::ExtensionType;
        let space = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Account>(&[
            ExtensionType::NonTransferableAccount,
            ExtensionType::ImmutableOwner,
        ])?;
        let seeds: [&[u8]; 4] = [
            ESCROW_SEED,
            sub_dao.as_ref(),
            payer_key.as_ref(),
            std::slice::from_ref(&ctx.bumps.escrow),
        ];
        lattice_dao::utils::create_pda_account(
            &ctx.accounts.owner.to_account_info(),
            &escrow,
            &ctx.accounts.system_program.to_account_info(),
            space,
            &token_2022::ID,
            &seeds,
        )?;
        token_2022::initialize_account3(CpiContext::new(
            program,
            token_2022::InitializeAccount3 {
                account: escrow.clone(),
                mint: ctx.accounts.dc_mint.to_account_info(),
                authority: cfg.to_account_info(),
            },
        ))?;
    }
    token_2022::burn(
        CpiContext::new(
            program,
            token_2022::Burn {
                mint: ctx.accounts.dc_mint.to_account_info(),
                from: ctx.accounts.owner_dc.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        amount,
    )?;
    let dao = cfg.dao;
    let seeds: [&[u8]; 3] = [
        DATA_CREDITS_SEED,
        dao.as_ref(),
        std::slice::from_ref(&cfg.bump),
    ];
    token_2022::mint_to(
        CpiContext::new_with_signer(
            program,
            token_2022::MintTo {
                mint: ctx.accounts.dc_mint.to_account_info(),
                to: escrow,
                authority: cfg.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;
    emit!(DcDelegated {
        owner: ctx.accounts.owner.key(),
        sub_dao,
        payer_key,
        amount,
    });
    Ok(())
}
