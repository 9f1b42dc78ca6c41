//! Account constraints no other test triggers (gaps of `docs/CONSTRAINT-COVERAGE.md`): each
//! case swaps one account of a valid instruction and asserts the exact error code.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_lang::error::ErrorCode;
use common::*;
use lattice_sdk::{dc, ChainError};
use solana_sdk::{
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

const ROUTER: Pubkey = Pubkey::new_from_array([42; 32]);

async fn funded() -> Harness {
    let h = Harness::ready().await;
    h.mint_by_main(10_000_000).await.unwrap();
    h
}

/// `good` with account `index` replaced by `key`, paid and signed by `signer`.
async fn swapped(
    h: &Harness,
    good: &Instruction,
    index: usize,
    key: Pubkey,
    signer: &Keypair,
) -> Result<(), ChainError> {
    let mut ix = good.clone();
    ix.accounts[index].pubkey = key;
    lattice_sdk::send::send(&h.chain, &h.opts, &[ix], signer, &[])
        .await
        .map(|_| ())
}

/// A DC account of someone else (same mint, another authority).
async fn someone_elses_dc(h: &Harness) -> Pubkey {
    let someone = Keypair::new();
    h.create_dc_account(&someone.pubkey()).await;
    dc::dc_account(&someone.pubkey(), &h.dao())
}

#[tokio::test]
async fn delegate_dc_refuses_other_accounts() {
    let h = funded().await;
    let sub = h.sub_dao("coverage");
    let good = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 1_000);
    // owner 0, data_credits 1, dc_mint 2, owner_dc 3, sub_dao_dc 4, escrow 5, …
    assert_anchor_err(
        swapped(&h, &good, 2, h.main_mint.pubkey(), &h.payer).await,
        ErrorCode::ConstraintHasOne,
    );
    let other_dc = someone_elses_dc(&h).await;
    assert_anchor_err(
        swapped(&h, &good, 3, other_dc, &h.payer).await,
        ErrorCode::ConstraintTokenOwner,
    );
    let other_escrow = dc::escrow(&sub, &Pubkey::new_unique());
    assert_anchor_err(
        swapped(&h, &good, 5, other_escrow, &h.payer).await,
        ErrorCode::ConstraintSeeds,
    );
    h.send(&[good], &[]).await.unwrap();
}

#[tokio::test]
async fn burn_dc_fee_refuses_other_accounts() {
    let h = funded().await;
    let sub = h.sub_dao("compute");
    let good = dc::burn_dc_fee(&h.payer.pubkey(), &h.dao(), &sub, GENESIS_HOUR, 1_000);
    // owner 0, data_credits 1, dc_mint 2, sub_dao_dc 3, owner_dc 4, dao 5, sub_dao 6, …
    assert_anchor_err(
        swapped(&h, &good, 2, h.main_mint.pubkey(), &h.payer).await,
        ErrorCode::ConstraintHasOne,
    );
    let other_dc = someone_elses_dc(&h).await;
    assert_anchor_err(
        swapped(&h, &good, 4, other_dc, &h.payer).await,
        ErrorCode::ConstraintTokenOwner,
    );
    assert_anchor_err(
        swapped(&h, &good, 5, Pubkey::new_unique(), &h.payer).await,
        ErrorCode::ConstraintAddress,
    );
    assert_anchor_err(
        swapped(&h, &good, 6, h.sub_dao("coverage"), &h.payer).await,
        ErrorCode::ConstraintAddress,
    );
    h.send(&[good], &[]).await.unwrap();
}

#[tokio::test]
async fn burn_and_refund_of_delegated_dc_refuse_other_accounts() {
    let h = funded().await;
    let sub = h.sub_dao("coverage");
    let ix = dc::delegate_dc(&h.payer.pubkey(), &h.dao(), &sub, &ROUTER, 1_000);
    h.send(&[ix], &[]).await.unwrap();
    let burner = &h.burn_authority;
    let burn = dc::burn_delegated_dc(&burner.pubkey(), &h.dao(), &sub, &ROUTER, GENESIS_HOUR, 10);
    // burn_authority 0, data_credits 1, dc_mint 2, sub_dao_dc 3, escrow 4, dao 5, sub_dao 6, …
    assert_anchor_err(
        swapped(&h, &burn, 2, h.main_mint.pubkey(), burner).await,
        ErrorCode::ConstraintHasOne,
    );
    assert_anchor_err(
        swapped(&h, &burn, 5, Pubkey::new_unique(), burner).await,
        ErrorCode::ConstraintAddress,
    );
    assert_anchor_err(
        swapped(&h, &burn, 6, h.sub_dao("compute"), burner).await,
        ErrorCode::ConstraintAddress,
    );
    swapped(&h, &burn, 0, burner.pubkey(), burner)
        .await
        .unwrap();

    let me = dc::dc_account(&h.payer.pubkey(), &h.dao());
    let refund = dc::refund_delegated_dc(&burner.pubkey(), &h.dao(), &sub, &ROUTER, &me, 10);
    // burn_authority 0, data_credits 1, dc_mint 2, sub_dao_dc 3, escrow 4, destination 5, …
    assert_anchor_err(
        swapped(&h, &refund, 2, h.main_mint.pubkey(), burner).await,
        ErrorCode::ConstraintHasOne,
    );
    swapped(&h, &refund, 0, burner.pubkey(), burner)
        .await
        .unwrap();
}
