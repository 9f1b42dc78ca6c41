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
                // A lying oracle: moves the hour's tokens from one device to another.
                index.redirect(tokens);
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

/// What posting the latest root did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOutcome {
    /// A `post_root` transaction was sent (`bytes` on the wire).
    Posted {
        /// Serialized transaction size.
        bytes: usize,
    },
    /// This oracle had already posted this epoch.
    AlreadyPosted,
    /// The chain already has a final root at or after this epoch.
    AlreadyFinal,
    /// This oracle's key is not in the sub-DAO's oracle set.
    NotAnOracle,
}

impl<C: Chain + Clone + 'static> Oracle<C> {
    /// Post the latest tree's root to the rewards program, once per epoch (idempotent: a
    /// restart after a post, or a retry after a lost answer, finds its post on chain and stops).
    pub async fn post_rewards_root(&self) -> Result<Option<PostOutcome>> {
        use lattice_sdk::solana::Signer as _;
        let Some(tree) = self.latest_tree().await else {
            return Ok(None);
        };
        let sub_dao = self.keys.coverage_sub_dao;
        let config_key = lattice_sdk::rewards::rewards_config(&sub_dao);
        let config: lattice_rewards::RewardsConfig =
            lattice_sdk::accounts::fetch(&self.chain, &config_key)
                .await?
                .context("the rewards program is not initialized for this sub-DAO")?;
        let me = self.keypair.pubkey();
        if !config.oracles.contains(&me) {
            return Ok(Some(PostOutcome::NotAnOracle));
        }
        if config.final_total > 0 && config.final_epoch >= tree.epoch {
            return Ok(Some(PostOutcome::AlreadyFinal));
        }
        let record: Option<lattice_rewards::EpochRoot> = lattice_sdk::accounts::fetch(
            &self.chain,
            &lattice_sdk::rewards::epoch_root(&config_key, tree.epoch),
        )
        .await?;
        if record.is_some_and(|r| r.posts.iter().any(|p| p.oracle == me)) {
            return Ok(Some(PostOutcome::AlreadyPosted));
        }
        let ix =
            lattice_sdk::rewards::post_root(&me, &sub_dao, tree.epoch, tree.root(), tree.total);
        let mut all = self.send.budget_instructions();
        all.push(ix.clone());
        let bytes = lattice_sdk::rewards::legacy_transaction_size(&me, &all);
        match lattice_sdk::send::send(&self.chain, &self.send, &[ix], &self.keypair, &[]).await {
            Ok(_) => Ok(Some(PostOutcome::Posted { bytes })),
            Err(e) => match e
                .custom_code()
                .and_then(lattice_sdk::rewards::rewards_error)
            {
                Some(lattice_rewards::RewardsError::AlreadyPosted) => {
                    Ok(Some(PostOutcome::AlreadyPosted))
                }
                Some(lattice_rewards::RewardsError::StaleEpoch) => {
                    Ok(Some(PostOutcome::AlreadyFinal))
                }
                _ => Err(e).context("post_root"),
            },
        }
    }
}
