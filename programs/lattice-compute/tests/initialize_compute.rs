//! `initialize_compute`: the DAO authority creates the configuration for the DAO's compute
//! sub-DAO; every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, InitializeComputeArgs};
use lattice_sdk::compute::{self, ComputeKeys};
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

async fn bare() -> Harness {
    let mut cfg = config();
    cfg.compute.enabled = false;
    let h = Harness::with(cfg).await;
    assert!(!h.exists(&h.config()).await);
    h
}

fn args(oracles: Vec<Pubkey>, threshold: u8) -> InitializeComputeArgs {
    InitializeComputeArgs {
        oracles,
        threshold,
        fault_slash_bps: 1_500,
    }
}

async fn init(
    h: &Harness,
    keys: &ComputeKeys,
    a: InitializeComputeArgs,
) -> Result<(), lattice_sdk::ChainError> {
    let ix = compute::initialize_compute(&h.payer.pubkey(), &h.payer.pubkey(), keys, a);
    h.send(&[ix], &[]).await
}

#[tokio::test]
async fn creates_the_configuration() {
    let h = bare().await;
    init(&h, &h.keys, args(h.oracle_keys(), 2)).await.unwrap();
    let c = h.compute_config().await;
    assert_eq!(c.dao, h.dao());
    assert_eq!(c.authority, h.payer.pubkey());
    assert_eq!(c.compute_sub_dao, h.keys.compute_sub_dao);
    assert_eq!(c.registry, h.keys.registry());
    assert_eq!(c.main_mint, h.main_mint.pubkey());
    assert_eq!(c.dc_mint, lattice_sdk::dc::dc_mint(&h.dao()));
    assert_eq!(c.data_credits, lattice_sdk::dc::data_credits(&h.dao()));
    assert_eq!(
        c.sub_dao_dc,
        lattice_sdk::dc::sub_dao_dc(&h.keys.compute_sub_dao)
    );
    assert_eq!(c.dc_escrow, h.keys.dc_escrow());
    assert_eq!(c.oracles, h.oracle_keys());
    assert_eq!(
        (c.threshold, c.oracle_generation, c.fault_slash_bps),
        (2, 0, 1_500)
    );
    assert_eq!(c.slash_destination, h.keys.slash_destination);
    assert_eq!(c.totals, Default::default());
    assert_eq!(ComputeKeys::load(&h.chain, &h.dao()).await.unwrap(), h.keys);
}

#[tokio::test]
async fn an_empty_oracle_set_is_allowed() {
    let h = bare().await;
    init(&h, &h.keys, args(vec![], 0)).await.unwrap();
    assert!(h.compute_config().await.oracles.is_empty());
}

#[tokio::test]
async fn refuses_anyone_but_the_dao_authority() {
    let h = bare().await;
    let stranger = Keypair::new();
    let ix = compute::initialize_compute(
        &h.payer.pubkey(),
        &stranger.pubkey(),
        &h.keys,
        args(vec![], 0),
    );
    assert_compute_err(
        h.send(&[ix], &[&stranger]).await,
        ComputeError::Unauthorized,
    );
}

#[tokio::test]
async fn refuses_a_sub_dao_other_than_the_registrys_compute_sub_dao() {
    let h = bare().await;
    let keys = ComputeKeys {
        compute_sub_dao: lattice_sdk::pda::sub_dao(&h.dao(), "coverage"),
        ..h.keys
    };
    assert_compute_err(
        init(&h, &keys, args(vec![], 0)).await,
        ComputeError::WrongSubDao,
    );
}

#[tokio::test]
async fn refuses_a_slash_destination_of_another_mint() {
    let h = bare().await;
    let keys = ComputeKeys {
        slash_destination: lattice_sdk::pda::rewards_escrow(&h.keys.compute_sub_dao),
        ..h.keys
    };
    assert_anchor_err(
        init(&h, &keys, args(vec![], 0)).await,
        anchor_lang::error::ErrorCode::ConstraintTokenMint,
    );
}

#[tokio::test]
async fn refuses_unsafe_oracle_sets() {
    let h = bare().await;
    let k = h.oracle_keys();
    for (oracles, threshold) in [
        (vec![], 1),
        (vec![k[0]], 1),
        (vec![k[0], k[1]], 1),
        (vec![k[0], k[0]], 2),
        (k.clone(), 1),
        (k.clone(), 4),
    ] {
        assert_compute_err(
            init(&h, &h.keys, args(oracles.clone(), threshold)).await,
            ComputeError::InvalidOracleSet,
        );
    }
}

#[tokio::test]
async fn refuses_a_fault_slash_above_100_percent() {
    let h = bare().await;
    let mut a = args(vec![], 0);
    a.fault_slash_bps = 10_001;
    assert_compute_err(
        init(&h, &h.keys, a).await,
        ComputeError::InvalidComputeParams,
    );
    let mut a = args(vec![], 0);
    a.fault_slash_bps = 10_000;
    init(&h, &h.keys, a).await.unwrap();
}

#[tokio::test]
async fn refuses_a_second_initialization_and_another_address() {
    let h = bare().await;
    let mut ix = compute::initialize_compute(
        &h.payer.pubkey(),
        &h.payer.pubkey(),
        &h.keys,
        args(vec![], 0),
    );
    // payer, authority, dao, compute_sub_dao, registry, data_credits, sub_dao_dc,
    // slash_destination, config 8
    ix.accounts[8].pubkey = Pubkey::new_unique();
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // A pre-funded configuration address does not block it.
    h.chain.airdrop(&h.config(), 1_000_000).await.unwrap();
    init(&h, &h.keys, args(vec![], 0)).await.unwrap();
    assert_compute_err(
        init(&h, &h.keys, args(h.oracle_keys(), 2)).await,
        ComputeError::AlreadyInitialized,
    );
}
