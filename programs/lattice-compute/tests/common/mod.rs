//! Shared harness for the compute program tests: the whole network bootstrapped from
//! `app-config/localnet.toml` (its `consumer` and `datacenter` markets), with the compute
//! sub-DAO's burn authority handed to the compute configuration, 2-of-3 fault oracles, a
//! MAIN/USD price, and the payer (DAO authority) holding main tokens and DC. GPU nodes are
//! registered for real through the registry (stake locked in its vault).

#![allow(dead_code, clippy::arithmetic_side_effects)]

use lattice_compute::{
    ComputeConfig, ComputeError, FaultSubject, Job, JobKind, Market, NodeEpoch, PostJobArgs,
};
use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_registry::{GpuNode, GpuSpecs};
use lattice_sdk::{
    compute::{self, ComputeKeys},
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
use std::{
    path::PathBuf,
    sync::atomic::{AtomicI64, AtomicU32, Ordering},
};

pub const CONSUMER: u8 = 0;
pub const DATACENTER: u8 = 1;
/// Main tokens the payer burns for DC at setup (10,000 LAT ≈ 2.49 billion DC at $2.49).
pub const DC_MAIN: u64 = 10_000_000_000;

pub fn config() -> LatticeConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../app-config/localnet.toml");
    let mut cfg = LatticeConfig::load_with_env(&path, Some(Default::default())).unwrap();
    cfg.compute.hand_over_burn_authority = true;
    // These tests drive the compute admin instructions with the bootstrap key; governance's own
    // tests cover the handoff.
    cfg.governance.hand_over = false;
    cfg
}

/// A GPU node registered in the registry, owned by the payer.
pub struct Node {
    pub device: Keypair,
}

impl Node {
    /// The registry `GpuNode` account.
    pub fn account(&self) -> Pubkey {
        registry::gpu_node(&self.device.pubkey())
    }
}

pub struct Harness {
    pub chain: EmbeddedChain,
    pub cfg: LatticeConfig,
    pub payer: Keypair,
    pub main_mint: Keypair,
    pub keys: ComputeKeys,
    pub registry_keys: RegistryKeys,
    pub oracles: Vec<Keypair>,
    pub price: Pubkey,
    sends: AtomicU32,
    now: AtomicI64,
}

impl Harness {
    /// The network with compute initialized (empty oracle set), its markets created and the burn
    /// authority handed over, then 2 of 3 oracles set.
    pub async fn new() -> Self {
        let h = Self::with(config()).await;
        h.set_oracles(h.oracle_keys(), 2).await.unwrap();
        h
    }

    /// The network bootstrapped from `cfg` (compute as `cfg.compute` says), funded, no oracles.
    pub async fn with(cfg: LatticeConfig) -> Self {
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
        let dao = lattice_sdk::pda::dao(&main_mint.pubkey());
        let compute_sub_dao = lattice_sdk::pda::sub_dao(&dao, &cfg.registry.compute_sub_dao);
        let keys = ComputeKeys::new(
            &main_mint.pubkey(),
            &cfg.registry.compute_sub_dao,
            &cfg.compute_slash_destination(&compute_sub_dao).unwrap(),
        );
        let registry_keys = lattice_migrations::bootstrap::registry_keys(&cfg, &main_mint.pubkey());
        let h = Self {
            chain,
            cfg,
            payer,
            main_mint,
            keys,
            registry_keys,
            oracles: (0..3).map(|_| Keypair::new()).collect(),
            price: Pubkey::new_unique(),
            sends: AtomicU32::new(0),
            now: AtomicI64::new(now),
        };
        h.create_dc_account(&h.payer.pubkey()).await;
        h.mint_dc(&h.payer, DC_MAIN).await;
        for o in &h.oracles {
            h.chain.airdrop(&o.pubkey(), 1_000_000_000).await.unwrap();
        }
        h
    }

    pub fn dao(&self) -> Pubkey {
        self.keys.dao
    }

    pub fn config(&self) -> Pubkey {
        self.keys.config()
    }

    pub fn market(&self, class_id: u8) -> Pubkey {
        self.keys.market(class_id)
    }

    pub fn oracle_keys(&self) -> Vec<Pubkey> {
        self.oracles.iter().map(Keypair::pubkey).collect()
    }

