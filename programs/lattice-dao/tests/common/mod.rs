//! Shared harness for the DAO program tests: a bank with the programs, a DAO with two sub-DAOs.

#![allow(dead_code)]

use anchor_lang::{
    solana_program::{
        account_info::AccountInfo, entrypoint::ProgramResult, program::invoke_signed,
    },
    AccountSerialize,
};
use lattice_dao::{
    AddSubDaoArgs, BreakerParams, DaoError, EmissionParams, InitializeDaoArgs, UtilityWeightParams,
    GOVERNANCE_PROGRAM_ID, GOVERNANCE_SEED,
};
use lattice_sdk::{
    accounts::{fetch, DaoView},
    embedded::EmbeddedChain,
    ix,
    send::{send, SendOptions},
    ChainError,
};
use solana_sdk::{
    instruction::{AccountMeta, Instruction, InstructionError},
    pubkey::Pubkey,
    signature::{Keypair, Signer},
    transaction::TransactionError,
};

pub const HOUR: i64 = 3_600;
/// Genesis hour used by the tests (a realistic 2026 hour).
pub const GENESIS_HOUR: u64 = 493_000;

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
        utility_weights: UtilityWeightParams {
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

pub struct Harness {
    pub chain: EmbeddedChain,
    pub payer: Keypair,
    pub authority: Keypair,
    pub main_mint: Keypair,
    pub opts: SendOptions,
    /// Transactions sent; each gets a distinct compute-unit limit, so that sending the same
    /// instructions again is a new transaction rather than a duplicate.
    pub sends: std::sync::atomic::AtomicU32,
}

impl Harness {
    /// A bank whose clock is 10 minutes into `GENESIS_HOUR`.
    pub async fn new() -> Self {
        Self::new_in(EmbeddedChain::start_default().await).await
    }

    /// A bank with the DAO program and a stand-in for the governance program (see
    /// [`mock_governance`]), its clock 10 minutes into `GENESIS_HOUR`.
    pub async fn new_with_governance() -> Self {
        Self::new_in(EmbeddedChain::start(governance_program_test()).await).await
    }

    /// [`Harness::with_dao`] in a bank with the governance stand-in.
    pub async fn with_dao_and_governance() -> Self {
        let h = Self::new_with_governance().await;
        h.init(main_args()).await.unwrap();
        h.add_sub(sub_args("coverage")).await.unwrap();
        h.add_sub(sub_args("compute")).await.unwrap();
        h
    }

    /// Another DAO (its own main mint, the same payer and authority) in this bank; not
    /// initialized yet.
    pub fn second_dao(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            payer: self.payer.insecure_clone(),
            authority: self.authority.insecure_clone(),
            main_mint: Keypair::new(),
            opts: self.opts.clone(),
            // Far from this harness's count, so that no two transactions coincide.
            sends: 100_000.into(),
        }
    }

    async fn new_in(chain: EmbeddedChain) -> Self {
        chain
            .set_unix_timestamp(GENESIS_HOUR as i64 * HOUR + 600)
            .await
            .unwrap();
        let payer = chain.payer().await;
        Self {
            chain,
            payer,
            authority: Keypair::new(),
            main_mint: Keypair::new(),
            opts: SendOptions {
                max_attempts: 1,
                ..Default::default()
            },
            sends: Default::default(),
        }
    }

    pub fn dao(&self) -> Pubkey {
        lattice_sdk::pda::dao(&self.main_mint.pubkey())
    }

    pub async fn send(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), ChainError> {
        let n = self
            .sends
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let opts = SendOptions {
            compute_unit_limit: self.opts.compute_unit_limit + n,
            ..self.opts.clone()
        };
        send(&self.chain, &opts, ixs, &self.payer, signers)
            .await
            .map(|_| ())
    }

    pub fn init_ix(&self, args: InitializeDaoArgs) -> Instruction {
        ix::initialize_dao(
            &self.payer.pubkey(),
            &self.authority.pubkey(),
            &self.main_mint.pubkey(),
            &self.authority.pubkey(),
            args,
        )
    }

    pub async fn init(&self, args: InitializeDaoArgs) -> Result<(), ChainError> {
        let ix = self.init_ix(args);
        self.send(&[ix], &[&self.authority, &self.main_mint]).await
    }

    pub async fn add_sub(&self, args: AddSubDaoArgs) -> Result<Pubkey, ChainError> {
        let mint = Keypair::new();
        let name = args.name.clone();
        let ix = ix::add_sub_dao(
            &self.payer.pubkey(),
            &self.authority.pubkey(),
            &self.main_mint.pubkey(),
            &mint.pubkey(),
            args,
        );
        self.send(&[ix], &[&self.authority, &mint]).await?;
        Ok(lattice_sdk::pda::sub_dao(&self.dao(), &name))
    }

    /// A DAO with `coverage` and `compute`.
    pub async fn with_dao() -> Self {
        let h = Self::new().await;
        h.init(main_args()).await.unwrap();
        h.add_sub(sub_args("coverage")).await.unwrap();
        h.add_sub(sub_args("compute")).await.unwrap();
        h
    }

    pub async fn view(&self) -> DaoView {
        DaoView::load(&self.chain, &self.main_mint.pubkey())
            .await
            .unwrap()
    }

    pub async fn issue_ix(&self, hour: u64) -> Instruction {
        let view = self.view().await;
        ix::issue_hour(
            &self.payer.pubkey(),
            &self.main_mint.pubkey(),
            &view.issue_keys(),
            hour,
        )
    }

    pub async fn issue(&self, hour: u64) -> Result<(), ChainError> {
        let ix = self.issue_ix(hour).await;
        self.send(&[ix], &[]).await
    }

    pub async fn set_hour(&self, hour: u64, offset_secs: i64) {
        self.chain
            .set_unix_timestamp(hour as i64 * HOUR + offset_secs)
            .await
            .unwrap();
    }

    pub async fn token_amount(&self, key: &Pubkey) -> u64 {
        let acct = lattice_sdk::Chain::get_account(&self.chain, key)
            .await
            .unwrap()
            .expect("token account exists");
        lattice_sdk::accounts::token_amount(&acct.data).unwrap()
    }

    pub async fn supply(&self, mint: &Pubkey) -> u64 {
        let acct = lattice_sdk::Chain::get_account(&self.chain, mint)
            .await
            .unwrap()
            .expect("mint exists");
        lattice_sdk::accounts::mint_supply(&acct.data).unwrap()
    }

    pub async fn fetch<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        fetch::<T, _>(&self.chain, key).await.unwrap()
    }
}

