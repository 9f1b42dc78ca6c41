//! `set_compute_params`: the configuration's authority hands over authority and changes the fault
//! slash and the slash destination.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, ComputeParams};
use lattice_sdk::compute::{self, ComputeKeys};
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn changes_the_parameters_and_hands_over_authority() {
    let h = Harness::new().await;
    let governance = Keypair::new();
    let dest = lattice_sdk::pda::associated_token(&h.payer.pubkey(), &h.main_mint.pubkey());
    let keys = ComputeKeys {
        slash_destination: dest,
        ..h.keys
    };
    let params = ComputeParams {
        authority: governance.pubkey(),
        fault_slash_bps: 10_000,
    };
    let ix = compute::set_compute_params(&h.payer.pubkey(), &keys, params);
    h.send(std::slice::from_ref(&ix), &[]).await.unwrap();
    let c = h.compute_config().await;
    assert_eq!(
        (c.authority, c.fault_slash_bps, c.slash_destination),
        (governance.pubkey(), 10_000, dest)
    );
    // The old authority no longer can; the new one can.
    assert_compute_err(h.send(&[ix], &[]).await, ComputeError::Unauthorized);
    let ix = compute::set_oracles(&governance.pubkey(), &h.keys, vec![], 0);
    h.send(&[ix], &[&governance]).await.unwrap();
}

#[tokio::test]
async fn refuses_invalid_parameters() {
    let h = Harness::new().await;
    let me = h.payer.pubkey();
    for params in [
        ComputeParams {
            authority: me,
            fault_slash_bps: 10_001,
        },
        ComputeParams {
            authority: Pubkey::default(),
            fault_slash_bps: 100,
        },
    ] {
        let ix = compute::set_compute_params(&me, &h.keys, params);
        assert_compute_err(h.send(&[ix], &[]).await, ComputeError::InvalidComputeParams);
    }
}

#[tokio::test]
async fn refuses_another_signer_and_a_foreign_mint_destination() {
    let h = Harness::new().await;
    let stranger = Keypair::new();
    let params = ComputeParams {
        authority: stranger.pubkey(),
        fault_slash_bps: 100,
    };
    let ix = compute::set_compute_params(&stranger.pubkey(), &h.keys, params);
    assert_compute_err(
        h.send(&[ix], &[&stranger]).await,
        ComputeError::Unauthorized,
    );
    let keys = ComputeKeys {
        slash_destination: lattice_sdk::pda::rewards_escrow(&h.keys.compute_sub_dao),
        ..h.keys
    };
    let ix = compute::set_compute_params(&h.payer.pubkey(), &keys, params);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintTokenMint,
    );
}
