//! Lattice governance: vote-escrowed positions, their delegation to sub-DAOs (the utility score's
//! V input) with per-hour staker rewards, and proposals carrying typed parameter changes that
//! execute, after a timelock, through every program's admin instructions. After the bootstrap
//! handoff the governance PDA is every program's authority.
//!
//! One documented line per instruction; handlers live in `instructions/`.

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::GovernanceError;
pub use instructions::*;
pub use state::*;

declare_id!("8gsREG8f7ceK5r2NZcnsqpbShDJHcpHgy84zk6RhtZDw");

#[program]
pub mod lattice_governance {
    use super::*;

    /// Create the DAO's governance with its power parameters and proposal rules. DAO authority.
    pub fn initialize_governance(
        ctx: Context<InitializeGovernance>,
        ve: VeConfig,
        params: GovernanceParams,
    ) -> Result<()> {
        instructions::init::initialize_handler(ctx, ve, params)
    }

    /// Permissionless, once per sub-DAO: start its delegated-power aggregate and make the DAO take
    /// its V input from governance from the next hour on.
    pub fn init_sub_dao_ve(ctx: Context<InitSubDaoVe>) -> Result<()> {
        instructions::init::init_sub_dao_ve_handler(ctx)
    }

    /// Lock main tokens into a new position (cliff or constant, 0..=max lock hours).
    pub fn lock(
        ctx: Context<LockTokens>,
        id: u64,
        amount: u64,
        kind: LockKind,
        hours: u64,
    ) -> Result<()> {
        instructions::positions::lock_handler(ctx, id, amount, kind, hours)
    }

    /// Extend a lock, or turn a constant lock into a cliff (unlock) or back; never less power.
    pub fn relock<'info>(
        ctx: Context<'info, Relock<'info>>,
        kind: LockKind,
        hours: u64,
    ) -> Result<()> {
        instructions::positions::relock_handler(ctx, kind, hours)
    }

    /// Return an expired, undelegated position's tokens.
    pub fn withdraw(ctx: Context<Withdraw>) -> Result<()> {
        instructions::positions::withdraw_handler(ctx)
    }

    /// Delegate a position to a sub-DAO from the next hour on.
    pub fn delegate<'info>(ctx: Context<'info, Delegate<'info>>) -> Result<()> {
        instructions::delegation::delegate_handler(ctx)
    }

    /// Stop delegating from the next hour on (never blocked by unclaimed rewards).
    pub fn undelegate<'info>(ctx: Context<'info, Delegate<'info>>) -> Result<()> {
        instructions::delegation::undelegate_handler(ctx)
    }

    /// Permissionless crank: apply an hour's scheduled changes, record `V(hour)` in the DAO and
    /// fold the previous hour's delegator slice into the reward cursor.
    pub fn checkpoint_ve(ctx: Context<CheckpointVe>, hour: u64) -> Result<()> {
        instructions::delegation::checkpoint_handler(ctx, hour)
    }

    /// Pay a position's staker rewards from a sub-DAO's delegator pool, up to its checkpoint.
    pub fn claim_rewards<'info>(ctx: Context<'info, ClaimRewards<'info>>) -> Result<()> {
        instructions::delegation::claim_handler(ctx)
    }

    /// Draft a proposal of typed parameter changes; the proposer's position needs enough power.
    pub fn propose(ctx: Context<Propose>, uri: String, changes: Vec<ParamChange>) -> Result<()> {
        instructions::proposals::propose_handler(ctx, uri, changes)
    }

    /// Cancel a draft (proposer).
    pub fn cancel_proposal(ctx: Context<ProposerAction>) -> Result<()> {
        instructions::proposals::cancel_handler(ctx)
    }

    /// Open a draft for votes (proposer); the snapshot hour is the current hour.
    pub fn start_voting(ctx: Context<ProposerAction>) -> Result<()> {
        instructions::proposals::start_voting_handler(ctx)
    }

    /// Vote, or change the vote, with a position's power at the snapshot hour.
    pub fn vote(ctx: Context<CastVote>, choice: VoteChoice) -> Result<()> {
        instructions::proposals::vote_handler(ctx, choice)
    }

    /// After voting: queue (with its timelock) a proposal that met quorum and threshold, else
    /// defeat it. Anyone.
    pub fn finalize_proposal(ctx: Context<FinalizeProposal>) -> Result<()> {
        instructions::proposals::finalize_handler(ctx)
    }

    /// Execute the next change of a queued proposal after its timelock. Anyone.
    pub fn execute_change<'info>(
        ctx: Context<'info, ExecuteChange<'info>>,
        index: u8,
    ) -> Result<()> {
        instructions::execute::handler(ctx, index)
    }
}
