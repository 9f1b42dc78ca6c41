//! Shared harness for the rewards program tests: a DAO with two sub-DAOs and a few issued hours,
//! the coverage sub-DAO's escrow delegated to its rewards configuration (2 of 3 oracles), and
//! registry device accounts written straight into the bank.

#![allow(dead_code, clippy::arithmetic_side_effects)]

use anchor_lang::AccountSerialize;
use lattice_dao::{AddSubDaoArgs, BreakerParams, EmissionParams, InitializeDaoArgs, SubDao};
use lattice_math::merkle::{self, Hash32, Tree};
use lattice_registry::{GpuNode, Hotspot};
use lattice_rewards::{DeviceKind, InitializeRewardsArgs, RewardsConfig, RewardsError};
use lattice_sdk::{
    accounts::fetch,
    embedded::EmbeddedChain,
    ix,
    rewards::{self, RewardsKeys},
    send::{send, SendOptions},
    Chain, ChainError,
};
use solana_sdk::{
    account::Account,
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};
use std::sync::atomic::{AtomicU32, Ordering};

pub const HOUR: i64 = 3_600;
/// Genesis hour (a realistic 2026 hour).
pub const GENESIS_HOUR: u64 = 493_000;
/// Hours issued by [`Harness::new`]: `GENESIS_HOUR..GENESIS_HOUR + ISSUED_HOURS`.
pub const ISSUED_HOURS: u64 = 3;
/// The clock after [`Harness::new`]: hours up to `NOW_HOUR - 1` are over and can be posted.
pub const NOW_HOUR: u64 = GENESIS_HOUR + 100;

pub fn main_args() -> InitializeDaoArgs {
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
        utility_weights: lattice_dao::UtilityWeightParams {
            ve_bps: 4_000,
            dc_bps: 4_000,
            devices_bps: 2_000,
        },
        delegator_bps: 2_000,
    }
}

pub fn sub_args(name: &str) -> AddSubDaoArgs {
    AddSubDaoArgs {
        name: name.to_string(),
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

/// A claim breaker that never trips in these tests.
pub fn wide_breaker() -> BreakerParams {
    BreakerParams {
        window_secs: 86_400,
        threshold: u64::MAX,
    }
}

/// A tree over `(device, cumulative)` leaves, in order.
pub struct Rewards {
    pub entries: Vec<(Pubkey, u64)>,
    pub tree: Tree,
}

impl Rewards {
    pub fn new(entries: &[(Pubkey, u64)]) -> Self {
        let leaves: Vec<Hash32> = entries
            .iter()
            .map(|(d, c)| merkle::leaf(&d.to_bytes(), *c))
            .collect();
        Self {
            entries: entries.to_vec(),
            tree: Tree::new(leaves),
        }
    }

    pub fn root(&self) -> Hash32 {
        self.tree.root()
    }

    /// Sum of the leaves.
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|(_, c)| c).sum()
    }

    pub fn proof(&self, device: &Pubkey) -> Vec<Hash32> {
        let i = self.entries.iter().position(|(d, _)| d == device).unwrap();
        self.tree.proof(i).unwrap()
    }

    pub fn amount(&self, device: &Pubkey) -> u64 {
        self.entries.iter().find(|(d, _)| d == device).unwrap().1
    }
}

/// A device registered in the registry (written into the bank) and its owner.
pub struct Device {
    pub key: Pubkey,
    pub owner: Keypair,
}

pub struct Harness {
    pub chain: EmbeddedChain,
    pub payer: Keypair,
    pub authority: Keypair,
    pub main_mint: Keypair,
    /// The coverage sub-DAO (hotspots).
    pub sub_dao: Pubkey,
    pub sub_mint: Pubkey,
    /// The compute sub-DAO (GPU nodes).
    pub compute: Pubkey,
    pub compute_mint: Pubkey,
    pub oracles: Vec<Keypair>,
    sends: AtomicU32,
}

