//! `set_dc_params`: each parameter changes alone and takes effect on the next mint, validation as
//! in `initialize_data_credits`, the breaker's running state is kept, and every failing input.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::BreakerParams;
use lattice_data_credits::{DataCredits, DcError, DcParamsUpdate};
use lattice_sdk::dc;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

fn no_change() -> DcParamsUpdate {
    DcParamsUpdate {
        dc_price_nano_usd: None,
        price_feed_id: None,
        price_owner: None,
        max_age_secs: None,
        max_conf_bps: None,
        breaker: None,
    }
}

async fn set(h: &Harness, params: DcParamsUpdate) -> Result<(), lattice_sdk::ChainError> {
    let ix = dc::set_dc_params(&h.payer.pubkey(), &h.dao(), params);
    h.send(&[ix], &[]).await
}

async fn config(h: &Harness) -> DataCredits {
    h.fetch(&dc::data_credits(&h.dao())).await.unwrap()
}

#[tokio::test]
async fn a_new_dc_price_applies_to_the_next_mint() {
    let h = Harness::ready().await;
    set(
        &h,
        DcParamsUpdate {
            dc_price_nano_usd: Some(20_000),
            ..no_change()
        },
    )
    .await
    .unwrap();
    let cfg = config(&h).await;
    assert_eq!(cfg.dc_price_nano_usd, 20_000);
    let base = dc_args();
    assert_eq!(
        (
            cfg.price_feed_id,
            cfg.price_owner,
            cfg.max_age_secs,
            cfg.max_conf_bps
        ),
        (
            base.price_feed_id,
            base.price_owner,
            base.max_age_secs,
            base.max_conf_bps
        )
    );
    assert_eq!(cfg.breaker.params, base.breaker);
    // 1 token at $2.49 (lower bound) = 124,500 DC at $0.00002 (249,000 at the old price).
    h.mint_by_main(1_000_000).await.unwrap();
    assert_eq!(h.dc_balance(&h.payer.pubkey()).await, 124_500);
}

#[tokio::test]
async fn a_new_feed_owner_and_limits_apply_to_the_next_mint() {
    let h = Harness::ready().await;
    let feed = [9u8; 32];
    let owner = Pubkey::new_unique();
    let breaker = BreakerParams {
        window_secs: 3_600,
        threshold: 5_000_000,
    };
    set(
        &h,
        DcParamsUpdate {
            dc_price_nano_usd: None,
            price_feed_id: Some(feed),
            price_owner: Some(owner),
            max_age_secs: Some(30),
            max_conf_bps: Some(10_000),
            breaker: Some(breaker),
        },
    )
    .await
    .unwrap();
    let cfg = config(&h).await;
    assert_eq!(
        (
            cfg.price_feed_id,
            cfg.price_owner,
            cfg.max_age_secs,
            cfg.max_conf_bps
        ),
        (feed, owner, 30, 10_000)
    );
    assert_eq!(cfg.breaker.params, breaker);
    assert_eq!(cfg.dc_price_nano_usd, dc_args().dc_price_nano_usd);

    // The old feed's account, owned by the old owner: refused as not owned by the new owner.
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::WrongPriceOwner);
    // Owned by the new owner but for the old feed.
    h.set_price_owned_by(good_price(), owner).await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::WrongPriceFeed);
    // The new feed, 40 s old: beyond the new max age of 30 s.
    let mut reading = good_price();
    reading.feed_id = feed;
    reading.publish_time = NOW - 40;
    h.set_price_owned_by(reading, owner).await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::PriceStale);
    reading.publish_time = NOW;
    h.set_price_owned_by(reading, owner).await;
    h.mint_by_main(1_000_000).await.unwrap();
    assert_eq!(h.dc_balance(&h.payer.pubkey()).await, 249_000);
}

#[tokio::test]
async fn keeps_the_breaker_running_state() {
    let h = Harness::ready().await;
    h.mint_by_main(1_000_000).await.unwrap();
    let before = config(&h).await;
    assert_eq!(before.breaker.value, 249_000);
    // A breaker that already counts the 249,000 DC just minted.
    let breaker = BreakerParams {
        window_secs: 86_400,
        threshold: 300_000,
    };
    set(
        &h,
        DcParamsUpdate {
            breaker: Some(breaker),
            ..no_change()
        },
    )
    .await
    .unwrap();
    let cfg = config(&h).await;
    assert_eq!(cfg.breaker.params, breaker);
    assert_eq!(
        (cfg.breaker.last_ts, cfg.breaker.value),
        (before.breaker.last_ts, before.breaker.value)
    );
    assert_dc_err(
        h.mint_by_main(1_000_000).await,
        DcError::CircuitBreakerTripped,
    );
}

#[tokio::test]
async fn requires_the_dc_authority() {
    let h = Harness::ready().await;
    let stranger = Keypair::new();
    let change = DcParamsUpdate {
        dc_price_nano_usd: Some(1),
        ..no_change()
    };
    let ix = dc::set_dc_params(&stranger.pubkey(), &h.dao(), change.clone());
    assert_dc_err(h.send(&[ix], &[&stranger]).await, DcError::Unauthorized);
    let fee_payer = Keypair::new();
    h.chain
        .airdrop(&fee_payer.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let mut ix = dc::set_dc_params(&h.payer.pubkey(), &h.dao(), change);
    ix.accounts[0].is_signer = false;
    let res = lattice_sdk::send::send(&h.chain, &h.opts, &[ix], &fee_payer, &[]).await;
    assert_anchor_err(res, anchor_lang::error::ErrorCode::AccountNotSigner);
    assert_eq!(
        config(&h).await.dc_price_nano_usd,
        dc_args().dc_price_nano_usd
    );
}

#[tokio::test]
async fn refuses_what_initialize_data_credits_refuses() {
    let h = Harness::ready().await;
    let cases = [
        DcParamsUpdate {
            dc_price_nano_usd: Some(0),
            ..no_change()
        },
        DcParamsUpdate {
            max_age_secs: Some(0),
            ..no_change()
        },
        DcParamsUpdate {
            max_conf_bps: Some(10_001),
            ..no_change()
        },
        DcParamsUpdate {
            breaker: Some(BreakerParams {
                window_secs: 0,
                threshold: 1,
            }),
            ..no_change()
        },
    ];
    for params in cases {
        assert_dc_err(set(&h, params).await, DcError::InvalidParameter);
    }
    let cfg = config(&h).await;
    let base = dc_args();
    assert_eq!(
        (
            cfg.dc_price_nano_usd,
            cfg.max_age_secs,
            cfg.max_conf_bps,
            cfg.breaker.params
        ),
        (
            base.dc_price_nano_usd,
            base.max_age_secs,
            base.max_conf_bps,
            base.breaker
        )
    );
}
