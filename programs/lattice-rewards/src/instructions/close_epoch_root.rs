use crate::{constants::*, errors::RewardsError, events::EpochRootClosed, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CloseEpochRoot<'info> {
    #[account(seeds = [REWARDS_CONFIG_SEED, config.sub_dao.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    #[account(mut, has_one = config, has_one = rent_payer, close = rent_payer)]
    pub epoch_root: Box<Account<'info, EpochRoot>>,
    /// CHECK: the oracle that created the record (`has_one`); receives its rent.
    #[account(mut)]
    pub rent_payer: UncheckedAccount<'info>,
}

/// Close a settled epoch's record and return its rent to the oracle that created it.
///
/// Shall:
/// - be permissionless, paying the rent only to the record's creator (`ConstraintHasOne`);
/// - refuse an epoch after the latest final epoch (`EpochNotSettled`): until then its posts
///   may still finalize; at or before it, no post can ever be accepted again (`StaleEpoch`);
/// - emit `EpochRootClosed`.
pub fn handler(ctx: Context<CloseEpochRoot>) -> Result<()> {
    let record = &ctx.accounts.epoch_root;
    require!(
        record.epoch <= ctx.accounts.config.final_epoch,
        RewardsError::EpochNotSettled
    );
    emit!(EpochRootClosed {
        config: record.config,
        epoch: record.epoch,
        rent_payer: record.rent_payer,
    });
    Ok(())
}