impl Harness {
    /// A DAO with `coverage` and `compute`, hours `GENESIS_HOUR..+ISSUED_HOURS` issued and the
    /// clock at `NOW_HOUR`; nothing of the rewards program yet.
    pub async fn bare() -> Self {
        let chain = EmbeddedChain::start_default().await;
        chain
            .set_unix_timestamp(GENESIS_HOUR as i64 * HOUR + 600)
            .await
            .unwrap();
        let payer = chain.payer().await;
        let mut h = Self {
            chain,
            payer,
            authority: Keypair::new(),
            main_mint: Keypair::new(),
            sub_dao: Pubkey::default(),
            sub_mint: Pubkey::default(),
            compute: Pubkey::default(),
            compute_mint: Pubkey::default(),
            oracles: (0..3).map(|_| Keypair::new()).collect(),
            sends: AtomicU32::new(0),
        };
        let init = ix::initialize_dao(
            &h.payer.pubkey(),
            &h.authority.pubkey(),
            &h.main_mint.pubkey(),
            &h.authority.pubkey(),
            main_args(),
        );
        h.send(&[init], &[&h.authority, &h.main_mint])
            .await
            .unwrap();
        for name in ["coverage", "compute"] {
            let mint = Keypair::new();
            let add = ix::add_sub_dao(
                &h.payer.pubkey(),
                &h.authority.pubkey(),
                &h.main_mint.pubkey(),
                &mint.pubkey(),
                sub_args(name),
            );
            h.send(&[add], &[&h.authority, &mint]).await.unwrap();
            let key = lattice_sdk::pda::sub_dao(&h.dao(), name);
            if name == "coverage" {
                (h.sub_dao, h.sub_mint) = (key, mint.pubkey());
            } else {
                (h.compute, h.compute_mint) = (key, mint.pubkey());
            }
        }
        h.set_hour(GENESIS_HOUR + ISSUED_HOURS, 1).await;
        for hour in GENESIS_HOUR..GENESIS_HOUR + ISSUED_HOURS {
            h.issue(hour).await.unwrap();
        }
        h.set_hour(NOW_HOUR, 1).await;
        for o in &h.oracles {
            h.chain.airdrop(&o.pubkey(), 1_000_000_000).await.unwrap();
        }
        h
    }

    /// [`Self::bare`] plus the coverage escrow delegated and its rewards initialized: hotspots,
    /// 2 of the 3 oracles, a breaker that never trips.
    pub async fn new() -> Self {
        let h = Self::bare().await;
        h.approve(&h.sub_dao).await.unwrap();
        h.init_rewards(&h.sub_dao, h.args(DeviceKind::Hotspot, 2))
            .await
            .unwrap();
        h
    }

    pub fn dao(&self) -> Pubkey {
        lattice_sdk::pda::dao(&self.main_mint.pubkey())
    }

    pub fn config(&self) -> Pubkey {
        rewards::rewards_config(&self.sub_dao)
    }

    pub fn keys(&self) -> RewardsKeys {
        RewardsKeys {
            sub_dao: self.sub_dao,
            rewards_mint: self.sub_mint,
            device_kind: DeviceKind::Hotspot,
        }
    }

    pub fn compute_keys(&self) -> RewardsKeys {
        RewardsKeys {
            sub_dao: self.compute,
            rewards_mint: self.compute_mint,
            device_kind: DeviceKind::GpuNode,
        }
    }

    pub fn oracle_keys(&self) -> Vec<Pubkey> {
        self.oracles.iter().map(Keypair::pubkey).collect()
    }

    pub fn args(&self, device_kind: DeviceKind, threshold: u8) -> InitializeRewardsArgs {
        InitializeRewardsArgs {
            device_kind,
            oracles: self.oracle_keys(),
            threshold,
            claim_breaker: wide_breaker(),
        }
    }

