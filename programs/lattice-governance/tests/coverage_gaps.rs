//! Account constraints no other test triggers (gaps of `docs/CONSTRAINT-COVERAGE.md`): each
//! case swaps one account of a valid instruction and asserts the exact error code.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_lang::error::ErrorCode;
use common::*;
use lattice_governance::LockKind;
use lattice_sdk::governance as gov;
use solana_sdk::{instruction::Instruction, pubkey::Pubkey, signature::Signer};

fn with(good: &Instruction, index: usize, key: Pubkey) -> Instruction {
    let mut ix = good.clone();
    ix.accounts[index].pubkey = key;
    ix
}

#[tokio::test]
async fn lock_refuses_other_accounts() {
    let h = Harness::new().await;
    let (alice, bob) = (h.holder().await, h.holder().await);
    let me = alice.pubkey();
    let good = h.lock_ix(&me, 0, LAT, LockKind::Cliff, 10);
    // owner 0, governance 1, position 2, vault 3, owner_tokens 4, main_mint 5, …
    let elsewhere = h.position_key(&me, 1);
    assert_code(
        h.send(&[with(&good, 2, elsewhere)], &[&alice]).await,
        ErrorCode::ConstraintSeeds.into(),
    );
    assert_code(
        h.send(
            &[with(&good, 3, gov::position_vault(&elsewhere))],
            &[&alice],
        )
        .await,
        ErrorCode::ConstraintSeeds.into(),
    );
    assert_code(
        h.send(&[with(&good, 4, h.ata(&bob.pubkey()))], &[&alice])
            .await,
        ErrorCode::ConstraintTokenOwner.into(),
    );
    let other_mint = h.sub_dao(&h.subs[0]).await.mint;
    assert_code(
        h.send(&[with(&good, 5, other_mint)], &[&alice]).await,
        ErrorCode::ConstraintHasOne.into(),
    );
    h.send(&[good], &[&alice]).await.unwrap();
}

#[tokio::test]
async fn withdraw_refuses_another_positions_vault() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let me = alice.pubkey();
    let first = h.lock(&alice, 0, LAT, LockKind::Cliff, 1).await.unwrap();
    let second = h.lock(&alice, 1, LAT, LockKind::Cliff, 1).await.unwrap();
    let good = gov::withdraw(&me, &h.dao, &first, &h.ata(&me));
    // owner 0, governance 1, position 2, vault 3, owner_tokens 4, …
    assert_code(
        h.send(&[with(&good, 3, gov::position_vault(&second))], &[&alice])
            .await,
        ErrorCode::ConstraintSeeds.into(),
    );
}
