//! `delegate`, `undelegate`, `checkpoint_ve`, `claim_rewards`: delegated power is a sub-DAO's V
//! from the next hour on, checkpoints record it hour by hour for the DAO's issuance, and stakers
//! claim exactly their share of each hour's delegator slice.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::DaoError;
use lattice_governance::{GovernanceError as E, Lock, LockKind};
use lattice_math::utility::{split_delegators, split_exact, utility_scores, UtilityInputs};
use lattice_sdk::governance as gov;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn delegated_power_counts_from_the_next_hour() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let amount = 1_000 * LAT;
    let p = h
        .lock(&alice, 0, amount, LockKind::Cliff, 20)
        .await
        .unwrap();
    let h0 = h.start_hour;
    h.delegate(&alice, &p, &h.subs[0]).await.unwrap();
    let d = h.position(&p).await.delegation.unwrap();
    assert_eq!(
        (d.sub_dao, d.claim_hour, d.claim_cursor),
        (h.subs[0], h0 + 1, None)
    );
    // The change waits in the next hour's record; this hour's aggregate is untouched.
    assert!(h.exists(&gov::ve_hour(&h.subs[0], h0 + 1)).await);
    assert_eq!(h.sub_ve(&h.subs[0]).await.ve_power, 0);

    h.crank_to(h0 + 1).await;
    let ve = h.sub_ve(&h.subs[0]).await;
    assert_eq!((ve.hour, ve.ve_power), (h0 + 1, test_power(amount, 20)));
    assert_eq!(
        h.recorded_ve(&h.subs[0], h0 + 1).await,
        test_power(amount, 20)
    );
    assert_eq!(h.recorded_ve(&h.subs[1], h0 + 1).await, 0);
    // The cliff decays one hour's worth per hour.
    h.crank_to(h0 + 4).await;
    assert_eq!(h.sub_ve(&h.subs[0]).await.ve_power, test_power(amount, 17));
    assert_eq!(
        h.recorded_ve(&h.subs[0], h0 + 4).await,
        test_power(amount, 17)
    );

    // Undelegating removes it from the next hour on.
    h.undelegate(&alice, &p).await.unwrap();
    assert!(h.position(&p).await.delegation.is_none());
    h.crank_to(h0 + 5).await;
    assert_eq!(h.sub_ve(&h.subs[0]).await.ve_power, 0);
}

#[tokio::test]
async fn delegation_refusals() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let mallory = h.holder().await;
    let [coverage, compute] = h.subs;
    let p = h.lock(&alice, 0, LAT, LockKind::Cliff, 2).await.unwrap();
    let constant = h.lock(&alice, 1, LAT, LockKind::Constant, 5).await.unwrap();
    let now_ends = h.lock(&alice, 2, LAT, LockKind::Cliff, 0).await.unwrap();

    // Not the owner.
    let ix = h.delegate_ix(&mallory.pubkey(), &p, &coverage).await;
    assert_gov_err(h.send(&[ix], &[&mallory]).await, E::Unauthorized);
    // The next hour's record not passed.
    let mut ix = h.delegate_ix(&alice.pubkey(), &p, &coverage).await;
    ix.accounts.truncate(5);
    assert_gov_err(h.send(&[ix], &[&alice]).await, E::MissingVeHour);
    // A cliff ending when the delegation would start.
    assert_gov_err(
        h.delegate(&alice, &now_ends, &coverage).await,
        E::PositionExpired,
    );
    // Not delegated yet.
    assert_gov_err(h.undelegate(&alice, &p).await, E::NotDelegated);

    h.delegate(&alice, &p, &coverage).await.unwrap();
    h.delegate(&alice, &constant, &compute).await.unwrap();
    assert_gov_err(h.delegate(&alice, &p, &coverage).await, E::AlreadyDelegated);
    assert_gov_err(h.delegate(&alice, &p, &compute).await, E::AlreadyDelegated);
    // Another sub-DAO's aggregate.
    assert_gov_err(
        h.undelegate_from(&alice, &p, &compute).await,
        E::WrongSubDao,
    );
    let ix = h
        .relock_ix(
            &alice.pubkey(),
            &p,
            LockKind::Cliff,
            10,
            Some(Some(compute)),
        )
        .await;
    assert_gov_err(h.send(&[ix], &[&alice]).await, E::WrongSubDao);
    let ix = h
        .relock_ix(&alice.pubkey(), &p, LockKind::Cliff, 10, Some(None))
        .await;
    assert_gov_err(h.send(&[ix], &[&alice]).await, E::WrongSubDao);
    // Not the owner's to undelegate.
    let ix = h.undelegate_ix(&mallory.pubkey(), &p, &coverage).await;
    assert_gov_err(h.send(&[ix], &[&mallory]).await, E::Unauthorized);

    // Undelegate and delegate elsewhere in one transaction: a change of sub-DAO.
    let undelegate = h.undelegate_ix(&alice.pubkey(), &p, &coverage).await;
    let pos = h.position(&p).await;
    let delegate = gov::delegate(&alice.pubkey(), &h.dao, &p, &pos, &compute, &h.ve, h.next());
    h.send(&[undelegate, delegate], &[&alice]).await.unwrap();
    assert_eq!(h.position(&p).await.delegation.unwrap().sub_dao, compute);

    // A cliff that has one hour left at the next hour can still be delegated; one that ends
    // then cannot.
    h.undelegate(&alice, &p).await.unwrap();
    h.goto_hour(h.start_hour + 1).await;
    let end = h.start_hour + 3;
    assert_eq!(h.position(&p).await.lock, Lock::Cliff { end_hour: end });
    h.delegate(&alice, &p, &coverage).await.unwrap();
    h.undelegate(&alice, &p).await.unwrap();
    h.goto_hour(end - 1).await;
    assert_gov_err(h.delegate(&alice, &p, &coverage).await, E::PositionExpired);
    // A constant lock never expires.
    h.undelegate(&alice, &constant).await.unwrap();
    h.goto_hour(end + 50).await;
    h.delegate(&alice, &constant, &coverage).await.unwrap();
}

