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
    /// The accounts of this sub-DAO for issuing `hour`, in the order the program expects.
    pub fn issue_metas(&self, hour: u64) -> [AccountMeta; lattice_dao::ISSUE_ACCOUNTS_PER_SUB_DAO] {
        [
            AccountMeta::new(self.sub_dao, false),
            AccountMeta::new(self.mint, false),
            AccountMeta::new(crate::pda::treasury(&self.sub_dao), false),
            AccountMeta::new(crate::pda::delegator_pool(&self.sub_dao), false),
            AccountMeta::new(crate::pda::rewards_escrow(&self.sub_dao), false),
            AccountMeta::new_readonly(crate::pda::sub_dao_epoch(&self.sub_dao, hour), false),
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
    metas.extend(sub_daos.iter().flat_map(|k| k.issue_metas(hour)));
    Instruction {
        program_id: lattice_dao::ID,
        accounts: metas,
        data: data::IssueHour { hour }.data(),
    }
}

/// `track_dc_burn` (normally a CPI from the data-credits program, whose PDA must sign);
/// `hour` must be the chain's current hour.
pub fn track_dc_burn(
    payer: &Pubkey,
    data_credits: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    hour: u64,
    amount: u64,
    fee: bool,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::TrackDcBurn {
            payer: *payer,
            data_credits: *data_credits,
            dao: *dao,
            sub_dao: *sub_dao,
            sub_dao_epoch: crate::pda::sub_dao_epoch(sub_dao, hour),
            system_program: system_program(),
        }
        .to_account_metas(None),
        data: data::TrackDcBurn { amount, fee }.data(),
    }
}

/// `update_active_devices` (normally a CPI from the registry, whose PDA must sign).
pub fn update_active_devices(
    registry: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    delta: i64,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::UpdateActiveDevices {
            registry: *registry,
            dao: *dao,
            sub_dao: *sub_dao,
        }
        .to_account_metas(None),
        data: data::UpdateActiveDevices { delta }.data(),
    }
}
