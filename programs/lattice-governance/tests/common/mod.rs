//! Shared harness for the governance program tests: the whole network bootstrapped from
//! `app-config/localnet.toml` (governance left to the harness), governance initialized with small
//! test parameters (locks of at most 100 hours, 1× extra power per hour left, one-hour voting and
//! timelock), both sub-DAOs' V input enabled, and helpers for holders, positions, the hourly
//! crank (checkpoint every sub-DAO, then issue) and proposals.

#![allow(dead_code, clippy::arithmetic_side_effects)]

use lattice_dao::{DaoEpoch, SubDao, SubDaoEpoch};
use lattice_governance::{
    GovernanceError, GovernanceParams, Lock, LockKind, ParamChange, Position, Proposal, SubDaoVe,
    VeConfig, VoteChoice,
};
use lattice_math::{
    governance::{hour_rate, power_at, VeParams, RATE_SHIFT},
    wide::U256,
};
use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_sdk::{
    accounts::DaoView,
    dc::{self, PriceReading},
    embedded::EmbeddedChain,
    governance as gov,
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

mod devices;
mod proposals;
mod stake;

pub const HOUR: i64 = 3_600;
/// One whole main token (6 decimals).
pub const LAT: u64 = 1_000_000;
/// Main tokens each holder gets.
pub const HOLDER_TOKENS: u64 = 100_000 * LAT;
/// Seconds into an hour the harness keeps the clock at after moving to an hour.
pub const INTO_HOUR: i64 = 60;

/// Test power parameters: locks of at most 100 hours, no baseline, 1× per token per hour left.
pub fn test_ve() -> VeConfig {
    VeConfig {
        max_lock_hours: 100,
        baseline_bps: 0,
        extra_bps: 10_000,
    }
}

/// Power of `amount` with `hours` left under [`test_ve`].
pub fn test_power(amount: u64, hours: u64) -> u128 {
    u128::from(amount) * 10_000 * u128::from(hours.min(100))
}

/// Test proposal rules: one-hour voting and timelock, a quorum of 1 000 LAT locked for 50 hours,
/// a simple majority, and 100 LAT locked for 10 hours to propose.
pub fn test_params() -> GovernanceParams {
    GovernanceParams {
        voting_secs: HOUR,
        quorum: test_power(1_000 * LAT, 50),
        threshold_bps: 5_000,
        timelock_secs: HOUR,
        min_proposal_power: test_power(100 * LAT, 10),
    }
}

pub fn config() -> LatticeConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../app-config/localnet.toml");
    let mut cfg = LatticeConfig::load_with_env(&path, Some(Default::default())).unwrap();
    // The harness creates governance itself, with the test parameters.
    cfg.governance.enabled = false;
    cfg.governance.hand_over = false;
    cfg
}

pub struct Harness {
    pub chain: EmbeddedChain,
    pub cfg: LatticeConfig,
    /// Fee payer, DAO bootstrap authority and genesis holder.
    pub payer: Keypair,
    pub main_mint: Keypair,
    pub dao: Pubkey,
    /// `[coverage, compute]`, in DAO order.
    pub subs: [Pubkey; 2],
    pub ve: VeConfig,
    /// The hour of the bootstrap (and of `init_sub_dao_ve`): V is read from the next hour on.
    pub start_hour: u64,
    sends: AtomicU32,
    now: AtomicI64,
}

impl Harness {
    /// Governance with [`test_ve`] and [`test_params`], both sub-DAOs' V enabled.
    pub async fn new() -> Self {
        Self::with(test_ve(), test_params()).await
    }

    /// Governance with `ve` and `params`, both sub-DAOs' V enabled.
    pub async fn with(ve: VeConfig, params: GovernanceParams) -> Self {
        let mut h = Self::bare().await;
        h.ve = ve;
        let ix = gov::initialize_governance(&h.payer.pubkey(), &h.dao, ve, params);
        h.send(&[ix], &[]).await.unwrap();
        for sub in h.subs {
            let ix = gov::init_sub_dao_ve(&h.payer.pubkey(), &h.dao, &sub);
            h.send(&[ix], &[]).await.unwrap();
        }
        h
    }

