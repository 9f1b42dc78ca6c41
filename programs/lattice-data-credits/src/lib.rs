//! Lattice data credits (DC): minted by burning the main token at a conservative Pyth price,
//! non-transferable (Token-2022 `NonTransferable`), delegated to per-sub-DAO payer escrows, and
//! burned for usage (recorded per sub-DAO per hour: the utility score's D input) or for fees, or
//! refunded from an escrow by the sub-DAO's burn authority (e.g. a GPU job's unused escrow).

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::DcError;
pub use instructions::*;
pub use state::*;

declare_id!("CghH3KroyphcamqxpP9vijFjXEtRNZqAjVEw1HiRezAV");

#[program]
pub mod lattice_data_credits {
    use super::*;

    /// Create the DC configuration and the non-transferable DC mint. DAO authority only.
    pub fn initialize_data_credits(
        ctx: Context<InitializeDataCredits>,
        args: InitializeDataCreditsArgs,
    ) -> Result<()> {
        instructions::initialize_data_credits::handler(ctx, args)
    }

    /// Register a sub-DAO with the oracle key allowed to burn its delegated DC. DAO authority only.
    pub fn add_sub_dao_dc(ctx: Context<AddSubDaoDc>, burn_authority: Pubkey) -> Result<()> {
        instructions::add_sub_dao_dc::handler(ctx, burn_authority)
    }

    /// Burn main tokens and mint DC at the conservative oracle price (by main or by DC amount).
    pub fn mint_dc(ctx: Context<MintDc>, args: MintDcArgs) -> Result<()> {
        instructions::mint_dc::handler(ctx, args)
    }

    /// Move DC into a sub-DAO payer escrow (e.g. a router or a dApp), creating it if needed.
    pub fn delegate_dc(ctx: Context<DelegateDc>, payer_key: Pubkey, amount: u64) -> Result<()> {
        instructions::delegate_dc::handler(ctx, payer_key, amount)
    }

    /// Burn delegated DC for metered usage, recorded into the sub-DAO's current hour. Burn
    /// authority only.
    pub fn burn_delegated_dc(
        ctx: Context<BurnDelegatedDc>,
        payer_key: Pubkey,
        amount: u64,
    ) -> Result<()> {
        instructions::burn_delegated_dc::handler(ctx, payer_key, amount)
    }

    /// Return delegated DC from a payer escrow to any DC account (burn + mint, supply-neutral).
    /// Burn authority only.
    pub fn refund_delegated_dc(
        ctx: Context<RefundDelegatedDc>,
        payer_key: Pubkey,
        amount: u64,
    ) -> Result<()> {
        instructions::refund_delegated_dc::handler(ctx, payer_key, amount)
    }

    /// Replace a sub-DAO's burn authority. DC authority (the DAO authority at initialization) only.
    pub fn set_burn_authority(
        ctx: Context<SetBurnAuthority>,
        burn_authority: Pubkey,
    ) -> Result<()> {
        instructions::set_burn_authority::handler(ctx, burn_authority)
    }

    /// Burn the signer's DC as a fee (onboarding, location), recorded separately from usage.
    pub fn burn_dc_fee(ctx: Context<BurnDcFee>, amount: u64) -> Result<()> {
        instructions::burn_dc_fee::handler(ctx, amount)
    }
    /// Hand the DC configuration's authority to a new key, e.g. the governance PDA. DC authority
    /// only.
    pub fn set_authority(ctx: Context<SetDcAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::set_authority::handler(ctx, new_authority)
    }

    /// Change the DC price, the Pyth feed, owner, max age and confidence, or the mint breaker's
    /// limits. DC authority only.
    pub fn set_dc_params(ctx: Context<SetDcParams>, params: DcParamsUpdate) -> Result<()> {
        instructions::set_dc_params::handler(ctx, params)
    }
}
