//! `close_node_epoch`: anyone closes a node's hour record after its 30-day retention; the rent
//! goes back to whoever paid it.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeError, NODE_EPOCH_RETENTION_SECS};
use lattice_sdk::{compute, Chain};
use solana_sdk::{pubkey::Pubkey, signature::Signer};

#[tokio::test]
async fn closes_after_the_retention_only() {
    let h = Harness::new().await;
    let node = h.consumer_node().await;
    let id = h.submitted(&node, CONSUMER, 1, 60, 10).await;
    h.warp(300).await;
    let hour = h.hour();
    h.finalize(CONSUMER, id).await.unwrap();
    let key = compute::node_epoch(&node.account(), hour);
    let creator = h.payer.pubkey();
    let close = compute::close_node_epoch(&node.account(), hour, &creator);

    let hour_end = lattice_math::epoch::hour_start(hour + 1);
    h.set_time(hour_end + NODE_EPOCH_RETENTION_SECS - 1).await;
    assert_compute_err(
        h.send(std::slice::from_ref(&close), &[]).await,
        ComputeError::RetentionNotOver,
    );
    h.set_time(hour_end + NODE_EPOCH_RETENTION_SECS).await;
    // Only to its creator.
    let wrong = compute::close_node_epoch(&node.account(), hour, &Pubkey::new_unique());
    assert_anchor_err(
        h.send(&[wrong], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintHasOne,
    );
    let rent = h.chain.get_account(&key).await.unwrap().unwrap().lamports;
    assert!(rent > 0);
    h.send(&[close], &[]).await.unwrap();
    assert!(!h.exists(&key).await);
}
