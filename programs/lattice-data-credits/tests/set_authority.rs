//! `set_authority`: the handoff of the DC configuration's authority, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_data_credits::{DataCredits, DcError, DcParamsUpdate};
use lattice_sdk::dc;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

fn price_change(dc_price_nano_usd: u64) -> DcParamsUpdate {
    DcParamsUpdate {
        dc_price_nano_usd: Some(dc_price_nano_usd),
        price_feed_id: None,
        price_owner: None,
        max_age_secs: None,
        max_conf_bps: None,
        breaker: None,
    }
}

#[tokio::test]
async fn hands_the_configuration_to_a_new_authority() {
    let h = Harness::ready().await;
    let next = Keypair::new();
    let ix = dc::set_dc_authority(&h.payer.pubkey(), &h.dao(), &next.pubkey());
    h.send(&[ix], &[]).await.unwrap();
    let cfg: DataCredits = h.fetch(&dc::data_credits(&h.dao())).await.unwrap();
    assert_eq!(cfg.authority, next.pubkey());

    // The old key lost every admin instruction; the new one has them.
    let sub = h.sub_dao("coverage");
    let ix = dc::set_burn_authority(&h.payer.pubkey(), &h.dao(), &sub, &next.pubkey());
    assert_dc_err(h.send(&[ix], &[]).await, DcError::Unauthorized);
    let ix = dc::set_dc_params(&h.payer.pubkey(), &h.dao(), price_change(20_000));
    assert_dc_err(h.send(&[ix], &[]).await, DcError::Unauthorized);
    let ix = dc::set_dc_authority(&h.payer.pubkey(), &h.dao(), &h.payer.pubkey());
    assert_dc_err(h.send(&[ix], &[]).await, DcError::Unauthorized);
    let ix = dc::set_dc_params(&next.pubkey(), &h.dao(), price_change(20_000));
    h.send(&[ix], &[&next]).await.unwrap();
    let ix = dc::set_burn_authority(&next.pubkey(), &h.dao(), &sub, &next.pubkey());
    h.send(&[ix], &[&next]).await.unwrap();

    // Handing it to the governance PDA (a key nobody holds) works too.
    let governance = lattice_sdk::pda::governance(&h.dao());
    let ix = dc::set_dc_authority(&next.pubkey(), &h.dao(), &governance);
    h.send(&[ix], &[&next]).await.unwrap();
    let cfg: DataCredits = h.fetch(&dc::data_credits(&h.dao())).await.unwrap();
    assert_eq!(cfg.authority, governance);
}

#[tokio::test]
async fn requires_the_dc_authority() {
    let h = Harness::ready().await;
    let stranger = Keypair::new();
    let ix = dc::set_dc_authority(&stranger.pubkey(), &h.dao(), &stranger.pubkey());
    assert_dc_err(h.send(&[ix], &[&stranger]).await, DcError::Unauthorized);
    // The authority's key without its signature (a fee payer that is not the authority).
    let fee_payer = Keypair::new();
    h.chain
        .airdrop(&fee_payer.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let mut ix = dc::set_dc_authority(&h.payer.pubkey(), &h.dao(), &stranger.pubkey());
    ix.accounts[0].is_signer = false;
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], &fee_payer, &[]).await;
    assert_anchor_err(res, anchor_lang::error::ErrorCode::AccountNotSigner);
    let cfg: DataCredits = h.fetch(&dc::data_credits(&h.dao())).await.unwrap();
    assert_eq!(cfg.authority, h.payer.pubkey());
}

#[tokio::test]
async fn refuses_the_default_key_and_other_accounts() {
    let h = Harness::ready().await;
    let ix = dc::set_dc_authority(&h.payer.pubkey(), &h.dao(), &Pubkey::default());
    assert_dc_err(h.send(&[ix], &[]).await, DcError::InvalidAuthority);
    // A sub-DAO's DC settings in place of the configuration.
    let mut ix = dc::set_dc_authority(&h.payer.pubkey(), &h.dao(), &Pubkey::new_unique());
    ix.accounts[1].pubkey = dc::sub_dao_dc(&h.sub_dao("coverage"));
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch,
    );
    let cfg: DataCredits = h.fetch(&dc::data_credits(&h.dao())).await.unwrap();
    assert_eq!(cfg.authority, h.payer.pubkey());
}
