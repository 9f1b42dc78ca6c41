//! Device registry: PDAs and instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_registry::{
    accounts as acc, constants::*, instruction as data, GpuSpecs, HotspotLocation, RegistryParams,
};
use solana_sdk::{instruction::Instruction, pubkey::Pubkey};

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &lattice_registry::ID).0
}

/// The registry of a DAO.
pub fn registry(dao: &Pubkey) -> Pubkey {
    pda(&[REGISTRY_SEED, dao.as_ref()])
}

/// A hotspot by device key.
pub fn hotspot(device: &Pubkey) -> Pubkey {
    pda(&[HOTSPOT_SEED, device.as_ref()])
}

/// A GPU node by device key.
pub fn gpu_node(device: &Pubkey) -> Pubkey {
    pda(&[GPU_NODE_SEED, device.as_ref()])
}

/// The GPU stake vault.
pub fn stake_vault(registry: &Pubkey) -> Pubkey {
    pda(&[STAKE_VAULT_SEED, registry.as_ref()])
}

/// Which sub-DAO a device kind counts toward, resolved from the DAO.
#[derive(Debug, Clone, Copy)]
pub struct RegistryKeys {
    /// The DAO.
    pub dao: Pubkey,
    /// The main mint.
    pub main_mint: Pubkey,
    /// The coverage sub-DAO.
    pub coverage: Pubkey,
    /// The compute sub-DAO.
    pub compute: Pubkey,
}

impl RegistryKeys {
    /// Keys for a DAO whose sub-DAOs are named `coverage_name` and `compute_name`.
    pub fn new(main_mint: &Pubkey, coverage_name: &str, compute_name: &str) -> Self {
        let dao = crate::pda::dao(main_mint);
        Self {
            dao,
            main_mint: *main_mint,
            coverage: crate::pda::sub_dao(&dao, coverage_name),
            compute: crate::pda::sub_dao(&dao, compute_name),
        }
    }

    fn fee(&self, owner: &Pubkey, sub_dao: &Pubkey, hour: u64) -> acc::DcFee {
        acc::DcFee {
            data_credits: crate::dc::data_credits(&self.dao),
            dc_mint: crate::dc::dc_mint(&self.dao),
            sub_dao_dc: crate::dc::sub_dao_dc(sub_dao),
            owner_dc: crate::dc::dc_account(owner, &self.dao),
            sub_dao_epoch: crate::pda::sub_dao_epoch(sub_dao, hour),
            dc_program: lattice_data_credits::ID,
            token_2022_program: anchor_spl::token_2022::ID,
        }
    }
}

fn ix(accounts: Vec<solana_sdk::instruction::AccountMeta>, data: Vec<u8>) -> Instruction {
    Instruction {
        program_id: lattice_registry::ID,
        accounts,
        data,
    }
}

