//! `convert_to_main` and `convert_to_sub`: payments match the pure curve, `min_out` and freezes
//! are enforced, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Conversion, ConversionParams, DaoError};
use lattice_math::conversion::{quote_to_main, quote_to_sub};
use lattice_sdk::conversion::{
    conversion, conversion_pool, convert_to_main, convert_to_sub, set_conversion_params,
    ConversionView, ConvertKeys,
};
use solana_sdk::{
    instruction::InstructionError,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

/// 10^11 sub-DAO base units and 10^10 main base units for the user.
const SUB_BALANCE: u64 = 100_000_000_000;
const MAIN_BALANCE: u64 = 10_000_000_000;

struct Setup {
    h: Harness,
    user: Keypair,
    sub: Pubkey,
    k: ConvertKeys,
}

impl Setup {
    /// Coverage's conversion open with [`conversion_params`], a user holding both tokens.
    async fn new() -> Self {
        let h = Harness::with_treasury().await;
        let (sub, s) = h.sub_dao("coverage").await;
        h.init_conversion(&sub, conversion_params()).await.unwrap();
        let user = Keypair::new();
        h.give_tokens(&user.pubkey(), &s.mint, SUB_BALANCE).await;
        h.give_tokens(&user.pubkey(), &h.main_mint.pubkey(), MAIN_BALANCE)
            .await;
        let k = ConvertKeys {
            dao: h.dao(),
            main_mint: h.main_mint.pubkey(),
            sub_dao: sub,
            sub_mint: s.mint,
        };
        Self { h, user, sub, k }
    }

    async fn to_main(&self, amount: u64, min_out: u64) -> Result<(), lattice_sdk::ChainError> {
        let ix = convert_to_main(&self.user.pubkey(), &self.k, amount, min_out);
        self.h.send(&[ix], &[&self.user]).await
    }

    async fn to_sub(&self, amount: u64, min_out: u64) -> Result<(), lattice_sdk::ChainError> {
        let ix = convert_to_sub(&self.user.pubkey(), &self.k, amount, min_out);
        self.h.send(&[ix], &[&self.user]).await
    }

    async fn view(&self) -> ConversionView {
        ConversionView::load(&self.h.chain, &self.sub)
            .await
            .unwrap()
    }

    async fn user_sub(&self) -> u64 {
        self.h
            .token_amount(&lattice_sdk::pda::associated_token(
                &self.user.pubkey(),
                &self.k.sub_mint,
            ))
            .await
    }

    async fn user_main(&self) -> u64 {
        self.h
            .token_amount(&lattice_sdk::pda::associated_token(
                &self.user.pubkey(),
                &self.k.main_mint,
            ))
            .await
    }

    async fn set_params(&self, p: ConversionParams) {
        let ix = set_conversion_params(&self.h.authority.pubkey(), &self.h.dao(), &self.sub, p);
        self.h.send(&[ix], &[&self.h.authority]).await.unwrap();
    }
}

#[tokio::test]
async fn to_main_pays_the_curve_from_the_treasury() {
    let s = Setup::new().await;
    let before = s.view().await;
    assert!(before.reserves.main > 0);
    assert_eq!(before.reserves.sub, 0);
    let amount = 10_000_000_000;
    let q = quote_to_main(&conversion_params().curve(), &before.reserves, amount).unwrap();
    assert!(q.amount_out > 0);
    s.to_main(amount, q.amount_out).await.unwrap();

    let after = s.view().await;
    assert_eq!(
        after.reserves.sub, amount,
        "the whole input, fee included, is in the pool"
    );
    assert_eq!(after.reserves.main, before.reserves.main - q.amount_out);
    assert_eq!(s.user_sub().await, SUB_BALANCE - amount);
    assert_eq!(s.user_main().await, MAIN_BALANCE + q.amount_out);
    let c: Conversion = s.h.fetch(&conversion(&s.sub)).await.unwrap();
    assert_eq!(
        (c.total_sub_in, c.total_main_out),
        (amount.into(), q.amount_out.into())
    );
}

#[tokio::test]
async fn to_sub_pays_the_curve_from_the_pool() {
    let s = Setup::new().await;
    s.to_main(50_000_000_000, 0).await.unwrap();
    let before = s.view().await;
    let amount = 100_000_000;
    let q = quote_to_sub(&conversion_params().curve(), &before.reserves, amount).unwrap();
    assert!(q.amount_out > 0 && q.amount_out <= before.reserves.sub);
    let (sub_before, main_before) = (s.user_sub().await, s.user_main().await);
    s.to_sub(amount, q.amount_out).await.unwrap();
    let after = s.view().await;
    assert_eq!(after.reserves.main, before.reserves.main + amount);
    assert_eq!(after.reserves.sub, before.reserves.sub - q.amount_out);
    assert_eq!(s.user_sub().await, sub_before + q.amount_out);
    assert_eq!(s.user_main().await, main_before - amount);
    let c: Conversion = s.h.fetch(&conversion(&s.sub)).await.unwrap();
    assert_eq!(
        (c.total_main_in, c.total_sub_out),
        (amount.into(), q.amount_out.into())
    );
}

#[tokio::test]
async fn the_pool_never_pays_out_its_virtual_reserve() {
    let s = Setup::new().await;
    s.to_main(1_000_000, 0).await.unwrap();
    // A large buy would price far above the pool's real balance: it gets exactly that balance.
    let pool = s.view().await.reserves.sub;
    s.to_sub(MAIN_BALANCE, 0).await.unwrap();
    assert_eq!(s.view().await.reserves.sub, 0);
    assert_eq!(s.user_sub().await, SUB_BALANCE - 1_000_000 + pool);
    // With the pool empty, a buy converts to nothing.
    assert_dao_err(s.to_sub(1_000, 0).await, DaoError::ZeroAmount);
}

#[tokio::test]
async fn a_round_trip_never_profits() {
    let s = Setup::new().await;
    let amount = 20_000_000_000;
    s.to_main(amount, 0).await.unwrap();
    let got = s.user_main().await - MAIN_BALANCE;
    s.to_sub(got, 0).await.unwrap();
    let back = s.user_sub().await - (SUB_BALANCE - amount);
    assert!(back <= amount, "{amount} → {got} → {back}");
    assert!(back > amount * 99 / 100, "only fees and rounding are lost");
}

#[tokio::test]
async fn enforces_min_out() {
    let s = Setup::new().await;
    let view = s.view().await;
    let q = view.quote(true, 1_000_000_000).unwrap();
    assert_dao_err(
        s.to_main(1_000_000_000, q.amount_out + 1).await,
        DaoError::SlippageExceeded,
    );
    s.to_main(1_000_000_000, q.amount_out).await.unwrap();
    let q = s.view().await.quote(false, 1_000_000).unwrap();
    assert_dao_err(
        s.to_sub(1_000_000, q.amount_out + 1).await,
        DaoError::SlippageExceeded,
    );
    s.to_sub(1_000_000, q.amount_out).await.unwrap();
}

#[tokio::test]
async fn frozen_directions_refuse() {
    let s = Setup::new().await;
    s.to_main(5_000_000_000, 0).await.unwrap();
    let mut p = conversion_params();
    p.frozen_to_main = true;
    s.set_params(p).await;
    assert_dao_err(s.to_main(1_000_000, 0).await, DaoError::ConversionFrozen);
    s.to_sub(1_000_000, 0).await.unwrap();

    let mut p = conversion_params();
    p.frozen_to_sub = true;
    s.set_params(p).await;
    assert_dao_err(s.to_sub(1_000_001, 0).await, DaoError::ConversionFrozen);
    s.to_main(1_000_001, 0).await.unwrap();

    // A time freeze stops both directions until it passes.
    let now = lattice_sdk::Chain::unix_timestamp(&s.h.chain)
        .await
        .unwrap();
    let mut p = conversion_params();
    p.frozen_until_unix = now + 100;
    s.set_params(p).await;
    assert_dao_err(s.to_main(1_000_002, 0).await, DaoError::ConversionFrozen);
    assert_dao_err(s.to_sub(1_000_002, 0).await, DaoError::ConversionFrozen);
    s.h.chain.set_unix_timestamp(now + 100).await.unwrap();
    s.to_main(1_000_002, 0).await.unwrap();
    s.to_sub(1_000_002, 0).await.unwrap();
}

#[tokio::test]
async fn refuses_zero_amounts() {
    let s = Setup::new().await;
    assert_dao_err(s.to_main(0, 0).await, DaoError::ZeroAmount);
    assert_dao_err(s.to_sub(0, 0).await, DaoError::ZeroAmount);
    // One base unit pays a rounded-up fee of one and buys nothing.
    assert_dao_err(s.to_main(1, 0).await, DaoError::ZeroAmount);
    // Nobody has sold into the pool yet: nothing to buy.
    assert_dao_err(s.to_sub(1_000_000, 0).await, DaoError::ZeroAmount);
}

#[tokio::test]
async fn refuses_to_price_against_an_empty_treasury() {
    // No hour issued: the treasury holds no main tokens.
    let h = Harness::with_dao().await;
    let (sub, s) = h.sub_dao("coverage").await;
    h.init_conversion(&sub, conversion_params()).await.unwrap();
    let user = Keypair::new();
    h.give_tokens(&user.pubkey(), &s.mint, SUB_BALANCE).await;
    h.give_tokens(&user.pubkey(), &h.main_mint.pubkey(), MAIN_BALANCE)
        .await;
    let k = ConvertKeys {
        dao: h.dao(),
        main_mint: h.main_mint.pubkey(),
        sub_dao: sub,
        sub_mint: s.mint,
    };
    let ix = convert_to_sub(&user.pubkey(), &k, 1_000, 0);
    assert_dao_err(
        h.send(&[ix], &[&user]).await,
        DaoError::ConversionReserveEmpty,
    );
    let ix = convert_to_main(&user.pubkey(), &k, 1_000_000, 0);
    assert_dao_err(h.send(&[ix], &[&user]).await, DaoError::ZeroAmount);
}

#[tokio::test]
async fn refuses_wrong_accounts() {
    let s = Setup::new().await;
    let (other, _) = s.h.sub_dao("compute").await;
    s.h.init_conversion(&other, conversion_params())
        .await
        .unwrap();
    let base = convert_to_main(&s.user.pubkey(), &s.k, 1_000_000, 0);
    let with = |slot: usize, key: Pubkey| {
        let mut ix = base.clone();
        ix.accounts[slot].pubkey = key;
        ix
    };
    // Another sub-DAO's state, pool or treasury.
    assert_anchor_err(
        s.h.send(&[with(3, conversion(&other))], &[&s.user]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    assert_anchor_err(
        s.h.send(&[with(4, conversion_pool(&other))], &[&s.user])
            .await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    assert_anchor_err(
        s.h.send(&[with(5, lattice_sdk::pda::treasury(&other))], &[&s.user])
            .await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    // Holder accounts of the wrong mint (another sub-DAO's token) on either side.
    let (_, o) = s.h.sub_dao("compute").await;
    let foreign =
        s.h.give_tokens(&s.user.pubkey(), &o.mint, SUB_BALANCE)
            .await;
    assert_dao_err(
        s.h.send(&[with(6, foreign)], &[&s.user]).await,
        DaoError::WrongMint,
    );
    assert_dao_err(
        s.h.send(&[with(7, foreign)], &[&s.user]).await,
        DaoError::WrongMint,
    );
}

#[tokio::test]
async fn spends_only_the_signers_tokens() {
    let s = Setup::new().await;
    let thief = Keypair::new();
    let thief_main = s.h.give_tokens(&thief.pubkey(), &s.k.main_mint, 0).await;
    let mut ix = convert_to_main(&thief.pubkey(), &s.k, 1_000_000, 0);
    // The victim's sub-DAO tokens, proceeds to the thief.
    ix.accounts[6].pubkey = lattice_sdk::pda::associated_token(&s.user.pubkey(), &s.k.sub_mint);
    ix.accounts[7].pubkey = thief_main;
    // SPL Token: the signer is not the owner (`OwnerMismatch`, custom error 4).
    assert_ix_err(
        s.h.send(&[ix], &[&thief]).await,
        InstructionError::Custom(4),
    );
    assert_eq!(s.user_sub().await, SUB_BALANCE);

    let mut ix = convert_to_main(&s.user.pubkey(), &s.k, 1_000_000, 0);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        s.h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}