#[tokio::test]
async fn checkpoints_go_hour_by_hour_after_issuance() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let [coverage, compute] = h.subs;
    let h0 = h.start_hour;
    let p = h.lock(&alice, 0, LAT, LockKind::Cliff, 20).await.unwrap();
    h.delegate(&alice, &p, &coverage).await.unwrap();

    // The current hour is the aggregate's; the next has not started.
    assert_gov_err(h.checkpoint(&coverage, h0).await, E::CheckpointOutOfOrder);
    assert_gov_err(
        h.checkpoint(&coverage, h0 + 1).await,
        E::CheckpointOutOfOrder,
    );
    h.goto_hour(h0 + 2).await;
    // Skipping an hour.
    assert_gov_err(
        h.checkpoint(&coverage, h0 + 2).await,
        E::CheckpointOutOfOrder,
    );
    // The DAO refuses an hour whose V is not recorded yet.
    h.issue(h0).await.unwrap();
    let res = h.issue(h0 + 1).await;
    assert_code(res, u32::from(DaoError::VeNotRecorded));
    h.checkpoint(&coverage, h0 + 1).await.unwrap();
    assert_gov_err(
        h.checkpoint(&coverage, h0 + 1).await,
        E::CheckpointOutOfOrder,
    );
    assert_code(h.issue(h0 + 1).await, u32::from(DaoError::VeNotRecorded));
    h.checkpoint(&compute, h0 + 1).await.unwrap();

    // Coverage had power in h0 + 1: its slice must be issued before the next checkpoint.
    // Compute had none: nothing to wait for.
    assert_gov_err(h.checkpoint(&coverage, h0 + 2).await, E::HourNotIssued);
    h.checkpoint(&compute, h0 + 2).await.unwrap();
    h.issue(h0 + 1).await.unwrap();
    h.checkpoint(&coverage, h0 + 2).await.unwrap();
    assert_eq!(h.sub_ve(&coverage).await.hour, h0 + 2);
    assert!(h.slice(&coverage, h0 + 1).await > 0);
}

/// With nothing else live (no DC burned, no devices), V alone decides the split: the sub-DAO
/// with delegated power takes the whole hour, and with both delegated the parts follow V.
#[tokio::test]
async fn delegated_power_steers_the_split() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let [coverage, compute] = h.subs;
    let h0 = h.start_hour;
    let p = h
        .lock(&alice, 0, 1_000 * LAT, LockKind::Constant, 50)
        .await
        .unwrap();
    h.delegate(&alice, &p, &coverage).await.unwrap();
    h.crank_to(h0 + 2).await;

    // h0: V not enabled yet, no inputs: an equal split.
    let (a, b) = (h.part(&coverage, h0).await, h.part(&compute, h0).await);
    assert!(a.abs_diff(b) <= 1, "{a} vs {b}");
    // h0 + 1: only coverage has V.
    let e = h.epoch(h0 + 1).await.unwrap();
    assert_eq!(h.part(&coverage, h0 + 1).await, e.main_emitted);
    assert_eq!(h.part(&compute, h0 + 1).await, 0);
    let (to_delegators, _) = split_delegators(e.main_emitted, h.cfg.dao.split.delegator_bps);
    assert_eq!(e.parts[0].main_to_delegators, to_delegators);

    // Delegate a quarter of that power to compute: the parts follow V 4:1.
    let q = h
        .lock(&alice, 1, 250 * LAT, LockKind::Constant, 50)
        .await
        .unwrap();
    h.delegate(&alice, &q, &compute).await.unwrap();
    h.crank_to(h0 + 4).await;
    let hour = h0 + 3;
    let e = h.epoch(hour).await.unwrap();
    let dao = h.fetch::<lattice_dao::Dao>(&h.dao).await.unwrap();
    let mut inputs = Vec::new();
    for sub in h.subs {
        inputs.push(UtilityInputs {
            ve_delegated: h.recorded_ve(&sub, hour).await,
            dc_burned: h.sub_dao_epoch(&sub, hour).await.unwrap().dc_burned,
            active_devices: h.sub_dao(&sub).await.active_devices,
        });
    }
    assert_eq!(inputs[0].ve_delegated, 4 * inputs[1].ve_delegated);
    let scores = utility_scores(&dao.utility_weights.into(), &inputs);
    let parts = split_exact(e.main_emitted, &scores);
    for (i, sub) in h.subs.iter().enumerate() {
        assert_eq!(e.parts[i].utility_score, scores[i]);
        assert_eq!(h.part(sub, hour).await, parts[i]);
    }
    assert!(parts[0] > 3 * parts[1] && parts[0] < 5 * parts[1]);
}

