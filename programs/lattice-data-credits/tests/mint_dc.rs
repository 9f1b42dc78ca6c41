//! `mint_dc`: happy paths, every price failure, amounts, balance and breaker.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_data_credits::{DataCredits, DcError, DcHour, MintDcArgs};
use lattice_sdk::dc::PriceReading;
use solana_sdk::{pubkey::Pubkey, signature::Signer};

#[tokio::test]
async fn mints_by_main_amount_at_the_lower_bound() {
    let h = Harness::ready().await;
    let me = h.payer.pubkey();
    let before = h.main_balance(&me).await;
    h.mint_by_main(1_000_000).await.unwrap();
    // 1 token at $2.49 (lower bound) = 249,000 DC at $0.00001.
    assert_eq!(h.dc_balance(&me).await, 249_000);
    assert_eq!(h.main_balance(&me).await, before - 1_000_000);
    let cfg: DataCredits = h
        .fetch(&lattice_sdk::dc::data_credits(&h.dao()))
        .await
        .unwrap();
    assert_eq!(cfg.total_minted, 249_000);
    assert_eq!(cfg.total_main_burned, 1_000_000);
}

#[tokio::test]
async fn mints_by_dc_amount_rounding_up_the_cost() {
    let h = Harness::ready().await;
    let me = h.payer.pubkey();
    let before = h.main_balance(&me).await;
    let ix = h.mint_ix(MintDcArgs {
        main_amount: None,
        dc_amount: Some(1),
    });
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.dc_balance(&me).await, 1);
    assert_eq!(
        before - h.main_balance(&me).await,
        5,
        "4.016 rounds up to 5"
    );
}

#[tokio::test]
async fn mints_for_another_recipient() {
    let h = Harness::ready().await;
    let dapp = Pubkey::new_unique();
    h.create_dc_account(&dapp).await;
    let ix = lattice_sdk::dc::mint_dc(
        &h.payer.pubkey(),
        &h.main_mint.pubkey(),
        &dapp,
        &h.price,
        MintDcArgs {
            main_amount: Some(2_000_000),
            dc_amount: None,
        },
        GENESIS_HOUR,
    );
    h.send(&[ix], &[]).await.unwrap();
    assert_eq!(h.dc_balance(&dapp).await, 498_000);
}

#[tokio::test]
async fn refuses_bad_amounts() {
    let h = Harness::ready().await;
    for args in [
        MintDcArgs {
            main_amount: None,
            dc_amount: None,
        },
        MintDcArgs {
            main_amount: Some(1),
            dc_amount: Some(1),
        },
        MintDcArgs {
            main_amount: Some(0),
            dc_amount: None,
        },
        MintDcArgs {
            main_amount: None,
            dc_amount: Some(0),
        },
        // 4 base units buy less than one DC.
        MintDcArgs {
            main_amount: Some(4),
            dc_amount: None,
        },
    ] {
        let ix = h.mint_ix(args);
        assert_dc_err(h.send(&[ix], &[]).await, DcError::InvalidAmount);
    }
}

#[tokio::test]
async fn refuses_more_main_than_held() {
    let h = Harness::ready().await;
    let held = h.main_balance(&h.payer.pubkey()).await;
    assert_dc_err(h.mint_by_main(held + 1).await, DcError::InsufficientMain);
}

#[tokio::test]
async fn refuses_stale_price() {
    let h = Harness::ready().await;
    h.set_price(PriceReading {
        publish_time: NOW - 61,
        ..good_price()
    })
    .await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::PriceStale);
    // Exactly max_age old is still accepted.
    h.set_price(PriceReading {
        publish_time: NOW - 60,
        ..good_price()
    })
    .await;
    h.mint_by_main(1_000_000).await.unwrap();
}

#[tokio::test]
async fn refuses_non_positive_price() {
    let h = Harness::ready().await;
    h.set_price(PriceReading {
        price: -250_000_000,
        ..good_price()
    })
    .await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::PriceNotPositive);
    h.set_price(PriceReading {
        price: 0,
        ..good_price()
    })
    .await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::PriceNotPositive);
}

#[tokio::test]
async fn refuses_wide_confidence() {
    let h = Harness::ready().await;
    h.set_price(PriceReading {
        conf: 5_000_001,
        ..good_price()
    })
    .await;
    assert_dc_err(
        h.mint_by_main(1_000_000).await,
        DcError::PriceConfidenceTooWide,
    );
}

#[tokio::test]
async fn refuses_wrong_feed() {
    let h = Harness::ready().await;
    h.set_price(PriceReading {
        feed_id: [8; 32],
        ..good_price()
    })
    .await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::WrongPriceFeed);
}

