use crate::{constants::*, errors::DaoError, events::ConversionParamsSet, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetConversionParams<'info> {
    /// The DAO's authority.
    pub authority: Signer<'info>,
    #[account(
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
    )]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(
        mut,
        seeds = [CONVERSION_SEED, sub_dao.key().as_ref()],
        bump = conversion.bump,
        has_one = sub_dao,
    )]
    pub conversion: Box<Account<'info, Conversion>>,
}

/// Change a sub-DAO's conversion curve or freeze it.
///
/// Shall be signed by the DAO authority (`Unauthorized`), refuse invalid parameters
/// (`InvalidConversionParams`), replace all parameters at once, and emit `ConversionParamsSet`.
pub fn handler(ctx: Context<SetConversionParams>, params: ConversionParams) -> Result<()> {
    params.validate()?;
    let c = &mut ctx.accounts.conversion;
    c.params = params;
    c.invariant()?;
    emit!(ConversionParamsSet {
        sub_dao: c.sub_dao,
        authority: ctx.accounts.authority.key(),
        virtual_reserve: params.virtual_reserve,
        fee_bps: params.fee_bps,
        frozen_to_main: params.frozen_to_main,
        frozen_to_sub: params.frozen_to_sub,
        frozen_until_unix: params.frozen_until_unix,
    });
    Ok(())
}
