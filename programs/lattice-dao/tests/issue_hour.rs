//! `issue_hour`: happy path, catch-up, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Dao, DaoEpoch, DaoError, SubDao};
use lattice_math::emission::{emission_for_hour, peak_hourly_emission, EmissionSchedule};
use solana_sdk::signature::{Keypair, Signer};

fn main_schedule() -> EmissionSchedule {
    main_args().emission.into()
}

fn sub_schedule() -> EmissionSchedule {
    sub_args("x").emission.into()
}

#[tokio::test]
async fn issues_a_finished_hour_exactly() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 5).await;
    h.issue(GENESIS_HOUR).await.unwrap();

    let expected = emission_for_hour(&main_schedule(), 0);
    assert!(expected > 0);
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.total_emitted, expected);
    assert_eq!(dao.hours_issued, 1);
    assert_eq!(
        h.supply(&h.main_mint.pubkey()).await,
        main_args().genesis_supply + expected
    );

    let epoch: DaoEpoch = h
        .fetch(&lattice_sdk::pda::dao_epoch(&h.dao(), GENESIS_HOUR))
        .await
        .unwrap();
    assert!(epoch.issued);
    assert_eq!(epoch.hour, GENESIS_HOUR);
    assert_eq!(epoch.main_emitted, expected);
    let parts: u64 = epoch
        .parts
        .iter()
        .map(|p| p.main_to_treasury + p.main_to_delegators)
        .sum();
    assert_eq!(parts, expected, "parts sum exactly to the hour's emission");

    // No utility inputs yet: equal split; 20% of each part to delegators.
    let view = h.view().await;
    let tokens = emission_for_hour(&sub_schedule(), 0);
    for ((key, _), part) in view.sub_daos.iter().zip(&epoch.parts) {
        let sub: SubDao = h.fetch(key).await.unwrap();
        let half = part.main_to_treasury + part.main_to_delegators;
        assert!(half == expected / 2 || half == expected / 2 + 1);
        assert_eq!(part.main_to_delegators, half * 2_000 / 10_000);
        assert_eq!(h.token_amount(&sub.treasury).await, part.main_to_treasury);
        assert_eq!(
            h.token_amount(&sub.delegator_pool).await,
            part.main_to_delegators
        );
        assert_eq!(h.token_amount(&sub.rewards_escrow).await, tokens);
        assert_eq!(h.supply(&sub.mint).await, tokens);
        assert_eq!(sub.tokens_emitted, tokens);
        assert_eq!(part.tokens_emitted, tokens);
    }
}

#[tokio::test]
async fn refuses_hour_not_over() {
    let h = Harness::with_dao().await;
    // Clock is inside GENESIS_HOUR.
    assert_dao_err(h.issue(GENESIS_HOUR).await, DaoError::HourNotOver);
    assert_dao_err(h.issue(GENESIS_HOUR + 10).await, DaoError::HourNotOver);
    // One second before the boundary it is still not over; at the boundary it is.
    h.set_hour(GENESIS_HOUR + 1, -1).await;
    assert_dao_err(h.issue(GENESIS_HOUR).await, DaoError::HourNotOver);
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
}

#[tokio::test]
async fn refuses_hour_before_genesis() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 3, 0).await;
    assert_dao_err(h.issue(GENESIS_HOUR - 1).await, DaoError::HourBeforeGenesis);
    assert_dao_err(h.issue(0).await, DaoError::HourBeforeGenesis);
}

#[tokio::test]
async fn refuses_hour_issued_twice() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 2, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let supply = h.supply(&h.main_mint.pubkey()).await;
    // New slot, new blockhash: a genuinely new transaction for the same hour.
    h.set_hour(GENESIS_HOUR + 2, 30).await;
    assert_dao_err(h.issue(GENESIS_HOUR).await, DaoError::HourAlreadyIssued);
    assert_eq!(h.supply(&h.main_mint.pubkey()).await, supply);
}

#[tokio::test]
async fn prefunded_epoch_address_cannot_block_the_hour() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    // A griefer sends lamports to the epoch PDA before anyone cranks.
    let epoch = lattice_sdk::pda::dao_epoch(&h.dao(), GENESIS_HOUR);
    h.chain.airdrop(&epoch, 5_000_000).await.unwrap();
    h.issue(GENESIS_HOUR).await.unwrap();
}

#[tokio::test]
async fn catch_up_in_any_order_pays_each_hour_once() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 6, 0).await;
    for hour in [
        GENESIS_HOUR + 5,
        GENESIS_HOUR + 1,
        GENESIS_HOUR + 3,
        GENESIS_HOUR,
    ] {
        h.issue(hour).await.unwrap();
    }
    let expected: u64 = [5, 1, 3, 0]
        .iter()
        .map(|r| emission_for_hour(&main_schedule(), *r))
        .sum();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.total_emitted, expected);
    assert_eq!(dao.hours_issued, 4);
}

#[tokio::test]
async fn requires_cranker_signature() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    let someone = Keypair::new();
    let view = h.view().await;
    let mut ix = lattice_sdk::ix::issue_hour(
        &someone.pubkey(),
        &h.main_mint.pubkey(),
        &view.issue_keys(),
        GENESIS_HOUR,
    );
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}