/// Each claim pays exactly `⌊Σ_h P(h)·r_h⌋` over its hours, equal positions get equal amounts,
/// and the claims never exceed the slices paid into the pool.
#[tokio::test]
async fn claims_pay_the_exact_share_of_each_slice() {
    let h = Harness::new().await;
    let [coverage, _] = h.subs;
    let h0 = h.start_hour;
    let alice = h.holder().await;
    let bob = h.holder().await;
    let carol = h.holder().await;
    let amount = 1_000 * LAT;
    let pa = h
        .lock(&alice, 0, amount, LockKind::Cliff, 30)
        .await
        .unwrap();
    let pb = h.lock(&bob, 0, amount, LockKind::Cliff, 30).await.unwrap();
    let pc = h
        .lock(&carol, 0, 3 * amount, LockKind::Constant, 7)
        .await
        .unwrap();
    for (k, p) in [(&alice, &pa), (&bob, &pb), (&carol, &pc)] {
        h.delegate(k, p, &coverage).await.unwrap();
    }
    h.crank_to(h0 + 6).await;
    // V is the sum of the positions' power at each hour.
    for hour in h0 + 1..=h0 + 6 {
        let lock = h.position(&pa).await.lock;
        let expected = 2 * power(&h.ve, amount, lock, hour) + test_power(3 * amount, 7);
        assert_eq!(
            h.recorded_ve(&coverage, hour).await,
            expected,
            "hour {hour}"
        );
    }

    let pool_before = h.pool(&coverage).await;
    let mut claimed = 0;
    for (k, p) in [(&alice, &pa), (&bob, &pb), (&carol, &pc)] {
        let pos = h.position(p).await;
        let expected = h
            .expected_reward(&coverage, pos.amount, pos.lock, h0 + 1, h0 + 6)
            .await;
        let got = h.claim(k, p, &coverage).await.unwrap();
        assert_eq!(got, expected);
        assert!(got > 0);
        claimed += got;
        let pos = h.position(p).await;
        assert_eq!(pos.claimed, got);
        let d = pos.delegation.unwrap();
        assert_eq!(d.claim_hour, h0 + 6);
        assert_eq!(d.claim_cursor, Some(h.sub_ve(&coverage).await.cursor));
    }
    assert_eq!(h.position(&pa).await.claimed, h.position(&pb).await.claimed);
    let slices: u64 = h
        .slices_and_ve(&coverage, h0 + 1, h0 + 6)
        .await
        .iter()
        .map(|(s, _)| s)
        .sum();
    assert!(
        claimed <= slices && slices - claimed <= 3,
        "{claimed} of {slices}"
    );
    assert_eq!(h.sub_ve(&coverage).await.claimed, claimed);
    assert_eq!(h.pool(&coverage).await, pool_before - claimed);

    // Nothing new: nothing paid. Two more hours: exactly those.
    assert_eq!(h.claim(&alice, &pa, &coverage).await.unwrap(), 0);
    h.crank_to(h0 + 8).await;
    let pos = h.position(&pa).await;
    let expected = h
        .expected_reward(&coverage, amount, pos.lock, h0 + 6, h0 + 8)
        .await;
    assert_eq!(h.claim(&alice, &pa, &coverage).await.unwrap(), expected);

    // Only the owner claims.
    let ix = h.claim_ix(&carol.pubkey(), &pb, &coverage).await;
    assert_gov_err(h.send(&[ix], &[&carol]).await, E::Unauthorized);
    assert!(h.claim(&bob, &pb, &coverage).await.unwrap() > 0);
    assert_eq!(h.position(&pa).await.claimed, h.position(&pb).await.claimed);
}

