use crate::{constants::*, errors::RewardsError, events::OraclesSet, state::*};
use anchor_lang::prelude::*;
use lattice_dao::Dao;

#[derive(Accounts)]
pub struct SetOracles<'info> {
    /// The DAO's authority (governance, once it holds the role).
    pub authority: Signer<'info>,
    #[account(has_one = authority @ RewardsError::Unauthorized)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(
        mut,
        seeds = [REWARDS_CONFIG_SEED, config.sub_dao.as_ref()],
        bump = config.bump,
        has_one = dao,
    )]
    pub config: Box<Account<'info, RewardsConfig>>,
}

/// Replace the oracle set and threshold.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - refuse an unsafe oracle set (`InvalidOracleSet`);
/// - start a new oracle-set generation: posts not yet final, made under the old set, no longer
///   count (an epoch's record is reset by its next post); the final root stays final;
/// - emit `OraclesSet`.
pub fn handler(ctx: Context<SetOracles>, oracles: Vec<Pubkey>, threshold: u8) -> Result<()> {
    require!(
        oracle_set_is_valid(&oracles, threshold),
        RewardsError::InvalidOracleSet
    );
    let config = &mut ctx.accounts.config;
    config.oracles = oracles;
    config.threshold = threshold;
    config.oracle_set_generation = config
        .oracle_set_generation
        .checked_add(1)
        .ok_or(RewardsError::MathOverflow)?;
    config.invariant()?;
    emit!(OraclesSet {
        config: config.key(),
        oracles: config.oracles.clone(),
        threshold,
        generation: config.oracle_set_generation,
        authority: ctx.accounts.authority.key(),
    });
    Ok(())
}
