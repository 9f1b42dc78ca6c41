use crate::{constants::*, errors::DcError, events::DcAuthoritySet, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetDcAuthority<'info> {
    /// The DC configuration's current authority.
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [DATA_CREDITS_SEED, data_credits.dao.as_ref()],
        bump = data_credits.bump,
        has_one = authority @ DcError::Unauthorized,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
}

/// Hand the DC configuration's authority to `new_authority` (the governance PDA).
///
/// Shall:
/// - be signed by the current DC authority (`Unauthorized`);
/// - refuse the default key (`InvalidAuthority`), which nobody can sign for;
/// - replace the authority at once (the old key loses `set_burn_authority`, `set_dc_params` and
///   this instruction);
/// - emit `DcAuthoritySet`.
pub fn handler(ctx: Context<SetDcAuthority>, new_authority: Pubkey) -> Result<()> {
    require!(
        new_authority != Pubkey::default(),
        DcError::InvalidAuthority
    );
    let cfg = &mut ctx.accounts.data_credits;
    let previous = cfg.authority;
    cfg.authority = new_authority;
    emit!(DcAuthoritySet {
        data_credits: cfg.key(),
        previous,
        new_authority,
    });
    Ok(())
}
