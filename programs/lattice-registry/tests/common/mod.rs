//! Shared harness: the whole network bootstrapped from `app-config/localnet.toml`, a MAIN/USD
//! price posted, and a funded operator holding main tokens and DC.

#![allow(dead_code)]

use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_registry::{GpuSpecs, HotspotLocation, RegistryError};
use lattice_sdk::{
    dc::{self, PriceReading},
    embedded::EmbeddedChain,
    registry::{self, RegistryKeys},
    send::{send, SendOptions},
    Chain, ChainError,
};
use solana_sdk::{
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};
use std::path::PathBuf;

pub const HOUR: i64 = 3_600;

pub fn config() -> LatticeConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../app-config/localnet.toml");
    LatticeConfig::load_with_env(&path, Some(Default::default())).unwrap()
}

/// An H3 cell at `res` near Paris.
pub fn cell(res: u8, dlat: f64) -> u64 {
    let r = h3o::Resolution::try_from(res).unwrap();
    u64::from(h3o::LatLng::new(48.8566 + dlat, 2.3522).unwrap().to_cell(r))
}

pub fn location() -> HotspotLocation {
    HotspotLocation {
        location: cell(12, 0.0),
        gain_dbi_x10: 40,
        elevation_m: 10,
    }
}

pub fn gpu_specs(count: u8) -> GpuSpecs {
    GpuSpecs {
        model: registry::model_bytes("RTX 4090"),
        vram_gb: 24,
        gpu_count: count,
        region: *b"DE",
    }
}

pub struct Harness {
    pub chain: EmbeddedChain,
    pub cfg: LatticeConfig,
    pub payer: Keypair,
    pub main_mint: Keypair,
    pub keys: RegistryKeys,
    pub opts: SendOptions,
    pub price: Pubkey,
    pub now: i64,
}

impl Harness {
    /// The network, with the payer (= DAO authority, holding the genesis supply) owning
    /// `dc_main` base units' worth of DC.
    pub async fn new(dc_main: u64) -> Self {
        let cfg = config();
        let chain = EmbeddedChain::start_default().await;
        let now = cfg.localnet.start_unix.unwrap() + 60;
        chain.set_unix_timestamp(now).await.unwrap();
        let payer = chain.payer().await;
        let main_mint = Keypair::new();
        let opts = SendOptions {
            max_attempts: 1,
            ..Default::default()
        };
        bootstrap(&chain, &cfg, &opts, &payer, &payer, &main_mint)
            .await
            .unwrap();
        let keys = lattice_migrations::bootstrap::registry_keys(&cfg, &main_mint.pubkey());
        let h = Self {
            chain,
            keys,
            payer,
            main_mint,
            opts,
            price: Pubkey::new_unique(),
            cfg,
            now,
        };
        let args = h.cfg.data_credits_args().unwrap();
        let reading = PriceReading {
            feed_id: args.price_feed_id,
            price: 250_000_000,
            conf: 1_000_000,
            exponent: -8,
            publish_time: now,
            fully_verified: true,
        };
        h.chain
            .set_account(
                &h.price,
                dc::price_update_account(&reading, &args.price_owner, 10_000_000),
            )
            .await;
        let create = dc::create_dc_account(&h.payer.pubkey(), &h.payer.pubkey(), &h.keys.dao);
        h.send(&[create], &[]).await.unwrap();
        if dc_main > 0 {
            let mint = dc::mint_dc(
                &h.payer.pubkey(),
                &h.main_mint.pubkey(),
                &h.payer.pubkey(),
                &h.price,
                lattice_data_credits::MintDcArgs {
                    main_amount: Some(dc_main),
                    dc_amount: None,
                },
                lattice_math::epoch::hour_of(now),
            );
            h.send(&[mint], &[]).await.unwrap();
        }
        h
    }

