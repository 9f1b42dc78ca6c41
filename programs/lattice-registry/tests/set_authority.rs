//! `set_authority`: the handoff of the registry's authority, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_registry::{Registry, RegistryError};
use lattice_sdk::registry;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn hands_the_registry_to_a_new_authority() {
    let h = Harness::registry_only().await;
    let dao = h.keys.dao;
    let next = Keypair::new();
    let ix = registry::set_registry_authority(&h.payer.pubkey(), &dao, &next.pubkey());
    h.send(&[ix], &[]).await.unwrap();
    let reg: Registry = h.fetch(&registry::registry(&dao)).await.unwrap();
    assert_eq!(reg.authority, next.pubkey());

    // The old key lost every admin instruction; the new one has them.
    let mut params = h.cfg.registry_params().unwrap();
    params.location_fee_dc += 1;
    let ix = registry::set_registry_params(&h.payer.pubkey(), &dao, params);
    assert_reg_err(h.send(&[ix], &[]).await, RegistryError::Unauthorized);
    let ix = registry::set_registry_authority(&h.payer.pubkey(), &dao, &h.payer.pubkey());
    assert_reg_err(h.send(&[ix], &[]).await, RegistryError::Unauthorized);
    let ix = registry::set_registry_params(&next.pubkey(), &dao, params);
    h.send(&[ix], &[&next]).await.unwrap();

    // Handing it to the governance PDA (a key nobody holds) works too.
    let governance = lattice_sdk::pda::governance(&dao);
    let ix = registry::set_registry_authority(&next.pubkey(), &dao, &governance);
    h.send(&[ix], &[&next]).await.unwrap();
    let reg: Registry = h.fetch(&registry::registry(&dao)).await.unwrap();
    assert_eq!(reg.authority, governance);
}

#[tokio::test]
async fn requires_the_registry_authority() {
    let h = Harness::registry_only().await;
    let dao = h.keys.dao;
    let stranger = Keypair::new();
    let ix = registry::set_registry_authority(&stranger.pubkey(), &dao, &stranger.pubkey());
    assert_reg_err(
        h.send(&[ix], &[&stranger]).await,
        RegistryError::Unauthorized,
    );
    // The authority's key without its signature (a fee payer that is not the authority).
    let fee_payer = Keypair::new();
    h.chain
        .airdrop(&fee_payer.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let mut ix = registry::set_registry_authority(&h.payer.pubkey(), &dao, &stranger.pubkey());
    ix.accounts[0].is_signer = false;
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], &fee_payer, &[]).await;
    assert_code(
        res,
        u32::from(anchor_lang::error::ErrorCode::AccountNotSigner),
    );
    let reg: Registry = h.fetch(&registry::registry(&dao)).await.unwrap();
    assert_eq!(reg.authority, h.payer.pubkey());
}

#[tokio::test]
async fn refuses_the_default_key_and_other_accounts() {
    let h = Harness::registry_only().await;
    let dao = h.keys.dao;
    let ix = registry::set_registry_authority(&h.payer.pubkey(), &dao, &Pubkey::default());
    assert_reg_err(h.send(&[ix], &[]).await, RegistryError::InvalidAuthority);
    // The DAO account in place of the registry.
    let mut ix = registry::set_registry_authority(&h.payer.pubkey(), &dao, &Pubkey::new_unique());
    ix.accounts[1].pubkey = dao;
    assert_code(
        h.send(&[ix], &[]).await,
        u32::from(anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram),
    );
    let reg: Registry = h.fetch(&registry::registry(&dao)).await.unwrap();
    assert_eq!(reg.authority, h.payer.pubkey());
}
