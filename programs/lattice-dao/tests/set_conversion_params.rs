//! `set_conversion_params`: happy path and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Conversion, DaoError};
use lattice_sdk::conversion::{conversion, set_conversion_params};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn replaces_the_parameters() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    h.init_conversion(&sub, conversion_params()).await.unwrap();
    let p = lattice_dao::ConversionParams {
        virtual_reserve: 5,
        fee_bps: 100,
        frozen_to_main: true,
        frozen_to_sub: false,
        frozen_until_unix: 1_900_000_000,
    };
    let ix = set_conversion_params(&h.authority.pubkey(), &h.dao(), &sub, p);
    h.send(&[ix], &[&h.authority]).await.unwrap();
    let c: Conversion = h.fetch(&conversion(&sub)).await.unwrap();
    assert_eq!(c.params, p);
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    h.init_conversion(&sub, conversion_params()).await.unwrap();
    let intruder = Keypair::new();
    let mut p = conversion_params();
    p.frozen_to_sub = true;
    let ix = set_conversion_params(&intruder.pubkey(), &h.dao(), &sub, p);
    assert_dao_err(h.send(&[ix], &[&intruder]).await, DaoError::Unauthorized);
    let mut ix = set_conversion_params(&h.authority.pubkey(), &h.dao(), &sub, p);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    let c: Conversion = h.fetch(&conversion(&sub)).await.unwrap();
    assert_eq!(c.params, conversion_params());
}

#[tokio::test]
async fn refuses_invalid_params_and_uninitialized_or_foreign_state() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let (other, _) = h.sub_dao("compute").await;
    // Not initialized yet.
    let ix = set_conversion_params(&h.authority.pubkey(), &h.dao(), &sub, conversion_params());
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::AccountNotInitialized,
    );
    h.init_conversion(&sub, conversion_params()).await.unwrap();
    h.init_conversion(&other, conversion_params())
        .await
        .unwrap();
    let mut p = conversion_params();
    p.virtual_reserve = 0;
    let ix = set_conversion_params(&h.authority.pubkey(), &h.dao(), &sub, p);
    assert_dao_err(
        h.send(&[ix], &[&h.authority]).await,
        DaoError::InvalidConversionParams,
    );
    // The other sub-DAO's state under this sub-DAO.
    let mut ix = set_conversion_params(&h.authority.pubkey(), &h.dao(), &sub, conversion_params());
    ix.accounts[3].pubkey = conversion(&other);
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
}
