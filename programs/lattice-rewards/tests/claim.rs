//! `claim`: payments to the device's current owner, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::BreakerParams;
use lattice_rewards::{ClaimRecord, DeviceKind, RewardsError};
use lattice_sdk::rewards;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn pays_cumulative_minus_claimed_to_the_owner() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let escrow = lattice_sdk::pda::rewards_escrow(&h.sub_dao);
    let escrow_before = h.balance(&escrow).await;

    let r1 = Rewards::new(&[(a.key, 1_000), (b.key, 250)]);
    h.finalize(GENESIS_HOUR, &r1).await;
    h.claim_in(&a, &r1).await.unwrap();
    assert_eq!(h.paid(&a).await, 1_000);
    assert_eq!(h.claimed(&a).await, 1_000);
    let record: ClaimRecord = h
        .fetch(&rewards::claim_record(&h.config(), &a.key))
        .await
        .unwrap();
    assert_eq!((record.device, record.last_epoch), (a.key, GENESIS_HOUR));

    // The next hour's root carries cumulative amounts: only the increase is paid.
    let r2 = Rewards::new(&[(a.key, 1_600), (b.key, 900)]);
    h.finalize(GENESIS_HOUR + 1, &r2).await;
    h.claim_in(&a, &r2).await.unwrap();
    h.claim_in(&b, &r2).await.unwrap();
    assert_eq!(h.paid(&a).await, 1_600);
    assert_eq!(h.paid(&b).await, 900, "b skipped r1 and loses nothing");
    assert_eq!(h.rewards_config().await.total_claimed, 2_500);
    assert_eq!(h.balance(&escrow).await, escrow_before - 2_500);
}

#[tokio::test]
async fn anyone_may_send_a_claim_but_the_owner_is_paid() {
    let h = Harness::new().await;
    let a = h.hotspot().await;
    let r = Rewards::new(&[(a.key, 500)]);
    h.finalize(GENESIS_HOUR, &r).await;
    let stranger = Keypair::new();
    h.chain
        .airdrop(&stranger.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let ix = rewards::claim(
        &stranger.pubkey(),
        &h.keys(),
        &a.key,
        &a.owner.pubkey(),
        500,
        r.proof(&a.key),
    );
    lattice_sdk::send::send(&h.chain, &Default::default(), &[ix], &stranger, &[])
        .await
        .unwrap();
    assert_eq!(h.paid(&a).await, 500);
}

#[tokio::test]
async fn refuses_before_any_final_root() {
    let h = Harness::new().await;
    let a = h.hotspot().await;
    let r = Rewards::new(&[(a.key, 500)]);
    assert_rewards_err(h.claim_in(&a, &r).await, RewardsError::NoFinalRoot);
    // One post is not final either.
    h.post(0, GENESIS_HOUR, r.root(), r.total()).await.unwrap();
    assert_rewards_err(h.claim_in(&a, &r).await, RewardsError::NoFinalRoot);
}

#[tokio::test]
async fn refuses_a_wrong_proof() {
    let h = Harness::new().await;
    let (a, b, c) = (h.hotspot().await, h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 500), (b.key, 200), (c.key, 100)]);
    h.finalize(GENESIS_HOUR, &r).await;
    let mut bad = r.proof(&a.key);
    bad[0][0] ^= 1;
    assert_rewards_err(h.claim(&a, 500, bad).await, RewardsError::InvalidProof);
    // Another device's proof, a truncated proof, no proof.
    assert_rewards_err(
        h.claim(&a, 500, r.proof(&b.key)).await,
        RewardsError::InvalidProof,
    );
    let mut short = r.proof(&a.key);
    short.pop();
    assert_rewards_err(h.claim(&a, 500, short).await, RewardsError::InvalidProof);
    assert_rewards_err(h.claim(&a, 500, vec![]).await, RewardsError::InvalidProof);
    assert_eq!(h.paid(&a).await, 0);
}

