//! Hotspots: `register_hotspot`, `assert_location`, `transfer_device`, `close_hotspot`.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::SubDaoEpoch;
use lattice_registry::{Hotspot, HotspotLocation, Registry, RegistryError};
use lattice_sdk::{registry, Chain};
use solana_sdk::{
    pubkey::Pubkey,
    rent::Rent,
    signature::{Keypair, Signer},
};

const ONE_HUNDRED_TOKENS: u64 = 100_000_000;

#[tokio::test]
async fn registers_with_device_signature_and_burns_the_onboarding_fee() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let dc_before = h.dc_balance().await;
    let device = Keypair::new();
    h.register_hotspot(&device, location()).await.unwrap();

    let hs: Hotspot = h.fetch(&registry::hotspot(&device.pubkey())).await.unwrap();
    assert_eq!(hs.owner, h.payer.pubkey());
    assert_eq!(hs.location, location().location);
    assert_eq!(hs.location_asserts, 1);
    let fee = h.cfg.registry.hotspot_onboarding_fee_dc;
    assert_eq!(dc_before - h.dc_balance().await, fee);
    assert_eq!(h.active_devices(&h.keys.coverage).await, 1);
    assert_eq!(h.active_devices(&h.keys.compute).await, 0);
    // The fee is recorded as a coverage fee in this hour, not as usage (D).
    let epoch: SubDaoEpoch = h
        .fetch(&lattice_sdk::pda::sub_dao_epoch(&h.keys.coverage, h.hour()))
        .await
        .unwrap();
    assert_eq!((epoch.dc_burned, epoch.fees_burned), (0, fee));
    let reg: Registry = h.fetch(&registry::registry(&h.keys.dao)).await.unwrap();
    assert_eq!(reg.hotspots, 1);
}

#[tokio::test]
async fn rent_per_hotspot_is_small() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    h.register_hotspot(&device, location()).await.unwrap();
    let acct = h
        .chain
        .get_account(&registry::hotspot(&device.pubkey()))
        .await
        .unwrap()
        .unwrap();
    let rent = Rent::default().minimum_balance(acct.data.len());
    println!(
        "hotspot account: {} bytes, {} lamports",
        acct.data.len(),
        rent
    );
    assert!(acct.data.len() <= 100, "{} bytes", acct.data.len());
    assert!(rent <= 1_600_000, "{rent} lamports");
    assert_eq!(acct.lamports, rent);
}

#[tokio::test]
async fn refuses_a_missing_device_signature() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    let mut ix = registry::register_hotspot(
        &h.payer.pubkey(),
        &device.pubkey(),
        &h.keys,
        h.hour(),
        location(),
    );
    ix.accounts[1].is_signer = false;
    assert_code(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner.into(),
    );
    // Signed by another key than the one registered: the PDA does not match the signer.
    let other = Keypair::new();
    let mut ix = registry::register_hotspot(
        &h.payer.pubkey(),
        &device.pubkey(),
        &h.keys,
        h.hour(),
        location(),
    );
    ix.accounts[1].pubkey = other.pubkey();
    assert_code(
        h.send(&[ix], &[&other]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds.into(),
    );
}

#[tokio::test]
async fn refuses_a_duplicate_device() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    h.register_hotspot(&device, location()).await.unwrap();
    let dc = h.dc_balance().await;
    let again = HotspotLocation {
        elevation_m: 11,
        ..location()
    };
    assert_reg_err(
        h.register_hotspot(&device, again).await,
        RegistryError::DeviceAlreadyRegistered,
    );
    assert_eq!(h.dc_balance().await, dc, "no fee charged twice");
    assert_eq!(h.active_devices(&h.keys.coverage).await, 1);
}

#[tokio::test]
async fn a_prefunded_device_address_does_not_block_registration() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    h.chain
        .airdrop(&registry::hotspot(&device.pubkey()), 5_000_000)
        .await
        .unwrap();
    h.register_hotspot(&device, location()).await.unwrap();
    let hs: Hotspot = h.fetch(&registry::hotspot(&device.pubkey())).await.unwrap();
    assert_eq!(hs.owner, h.payer.pubkey());
}

