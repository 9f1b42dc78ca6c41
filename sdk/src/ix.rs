//! Typed instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_dao::{accounts as acc, instruction as data, AddSubDaoArgs, InitializeDaoArgs};
use solana_sdk::{
    instruction::{AccountMeta, Instruction},
    pubkey::Pubkey,
};

fn system_program() -> Pubkey {
    anchor_lang::system_program::ID
}

/// `initialize_dao`: `main_mint` must sign (a fresh keypair).
pub fn initialize_dao(
    payer: &Pubkey,
    authority: &Pubkey,
    main_mint: &Pubkey,
    genesis_recipient: &Pubkey,
    args: InitializeDaoArgs,
) -> Instruction {
    let accounts = acc::InitializeDao {
        payer: *payer,
        authority: *authority,
        main_mint: *main_mint,
        dao: crate::pda::dao(main_mint),
        genesis_recipient: *genesis_recipient,
        genesis_account: crate::pda::associated_token(genesis_recipient, main_mint),
        token_program: anchor_spl::token::ID,
        associated_token_program: anchor_spl::associated_token::ID,
        system_program: system_program(),
    };
    Instruction {
        program_id: lattice_dao::ID,
        accounts: accounts.to_account_metas(None),
        data: data::InitializeDao { args }.data(),
    }
}

/// `add_sub_dao`: `sub_dao_mint` must sign (a fresh keypair).
pub fn add_sub_dao(
    payer: &Pubkey,
    authority: &Pubkey,
    main_mint: &Pubkey,
    sub_dao_mint: &Pubkey,
    args: AddSubDaoArgs,
) -> Instruction {
    let dao = crate::pda::dao(main_mint);
    let sub_dao = crate::pda::sub_dao(&dao, &args.name);
    let accounts = acc::AddSubDao {
        payer: *payer,
        authority: *authority,
        dao,
        main_mint: *main_mint,
        sub_dao,
        sub_dao_mint: *sub_dao_mint,
        treasury: crate::pda::treasury(&sub_dao),
        delegator_pool: crate::pda::delegator_pool(&sub_dao),
        rewards_escrow: crate::pda::rewards_escrow(&sub_dao),
        token_program: anchor_spl::token::ID,
        system_program: system_program(),
    };
    Instruction {
        program_id: lattice_dao::ID,
        accounts: accounts.to_account_metas(None),
        data: data::AddSubDao { args }.data(),
    }
}

/// The accounts `issue_hour` needs for one sub-DAO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubDaoKeys {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// Its token mint.
    pub mint: Pubkey,
}

impl SubDaoKeys {
    /// The five writable accounts, in the order the program expects.
    pub fn issue_metas(&self) -> [AccountMeta; lattice_dao::ISSUE_ACCOUNTS_PER_SUB_DAO] {
        [
            AccountMeta::new(self.sub_dao, false),
            AccountMeta::new(self.mint, false),
            AccountMeta::new(crate::pda::treasury(&self.sub_dao), false),
            AccountMeta::new(crate::pda::delegator_pool(&self.sub_dao), false),
            AccountMeta::new(crate::pda::rewards_escrow(&self.sub_dao), false),
        ]
    }
}

/// `issue_hour`: `sub_daos` in the DAO's order (see [`crate::accounts::DaoView`]).
pub fn issue_hour(
    cranker: &Pubkey,
    main_mint: &Pubkey,
    sub_daos: &[SubDaoKeys],
    hour: u64,
) -> Instruction {
    let dao = crate::pda::dao(main_mint);
    let mut metas = acc::IssueHour {
        cranker: *cranker,
        dao,
        dao_epoch: crate::pda::dao_epoch(&dao, hour),
        main_mint: *main_mint,
        token_program: anchor_spl::token::ID,
        system_program: system_program(),
    }
    .to_account_metas(None);
    metas.extend(sub_daos.iter().flat_map(SubDaoKeys::issue_metas));
    Instruction {
        program_id: lattice_dao::ID,
        accounts: metas,
        data: data::IssueHour { hour }.data(),
    }
}
