//! `initialize_governance` and `init_sub_dao_ve`: the DAO authority creates governance once,
//! with valid parameters; anyone then enables each sub-DAO's V input once.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_governance::{GovernanceError as E, GovernanceParams, VeConfig};
use lattice_sdk::governance as gov;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn the_dao_authority_creates_governance_once() {
    let h = Harness::bare().await;
    let stranger = Keypair::new();
    h.chain
        .airdrop(&stranger.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let ix = gov::initialize_governance(&stranger.pubkey(), &h.dao, test_ve(), test_params());
    assert_gov_err(h.send(&[ix], &[&stranger]).await, E::Unauthorized);

    let bad_ve = [
        VeConfig {
            max_lock_hours: 0,
            ..test_ve()
        },
        VeConfig {
            max_lock_hours: 8 * 8_760 + 1,
            ..test_ve()
        },
        VeConfig {
            baseline_bps: 0,
            extra_bps: 0,
            ..test_ve()
        },
        VeConfig {
            baseline_bps: 10_000_001,
            ..test_ve()
        },
        VeConfig {
            extra_bps: 10_000_001,
            ..test_ve()
        },
    ];
    let bad_params = [
        GovernanceParams {
            voting_secs: 0,
            ..test_params()
        },
        GovernanceParams {
            voting_secs: 30 * 86_400 + 1,
            ..test_params()
        },
        GovernanceParams {
            timelock_secs: -1,
            ..test_params()
        },
        GovernanceParams {
            timelock_secs: 30 * 86_400 + 1,
            ..test_params()
        },
        GovernanceParams {
            threshold_bps: 0,
            ..test_params()
        },
        GovernanceParams {
            threshold_bps: 10_001,
            ..test_params()
        },
    ];
    let cases = bad_ve
        .iter()
        .map(|ve| (*ve, test_params()))
        .chain(bad_params.iter().map(|p| (test_ve(), *p)));
    for (ve, params) in cases {
        let ix = gov::initialize_governance(&h.payer.pubkey(), &h.dao, ve, params);
        assert_gov_err(h.send(&[ix], &[]).await, E::InvalidGovernanceParams);
    }

    // The extremes are valid: eight years, no timelock, unanimity.
    let ve = VeConfig {
        max_lock_hours: 8 * 8_760,
        baseline_bps: 10_000_000,
        extra_bps: 10_000_000,
    };
    let params = GovernanceParams {
        timelock_secs: 0,
        threshold_bps: 10_000,
        ..test_params()
    };
    let ix = gov::initialize_governance(&h.payer.pubkey(), &h.dao, ve, params);
    h.send(&[ix], &[]).await.unwrap();
    let g = h.governance_account().await;
    assert_eq!((g.version, g.dao, g.main_mint), (1, h.dao, h.mint()));
    assert_eq!((g.ve, g.params), (ve, params));
    assert_eq!((g.proposal_count, g.positions, g.total_locked), (0, 0, 0));
    // Once.
    let ix = gov::initialize_governance(&h.payer.pubkey(), &h.dao, test_ve(), test_params());
    assert!(h.send(&[ix], &[]).await.is_err());
}

#[tokio::test]
async fn anyone_enables_a_sub_dao_v_input_once() {
    let h = Harness::bare().await;
    let ix = gov::initialize_governance(&h.payer.pubkey(), &h.dao, test_ve(), test_params());
    h.send(&[ix], &[]).await.unwrap();
    let anyone = h.holder().await;
    h.goto_hour(h.start_hour + 3).await;
    let [coverage, compute] = h.subs;
    let ix = gov::init_sub_dao_ve(&anyone.pubkey(), &h.dao, &coverage);
    h.send(&[ix], &[&anyone]).await.unwrap();
    let ve = h.sub_ve(&coverage).await;
    assert_eq!(
        (ve.governance, ve.sub_dao, ve.index),
        (h.governance(), coverage, 0)
    );
    assert_eq!((ve.hour, ve.ve_power, ve.claimed), (h.hour(), 0, 0));
    // The DAO reads V from the next hour on, and governance may pay stakers from the pool.
    assert_eq!(h.sub_dao(&coverage).await.ve_start_hour, h.hour() + 1);
    assert_eq!(h.sub_dao(&compute).await.ve_start_hour, 0);
    let pool: anchor_spl::token::TokenAccount = h
        .fetch(&lattice_sdk::pda::delegator_pool(&coverage))
        .await
        .unwrap();
    assert_eq!(Option::from(pool.delegate), Some(h.governance()));
    assert_eq!(pool.delegated_amount, u64::MAX);

    // Once per sub-DAO.
    let ix = gov::init_sub_dao_ve(&anyone.pubkey(), &h.dao, &coverage);
    assert!(h.send(&[ix], &[&anyone]).await.is_err());
    let ix = gov::init_sub_dao_ve(&anyone.pubkey(), &h.dao, &compute);
    h.send(&[ix], &[&anyone]).await.unwrap();
    assert_eq!(h.sub_ve(&compute).await.index, 1);

    // From the next hour on, the DAO waits for governance's checkpoint.
    h.goto_hour(h.hour() + 2).await;
    for k in h.start_hour..h.start_hour + 4 {
        h.issue(k).await.unwrap();
    }
    assert_code(
        h.issue(h.start_hour + 4).await,
        u32::from(lattice_dao::DaoError::VeNotRecorded),
    );
    h.crank_to(h.hour()).await;
    assert!(h.epoch(h.start_hour + 4).await.is_some());
}
