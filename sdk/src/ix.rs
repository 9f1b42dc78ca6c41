//! Typed instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_dao::{
    accounts as acc, instruction as data, AddSubDaoArgs, DaoParamsUpdate, InitializeDaoArgs,
    SubDaoParamsUpdate,
};
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

/// `set_authority` of the DAO program: the DAO `authority` hands the DAO (and the rewards
/// program's admin role) to `new_authority`, e.g. [`crate::pda::governance`].
pub fn set_dao_authority(authority: &Pubkey, dao: &Pubkey, new_authority: &Pubkey) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::SetDaoAuthority {
            authority: *authority,
            dao: *dao,
        }
        .to_account_metas(None),
        data: data::SetAuthority {
            new_authority: *new_authority,
        }
        .data(),
    }
}

/// `set_dao_params`: the DAO `authority` signs; `None` fields stay as they are.
pub fn set_dao_params(authority: &Pubkey, dao: &Pubkey, params: DaoParamsUpdate) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::SetDaoParams {
            authority: *authority,
            dao: *dao,
        }
        .to_account_metas(None),
        data: data::SetDaoParams { params }.data(),
    }
}

/// `set_sub_dao_params`: the DAO `authority` signs; `None` fields stay as they are.
pub fn set_sub_dao_params(
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    params: SubDaoParamsUpdate,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::SetSubDaoParams {
            authority: *authority,
            dao: *dao,
            sub_dao: *sub_dao,
        }
        .to_account_metas(None),
        data: data::SetSubDaoParams { params }.data(),
    }
}

/// `enable_ve` (a CPI from the governance program, whose PDA `governance` must sign).
pub fn enable_ve(
    governance: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    start_hour: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::EnableVe {
            governance: *governance,
            dao: *dao,
            sub_dao: *sub_dao,
            delegator_pool: crate::pda::delegator_pool(sub_dao),
            token_program: anchor_spl::token::ID,
        }
        .to_account_metas(None),
        data: data::EnableVe { start_hour }.data(),
    }
}

/// `record_ve` (a CPI from the governance program, whose PDA `governance` must sign); `payer`
/// pays the hour record's rent if no DC burn created it first.
pub fn record_ve(
    governance: &Pubkey,
    payer: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    hour: u64,
    ve_power: u128,
    staked: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: acc::RecordVe {
            governance: *governance,
            payer: *payer,
            dao: *dao,
            sub_dao: *sub_dao,
            sub_dao_epoch: crate::pda::sub_dao_epoch(sub_dao, hour),
            system_program: system_program(),
        }
        .to_account_metas(None),
        data: data::RecordVe {
            hour,
            ve_power,
            staked,
        }
        .data(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_builders_name_the_program_accounts_in_order() {
        let (authority, dao, sub, next) = (
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        );
        let ix = set_dao_authority(&authority, &dao, &next);
        assert_eq!(ix.program_id, lattice_dao::ID);
        assert_eq!(
            ix.accounts,
            vec![
                AccountMeta::new_readonly(authority, true),
                AccountMeta::new(dao, false)
            ]
        );
        assert_eq!(
            ix.data,
            data::SetAuthority {
                new_authority: next
            }
            .data()
        );

        let ix = set_sub_dao_params(
            &authority,
            &dao,
            &sub,
            SubDaoParamsUpdate {
                emission: None,
                breaker: None,
            },
        );
        assert_eq!(
            ix.accounts,
            vec![
                AccountMeta::new_readonly(authority, true),
                AccountMeta::new_readonly(dao, false),
                AccountMeta::new(sub, false),
            ]
        );

        let gov = crate::pda::governance(&dao);
        let ix = enable_ve(&gov, &dao, &sub, 7);
        assert_eq!(ix.accounts[0], AccountMeta::new_readonly(gov, true));
        assert_eq!(
            ix.accounts[3],
            AccountMeta::new(crate::pda::delegator_pool(&sub), false)
        );

        let ix = record_ve(&gov, &authority, &dao, &sub, 9, 5, 0);
        assert_eq!(ix.accounts[1], AccountMeta::new(authority, true));
        assert_eq!(
            ix.accounts[4],
            AccountMeta::new(crate::pda::sub_dao_epoch(&sub, 9), false)
        );
        assert_eq!(
            ix.data,
            data::RecordVe {
                hour: 9,
                ve_power: 5,
                staked: 0
            }
            .data()
        );
    }
}