#[tokio::test]
async fn anyone_can_crank() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    let someone = Keypair::new();
    h.chain
        .airdrop(&someone.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let view = h.view().await;
    let ix = lattice_sdk::ix::issue_hour(
        &someone.pubkey(),
        &h.main_mint.pubkey(),
        &view.issue_keys(),
        GENESIS_HOUR,
    );
    lattice_sdk::send::send(&h.chain, &h.opts, &[ix], &someone, &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn refuses_wrong_sub_dao_accounts() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    let view = h.view().await;
    let keys = view.issue_keys();
    let mint = h.main_mint.pubkey();
    let payer = h.payer.pubkey();

    // Missing a sub-DAO.
    let ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys[..1], GENESIS_HOUR);
    assert_dao_err(h.send(&[ix], &[]).await, DaoError::SubDaoAccountMismatch);
    // Wrong order.
    let swapped = [keys[1], keys[0]];
    let ix = lattice_sdk::ix::issue_hour(&payer, &mint, &swapped, GENESIS_HOUR);
    assert_dao_err(h.send(&[ix], &[]).await, DaoError::SubDaoAccountMismatch);
    // A treasury swapped for another account (the delegator pool).
    let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
    let base = ix.accounts.len() - 2 * lattice_dao::ISSUE_ACCOUNTS_PER_SUB_DAO;
    ix.accounts.swap(base + 2, base + 3);
    assert_dao_err(h.send(&[ix], &[]).await, DaoError::SubDaoAccountMismatch);
    // A sub-DAO, or its rewards escrow, passed read-only.
    for offset in [0, 4] {
        let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
        ix.accounts[base + offset].is_writable = false;
        assert_dao_err(h.send(&[ix], &[]).await, DaoError::SubDaoAccountMismatch);
    }
    // The epoch record of another hour.
    let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
    ix.accounts[base + 5].pubkey =
        lattice_sdk::pda::sub_dao_epoch(&keys[0].sub_dao, GENESIS_HOUR + 1);
    assert_dao_err(h.send(&[ix], &[]).await, DaoError::SubDaoAccountMismatch);
    // Nothing was issued by any of these.
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.hours_issued, 0);
}

#[tokio::test]
async fn refuses_wrong_fixed_accounts() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 2, 0).await;
    let view = h.view().await;
    let keys = view.issue_keys();
    let mint = h.main_mint.pubkey();
    let payer = h.payer.pubkey();

    // Wrong main mint (a sub-DAO mint).
    let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
    ix.accounts[3].pubkey = keys[0].mint;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    // Epoch record of another hour.
    let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
    ix.accounts[2].pubkey = lattice_sdk::pda::dao_epoch(&h.dao(), GENESIS_HOUR + 1);
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // A fake token program.
    let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
    ix.accounts[4].pubkey = anchor_lang::system_program::ID;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::InvalidProgramId,
    );
    // A DAO account that is not the DAO (a sub-DAO account has another discriminator).
    let mut ix = lattice_sdk::ix::issue_hour(&payer, &mint, &keys, GENESIS_HOUR);
    ix.accounts[1].pubkey = keys[0].sub_dao;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch,
    );
}

#[tokio::test]
async fn refuses_hour_with_no_active_sub_dao() {
    let h = Harness::new().await;
    let mut args = main_args();
    args.genesis_hour = Some(GENESIS_HOUR - 5);
    h.init(args).await.unwrap();
    h.add_sub(sub_args("coverage")).await.unwrap();
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    // The DAO's genesis is earlier, but the only sub-DAO joined at GENESIS_HOUR.
    assert_dao_err(h.issue(GENESIS_HOUR - 5).await, DaoError::NoActiveSubDaos);
    h.issue(GENESIS_HOUR).await.unwrap();
    assert_eq!(h.view().await.first_issuable_hour(), GENESIS_HOUR);
}

#[tokio::test]
async fn main_breaker_trips_and_recovers() {
    let h = Harness::new().await;
    let mut args = main_args();
    // The tightest valid breaker: one peak hour per day.
    args.breaker.threshold = peak_hourly_emission(&main_schedule());
    h.init(args).await.unwrap();
    h.add_sub(sub_args("coverage")).await.unwrap();
    h.set_hour(GENESIS_HOUR + 3, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let supply = h.supply(&h.main_mint.pubkey()).await;
    assert_dao_err(
        h.issue(GENESIS_HOUR + 1).await,
        DaoError::CircuitBreakerTripped,
    );
    assert_eq!(
        h.supply(&h.main_mint.pubkey()).await,
        supply,
        "nothing minted"
    );
    // A day later the window has decayed and the missed hour is caught up.
    h.set_hour(GENESIS_HOUR + 27, 0).await;
    h.issue(GENESIS_HOUR + 1).await.unwrap();
}

#[tokio::test]
async fn sub_dao_breaker_trips() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    let mut args = sub_args("coverage");
    args.breaker.threshold = peak_hourly_emission(&sub_schedule());
    h.add_sub(args).await.unwrap();
    h.set_hour(GENESIS_HOUR + 3, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    assert_dao_err(
        h.issue(GENESIS_HOUR + 1).await,
        DaoError::SubDaoCircuitBreakerTripped,
    );
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(
        dao.hours_issued, 1,
        "the main mint of that hour was rolled back too"
    );
}

#[tokio::test]
async fn main_cap_is_enforced_at_mint_time() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    // Defence in depth: even if the books said the cap is nearly reached, no mint exceeds it.
    let mut dao: Dao = h.fetch(&h.dao()).await.unwrap();
    dao.total_emitted = dao.max_supply - dao.genesis_supply - 1;
    dao.emission.pool = u64::MAX; // keep the invariant's pool check out of the way
    overwrite(&h, &h.dao(), &dao).await;
    assert_dao_err(h.issue(GENESIS_HOUR).await, DaoError::CapReached);
}

#[tokio::test]
async fn sub_dao_cap_is_enforced_at_mint_time() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    let key = h.view().await.sub_daos[0].0;
    let mut sub: SubDao = h.fetch(&key).await.unwrap();
    sub.tokens_emitted = sub.max_supply - 1;
    overwrite(&h, &key, &sub).await;
    assert_dao_err(h.issue(GENESIS_HOUR).await, DaoError::SubDaoCapReached);
}
