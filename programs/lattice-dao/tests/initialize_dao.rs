//! `initialize_dao`: happy path and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{Dao, DaoError};
use lattice_sdk::accounts::DaoView;
use solana_sdk::{
    instruction::InstructionError,
    signature::{Keypair, Signer},
};

#[tokio::test]
async fn creates_dao_with_pda_mint_authority_and_genesis_supply() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.authority, h.authority.pubkey());
    assert_eq!(dao.genesis_hour, GENESIS_HOUR);
    assert_eq!(dao.max_supply, main_args().max_supply);
    assert_eq!(dao.total_emitted, 0);
    assert!(dao.sub_daos.is_empty());

    // The mint's authority is the DAO PDA and nobody can freeze.
    let raw = lattice_sdk::Chain::get_account(&h.chain, &h.main_mint.pubkey())
        .await
        .unwrap()
        .unwrap();
    let mut data: &[u8] = &raw.data;
    let mint =
        <anchor_spl::token::Mint as anchor_lang::AccountDeserialize>::try_deserialize(&mut data)
            .unwrap();
    assert_eq!(mint.mint_authority, Some(h.dao()).into());
    assert!(mint.freeze_authority.is_none());
    assert_eq!(mint.supply, main_args().genesis_supply);
    let genesis_ata =
        lattice_sdk::pda::associated_token(&h.authority.pubkey(), &h.main_mint.pubkey());
    assert_eq!(
        h.token_amount(&genesis_ata).await,
        main_args().genesis_supply
    );

    // A DAO with no sub-DAO has nothing to issue to.
    assert_eq!(
        DaoView::load(&h.chain, &h.main_mint.pubkey())
            .await
            .unwrap()
            .first_issuable_hour(),
        u64::MAX
    );
}

#[tokio::test]
async fn explicit_genesis_hour_is_kept() {
    let h = Harness::new().await;
    let mut args = main_args();
    args.genesis_hour = Some(GENESIS_HOUR + 5);
    h.init(args).await.unwrap();
    let dao: Dao = h.fetch(&h.dao()).await.unwrap();
    assert_eq!(dao.genesis_hour, GENESIS_HOUR + 5);
}

#[tokio::test]
async fn refuses_invalid_schedule() {
    for mutate in [
        (|a: &mut lattice_dao::InitializeDaoArgs| a.emission.periods = 0) as fn(&mut _),
        |a| a.emission.periods = 101,
        |a| a.emission.hours_per_period = 0,
        |a| a.emission.decay_bps = 0,
        |a| a.emission.decay_bps = 10_001,
    ] {
        let h = Harness::new().await;
        let mut args = main_args();
        mutate(&mut args);
        assert_dao_err(h.init(args).await, DaoError::InvalidSchedule);
    }
}

#[tokio::test]
async fn refuses_schedule_above_cap() {
    let h = Harness::new().await;
    let mut args = main_args();
    args.genesis_supply = args.max_supply - args.emission.pool + 1;
    assert_dao_err(h.init(args).await, DaoError::ScheduleExceedsCap);

    let h = Harness::new().await;
    let mut args = main_args();
    args.genesis_supply = u64::MAX;
    assert_dao_err(h.init(args).await, DaoError::ScheduleExceedsCap);
}

#[tokio::test]
async fn refuses_bad_breaker() {
    let h = Harness::new().await;
    let mut args = main_args();
    args.breaker.window_secs = 0;
    assert_dao_err(h.init(args).await, DaoError::InvalidBreaker);

    // A threshold below the peak hour would halt the schedule by itself.
    let h = Harness::new().await;
    let mut args = main_args();
    args.breaker.threshold = 1_000;
    assert_dao_err(h.init(args).await, DaoError::InvalidBreaker);
}

#[tokio::test]
async fn refuses_bad_weights_and_bps() {
    let h = Harness::new().await;
    let mut args = main_args();
    args.utility_weights.ve_bps = 1;
    assert_dao_err(h.init(args).await, DaoError::InvalidUtilityWeights);

    let h = Harness::new().await;
    let mut args = main_args();
    args.delegator_bps = 10_001;
    assert_dao_err(h.init(args).await, DaoError::InvalidBps);
}

#[tokio::test]
async fn requires_authority_and_mint_signatures() {
    // Authority not signing: the transaction cannot even be built with its signature slot empty,
    // so strip the signer flag the way a malicious client would.
    let h = Harness::new().await;
    let mut ix = h.init_ix(main_args());
    ix.accounts[1].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[&h.main_mint]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );

    // The mint must be a fresh keypair signing for its creation.
    let h = Harness::new().await;
    let mut ix = h.init_ix(main_args());
    ix.accounts[2].is_signer = false;
    assert!(h.send(&[ix], &[&h.authority]).await.is_err());
}

#[tokio::test]
async fn cannot_initialize_twice() {
    let h = Harness::new().await;
    h.init(main_args()).await.unwrap();
    // Same mint again: the mint account already exists, so account creation fails in the
    // runtime (before any handler runs) and nothing is minted a second time.
    let ix = h.init_ix(main_args());
    assert_ix_err(
        h.send(&[ix], &[&h.authority, &h.main_mint]).await,
        InstructionError::InvalidInstructionData,
    );
    assert_eq!(
        h.supply(&h.main_mint.pubkey()).await,
        main_args().genesis_supply
    );
    // A second DAO needs a second mint; that is a different DAO, which is fine.
    let other = Keypair::new();
    let ix = lattice_sdk::ix::initialize_dao(
        &h.payer.pubkey(),
        &h.authority.pubkey(),
        &other.pubkey(),
        &h.authority.pubkey(),
        main_args(),
    );
    h.send(&[ix], &[&h.authority, &other]).await.unwrap();
}