#[tokio::test]
async fn refuses_wrong_owner() {
    let h = Harness::ready().await;
    h.set_price_owned_by(good_price(), Pubkey::new_unique())
        .await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::WrongPriceOwner);
}

#[tokio::test]
async fn refuses_unverified_update() {
    let h = Harness::ready().await;
    h.set_price(PriceReading {
        fully_verified: false,
        ..good_price()
    })
    .await;
    assert_dc_err(h.mint_by_main(1_000_000).await, DcError::PriceUnverified);
}

#[tokio::test]
async fn refuses_account_that_is_not_a_price_update() {
    let h = Harness::ready().await;
    let mut acct = lattice_sdk::dc::price_update_account(&good_price(), &PYTH_RECEIVER, 1_000_000);
    acct.data[0] ^= 0xff; // break the discriminator
    h.chain.set_account(&h.price, acct).await;
    assert_dc_err(
        h.mint_by_main(1_000_000).await,
        DcError::InvalidPriceAccount,
    );
}

#[tokio::test]
async fn breaker_limits_dc_minted_per_window() {
    let h = Harness::dao_only().await;
    let mut args = dc_args();
    args.breaker.threshold = 300_000;
    h.init_dc(args).await.unwrap();
    h.set_price(good_price()).await;
    h.create_dc_account(&h.payer.pubkey()).await;
    h.mint_by_main(1_000_000).await.unwrap(); // 249,000 DC
                                              // Another amount: an identical transaction under the same blockhash would be the first one.
    assert_dc_err(
        h.mint_by_main(1_000_001).await,
        DcError::CircuitBreakerTripped,
    );
    assert_eq!(h.dc_balance(&h.payer.pubkey()).await, 249_000);
}

#[tokio::test]
async fn requires_owner_signature_and_configured_accounts() {
    let h = Harness::ready().await;
    let mut ix = h.mint_ix(MintDcArgs {
        main_amount: Some(1_000_000),
        dc_amount: None,
    });
    // Someone else's main account, owner not signing.
    let victim = Pubkey::new_unique();
    ix.accounts[0].pubkey = victim;
    ix.accounts[0].is_signer = false;
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    // A DC mint that is not the configured one.
    let mut ix = h.mint_ix(MintDcArgs {
        main_amount: Some(1_000_000),
        dc_amount: None,
    });
    ix.accounts[4].pubkey = h.main_mint.pubkey();
    assert_anchor_err(
        h.send(&[ix], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
}

#[tokio::test]
async fn records_each_hours_burn_and_price() {
    let h = Harness::ready().await;
    h.mint_by_main(1_000_000).await.unwrap();
    let ix = h.mint_ix(MintDcArgs {
        main_amount: None,
        dc_amount: Some(1),
    });
    h.send(&[ix], &[]).await.unwrap();
    let record: DcHour = h
        .fetch(&lattice_sdk::dc::dc_hour(&h.dao(), GENESIS_HOUR))
        .await
        .unwrap();
    assert_eq!(
        (
            record.data_credits,
            record.hour,
            record.main_burned,
            record.dc_minted,
            record.mints
        ),
        (
            lattice_sdk::dc::data_credits(&h.dao()),
            GENESIS_HOUR,
            1_000_005,
            249_001,
            2
        )
    );
    assert_eq!(
        (record.price, record.price_exponent),
        (249_000_000, -8),
        "price − conf"
    );

    // The next hour opens its own record; naming another hour's record is refused.
    h.chain.set_unix_timestamp(NOW + HOUR).await.unwrap();
    h.set_price(PriceReading {
        publish_time: NOW + HOUR,
        ..good_price()
    })
    .await;
    assert_anchor_err(
        h.send(
            &[h.mint_ix(MintDcArgs {
                main_amount: Some(10),
                dc_amount: None,
            })],
            &[],
        )
        .await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    let ix = lattice_sdk::dc::mint_dc(
        &h.payer.pubkey(),
        &h.main_mint.pubkey(),
        &h.payer.pubkey(),
        &h.price,
        MintDcArgs {
            main_amount: Some(4_000),
            dc_amount: None,
        },
        GENESIS_HOUR + 1,
    );
    h.send(&[ix], &[]).await.unwrap();
    let next: DcHour = h
        .fetch(&lattice_sdk::dc::dc_hour(&h.dao(), GENESIS_HOUR + 1))
        .await
        .unwrap();
    assert_eq!(
        (next.main_burned, next.dc_minted, next.mints),
        (4_000, 996, 1)
    );
}