/// Assert the transaction failed with `expected` from the DAO program.
pub fn assert_dao_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: DaoError) {
    let err = res.expect_err("transaction should fail");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?} ({}), got {err}",
        u32::from(expected)
    );
}

/// Assert the transaction failed with an Anchor framework error code (2000+ constraints, 3000+
/// account errors).
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

/// Assert the transaction failed with a runtime instruction error (not a custom code).
pub fn assert_ix_err<T: std::fmt::Debug>(res: Result<T, ChainError>, expected: InstructionError) {
    match res.expect_err("transaction should fail") {
        ChainError::Transaction {
            err: TransactionError::InstructionError(_, got),
            ..
        } => assert_eq!(got, expected),
        other => panic!("expected {expected:?}, got {other}"),
    }
}

/// Conversion parameters used by the tests: a virtual reserve of 10^12 sub-DAO base units and a
/// 30 bps fee, nothing frozen.
pub fn conversion_params() -> lattice_dao::ConversionParams {
    lattice_dao::ConversionParams {
        virtual_reserve: 1_000_000_000_000,
        fee_bps: 30,
        frozen_to_main: false,
        frozen_to_sub: false,
        frozen_until_unix: 0,
    }
}

impl Harness {
    /// A DAO with `coverage` and `compute` and hours `GENESIS_HOUR..+3` issued (the treasuries
    /// hold main tokens), the clock in hour `GENESIS_HOUR + 3`.
    pub async fn with_treasury() -> Self {
        let h = Self::with_dao().await;
        h.set_hour(GENESIS_HOUR + 3, 10).await;
        for hour in GENESIS_HOUR..GENESIS_HOUR + 3 {
            h.issue(hour).await.unwrap();
        }
        h
    }

    /// The sub-DAO named `name` and its mint.
    pub async fn sub_dao(&self, name: &str) -> (Pubkey, lattice_dao::SubDao) {
        self.view()
            .await
            .sub_dao(name)
            .cloned()
            .expect("sub-DAO exists")
    }

    pub async fn init_conversion(
        &self,
        sub_dao: &Pubkey,
        params: lattice_dao::ConversionParams,
    ) -> Result<(), ChainError> {
        let sub: lattice_dao::SubDao = self.fetch(sub_dao).await.unwrap();
        let ix = lattice_sdk::conversion::init_conversion(
            &self.payer.pubkey(),
            &self.authority.pubkey(),
            &self.dao(),
            sub_dao,
            &sub.mint,
            params,
        );
        self.send(&[ix], &[&self.authority]).await
    }

