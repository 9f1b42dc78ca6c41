//! `init_conversion`: happy path and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_spl::token::TokenAccount;
use common::*;
use lattice_dao::{Conversion, DaoError};
use lattice_sdk::conversion::{conversion, conversion_pool, init_conversion};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn creates_state_and_an_empty_pool_owned_by_the_sub_dao() {
    let h = Harness::with_dao().await;
    let (sub, s) = h.sub_dao("coverage").await;
    h.init_conversion(&sub, conversion_params()).await.unwrap();
    let c: Conversion = h.fetch(&conversion(&sub)).await.unwrap();
    assert_eq!(c.version, 1);
    assert_eq!(c.sub_dao, sub);
    assert_eq!(c.pool, conversion_pool(&sub));
    assert_eq!(c.params, conversion_params());
    assert_eq!(
        (
            c.total_sub_in,
            c.total_main_out,
            c.total_main_in,
            c.total_sub_out
        ),
        (0, 0, 0, 0)
    );
    let pool: TokenAccount = h.fetch(&c.pool).await.unwrap();
    assert_eq!((pool.mint, pool.owner, pool.amount), (s.mint, sub, 0));
    assert!(pool.delegate.is_none());
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::with_dao().await;
    let (sub, s) = h.sub_dao("coverage").await;
    let intruder = Keypair::new();
    let ix = init_conversion(
        &h.payer.pubkey(),
        &intruder.pubkey(),
        &h.dao(),
        &sub,
        &s.mint,
        conversion_params(),
    );
    assert_dao_err(h.send(&[ix], &[&intruder]).await, DaoError::Unauthorized);
    let mut ix = init_conversion(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.dao(),
        &sub,
        &s.mint,
        conversion_params(),
    );
    ix.accounts[1].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    assert!(h.fetch::<Conversion>(&conversion(&sub)).await.is_none());
}

#[tokio::test]
async fn refuses_invalid_params() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let mut p = conversion_params();
    p.virtual_reserve = 0;
    assert_dao_err(
        h.init_conversion(&sub, p).await,
        DaoError::InvalidConversionParams,
    );
    let mut p = conversion_params();
    p.fee_bps = 10_000;
    assert_dao_err(
        h.init_conversion(&sub, p).await,
        DaoError::InvalidConversionParams,
    );
}

#[tokio::test]
async fn initializes_once_even_if_pre_funded() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    h.chain.airdrop(&conversion(&sub), 1_000_000).await.unwrap();
    h.chain
        .airdrop(&conversion_pool(&sub), 1_000_000)
        .await
        .unwrap();
    h.init_conversion(&sub, conversion_params()).await.unwrap();
    let mut p = conversion_params();
    p.fee_bps = 1;
    assert_dao_err(
        h.init_conversion(&sub, p).await,
        DaoError::ConversionAlreadyInitialized,
    );
    let c: Conversion = h.fetch(&conversion(&sub)).await.unwrap();
    assert_eq!(c.params, conversion_params());
}

#[tokio::test]
async fn refuses_another_mint_or_sub_dao() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let (other, o) = h.sub_dao("compute").await;
    let ix = init_conversion(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.dao(),
        &sub,
        &o.mint,
        conversion_params(),
    );
    assert_dao_err(h.send(&[ix], &[&h.authority]).await, DaoError::WrongMint);
    // Another sub-DAO's state or pool addresses.
    for slot in [5usize, 6] {
        let (_, s) = h.sub_dao("coverage").await;
        let mut ix = init_conversion(
            &h.payer.pubkey(),
            &h.authority.pubkey(),
            &h.dao(),
            &sub,
            &s.mint,
            conversion_params(),
        );
        ix.accounts[slot].pubkey = if slot == 5 {
            conversion(&other)
        } else {
            conversion_pool(&other)
        };
        assert_anchor_err(
            h.send(&[ix], &[&h.authority]).await,
            anchor_lang::error::ErrorCode::ConstraintSeeds,
        );
    }
}