    /// Send with the payer as fee payer. Every transaction gets a distinct compute-unit limit,
    /// so that resending the same instructions is a new transaction, not a duplicate.
    pub async fn send(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), ChainError> {
        self.send_as(&self.payer, ixs, signers).await
    }

    /// Send with `fee_payer` paying the fee.
    pub async fn send_as(
        &self,
        fee_payer: &Keypair,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), ChainError> {
        let n = self.sends.fetch_add(1, Ordering::Relaxed);
        let opts = SendOptions {
            max_attempts: 1,
            compute_unit_limit: 1_000_000 + n,
            ..Default::default()
        };
        send(&self.chain, &opts, ixs, fee_payer, signers)
            .await
            .map(|_| ())
    }

    /// The chain clock.
    pub fn now(&self) -> i64 {
        self.now.load(Ordering::Relaxed)
    }

    pub fn hour(&self) -> u64 {
        lattice_math::epoch::hour_of(self.now())
    }

    pub async fn set_time(&self, unix: i64) {
        self.now.store(unix, Ordering::Relaxed);
        self.chain.set_unix_timestamp(unix).await.unwrap();
    }

    /// Move the clock forward by `secs`.
    pub async fn warp(&self, secs: i64) {
        self.set_time(self.now() + secs).await;
    }

    pub async fn create_dc_account(&self, owner: &Pubkey) {
        let ix = dc::create_dc_account(&self.payer.pubkey(), owner, &self.dao());
        self.send(&[ix], &[]).await.unwrap();
    }

    /// `owner` (holding main tokens) burns `main` base units for DC into its own DC account, at
    /// a fresh MAIN/USD price of $2.50 ± $0.01.
    pub async fn mint_dc(&self, owner: &Keypair, main: u64) {
        let args = self.cfg.data_credits_args().unwrap();
        let reading = PriceReading {
            feed_id: args.price_feed_id,
            price: 250_000_000,
            conf: 1_000_000,
            exponent: -8,
            publish_time: self.now(),
            fully_verified: true,
        };
        self.chain
            .set_account(
                &self.price,
                dc::price_update_account(&reading, &args.price_owner, 10_000_000),
            )
            .await;
        let ix = dc::mint_dc(
            &owner.pubkey(),
            &self.main_mint.pubkey(),
            &owner.pubkey(),
            &self.price,
            lattice_data_credits::MintDcArgs {
                main_amount: Some(main),
                dc_amount: None,
            },
            lattice_math::epoch::hour_of(self.now()),
        );
        self.send(&[ix], &[owner]).await.unwrap();
    }

    /// A funded wallet with a DC account holding about `dc` DC.
    pub async fn poster(&self, dc: u64) -> Keypair {
        let k = Keypair::new();
        self.chain
            .airdrop(&k.pubkey(), 10_000_000_000)
            .await
            .unwrap();
        let main_mint = self.main_mint.pubkey();
        let main = dc / 249_000 * 1_000_000 + 1_000_000;
        let create = lattice_sdk::token::create_associated_token_account(
            &self.payer.pubkey(),
            &k.pubkey(),
            &main_mint,
        );
        let fund =
            lattice_sdk::token::transfer(&self.payer.pubkey(), &k.pubkey(), &main_mint, main);
        self.send(&[create, fund], &[]).await.unwrap();
        self.create_dc_account(&k.pubkey()).await;
        self.mint_dc(&k, main).await;
        k
    }

    pub async fn set_oracles(&self, oracles: Vec<Pubkey>, threshold: u8) -> Result<(), ChainError> {
        let ix = compute::set_oracles(&self.payer.pubkey(), &self.keys, oracles, threshold);
        self.send(&[ix], &[]).await
    }

    /// Register a GPU node of `gpus` GPUs with `vram_gb` each, owned by the payer.
    pub async fn node(&self, vram_gb: u16, gpus: u8) -> Node {
        let device = Keypair::new();
        let specs = GpuSpecs {
            model: registry::model_bytes("RTX 4090"),
            vram_gb,
            gpu_count: gpus,
            region: *b"DE",
        };
        let ix = registry::register_gpu_node(
            &self.payer.pubkey(),
            &device.pubkey(),
            &self.registry_keys,
            self.hour(),
            specs,
        );
        self.send(&[ix], &[&device]).await.unwrap();
        Node { device }
    }

    /// A node that qualifies for the consumer market (1 GPU, 24 GiB).
    pub async fn consumer_node(&self) -> Node {
        self.node(24, 1).await
    }

