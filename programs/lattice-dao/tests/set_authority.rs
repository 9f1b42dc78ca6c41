//! `set_authority`: the handoff of the DAO's authority, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Dao, DaoError, DaoParamsUpdate};
use lattice_sdk::ix;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

fn no_change() -> DaoParamsUpdate {
    DaoParamsUpdate {
        emission: None,
        breaker: None,
        utility_weights: None,
        delegator_bps: None,
    }
}

#[tokio::test]
async fn hands_the_dao_to_a_new_authority() {
    let h = Harness::with_dao().await;
    let next = Keypair::new();
    let ix = ix::set_dao_authority(&h.authority.pubkey(), &h.dao(), &next.pubkey());
    h.send(&[ix], &[&h.authority]).await.unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.authority, next.pubkey());

    // The old key lost every admin instruction; the new one has them.
    let ix = ix::set_dao_params(&h.authority.pubkey(), &h.dao(), no_change());
    assert_dao_err(h.send(&[ix], &[&h.authority]).await, DaoError::Unauthorized);
    let ix = ix::set_dao_authority(&h.authority.pubkey(), &h.dao(), &h.authority.pubkey());
    assert_dao_err(h.send(&[ix], &[&h.authority]).await, DaoError::Unauthorized);
    let ix = ix::set_dao_params(&next.pubkey(), &h.dao(), no_change());
    h.send(&[ix], &[&next]).await.unwrap();

    // Handing it to the governance PDA (a key nobody holds) works too.
    let governance = lattice_sdk::pda::governance(&h.dao());
    let ix = ix::set_dao_authority(&next.pubkey(), &h.dao(), &governance);
    h.send(&[ix], &[&next]).await.unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.authority, governance);
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::with_dao().await;
    let intruder = Keypair::new();
    let ix = ix::set_dao_authority(&intruder.pubkey(), &h.dao(), &intruder.pubkey());
    assert_dao_err(h.send(&[ix], &[&intruder]).await, DaoError::Unauthorized);
    // The authority's key without its signature.
    let mut ix = ix::set_dao_authority(&h.authority.pubkey(), &h.dao(), &intruder.pubkey());
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.authority, h.authority.pubkey());
}

#[tokio::test]
async fn refuses_the_default_key_and_other_accounts() {
    let h = Harness::with_dao().await;
    let ix = ix::set_dao_authority(&h.authority.pubkey(), &h.dao(), &Pubkey::default());
    assert_dao_err(
        h.send(&[ix], &[&h.authority]).await,
        DaoError::InvalidAuthority,
    );
    // A sub-DAO account in place of the DAO.
    let (sub, _) = h.sub_dao("coverage").await;
    let mut ix = ix::set_dao_authority(&h.authority.pubkey(), &h.dao(), &Pubkey::new_unique());
    ix.accounts[1].pubkey = sub;
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch,
    );
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.authority, h.authority.pubkey());
}