    /// Send with the payer as fee payer. Every transaction gets a distinct compute-unit limit,
    /// so that resending the same instructions is a new transaction, not a duplicate.
    pub async fn send(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), ChainError> {
        let n = self.sends.fetch_add(1, Ordering::Relaxed);
        let opts = SendOptions {
            max_attempts: 1,
            compute_unit_limit: 1_000_000 + n,
            ..Default::default()
        };
        send(&self.chain, &opts, ixs, &self.payer, signers)
            .await
            .map(|_| ())
    }

    pub async fn set_hour(&self, hour: u64, offset_secs: i64) {
        self.chain
            .set_unix_timestamp(hour as i64 * HOUR + offset_secs)
            .await
            .unwrap();
    }

    pub async fn issue(&self, hour: u64) -> Result<(), ChainError> {
        let view = lattice_sdk::accounts::DaoView::load(&self.chain, &self.main_mint.pubkey())
            .await
            .unwrap();
        let ix = ix::issue_hour(
            &self.payer.pubkey(),
            &self.main_mint.pubkey(),
            &view.issue_keys(),
            hour,
        );
        self.send(&[ix], &[]).await
    }

    pub async fn approve(&self, sub_dao: &Pubkey) -> Result<(), ChainError> {
        let ix = rewards::approve_rewards_delegate(&self.authority.pubkey(), &self.dao(), sub_dao);
        self.send(&[ix], &[&self.authority]).await
    }

    pub async fn init_rewards(
        &self,
        sub_dao: &Pubkey,
        args: InitializeRewardsArgs,
    ) -> Result<(), ChainError> {
        let ix = rewards::initialize_rewards(
            &self.payer.pubkey(),
            &self.authority.pubkey(),
            &self.dao(),
            sub_dao,
            args,
        );
        self.send(&[ix], &[&self.authority]).await
    }

    /// Oracle `i` posts to the coverage sub-DAO.
    pub async fn post(
        &self,
        i: usize,
        epoch: u64,
        root: Hash32,
        total: u64,
    ) -> Result<(), ChainError> {
        self.post_to(&self.sub_dao, &self.oracles[i], epoch, root, total)
            .await
    }

    pub async fn post_to(
        &self,
        sub_dao: &Pubkey,
        oracle: &Keypair,
        epoch: u64,
        root: Hash32,
        total: u64,
    ) -> Result<(), ChainError> {
        let ix = rewards::post_root(&oracle.pubkey(), sub_dao, epoch, root, total);
        send(
            &self.chain,
            &SendOptions {
                max_attempts: 1,
                compute_unit_limit: 1_000_000 + self.sends.fetch_add(1, Ordering::Relaxed),
                ..Default::default()
            },
            &[ix],
            oracle,
            &[],
        )
        .await
        .map(|_| ())
    }

    /// Oracles 0 and 1 post `r` for `epoch` (final with threshold 2).
    pub async fn finalize(&self, epoch: u64, r: &Rewards) {
        self.post(0, epoch, r.root(), r.total()).await.unwrap();
        self.post(1, epoch, r.root(), r.total()).await.unwrap();
        assert_eq!(self.rewards_config().await.final_epoch, epoch);
    }

    /// Write a registry `Hotspot` of a new device owned by a new wallet, and create the owner's
    /// rewards-mint token account.
    pub async fn hotspot(&self) -> Device {
        let d = Device {
            key: Pubkey::new_unique(),
            owner: Keypair::new(),
        };
        self.write_hotspot(&d.key, &d.owner.pubkey()).await;
        self.create_ata(&d.owner.pubkey(), &self.sub_mint).await;
        d
    }

    pub async fn write_hotspot(&self, device: &Pubkey, owner: &Pubkey) {
        let (key, bump) = Pubkey::find_program_address(
            &[lattice_registry::HOTSPOT_SEED, device.as_ref()],
            &lattice_registry::ID,
        );
        let h = Hotspot {
            owner: *owner,
            location: 0x8c1fb46622dffff,
            gain_dbi_x10: 40,
            elevation_m: 10,
            location_asserts: 1,
            bump,
        };
        self.write_registry_account(&key, &h).await;
    }

