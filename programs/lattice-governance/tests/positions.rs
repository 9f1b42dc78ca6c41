//! `lock`, `relock`, `withdraw`: positions hold their tokens in a vault, keep or gain power, and
//! return the tokens only after an undelegated cliff has expired.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_governance::{GovernanceError as E, Lock, LockKind};
use lattice_sdk::governance as gov;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn lock_moves_the_tokens_into_the_position_vault() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let amount = 1_000 * LAT;
    let p = h
        .lock(&alice, 7, amount, LockKind::Cliff, 10)
        .await
        .unwrap();
    assert_eq!(h.balance(&gov::position_vault(&p)).await, amount);
    assert_eq!(h.tokens(&alice.pubkey()).await, HOLDER_TOKENS - amount);
    let pos = h.position(&p).await;
    assert_eq!(pos.owner, alice.pubkey());
    assert_eq!(pos.id, 7);
    assert_eq!(pos.amount, amount);
    assert_eq!(
        pos.lock,
        Lock::Cliff {
            end_hour: h.next() + 10
        }
    );
    assert_eq!(pos.created_hour, h.hour());
    assert!(pos.delegation.is_none() && pos.unsettled.is_empty() && !pos.withdrawn);
    // Ten hours left at the next hour: 10× per token, decaying by one hour's worth each hour.
    assert_eq!(
        power(&h.ve, amount, pos.lock, h.next()),
        test_power(amount, 10)
    );
    assert_eq!(
        power(&h.ve, amount, pos.lock, h.next() + 4),
        test_power(amount, 6)
    );
    assert_eq!(power(&h.ve, amount, pos.lock, h.next() + 10), 0);

    // A constant lock keeps its power; the same id twice is refused (the PDA exists).
    let q = h
        .lock(&alice, 8, 2 * amount, LockKind::Constant, 100)
        .await
        .unwrap();
    let pos = h.position(&q).await;
    assert_eq!(
        pos.lock,
        Lock::Constant {
            duration_hours: 100
        }
    );
    assert_eq!(
        power(&h.ve, pos.amount, pos.lock, h.next() + 1_000),
        test_power(2 * amount, 100)
    );
    assert!(h.lock(&alice, 8, amount, LockKind::Cliff, 1).await.is_err());

    let g = h.governance_account().await;
    assert_eq!((g.positions, g.total_locked), (2, 3 * amount));
    assert_eq!(h.tokens(&alice.pubkey()).await, HOLDER_TOKENS - 3 * amount);
}

#[tokio::test]
async fn lock_refuses_a_zero_amount_and_more_than_the_longest_lock() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    assert_gov_err(
        h.lock(&alice, 0, 0, LockKind::Cliff, 10).await,
        E::InvalidLock,
    );
    assert_gov_err(
        h.lock(&alice, 0, LAT, LockKind::Cliff, 101).await,
        E::InvalidLock,
    );
    assert_gov_err(
        h.lock(&alice, 0, LAT, LockKind::Constant, 101).await,
        E::InvalidLock,
    );
    // The bounds themselves are fine: the longest lock, and no lock at all.
    h.lock(&alice, 0, LAT, LockKind::Cliff, 100).await.unwrap();
    h.lock(&alice, 1, LAT, LockKind::Constant, 0).await.unwrap();
    assert_eq!(h.tokens(&alice.pubkey()).await, HOLDER_TOKENS - 2 * LAT);
}

#[tokio::test]
async fn relock_extends_and_never_shortens() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let cliff = h.lock(&alice, 0, LAT, LockKind::Cliff, 10).await.unwrap();
    let end = h.next() + 10;
    // Shorter cliff, or a constant lock with fewer hours than the cliff has left: refused.
    assert_gov_err(
        h.relock(&alice, &cliff, LockKind::Cliff, 9).await,
        E::LockShortened,
    );
    assert_gov_err(
        h.relock(&alice, &cliff, LockKind::Constant, 9).await,
        E::LockShortened,
    );
    assert_gov_err(
        h.relock(&alice, &cliff, LockKind::Cliff, 101).await,
        E::InvalidLock,
    );
    // Same end again, then longer.
    h.relock(&alice, &cliff, LockKind::Cliff, 10).await.unwrap();
    assert_eq!(h.position(&cliff).await.lock, Lock::Cliff { end_hour: end });
    h.relock(&alice, &cliff, LockKind::Cliff, 30).await.unwrap();
    assert_eq!(
        h.position(&cliff).await.lock,
        Lock::Cliff { end_hour: end + 20 }
    );
    // Two hours later the cliff has 28 hours left: a 28-hour constant lock is not shorter.
    h.goto_hour(h.hour() + 2).await;
    assert_gov_err(
        h.relock(&alice, &cliff, LockKind::Constant, 27).await,
        E::LockShortened,
    );
    h.relock(&alice, &cliff, LockKind::Constant, 28)
        .await
        .unwrap();
    assert_eq!(
        h.position(&cliff).await.lock,
        Lock::Constant { duration_hours: 28 }
    );

    let constant = h
        .lock(&alice, 1, LAT, LockKind::Constant, 20)
        .await
        .unwrap();
    assert_gov_err(
        h.relock(&alice, &constant, LockKind::Constant, 19).await,
        E::LockShortened,
    );
    assert_gov_err(
        h.relock(&alice, &constant, LockKind::Cliff, 19).await,
        E::LockShortened,
    );
    assert_gov_err(
        h.relock(&alice, &constant, LockKind::Constant, 101).await,
        E::InvalidLock,
    );
    h.relock(&alice, &constant, LockKind::Constant, 40)
        .await
        .unwrap();
    // Unlocking: a cliff of the same length starts decaying.
    h.relock(&alice, &constant, LockKind::Cliff, 40)
        .await
        .unwrap();
    assert_eq!(
        h.position(&constant).await.lock,
        Lock::Cliff {
            end_hour: h.next() + 40
        }
    );
}