    /// The network bootstrapped, 60 s into its first hour, without governance.
    pub async fn bare() -> Self {
        let cfg = config();
        let chain = EmbeddedChain::start_default().await;
        let now = cfg.localnet.start_unix.unwrap() + INTO_HOUR;
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
        let subs = [
            lattice_sdk::pda::sub_dao(&dao, &cfg.dao.sub_daos[0]),
            lattice_sdk::pda::sub_dao(&dao, &cfg.dao.sub_daos[1]),
        ];
        Self {
            chain,
            cfg,
            payer,
            main_mint,
            dao,
            subs,
            ve: test_ve(),
            start_hour: lattice_math::epoch::hour_of(now),
            sends: AtomicU32::new(0),
            now: AtomicI64::new(now),
        }
    }

    pub fn governance(&self) -> Pubkey {
        gov::governance(&self.dao)
    }

    pub fn mint(&self) -> Pubkey {
        self.main_mint.pubkey()
    }

    // ---- sending ----

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

    // ---- time and the crank ----

    pub fn now(&self) -> i64 {
        self.now.load(Ordering::Relaxed)
    }

    pub fn hour(&self) -> u64 {
        lattice_math::epoch::hour_of(self.now())
    }

    /// The hour delegation changes made now take effect.
    pub fn next(&self) -> u64 {
        self.hour() + 1
    }

    pub async fn set_time(&self, unix: i64) {
        self.now.store(unix, Ordering::Relaxed);
        self.chain.set_unix_timestamp(unix).await.unwrap();
    }

    pub async fn warp(&self, secs: i64) {
        self.set_time(self.now() + secs).await;
    }

    /// Move the clock to `INTO_HOUR` seconds into `hour` (no crank).
    pub async fn goto_hour(&self, hour: u64) {
        self.set_time(hour as i64 * HOUR + INTO_HOUR).await;
    }

    pub async fn checkpoint(&self, sub: &Pubkey, hour: u64) -> Result<(), ChainError> {
        let ix = gov::checkpoint_ve(&self.payer.pubkey(), &self.dao, sub, hour);
        self.send(&[ix], &[]).await
    }

    pub async fn issue(&self, hour: u64) -> Result<(), ChainError> {
        let view = DaoView::load(&self.chain, &self.mint()).await.unwrap();
        let ix = lattice_sdk::ix::issue_hour(
            &self.payer.pubkey(),
            &self.mint(),
            &view.issue_keys(),
            hour,
        );
        self.send(&[ix], &[]).await
    }

    /// Crank every hour up to `hour` and move the clock into it: for each hour `k` after the
    /// sub-DAOs' last checkpoint, issue `k − 1` (if not issued yet) and checkpoint `k` for
    /// every sub-DAO. Afterwards `hour` is checkpointed and every earlier hour issued.
    pub async fn crank_to(&self, hour: u64) {
        let from = self.sub_ve(&self.subs[0]).await.hour;
        for k in from + 1..=hour {
            if self.hour() < k {
                self.goto_hour(k).await;
            }
            if self.epoch(k - 1).await.is_none() {
                self.issue(k - 1).await.unwrap();
            }
            for sub in self.subs {
                self.checkpoint(&sub, k).await.unwrap();
            }
        }
        if self.hour() < hour {
            self.goto_hour(hour).await;
        }
    }

    /// Crank into the next hour.
    pub async fn advance(&self) {
        self.crank_to(self.hour() + 1).await;
    }

    // ---- reads ----

    pub async fn fetch<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        lattice_sdk::accounts::fetch::<T, _>(&self.chain, key)
            .await
            .unwrap()
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

    pub fn ata(&self, owner: &Pubkey) -> Pubkey {
        lattice_sdk::pda::associated_token(owner, &self.mint())
    }

    /// `owner`'s main tokens.
    pub async fn tokens(&self, owner: &Pubkey) -> u64 {
        self.balance(&self.ata(owner)).await
    }

    pub async fn governance_account(&self) -> lattice_governance::Governance {
        self.fetch(&self.governance()).await.expect("governance")
    }

    pub async fn sub_ve(&self, sub: &Pubkey) -> SubDaoVe {
        self.fetch(&gov::sub_dao_ve(sub)).await.expect("sub-DAO ve")
    }