    /// Write a registry `GpuNode` of a new device; the owner gets a compute-mint token account.
    pub async fn gpu_node(&self) -> Device {
        let d = Device {
            key: Pubkey::new_unique(),
            owner: Keypair::new(),
        };
        let (key, bump) = Pubkey::find_program_address(
            &[lattice_registry::GPU_NODE_SEED, d.key.as_ref()],
            &lattice_registry::ID,
        );
        let g = GpuNode {
            owner: d.owner.pubkey(),
            model: lattice_sdk::registry::model_bytes("RTX 4090"),
            vram_gb: 24,
            gpu_count: 1,
            region: *b"DE",
            stake: 0,
            unstake_requested_at: 0,
            jobs_held: 0,
            bump,
        };
        self.write_registry_account(&key, &g).await;
        self.create_ata(&d.owner.pubkey(), &self.compute_mint).await;
        d
    }

    pub async fn write_registry_account<T: AccountSerialize>(&self, key: &Pubkey, value: &T) {
        let mut data = Vec::new();
        value.try_serialize(&mut data).unwrap();
        self.chain
            .set_account(
                key,
                Account {
                    lamports: 10_000_000,
                    data,
                    owner: lattice_registry::ID,
                    executable: false,
                    rent_epoch: 0,
                },
            )
            .await;
    }

    pub async fn create_ata(&self, owner: &Pubkey, mint: &Pubkey) {
        let ix =
            lattice_sdk::token::create_associated_token_account(&self.payer.pubkey(), owner, mint);
        self.send(&[ix], &[]).await.unwrap();
    }

    /// The payer claims for `d` (to its owner's account) from the coverage sub-DAO.
    pub async fn claim(
        &self,
        d: &Device,
        cumulative: u64,
        proof: Vec<Hash32>,
    ) -> Result<(), ChainError> {
        let ix = rewards::claim(
            &self.payer.pubkey(),
            &self.keys(),
            &d.key,
            &d.owner.pubkey(),
            cumulative,
            proof,
        );
        self.send(&[ix], &[]).await
    }

    /// Claim `d`'s amount in `r` with its proof.
    pub async fn claim_in(&self, d: &Device, r: &Rewards) -> Result<(), ChainError> {
        self.claim(d, r.amount(&d.key), r.proof(&d.key)).await
    }

    pub async fn balance(&self, key: &Pubkey) -> u64 {
        let acct = self.chain.get_account(key).await.unwrap().expect("exists");
        lattice_sdk::accounts::token_amount(&acct.data).unwrap()
    }

    /// The rewards-mint balance of `d`'s owner.
    pub async fn paid(&self, d: &Device) -> u64 {
        self.balance(&self.keys().destination(&d.owner.pubkey()))
            .await
    }

    pub async fn rewards_config(&self) -> RewardsConfig {
        self.fetch(&self.config()).await.unwrap()
    }

    pub async fn sub(&self) -> SubDao {
        self.fetch(&self.sub_dao).await.unwrap()
    }

    pub async fn claimed(&self, d: &Device) -> u64 {
        rewards::claimed(&self.chain, &self.sub_dao, &d.key)
            .await
            .unwrap()
    }

    pub async fn fetch<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        fetch::<T, _>(&self.chain, key).await.unwrap()
    }

    pub async fn exists(&self, key: &Pubkey) -> bool {
        self.chain.get_account(key).await.unwrap().is_some()
    }
}

/// Assert the transaction failed with `expected` from the rewards program.
pub fn assert_rewards_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: RewardsError) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?} ({}), got {err}",
        u32::from(expected)
    );
}

/// Assert the transaction failed with an Anchor framework error code.
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