#[tokio::test]
async fn only_the_owner_relocks_or_withdraws() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let mallory = h.holder().await;
    let p = h.lock(&alice, 0, LAT, LockKind::Cliff, 0).await.unwrap();
    let ix = h
        .relock_ix(&mallory.pubkey(), &p, LockKind::Cliff, 50, None)
        .await;
    assert_gov_err(h.send(&[ix], &[&mallory]).await, E::Unauthorized);
    h.goto_hour(h.next()).await;
    // Expired, but not Mallory's to withdraw (even into Alice's own account).
    let ix = h.withdraw_ix(&mallory.pubkey(), &p);
    assert_gov_err(h.send(&[ix], &[&mallory]).await, E::Unauthorized);
    let mut ix = h.withdraw_ix(&alice.pubkey(), &p);
    ix.accounts[0].pubkey = mallory.pubkey();
    assert_gov_err(h.send(&[ix], &[&mallory]).await, E::Unauthorized);
    h.withdraw(&alice, &p).await.unwrap();
}

#[tokio::test]
async fn withdraw_waits_for_an_undelegated_expired_cliff() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let amount = 5 * LAT;
    let cliff = h.lock(&alice, 0, amount, LockKind::Cliff, 2).await.unwrap();
    let constant = h
        .lock(&alice, 1, amount, LockKind::Constant, 2)
        .await
        .unwrap();
    let delegated = h.lock(&alice, 2, amount, LockKind::Cliff, 2).await.unwrap();
    h.delegate(&alice, &delegated, &h.subs[0]).await.unwrap();
    let end = h.next() + 2;

    // One hour before the end: locked.
    h.goto_hour(end - 1).await;
    assert_gov_err(h.withdraw(&alice, &cliff).await, E::LockNotExpired);
    h.set_time(end as i64 * HOUR - 1).await;
    assert_gov_err(h.withdraw(&alice, &cliff).await, E::LockNotExpired);

    // At the end hour: the cliff is free; a constant lock never expires until unlocked, and a
    // delegated position must be undelegated first.
    h.goto_hour(end).await;
    assert_gov_err(h.withdraw(&alice, &constant).await, E::LockNotExpired);
    assert_gov_err(h.withdraw(&alice, &delegated).await, E::StillDelegated);
    let before = h.tokens(&alice.pubkey()).await;
    h.withdraw(&alice, &cliff).await.unwrap();
    assert_eq!(h.tokens(&alice.pubkey()).await, before + amount);
    // Position and vault are closed; the counters follow.
    assert!(!h.exists(&cliff).await);
    assert!(!h.exists(&gov::position_vault(&cliff)).await);
    let g = h.governance_account().await;
    assert_eq!((g.positions, g.total_locked), (2, 2 * amount));
    // Withdrawing again: the position is gone.
    assert!(h.withdraw(&alice, &cliff).await.is_err());

    // Unlocking the constant lock starts its two hours.
    h.relock(&alice, &constant, LockKind::Cliff, 2)
        .await
        .unwrap();
    h.goto_hour(h.hour() + 2).await;
    assert_gov_err(h.withdraw(&alice, &constant).await, E::LockNotExpired);
    h.goto_hour(h.hour() + 1).await;
    h.withdraw(&alice, &constant).await.unwrap();
    assert_eq!(h.tokens(&alice.pubkey()).await, before + 2 * amount);
}

/// A position withdrawn with unclaimed delegation ranges stays (empty, marked withdrawn) until
/// they are claimed; nothing else can be done with it.
#[tokio::test]
async fn a_withdrawn_position_only_claims() {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let amount = 1_000 * LAT;
    let p = h.lock(&alice, 0, amount, LockKind::Cliff, 3).await.unwrap();
    let end = h.next() + 3;
    h.delegate(&alice, &p, &h.subs[0]).await.unwrap();
    h.crank_to(h.start_hour + 2).await;
    h.undelegate(&alice, &p).await.unwrap();
    h.crank_to(end).await;
    let before = h.tokens(&alice.pubkey()).await;
    h.withdraw(&alice, &p).await.unwrap();
    assert_eq!(h.tokens(&alice.pubkey()).await, before + amount);
    let pos = h.position(&p).await;
    assert!(pos.withdrawn);
    assert_eq!((pos.amount, pos.unsettled.len()), (0, 1));
    assert!(!h.exists(&gov::position_vault(&p)).await);
    assert_eq!(h.governance_account().await.positions, 0);

    // Withdrawing again: the vault is closed, so the account check refuses it before the handler
    // (whose `PositionWithdrawn` check is therefore never reached by `withdraw`).
    assert_code(
        h.withdraw(&alice, &p).await,
        u32::from(anchor_lang::error::ErrorCode::AccountNotInitialized),
    );
    assert_gov_err(
        h.relock(&alice, &p, LockKind::Cliff, 10).await,
        E::PositionWithdrawn,
    );
    assert_gov_err(
        h.delegate(&alice, &p, &h.subs[0]).await,
        E::PositionWithdrawn,
    );

    // Claiming the last range pays it and closes the position.
    let got = h.claim(&alice, &p, &h.subs[0]).await.unwrap();
    assert!(got > 0);
    assert!(!h.exists(&p).await);
}
