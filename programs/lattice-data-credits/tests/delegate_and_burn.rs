//! `delegate_dc`, `burn_delegated_dc`, `burn_dc_fee`, and DC's non-transferability.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::SubDaoEpoch;
use lattice_data_credits::{DcError, SubDaoDc};
use lattice_sdk::dc;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

const ROUTER: Pubkey = Pubkey::new_from_array([42; 32]);

async fn funded() -> Harness {
    let h = Harness::ready().await;
    h.mint_by_main(10_000_000).await.unwrap(); // 2,490,000 DC
    h
}

#[tokio::test]
async fn delegates_into_a_sub_dao_payer_escrow() {
    let h = funded().await;
    let sub = h.sub_dao("coverage");
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 1_000_000);
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.dc_balance(&h.payer.pubkey()).await, 1_490_000);
    assert_eq!(h.token_amount(&dc::escrow(&sub, &ROUTER)).await, 1_000_000);
    // Again: the escrow exists and is topped up.
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 490_000);
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.token_amount(&dc::escrow(&sub, &ROUTER)).await, 1_490_000);
}

#[tokio::test]
async fn delegate_refuses_zero_and_overdraft() {
    let h = funded().await;
    let sub = h.sub_dao("coverage");
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 0);
    assert_dc_err(h.send(&[ix], &[]).await, DcError::InvalidAmount);
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 2_490_001);
    assert_dc_err(h.send(&[ix], &[]).await, DcError::InsufficientDc);
}

#[tokio::test]
async fn prefunded_escrow_address_does_not_block_delegation() {
    let h = funded().await;
    let sub = h.sub_dao("compute");
    h.chain
        .airdrop(&dc::escrow(&sub, &ROUTER), 1_000_000)
        .await
        .unwrap();
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 10);
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.token_amount(&dc::escrow(&sub, &ROUTER)).await, 10);
}

#[tokio::test]
async fn dc_cannot_be_transferred() {
    let h = funded().await;
    let friend = Pubkey::new_unique();
    h.create_dc_account(&friend).await;
    let ix = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &anchor_spl::token_2022::ID,
        &dc::dc_account(&h.payer.pubkey(), &h.dao()),
        &dc::dc_mint(&h.dao()),
        &dc::dc_account(&friend, &h.dao()),
        &h.payer.pubkey(),
        &[],
        100,
        0,
    )
    .unwrap();
    let err = h.send(&[ix], &[]).await.unwrap_err();
    // Token-2022's NonTransferable error.
    let code = anchor_spl::token_2022::spl_token_2022::error::TokenError::NonTransferable as u32;
    assert_eq!(err.custom_code(), Some(code), "{err}");
    assert_eq!(h.dc_balance(&friend).await, 0);
}

#[tokio::test]
async fn burn_authority_burns_delegated_dc_into_the_current_hour() {
    let h = funded().await;
    let sub = h.sub_dao("coverage");
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 1_000_000);
    h.send(&[ix], &[]).await.unwrap();
    let burner = &h.burn_authority;
    let burn = |amount| {
        dc::burn_delegated_dc(
            &burner.pubkey(),
            &h.dao(),
            &sub,
            &ROUTER,
            GENESIS_HOUR,
            amount,
        )
    };
    lattice_sdk::send::send(&h.chain, &h.opts, &[burn(300)], burner, &[])
        .await
        .unwrap();
    lattice_sdk::send::send(&h.chain, &h.opts, &[burn(200)], burner, &[])
        .await
        .unwrap();
    let usage: SubDaoEpoch = h
        .fetch(&lattice_sdk::pda::sub_dao_epoch(&sub, GENESIS_HOUR))
        .await
        .unwrap();
    assert_eq!(
        (usage.hour, usage.dc_burned, usage.fees_burned),
        (GENESIS_HOUR, 500, 0)
    );
    let s: SubDaoDc = h.fetch(&dc::sub_dao_dc(&sub)).await.unwrap();
    assert_eq!(s.dc_burned, 500);
    assert_eq!(h.token_amount(&dc::escrow(&sub, &ROUTER)).await, 999_500);

    // Next hour goes into the next record; naming the old hour's record is refused.
    h.chain.set_unix_timestamp(NOW + HOUR).await.unwrap();
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[burn(1)], burner, &[]).await;
    assert_anchor_err(res, anchor_lang::error::ErrorCode::ConstraintSeeds);
    let next = dc::burn_delegated_dc(
        &burner.pubkey(),
        &h.dao(),
        &sub,
        &ROUTER,
        GENESIS_HOUR + 1,
        7,
    );
    lattice_sdk::send::send(&h.chain, &h.opts, &[next], burner, &[])
        .await
        .unwrap();
    let usage: SubDaoEpoch = h
        .fetch(&lattice_sdk::pda::sub_dao_epoch(&sub, GENESIS_HOUR + 1))
        .await
        .unwrap();
    assert_eq!(usage.dc_burned, 7);
}

