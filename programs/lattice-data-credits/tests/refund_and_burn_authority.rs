//! `refund_delegated_dc`, `set_burn_authority`, and `burn_delegated_dc` with a separate rent
//! payer (for a burn authority that cannot pay rent, like a program's configuration PDA).

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::SubDaoEpoch;
use lattice_data_credits::{DcError, SubDaoDc};
use lattice_sdk::{accounts::mint_supply, dc, Chain};
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

const PAYER_KEY: Pubkey = Pubkey::new_from_array([43; 32]);

/// The payer holds DC and delegated 1,000 DC to `PAYER_KEY` in the compute sub-DAO.
async fn delegated() -> Harness {
    let h = Harness::ready().await;
    h.mint_by_main(10_000_000).await.unwrap();
    let ix = dc::delegate_dc(
        &h.payer.pubkey(),
        &h.dao(),
        &h.sub_dao("compute"),
        &PAYER_KEY,
        1_000,
    );
    h.send(&[ix], &[]).await.unwrap();
    h
}

async fn supply(h: &Harness) -> u64 {
    let acct = h
        .chain
        .get_account(&dc::dc_mint(&h.dao()))
        .await
        .unwrap()
        .unwrap();
    mint_supply(&acct.data[..82]).unwrap()
}

async fn send_as(
    h: &Harness,
    signer: &Keypair,
    ix: solana_sdk::instruction::Instruction,
) -> Result<(), lattice_sdk::ChainError> {
    lattice_sdk::send::send(&h.chain, &h.opts, &[ix], signer, &[])
        .await
        .map(|_| ())
}

#[tokio::test]
async fn refunds_to_any_dc_account_without_changing_the_supply() {
    let h = delegated().await;
    let sub = h.sub_dao("compute");
    let friend = Pubkey::new_unique();
    h.create_dc_account(&friend).await;
    let before = supply(&h).await;
    let ix = dc::refund_delegated_dc(
        &h.burn_authority.pubkey(),
        &h.dao(),
        &sub,
        &PAYER_KEY,
        &dc::dc_account(&friend, &h.dao()),
        300,
    );
    send_as(&h, &h.burn_authority, ix).await.unwrap();
    assert_eq!(h.dc_balance(&friend).await, 300);
    assert_eq!(h.token_amount(&dc::escrow(&sub, &PAYER_KEY)).await, 700);
    assert_eq!(supply(&h).await, before, "burn + mint");
    let s: SubDaoDc = h.fetch(&dc::sub_dao_dc(&sub)).await.unwrap();
    assert_eq!(s.dc_burned, 0, "a refund is not usage");
}

