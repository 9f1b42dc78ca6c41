//! `set_dao_params`: each parameter changes alone, validation as at initialization, the breaker's
//! running state and the cap are kept, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{
    BreakerParams, Dao, DaoError, DaoParamsUpdate, EmissionParams, UtilityWeightParams,
};
use lattice_math::emission::{emission_for_hour, peak_hourly_emission, EmissionSchedule};
use lattice_sdk::ix;
use solana_sdk::signature::{Keypair, Signer};

fn no_change() -> DaoParamsUpdate {
    DaoParamsUpdate {
        emission: None,
        breaker: None,
        utility_weights: None,
        delegator_bps: None,
    }
}

async fn set(h: &Harness, params: DaoParamsUpdate) -> Result<(), lattice_sdk::ChainError> {
    let ix = ix::set_dao_params(&h.authority.pubkey(), &h.dao(), params);
    h.send(&[ix], &[&h.authority]).await
}

#[tokio::test]
async fn changes_each_parameter_alone() {
    let h = Harness::with_dao().await;
    let before: Dao = h.fetch(&h.dao()).await.unwrap();

    let weights = UtilityWeightParams {
        ve_bps: 5_000,
        dc_bps: 3_000,
        devices_bps: 2_000,
    };
    set(
        &h,
        DaoParamsUpdate {
            utility_weights: Some(weights),
            ..no_change()
        },
    )
    .await
    .unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.utility_weights, weights);
    assert_eq!(
        (dao.emission, dao.breaker, dao.delegator_bps),
        (before.emission, before.breaker, before.delegator_bps)
    );

    set(
        &h,
        DaoParamsUpdate {
            delegator_bps: Some(10_000),
            ..no_change()
        },
    )
    .await
    .unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.delegator_bps, 10_000);
    assert_eq!(dao.utility_weights, weights);

    let emission = EmissionParams {
        pool: 200_000_000_000_000,
        periods: 10,
        hours_per_period: 4_380,
        decay_bps: 9_000,
    };
    set(
        &h,
        DaoParamsUpdate {
            emission: Some(emission),
            ..no_change()
        },
    )
    .await
    .unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.emission, emission);
    assert_eq!(dao.breaker, before.breaker);
    assert_eq!(dao.max_supply, before.max_supply, "the cap never changes");

    // Nothing given: nothing changes.
    set(&h, no_change()).await.unwrap();
    let after: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(
        (
            after.emission,
            after.breaker,
            after.utility_weights,
            after.delegator_bps
        ),
        (
            dao.emission,
            dao.breaker,
            dao.utility_weights,
            dao.delegator_bps
        )
    );
}

#[tokio::test]
async fn the_next_hour_uses_the_new_schedule_and_split() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 2, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let emission = EmissionParams {
        pool: 100_000_000_000_000,
        periods: 5,
        hours_per_period: 1_000,
        decay_bps: 5_000,
    };
    set(
        &h,
        DaoParamsUpdate {
            emission: Some(emission),
            delegator_bps: Some(0),
            ..no_change()
        },
    )
    .await
    .unwrap();
    h.issue(GENESIS_HOUR + 1).await.unwrap();
    let epoch: lattice_dao::DaoEpoch = h
        .fetch(&lattice_sdk::pda::dao_epoch(&h.dao(), GENESIS_HOUR + 1))
        .await
        .unwrap();
    assert_eq!(
        epoch.main_emitted,
        emission_for_hour(&EmissionSchedule::from(emission), 1)
    );
    assert!(epoch.parts.iter().all(|p| p.main_to_delegators == 0));
}

#[tokio::test]
async fn keeps_the_breaker_running_state() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 2, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let before: Dao = h.fetch(&h.dao()).await.unwrap();
    assert!(before.breaker.value > 0);
    let breaker = BreakerParams {
        window_secs: 3_600,
        threshold: peak_hourly_emission(&main_args().emission.into()),
    };
    set(
        &h,
        DaoParamsUpdate {
            breaker: Some(breaker),
            ..no_change()
        },
    )
    .await
    .unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.breaker.params, breaker);
    assert_eq!(
        (dao.breaker.last_ts, dao.breaker.value),
        (before.breaker.last_ts, before.breaker.value)
    );
    // The tighter breaker counts what was minted before the change: a second hour right away
    // trips it.
    assert_dao_err(
        h.issue(GENESIS_HOUR + 1).await,
        DaoError::CircuitBreakerTripped,
    );
}

