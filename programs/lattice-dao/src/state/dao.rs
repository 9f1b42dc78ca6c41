use super::{Breaker, EmissionParams, UtilityWeightParams};
use crate::{constants::*, errors::DaoError};
use anchor_lang::prelude::*;

/// The DAO: PDA `[DAO_SEED, main_mint]`, and the main mint's only mint authority.
#[account]
#[derive(InitSpace, Debug)]
pub struct Dao {
    /// Layout version (1).
    pub version: u8,
    /// Bootstrap authority; handed to the governance PDA later. Can add sub-DAOs.
    pub authority: Pubkey,
    /// The main token mint.
    pub main_mint: Pubkey,
    /// Hard cap on main-token supply ever minted (genesis + emissions), in base units.
    pub max_supply: u64,
    /// Base units minted once at initialization.
    pub genesis_supply: u64,
    /// First hour with emissions (`floor(unix_timestamp / 3600)`).
    pub genesis_hour: u64,
    /// Hourly main-token emission schedule; hour 0 of the schedule is `genesis_hour`.
    pub emission: EmissionParams,
    /// Circuit breaker on main-token emission mints.
    pub breaker: Breaker,
    /// Utility score weights for the split among sub-DAOs.
    pub utility_weights: UtilityWeightParams,
    /// Share of each sub-DAO's part paid to its delegator pool, in basis points.
    pub delegator_bps: u16,
    /// Main-token base units minted by emissions since genesis.
    pub total_emitted: u64,
    /// Number of hours issued.
    pub hours_issued: u64,
    /// Sub-DAOs, in the order `issue_hour` expects their accounts.
    #[max_len(MAX_SUB_DAOS)]
    pub sub_daos: Vec<Pubkey>,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

impl Dao {
    /// Signer seeds of the DAO PDA.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            DAO_SEED,
            self.main_mint.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }

    /// Supply ever minted under the cap: genesis plus emissions.
    pub fn minted(&self) -> Option<u64> {
        self.genesis_supply.checked_add(self.total_emitted)
    }

    /// Holds after every mutating handler.
    pub fn invariant(&self) -> Result<()> {
        let minted = self.minted().ok_or(DaoError::MathOverflow)?;
        require!(minted <= self.max_supply, DaoError::InvariantViolated);
        require!(
            self.total_emitted <= self.emission.pool,
            DaoError::InvariantViolated
        );
        require!(
            self.sub_daos.len() <= MAX_SUB_DAOS,
            DaoError::InvariantViolated
        );
        Ok(())
    }
}