#[tokio::test]
async fn refuses_a_claim_above_the_cumulative_amount() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.finalize(GENESIS_HOUR, &r).await;
    assert_rewards_err(
        h.claim(&a, 501, r.proof(&a.key)).await,
        RewardsError::InvalidProof,
    );
    assert_rewards_err(
        h.claim(&a, 700, r.proof(&a.key)).await,
        RewardsError::InvalidProof,
    );
    h.claim_in(&a, &r).await.unwrap();
    assert_eq!(h.paid(&a).await, 500);
}

#[tokio::test]
async fn refuses_a_proof_of_a_stale_root() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let old = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.finalize(GENESIS_HOUR, &old).await;
    let new = Rewards::new(&[(a.key, 800), (b.key, 300)]);
    h.finalize(GENESIS_HOUR + 1, &new).await;
    // Claims verify against the latest final root only.
    assert_rewards_err(h.claim_in(&a, &old).await, RewardsError::InvalidProof);
    h.claim_in(&a, &new).await.unwrap();
    assert_eq!(h.paid(&a).await, 800);
}

#[tokio::test]
async fn a_double_claim_pays_nothing() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.finalize(GENESIS_HOUR, &r).await;
    h.claim_in(&a, &r).await.unwrap();
    assert_rewards_err(h.claim_in(&a, &r).await, RewardsError::NothingToClaim);
    // A device with nothing earned has nothing to claim either.
    let z = h.hotspot().await;
    let r0 = Rewards::new(&[(a.key, 500), (b.key, 200), (z.key, 0)]);
    h.finalize(GENESIS_HOUR + 1, &r0).await;
    assert_rewards_err(h.claim_in(&z, &r0).await, RewardsError::NothingToClaim);
    assert_rewards_err(h.claim_in(&a, &r0).await, RewardsError::NothingToClaim);
    assert_eq!(h.paid(&a).await, 500);
    assert!(!h.exists(&rewards::claim_record(&h.config(), &z.key)).await);
}

#[tokio::test]
async fn refuses_a_root_that_lowers_a_devices_cumulative() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r1 = Rewards::new(&[(a.key, 500), (b.key, 100)]);
    h.finalize(GENESIS_HOUR, &r1).await;
    h.claim_in(&a, &r1).await.unwrap();
    // A later root that moved value from a to b keeps the total but lowers a.
    let r2 = Rewards::new(&[(a.key, 400), (b.key, 200)]);
    h.finalize(GENESIS_HOUR + 1, &r2).await;
    assert_rewards_err(h.claim_in(&a, &r2).await, RewardsError::ClaimBelowClaimed);
    assert_eq!(h.claimed(&a).await, 500);
}

#[tokio::test]
async fn pays_only_the_current_owner() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.finalize(GENESIS_HOUR, &r).await;
    // Another owner's account, and the owner's account of the wrong mint.
    let to_b = rewards::claim_to(
        &h.payer.pubkey(),
        &h.keys(),
        &a.key,
        &h.keys().destination(&b.owner.pubkey()),
        500,
        r.proof(&a.key),
    );
    assert_rewards_err(h.send(&[to_b], &[]).await, RewardsError::WrongDestination);
    h.create_ata(&a.owner.pubkey(), &h.main_mint.pubkey()).await;
    let wrong_mint = lattice_sdk::pda::associated_token(&a.owner.pubkey(), &h.main_mint.pubkey());
    let ix = rewards::claim_to(
        &h.payer.pubkey(),
        &h.keys(),
        &a.key,
        &wrong_mint,
        500,
        r.proof(&a.key),
    );
    assert_rewards_err(h.send(&[ix], &[]).await, RewardsError::WrongDestination);

    // After the device changes hands, the new owner is paid and the old one no longer is.
    let new_owner = Keypair::new();
    h.create_ata(&new_owner.pubkey(), &h.sub_mint).await;
    let transfer = lattice_sdk::registry::transfer_device(
        &a.owner.pubkey(),
        &a.key,
        false,
        &new_owner.pubkey(),
    );
    h.send(&[transfer], &[&a.owner]).await.unwrap();
    assert_rewards_err(h.claim_in(&a, &r).await, RewardsError::WrongDestination);
    let ix = rewards::claim(
        &h.payer.pubkey(),
        &h.keys(),
        &a.key,
        &new_owner.pubkey(),
        500,
        r.proof(&a.key),
    );
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(
        h.balance(&h.keys().destination(&new_owner.pubkey())).await,
        500
    );
    assert_eq!(h.paid(&a).await, 0);
}

