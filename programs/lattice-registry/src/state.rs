//! Accounts. Device accounts are kept small: rent per device is a headline cost.

use crate::constants::*;
use anchor_lang::prelude::*;

/// Registry parameters, set at initialization and changed by `set_registry_params`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct RegistryParams {
    /// H3 resolution of asserted hotspot locations.
    pub h3_resolution: u8,
    /// Lowest antenna gain, in tenths of dBi.
    pub min_gain_dbi_x10: i16,
    /// Highest antenna gain, in tenths of dBi.
    pub max_gain_dbi_x10: i16,
    /// Lowest elevation above ground, in metres.
    pub min_elevation_m: i32,
    /// Highest elevation above ground, in metres.
    pub max_elevation_m: i32,
    /// Hotspot onboarding fee, in DC.
    pub hotspot_onboarding_fee_dc: u64,
    /// Location-change fee, in DC.
    pub location_fee_dc: u64,
    /// GPU node onboarding fee, in DC.
    pub gpu_onboarding_fee_dc: u64,
    /// Minimum stake per GPU of a node, in main-token base units.
    pub min_stake_per_gpu: u64,
    /// Unstaking cooldown, in seconds.
    pub unstake_cooldown_secs: u64,
}

impl RegistryParams {
    /// The parameters `initialize_registry` and `set_registry_params` accept: an H3 resolution of
    /// at most 15, min ≤ max gain and elevation bounds, a positive unstaking cooldown and a
    /// positive minimum stake (`InvalidParams`).
    pub fn validate(&self) -> Result<()> {
        require!(
            self.h3_resolution <= lattice_math::h3::MAX_RESOLUTION
                && self.min_gain_dbi_x10 <= self.max_gain_dbi_x10
                && self.min_elevation_m <= self.max_elevation_m
                && self.unstake_cooldown_secs > 0
                && self.min_stake_per_gpu > 0,
            crate::errors::RegistryError::InvalidParams
        );
        Ok(())
    }
}

/// The registry: PDA `[REGISTRY_SEED, dao]`, owner of the stake vault.
#[account]
#[derive(InitSpace, Debug)]
pub struct Registry {
    /// The DAO.
    pub dao: Pubkey,
    /// Authority over parameters (the DAO authority at initialization).
    pub authority: Pubkey,
    /// Sub-DAO that hotspots count toward.
    pub coverage_sub_dao: Pubkey,
    /// Sub-DAO that GPU nodes count toward.
    pub compute_sub_dao: Pubkey,
    /// The main token mint (stake).
    pub main_mint: Pubkey,
    /// Parameters.
    pub params: RegistryParams,
    /// Hotspots registered and not closed.
    pub hotspots: u64,
    /// GPU nodes registered and not closed.
    pub gpu_nodes: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the stake vault.
    pub vault_bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

impl Registry {
    /// Signer seeds of the registry PDA (the stake vault's owner).
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            REGISTRY_SEED,
            self.dao.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }
}

/// A hotspot: PDA `[HOTSPOT_SEED, device_key]` (58 bytes of data).
#[account]
#[derive(InitSpace, Debug)]
pub struct Hotspot {
    /// Owner; receives rewards and the rent on close.
    pub owner: Pubkey,
    /// Asserted H3 cell.
    pub location: u64,
    /// Antenna gain, tenths of dBi.
    pub gain_dbi_x10: i16,
    /// Elevation above ground, metres.
    pub elevation_m: i32,
    /// Location assertions so far (the first one at onboarding counts).
    pub location_asserts: u16,
    /// Bump of this PDA.
    pub bump: u8,
}

/// A GPU node: PDA `[GPU_NODE_SEED, device_key]` (77 bytes of data).
#[account]
#[derive(InitSpace, Debug)]
pub struct GpuNode {
    /// Owner; receives rewards, the stake and the rent on close.
    pub owner: Pubkey,
    /// GPU model name, UTF-8, zero-padded.
    pub model: [u8; GPU_MODEL_LEN],
    /// VRAM per GPU, GiB.
    pub vram_gb: u16,
    /// Number of GPUs.
    pub gpu_count: u8,
    /// Region code (ISO 3166-1 alpha-2, e.g. `*b"DE"`).
    pub region: [u8; 2],
    /// Main-token base units staked.
    pub stake: u64,
    /// Unix time unstaking was requested (0 = active).
    pub unstake_requested_at: i64,
    /// Jobs currently held (set by the compute program).
    pub jobs_held: u8,
    /// Bump of this PDA.
    pub bump: u8,
}

/// Arguments: a hotspot's asserted position.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct HotspotLocation {
    /// H3 cell at the registry's resolution.
    pub location: u64,
    /// Antenna gain, tenths of dBi.
    pub gain_dbi_x10: i16,
    /// Elevation above ground, metres.
    pub elevation_m: i32,
}

/// Arguments: a GPU node's specs.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GpuSpecs {
    /// Model name, UTF-8, zero-padded.
    pub model: [u8; GPU_MODEL_LEN],
    /// VRAM per GPU, GiB.
    pub vram_gb: u16,
    /// Number of GPUs (1..=64).
    pub gpu_count: u8,
    /// Region code.
    pub region: [u8; 2],
}