/// `initialize_registry`.
pub fn initialize_registry(
    payer: &Pubkey,
    authority: &Pubkey,
    k: &RegistryKeys,
    params: RegistryParams,
) -> Instruction {
    let registry = registry(&k.dao);
    ix(
        acc::InitializeRegistry {
            payer: *payer,
            authority: *authority,
            dao: k.dao,
            main_mint: k.main_mint,
            coverage_sub_dao: k.coverage,
            compute_sub_dao: k.compute,
            registry,
            stake_vault: stake_vault(&registry),
            token_program: anchor_spl::token::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::InitializeRegistry { args: params }.data(),
    )
}

/// `set_authority` of the registry: the registry `authority` hands it to `new_authority`, e.g.
/// [`crate::pda::governance`].
pub fn set_registry_authority(
    authority: &Pubkey,
    dao: &Pubkey,
    new_authority: &Pubkey,
) -> Instruction {
    ix(
        acc::SetRegistryAuthority {
            authority: *authority,
            registry: registry(dao),
        }
        .to_account_metas(None),
        data::SetAuthority {
            new_authority: *new_authority,
        }
        .data(),
    )
}

/// `set_registry_params`: the registry `authority` replaces every parameter.
pub fn set_registry_params(
    authority: &Pubkey,
    dao: &Pubkey,
    params: RegistryParams,
) -> Instruction {
    ix(
        acc::SetRegistryParams {
            authority: *authority,
            registry: registry(dao),
        }
        .to_account_metas(None),
        data::SetRegistryParams { params }.data(),
    )
}

/// `register_hotspot`: `owner` and `device` sign; the fee is recorded in `hour` (now).
pub fn register_hotspot(
    owner: &Pubkey,
    device: &Pubkey,
    k: &RegistryKeys,
    hour: u64,
    args: HotspotLocation,
) -> Instruction {
    ix(
        acc::RegisterHotspot {
            owner: *owner,
            device: *device,
            registry: registry(&k.dao),
            hotspot: hotspot(device),
            dao: k.dao,
            sub_dao: k.coverage,
            fee: k.fee(owner, &k.coverage, hour),
            dao_program: lattice_dao::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::RegisterHotspot { args }.data(),
    )
}

/// `assert_location`: `owner` signs; a fee (if the cell changes) is recorded in `hour` (now).
pub fn assert_location(
    owner: &Pubkey,
    device: &Pubkey,
    k: &RegistryKeys,
    hour: u64,
    args: HotspotLocation,
) -> Instruction {
    ix(
        acc::AssertLocation {
            owner: *owner,
            device: *device,
            registry: registry(&k.dao),
            hotspot: hotspot(device),
            dao: k.dao,
            sub_dao: k.coverage,
            fee: k.fee(owner, &k.coverage, hour),
            dao_program: lattice_dao::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::AssertLocation { args }.data(),
    )
}

/// `register_gpu_node`: `owner` and `device` sign; stake from `owner`'s main-token ATA.
pub fn register_gpu_node(
    owner: &Pubkey,
    device: &Pubkey,
    k: &RegistryKeys,
    hour: u64,
    args: GpuSpecs,
) -> Instruction {
    let registry = registry(&k.dao);
    ix(
        acc::RegisterGpuNode {
            owner: *owner,
            device: *device,
            registry,
            gpu_node: gpu_node(device),
            owner_main: crate::pda::associated_token(owner, &k.main_mint),
            stake_vault: stake_vault(&registry),
            dao: k.dao,
            sub_dao: k.compute,
            fee: k.fee(owner, &k.compute, hour),
            dao_program: lattice_dao::ID,
            token_program: anchor_spl::token::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::RegisterGpuNode { args }.data(),
    )
}

/// `transfer_device` for a hotspot (`gpu = false`) or a GPU node.
pub fn transfer_device(
    owner: &Pubkey,
    device: &Pubkey,
    gpu: bool,
    new_owner: &Pubkey,
) -> Instruction {
    ix(
        acc::TransferDevice {
            owner: *owner,
            device: *device,
            device_account: if gpu {
                gpu_node(device)
            } else {
                hotspot(device)
            },
        }
        .to_account_metas(None),
        data::TransferDevice {
            new_owner: *new_owner,
        }
        .data(),
    )
}

/// `close_hotspot`.
pub fn close_hotspot(owner: &Pubkey, device: &Pubkey, k: &RegistryKeys) -> Instruction {
    ix(
        acc::CloseHotspot {
            owner: *owner,
            device: *device,
            registry: registry(&k.dao),
            hotspot: hotspot(device),
            dao: k.dao,
            sub_dao: k.coverage,
            dao_program: lattice_dao::ID,
        }
        .to_account_metas(None),
        data::CloseHotspot {}.data(),
    )
}

/// `request_unstake`.
pub fn request_unstake(owner: &Pubkey, device: &Pubkey, k: &RegistryKeys) -> Instruction {
    ix(
        acc::RequestUnstake {
            owner: *owner,
            device: *device,
            registry: registry(&k.dao),
            gpu_node: gpu_node(device),
            dao: k.dao,
            sub_dao: k.compute,
            dao_program: lattice_dao::ID,
        }
        .to_account_metas(None),
        data::RequestUnstake {}.data(),
    )
}

/// `close_gpu_node`: the stake returns to `owner`'s main-token ATA.
pub fn close_gpu_node(owner: &Pubkey, device: &Pubkey, k: &RegistryKeys) -> Instruction {
    let registry = registry(&k.dao);
    ix(
        acc::CloseGpuNode {
            owner: *owner,
            device: *device,
            registry,
            gpu_node: gpu_node(device),
            stake_vault: stake_vault(&registry),
            owner_main: crate::pda::associated_token(owner, &k.main_mint),
            token_program: anchor_spl::token::ID,
        }
        .to_account_metas(None),
        data::CloseGpuNode {}.data(),
    )
}

/// A GPU model name as the fixed-size field the program stores (truncated, zero-padded).
pub fn model_bytes(name: &str) -> [u8; GPU_MODEL_LEN] {
    let mut out = [0u8; GPU_MODEL_LEN];
    for (o, b) in out.iter_mut().zip(name.bytes()) {
        *o = b;
    }
    out
}