#[tokio::test]
async fn refuses_a_wrong_device_account() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.finalize(GENESIS_HOUR, &r).await;
    let claim = |device_account: Pubkey| {
        let mut ix = rewards::claim(
            &h.payer.pubkey(),
            &h.keys(),
            &a.key,
            &a.owner.pubkey(),
            500,
            r.proof(&a.key),
        );
        ix.accounts[2].pubkey = device_account;
        ix
    };
    // Another device's hotspot (same owner data would not help: the address is checked).
    h.write_hotspot(&b.key, &a.owner.pubkey()).await;
    assert_rewards_err(
        h.send(&[claim(lattice_sdk::registry::hotspot(&b.key))], &[])
            .await,
        RewardsError::WrongDeviceAccount,
    );
    // A look-alike hotspot at an address the registry does not own.
    let fake = Pubkey::new_unique();
    let mut data = Vec::new();
    anchor_lang::AccountSerialize::try_serialize(
        &lattice_registry::Hotspot {
            owner: a.owner.pubkey(),
            location: 0,
            gain_dbi_x10: 0,
            elevation_m: 0,
            location_asserts: 1,
            bump: 255,
        },
        &mut data,
    )
    .unwrap();
    h.chain
        .set_account(
            &fake,
            solana_sdk::account::Account {
                lamports: 10_000_000,
                data,
                owner: Pubkey::new_unique(),
                executable: false,
                rent_epoch: 0,
            },
        )
        .await;
    assert_rewards_err(
        h.send(&[claim(fake)], &[]).await,
        RewardsError::WrongDeviceAccount,
    );
    // The device's GPU-node address (wrong kind for this sub-DAO; it does not exist).
    assert_rewards_err(
        h.send(&[claim(lattice_sdk::registry::gpu_node(&a.key))], &[])
            .await,
        RewardsError::WrongDeviceAccount,
    );
    // A closed hotspot: no owner to pay.
    h.chain
        .set_account(
            &lattice_sdk::registry::hotspot(&a.key),
            solana_sdk::account::Account::default(),
        )
        .await;
    assert_rewards_err(h.claim_in(&a, &r).await, RewardsError::WrongDeviceAccount);
}

#[tokio::test]
async fn gpu_nodes_are_paid_by_the_compute_sub_dao() {
    let h = Harness::new().await;
    h.approve(&h.compute).await.unwrap();
    h.init_rewards(&h.compute, h.args(DeviceKind::GpuNode, 2))
        .await
        .unwrap();
    let (g, hs) = (h.gpu_node().await, h.hotspot().await);
    let r = Rewards::new(&[(g.key, 4_000), (hs.key, 1)]);
    for i in 0..2 {
        h.post_to(&h.compute, &h.oracles[i], GENESIS_HOUR, r.root(), r.total())
            .await
            .unwrap();
    }
    let k = h.compute_keys();
    let ix = rewards::claim(
        &h.payer.pubkey(),
        &k,
        &g.key,
        &g.owner.pubkey(),
        4_000,
        r.proof(&g.key),
    );
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.balance(&k.destination(&g.owner.pubkey())).await, 4_000);
    // A hotspot is not a device of the compute sub-DAO.
    h.create_ata(&hs.owner.pubkey(), &h.compute_mint).await;
    let mut ix = rewards::claim(
        &h.payer.pubkey(),
        &k,
        &hs.key,
        &hs.owner.pubkey(),
        1,
        r.proof(&hs.key),
    );
    ix.accounts[2].pubkey = lattice_sdk::registry::hotspot(&hs.key);
    assert_rewards_err(h.send(&[ix], &[]).await, RewardsError::WrongDeviceAccount);
}