#[tokio::test]
async fn refuses_bad_positions() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let cases = [
        (
            HotspotLocation {
                location: 0x8c1fb46622dffff ^ (1 << 62),
                ..location()
            },
            RegistryError::LocationNotACell,
        ),
        (
            HotspotLocation {
                location: 12345,
                ..location()
            },
            RegistryError::LocationNotACell,
        ),
        (
            HotspotLocation {
                location: cell(11, 0.0),
                ..location()
            },
            RegistryError::LocationWrongResolution,
        ),
        (
            HotspotLocation {
                location: cell(13, 0.0),
                ..location()
            },
            RegistryError::LocationWrongResolution,
        ),
        (
            HotspotLocation {
                gain_dbi_x10: 9,
                ..location()
            },
            RegistryError::GainOutOfRange,
        ),
        (
            HotspotLocation {
                gain_dbi_x10: 151,
                ..location()
            },
            RegistryError::GainOutOfRange,
        ),
        (
            HotspotLocation {
                elevation_m: -1,
                ..location()
            },
            RegistryError::ElevationOutOfRange,
        ),
        (
            HotspotLocation {
                elevation_m: 1_001,
                ..location()
            },
            RegistryError::ElevationOutOfRange,
        ),
    ];
    for (loc, err) in cases {
        assert_reg_err(h.register_hotspot(&Keypair::new(), loc).await, err);
    }
}

#[tokio::test]
async fn refuses_too_little_dc_for_the_fee() {
    // 10 tokens buy 24.9M DC... so buy just under the fee instead.
    let h = Harness::new(16_000_000).await; // 3,984,000 DC < 4,000,000
    assert!(h.dc_balance().await < h.cfg.registry.hotspot_onboarding_fee_dc);
    let insufficient = u32::from(lattice_data_credits::DcError::InsufficientDc);
    assert_code(
        h.register_hotspot(&Keypair::new(), location()).await,
        insufficient,
    );
    assert_eq!(h.active_devices(&h.keys.coverage).await, 0);
}

#[tokio::test]
async fn asserting_a_new_location_burns_the_fee_once() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    h.register_hotspot(&device, location()).await.unwrap();
    let before = h.dc_balance().await;
    // Same cell, new gain and elevation: free.
    let same = HotspotLocation {
        gain_dbi_x10: 60,
        elevation_m: 30,
        ..location()
    };
    let ix =
        registry::assert_location(&h.payer.pubkey(), &device.pubkey(), &h.keys, h.hour(), same);
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.dc_balance().await, before);
    let hs: Hotspot = h.fetch(&registry::hotspot(&device.pubkey())).await.unwrap();
    assert_eq!(
        (hs.location_asserts, hs.gain_dbi_x10, hs.elevation_m),
        (1, 60, 30)
    );
    // New cell: one fee, one more assertion.
    let moved = HotspotLocation {
        location: cell(12, 0.01),
        ..same
    };
    let ix = registry::assert_location(
        &h.payer.pubkey(),
        &device.pubkey(),
        &h.keys,
        h.hour(),
        moved,
    );
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(
        before - h.dc_balance().await,
        h.cfg.registry.location_fee_dc
    );
    let hs: Hotspot = h.fetch(&registry::hotspot(&device.pubkey())).await.unwrap();
    assert_eq!((hs.location, hs.location_asserts), (moved.location, 2));
    // Bad positions are refused as at registration.
    let bad = HotspotLocation {
        location: cell(10, 0.0),
        ..same
    };
    let ix = registry::assert_location(&h.payer.pubkey(), &device.pubkey(), &h.keys, h.hour(), bad);
    assert_reg_err(
        h.send(&[ix], &[]).await,
        RegistryError::LocationWrongResolution,
    );
}

