use crate::{constants::*, errors::DcError, state::*};
use anchor_lang::prelude::*;
use lattice_dao::SubDao;

#[derive(Accounts)]
pub struct AddSubDaoDc<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(
        seeds = [DATA_CREDITS_SEED, data_credits.dao.as_ref()],
        bump = data_credits.bump,
        has_one = authority @ DcError::Unauthorized,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
    #[account(constraint = sub_dao.dao == data_credits.dao @ DcError::Unauthorized)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(
        init,
        payer = payer,
        space = 8 + SubDaoDc::INIT_SPACE,
        seeds = [SUB_DAO_DC_SEED, sub_dao.key().as_ref()],
        bump,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    pub system_program: Program<'info, System>,
}

/// Register a sub-DAO with its burn authority.
///
/// Shall be signed by the DC authority (`Unauthorized`) for a sub-DAO of the same DAO
/// (`Unauthorized`), once per sub-DAO.
pub fn handler(ctx: Context<AddSubDaoDc>, burn_authority: Pubkey) -> Result<()> {
    ctx.accounts.sub_dao_dc.set_inner(SubDaoDc {
        sub_dao: ctx.accounts.sub_dao.key(),
        data_credits: ctx.accounts.data_credits.key(),
        burn_authority,
        dc_burned: 0,
        fees_burned: 0,
        bump: ctx.bumps.sub_dao_dc,
        reserved: [0; 32],
    });
    Ok(())
}
