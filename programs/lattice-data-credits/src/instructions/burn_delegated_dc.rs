use crate::{constants::*, errors::DcError, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{self, Token2022},
    token_interface,
};
use lattice_math::epoch::hour_of;

#[derive(Accounts)]
#[instruction(payer_key: Pubkey)]
pub struct BurnDelegatedDc<'info> {
    /// The sub-DAO's burn authority: the oracle that meters usage, or a program PDA signing
    /// through CPI (the compute program's configuration).
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
        has_one = data_credits,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    /// The payer's escrow **in this sub-DAO** (a burn authority cannot touch another
    /// sub-DAO's escrows).
    #[account(
        mut,
        seeds = [ESCROW_SEED, sub_dao_dc.sub_dao.as_ref(), payer_key.as_ref()],
        bump,
        token::mint = dc_mint,
        token::authority = data_credits,
        token::token_program = token_2022_program,
    )]
    pub escrow: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
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
    /// Pays for the hour's record the first time. Separate from the burn authority, which may be
    /// a data-carrying PDA that cannot pay rent; last, so earlier account positions are stable.
    #[account(mut)]
    pub rent_payer: Signer<'info>,
}

/// Burn delegated DC for usage.
///
/// Shall:
/// - be signed by the sub-DAO's burn authority (`WrongBurnAuthority`) and burn only from an
///   escrow of that sub-DAO (`ConstraintSeeds`);
/// - take the rent of a new hour record from `rent_payer`, which may be the burn authority itself;
/// - refuse a zero amount (`InvalidAmount`) or more than the escrow holds (`InsufficientDc`);
/// - record the burn into the **current** hour of that sub-DAO through the DAO program's
///   `track_dc_burn` (the emission split's D input); a record of another hour or sub-DAO is
///   refused by its seeds (`ConstraintSeeds`).
pub fn handler(ctx: Context<BurnDelegatedDc>, _payer_key: Pubkey, amount: u64) -> Result<()> {
    require!(amount > 0, DcError::InvalidAmount);
    require!(
        ctx.accounts.escrow.amount >= amount,
        DcError::InsufficientDc
    );
    let hour = hour_of(Clock::get()?.unix_timestamp);
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
    crate::instructions::track_burn(
        crate::instructions::TrackAccounts {
            payer: &ctx.accounts.rent_payer.to_account_info(),
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
        false,
    )
}