#[tokio::test]
async fn only_the_owner_asserts_transfers_and_closes() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    h.register_hotspot(&device, location()).await.unwrap();
    let stranger = Keypair::new();
    h.chain
        .airdrop(&stranger.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let send_as = |k: &Keypair, ix| {
        let chain = h.chain.clone();
        let opts = h.opts.clone();
        let k = k.insecure_clone();
        async move { lattice_sdk::send::send(&chain, &opts, &[ix], &k, &[]).await }
    };
    let ix = registry::assert_location(
        &stranger.pubkey(),
        &device.pubkey(),
        &h.keys,
        h.hour(),
        location(),
    );
    assert_reg_err(send_as(&stranger, ix).await, RegistryError::NotOwner);
    let ix = registry::transfer_device(
        &stranger.pubkey(),
        &device.pubkey(),
        false,
        &stranger.pubkey(),
    );
    assert_reg_err(send_as(&stranger, ix).await, RegistryError::NotOwner);
    let ix = registry::close_hotspot(&stranger.pubkey(), &device.pubkey(), &h.keys);
    assert_reg_err(send_as(&stranger, ix).await, RegistryError::NotOwner);

    // The owner hands it over; the new owner closes it and gets the rent.
    let ix = registry::transfer_device(
        &h.payer.pubkey(),
        &device.pubkey(),
        false,
        &stranger.pubkey(),
    );
    h.send(&[ix], &[]).await.unwrap();
    let hs: Hotspot = h.fetch(&registry::hotspot(&device.pubkey())).await.unwrap();
    assert_eq!(hs.owner, stranger.pubkey());
    let balance = h
        .chain
        .banks_client()
        .get_balance(stranger.pubkey())
        .await
        .unwrap();
    let ix = registry::close_hotspot(&stranger.pubkey(), &device.pubkey(), &h.keys);
    send_as(&stranger, ix).await.unwrap();
    let after = h
        .chain
        .banks_client()
        .get_balance(stranger.pubkey())
        .await
        .unwrap();
    assert!(after > balance, "rent refunded");
    assert!(h
        .chain
        .get_account(&registry::hotspot(&device.pubkey()))
        .await
        .unwrap()
        .is_none());
    assert_eq!(h.active_devices(&h.keys.coverage).await, 0);
    let reg: Registry = h.fetch(&registry::registry(&h.keys.dao)).await.unwrap();
    assert_eq!(reg.hotspots, 0);
}

#[tokio::test]
async fn transfer_refuses_foreign_accounts() {
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let a = Keypair::new();
    let b = Keypair::new();
    h.register_hotspot(&a, location()).await.unwrap();
    h.register_hotspot(
        &b,
        HotspotLocation {
            location: cell(12, 0.02),
            ..location()
        },
    )
    .await
    .unwrap();
    // Device key of `a` with the account of `b`.
    let mut ix =
        registry::transfer_device(&h.payer.pubkey(), &a.pubkey(), false, &Pubkey::new_unique());
    ix.accounts[2].pubkey = registry::hotspot(&b.pubkey());
    assert_code(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds.into(),
    );
    // An account of another program.
    let mut ix =
        registry::transfer_device(&h.payer.pubkey(), &a.pubkey(), false, &Pubkey::new_unique());
    ix.accounts[2].pubkey = h.keys.coverage;
    assert_code(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintOwner.into(),
    );
}

/// Defence in depth: the DAO program never lets the active-device count go negative, even if
/// its books were wrong (simulated by zeroing the count under a registered hotspot).
#[tokio::test]
async fn device_count_never_goes_negative() {
    use anchor_lang::AccountSerialize;
    let h = Harness::new(ONE_HUNDRED_TOKENS).await;
    let device = Keypair::new();
    h.register_hotspot(&device, location()).await.unwrap();
    let mut sub: lattice_dao::SubDao = h.fetch(&h.keys.coverage).await.unwrap();
    sub.active_devices = 0;
    let mut acct = h
        .chain
        .get_account(&h.keys.coverage)
        .await
        .unwrap()
        .unwrap();
    let mut data = Vec::new();
    sub.try_serialize(&mut data).unwrap();
    data.resize(acct.data.len(), 0);
    acct.data = data;
    h.chain.set_account(&h.keys.coverage, acct).await;
    let ix = registry::close_hotspot(&h.payer.pubkey(), &device.pubkey(), &h.keys);
    assert_code(
        h.send(&[ix], &[]).await,
        lattice_dao::DaoError::DeviceCountUnderflow.into(),
    );
}
