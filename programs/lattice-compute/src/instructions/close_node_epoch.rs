use crate::{constants::*, errors::ComputeError, events::NodeEpochClosed, state::*};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CloseNodeEpoch<'info> {
    #[account(
        mut,
        close = creator,
        seeds = [NODE_EPOCH_SEED, node_epoch.gpu_node.as_ref(), &node_epoch.hour.to_le_bytes()],
        bump = node_epoch.bump,
        has_one = creator,
    )]
    pub node_epoch: Box<Account<'info, NodeEpoch>>,
    /// CHECK: who paid the record's rent (`has_one`); receives it back.
    #[account(mut)]
    pub creator: UncheckedAccount<'info>,
}

/// Close a node's hour record after its retention period.
///
/// Shall be permissionless, pay the rent only to the record's creator (`ConstraintHasOne`), and
/// refuse a record whose hour ended less than `NODE_EPOCH_RETENTION_SECS` ago
/// (`RetentionNotOver`); emit `NodeEpochClosed`.
pub fn handler(ctx: Context<CloseNodeEpoch>) -> Result<()> {
    let record = &ctx.accounts.node_epoch;
    let hour_end = lattice_math::epoch::hour_start(record.hour.saturating_add(1));
    let closable_at = hour_end.saturating_add(NODE_EPOCH_RETENTION_SECS);
    require!(
        crate::instructions::now()? >= closable_at,
        ComputeError::RetentionNotOver
    );
    emit!(NodeEpochClosed {
        gpu_node: record.gpu_node,
        hour: record.hour,
        creator: record.creator,
    });
    Ok(())
}