    /// A container job of `price` DC/s for up to `secs` seconds.
    pub fn job_args(&self, price: u64, secs: u64) -> PostJobArgs {
        PostJobArgs {
            kind: JobKind::Container,
            spec_hash: [7; 32],
            spec_uri: "s3://specs/job.json".into(),
            max_duration_secs: secs,
            price_dc_per_sec: price,
        }
    }

    /// A matmul job of `price` DC/s for up to `secs` seconds.
    pub fn matmul_args(&self, price: u64, secs: u64) -> PostJobArgs {
        PostJobArgs {
            kind: JobKind::Matmul,
            ..self.job_args(price, secs)
        }
    }

    pub async fn next_job_id(&self, class_id: u8) -> u64 {
        self.market_account(class_id).await.next_job_id
    }

    /// `poster` posts to `class_id`; returns the job id.
    pub async fn post_as(
        &self,
        poster: &Keypair,
        class_id: u8,
        args: PostJobArgs,
    ) -> Result<u64, ChainError> {
        let id = self.next_job_id(class_id).await;
        let ix = compute::post_job(&poster.pubkey(), &self.keys, class_id, id, args);
        self.send(&[ix], &[poster]).await.map(|_| id)
    }

    /// The payer posts to `class_id`.
    pub async fn post(&self, class_id: u8, args: PostJobArgs) -> Result<u64, ChainError> {
        self.post_as(&self.payer, class_id, args).await
    }

    pub async fn claim(&self, node: &Node, class_id: u8, id: u64) -> Result<(), ChainError> {
        let ix = compute::claim_job(&node.device.pubkey(), &self.keys, class_id, id);
        self.send(&[ix], &[&node.device]).await
    }

    /// Submit a result for the job, with a Merkle root exactly when it is a matmul job.
    pub async fn submit(&self, node: &Node, class_id: u8, id: u64) -> Result<(), ChainError> {
        let job = self.job(class_id, id).await;
        let root = if job.kind == JobKind::Matmul {
            [9; 32]
        } else {
            [0; 32]
        };
        self.submit_with(&node.device, class_id, id, root).await
    }

    pub async fn submit_with(
        &self,
        device: &Keypair,
        class_id: u8,
        id: u64,
        merkle_root: [u8; 32],
    ) -> Result<(), ChainError> {
        let ix = compute::submit_result(
            &device.pubkey(),
            &self.keys,
            class_id,
            id,
            [5; 32],
            "s3://results/out.bin".into(),
            merkle_root,
        );
        self.send(&[ix], &[device]).await
    }

    pub async fn finalize(&self, class_id: u8, id: u64) -> Result<(), ChainError> {
        let job = self.job(class_id, id).await;
        let ix = compute::finalize_job(&self.payer.pubkey(), &self.keys, &job, self.hour());
        self.send(&[ix], &[]).await
    }

    pub async fn timeout(&self, class_id: u8, id: u64) -> Result<(), ChainError> {
        let job = self.job(class_id, id).await;
        let ix = compute::timeout_job(&self.payer.pubkey(), &self.keys, &job);
        self.send(&[ix], &[]).await
    }

    pub async fn cancel_as(
        &self,
        poster: &Keypair,
        class_id: u8,
        id: u64,
    ) -> Result<(), ChainError> {
        let ix = compute::cancel_job(&poster.pubkey(), &self.keys, class_id, id);
        self.send(&[ix], &[poster]).await
    }

    /// Oracle `i` votes a job fault of `node` (passing the job's refund account).
    pub async fn attest_job(
        &self,
        i: usize,
        node: &Node,
        class_id: u8,
        id: u64,
    ) -> Result<(), ChainError> {
        let job = self.fetch::<Job>(&self.keys.job(class_id, id)).await;
        let subject = FaultSubject::Job {
            market: self.market(class_id),
            job_id: id,
        };
        self.attest(i, node, subject, job.map(|j| j.poster_dc).as_ref())
            .await
    }

    pub async fn attest(
        &self,
        i: usize,
        node: &Node,
        subject: FaultSubject,
        poster_dc: Option<&Pubkey>,
    ) -> Result<(), ChainError> {
        let oracle = &self.oracles[i];
        let ix = compute::attest_fault(
            &oracle.pubkey(),
            &self.keys,
            &node.device.pubkey(),
            subject,
            poster_dc,
        );
        self.send_as(oracle, &[ix], &[]).await
    }