    /// Write `owner`'s associated token account of `mint` holding `amount` straight into the
    /// bank (the tests' source of sub-DAO tokens, which only the rewards escrow receives).
    pub async fn give_tokens(&self, owner: &Pubkey, mint: &Pubkey, amount: u64) -> Pubkey {
        use anchor_lang::solana_program::{program_option::COption, program_pack::Pack};
        use anchor_spl::token::spl_token::state::{Account as TokenState, AccountState};
        let key = lattice_sdk::pda::associated_token(owner, mint);
        let state = TokenState {
            mint: *mint,
            owner: *owner,
            amount,
            delegate: COption::None,
            state: AccountState::Initialized,
            is_native: COption::None,
            delegated_amount: 0,
            close_authority: COption::None,
        };
        let mut data = vec![0u8; TokenState::LEN];
        TokenState::pack(state, &mut data).unwrap();
        self.chain
            .set_account(
                &key,
                solana_sdk::account::Account {
                    lamports: 10_000_000,
                    data,
                    owner: anchor_spl::token::ID,
                    executable: false,
                    rent_epoch: 0,
                },
            )
            .await;
        key
    }
}

/// Rewrite an Anchor account in place, keeping its size (simulating state the program must still
/// defend against, or state another program's instructions would have produced).
pub async fn overwrite<T: AccountSerialize>(h: &Harness, key: &Pubkey, value: &T) {
    let mut acct = lattice_sdk::Chain::get_account(&h.chain, key)
        .await
        .unwrap()
        .unwrap();
    let mut data = Vec::new();
    value.try_serialize(&mut data).unwrap();
    data.resize(acct.data.len(), 0);
    acct.data = data;
    h.chain.set_account(key, acct).await;
}

/// Native entry shim of the DAO program (as in `lattice_sdk::embedded`).
fn dao_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: shortening 'b to 'a; the slice and its infos outlive this call.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_dao::entry(program_id, accounts, data)
}

/// A stand-in for the governance program, registered at its id: it forwards one DAO instruction,
/// signing as the governance PDA `[GOVERNANCE_SEED, dao]`, exactly as the governance program's
/// CPIs do. Data: the DAO key (32 bytes), then the DAO instruction's data; accounts: the DAO
/// program, then the DAO instruction's accounts. (The governance program's own tests cover the
/// real CPIs.)
fn mock_governance(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    use anchor_lang::solana_program::{instruction, program_error::ProgramError};
    let (dao, inner) = data
        .split_at_checked(32)
        .ok_or(ProgramError::InvalidInstructionData)?;
    let dao = Pubkey::try_from(dao).map_err(|_| ProgramError::InvalidInstructionData)?;
    let (governance, bump) =
        Pubkey::find_program_address(&[GOVERNANCE_SEED, dao.as_ref()], program_id);
    let metas = accounts
        .iter()
        .skip(1)
        .map(|a| instruction::AccountMeta {
            pubkey: *a.key,
            is_signer: a.is_signer || *a.key == governance,
            is_writable: a.is_writable,
        })
        .collect();
    let ix = instruction::Instruction {
        program_id: lattice_dao::ID,
        accounts: metas,
        data: inner.to_vec(),
    };
    invoke_signed(&ix, accounts, &[&[GOVERNANCE_SEED, dao.as_ref(), &[bump]]])
}

/// A bank with the DAO program and [`mock_governance`] (SPL Token is built in).
#[allow(deprecated)] // solana-program-test marks its API unstable ahead of Agave 4
fn governance_program_test() -> solana_program_test::ProgramTest {
    use solana_program_test::{processor, ProgramTest};
    let mut pt = ProgramTest::default();
    pt.prefer_bpf(false);
    pt.add_program("lattice_dao", lattice_dao::ID, processor!(dao_entry));
    pt.add_program(
        "mock_governance",
        GOVERNANCE_PROGRAM_ID,
        processor!(mock_governance),
    );
    pt
}

/// `ix` (a DAO instruction naming `dao`'s governance PDA as a non-signer) sent through
/// [`mock_governance`], which signs for the PDA.
pub fn via_governance(dao: &Pubkey, ix: Instruction) -> Instruction {
    let governance = lattice_dao::governance_pda(dao);
    let mut accounts = vec![AccountMeta::new_readonly(lattice_dao::ID, false)];
    accounts.extend(ix.accounts.into_iter().map(|mut m| {
        if m.pubkey == governance {
            m.is_signer = false;
        }
        m
    }));
    let mut data = dao.to_bytes().to_vec();
    data.extend(ix.data);
    Instruction {
        program_id: GOVERNANCE_PROGRAM_ID,
        accounts,
        data,
    }
}
