//! `hold_job`, `release_job` and `slash_stake` accept only the compute configuration PDA of the
//! registry's DAO, signing through CPI (exercised for real by the compute program's tests).
//! Here: any other signer is refused, and the program ids agree.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use anchor_lang::{InstructionData, ToAccountMetas};
use common::*;
use lattice_registry::{accounts as acc, instruction as data, GpuNode};
use lattice_sdk::registry;
use solana_sdk::{
    instruction::Instruction,
    signature::{Keypair, Signer},
};

fn ix(accounts: Vec<solana_sdk::instruction::AccountMeta>, data: Vec<u8>) -> Instruction {
    Instruction {
        program_id: lattice_registry::ID,
        accounts,
        data,
    }
}

#[tokio::test]
async fn only_the_compute_configuration_holds_releases_and_slashes() {
    let h = Harness::new(100_000_000).await;
    let device = Keypair::new();
    h.register_gpu(&device, gpu_specs(1)).await.unwrap();
    let node = registry::gpu_node(&device.pubkey());
    let reg = registry::registry(&h.keys.dao);
    let impostor = Keypair::new();
    let jobs = acc::UpdateJobsHeld {
        compute_config: impostor.pubkey(),
        registry: reg,
        gpu_node: node,
    };
    let slash = acc::SlashStake {
        compute: jobs,
        stake_vault: registry::stake_vault(&reg),
        destination: lattice_sdk::pda::associated_token(&h.payer.pubkey(), &h.main_mint.pubkey()),
        token_program: anchor_spl::token::ID,
    };
    let seeds = u32::from(anchor_lang::error::ErrorCode::ConstraintSeeds);
    for bad in [
        ix(jobs.to_account_metas(None), data::HoldJob {}.data()),
        ix(jobs.to_account_metas(None), data::ReleaseJob {}.data()),
        ix(
            slash.to_account_metas(None),
            data::SlashStake { amount: 1 }.data(),
        ),
    ] {
        assert_code(h.send(&[bad], &[&impostor]).await, seeds);
    }
    let n: GpuNode = h.fetch(&node).await.unwrap();
    assert_eq!(
        (n.jobs_held, n.stake),
        (0, h.cfg.registry_params().unwrap().min_stake_per_gpu)
    );
}

#[test]
fn the_registry_knows_the_compute_program() {
    assert_eq!(
        lattice_registry::COMPUTE_PROGRAM_ID,
        lattice_sdk::lattice_compute::ID
    );
    assert_eq!(
        lattice_registry::COMPUTE_CONFIG_SEED,
        lattice_sdk::lattice_compute::COMPUTE_CONFIG_SEED
    );
}