    /// Only the DAO, its two sub-DAOs and the registry, created here with the payer as every
    /// authority (not by the bootstrap, which may hand the authorities to governance); no data
    /// credits, so only zero fees can be paid.
    pub async fn registry_only() -> Self {
        let cfg = config();
        let chain = EmbeddedChain::start_default().await;
        let now = cfg.localnet.start_unix.unwrap() + 60;
        chain.set_unix_timestamp(now).await.unwrap();
        let payer = chain.payer().await;
        let main_mint = Keypair::new();
        let keys = lattice_migrations::bootstrap::registry_keys(&cfg, &main_mint.pubkey());
        let h = Self {
            chain,
            keys,
            payer,
            main_mint,
            opts: SendOptions {
                max_attempts: 1,
                ..Default::default()
            },
            price: Pubkey::new_unique(),
            cfg,
            now,
        };
        let me = h.payer.pubkey();
        let init = lattice_sdk::ix::initialize_dao(
            &me,
            &me,
            &h.main_mint.pubkey(),
            &me,
            h.cfg.initialize_args().unwrap(),
        );
        h.send(&[init], &[&h.main_mint]).await.unwrap();
        let names = [
            h.cfg.registry.coverage_sub_dao.clone(),
            h.cfg.registry.compute_sub_dao.clone(),
        ];
        for name in &names {
            let mint = Keypair::new();
            let ix = lattice_sdk::ix::add_sub_dao(
                &me,
                &me,
                &h.main_mint.pubkey(),
                &mint.pubkey(),
                h.cfg.sub_dao_args(name).unwrap(),
            );
            h.send(&[ix], &[&mint]).await.unwrap();
        }
        let ix = registry::initialize_registry(&me, &me, &h.keys, h.cfg.registry_params().unwrap());
        h.send(&[ix], &[]).await.unwrap();
        h
    }

    pub fn hour(&self) -> u64 {
        lattice_math::epoch::hour_of(self.now)
    }

    pub async fn send(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), ChainError> {
        send(&self.chain, &self.opts, ixs, &self.payer, signers)
            .await
            .map(|_| ())
    }

    pub async fn register_hotspot(
        &self,
        device: &Keypair,
        loc: HotspotLocation,
    ) -> Result<(), ChainError> {
        let ix = registry::register_hotspot(
            &self.payer.pubkey(),
            &device.pubkey(),
            &self.keys,
            self.hour(),
            loc,
        );
        self.send(&[ix], &[device]).await
    }

    pub async fn register_gpu(&self, device: &Keypair, specs: GpuSpecs) -> Result<(), ChainError> {
        let ix = registry::register_gpu_node(
            &self.payer.pubkey(),
            &device.pubkey(),
            &self.keys,
            self.hour(),
            specs,
        );
        self.send(&[ix], &[device]).await
    }

    pub async fn set_time(&mut self, unix: i64) {
        self.now = unix;
        self.chain.set_unix_timestamp(unix).await.unwrap();
    }

    pub async fn dc_balance(&self) -> u64 {
        let acct = self
            .chain
            .get_account(&dc::dc_account(&self.payer.pubkey(), &self.keys.dao))
            .await
            .unwrap()
            .unwrap();
        lattice_sdk::accounts::token_amount(&acct.data[..165]).unwrap()
    }

    pub async fn main_balance(&self) -> u64 {
        let acct = self
            .chain
            .get_account(&lattice_sdk::pda::associated_token(
                &self.payer.pubkey(),
                &self.main_mint.pubkey(),
            ))
            .await
            .unwrap()
            .unwrap();
        lattice_sdk::accounts::token_amount(&acct.data).unwrap()
    }

    pub async fn active_devices(&self, sub_dao: &Pubkey) -> u64 {
        self.fetch::<lattice_dao::SubDao>(sub_dao)
            .await
            .unwrap()
            .active_devices
    }

    pub async fn fetch<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        lattice_sdk::accounts::fetch::<T, _>(&self.chain, key)
            .await
            .unwrap()
    }
}

pub fn assert_reg_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: RegistryError) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?} ({}), got {err}",
        u32::from(expected)
    );
}

pub fn assert_code<T: std::fmt::Debug>(res: Result<T, ChainError>, code: u32) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(code),
        "expected code {code}, got {err}"
    );
}
