use crate::{constants::*, errors::DaoError, events::DaoAuthoritySet, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetDaoAuthority<'info> {
    /// The DAO's current authority.
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
    )]
    pub dao: Box<Account<'info, Dao>>,
}

/// Hand the DAO's authority to `new_authority` (the governance PDA, [`governance_pda`]).
///
/// The rewards program authenticates its admin instructions with this same authority, so it
/// follows the handoff.
///
/// Shall:
/// - be signed by the current DAO authority (`Unauthorized`);
/// - refuse the default key (`InvalidAuthority`), which nobody can sign for;
/// - replace the authority at once (the old key loses every admin instruction);
/// - emit `DaoAuthoritySet`.
pub fn handler(ctx: Context<SetDaoAuthority>, new_authority: Pubkey) -> Result<()> {
    require!(
        new_authority != Pubkey::default(),
        DaoError::InvalidAuthority
    );
    let dao = &mut ctx.accounts.dao;
    let previous = dao.authority;
    dao.authority = new_authority;
    dao.invariant()?;
    emit!(DaoAuthoritySet {
        dao: dao.key(),
        previous,
        new_authority,
    });
    Ok(())
}
