use crate::{constants::*, errors::RegistryError, events::RegistryParamsSet, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetRegistryParams<'info> {
    /// The registry's authority (governance, once it holds the role).
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [REGISTRY_SEED, registry.dao.as_ref()],
        bump = registry.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub registry: Box<Account<'info, Registry>>,
}

/// Replace the registry's parameters.
///
/// Devices already registered keep their stake and location; the new bounds, fees and minimum
/// stake apply from the next registration or location assertion. The cooldown is read when a
/// node closes, so a new cooldown also applies to unstaking requests already pending.
///
/// Shall:
/// - be signed by the registry authority (`Unauthorized`);
/// - validate the parameters as `initialize_registry` does: bounds with min > max, a zero cooldown
///   or minimum stake, or an H3 resolution above 15 (`InvalidParams`);
/// - replace all parameters at once;
/// - emit `RegistryParamsSet`.
pub fn handler(ctx: Context<SetRegistryParams>, params: RegistryParams) -> Result<()> {
    params.validate()?;
    let registry = &mut ctx.accounts.registry;
    registry.params = params;
    emit!(RegistryParamsSet {
        registry: registry.key(),
        authority: ctx.accounts.authority.key(),
        params,
    });
    Ok(())
}
