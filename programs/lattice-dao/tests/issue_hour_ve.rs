//! `issue_hour` with the vote-escrow (V) input: from a sub-DAO's V start hour on, the hour needs
//! governance's record of its V, V steers the split as `lattice_math::utility` computes it, and
//! a sub-DAO with V = 0 pays no delegator slice.
//!
//! V is enabled and recorded through [`mock_governance`] (see `enable_ve.rs`).

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Dao, DaoEpoch, DaoError, SubDao};
use lattice_math::{
    emission::emission_for_hour,
    utility::{split_delegators, split_exact, utility_scores, UtilityInputs},
};
use lattice_sdk::{ix, pda};
use solana_sdk::{pubkey::Pubkey, signature::Signer};

const START: u64 = GENESIS_HOUR + 1;

async fn enable(h: &Harness, sub: &Pubkey, start: u64) {
    let ix = ix::enable_ve(&pda::governance(&h.dao()), &h.dao(), sub, start);
    h.send(&[via_governance(&h.dao(), ix)], &[]).await.unwrap();
}

async fn record(h: &Harness, sub: &Pubkey, hour: u64, ve_power: u128) {
    let ix = ix::record_ve(
        &pda::governance(&h.dao()),
        &h.payer.pubkey(),
        &h.dao(),
        sub,
        hour,
        ve_power,
        0,
    );
    h.send(&[via_governance(&h.dao(), ix)], &[]).await.unwrap();
}

async fn set_devices(h: &Harness, sub: &Pubkey, active_devices: u64) {
    let mut s: SubDao = h.fetch(sub).await.unwrap();
    s.active_devices = active_devices;
    overwrite(h, sub, &s).await;
}

/// `coverage` and `compute`, both reading V from `START` on.
async fn both_enabled() -> (Harness, Pubkey, Pubkey) {
    let h = Harness::with_dao_and_governance().await;
    let (coverage, _) = h.sub_dao("coverage").await;
    let (compute, _) = h.sub_dao("compute").await;
    enable(&h, &coverage, START).await;
    enable(&h, &compute, START).await;
    (h, coverage, compute)
}

/// The parts `(to_treasury, to_delegators)` the program must pay for `hour`, computed with the
/// pure functions: V as recorded (both sub-DAOs read V), D = 0, A as given.
fn expected_parts(h_emitted: u64, dao: &Dao, inputs: &[(u128, u64)]) -> Vec<(u64, u64)> {
    let inputs: Vec<UtilityInputs> = inputs
        .iter()
        .map(|(ve, devices)| UtilityInputs {
            ve_delegated: *ve,
            dc_burned: 0,
            active_devices: *devices,
        })
        .collect();
    let scores = utility_scores(&dao.utility_weights.into(), &inputs);
    split_exact(h_emitted, &scores)
        .into_iter()
        .zip(&inputs)
        .map(|(part, i)| {
            if i.ve_delegated == 0 {
                (part, 0)
            } else {
                let (d, t) = split_delegators(part, dao.delegator_bps);
                (t, d)
            }
        })
        .collect()
}

async fn parts(h: &Harness, hour: u64) -> (u64, Vec<(u64, u64)>) {
    let epoch: DaoEpoch = h.fetch(&pda::dao_epoch(&h.dao(), hour)).await.unwrap();
    let parts = epoch
        .parts
        .iter()
        .map(|p| (p.main_to_treasury, p.main_to_delegators))
        .collect();
    (epoch.main_emitted, parts)
}

#[tokio::test]
async fn refuses_an_hour_whose_v_is_not_recorded() {
    let h = Harness::with_dao_and_governance().await;
    let (coverage, _) = h.sub_dao("coverage").await;
    let (compute, _) = h.sub_dao("compute").await;
    enable(&h, &coverage, START).await;
    h.set_hour(START + 1, 0).await;
    // Hours before the start hour need no V.
    h.issue(GENESIS_HOUR).await.unwrap();
    // From the start hour on, they do.
    assert_dao_err(h.issue(START).await, DaoError::VeNotRecorded);
    // A DC burn's record of the hour (V not recorded in it) does not do either.
    let (_, bump) = Pubkey::find_program_address(
        &[
            lattice_dao::SUB_DAO_EPOCH_SEED,
            coverage.as_ref(),
            &START.to_le_bytes(),
        ],
        &lattice_dao::ID,
    );
    let mut burn = lattice_dao::SubDaoEpoch::new(coverage, START, bump);
    burn.dc_burned = 10;
    let mut data = Vec::new();
    anchor_lang::AccountSerialize::try_serialize(&burn, &mut data).unwrap();
    data.resize(
        8 + <lattice_dao::SubDaoEpoch as anchor_lang::Space>::INIT_SPACE,
        0,
    );
    h.chain
        .set_account(
            &pda::sub_dao_epoch(&coverage, START),
            solana_sdk::account::Account {
                lamports: 10_000_000,
                data,
                owner: lattice_dao::ID,
                executable: false,
                rent_epoch: 0,
            },
        )
        .await;
    assert_dao_err(h.issue(START).await, DaoError::VeNotRecorded);
    record(&h, &coverage, START, 10).await;
    h.issue(START).await.unwrap();

    // Every active sub-DAO reading V needs its record: compute reads V from START + 2.
    enable(&h, &compute, START + 2).await;
    h.set_hour(START + 3, 0).await;
    record(&h, &coverage, START + 1, 10).await;
    record(&h, &coverage, START + 2, 10).await;
    h.issue(START + 1).await.unwrap();
    assert_dao_err(h.issue(START + 2).await, DaoError::VeNotRecorded);
    record(&h, &compute, START + 2, 10).await;
    h.issue(START + 2).await.unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.hours_issued, 4);
}