#[tokio::test]
async fn never_pays_more_than_the_roots_total() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    // A (colluding) quorum posts a total below the sum of its leaves.
    let r = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.post(0, GENESIS_HOUR, r.root(), 600).await.unwrap();
    h.post(1, GENESIS_HOUR, r.root(), 600).await.unwrap();
    h.claim_in(&a, &r).await.unwrap();
    assert_rewards_err(
        h.claim_in(&b, &r).await,
        RewardsError::ClaimExceedsRootTotal,
    );
    assert_eq!(h.rewards_config().await.total_claimed, 500);
}

#[tokio::test]
async fn the_claim_breaker_bounds_payments_per_window() {
    let h = Harness::bare().await;
    h.approve(&h.sub_dao).await.unwrap();
    let mut args = h.args(DeviceKind::Hotspot, 2);
    args.claim_breaker = BreakerParams {
        window_secs: 3_600,
        threshold: 1_000,
    };
    h.init_rewards(&h.sub_dao, args).await.unwrap();
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 800), (b.key, 800)]);
    h.finalize(GENESIS_HOUR, &r).await;
    h.claim_in(&a, &r).await.unwrap();
    assert_rewards_err(h.claim_in(&b, &r).await, RewardsError::ClaimBreakerTripped);
    // A window later the breaker has decayed.
    h.set_hour(NOW_HOUR + 1, 2).await;
    h.claim_in(&b, &r).await.unwrap();
    assert_eq!(h.paid(&b).await, 800);
}

#[tokio::test]
async fn refuses_to_pay_without_the_escrow_delegation() {
    let h = Harness::bare().await;
    h.init_rewards(&h.sub_dao, h.args(DeviceKind::Hotspot, 2))
        .await
        .unwrap();
    let a = h.hotspot().await;
    let r = Rewards::new(&[(a.key, 500)]);
    h.finalize(GENESIS_HOUR, &r).await;
    assert_rewards_err(h.claim_in(&a, &r).await, RewardsError::EscrowNotDelegated);
    h.approve(&h.sub_dao).await.unwrap();
    h.claim_in(&a, &r).await.unwrap();
}

#[tokio::test]
async fn refuses_wrong_escrow_and_record_accounts() {
    let h = Harness::new().await;
    let (a, b) = (h.hotspot().await, h.hotspot().await);
    let r = Rewards::new(&[(a.key, 500), (b.key, 200)]);
    h.finalize(GENESIS_HOUR, &r).await;
    let base = rewards::claim(
        &h.payer.pubkey(),
        &h.keys(),
        &a.key,
        &a.owner.pubkey(),
        500,
        r.proof(&a.key),
    );
    // b's claim record for a's claim.
    let mut ix = base.clone();
    ix.accounts[3].pubkey = rewards::claim_record(&h.config(), &b.key);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // Another sub-DAO's escrow.
    let mut ix = base.clone();
    ix.accounts[4].pubkey = lattice_sdk::pda::rewards_escrow(&h.compute);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    h.send(&[base], &[]).await.unwrap();
}

#[tokio::test]
async fn a_pre_funded_claim_record_does_not_block_the_claim() {
    let h = Harness::new().await;
    let a = h.hotspot().await;
    let r = Rewards::new(&[(a.key, 500)]);
    h.finalize(GENESIS_HOUR, &r).await;
    h.chain
        .airdrop(&rewards::claim_record(&h.config(), &a.key), 1_000_000)
        .await
        .unwrap();
    h.claim_in(&a, &r).await.unwrap();
    assert_eq!(h.claimed(&a).await, 500);
}
