//! `initialize_data_credits` and `add_sub_dao_dc`: happy paths and failing inputs.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_data_credits::{DataCredits, DcError, SubDaoDc};
use lattice_sdk::{dc, Chain};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn creates_a_non_transferable_dc_mint() {
    let h = Harness::dao_only().await;
    h.init_dc(dc_args()).await.unwrap();
    let cfg: DataCredits = h.fetch(&dc::data_credits(&h.dao())).await.unwrap();
    assert_eq!(cfg.dc_mint, dc::dc_mint(&h.dao()));
    assert_eq!(cfg.price_feed_id, FEED);
    assert_eq!(cfg.main_decimals, 6);

    let raw = h.chain.get_account(&cfg.dc_mint).await.unwrap().unwrap();
    assert_eq!(raw.owner, anchor_spl::token_2022::ID);
    use anchor_spl::token_2022::spl_token_2022::{
        extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions},
        state::Mint,
    };
    let mint = StateWithExtensions::<Mint>::unpack(&raw.data).unwrap();
    assert_eq!(mint.base.decimals, 0);
    assert_eq!(
        mint.base.mint_authority,
        Some(dc::data_credits(&h.dao())).into()
    );
    assert!(mint.base.freeze_authority.is_none());
    assert_eq!(
        mint.get_extension_types().unwrap(),
        vec![ExtensionType::NonTransferable]
    );
}

#[tokio::test]
async fn refuses_invalid_parameters() {
    for mutate in [
        (|a: &mut lattice_data_credits::InitializeDataCreditsArgs| a.dc_price_nano_usd = 0)
            as fn(&mut _),
        |a| a.max_age_secs = 0,
        |a| a.breaker.window_secs = 0,
        |a| a.max_conf_bps = 10_001,
    ] {
        let h = Harness::dao_only().await;
        let mut args = dc_args();
        mutate(&mut args);
        assert_dc_err(h.init_dc(args).await, DcError::InvalidParameter);
    }
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::dao_only().await;
    let intruder = Keypair::new();
    let ix = dc::initialize_data_credits(
        &h.payer.pubkey(),
        &intruder.pubkey(),
        &h.main_mint.pubkey(),
        dc_args(),
    );
    assert_dc_err(h.send(&[ix], &[&intruder]).await, DcError::Unauthorized);
}

#[tokio::test]
async fn sub_dao_registration() {
    let h = Harness::ready().await;
    let sub = h.sub_dao("coverage");
    let s: SubDaoDc = h.fetch(&dc::sub_dao_dc(&sub)).await.unwrap();
    assert_eq!(s.burn_authority, h.burn_authority.pubkey());
    assert_eq!(s.dc_burned, 0);

    // Twice: the PDA exists already.
    let ix = dc::add_sub_dao_dc(
        &h.payer.pubkey(),
        &h.payer.pubkey(),
        &h.dao(),
        &sub,
        &h.payer.pubkey(),
    );
    assert!(h.send(&[ix], &[]).await.is_err());

    // By someone else.
    let intruder = Keypair::new();
    let other = Harness::dao_only().await;
    other.init_dc(dc_args()).await.unwrap();
    let ix = dc::add_sub_dao_dc(
        &other.payer.pubkey(),
        &intruder.pubkey(),
        &other.dao(),
        &other.sub_dao("coverage"),
        &intruder.pubkey(),
    );
    assert_dc_err(other.send(&[ix], &[&intruder]).await, DcError::Unauthorized);

    // A sub-DAO of another DAO.
    let ix = dc::add_sub_dao_dc(
        &other.payer.pubkey(),
        &other.payer.pubkey(),
        &other.dao(),
        &h.sub_dao("compute"),
        &other.payer.pubkey(),
    );
    let res = other.send(&[ix], &[]).await;
    // The foreign sub-DAO account does not exist in this bank: Anchor refuses it as uninitialized.
    assert_anchor_err(res, anchor_lang::error::ErrorCode::AccountNotInitialized);
}
