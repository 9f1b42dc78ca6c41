//! `enable_ve`: only the DAO's governance PDA turns a sub-DAO's V input on, once, for a future
//! hour, and becomes its delegator pool's delegate.
//!
//! The governance PDA signs through [`mock_governance`], a stand-in registered at the governance
//! program's id that forwards the instruction with `invoke_signed`, as the governance program's
//! CPI does (the governance program's own tests cover the real CPI).

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_spl::token::TokenAccount;
use common::*;
use lattice_dao::{DaoError, SubDao};
use lattice_sdk::{ix, pda};
use solana_sdk::signature::{Keypair, Signer};

#[test]
fn governance_pda_is_the_governance_programs() {
    let dao = solana_sdk::pubkey::Pubkey::new_unique();
    let (expected, _) = solana_sdk::pubkey::Pubkey::find_program_address(
        &[b"governance", dao.as_ref()],
        &solana_sdk::pubkey!("8gsREG8f7ceK5r2NZcnsqpbShDJHcpHgy84zk6RhtZDw"),
    );
    assert_eq!(lattice_dao::governance_pda(&dao), expected);
    assert_eq!(pda::governance(&dao), expected);
}

#[tokio::test]
async fn enables_v_from_a_future_hour_and_delegates_the_pool() {
    let h = Harness::with_dao_and_governance().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let gov = pda::governance(&h.dao());
    let ix = ix::enable_ve(&gov, &h.dao(), &sub, GENESIS_HOUR + 1);
    h.send(&[via_governance(&h.dao(), ix)], &[]).await.unwrap();

    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.ve_start_hour, GENESIS_HOUR + 1);
    assert!(!s.ve_required(GENESIS_HOUR) && s.ve_required(GENESIS_HOUR + 1));
    let pool: TokenAccount = h.fetch(&pda::delegator_pool(&sub)).await.unwrap();
    assert_eq!(pool.delegate, Some(gov).into());
    assert_eq!(pool.delegated_amount, u64::MAX);
    assert_eq!(pool.owner, sub, "the sub-DAO PDA still owns the pool");

    // The other sub-DAO is untouched.
    let (other, _) = h.sub_dao("compute").await;
    let o: SubDao = h.fetch(&other).await.unwrap();
    assert_eq!(o.ve_start_hour, 0);
    let pool: TokenAccount = h.fetch(&pda::delegator_pool(&other)).await.unwrap();
    assert!(pool.delegate.is_none());
}

#[tokio::test]
async fn requires_the_governance_pda() {
    let h = Harness::with_dao_and_governance().await;
    let (sub, _) = h.sub_dao("coverage").await;
    // A random signer, and the DAO authority itself.
    for signer in [Keypair::new(), h.authority.insecure_clone()] {
        let ix = ix::enable_ve(&signer.pubkey(), &h.dao(), &sub, GENESIS_HOUR + 1);
        assert_dao_err(h.send(&[ix], &[&signer]).await, DaoError::Unauthorized);
    }
    // The governance PDA of another DAO, signing through the governance program.
    let other = h.second_dao();
    other.init(main_args()).await.unwrap();
    let ix = ix::enable_ve(
        &pda::governance(&other.dao()),
        &h.dao(),
        &sub,
        GENESIS_HOUR + 1,
    );
    assert_dao_err(
        h.send(&[via_governance(&other.dao(), ix)], &[]).await,
        DaoError::Unauthorized,
    );
    // The right PDA without its signature (only the governance program can sign for it).
    let mut ix = ix::enable_ve(&pda::governance(&h.dao()), &h.dao(), &sub, GENESIS_HOUR + 1);
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.ve_start_hour, 0);
}

#[tokio::test]
async fn refuses_a_start_hour_not_in_the_future() {
    let h = Harness::with_dao_and_governance().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let gov = pda::governance(&h.dao());
    // The clock is inside GENESIS_HOUR: that hour, earlier ones and 0 are refused.
    for start in [0, GENESIS_HOUR - 1, GENESIS_HOUR] {
        let ix = ix::enable_ve(&gov, &h.dao(), &sub, start);
        assert_dao_err(
            h.send(&[via_governance(&h.dao(), ix)], &[]).await,
            DaoError::InvalidVeHour,
        );
    }
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.ve_start_hour, 0);
}

#[tokio::test]
async fn enables_once() {
    let h = Harness::with_dao_and_governance().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let gov = pda::governance(&h.dao());
    let ix = ix::enable_ve(&gov, &h.dao(), &sub, GENESIS_HOUR + 5);
    h.send(&[via_governance(&h.dao(), ix)], &[]).await.unwrap();
    let ix = ix::enable_ve(&gov, &h.dao(), &sub, GENESIS_HOUR + 9);
    assert_dao_err(
        h.send(&[via_governance(&h.dao(), ix)], &[]).await,
        DaoError::VeAlreadyEnabled,
    );
    let s: SubDao = h.fetch(&sub).await.unwrap();
    assert_eq!(s.ve_start_hour, GENESIS_HOUR + 5);
}

#[tokio::test]
async fn refuses_other_accounts() {
    let h = Harness::with_dao_and_governance().await;
    let (sub, _) = h.sub_dao("coverage").await;
    let (other_sub, _) = h.sub_dao("compute").await;
    let gov = pda::governance(&h.dao());
    // Another account (the treasury, another sub-DAO's pool) in place of the delegator pool.
    for wrong in [pda::treasury(&sub), pda::delegator_pool(&other_sub)] {
        let mut ix = ix::enable_ve(&gov, &h.dao(), &sub, GENESIS_HOUR + 1);
        ix.accounts[3].pubkey = wrong;
        assert_anchor_err(
            h.send(&[via_governance(&h.dao(), ix)], &[]).await,
            anchor_lang::error::ErrorCode::ConstraintAddress,
        );
    }
    // A sub-DAO of another DAO.
    let other = h.second_dao();
    other.init(main_args()).await.unwrap();
    let foreign = other.add_sub(sub_args("coverage")).await.unwrap();
    let ix = ix::enable_ve(&gov, &h.dao(), &foreign, GENESIS_HOUR + 1);
    assert_anchor_err(
        h.send(&[via_governance(&h.dao(), ix)], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
}
