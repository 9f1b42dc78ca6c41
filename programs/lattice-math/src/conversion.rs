//! Treasury conversion between a sub-DAO token and the main token.
//!
//! Each sub-DAO keeps two pools: its **treasury** of main tokens (filled by emissions) and a
//! **conversion pool** of its own token. A holder converts in either direction against a
//! constant-product curve over
//!
//! * `M`, the treasury's main-token balance, and
//! * `S + V`, the conversion pool's sub-DAO token balance `S` plus a configured **virtual
//!   reserve** `V > 0`, which prices the sub-DAO token before anyone has sold into the pool.
//!
//! A fee of `fee_bps` is taken from the input (rounded up) and stays in the pool it was paid to.
//!
//! ```text
//! fee(a)          = ceil(a × fee_bps / 10_000),        a_eff = a − fee(a)
//! sub → main (x)  : out = floor(M × x_eff / (S + V + x_eff))
//! main → sub (y)  : out = min(S, floor((S + V) × y_eff / (M + y_eff)))      (M > 0)
//! ```
//!
//! Properties (all proptested below):
//! * **no profit from a round trip**: converting `x` one way and the proceeds straight back
//!   returns at most `x`, because the product `M × (S + V)` never decreases and rounding is
//!   always in the pools' favour;
//! * **the pools are never drained below the curve**: an output is strictly less than the reserve
//!   it is paid from, a main→sub output never exceeds the real balance `S` (the virtual reserve
//!   is never paid out), and `M × (S + V)` after a conversion is at least what it was before;
//! * **monotone**: more input never yields less output.
//!
//! Arithmetic is in `u128`. Sums of reserves above `2^64` and products above `2^128` report
//! [`ConversionError::Overflow`] instead of wrapping; token supplies below `2^63` never reach it.

use crate::BPS;

/// A sub-DAO's conversion parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversionCurve {
    /// Sub-DAO token base units added to the pool balance when pricing (must be > 0).
    pub virtual_reserve: u64,
    /// Fee on the input, in basis points (< 10_000).
    pub fee_bps: u16,
}

/// The real balances the curve is priced on, in base units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reserves {
    /// Main tokens in the sub-DAO treasury (`M`).
    pub main: u64,
    /// Sub-DAO tokens in the conversion pool (`S`).
    pub sub: u64,
}

/// The outcome of one conversion, in base units (input token for `amount_in` and `fee`, output
/// token for `amount_out`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// Everything the holder pays into the pool.
    pub amount_in: u64,
    /// The part of `amount_in` kept as a fee (not priced).
    pub fee: u64,
    /// What the holder receives.
    pub amount_out: u64,
}

/// Why a conversion cannot be priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversionError {
    /// Zero virtual reserve or a fee of 100% or more.
    InvalidCurve,
    /// The treasury holds no main tokens: any main→sub conversion would buy the whole pool.
    EmptyReserve,
    /// The reserves are too large for exact arithmetic.
    Overflow,
}

impl ConversionCurve {
    /// A positive virtual reserve and a fee below 100%.
    pub fn validate(&self) -> Result<(), ConversionError> {
        if self.virtual_reserve == 0 || u64::from(self.fee_bps) >= BPS {
            return Err(ConversionError::InvalidCurve);
        }
        Ok(())
    }

    /// The fee on `amount_in` (rounded up) and the priced remainder.
    fn split_fee(&self, amount_in: u64) -> (u64, u64) {
        let fee = u128::from(amount_in)
            .saturating_mul(u128::from(self.fee_bps))
            .div_ceil(u128::from(BPS));
        let fee = u64::try_from(fee).unwrap_or(amount_in).min(amount_in);
        (fee, amount_in.saturating_sub(fee))
    }
}

/// `floor(a × b / c)` for `c > 0`, or `Overflow`.
fn mul_div(a: u128, b: u128, c: u128) -> Result<u128, ConversionError> {
    a.checked_mul(b)
        .and_then(|p| p.checked_div(c))
        .ok_or(ConversionError::Overflow)
}

/// Sell `amount_in` sub-DAO tokens into the pool for main tokens from the treasury.
pub fn quote_to_main(
    curve: &ConversionCurve,
    reserves: &Reserves,
    amount_in: u64,
) -> Result<Quote, ConversionError> {
    curve.validate()?;
    let (fee, x_eff) = curve.split_fee(amount_in);
    let sub_side = u128::from(reserves.sub)
        .checked_add(u128::from(curve.virtual_reserve))
        .ok_or(ConversionError::Overflow)?;
    let denominator = sub_side
        .checked_add(u128::from(x_eff))
        .ok_or(ConversionError::Overflow)?;
    let out = mul_div(u128::from(reserves.main), u128::from(x_eff), denominator)?;
    Ok(Quote {
        amount_in,
        fee,
        amount_out: u64::try_from(out).map_err(|_| ConversionError::Overflow)?,
    })
}

/// Buy sub-DAO tokens from the pool with `amount_in` main tokens paid into the treasury.
pub fn quote_to_sub(
    curve: &ConversionCurve,
    reserves: &Reserves,
    amount_in: u64,
) -> Result<Quote, ConversionError> {
    curve.validate()?;
    if reserves.main == 0 {
        return Err(ConversionError::EmptyReserve);
    }
    let (fee, y_eff) = curve.split_fee(amount_in);
    let sub_side = u128::from(reserves.sub)
        .checked_add(u128::from(curve.virtual_reserve))
        .ok_or(ConversionError::Overflow)?;
    let denominator = u128::from(reserves.main)
        .checked_add(u128::from(y_eff))
        .ok_or(ConversionError::Overflow)?;
    let out = mul_div(sub_side, u128::from(y_eff), denominator)?.min(u128::from(reserves.sub));
    Ok(Quote {
        amount_in,
        fee,
        amount_out: u64::try_from(out).map_err(|_| ConversionError::Overflow)?,
    })
}

#[cfg(test)]
mod tests;
