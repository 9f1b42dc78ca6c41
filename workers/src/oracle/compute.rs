//! The compute oracle: hourly capacity challenges, heartbeats (uptime), and the compute
//! sub-DAO's hourly shares (capacity × class weight × uptime, and work = DC burned by the
//! node's finalized jobs, read from its on-chain `NodeEpoch`).
//!
//! See [`crate::compute::capacity`] for the message flow. The oracle measures a challenge's
//! time on its own clock from issue to commit, and reveals the verifier seed only after the
//! commit. Nodes are paid only if they talk to an oracle (challenges or heartbeats): that is how
//! the oracle learns which `NodeEpoch` accounts to read, without getProgramAccounts.

use super::{store::ChallengeRow, store::ComputeShareRow, Oracle};
use crate::compute::capacity::{check_response, CapacityMsg, Issued};
use anyhow::{Context as _, Result};
use lattice_compute_core::{
    capacity_score,
    params::VerifyParams,
    shares::{hour_shares, NodeHour},
    Challenge,
};
use lattice_sdk::{solana::Pubkey, Chain};
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Capacity-challenge and share parameters.
#[derive(Debug, Clone, Copy)]
pub struct ComputeParams {
    /// Matrix size of the hourly challenge.
    pub n: usize,
    /// Products summed.
    pub chain: u32,
    /// Time allowed from issue to commit.
    pub deadline: Duration,
    /// Verifier parameters.
    pub verify: VerifyParams,
    /// Capacity pool, bps of the hour (the rest is the work pool).
    pub capacity_bps: u16,
    /// Heartbeat slot length (12 slots make an hour at 300 s).
    pub heartbeat_slot_secs: u64,
    /// Largest heartbeat clock skew.
    pub max_skew: Duration,
}

impl Default for ComputeParams {
    fn default() -> Self {
        Self {
            n: 1024,
            chain: 1,
            deadline: Duration::from_secs(60),
            verify: VerifyParams::DEFAULT,
            capacity_bps: 4_000,
            heartbeat_slot_secs: 300,
            max_skew: Duration::from_secs(120),
        }
    }
}

/// A refused compute message: HTTP status and reason.
#[derive(Debug)]
pub struct Refusal(pub u16, pub String);

impl<E: std::fmt::Display> From<E> for Refusal {
    fn from(e: E) -> Self {
        Refusal(500, e.to_string())
    }
}

fn refuse(status: u16, msg: impl Into<String>) -> Refusal {
    Refusal(status, msg.into())
}

/// The verdict on a response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scored {
    /// `verified` or `failed: …`.
    pub outcome: String,
    /// Capacity score (MMAC/s; 0 unless verified within the deadline).
    pub score: u64,
    /// Oracle-measured time from issue to commit.
    pub elapsed_ms: u64,
}

