use crate::errors::DaoError;
use anchor_lang::prelude::*;
use lattice_math::conversion::{ConversionCurve, ConversionError};

/// A sub-DAO's conversion parameters (see `lattice_math::conversion`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct ConversionParams {
    /// Sub-DAO token base units added to the pool balance when pricing (> 0): sets the price
    /// before anyone has sold into the pool, and is never paid out.
    pub virtual_reserve: u64,
    /// Fee on the input, in basis points (< 10_000); it stays in the pool it is paid to.
    pub fee_bps: u16,
    /// Sub-DAO token → main token is frozen.
    pub frozen_to_main: bool,
    /// Main token → sub-DAO token is frozen.
    pub frozen_to_sub: bool,
    /// Both directions are frozen before this unix time, in seconds (0 = no time freeze).
    pub frozen_until_unix: i64,
}

impl ConversionParams {
    /// The pure curve.
    pub fn curve(&self) -> ConversionCurve {
        ConversionCurve {
            virtual_reserve: self.virtual_reserve,
            fee_bps: self.fee_bps,
        }
    }

    /// Refuse a zero virtual reserve or a fee of 100% or more.
    pub fn validate(&self) -> Result<()> {
        require!(
            self.curve().validate().is_ok(),
            DaoError::InvalidConversionParams
        );
        Ok(())
    }

    /// Whether converting toward the main token (`to_main`) or the sub-DAO token is frozen at
    /// `now`: by its direction flag, or for both directions before `frozen_until_unix`.
    pub fn is_frozen(&self, to_main: bool, now: i64) -> bool {
        let flag = if to_main {
            self.frozen_to_main
        } else {
            self.frozen_to_sub
        };
        flag || now < self.frozen_until_unix
    }
}

/// Map a curve error to the program's error.
pub fn conversion_error(e: ConversionError) -> DaoError {
    match e {
        ConversionError::InvalidCurve => DaoError::InvalidConversionParams,
        ConversionError::EmptyReserve => DaoError::ConversionReserveEmpty,
        ConversionError::Overflow => DaoError::MathOverflow,
    }
}

/// A sub-DAO's conversion state: PDA `[CONVERSION_SEED, sub_dao]` (see `constants`). The curve's reserves are the
/// sub-DAO treasury (main tokens) and the pool `[CONVERSION_POOL_SEED, sub_dao]` (sub-DAO tokens),
/// both owned by the sub-DAO PDA.
#[account]
#[derive(InitSpace, Debug)]
pub struct Conversion {
    /// Layout version (1).
    pub version: u8,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The sub-DAO token pool (PDA `[CONVERSION_POOL_SEED, sub_dao]`).
    pub pool: Pubkey,
    /// Curve and freeze parameters; set by the DAO authority.
    pub params: ConversionParams,
    /// Sub-DAO token base units paid into the pool by sub→main conversions, fees included.
    pub total_sub_in: u128,
    /// Main-token base units paid out of the treasury by sub→main conversions.
    pub total_main_out: u128,
    /// Main-token base units paid into the treasury by main→sub conversions, fees included.
    pub total_main_in: u128,
    /// Sub-DAO token base units paid out of the pool by main→sub conversions.
    pub total_sub_out: u128,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the pool PDA.
    pub pool_bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

impl Conversion {
    /// Holds after every mutating handler.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.params.curve().validate().is_ok(),
            DaoError::InvariantViolated
        );
        Ok(())
    }
}