#[tokio::test]
async fn v_steers_the_split() {
    let (h, coverage, compute) = both_enabled().await;
    // A also counts: coverage has 1 device, compute 3; V is 3:1 the other way.
    set_devices(&h, &coverage, 1).await;
    set_devices(&h, &compute, 3).await;
    record(&h, &coverage, START, 3_000_000).await;
    record(&h, &compute, START, 1_000_000).await;
    h.set_hour(START + 1, 0).await;
    h.issue(START).await.unwrap();

    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    let (emitted, got) = parts(&h, START).await;
    assert_eq!(emitted, emission_for_hour(&dao.emission.into(), 1));
    let expected = expected_parts(emitted, &dao, &[(3_000_000, 1), (1_000_000, 3)]);
    assert_eq!(got, expected);
    // V weighs 4000 bps and A 2000: coverage gets (0.75·4 + 0.25·2) / 6 = 7/12 of the hour.
    let coverage_part = got[0].0 + got[0].1;
    let compute_part = got[1].0 + got[1].1;
    assert_eq!(coverage_part + compute_part, emitted);
    assert!(coverage_part > compute_part);
    assert!((coverage_part as f64 / emitted as f64 - 7.0 / 12.0).abs() < 1e-9);
    // The record keeps the A input each part used.
    let epoch: DaoEpoch = h.fetch(&pda::dao_epoch(&h.dao(), START)).await.unwrap();
    let devices: Vec<u64> = epoch.parts.iter().map(|p| p.active_devices).collect();
    assert_eq!(devices, [1, 3]);
    for (sub, (treasury, delegators)) in [coverage, compute].iter().zip(&expected) {
        assert!(*delegators > 0);
        assert_eq!(h.token_amount(&pda::treasury(sub)).await, *treasury);
        assert_eq!(h.token_amount(&pda::delegator_pool(sub)).await, *delegators);
    }

    // Without V the same devices would split 1:3 the other way.
    let without_v = expected_parts(emitted, &dao, &[(0, 1), (0, 3)]);
    assert!(without_v[0].0 < without_v[1].0);
}

#[tokio::test]
async fn zero_v_pays_no_delegator_slice() {
    let (h, coverage, compute) = both_enabled().await;
    // Hour START: nobody is delegated anywhere. No input at all: equal split, all to treasuries.
    record(&h, &coverage, START, 0).await;
    record(&h, &compute, START, 0).await;
    // Hour START + 1: coverage still has V = 0 but earns through its devices; compute has V.
    record(&h, &coverage, START + 1, 0).await;
    record(&h, &compute, START + 1, 5).await;
    h.set_hour(START + 2, 0).await;
    h.issue(START).await.unwrap();

    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    let (emitted, got) = parts(&h, START).await;
    assert_eq!(got, expected_parts(emitted, &dao, &[(0, 0), (0, 0)]));
    for (sub, (treasury, delegators)) in [coverage, compute].iter().zip(&got) {
        assert_eq!(*delegators, 0);
        assert!(*treasury >= emitted / 2);
        assert_eq!(h.token_amount(&pda::delegator_pool(sub)).await, 0);
        assert_eq!(h.token_amount(&pda::treasury(sub)).await, *treasury);
    }

    set_devices(&h, &coverage, 4).await;
    h.issue(START + 1).await.unwrap();
    let (emitted, got) = parts(&h, START + 1).await;
    assert_eq!(got, expected_parts(emitted, &dao, &[(0, 4), (5, 0)]));
    assert!(got[0].0 > 0, "coverage earns through its devices");
    assert_eq!(got[0].1, 0, "but pays no delegator slice without V");
    assert!(got[1].1 > 0, "compute's stakers are paid");
    let cov: SubDao = h.fetch(&coverage).await.unwrap();
    assert_eq!(cov.main_to_delegators, 0);
    assert_eq!(h.token_amount(&pda::delegator_pool(&coverage)).await, 0);
    assert_eq!(
        h.token_amount(&pda::delegator_pool(&compute)).await,
        got[1].1
    );
}
