use crate::{constants::*, errors::RegistryError, events::RegistryAuthoritySet, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetRegistryAuthority<'info> {
    /// The registry's current authority.
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [REGISTRY_SEED, registry.dao.as_ref()],
        bump = registry.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub registry: Box<Account<'info, Registry>>,
}

/// Hand the registry's authority to `new_authority` (the governance PDA).
///
/// Shall:
/// - be signed by the current registry authority (`Unauthorized`);
/// - refuse the default key (`InvalidAuthority`), which nobody can sign for;
/// - replace the authority at once (the old key loses `set_registry_params` and this
///   instruction);
/// - emit `RegistryAuthoritySet`.
pub fn handler(ctx: Context<SetRegistryAuthority>, new_authority: Pubkey) -> Result<()> {
    require!(
        new_authority != Pubkey::default(),
        RegistryError::InvalidAuthority
    );
    let registry = &mut ctx.accounts.registry;
    let previous = registry.authority;
    registry.authority = new_authority;
    emit!(RegistryAuthoritySet {
        registry: registry.key(),
        previous,
        new_authority,
    });
    Ok(())
}
