//! Account constraints no other test triggers (gaps of `docs/CONSTRAINT-COVERAGE.md`): each
//! case swaps one account of a valid instruction, or passes another DAO's sub-DAO, and asserts
//! the exact error code.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_lang::error::ErrorCode;
use common::*;
use lattice_sdk::{conversion, ix, rewards};
use solana_sdk::{
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

fn with(good: &Instruction, index: usize, key: Pubkey) -> Instruction {
    let mut ix = good.clone();
    ix.accounts[index].pubkey = key;
    ix
}

#[tokio::test]
async fn add_sub_dao_refuses_other_accounts() {
    let h = Harness::with_dao().await;
    let mint = Keypair::new();
    let good = ix::add_sub_dao(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.main_mint.pubkey(),
        &mint.pubkey(),
        sub_args("third"),
    );
    let signers = [&h.authority, &mint];
    // payer 0, authority 1, dao 2, main_mint 3, sub_dao 4, sub_dao_mint 5, treasury 6,
    // delegator_pool 7, rewards_escrow 8, …
    let (_, coverage) = h.sub_dao("coverage").await;
    assert_anchor_err(
        h.send(&[with(&good, 3, coverage.mint)], &signers).await,
        ErrorCode::ConstraintHasOne,
    );
    let elsewhere = lattice_sdk::pda::sub_dao(&h.dao(), "fourth");
    for (index, key) in [
        (4, elsewhere),
        (6, lattice_sdk::pda::treasury(&elsewhere)),
        (7, lattice_sdk::pda::delegator_pool(&elsewhere)),
        (8, lattice_sdk::pda::rewards_escrow(&elsewhere)),
    ] {
        assert_anchor_err(
            h.send(&[with(&good, index, key)], &signers).await,
            ErrorCode::ConstraintSeeds,
        );
    }
    h.send(&[good], &signers).await.unwrap();
}

#[tokio::test]
async fn initialize_dao_refuses_another_dao_address() {
    let h = Harness::new().await;
    let good = h.init_ix(main_args());
    // payer 0, authority 1, main_mint 2, dao 3, …
    let other = lattice_sdk::pda::dao(&Pubkey::new_unique());
    assert_anchor_err(
        h.send(&[with(&good, 3, other)], &[&h.authority, &h.main_mint])
            .await,
        ErrorCode::ConstraintSeeds,
    );
    h.send(&[good], &[&h.authority, &h.main_mint])
        .await
        .unwrap();
}

#[tokio::test]
async fn refuses_a_sub_dao_of_another_dao() {
    let h = Harness::with_dao().await;
    let other = h.second_dao();
    other.init(main_args()).await.unwrap();
    let foreign = other.add_sub(sub_args("coverage")).await.unwrap();
    other
        .init_conversion(&foreign, conversion_params())
        .await
        .unwrap();
    let (_, foreign_sub) = other.sub_dao("coverage").await;

    let ix = rewards::approve_rewards_delegate(&h.authority.pubkey(), &h.dao(), &foreign);
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        ErrorCode::ConstraintHasOne,
    );
    let ix = conversion::set_conversion_params(
        &h.authority.pubkey(),
        &h.dao(),
        &foreign,
        conversion_params(),
    );
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        ErrorCode::ConstraintHasOne,
    );
    // A foreign sub-DAO without a conversion yet (so that the init accounts are free).
    let fresh = other.add_sub(sub_args("compute")).await.unwrap();
    let (_, fresh_sub) = other.sub_dao("compute").await;
    let ix = conversion::init_conversion(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.dao(),
        &fresh,
        &fresh_sub.mint,
        conversion_params(),
    );
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        ErrorCode::ConstraintHasOne,
    );
    assert_ne!(foreign_sub.mint, fresh_sub.mint);
}