    pub async fn sub_dao(&self, sub: &Pubkey) -> SubDao {
        self.fetch(sub).await.expect("sub-DAO")
    }

    /// The issued record of `hour`.
    pub async fn epoch(&self, hour: u64) -> Option<DaoEpoch> {
        lattice_sdk::accounts::issued_epoch(&self.chain, &self.dao, hour)
            .await
            .unwrap()
    }

    pub async fn sub_dao_epoch(&self, sub: &Pubkey, hour: u64) -> Option<SubDaoEpoch> {
        self.fetch(&lattice_sdk::pda::sub_dao_epoch(sub, hour))
            .await
    }

    /// The V recorded for `sub` in `hour`.
    pub async fn recorded_ve(&self, sub: &Pubkey, hour: u64) -> u128 {
        let e = self.sub_dao_epoch(sub, hour).await.expect("hour recorded");
        assert!(e.ve_recorded);
        e.ve_power
    }

    /// `sub`'s delegator slice of issued `hour`.
    pub async fn slice(&self, sub: &Pubkey, hour: u64) -> u64 {
        self.epoch(hour)
            .await
            .expect("hour issued")
            .parts
            .iter()
            .find(|p| p.sub_dao == *sub)
            .map_or(0, |p| p.main_to_delegators)
    }

    /// `sub`'s whole main-token part (treasury + delegators) of issued `hour`.
    pub async fn part(&self, sub: &Pubkey, hour: u64) -> u64 {
        let e = self.epoch(hour).await.expect("hour issued");
        let p = e.parts.iter().find(|p| p.sub_dao == *sub).unwrap();
        p.main_to_treasury + p.main_to_delegators
    }

    /// `(slice_h, V(h))` of `sub` for every hour of `[from, to)` (issued and checkpointed).
    pub async fn slices_and_ve(&self, sub: &Pubkey, from: u64, to: u64) -> Vec<(u64, u128)> {
        let mut out = Vec::new();
        for h in from..to {
            out.push((self.slice(sub, h).await, self.recorded_ve(sub, h).await));
        }
        out
    }

    /// The exact reward of `amount` under `lock` delegated to `sub` over `[from, to)`.
    pub async fn expected_reward(
        &self,
        sub: &Pubkey,
        amount: u64,
        lock: Lock,
        from: u64,
        to: u64,
    ) -> u64 {
        let data = self.slices_and_ve(sub, from, to).await;
        brute_reward(&self.ve, amount, lock, from, to, |h| {
            data[(h - from) as usize]
        })
    }

    pub async fn pool(&self, sub: &Pubkey) -> u64 {
        self.balance(&lattice_sdk::pda::delegator_pool(sub)).await
    }
}

// ---- off-chain expectations ----

pub fn ve_params(ve: &VeConfig) -> VeParams {
    VeParams::from(*ve)
}

/// Power of a position's `amount` under `lock` at `hour`.
pub fn power(ve: &VeConfig, amount: u64, lock: Lock, hour: u64) -> u128 {
    power_at(&ve_params(ve), amount, lock.into(), hour)
}

/// `⌊Σ_{h∈[from,to)} P(h)·r_h / 2^64⌋` with `r_h = ⌊slice_h·2^64 / V(h)⌋`: the exact reward of
/// one range (the program floors once per range). `slice_and_v(h)` gives `(slice_h, V(h))`.
pub fn brute_reward(
    ve: &VeConfig,
    amount: u64,
    lock: Lock,
    from: u64,
    to: u64,
    slice_and_v: impl Fn(u64) -> (u64, u128),
) -> u64 {
    let mut total = U256::ZERO;
    for h in from..to {
        let (slice, v) = slice_and_v(h);
        let rate = hour_rate(slice, v);
        total = total
            .checked_add(U256::mul_u128(power(ve, amount, lock, h), rate))
            .unwrap();
    }
    u64::try_from(total.shift_right(RATE_SHIFT).to_u128().unwrap()).unwrap()
}

// ---- errors ----

/// Assert the transaction failed with `expected` from the governance program.
pub fn assert_gov_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: GovernanceError) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?}, got {err}"
    );
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
