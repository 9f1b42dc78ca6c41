//! The in-process transport: a real Agave bank (solana-program-test) with the Lattice programs
//! registered natively and the real SPL Token / Token-2022 / ATA programs.
//!
//! This is what `lattice localnet` and the tests run on. Time only moves when
//! [`EmbeddedChain::set_unix_timestamp`] moves it, so a month of hours simulates in seconds.

// solana-program-test marks its whole API "unstable" (deprecated) ahead of Agave 4; it is the
// recommended native harness for this stack (see TOOLCHAIN.md).
#![allow(deprecated)]

use crate::{chain::Chain, error::ChainError};
use anchor_lang::solana_program::{
    account_info::AccountInfo, entrypoint::ProgramResult, system_instruction,
};
use solana_program_test::{
    processor, BanksClient, BanksClientError, ProgramTest, ProgramTestContext,
};
use solana_sdk::{
    account::{Account, AccountSharedData},
    clock::Clock,
    hash::Hash,
    pubkey::Pubkey,
    signature::{Keypair, Signature},
    transaction::Transaction,
};
use std::sync::Arc;
use tokio::sync::Mutex;

/// Native entry shim: Anchor 1.x's `entry` ties every lifetime together while the builtin
/// function pointer does not; the runtime keeps the accounts alive for the whole call.
fn dao_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: shortening 'b to 'a; the slice and its infos outlive this call.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_dao::entry(program_id, accounts, data)
}

/// Native entry shim of the data-credits program (see [`dao_entry`]).
fn data_credits_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: as in `dao_entry`.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_data_credits::entry(program_id, accounts, data)
}

/// Native entry shim of the registry program (see [`dao_entry`]).
fn registry_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: as in `dao_entry`.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_registry::entry(program_id, accounts, data)
}

/// Native entry shim of the rewards program (see [`dao_entry`]).
fn rewards_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: as in `dao_entry`.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_rewards::entry(program_id, accounts, data)
}

/// Native entry shim of the compute program (see [`dao_entry`]).
fn compute_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: as in `dao_entry`.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_compute::entry(program_id, accounts, data)
}

/// Native entry shim of the governance program (see [`dao_entry`]).
fn governance_entry<'a, 'b>(
    program_id: &'a Pubkey,
    accounts: &'a [AccountInfo<'b>],
    data: &'a [u8],
) -> ProgramResult {
    // SAFETY: as in `dao_entry`.
    let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
    lattice_governance::entry(program_id, accounts, data)
}

/// A `ProgramTest` with every Lattice program registered natively.
pub fn program_test() -> ProgramTest {
    let mut pt = ProgramTest::default();
    pt.prefer_bpf(false);
    pt.add_program("lattice_dao", lattice_dao::ID, processor!(dao_entry));
    pt.add_program(
        "lattice_data_credits",
        lattice_data_credits::ID,
        processor!(data_credits_entry),
    );
    pt.add_program(
        "lattice_registry",
        lattice_registry::ID,
        processor!(registry_entry),
    );
    pt.add_program(
        "lattice_rewards",
        lattice_rewards::ID,
        processor!(rewards_entry),
    );
    pt.add_program(
        "lattice_compute",
        lattice_compute::ID,
        processor!(compute_entry),
    );
    pt.add_program(
        "lattice_governance",
        lattice_governance::ID,
        processor!(governance_entry),
    );
    pt
}

/// An embedded chain. Cheap to clone; clones share the bank.
#[derive(Clone)]
pub struct EmbeddedChain {
    banks: BanksClient,
    ctx: Arc<Mutex<ProgramTestContext>>,
}

impl EmbeddedChain {
    /// Start a bank from `pt` (see [`program_test`]).
    pub async fn start(pt: ProgramTest) -> Self {
        let ctx = pt.start_with_context().await;
        Self {
            banks: ctx.banks_client.clone(),
            ctx: Arc::new(Mutex::new(ctx)),
        }
    }

    /// Start a bank with the Lattice programs.
    pub async fn start_default() -> Self {
        Self::start(program_test()).await
    }

    /// A funded keypair (the genesis payer), copied.
    pub async fn payer(&self) -> Keypair {
        self.ctx.lock().await.payer.insecure_clone()
    }

    /// The underlying client, for anything the [`Chain`] trait does not cover.
    pub fn banks_client(&self) -> BanksClient {
        self.banks.clone()
    }

    /// Move the chain clock to `unix_timestamp`, advancing a slot so that a new blockhash is used.
    pub async fn set_unix_timestamp(&self, unix_timestamp: i64) -> Result<(), ChainError> {
        let mut ctx = self.ctx.lock().await;
        let clock: Clock = self
            .banks
            .get_sysvar()
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))?;
        ctx.warp_to_slot(clock.slot.saturating_add(1))
            .map_err(|e| ChainError::Transport(format!("{e:?}")))?;
        let mut clock: Clock = self
            .banks
            .get_sysvar()
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))?;
        clock.unix_timestamp = unix_timestamp;
        ctx.set_sysvar(&clock);
        Ok(())
    }

    /// Overwrite an account (tests only: e.g. to simulate corrupted state).
    pub async fn set_account(&self, key: &Pubkey, account: Account) {
        self.ctx
            .lock()
            .await
            .set_account(key, &AccountSharedData::from(account));
    }

    /// Give `key` lamports from the genesis payer.
    pub async fn airdrop(&self, key: &Pubkey, lamports: u64) -> Result<(), ChainError> {
        let payer = self.payer().await;
        let ix = system_instruction::transfer(
            &solana_sdk::signature::Signer::pubkey(&payer),
            key,
            lamports,
        );
        let blockhash = self.latest_blockhash().await?;
        let tx = Transaction::new_signed_with_payer(
            &[ix],
            Some(&solana_sdk::signature::Signer::pubkey(&payer)),
            &[&payer],
            blockhash,
        );
        self.send_and_confirm(&tx).await.map(|_| ())
    }
}

fn map_err(e: BanksClientError) -> ChainError {
    match e {
        BanksClientError::TransactionError(err) => ChainError::Transaction {
            err,
            logs: vec![],
            program: None,
        },
        BanksClientError::SimulationError { err, logs, .. } => ChainError::Transaction {
            err,
            logs,
            program: None,
        },
        other => ChainError::Transport(other.to_string()),
    }
}

impl Chain for EmbeddedChain {
    async fn get_account(&self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        self.banks.get_account(*key).await.map_err(map_err)
    }

    async fn get_multiple_accounts(
        &self,
        keys: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, ChainError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.push(self.get_account(key).await?);
        }
        Ok(out)
    }

    async fn latest_blockhash(&self) -> Result<Hash, ChainError> {
        self.banks.get_latest_blockhash().await.map_err(map_err)
    }

    async fn send_and_confirm(&self, tx: &Transaction) -> Result<Signature, ChainError> {
        let signature = tx.signatures.first().copied().unwrap_or_default();
        self.banks
            .process_transaction(tx.clone())
            .await
            .map_err(map_err)?;
        Ok(signature)
    }

    async fn unix_timestamp(&self) -> Result<i64, ChainError> {
        let clock: Clock = self.banks.get_sysvar().await.map_err(map_err)?;
        Ok(clock.unix_timestamp)
    }
}
