use crate::{errors::ComputeError, events::ComputeParamsSet, instructions::Admin};
use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;
// Nested accounts need the generated client modules of `Admin` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

/// Arguments of `set_compute_params`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComputeParams {
    /// The configuration's authority from now on (e.g. governance); not the default key.
    pub authority: Pubkey,
    /// Share of a node's stake an executed fault slashes, basis points (≤ 10 000).
    pub fault_slash_bps: u16,
}

#[derive(Accounts)]
pub struct SetComputeParams<'info> {
    pub admin: Admin<'info>,
    /// A main-token account: where slashed stake goes from now on.
    #[account(token::mint = admin.config.main_mint)]
    pub slash_destination: Box<Account<'info, TokenAccount>>,
}

/// Change the configuration's authority, fault slash and slash destination.
///
/// Shall be signed by the configuration's authority (`Unauthorized`), take a main-token slash
/// destination (`ConstraintTokenMint`), refuse a fault slash above 10 000 bps or a default
/// authority (`InvalidComputeParams`) and emit `ComputeParamsSet`.
pub fn handler(ctx: Context<SetComputeParams>, params: ComputeParams) -> Result<()> {
    require!(
        u64::from(params.fault_slash_bps) <= lattice_math::BPS
            && params.authority != Pubkey::default(),
        ComputeError::InvalidComputeParams
    );
    let signer = ctx.accounts.admin.authority.key();
    let slash_destination = ctx.accounts.slash_destination.key();
    let config = &mut ctx.accounts.admin.config;
    config.authority = params.authority;
    config.fault_slash_bps = params.fault_slash_bps;
    config.slash_destination = slash_destination;
    config.invariant()?;
    emit!(ComputeParamsSet {
        config: config.key(),
        authority: config.authority,
        fault_slash_bps: config.fault_slash_bps,
        slash_destination: config.slash_destination,
        signer,
    });
    Ok(())
}
