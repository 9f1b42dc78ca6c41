//! `set_registry_params`: the parameters are replaced and apply to the next registration,
//! validation as in `initialize_registry`, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_registry::{Hotspot, HotspotLocation, Registry, RegistryError, RegistryParams};
use lattice_sdk::registry;
use solana_sdk::signature::{Keypair, Signer};

async fn set(h: &Harness, params: RegistryParams) -> Result<(), lattice_sdk::ChainError> {
    let ix = registry::set_registry_params(&h.payer.pubkey(), &h.keys.dao, params);
    h.send(&[ix], &[]).await
}

async fn params(h: &Harness) -> RegistryParams {
    let reg: Registry = h.fetch(&registry::registry(&h.keys.dao)).await.unwrap();
    reg.params
}

#[tokio::test]
async fn new_parameters_apply_to_the_next_registration() {
    let h = Harness::registry_only().await;
    let old = h.cfg.registry_params().unwrap();
    // A 20 dBi antenna is above the configured bounds.
    let loud = HotspotLocation {
        gain_dbi_x10: 200,
        ..location()
    };
    assert_reg_err(
        h.register_hotspot(&Keypair::new(), loud).await,
        RegistryError::GainOutOfRange,
    );
    let new = RegistryParams {
        h3_resolution: 12,
        min_gain_dbi_x10: 0,
        max_gain_dbi_x10: 250,
        min_elevation_m: -10,
        max_elevation_m: 2_000,
        hotspot_onboarding_fee_dc: 0,
        location_fee_dc: 0,
        gpu_onboarding_fee_dc: 7,
        min_stake_per_gpu: 5,
        unstake_cooldown_secs: 60,
    };
    assert_ne!(new, old);
    set(&h, new).await.unwrap();
    assert_eq!(params(&h).await, new);

    // Free onboarding now (this DAO has no data credits at all), and the louder antenna fits.
    let device = Keypair::new();
    h.register_hotspot(&device, loud).await.unwrap();
    let hs: Hotspot = h.fetch(&registry::hotspot(&device.pubkey())).await.unwrap();
    assert_eq!(hs.gain_dbi_x10, 200);
    let reg: Registry = h.fetch(&registry::registry(&h.keys.dao)).await.unwrap();
    assert_eq!(
        (reg.hotspots, reg.authority, reg.coverage_sub_dao),
        (1, h.payer.pubkey(), h.keys.coverage)
    );
}

#[tokio::test]
async fn requires_the_registry_authority() {
    let h = Harness::registry_only().await;
    let stranger = Keypair::new();
    let mut p = h.cfg.registry_params().unwrap();
    p.hotspot_onboarding_fee_dc = 0;
    let ix = registry::set_registry_params(&stranger.pubkey(), &h.keys.dao, p);
    assert_reg_err(
        h.send(&[ix], &[&stranger]).await,
        RegistryError::Unauthorized,
    );
    let fee_payer = Keypair::new();
    h.chain
        .airdrop(&fee_payer.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let mut ix = registry::set_registry_params(&h.payer.pubkey(), &h.keys.dao, p);
    ix.accounts[0].is_signer = false;
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], &fee_payer, &[]).await;
    assert_code(
        res,
        u32::from(anchor_lang::error::ErrorCode::AccountNotSigner),
    );
    assert_eq!(params(&h).await, h.cfg.registry_params().unwrap());
}

#[tokio::test]
async fn refuses_what_initialize_registry_refuses() {
    let h = Harness::registry_only().await;
    let good = h.cfg.registry_params().unwrap();
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
        assert_reg_err(set(&h, p).await, RegistryError::InvalidParams);
    }
    assert_eq!(params(&h).await, good);
}
