use crate::{constants::*, errors::DcError, events::DcParamsSet, state::*};
use anchor_lang::prelude::*;
use lattice_dao::BreakerParams;

/// A change of the DC parameters: `None` keeps a field as it is.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct DcParamsUpdate {
    /// New USD price of one DC, nano-USD.
    pub dc_price_nano_usd: Option<u64>,
    /// New Pyth feed id of MAIN/USD.
    pub price_feed_id: Option<[u8; 32]>,
    /// New program that must own price accounts (the Pyth receiver).
    pub price_owner: Option<Pubkey>,
    /// New oldest accepted price, seconds.
    pub max_age_secs: Option<u64>,
    /// New widest accepted confidence, basis points of the price.
    pub max_conf_bps: Option<u16>,
    /// New limits of the breaker on DC minted (its running state is kept).
    pub breaker: Option<BreakerParams>,
}

#[derive(Accounts)]
pub struct SetDcParams<'info> {
    /// The DC configuration's authority (governance, once it holds the role).
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [DATA_CREDITS_SEED, data_credits.dao.as_ref()],
        bump = data_credits.bump,
        has_one = authority @ DcError::Unauthorized,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
}

/// Change the DC price, the price feed and its acceptance limits, or the mint breaker's limits.
///
/// Shall:
/// - be signed by the DC authority (`Unauthorized`);
/// - validate the resulting parameters as `initialize_data_credits` does: a zero DC price, max
///   age or breaker window, or a confidence above 10_000 bps (`InvalidParameter`);
/// - change only the fields given, and keep the breaker's running state (`last_ts`, `value`) so
///   a change cannot reset the window;
/// - emit `DcParamsSet` with the values in force.
pub fn handler(ctx: Context<SetDcParams>, params: DcParamsUpdate) -> Result<()> {
    let cfg = &mut ctx.accounts.data_credits;
    let dc_price_nano_usd = params.dc_price_nano_usd.unwrap_or(cfg.dc_price_nano_usd);
    let max_age_secs = params.max_age_secs.unwrap_or(cfg.max_age_secs);
    let max_conf_bps = params.max_conf_bps.unwrap_or(cfg.max_conf_bps);
    let breaker = params.breaker.unwrap_or(cfg.breaker.params);
    crate::instructions::validate_dc_params(
        dc_price_nano_usd,
        max_age_secs,
        max_conf_bps,
        &breaker,
    )?;
    cfg.dc_price_nano_usd = dc_price_nano_usd;
    cfg.price_feed_id = params.price_feed_id.unwrap_or(cfg.price_feed_id);
    cfg.price_owner = params.price_owner.unwrap_or(cfg.price_owner);
    cfg.max_age_secs = max_age_secs;
    cfg.max_conf_bps = max_conf_bps;
    cfg.breaker.params = breaker;
    emit!(DcParamsSet {
        data_credits: cfg.key(),
        authority: ctx.accounts.authority.key(),
        dc_price_nano_usd,
        price_feed_id: cfg.price_feed_id,
        price_owner: cfg.price_owner,
        max_age_secs,
        max_conf_bps,
        breaker,
    });
    Ok(())
}