    /// Post, claim and submit a job of `node`; returns its id.
    pub async fn submitted(
        &self,
        node: &Node,
        class_id: u8,
        price: u64,
        secs: u64,
        run: i64,
    ) -> u64 {
        let id = self
            .post(class_id, self.job_args(price, secs))
            .await
            .unwrap();
        self.claim(node, class_id, id).await.unwrap();
        self.warp(run).await;
        self.submit(node, class_id, id).await.unwrap();
        id
    }

    /// For each `(index, key, code)`: `good` with account `index` replaced by `key` fails with
    /// custom code `code` (the payer signs).
    pub async fn assert_swaps(&self, good: &Instruction, cases: Vec<(usize, Pubkey, u32)>) {
        for (index, key, code) in cases {
            let mut ix = good.clone();
            ix.accounts[index].pubkey = key;
            assert_code(self.send(&[ix], &[]).await, code);
        }
    }

    pub async fn fetch<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        lattice_sdk::accounts::fetch::<T, _>(&self.chain, key)
            .await
            .unwrap()
    }

    pub async fn job(&self, class_id: u8, id: u64) -> Job {
        self.fetch(&self.keys.job(class_id, id))
            .await
            .expect("job exists")
    }

    pub async fn market_account(&self, class_id: u8) -> Market {
        self.fetch(&self.market(class_id))
            .await
            .expect("market exists")
    }

    pub async fn compute_config(&self) -> ComputeConfig {
        self.fetch(&self.config())
            .await
            .expect("compute initialized")
    }

    pub async fn gpu(&self, node: &Node) -> GpuNode {
        self.fetch(&node.account()).await.expect("node exists")
    }

    pub async fn node_epoch(&self, node: &Node, hour: u64) -> Option<NodeEpoch> {
        self.fetch(&compute::node_epoch(&node.account(), hour))
            .await
    }

    pub async fn exists(&self, key: &Pubkey) -> bool {
        self.chain.get_account(key).await.unwrap().is_some()
    }

    /// A token account's balance (0 if it does not exist).
    pub async fn balance(&self, key: &Pubkey) -> u64 {
        match self.chain.get_account(key).await.unwrap() {
            Some(a) => lattice_sdk::accounts::token_amount(&a.data).unwrap(),
            None => 0,
        }
    }

    /// `owner`'s DC balance.
    pub async fn dc_of(&self, owner: &Pubkey) -> u64 {
        self.balance(&self.keys.dc_account(owner)).await
    }

    /// DC in the pooled escrow.
    pub async fn escrow(&self) -> u64 {
        self.balance(&self.keys.dc_escrow()).await
    }

    /// DC supply.
    pub async fn dc_supply(&self) -> u64 {
        let acct = self
            .chain
            .get_account(&dc::dc_mint(&self.dao()))
            .await
            .unwrap()
            .unwrap();
        lattice_sdk::accounts::mint_supply(&acct.data[..82]).unwrap()
    }

    /// Main tokens in the registry's stake vault.
    pub async fn vault(&self) -> u64 {
        self.balance(&self.keys.stake_vault()).await
    }

    /// Main tokens at the slash destination.
    pub async fn slashed_to(&self) -> u64 {
        self.balance(&self.keys.slash_destination).await
    }

    /// DC burned for usage in the compute sub-DAO's `hour` (the D input).
    pub async fn sub_dao_burned(&self, hour: u64) -> u64 {
        self.fetch::<lattice_dao::SubDaoEpoch>(&lattice_sdk::pda::sub_dao_epoch(
            &self.keys.compute_sub_dao,
            hour,
        ))
        .await
        .map_or(0, |e| e.dc_burned)
    }
}

/// Assert the transaction failed with `expected` from the compute program.
pub fn assert_compute_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: ComputeError) {
    assert_code(res, u32::from(expected));
}

/// Assert the transaction failed with an Anchor framework error code.
pub fn assert_anchor_err<T: std::fmt::Debug>(
    res: Result<T, ChainError>,
    expected: anchor_lang::error::ErrorCode,
) {
    assert_code(res, u32::from(expected));
}

/// Assert the transaction failed with custom code `code`.
pub fn assert_code<T: std::fmt::Debug>(res: Result<T, ChainError>, code: u32) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(code),
        "expected code {code}, got {err}"
    );
}
