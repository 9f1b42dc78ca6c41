//! `record_ve`: only the DAO's governance PDA records a sub-DAO's V, once per hour, from the
//! sub-DAO's V start hour on, keeping the hour's DC burns.
//!
//! The governance PDA signs through [`mock_governance`] (see `enable_ve.rs`).

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{DaoError, SubDaoEpoch};
use lattice_sdk::{ix, pda};
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

const START: u64 = GENESIS_HOUR + 1;

/// A DAO whose `coverage` reads V from `START` on.
async fn enabled() -> (Harness, Pubkey) {
    let h = Harness::with_dao_and_governance().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let ix = ix::enable_ve(&pda::governance(&h.dao()), &h.dao(), &sub, START);
    h.send(&[via_governance(&h.dao(), ix)], &[]).await.unwrap();
    (h, sub)
}

/// The main tokens locked in governance that each record carries.
const STAKED: u64 = 7_000_000;

fn record(
    h: &Harness,
    sub: &Pubkey,
    hour: u64,
    ve_power: u128,
) -> solana_sdk::instruction::Instruction {
    let ix = ix::record_ve(
        &pda::governance(&h.dao()),
        &h.payer.pubkey(),
        &h.dao(),
        sub,
        hour,
        ve_power,
        STAKED,
    );
    via_governance(&h.dao(), ix)
}

#[tokio::test]
async fn records_v_of_an_hour_once() {
    let (h, sub) = enabled().await;
    let big = u128::from(u64::MAX) * 1_000;
    h.send(&[record(&h, &sub, START, big)], &[]).await.unwrap();
    let r: SubDaoEpoch = h.fetch(&pda::sub_dao_epoch(&sub, START)).await.unwrap();
    assert_eq!(
        (
            r.sub_dao,
            r.hour,
            r.ve_power,
            r.ve_recorded,
            r.dc_burned,
            r.staked
        ),
        (sub, START, big, true, 0, STAKED)
    );
    // A later hour, even one not started yet.
    h.send(&[record(&h, &sub, START + 7, 0)], &[])
        .await
        .unwrap();
    let r: SubDaoEpoch = h.fetch(&pda::sub_dao_epoch(&sub, START + 7)).await.unwrap();
    assert_eq!((r.ve_power, r.ve_recorded), (0, true));

    // Twice: refused, also with the same value, and the first value stays.
    for v in [big, 5] {
        assert_dao_err(
            h.send(&[record(&h, &sub, START, v)], &[]).await,
            DaoError::VeAlreadyRecorded,
        );
    }
    assert_dao_err(
        h.send(&[record(&h, &sub, START + 7, 1)], &[]).await,
        DaoError::VeAlreadyRecorded,
    );
    let r: SubDaoEpoch = h.fetch(&pda::sub_dao_epoch(&sub, START)).await.unwrap();
    assert_eq!(r.ve_power, big);
}

#[tokio::test]
async fn keeps_the_hours_dc_burns() {
    let (h, sub) = enabled().await;
    // The hour's record as a DC burn (`track_dc_burn`) would have created it.
    let key = pda::sub_dao_epoch(&sub, START);
    let (_, bump) = Pubkey::find_program_address(
        &[
            lattice_dao::SUB_DAO_EPOCH_SEED,
            sub.as_ref(),
            &START.to_le_bytes(),
        ],
        &lattice_dao::ID,
    );
    let mut existing = SubDaoEpoch::new(sub, START, bump);
    existing.dc_burned = 1_234;
    existing.fees_burned = 56;
    let mut data = Vec::new();
    anchor_lang::AccountSerialize::try_serialize(&existing, &mut data).unwrap();
    data.resize(8 + <SubDaoEpoch as anchor_lang::Space>::INIT_SPACE, 0);
    h.chain
        .set_account(
            &key,
            solana_sdk::account::Account {
                lamports: 10_000_000,
                data,
                owner: lattice_dao::ID,
                executable: false,
                rent_epoch: 0,
            },
        )
        .await;
    h.send(&[record(&h, &sub, START, 99)], &[]).await.unwrap();
    let r: SubDaoEpoch = h.fetch(&key).await.unwrap();
    assert_eq!(
        (
            r.dc_burned,
            r.fees_burned,
            r.ve_power,
            r.ve_recorded,
            r.bump
        ),
        (1_234, 56, 99, true, bump)
    );
}