#[tokio::test]
async fn only_the_burn_authority_burns_delegated_dc() {
    let h = funded().await;
    let sub = h.sub_dao("coverage");
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 1_000);
    h.send(&[ix], &[]).await.unwrap();
    let thief = Keypair::new();
    h.chain
        .airdrop(&thief.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let ix = dc::burn_delegated_dc(&thief.pubkey(), &h.dao(), &sub, &ROUTER, GENESIS_HOUR, 10);
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], &thief, &[]).await;
    assert_dc_err(res, DcError::WrongBurnAuthority);
    // Zero and overdraft.
    let burner = &h.burn_authority;
    let ix = dc::burn_delegated_dc(&burner.pubkey(), &h.dao(), &sub, &ROUTER, GENESIS_HOUR, 0);
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], burner, &[]).await;
    assert_dc_err(res, DcError::InvalidAmount);
    let ix = dc::burn_delegated_dc(
        &burner.pubkey(),
        &h.dao(),
        &sub,
        &ROUTER,
        GENESIS_HOUR,
        1_001,
    );
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], burner, &[]).await;
    assert_dc_err(res, DcError::InsufficientDc);
}

#[tokio::test]
async fn a_burn_authority_cannot_burn_another_sub_daos_escrow() {
    let h = funded().await;
    let coverage = h.sub_dao("coverage");
    let compute = h.sub_dao("compute");
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &compute, &ROUTER, 1_000);
    h.send(&[ix], &[]).await.unwrap();
    // The coverage burn authority names compute's escrow while burning "for coverage".
    let burner = &h.burn_authority;
    let mut ix = dc::burn_delegated_dc(
        &burner.pubkey(),
        &h.dao(),
        &coverage,
        &ROUTER,
        GENESIS_HOUR,
        10,
    );
    ix.accounts[4].pubkey = dc::escrow(&compute, &ROUTER);
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], burner, &[]).await;
    assert_anchor_err(res, anchor_lang::error::ErrorCode::ConstraintSeeds);
    assert_eq!(h.token_amount(&dc::escrow(&compute, &ROUTER)).await, 1_000);
}

#[tokio::test]
async fn fee_burns_are_recorded_separately() {
    let h = funded().await;
    let sub = h.sub_dao("compute");
    let ix = dc::burn_dc_fee(
        &h.payer.pubkey(),
        &h.dao(),
        &sub,
        GENESIS_HOUR,
        4_000_000 / 100,
    );
    h.send(&[ix], &[]).await.unwrap();
    let usage: SubDaoEpoch = h
        .fetch(&lattice_sdk::pda::sub_dao_epoch(&sub, GENESIS_HOUR))
        .await
        .unwrap();
    assert_eq!((usage.dc_burned, usage.fees_burned), (0, 40_000));
    let s: SubDaoDc = h.fetch(&dc::sub_dao_dc(&sub)).await.unwrap();
    assert_eq!((s.dc_burned, s.fees_burned), (0, 40_000));
    assert_eq!(h.dc_balance(&h.payer.pubkey()).await, 2_490_000 - 40_000);

    let ix = dc::burn_dc_fee(&h.payer.pubkey(), &h.dao(), &sub, GENESIS_HOUR, 0);
    assert_dc_err(h.send(&[ix], &[]).await, DcError::InvalidAmount);
    let ix = dc::burn_dc_fee(&h.payer.pubkey(), &h.dao(), &sub, GENESIS_HOUR, 10_000_000);
    assert_dc_err(h.send(&[ix], &[]).await, DcError::InsufficientDc);
    let ix = dc::burn_dc_fee(&h.payer.pubkey(), &h.dao(), &sub, GENESIS_HOUR - 1, 1);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
}
