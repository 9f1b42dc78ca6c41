use crate::{constants::*, errors::DcError, events::BurnAuthoritySet, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetBurnAuthority<'info> {
    /// The DC configuration's authority (the DAO authority at initialization).
    pub authority: Signer<'info>,
    #[account(
        seeds = [DATA_CREDITS_SEED, data_credits.dao.as_ref()],
        bump = data_credits.bump,
        has_one = authority @ DcError::Unauthorized,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
    #[account(
        mut,
        seeds = [SUB_DAO_DC_SEED, sub_dao_dc.sub_dao.as_ref()],
        bump = sub_dao_dc.bump,
        has_one = data_credits,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
}

/// Replace a sub-DAO's burn authority (e.g. with the compute program's configuration PDA, which
/// then settles GPU jobs from its escrow).
///
/// Shall be signed by the DC authority (`Unauthorized`), for a sub-DAO of this DC configuration
/// (`ConstraintHasOne`), refuse the default key (`InvalidParameter`) and emit
/// `BurnAuthoritySet`.
pub fn handler(ctx: Context<SetBurnAuthority>, burn_authority: Pubkey) -> Result<()> {
    require!(
        burn_authority != Pubkey::default(),
        DcError::InvalidParameter
    );
    let s = &mut ctx.accounts.sub_dao_dc;
    let previous = s.burn_authority;
    s.burn_authority = burn_authority;
    emit!(BurnAuthoritySet {
        sub_dao: s.sub_dao,
        previous,
        burn_authority,
        authority: ctx.accounts.authority.key(),
    });
    Ok(())
}
