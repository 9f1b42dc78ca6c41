use crate::{
    constants::*, errors::ComputeError, events::MarketParamsSet, instructions::Admin, state::*,
};
use anchor_lang::prelude::*;
// Nested accounts need the generated client modules of `Admin` in scope.
#[allow(unused_imports)]
use crate::instructions::*;

#[derive(Accounts)]
#[instruction(class_id: u8)]
pub struct SetMarketParams<'info> {
    pub admin: Admin<'info>,
    #[account(
        mut,
        seeds = [MARKET_SEED, admin.config.key().as_ref(), &[class_id]],
        bump = market.bump,
    )]
    pub market: Box<Account<'info, Market>>,
}

/// Replace the parameters of the market of class `class_id`.
///
/// Shall be signed by the configuration's authority (`Unauthorized`), refuse invalid parameters
/// (`InvalidMarketParams`) and emit `MarketParamsSet`. Queued and running jobs keep their price
/// and duration; the verification window and timeout slash in force when they settle apply.
pub fn handler(ctx: Context<SetMarketParams>, class_id: u8, params: MarketParams) -> Result<()> {
    require!(params.is_valid(), ComputeError::InvalidMarketParams);
    let market = &mut ctx.accounts.market;
    market.params = params;
    emit!(MarketParamsSet {
        config: market.config,
        market: market.key(),
        class_id,
        params,
        created: false,
        authority: ctx.accounts.admin.authority.key(),
    });
    Ok(())
}
