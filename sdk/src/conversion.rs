//! Treasury conversion: PDAs, instruction builders and quotes priced with the program's own
//! curve (`lattice_math::conversion`).

use crate::{chain::Chain, error::ChainError};
use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_dao::{
    accounts as acc, constants::*, instruction as data, Conversion, ConversionParams,
};
use lattice_math::conversion::{quote_to_main, quote_to_sub, ConversionError, Quote, Reserves};
use solana_sdk::{instruction::Instruction, pubkey::Pubkey};

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &lattice_dao::ID).0
}

/// A sub-DAO's conversion state.
pub fn conversion(sub_dao: &Pubkey) -> Pubkey {
    pda(&[CONVERSION_SEED, sub_dao.as_ref()])
}

/// A sub-DAO's conversion pool (sub-DAO tokens).
pub fn conversion_pool(sub_dao: &Pubkey) -> Pubkey {
    pda(&[CONVERSION_POOL_SEED, sub_dao.as_ref()])
}

/// `init_conversion`: the DAO `authority` signs.
pub fn init_conversion(
    payer: &Pubkey,
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    sub_dao_mint: &Pubkey,
    params: ConversionParams,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::InitConversion {
            payer: *payer,
            authority: *authority,
            dao: *dao,
            sub_dao: *sub_dao,
            sub_dao_mint: *sub_dao_mint,
            conversion: conversion(sub_dao),
            pool: conversion_pool(sub_dao),
            token_program: anchor_spl::token::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: data::InitConversion { params }.data(),
    }
}

/// `set_conversion_params`: the DAO `authority` signs.
pub fn set_conversion_params(
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    params: ConversionParams,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::SetConversionParams {
            authority: *authority,
            dao: *dao,
            sub_dao: *sub_dao,
            conversion: conversion(sub_dao),
        }
        .to_account_metas(None),
        data: data::SetConversionParams { params }.data(),
    }
}

/// The accounts of a conversion by `user` between its two associated token accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvertKeys {
    /// The DAO.
    pub dao: Pubkey,
    /// The main mint.
    pub main_mint: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The sub-DAO token mint.
    pub sub_mint: Pubkey,
}

impl ConvertKeys {
    fn metas(&self, user: &Pubkey) -> Vec<solana_sdk::instruction::AccountMeta> {
        acc::Convert {
            user: *user,
            dao: self.dao,
            sub_dao: self.sub_dao,
            conversion: conversion(&self.sub_dao),
            pool: conversion_pool(&self.sub_dao),
            treasury: crate::pda::treasury(&self.sub_dao),
            user_sub: crate::pda::associated_token(user, &self.sub_mint),
            user_main: crate::pda::associated_token(user, &self.main_mint),
            token_program: anchor_spl::token::ID,
        }
        .to_account_metas(None)
    }
}

/// `convert_to_main`: `user` sells `amount_in` sub-DAO tokens from its associated account for at
/// least `min_out` main tokens into its main-token associated account (both must exist).
pub fn convert_to_main(
    user: &Pubkey,
    k: &ConvertKeys,
    amount_in: u64,
    min_out: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: k.metas(user),
        data: data::ConvertToMain { amount_in, min_out }.data(),
    }
}

/// `convert_to_sub`: `user` buys sub-DAO tokens with `amount_in` main tokens, at least `min_out`.
pub fn convert_to_sub(user: &Pubkey, k: &ConvertKeys, amount_in: u64, min_out: u64) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: k.metas(user),
        data: data::ConvertToSub { amount_in, min_out }.data(),
    }
}

/// A sub-DAO's conversion state and the reserves the curve prices on now.
#[derive(Debug)]
pub struct ConversionView {
    /// The conversion state.
    pub conversion: Conversion,
    /// Treasury (main) and pool (sub) balances.
    pub reserves: Reserves,
}

impl ConversionView {
    /// Load the conversion of `sub_dao`.
    pub async fn load<C: Chain>(chain: &C, sub_dao: &Pubkey) -> Result<Self, ChainError> {
        let key = conversion(sub_dao);
        let conversion: Conversion = crate::accounts::fetch(chain, &key)
            .await?
            .ok_or_else(|| ChainError::NotFound(format!("conversion {key}")))?;
        let balance = |acct: Option<solana_sdk::account::Account>, what: &str| {
            acct.ok_or_else(|| ChainError::NotFound(what.to_string()))
                .and_then(|a| crate::accounts::token_amount(&a.data))
        };
        let treasury = chain.get_account(&crate::pda::treasury(sub_dao)).await?;
        let pool = chain.get_account(&conversion.pool).await?;
        Ok(Self {
            reserves: Reserves {
                main: balance(treasury, "treasury")?,
                sub: balance(pool, "conversion pool")?,
            },
            conversion,
        })
    }

    /// What converting `amount_in` would pay now (`to_main`: sub-DAO token → main token).
    pub fn quote(&self, to_main: bool, amount_in: u64) -> Result<Quote, ConversionError> {
        let curve = self.conversion.params.curve();
        if to_main {
            quote_to_main(&curve, &self.reserves, amount_in)
        } else {
            quote_to_sub(&curve, &self.reserves, amount_in)
        }
    }
}

/// `amount_out` less `slippage_bps` (rounded down): a `min_out` for a quote.
pub fn min_out_with_slippage(amount_out: u64, slippage_bps: u16) -> u64 {
    let keep = lattice_math::BPS.saturating_sub(u64::from(slippage_bps));
    u64::try_from(u128::from(amount_out).saturating_mul(u128::from(keep)) / 10_000)
        .unwrap_or(amount_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slippage_rounds_down_and_saturates() {
        assert_eq!(min_out_with_slippage(10_000, 50), 9_950);
        assert_eq!(min_out_with_slippage(999, 1), 998);
        assert_eq!(min_out_with_slippage(u64::MAX, 0), u64::MAX);
        assert_eq!(min_out_with_slippage(1_000, 10_000), 0);
        assert_eq!(min_out_with_slippage(1_000, u16::MAX), 0);
    }

    #[test]
    fn pdas_come_from_the_program_seeds() {
        let sub = Pubkey::new_unique();
        let (expected, _) =
            Pubkey::find_program_address(&[CONVERSION_POOL_SEED, sub.as_ref()], &lattice_dao::ID);
        assert_eq!(conversion_pool(&sub), expected);
        assert_ne!(conversion(&sub), conversion_pool(&sub));
    }
}