/// Undelegating (or moving to another sub-DAO) keeps the closed range; it is paid whenever it is
/// claimed, after the sub-DAO's checkpoint has passed its end.
#[tokio::test]
async fn undelegated_ranges_stay_claimable() {
    let h = Harness::new().await;
    let [coverage, compute] = h.subs;
    let h0 = h.start_hour;
    let alice = h.holder().await;
    let amount = 1_000 * LAT;
    let p = h
        .lock(&alice, 0, amount, LockKind::Cliff, 40)
        .await
        .unwrap();
    let lock = h.position(&p).await.lock;
    h.delegate(&alice, &p, &coverage).await.unwrap();
    h.crank_to(h0 + 3).await;
    // Move to compute from h0 + 4 on, nothing claimed.
    h.undelegate(&alice, &p).await.unwrap();
    h.delegate(&alice, &p, &compute).await.unwrap();
    let pos = h.position(&p).await;
    assert_eq!(pos.unsettled.len(), 1);
    let u = pos.unsettled[0];
    assert_eq!(
        (u.sub_dao, u.from_hour, u.to_hour),
        (coverage, h0 + 1, h0 + 4)
    );
    // Coverage is checkpointed to h0 + 3 only: the range waits.
    assert_eq!(h.claim(&alice, &p, &coverage).await.unwrap(), 0);
    assert_eq!(h.position(&p).await.unsettled.len(), 1);

    h.crank_to(h0 + 6).await;
    assert_eq!(h.recorded_ve(&coverage, h0 + 4).await, 0);
    assert_eq!(
        h.recorded_ve(&compute, h0 + 4).await,
        power(&h.ve, amount, lock, h0 + 4)
    );
    // The range's checkpointed records (at its start and end) must be passed.
    let mut ix = h.claim_ix(&alice.pubkey(), &p, &coverage).await;
    assert_eq!(ix.accounts.len(), 10);
    ix.accounts.truncate(9);
    assert_gov_err(h.send(&[ix], &[&alice]).await, E::MissingVeHour);
    let expected = h
        .expected_reward(&coverage, amount, lock, h0 + 1, h0 + 4)
        .await;
    assert_eq!(h.claim(&alice, &p, &coverage).await.unwrap(), expected);
    assert!(h.position(&p).await.unsettled.is_empty());
    // Alone in each sub-DAO's V: the whole delegator slice, less rounding.
    let slices: u64 = h
        .slices_and_ve(&coverage, h0 + 1, h0 + 4)
        .await
        .iter()
        .map(|(s, _)| s)
        .sum();
    assert!(expected <= slices && slices - expected <= 1);
    let expected = h
        .expected_reward(&compute, amount, lock, h0 + 4, h0 + 6)
        .await;
    assert_eq!(h.claim(&alice, &p, &compute).await.unwrap(), expected);
    assert!(expected > 0);
}

/// Every relock or undelegation of a delegated position closes a range; at most six wait
/// unclaimed, then a claim frees them.
#[tokio::test]
async fn at_most_six_unclaimed_ranges() {
    let h = Harness::new().await;
    let [coverage, _] = h.subs;
    let h0 = h.start_hour;
    let alice = h.holder().await;
    let amount = 10 * LAT;
    let p = h
        .lock(&alice, 0, amount, LockKind::Cliff, 50)
        .await
        .unwrap();
    h.delegate(&alice, &p, &coverage).await.unwrap();
    for k in 1..=6 {
        h.crank_to(h0 + k).await;
        if k == 1 {
            h.relock(&alice, &p, LockKind::Cliff, 50).await.unwrap();
            // A second relock in the same hour closes nothing new.
            h.relock(&alice, &p, LockKind::Cliff, 50).await.unwrap();
        } else {
            // Moving away and back in one hour closes one range too (relocks are limited to
            // four per 30 days, so the rest of the ranges come from re-delegation).
            h.undelegate(&alice, &p).await.unwrap();
            h.delegate(&alice, &p, &coverage).await.unwrap();
        }
        assert_eq!(h.position(&p).await.unsettled.len(), k as usize);
    }
    h.crank_to(h0 + 7).await;
    assert_gov_err(
        h.relock(&alice, &p, LockKind::Cliff, 50).await,
        E::TooManyUnsettled,
    );
    assert_gov_err(h.undelegate(&alice, &p).await, E::TooManyUnsettled);

    let pos = h.position(&p).await;
    let mut expected = 0;
    for u in &pos.unsettled {
        expected += h
            .expected_reward(&coverage, u.amount, u.lock, u.from_hour, u.to_hour)
            .await;
    }
    assert_eq!(h.claim(&alice, &p, &coverage).await.unwrap(), expected);
    assert!(expected > 0);
    assert!(h.position(&p).await.unsettled.is_empty());
    h.undelegate(&alice, &p).await.unwrap();
}
