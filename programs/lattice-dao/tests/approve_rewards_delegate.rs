//! `approve_rewards_delegate`: the rewards configuration PDA becomes the escrow's delegate.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_spl::token::TokenAccount;
use common::*;
use lattice_dao::DaoError;
use lattice_sdk::rewards;
use solana_sdk::signature::{Keypair, Signer};

#[test]
fn rewards_program_id_matches_the_program() {
    assert_eq!(
        lattice_dao::REWARDS_PROGRAM_ID,
        lattice_sdk::lattice_rewards::ID
    );
    assert_eq!(
        lattice_dao::REWARDS_CONFIG_SEED,
        lattice_sdk::lattice_rewards::REWARDS_CONFIG_SEED
    );
}

#[tokio::test]
async fn approves_the_rewards_config_for_everything() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let ix = rewards::approve_rewards_delegate(&h.authority.pubkey(), &h.dao(), &sub);
    h.send(&[ix], &[&h.authority]).await.unwrap();
    let escrow: TokenAccount = h
        .fetch(&lattice_sdk::pda::rewards_escrow(&sub))
        .await
        .unwrap();
    assert_eq!(escrow.delegate, Some(rewards::rewards_config(&sub)).into());
    assert_eq!(escrow.delegated_amount, u64::MAX);
    assert_eq!(escrow.owner, sub, "the sub-DAO PDA still owns the escrow");
    // The other sub-DAO's escrow is untouched.
    let (other, _) = h.sub_dao("compute").await;
    let escrow: TokenAccount = h
        .fetch(&lattice_sdk::pda::rewards_escrow(&other))
        .await
        .unwrap();
    assert!(escrow.delegate.is_none());
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let intruder = Keypair::new();
    let ix = rewards::approve_rewards_delegate(&intruder.pubkey(), &h.dao(), &sub);
    assert_dao_err(h.send(&[ix], &[&intruder]).await, DaoError::Unauthorized);
    let mut ix = rewards::approve_rewards_delegate(&h.authority.pubkey(), &h.dao(), &sub);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}

#[tokio::test]
async fn refuses_other_accounts_and_delegates() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let (other, _) = h.sub_dao("compute").await;
    // The treasury (or another sub-DAO's escrow) in place of the escrow.
    for wrong in [
        lattice_sdk::pda::treasury(&sub),
        lattice_sdk::pda::rewards_escrow(&other),
    ] {
        let mut ix = rewards::approve_rewards_delegate(&h.authority.pubkey(), &h.dao(), &sub);
        ix.accounts[3].pubkey = wrong;
        assert_anchor_err(
            h.send(&[ix], &[&h.authority]).await,
            anchor_lang::error::ErrorCode::ConstraintHasOne,
        );
    }
    // Any delegate but this sub-DAO's rewards configuration.
    for wrong in [rewards::rewards_config(&other), h.authority.pubkey()] {
        let mut ix = rewards::approve_rewards_delegate(&h.authority.pubkey(), &h.dao(), &sub);
        ix.accounts[4].pubkey = wrong;
        assert_anchor_err(
            h.send(&[ix], &[&h.authority]).await,
            anchor_lang::error::ErrorCode::ConstraintSeeds,
        );
    }
}
