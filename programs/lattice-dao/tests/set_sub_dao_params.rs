//! `set_sub_dao_params`: a sub-DAO's schedule and breaker change, validation as in
//! `add_sub_dao`, the breaker's running state is kept, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{BreakerParams, DaoError, EmissionParams, SubDao, SubDaoParamsUpdate};
use lattice_math::emission::{emission_for_hour, peak_hourly_emission, EmissionSchedule};
use lattice_sdk::ix;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

async fn set(
    h: &Harness,
    sub: &Pubkey,
    params: SubDaoParamsUpdate,
) -> Result<(), lattice_sdk::ChainError> {
    let ix = ix::set_sub_dao_params(&h.authority.pubkey(), &h.dao(), sub, params);
    h.send(&[ix], &[&h.authority]).await
}

fn new_emission() -> EmissionParams {
    EmissionParams {
        pool: 1_000_000_000_000_000,
        periods: 10,
        hours_per_period: 8_760,
        decay_bps: 9_000,
    }
}

#[tokio::test]
async fn changes_the_schedule_and_the_breaker_of_one_sub_dao() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 2, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let (sub, before) = h.sub_dao("coverage").await;
    let (other, other_before) = h.sub_dao("compute").await;
    assert!(before.breaker.value > 0);

    set(
        &h,
        &sub,
        SubDaoParamsUpdate {
            emission: Some(new_emission()),
            breaker: None,
        },
    )
    .await
    .unwrap();
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.emission, new_emission());
    assert_eq!(s.breaker, before.breaker);
    assert_eq!(s.max_supply, before.max_supply, "the cap never changes");

    let breaker = BreakerParams {
        window_secs: 3_600,
        threshold: peak_hourly_emission(&new_emission().into()),
    };
    set(
        &h,
        &sub,
        SubDaoParamsUpdate {
            emission: None,
            breaker: Some(breaker),
        },
    )
    .await
    .unwrap();
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.emission, new_emission());
    assert_eq!(s.breaker.params, breaker);
    assert_eq!(
        (s.breaker.last_ts, s.breaker.value),
        (before.breaker.last_ts, before.breaker.value),
        "the running state is kept"
    );
    // The other sub-DAO is untouched.
    let o: SubDao = h.fetch(&other).await.unwrap();
    assert_eq!(
        (o.emission, o.breaker),
        (other_before.emission, other_before.breaker)
    );

    // A day later the next hour pays the new schedule.
    h.set_hour(GENESIS_HOUR + 26, 0).await;
    h.issue(GENESIS_HOUR + 1).await.unwrap();
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(
        s.tokens_emitted - before.tokens_emitted,
        emission_for_hour(&EmissionSchedule::from(new_emission()), 1)
    );
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let intruder = Keypair::new();
    let change = SubDaoParamsUpdate {
        emission: Some(new_emission()),
        breaker: None,
    };
    let ix = ix::set_sub_dao_params(&intruder.pubkey(), &h.dao(), &sub, change.clone());
    assert_dao_err(h.send(&[ix], &[&intruder]).await, DaoError::Unauthorized);
    let mut ix = ix::set_sub_dao_params(&h.authority.pubkey(), &h.dao(), &sub, change);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.emission, sub_args("x").emission);
}

#[tokio::test]
async fn refuses_a_sub_dao_of_another_dao() {
    let h = Harness::with_dao().await;
    let other = h.second_dao();
    other.init(main_args()).await.unwrap();
    let foreign = other.add_sub(sub_args("coverage")).await.unwrap();
    let change = SubDaoParamsUpdate {
        emission: Some(new_emission()),
        breaker: None,
    };
    let ix = ix::set_sub_dao_params(&h.authority.pubkey(), &h.dao(), &foreign, change);
    assert_anchor_err(
        h.send(&[ix], &[&h.authority]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
}

#[tokio::test]
async fn refuses_what_add_sub_dao_refuses() {
    let h = Harness::with_dao().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let base = sub_args("x");
    let with_emission = |f: fn(&mut EmissionParams)| {
        let mut e = base.emission;
        f(&mut e);
        SubDaoParamsUpdate {
            emission: Some(e),
            breaker: None,
        }
    };
    let with_breaker = |b: BreakerParams| SubDaoParamsUpdate {
        emission: None,
        breaker: Some(b),
    };
    let cases: Vec<(SubDaoParamsUpdate, DaoError)> = vec![
        (with_emission(|e| e.periods = 0), DaoError::InvalidSchedule),
        (
            with_emission(|e| e.hours_per_period = 0),
            DaoError::InvalidSchedule,
        ),
        (
            with_emission(|e| e.decay_bps = 10_001),
            DaoError::InvalidSchedule,
        ),
        (
            with_emission(|e| e.pool = 10_000_000_000_000_001),
            DaoError::ScheduleExceedsCap,
        ),
        (
            with_emission(|e| e.hours_per_period = 1),
            DaoError::InvalidBreaker,
        ),
        (
            with_breaker(BreakerParams {
                window_secs: 0,
                threshold: base.breaker.threshold,
            }),
            DaoError::InvalidBreaker,
        ),
        (
            with_breaker(BreakerParams {
                window_secs: 86_400,
                threshold: peak_hourly_emission(&base.emission.into()) - 1,
            }),
            DaoError::InvalidBreaker,
        ),
    ];
    for (params, expected) in cases {
        assert_dao_err(set(&h, &sub, params).await, expected);
    }
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(
        (s.emission, s.breaker.params),
        (base.emission, base.breaker)
    );
}

#[tokio::test]
async fn refuses_a_pool_below_what_was_emitted() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let (sub, s) = h.sub_dao("coverage").await;
    let mut emission = EmissionParams {
        pool: s.tokens_emitted - 1,
        periods: 1,
        hours_per_period: 1,
        decay_bps: 10_000,
    };
    let update = |e| SubDaoParamsUpdate {
        emission: Some(e),
        breaker: None,
    };
    assert_dao_err(
        set(&h, &sub, update(emission)).await,
        DaoError::InvalidSchedule,
    );
    emission.pool = s.tokens_emitted;
    set(&h, &sub, update(emission)).await.unwrap();
}
