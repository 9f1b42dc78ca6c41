//! `add_sub_dao`: happy path and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Dao, DaoError, SubDao, MAX_SUB_DAOS};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn adds_sub_dao_with_pda_authorities() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    let key = h.add_sub(sub_args("coverage")).await.unwrap();
    let sub: SubDao = h.fetch(&key).await.unwrap();
    assert_eq!(sub.name, "coverage");
    assert_eq!(sub.index, 0);
    assert_eq!(sub.dao, h.dao());
    assert_eq!(sub.genesis_hour, GENESIS_HOUR);
    assert_eq!(sub.treasury, lattice_sdk::pda::treasury(&key));
    assert_eq!(sub.delegator_pool, lattice_sdk::pda::delegator_pool(&key));
    assert_eq!(sub.rewards_escrow, lattice_sdk::pda::rewards_escrow(&key));
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.sub_daos, vec![key]);
    // Token accounts exist, empty, owned by the sub-DAO PDA.
    assert_eq!(h.token_amount(&sub.treasury).await, 0);
    assert_eq!(h.token_amount(&sub.rewards_escrow).await, 0);
    assert_eq!(h.supply(&sub.mint).await, 0);
}

#[tokio::test]
async fn sub_dao_added_later_starts_at_the_current_hour() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    h.set_hour(GENESIS_HOUR + 7, 1).await;
    let key = h.add_sub(sub_args("compute")).await.unwrap();
    let sub: SubDao = h.fetch(&key).await.unwrap();
    assert_eq!(sub.genesis_hour, GENESIS_HOUR + 7);
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    let intruder = Keypair::new();
    let mint = Keypair::new();
    let ix = lattice_sdk::ix::add_sub_dao(
        &h.payer.pubkey(),
        &intruder.pubkey(),
        &h.main_mint.pubkey(),
        &mint.pubkey(),
        sub_args("coverage"),
    );
    assert_dao_err(
        h.send(&[ix], &[&intruder, &mint]).await,
        DaoError::Unauthorized,
    );

    // The authority's key without its signature.
    let mut ix = lattice_sdk::ix::add_sub_dao(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.main_mint.pubkey(),
        &mint.pubkey(),
        sub_args("coverage"),
    );
    ix.accounts[1].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[&mint]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
}

#[tokio::test]
async fn refuses_wrong_main_mint() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    let mint = Keypair::new();
    let mut ix = lattice_sdk::ix::add_sub_dao(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &h.main_mint.pubkey(),
        &mint.pubkey(),
        sub_args("coverage"),
    );
    // Point main_mint at the sub-DAO mint slot's neighbour: any other mint account.
    ix.accounts[3].pubkey = anchor_spl::token::ID;
    assert!(h.send(&[ix], &[&h.authority, &mint]).await.is_err());
}

#[tokio::test]
async fn refuses_bad_names() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    for name in ["", "Coverage", "has space", "seventeen-chars-x", "émoji"] {
        assert_dao_err(h.add_sub(sub_args(name)).await, DaoError::InvalidName);
    }
    assert!(lattice_dao::is_valid_name("iot_v2-1"));
}

#[tokio::test]
async fn refuses_duplicate_name() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    h.add_sub(sub_args("coverage")).await.unwrap();
    // The sub-DAO PDA already exists: account creation fails, nothing changes.
    assert!(h.add_sub(sub_args("coverage")).await.is_err());
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.sub_daos.len(), 1);
}

#[tokio::test]
async fn refuses_more_than_max_sub_daos() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    for i in 0..MAX_SUB_DAOS {
        h.add_sub(sub_args(&format!("net{i}"))).await.unwrap();
    }
    assert_dao_err(
        h.add_sub(sub_args("onemore")).await,
        DaoError::TooManySubDaos,
    );
}

#[tokio::test]
async fn refuses_bad_schedule_cap_and_breaker() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();

    let mut args = sub_args("a");
    args.emission.periods = 0;
    assert_dao_err(h.add_sub(args).await, DaoError::InvalidSchedule);

    let mut args = sub_args("b");
    args.max_supply = args.emission.pool - 1;
    assert_dao_err(h.add_sub(args).await, DaoError::ScheduleExceedsCap);

    let mut args = sub_args("c");
    args.breaker.window_secs = 0;
    assert_dao_err(h.add_sub(args).await, DaoError::InvalidBreaker);

    let mut args = sub_args("d");
    args.breaker.threshold = 1;
    assert_dao_err(h.add_sub(args).await, DaoError::InvalidBreaker);
}
