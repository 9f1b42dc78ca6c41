//! Account constraints no other test triggers (gaps of `docs/CONSTRAINT-COVERAGE.md`): each
//! case swaps one account of a valid instruction and asserts the exact error code.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_lang::error::ErrorCode;
use common::*;
use lattice_registry::RegistryError;
use lattice_sdk::registry;
use solana_sdk::{
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

const TOKENS_100: u64 = 100_000_000;

/// `good` with account `index` replaced by `key`, sent with `signers` besides the payer.
async fn swapped(
    h: &Harness,
    good: &Instruction,
    index: usize,
    key: Pubkey,
    signers: &[&Keypair],
) -> Result<(), lattice_sdk::ChainError> {
    let mut ix = good.clone();
    ix.accounts[index].pubkey = key;
    h.send(&[ix], signers).await
}

#[tokio::test]
async fn register_hotspot_refuses_other_accounts() {
    let h = Harness::new(TOKENS_100).await;
    let device = Keypair::new();
    let good = registry::register_hotspot(
        &h.payer.pubkey(),
        &device.pubkey(),
        &h.keys,
        h.hour(),
        location(),
    );
    // owner 0, device 1, registry 2, hotspot 3, dao 4, sub_dao 5, …
    let other_hotspot = registry::hotspot(&Keypair::new().pubkey());
    assert_code(
        swapped(&h, &good, 3, other_hotspot, &[&device]).await,
        ErrorCode::ConstraintSeeds.into(),
    );
    assert_code(
        swapped(&h, &good, 4, Pubkey::new_unique(), &[&device]).await,
        ErrorCode::ConstraintAddress.into(),
    );
    assert_reg_err(
        swapped(&h, &good, 5, h.keys.compute, &[&device]).await,
        RegistryError::WrongSubDao,
    );
    h.send(&[good], &[&device]).await.unwrap();
}

#[tokio::test]
async fn register_gpu_node_refuses_other_accounts() {
    let h = Harness::new(TOKENS_100).await;
    let device = Keypair::new();
    let good = registry::register_gpu_node(
        &h.payer.pubkey(),
        &device.pubkey(),
        &h.keys,
        h.hour(),
        gpu_specs(1),
    );
    // owner 0, device 1, registry 2, gpu_node 3, owner_main 4, stake_vault 5, dao 6, sub_dao 7, …
    let other_node = registry::gpu_node(&Keypair::new().pubkey());
    assert_code(
        swapped(&h, &good, 3, other_node, &[&device]).await,
        ErrorCode::ConstraintSeeds.into(),
    );
    assert_code(
        swapped(&h, &good, 6, Pubkey::new_unique(), &[&device]).await,
        ErrorCode::ConstraintAddress.into(),
    );
    assert_reg_err(
        swapped(&h, &good, 7, h.keys.coverage, &[&device]).await,
        RegistryError::WrongSubDao,
    );
    h.send(&[good], &[&device]).await.unwrap();
}

#[tokio::test]
async fn hotspot_instructions_refuse_other_accounts() {
    let h = Harness::new(TOKENS_100).await;
    let (device, other) = (Keypair::new(), Keypair::new());
    h.register_hotspot(&device, location()).await.unwrap();
    h.register_hotspot(
        &other,
        lattice_registry::HotspotLocation {
            location: cell(12, 0.02),
            ..location()
        },
    )
    .await
    .unwrap();
    let me = h.payer.pubkey();
    let assert_ix = registry::assert_location(&me, &device.pubkey(), &h.keys, h.hour(), location());
    let close = registry::close_hotspot(&me, &device.pubkey(), &h.keys);
    // Both: owner 0, device 1, registry 2, hotspot 3, dao 4, sub_dao 5, …
    for good in [&assert_ix, &close] {
        assert_code(
            swapped(&h, good, 3, registry::hotspot(&other.pubkey()), &[]).await,
            ErrorCode::ConstraintSeeds.into(),
        );
        assert_code(
            swapped(&h, good, 4, Pubkey::new_unique(), &[]).await,
            ErrorCode::ConstraintAddress.into(),
        );
        assert_reg_err(
            swapped(&h, good, 5, h.keys.compute, &[]).await,
            RegistryError::WrongSubDao,
        );
    }
    h.send(&[close], &[]).await.unwrap();
}

#[tokio::test]
async fn gpu_node_instructions_refuse_other_accounts_and_strangers() {
    let h = Harness::new(TOKENS_100).await;
    let (device, other) = (Keypair::new(), Keypair::new());
    h.register_gpu(&device, gpu_specs(1)).await.unwrap();
    h.register_gpu(&other, gpu_specs(1)).await.unwrap();
    let me = h.payer.pubkey();
    let other_node = registry::gpu_node(&other.pubkey());

    // request_unstake: owner 0, device 1, registry 2, gpu_node 3, dao 4, sub_dao 5, …
    let req = registry::request_unstake(&me, &device.pubkey(), &h.keys);
    assert_code(
        swapped(&h, &req, 3, other_node, &[]).await,
        ErrorCode::ConstraintSeeds.into(),
    );
    assert_code(
        swapped(&h, &req, 4, Pubkey::new_unique(), &[]).await,
        ErrorCode::ConstraintAddress.into(),
    );
    assert_reg_err(
        swapped(&h, &req, 5, h.keys.coverage, &[]).await,
        RegistryError::WrongSubDao,
    );

    // close_gpu_node: owner 0, device 1, registry 2, gpu_node 3, stake_vault 4, owner_main 5, …
    let close = registry::close_gpu_node(&me, &device.pubkey(), &h.keys);
    assert_code(
        swapped(&h, &close, 3, other_node, &[]).await,
        ErrorCode::ConstraintSeeds.into(),
    );
    // A main-token account of someone else, in place of the stake vault (not its PDA) and of
    // the owner's account (not the owner's).
    let someone = Keypair::new();
    let ata = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        &me,
        &someone.pubkey(),
        &h.main_mint.pubkey(),
        &anchor_spl::token::ID,
    );
    h.send(&[ata], &[]).await.unwrap();
    let someones = lattice_sdk::pda::associated_token(&someone.pubkey(), &h.main_mint.pubkey());
    assert_code(
        swapped(&h, &close, 4, someones, &[]).await,
        ErrorCode::ConstraintSeeds.into(),
    );
    assert_code(
        swapped(&h, &close, 5, someones, &[]).await,
        ErrorCode::ConstraintTokenOwner.into(),
    );
    // A stranger signing as the owner (with the real owner's token account).
    let stranger = Keypair::new();
    assert_reg_err(
        swapped(&h, &close, 0, stranger.pubkey(), &[&stranger]).await,
        RegistryError::NotOwner,
    );
}