#[tokio::test]
async fn requires_the_dao_authority() {
    let h = Harness::with_dao().await;
    let intruder = Keypair::new();
    let change = DaoParamsUpdate {
        delegator_bps: Some(0),
        ..no_change()
    };
    let ix = ix::set_dao_params(&intruder.pubkey(), &h.dao(), change.clone());
    assert_dao_err(h.send(&[ix], &[&intruder]).await, DaoError::Unauthorized);
    let mut ix = ix::set_dao_params(&h.authority.pubkey(), &h.dao(), change);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.delegator_bps, main_args().delegator_bps);
}

#[tokio::test]
async fn refuses_what_initialize_dao_refuses() {
    let h = Harness::with_dao().await;
    let base = main_args();
    let with_emission = |f: fn(&mut EmissionParams)| {
        let mut e = base.emission;
        f(&mut e);
        DaoParamsUpdate {
            emission: Some(e),
            ..no_change()
        }
    };
    let cases: Vec<(DaoParamsUpdate, DaoError)> = vec![
        (with_emission(|e| e.periods = 0), DaoError::InvalidSchedule),
        (
            with_emission(|e| e.periods = 101),
            DaoError::InvalidSchedule,
        ),
        (
            with_emission(|e| e.hours_per_period = 0),
            DaoError::InvalidSchedule,
        ),
        (
            with_emission(|e| e.decay_bps = 0),
            DaoError::InvalidSchedule,
        ),
        (
            with_emission(|e| e.decay_bps = 10_001),
            DaoError::InvalidSchedule,
        ),
        // Genesis supply plus the pool above the cap.
        (
            with_emission(|e| e.pool = 300_000_000_000_001),
            DaoError::ScheduleExceedsCap,
        ),
        // A larger early peak than the breaker allows.
        (
            with_emission(|e| e.hours_per_period = 1),
            DaoError::InvalidBreaker,
        ),
        (
            DaoParamsUpdate {
                breaker: Some(BreakerParams {
                    window_secs: 0,
                    threshold: base.breaker.threshold,
                }),
                ..no_change()
            },
            DaoError::InvalidBreaker,
        ),
        (
            DaoParamsUpdate {
                breaker: Some(BreakerParams {
                    window_secs: 86_400,
                    threshold: peak_hourly_emission(&base.emission.into()) - 1,
                }),
                ..no_change()
            },
            DaoError::InvalidBreaker,
        ),
        (
            DaoParamsUpdate {
                utility_weights: Some(UtilityWeightParams {
                    ve_bps: 4_000,
                    dc_bps: 4_000,
                    devices_bps: 1_999,
                }),
                ..no_change()
            },
            DaoError::InvalidUtilityWeights,
        ),
        (
            DaoParamsUpdate {
                delegator_bps: Some(10_001),
                ..no_change()
            },
            DaoError::InvalidBps,
        ),
    ];
    for (params, expected) in cases {
        assert_dao_err(set(&h, params).await, expected);
    }
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.emission, base.emission);
    assert_eq!(dao.breaker.params, base.breaker);
}

#[tokio::test]
async fn refuses_a_pool_below_what_was_emitted() {
    let h = Harness::with_dao().await;
    h.set_hour(GENESIS_HOUR + 1, 0).await;
    h.issue(GENESIS_HOUR).await.unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    // One period of one hour with everything released at once: a valid schedule whose peak is
    // its pool, under the breaker.
    let mut emission = EmissionParams {
        pool: dao.total_emitted - 1,
        periods: 1,
        hours_per_period: 1,
        decay_bps: 10_000,
    };
    assert!(emission.pool <= main_args().breaker.threshold);
    assert_dao_err(
        set(
            &h,
            DaoParamsUpdate {
                emission: Some(emission),
                ..no_change()
            },
        )
        .await,
        DaoError::InvalidSchedule,
    );
    emission.pool = dao.total_emitted;
    set(
        &h,
        DaoParamsUpdate {
            emission: Some(emission),
            ..no_change()
        },
    )
    .await
    .unwrap();
}
