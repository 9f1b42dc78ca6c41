//! Data-credit pricing: main token burned ⇄ DC minted, at a conservative oracle price.
//!
//! The oracle reports `price ± conf` scaled by `10^exponent` USD per whole main token. Lattice
//! prices the main token at the **lower bound** `price − conf`, so a caller burning main tokens
//! never receives more DC than the oracle's worst case supports.
//!
//! ```text
//! usd(main)  = main / 10^decimals × (price − conf) × 10^exponent
//! dc(main)   = floor(usd(main) / (dc_price_nano_usd × 10^-9))
//!            = floor(main × (price − conf) × 10^(exponent + 9 − decimals) / dc_price_nano_usd)
//! main(dc)   = ceil(dc × dc_price_nano_usd × 10^-(exponent + 9 − decimals) / (price − conf))
//! ```
//!
//! Both directions round against the caller: `dc(main)` rounds down, `main(dc)` rounds up. Hence
//! `dc(main(d)) ≥ d` and `main(dc(m)) ≤ m`, and the two agree within one unit.

/// How DC is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DcPricing {
    /// USD price of one DC, in nano-USD (10_000 = $0.00001, Helium's price).
    pub dc_price_nano_usd: u64,
    /// Decimals of the main token.
    pub main_decimals: u8,
    /// Widest accepted confidence interval, `conf / price` in basis points.
    pub max_conf_bps: u16,
}

/// A price as the oracle reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OraclePrice {
    /// Price, scaled by `10^exponent` USD per whole main token.
    pub price: i64,
    /// Confidence interval, same scale.
    pub conf: u64,
    /// Decimal exponent.
    pub exponent: i32,
}

/// Why a price or an amount cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DcPriceError {
    /// The price, or its lower bound `price − conf`, is not positive.
    NotPositive,
    /// `conf / price` exceeds `max_conf_bps`.
    ConfidenceTooWide,
    /// The amount is too large for the arithmetic, or the exponent is out of range.
    Overflow,
    /// The amount converts to zero.
    ZeroAmount,
}

/// The lower bound `price − conf`, after the sign and confidence checks.
pub fn conservative_price(p: &DcPricing, o: &OraclePrice) -> Result<u128, DcPriceError> {
    let price = u128::try_from(o.price).map_err(|_| DcPriceError::NotPositive)?;
    if price == 0 {
        return Err(DcPriceError::NotPositive);
    }
    let conf = u128::from(o.conf);
    let wide = conf
        .checked_mul(u128::from(crate::BPS))
        .ok_or(DcPriceError::Overflow)?
        > price.saturating_mul(u128::from(p.max_conf_bps));
    if wide {
        return Err(DcPriceError::ConfidenceTooWide);
    }
    match price.checked_sub(conf) {
        Some(low) if low > 0 => Ok(low),
        _ => Err(DcPriceError::NotPositive),
    }
}

/// `(numerator scale, denominator scale)` for `10^(exponent + 9 − decimals)`.
fn scales(p: &DcPricing, o: &OraclePrice) -> Result<(u128, u128), DcPriceError> {
    let e = i64::from(o.exponent)
        .checked_add(9)
        .and_then(|e| e.checked_sub(i64::from(p.main_decimals)))
        .ok_or(DcPriceError::Overflow)?;
    let pow = |k: i64| -> Result<u128, DcPriceError> {
        let k = u32::try_from(k).map_err(|_| DcPriceError::Overflow)?;
        10u128.checked_pow(k).ok_or(DcPriceError::Overflow)
    };
    if e >= 0 {
        Ok((pow(e)?, 1))
    } else {
        Ok((1, pow(e.checked_neg().ok_or(DcPriceError::Overflow)?)?))
    }
}

/// DC minted for burning `main` base units (rounded down). Zero DC is refused.
pub fn dc_for_main(p: &DcPricing, o: &OraclePrice, main: u64) -> Result<u64, DcPriceError> {
    let low = conservative_price(p, o)?;
    let (num_scale, den_scale) = scales(p, o)?;
    let num = u128::from(main)
        .checked_mul(low)
        .and_then(|v| v.checked_mul(num_scale))
        .ok_or(DcPriceError::Overflow)?;
    let den = u128::from(p.dc_price_nano_usd)
        .checked_mul(den_scale)
        .ok_or(DcPriceError::Overflow)?;
    let dc = num.checked_div(den).ok_or(DcPriceError::Overflow)?;
    match u64::try_from(dc) {
        Ok(0) => Err(DcPriceError::ZeroAmount),
        Ok(dc) => Ok(dc),
        Err(_) => Err(DcPriceError::Overflow),
    }
}

/// Main-token base units to burn for `dc` DC (rounded up). Zero DC is refused.
pub fn main_for_dc(p: &DcPricing, o: &OraclePrice, dc: u64) -> Result<u64, DcPriceError> {
    if dc == 0 {
        return Err(DcPriceError::ZeroAmount);
    }
    let low = conservative_price(p, o)?;
    let (num_scale, den_scale) = scales(p, o)?;
    // main = ceil(dc × dc_price × den_scale / (low × num_scale))
    let num = u128::from(dc)
        .checked_mul(u128::from(p.dc_price_nano_usd))
        .and_then(|v| v.checked_mul(den_scale))
        .ok_or(DcPriceError::Overflow)?;
    let den = low.checked_mul(num_scale).ok_or(DcPriceError::Overflow)?;
    let main = num.div_ceil(den);
    u64::try_from(main).map_err(|_| DcPriceError::Overflow)
}

#[cfg(test)]
mod tests;
