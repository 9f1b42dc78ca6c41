use crate::{errors::ComputeError, events::OraclesSet, instructions::Admin, state::*};
// Nested accounts need the generated client modules of `Admin` in scope.
#[allow(unused_imports)]
use crate::instructions::*;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct SetOracles<'info> {
    pub admin: Admin<'info>,
}

/// Replace the fault-oracle set and threshold.
///
/// Shall:
/// - be signed by the configuration's authority (`Unauthorized`);
/// - accept an empty set with threshold 0 (attestations off), or 2..=7 distinct non-default keys
///   with `2 ≤ k` and `n/2 < k ≤ n`, so no single key can slash (`InvalidOracleSet`);
/// - start a new oracle-set generation: votes not yet executed no longer count;
/// - emit `OraclesSet`.
pub fn handler(ctx: Context<SetOracles>, oracles: Vec<Pubkey>, threshold: u8) -> Result<()> {
    require!(
        oracle_set_is_valid(&oracles, threshold),
        ComputeError::InvalidOracleSet
    );
    let config = &mut ctx.accounts.admin.config;
    config.oracles = oracles;
    config.threshold = threshold;
    config.oracle_generation = config
        .oracle_generation
        .checked_add(1)
        .ok_or(ComputeError::MathOverflow)?;
    config.invariant()?;
    emit!(OraclesSet {
        config: config.key(),
        oracles: config.oracles.clone(),
        threshold,
        generation: config.oracle_generation,
        authority: ctx.accounts.admin.authority.key(),
    });
    Ok(())
}
