//! `initialize_registry`: parameters and authority.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_registry::{Registry, RegistryError, RegistryParams};
use lattice_sdk::registry;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn bootstrap_initializes_the_registry_from_config() {
    let h = Harness::new(0).await;
    let reg: Registry = h.fetch(&registry::registry(&h.keys.dao)).await.unwrap();
    assert_eq!(reg.params, h.cfg.registry_params().unwrap());
    assert_eq!(reg.coverage_sub_dao, h.keys.coverage);
    assert_eq!(reg.compute_sub_dao, h.keys.compute);
    assert_eq!(reg.params.unstake_cooldown_secs, 14 * 86_400);
}

#[tokio::test]
async fn refuses_bad_params_and_strangers() {
    // A second DAO in the same bank, without a registry yet.
    let h = Harness::new(0).await;
    let cfg = config();
    let main_mint = Keypair::new();
    let other = lattice_migrations::bootstrap::registry_keys(&cfg, &main_mint.pubkey());
    // Bootstrap the DAO and sub-DAOs only.
    for ix in [lattice_sdk::ix::initialize_dao(
        &h.payer.pubkey(),
        &h.payer.pubkey(),
        &main_mint.pubkey(),
        &h.payer.pubkey(),
        cfg.initialize_args().unwrap(),
    )] {
        h.send(&[ix], &[&main_mint]).await.unwrap();
    }
    for name in ["coverage", "compute"] {
        let mint = Keypair::new();
        let ix = lattice_sdk::ix::add_sub_dao(
            &h.payer.pubkey(),
            &h.payer.pubkey(),
            &main_mint.pubkey(),
            &mint.pubkey(),
            cfg.sub_dao_args(name).unwrap(),
        );
        h.send(&[ix], &[&mint]).await.unwrap();
    }
    let good = cfg.registry_params().unwrap();
    let bad: [fn(&mut RegistryParams); 5] = [
        |p| p.h3_resolution = 16,
        |p| p.min_gain_dbi_x10 = p.max_gain_dbi_x10 + 1,
        |p| p.min_elevation_m = p.max_elevation_m + 1,
        |p| p.unstake_cooldown_secs = 0,
        |p| p.min_stake_per_gpu = 0,
    ];
    for mutate in bad {
        let mut p = good;
        mutate(&mut p);
        let ix = registry::initialize_registry(&h.payer.pubkey(), &h.payer.pubkey(), &other, p);
        assert_reg_err(h.send(&[ix], &[]).await, RegistryError::InvalidParams);
    }
    let stranger = Keypair::new();
    let ix = registry::initialize_registry(&h.payer.pubkey(), &stranger.pubkey(), &other, good);
    assert_reg_err(
        h.send(&[ix], &[&stranger]).await,
        RegistryError::Unauthorized,
    );
    // Sub-DAOs of another DAO.
    let mut mixed = other;
    mixed.coverage = h.keys.coverage;
    let ix = registry::initialize_registry(&h.payer.pubkey(), &h.payer.pubkey(), &mixed, good);
    assert_reg_err(h.send(&[ix], &[]).await, RegistryError::WrongSubDao);
    // Finally the right call.
    let ix = registry::initialize_registry(&h.payer.pubkey(), &h.payer.pubkey(), &other, good);
    h.send(&[ix], &[]).await.unwrap();
}
