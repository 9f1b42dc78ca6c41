//! Shared harness: a DAO with two sub-DAOs, data credits initialized, a Pyth price injected.

#![allow(dead_code)]

use lattice_dao::{
    AddSubDaoArgs, BreakerParams, EmissionParams, InitializeDaoArgs, UtilityWeightParams,
};
use lattice_data_credits::{DcError, InitializeDataCreditsArgs, MintDcArgs};
use lattice_sdk::{
    dc::{self, PriceReading},
    embedded::EmbeddedChain,
    ix,
    send::{send, SendOptions},
    Chain, ChainError,
};
use solana_sdk::{
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

pub const HOUR: i64 = 3_600;
pub const GENESIS_HOUR: u64 = 493_000;
pub const NOW: i64 = GENESIS_HOUR as i64 * HOUR + 600;
pub const FEED: [u8; 32] = [7; 32];
/// The Pyth receiver program id (the configured owner of price accounts).
pub const PYTH_RECEIVER: Pubkey = pyth_solana_receiver_sdk::ID;

pub fn dc_args() -> InitializeDataCreditsArgs {
    InitializeDataCreditsArgs {
        price_feed_id: FEED,
        price_owner: PYTH_RECEIVER,
        max_age_secs: 60,
        max_conf_bps: 200,
        dc_price_nano_usd: 10_000,
        breaker: BreakerParams {
            window_secs: 86_400,
            threshold: 1_000_000_000_000,
        },
    }
}

/// $2.50 ± $0.01, published now.
pub fn good_price() -> PriceReading {
    PriceReading {
        feed_id: FEED,
        price: 250_000_000,
        conf: 1_000_000,
        exponent: -8,
        publish_time: NOW,
        fully_verified: true,
    }
}

fn sub_args(name: &str) -> AddSubDaoArgs {
    AddSubDaoArgs {
        name: name.into(),
        decimals: 6,
        max_supply: 10_000_000_000_000_000,
        emission: EmissionParams {
            pool: 5_000_000_000_000_000,
            periods: 20,
            hours_per_period: 8_760,
            decay_bps: 8_500,
        },
        breaker: BreakerParams {
            window_secs: 86_400,
            threshold: 20_000_000_000_000,
        },
    }
}

pub struct Harness {
    pub chain: EmbeddedChain,
    pub payer: Keypair,
    pub main_mint: Keypair,
    pub burn_authority: Keypair,
    pub opts: SendOptions,
    pub price: Pubkey,
}

impl Harness {
    /// A DAO (authority = payer, genesis supply to the payer) with `coverage` and `compute`,
    /// no data credits yet.
    pub async fn dao_only() -> Self {
        let chain = EmbeddedChain::start_default().await;
        chain.set_unix_timestamp(NOW).await.unwrap();
        let payer = chain.payer().await;
        let h = Self {
            chain,
            payer,
            main_mint: Keypair::new(),
            burn_authority: Keypair::new(),
            opts: SendOptions {
                max_attempts: 1,
                ..Default::default()
            },
            price: Pubkey::new_unique(),
        };
        let init = ix::initialize_dao(
            &h.payer.pubkey(),
            &h.payer.pubkey(),
            &h.main_mint.pubkey(),
            &h.payer.pubkey(),
            InitializeDaoArgs {
                decimals: 6,
                max_supply: 800_000_000_000_000,
                genesis_supply: 500_000_000_000_000,
                genesis_hour: None,
                emission: EmissionParams {
                    pool: 300_000_000_000_000,
                    periods: 20,
                    hours_per_period: 8_760,
                    decay_bps: 8_500,
                },
                breaker: BreakerParams {
                    window_secs: 86_400,
                    threshold: 1_000_000_000_000,
                },
                utility_weights: UtilityWeightParams {
                    ve_bps: 4_000,
                    dc_bps: 4_000,
                    devices_bps: 2_000,
                },
                delegator_bps: 2_000,
            },
        );
        h.send(&[init], &[&h.main_mint]).await.unwrap();
        for name in ["coverage", "compute"] {
            let mint = Keypair::new();
            let add = ix::add_sub_dao(
                &h.payer.pubkey(),
                &h.payer.pubkey(),
                &h.main_mint.pubkey(),
                &mint.pubkey(),
                sub_args(name),
            );
            h.send(&[add], &[&mint]).await.unwrap();
        }
        h.chain
            .airdrop(&h.burn_authority.pubkey(), 1_000_000_000)
            .await
            .unwrap();
        h
    }

    /// Everything set up: DC initialized, both sub-DAOs registered, a good price posted, and the
    /// payer's DC account created.
    pub async fn ready() -> Self {
        let h = Self::dao_only().await;
        h.init_dc(dc_args()).await.unwrap();
        for name in ["coverage", "compute"] {
            let sub = h.sub_dao(name);
            let ix = dc::add_sub_dao_dc(
                &h.payer.pubkey(),
                &h.payer.pubkey(),
                &h.dao(),
                &sub,
                &h.burn_authority.pubkey(),
            );
            h.send(&[ix], &[]).await.unwrap();
        }
        h.set_price(good_price()).await;
        h.create_dc_account(&h.payer.pubkey()).await;
        h
    }

    pub fn dao(&self) -> Pubkey {
        lattice_sdk::pda::dao(&self.main_mint.pubkey())
    }

    pub fn sub_dao(&self, name: &str) -> Pubkey {
        lattice_sdk::pda::sub_dao(&self.dao(), name)
    }

    pub async fn send(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), ChainError> {
        send(&self.chain, &self.opts, ixs, &self.payer, signers)
            .await
            .map(|_| ())
    }

    pub async fn init_dc(&self, args: InitializeDataCreditsArgs) -> Result<(), ChainError> {
        let ix = dc::initialize_data_credits(
            &self.payer.pubkey(),
            &self.payer.pubkey(),
            &self.main_mint.pubkey(),
            args,
        );
        self.send(&[ix], &[]).await
    }

    pub async fn set_price(&self, reading: PriceReading) {
        self.set_price_owned_by(reading, PYTH_RECEIVER).await;
    }

    pub async fn set_price_owned_by(&self, reading: PriceReading, owner: Pubkey) {
        let acct = dc::price_update_account(&reading, &owner, 10_000_000);
        self.chain.set_account(&self.price, acct).await;
    }

    pub async fn create_dc_account(&self, owner: &Pubkey) {
        let ix = dc::create_dc_account(&self.payer.pubkey(), owner, &self.dao());
        self.send(&[ix], &[]).await.unwrap();
    }

    pub fn mint_ix(&self, args: MintDcArgs) -> Instruction {
        dc::mint_dc(
            &self.payer.pubkey(),
            &self.main_mint.pubkey(),
            &self.payer.pubkey(),
            &self.price,
            args,
            GENESIS_HOUR,
        )
    }

    pub async fn mint_by_main(&self, main: u64) -> Result<(), ChainError> {
        let ix = self.mint_ix(MintDcArgs {
            main_amount: Some(main),
            dc_amount: None,
        });
        self.send(&[ix], &[]).await
    }

    pub async fn token_amount(&self, key: &Pubkey) -> u64 {
        let acct = self.chain.get_account(key).await.unwrap().expect("exists");
        lattice_sdk::accounts::token_amount(&acct.data[..165]).unwrap()
    }

    pub async fn dc_balance(&self, owner: &Pubkey) -> u64 {
        self.token_amount(&dc::dc_account(owner, &self.dao())).await
    }

    pub async fn main_balance(&self, owner: &Pubkey) -> u64 {
        self.token_amount(&lattice_sdk::pda::associated_token(
            owner,
            &self.main_mint.pubkey(),
        ))
        .await
    }

    pub async fn fetch<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        lattice_sdk::accounts::fetch::<T, _>(&self.chain, key)
            .await
            .unwrap()
    }
}

pub fn assert_dc_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: DcError) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?} ({}), got {err}",
        u32::from(expected)
    );
}

pub fn assert_anchor_err<T: std::fmt::Debug>(
    res: Result<T, ChainError>,
    expected: anchor_lang::error::ErrorCode,
) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?} ({}), got {err}",
        u32::from(expected)
    );
}
