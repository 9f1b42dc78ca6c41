//! `track_dc_burn`: only the data-credits PDA can move the D input. The happy path (a CPI from
//! the data-credits program) is tested in `programs/lattice-data-credits/tests` and in the
//! cross-program scenario `tests/tests/utility_split.rs`.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn refuses_any_signer_but_the_data_credits_pda() {
    let h = Harness::with_dao().await;
    let impostor = Keypair::new();
    let sub = h.view().await.sub_daos[0].0;
    let ix = lattice_sdk::ix::track_dc_burn(
        &h.payer.pubkey(),
        &impostor.pubkey(),
        &h.dao(),
        &sub,
        GENESIS_HOUR,
        1_000_000,
        false,
    );
    assert_anchor_err(
        h.send(&[ix], &[&impostor]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // The right address, but without its signature (only the program can sign for it).
    let pda = lattice_sdk::dc::data_credits(&h.dao());
    let mut ix = lattice_sdk::ix::track_dc_burn(
        &h.payer.pubkey(),
        &pda,
        &h.dao(),
        &sub,
        GENESIS_HOUR,
        1_000_000,
        false,
    );
    ix.accounts[1].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}