#[tokio::test]
async fn prefunded_record_address_cannot_block_it() {
    let (h, sub) = enabled().await;
    let key = pda::sub_dao_epoch(&sub, START);
    h.chain.airdrop(&key, 5_000_000).await.unwrap();
    h.send(&[record(&h, &sub, START, 42)], &[]).await.unwrap();
    let r: SubDaoEpoch = h.fetch(&key).await.unwrap();
    assert_eq!((r.ve_power, r.ve_recorded), (42, true));
}

#[tokio::test]
async fn requires_the_governance_pda() {
    let (h, sub) = enabled().await;
    for signer in [Keypair::new(), h.authority.insecure_clone()] {
        let ix = ix::record_ve(
            &signer.pubkey(),
            &h.payer.pubkey(),
            &h.dao(),
            &sub,
            START,
            1,
            0,
        );
        assert_dao_err(h.send(&[ix], &[&signer]).await, DaoError::Unauthorized);
    }
    // The governance PDA of another DAO, signing through the governance program.
    let other = h.second_dao();
    other.init(main_args()).await.unwrap();
    let ix = ix::record_ve(
        &pda::governance(&other.dao()),
        &h.payer.pubkey(),
        &h.dao(),
        &sub,
        START,
        1,
        0,
    );
    assert_dao_err(
        h.send(&[via_governance(&other.dao(), ix)], &[]).await,
        DaoError::Unauthorized,
    );
    // The right PDA without its signature.
    let mut ix = ix::record_ve(
        &pda::governance(&h.dao()),
        &h.payer.pubkey(),
        &h.dao(),
        &sub,
        START,
        1,
        0,
    );
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    assert!(h
        .fetch::<SubDaoEpoch>(&pda::sub_dao_epoch(&sub, START))
        .await
        .is_none());
}

#[tokio::test]
async fn refuses_hours_without_v() {
    let (h, sub) = enabled().await;
    // Before the start hour.
    assert_dao_err(
        h.send(&[record(&h, &sub, START - 1, 1)], &[]).await,
        DaoError::VeNotEnabled,
    );
    // A sub-DAO whose V is not enabled.
    let (other, _) = h.sub_dao("compute").await;
    assert_dao_err(
        h.send(&[record(&h, &other, START, 1)], &[]).await,
        DaoError::VeNotEnabled,
    );
}

#[tokio::test]
async fn refuses_other_accounts() {
    let (h, sub) = enabled().await;
    // The record of another hour, or of another sub-DAO.
    let (other, _) = h.sub_dao("compute").await;
    for wrong in [
        pda::sub_dao_epoch(&sub, START + 1),
        pda::sub_dao_epoch(&other, START),
    ] {
        let mut ix = ix::record_ve(
            &pda::governance(&h.dao()),
            &h.payer.pubkey(),
            &h.dao(),
            &sub,
            START,
            1,
            0,
        );
        ix.accounts[4].pubkey = wrong;
        assert_anchor_err(
            h.send(&[via_governance(&h.dao(), ix)], &[]).await,
            anchor_lang::error::ErrorCode::ConstraintSeeds,
        );
    }
    // A sub-DAO of another DAO.
    let second = h.second_dao();
    second.init(main_args()).await.unwrap();
    let foreign = second.add_sub(sub_args("coverage")).await.unwrap();
    let ix = ix::record_ve(
        &pda::governance(&h.dao()),
        &h.payer.pubkey(),
        &h.dao(),
        &foreign,
        START,
        1,
        0,
    );
    assert_anchor_err(
        h.send(&[via_governance(&h.dao(), ix)], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
}
