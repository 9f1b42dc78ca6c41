//! `update_active_devices`: only the registry PDA can move the A input. The happy path (a CPI
//! from the registry) is tested with the registry program.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn refuses_any_signer_but_the_registry_pda() {
    let h = Harness::with_dao().await;
    let impostor = Keypair::new();
    let sub = h.view().await.sub_daos[0].0;
    let ix = lattice_sdk::ix::update_active_devices(&impostor.pubkey(), &h.dao(), &sub, 1_000);
    assert_anchor_err(
        h.send(&[ix], &[&impostor]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    let (registry, _) = solana_sdk::pubkey::Pubkey::find_program_address(
        &[lattice_dao::REGISTRY_SEED, h.dao().as_ref()],
        &lattice_dao::REGISTRY_PROGRAM_ID,
    );
    let mut ix = lattice_sdk::ix::update_active_devices(&registry, &h.dao(), &sub, 1_000);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}
