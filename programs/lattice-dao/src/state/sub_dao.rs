use super::{Breaker, EmissionParams};
use crate::{constants::*, errors::DaoError};
use anchor_lang::prelude::*;

/// A sub-DAO: PDA `[SUB_DAO_SEED, dao, name]`. Authority of its token mint, its treasury, its
/// delegator pool and its rewards escrow.
#[account]
#[derive(InitSpace, Debug)]
pub struct SubDao {
    /// Layout version (1).
    pub version: u8,
    /// The DAO.
    pub dao: Pubkey,
    /// Position in `Dao::sub_daos`.
    pub index: u8,
    /// Name (`coverage`, `compute`, ...), also a PDA seed.
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
    /// The sub-DAO token mint.
    pub mint: Pubkey,
    /// Main-token treasury (PDA `[TREASURY_SEED, sub_dao]`).
    pub treasury: Pubkey,
    /// Main-token delegator pool (PDA `[DELEGATOR_POOL_SEED, sub_dao]`).
    pub delegator_pool: Pubkey,
    /// Sub-DAO token rewards escrow (PDA `[REWARDS_ESCROW_SEED, sub_dao]`).
    pub rewards_escrow: Pubkey,
    /// Hard cap on the sub-DAO token supply, in base units.
    pub max_supply: u64,
    /// First hour of this sub-DAO's token schedule and of its share of main emissions.
    pub genesis_hour: u64,
    /// Hourly sub-DAO token schedule.
    pub emission: EmissionParams,
    /// Circuit breaker on sub-DAO token mints.
    pub breaker: Breaker,
    /// Sub-DAO token base units minted since genesis.
    pub tokens_emitted: u64,
    /// Main-token base units received by the treasury from emissions.
    pub main_to_treasury: u64,
    /// Main-token base units received by the delegator pool from emissions.
    pub main_to_delegators: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Active devices (hotspots or GPU nodes), kept by the registry: the utility score's A input.
    pub active_devices: u64,
    /// First hour whose utility score reads the vote-escrow (V) input recorded by governance
    /// (`floor(unix_timestamp / 3600)`); 0 = V not enabled. Set once by `enable_ve`.
    pub ve_start_hour: u64,
    /// Space for future fields.
    pub reserved: [u8; 48],
}

impl SubDao {
    /// Signer seeds of the sub-DAO PDA (authority of its mint and token accounts).
    pub fn signer_seeds(&self) -> [&[u8]; 4] {
        [
            SUB_DAO_SEED,
            self.dao.as_ref(),
            self.name.as_bytes(),
            std::slice::from_ref(&self.bump),
        ]
    }

    /// Whether issuing `hour` needs this sub-DAO's V (recorded by governance through `record_ve`).
    pub fn ve_required(&self, hour: u64) -> bool {
        self.ve_start_hour != 0 && hour >= self.ve_start_hour
    }

    /// Holds after every mutating handler.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.tokens_emitted <= self.max_supply && self.tokens_emitted <= self.emission.pool,
            DaoError::InvariantViolated
        );
        Ok(())
    }
}
