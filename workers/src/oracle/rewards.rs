//! The oracle's reward settlement: after an hour is settled (its shares stored) and issued on
//! chain (its escrowed emission known), add it to the cumulative index, build the Merkle tree,
//! archive it, and hand the root to the poster.

use super::Oracle;
use crate::rewards::{RewardIndex, RewardTree};
use anyhow::{Context as _, Result};
use lattice_sdk::{solana::Pubkey, Chain};
use std::{str::FromStr as _, sync::Arc};

/// The reward state kept in memory (rebuilt from the archive on start).
#[derive(Debug, Default)]
pub struct RewardState {
    /// Cumulative rewards up to the latest applied hour.
    pub index: RewardIndex,
    /// The tree of the latest applied hour.
    pub tree: Option<Arc<RewardTree>>,
    /// Loaded from the archive already.
    pub loaded: bool,
}

impl<C: Chain + Clone + 'static> Oracle<C> {
    /// Sub-DAO tokens the rewards escrow received for `hour`, from the issued `DaoEpoch`
    /// (`None` while the hour is not issued).
    pub async fn hour_tokens(&self, hour: u64) -> Result<Option<u64>> {
        let epoch: Option<lattice_dao::DaoEpoch> = lattice_sdk::accounts::fetch(
            &self.chain,
            &lattice_sdk::pda::dao_epoch(&self.keys.dao, hour),
        )
        .await?;
        Ok(epoch.map(|e| {
            e.parts
                .iter()
                .find(|p| p.sub_dao == self.keys.coverage_sub_dao)
                .map_or(0, |p| p.tokens_emitted)
        }))
    }

    /// Apply every hour that is settled here and issued on chain, in order, starting after the
    /// index's epoch (or at `first_hour`). Each new tree is archived before it is returned, so a
    /// restart resumes from the archive. Returns the latest tree, if any hour was applied.
    pub async fn advance_rewards(&self, first_hour: u64) -> Result<Option<Arc<RewardTree>>> {
        let mut state = self.rewards.lock().await;
        if !state.loaded {
            if let Some(bytes) = self.archive.latest_tree().await? {
                let tree = RewardTree::decode(&bytes).context("decoding archived reward tree")?;
                state.index = RewardIndex::from_leaves(tree.epoch, &tree.leaves);
                state.tree = Some(Arc::new(tree));
            }
            state.loaded = true;
        }
        let mut advanced = None;
        loop {
            let hour = state
                .index
                .epoch
                .map_or(first_hour, |e| e.saturating_add(1));
            if !self.store.is_settled(hour).await? {
                break;
            }
            let Some(tokens) = self.hour_tokens(hour).await? else {
                break;
            };
            let shares: Vec<([u8; 32], u64)> = self
                .store
                .shares_of_hour(hour)
                .await?
                .into_iter()
                .filter_map(|r| Some((Pubkey::from_str(&r.hotspot).ok()?.to_bytes(), r.share)))
                .collect();
            let mut index = state.index.clone();
            index.apply_hour(hour, &shares, tokens)?;
            if self.faulty.load(std::sync::atomic::Ordering::Relaxed) {
                // A lying oracle: credits the first device with everything left in the escrow.
                index.inflate_first(tokens);
            }
            let tree = Arc::new(RewardTree::build(&index));
            self.archive.put_tree(hour, tree.encode()).await?;
            state.index = index;
            state.tree = Some(tree.clone());
            advanced = Some(tree);
        }
        Ok(advanced)
    }

    /// The latest tree (for the proof API).
    pub async fn latest_tree(&self) -> Option<Arc<RewardTree>> {
        self.rewards.lock().await.tree.clone()
    }
}