#[tokio::test]
async fn refund_refuses_zero_overdraft_and_other_signers() {
    let h = delegated().await;
    let sub = h.sub_dao("compute");
    let to = dc::dc_account(&h.payer.pubkey(), &h.dao());
    let refund = |signer: &Pubkey, amount| {
        dc::refund_delegated_dc(signer, &h.dao(), &sub, &PAYER_KEY, &to, amount)
    };
    let burner = &h.burn_authority;
    assert_dc_err(
        send_as(&h, burner, refund(&burner.pubkey(), 0)).await,
        DcError::InvalidAmount,
    );
    assert_dc_err(
        send_as(&h, burner, refund(&burner.pubkey(), 1_001)).await,
        DcError::InsufficientDc,
    );
    let thief = Keypair::new();
    h.chain
        .airdrop(&thief.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    assert_dc_err(
        send_as(&h, &thief, refund(&thief.pubkey(), 1)).await,
        DcError::WrongBurnAuthority,
    );
    send_as(&h, burner, refund(&burner.pubkey(), 1_000))
        .await
        .unwrap();
}

#[tokio::test]
async fn refund_takes_only_this_sub_daos_escrow_and_pays_only_dc() {
    let h = delegated().await;
    let (coverage, compute) = (h.sub_dao("coverage"), h.sub_dao("compute"));
    let to = dc::dc_account(&h.payer.pubkey(), &h.dao());
    let burner = &h.burn_authority;
    // Burning "for coverage" from compute's escrow.
    let mut ix = dc::refund_delegated_dc(&burner.pubkey(), &h.dao(), &coverage, &PAYER_KEY, &to, 1);
    // burn_authority, data_credits, dc_mint, sub_dao_dc, escrow 4, destination 5, …
    ix.accounts[4].pubkey = dc::escrow(&compute, &PAYER_KEY);
    assert_anchor_err(
        send_as(&h, burner, ix).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // A main-token account is not a DC account.
    let main = lattice_sdk::pda::associated_token(&h.payer.pubkey(), &h.main_mint.pubkey());
    let ix = dc::refund_delegated_dc(&burner.pubkey(), &h.dao(), &compute, &PAYER_KEY, &main, 1);
    assert_anchor_err(
        send_as(&h, burner, ix).await,
        anchor_lang::error::ErrorCode::ConstraintTokenMint,
    );
    assert_eq!(
        h.token_amount(&dc::escrow(&compute, &PAYER_KEY)).await,
        1_000
    );
}

#[tokio::test]
async fn a_separate_rent_payer_pays_for_the_hour_record() {
    let h = delegated().await;
    let sub = h.sub_dao("compute");
    // A burn authority with no lamports at all.
    let pda_like = Keypair::new();
    let ix = dc::set_burn_authority(&h.payer.pubkey(), &h.dao(), &sub, &pda_like.pubkey());
    h.send(&[ix], &[]).await.unwrap();
    let hour = lattice_math::epoch::hour_of(h.chain.unix_timestamp().await.unwrap());
    let ix = dc::burn_delegated_dc_with_payer(
        &h.payer.pubkey(),
        &pda_like.pubkey(),
        &h.dao(),
        &sub,
        &PAYER_KEY,
        hour,
        250,
    );
    h.send(&[ix], &[&pda_like]).await.unwrap();
    let usage: SubDaoEpoch = h
        .fetch(&lattice_sdk::pda::sub_dao_epoch(&sub, hour))
        .await
        .unwrap();
    assert_eq!(usage.dc_burned, 250);
    assert!(h
        .chain
        .get_account(&pda_like.pubkey())
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn the_dao_authority_replaces_a_burn_authority() {
    let h = delegated().await;
    let sub = h.sub_dao("compute");
    let next = Keypair::new();
    h.chain
        .airdrop(&next.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let ix = dc::set_burn_authority(&h.payer.pubkey(), &h.dao(), &sub, &next.pubkey());
    h.send(&[ix], &[]).await.unwrap();
    let s: SubDaoDc = h.fetch(&dc::sub_dao_dc(&sub)).await.unwrap();
    assert_eq!(s.burn_authority, next.pubkey());
    let hour = lattice_math::epoch::hour_of(h.chain.unix_timestamp().await.unwrap());
    let burn = |who: &Pubkey| dc::burn_delegated_dc(who, &h.dao(), &sub, &PAYER_KEY, hour, 1);
    assert_dc_err(
        send_as(&h, &h.burn_authority, burn(&h.burn_authority.pubkey())).await,
        DcError::WrongBurnAuthority,
    );
    send_as(&h, &next, burn(&next.pubkey())).await.unwrap();
    // Only this sub-DAO changed.
    let coverage: SubDaoDc = h
        .fetch(&dc::sub_dao_dc(&h.sub_dao("coverage")))
        .await
        .unwrap();
    assert_eq!(coverage.burn_authority, h.burn_authority.pubkey());
}

#[tokio::test]
async fn only_the_dc_authority_sets_a_burn_authority() {
    let h = delegated().await;
    let sub = h.sub_dao("compute");
    let stranger = Keypair::new();
    let ix = dc::set_burn_authority(&stranger.pubkey(), &h.dao(), &sub, &stranger.pubkey());
    assert_dc_err(h.send(&[ix], &[&stranger]).await, DcError::Unauthorized);
    let ix = dc::set_burn_authority(&h.payer.pubkey(), &h.dao(), &sub, &Pubkey::default());
    assert_dc_err(h.send(&[ix], &[]).await, DcError::InvalidParameter);
}