impl<C: Chain + Clone + 'static> Oracle<C> {
    fn open(&self, wire: &[u8]) -> Result<CapacityMsg, Refusal> {
        CapacityMsg::open(wire).map_err(|e| refuse(400, format!("{e:#}")))
    }

    fn current_hour(&self) -> u64 {
        lattice_math::epoch::hour_of(self.clock.now_ms().div_euclid(1_000))
    }

    async fn require_gpu_node(
        &self,
        node: &[u8; 32],
    ) -> Result<lattice_registry::GpuNode, Refusal> {
        let key = lattice_sdk::registry::gpu_node(&Pubkey::new_from_array(*node));
        let gpu: Option<lattice_registry::GpuNode> =
            lattice_sdk::accounts::fetch(&self.chain, &key).await?;
        let gpu = gpu.ok_or_else(|| refuse(403, "not a registered GPU node"))?;
        if gpu.unstake_requested_at != 0 {
            return Err(refuse(403, "the node is unstaking"));
        }
        Ok(gpu)
    }

    /// `Start`: issue (or return the already issued) challenge of the current hour.
    pub async fn capacity_start(&self, wire: &[u8]) -> Result<Issued, Refusal> {
        let CapacityMsg::Start { node, hour } = self.open(wire)? else {
            return Err(refuse(400, "expected Start"));
        };
        if hour != self.current_hour() {
            return Err(refuse(409, format!("hour {hour} is not the current hour")));
        }
        self.require_gpu_node(&node).await?;
        let entropy = match self.store.latest_entropy().await? {
            Some((e, _)) => e,
            None => self.record_entropy().await?,
        };
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        let p = self.compute;
        let row = self
            .store
            .issue_challenge(&ChallengeRow {
                node,
                hour,
                n: p.n as u64,
                chain: p.chain,
                deadline_ms: u64::try_from(p.deadline.as_millis()).unwrap_or(u64::MAX),
                entropy,
                seed,
                issued_ms: self.clock.now_ms(),
                root: None,
                committed_ms: None,
                outcome: "issued".into(),
                score: 0,
            })
            .await?;
        Ok(Issued {
            hour,
            entropy: hex::encode(row.entropy),
            n: usize::try_from(row.n)?,
            chain: row.chain,
            deadline_ms: row.deadline_ms,
            seed_commitment: hex::encode(Sha256::digest(row.seed)),
            rounds: p.verify.rounds,
            r_bits: p.verify.r_bits,
            opened_rows: p.verify.opened_rows,
        })
    }

    /// `Commit`: record the root (first one wins) and reveal the verifier seed.
    pub async fn capacity_commit(&self, wire: &[u8]) -> Result<[u8; 32], Refusal> {
        let CapacityMsg::Commit { node, hour, root } = self.open(wire)? else {
            return Err(refuse(400, "expected Commit"));
        };
        let row = self
            .store
            .challenge(&node, hour)
            .await?
            .ok_or_else(|| refuse(404, "no challenge issued for this node and hour"))?;
        if row.root.is_none() {
            self.store
                .commit_challenge(&node, hour, &root, self.clock.now_ms())
                .await?;
        }
        let row = self
            .store
            .challenge(&node, hour)
            .await?
            .context("challenge")?;
        if row.root != Some(root) {
            return Err(refuse(409, "a different root was committed first"));
        }
        Ok(row.seed)
    }

    /// `Respond`: verify and score the committed challenge (once).
    pub async fn capacity_respond(&self, wire: &[u8]) -> Result<Scored, Refusal> {
        let CapacityMsg::Respond {
            node,
            hour,
            c_times_r,
            rows,
        } = self.open(wire)?
        else {
            return Err(refuse(400, "expected Respond"));
        };
        let row = self
            .store
            .challenge(&node, hour)
            .await?
            .ok_or_else(|| refuse(404, "no challenge issued for this node and hour"))?;
        let (Some(root), Some(committed_ms)) = (row.root, row.committed_ms) else {
            return Err(refuse(409, "nothing committed yet"));
        };
        let elapsed_ms = u64::try_from(committed_ms.saturating_sub(row.issued_ms)).unwrap_or(0);
        if row.outcome != "committed" {
            return Ok(Scored {
                outcome: row.outcome,
                score: row.score,
                elapsed_ms,
            });
        }
        let challenge = Challenge::new(node, row.entropy, usize::try_from(row.n)?, row.chain)
            .map_err(|e| refuse(500, e.to_string()))?;
        let params = self.compute.verify;
        let seed = row.seed;
        let verdict = tokio::task::spawn_blocking(move || {
            check_response(&challenge, &root, seed, &params, c_times_r, rows)
        })
        .await?;
        let (outcome, score) = match verdict {
            Ok(()) => (
                "verified".to_string(),
                u64::from(capacity_score(
                    usize::try_from(row.n)?,
                    row.chain,
                    elapsed_ms,
                    row.deadline_ms,
                )),
            ),
            Err(e) => (format!("failed: {e:#}"), 0),
        };
        self.store
            .score_challenge(&node, hour, &outcome, score)
            .await?;
        metrics::counter!("lattice_oracle_capacity_total", "outcome" => if score > 0 { "verified" } else { "failed" })
            .increment(1);
        Ok(Scored {
            outcome,
            score,
            elapsed_ms,
        })
    }

    /// `Heartbeat`: count the node in the current five-minute slot.
    pub async fn capacity_heartbeat(&self, wire: &[u8]) -> Result<(), Refusal> {
        let CapacityMsg::Heartbeat { node, unix_secs } = self.open(wire)? else {
            return Err(refuse(400, "expected Heartbeat"));
        };
        let now = self.clock.now_ms().div_euclid(1_000);
        let skew = i64::try_from(self.compute.max_skew.as_secs()).unwrap_or(i64::MAX);
        if (unix_secs - now).abs() > skew {
            return Err(refuse(409, "heartbeat clock too far from the oracle's"));
        }
        self.require_gpu_node(&node).await?;
        let hour = lattice_math::epoch::hour_of(now);
        let slot = u64::try_from(now.rem_euclid(3_600)).unwrap_or(0)
            / self.compute.heartbeat_slot_secs.max(1);
        self.store.heartbeat(&node, hour, slot).await?;
        Ok(())
    }

    /// Settle every closed compute hour (after the grace period) not yet settled, from
    /// `first_hour` on a fresh database. Returns the hours settled.
    pub async fn settle_compute_due(&self, first_hour: u64) -> Result<Vec<u64>> {
        let grace_ms = i64::try_from(self.settle_grace.as_millis()).unwrap_or(i64::MAX);
        let mut hour = match self.store.last_compute_hour().await? {
            Some(h) => h.saturating_add(1).max(first_hour),
            None => first_hour,
        };
        let mut done = Vec::new();
        loop {
            let end_ms = lattice_math::epoch::hour_start(hour.saturating_add(1))
                .saturating_mul(1_000)
                .saturating_add(grace_ms);
            if end_ms > self.clock.now_ms() {
                return Ok(done);
            }
            self.settle_compute_hour(hour).await?;
            done.push(hour);
            hour = hour.saturating_add(1);
        }
    }

    /// Compute and store the shares of `hour`.
    pub async fn settle_compute_hour(&self, hour: u64) -> Result<Vec<ComputeShareRow>> {
        use lattice_sdk::compute as sdkc;
        let inputs = self.store.compute_inputs(hour).await?;
        let mut nodes: std::collections::BTreeMap<[u8; 32], (u64, u64)> =
            inputs.into_iter().map(|(k, s, h)| (k, (s, h))).collect();
        for k in self.store.compute_nodes().await? {
            nodes.entry(k).or_default();
        }
        let keys: Vec<[u8; 32]> = nodes.keys().copied().collect();
        let gpu_keys: Vec<Pubkey> = keys
            .iter()
            .map(|k| lattice_sdk::registry::gpu_node(&Pubkey::new_from_array(*k)))
            .collect();
        let epochs: Vec<Pubkey> = gpu_keys.iter().map(|g| sdkc::node_epoch(g, hour)).collect();
        let mut gpus = Vec::with_capacity(keys.len());
        let mut works = Vec::with_capacity(keys.len());
        for chunk in gpu_keys.chunks(100) {
            gpus.extend(self.chain.get_multiple_accounts(chunk).await?);
        }
        for chunk in epochs.chunks(100) {
            works.extend(self.chain.get_multiple_accounts(chunk).await?);
        }
        let markets = self.compute_markets().await?;
        let mut inputs = Vec::with_capacity(keys.len());
        let mut rows = Vec::with_capacity(keys.len());
        let mut jobs = 0u64;
        for (i, key) in keys.iter().enumerate() {
            let (score, slots) = nodes[key];
            let gpu: Option<lattice_registry::GpuNode> = gpus[i]
                .as_ref()
                .and_then(|a| lattice_sdk::accounts::decode(&a.data).ok());
            let epoch: Option<lattice_sdk::lattice_compute::state::NodeEpoch> = works[i]
                .as_ref()
                .and_then(|a| lattice_sdk::accounts::decode(&a.data).ok());
            // The best class the node qualifies for (0 if none, or no longer registered).
            let weight = gpu.as_ref().map_or(0, |g| {
                markets
                    .iter()
                    .filter(|m| g.vram_gb >= m.params.min_vram_gb && g.stake >= m.params.min_stake)
                    .map(|m| m.params.capacity_weight_bps)
                    .max()
                    .unwrap_or(0)
            });
            let (dc, busy, n_jobs) =
                epoch.map_or((0, 0, 0), |e| (e.dc_burned, e.busy_secs, e.jobs_finalized));
            jobs = jobs.saturating_add(n_jobs);
            inputs.push(NodeHour {
                score: u32::try_from(score).unwrap_or(u32::MAX),
                weight_bps: weight,
                uptime_slots: u8::try_from(slots.min(12)).unwrap_or(12),
                dc_burned: dc,
            });
            rows.push(ComputeShareRow {
                hour,
                node: *key,
                score,
                weight_bps: u64::from(weight),
                uptime_slots: slots,
                dc_burned: dc,
                busy_secs: busy,
                share: 0,
            });
        }
        for (row, share) in rows
            .iter_mut()
            .zip(hour_shares(&inputs, self.compute.capacity_bps))
        {
            row.share = u64::try_from(share).unwrap_or(u64::MAX);
        }
        rows.retain(|r| r.share > 0 || r.dc_burned > 0 || r.uptime_slots > 0 || r.score > 0);
        self.store
            .settle_compute_hour(hour, self.clock.now_ms(), &rows, jobs)
            .await?;
        Ok(rows)
    }

    /// The compute markets on chain (classes 0..16).
    async fn compute_markets(&self) -> Result<Vec<lattice_sdk::lattice_compute::state::Market>> {
        let keys = lattice_sdk::compute::ComputeKeys::load(&self.chain, &self.keys.dao).await?;
        let addrs: Vec<Pubkey> = (0u8..16).map(|c| keys.market(c)).collect();
        Ok(self
            .chain
            .get_multiple_accounts(&addrs)
            .await?
            .into_iter()
            .flatten()
            .filter_map(|a| lattice_sdk::accounts::decode(&a.data).ok())
            .collect())
    }
}
