//! The compute oracle: hourly capacity challenges, heartbeats (uptime), and the compute
//! sub-DAO's hourly shares (capacity × class weight × uptime, and work = DC burned by the
//! node's finalized jobs, read from its on-chain `NodeEpoch`).
//!
//! See [`crate::compute::capacity`] for the message flow. The oracle measures a challenge's
//! time on its own clock from issue to commit, and reveals the verifier seed only after the
//! commit. Nodes are paid only if they talk to an oracle (challenges or heartbeats): that is how
//! the oracle learns which `NodeEpoch` accounts to read, without getProgramAccounts.

use super::{store::ChallengeRow, store::ComputeShareRow, Oracle};
use crate::compute::capacity::{verify_respond, CapacityMsg, Issued};
use anyhow::{Context as _, Result};
use lattice_compute_core::{
    capacity_score,
    params::{Query, VerifyParams},
    shares::{hour_shares, NodeHour},
};
use lattice_sdk::lattice_compute::state::{FaultSubject, Job, JobKind, JobState};
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

    /// `Respond`: verify and score the committed challenge (once). A wrong answer is kept as
    /// evidence (`GET …/faults/{hour}`) and attested on chain when this oracle is in the
    /// compute oracle set.
    pub async fn capacity_respond(&self, wire: &[u8]) -> Result<Scored, Refusal> {
        let msg = self.open(wire)?;
        let CapacityMsg::Respond {
            node,
            hour,
            context,
            ..
        } = &msg
        else {
            return Err(refuse(400, "expected Respond"));
        };
        let (node, hour) = (*node, *hour);
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
        let p = self.compute.verify;
        let expected = (
            row.entropy,
            row.n,
            row.chain,
            root,
            row.seed,
            p.rounds,
            p.r_bits,
            p.opened_rows,
        );
        let got = (
            context.entropy,
            context.n,
            context.chain,
            context.root,
            context.seed,
            context.rounds,
            context.r_bits,
            context.opened_rows,
        );
        if expected != got {
            return Err(refuse(
                409,
                "the response names another challenge, root or seed",
            ));
        }
        let checked = msg.clone();
        let verdict = tokio::task::spawn_blocking(move || verify_respond(&checked)).await?;
        let (outcome, score, evidence) = match verdict {
            Ok(()) => (
                "verified".to_string(),
                u64::from(capacity_score(
                    usize::try_from(row.n)?,
                    row.chain,
                    elapsed_ms,
                    row.deadline_ms,
                )),
                None,
            ),
            Err(e) => (format!("failed: {e:#}"), 0, Some(wire)),
        };
        self.store
            .score_challenge(&node, hour, &outcome, score, evidence)
            .await?;
        metrics::counter!("lattice_oracle_capacity_total", "outcome" => if score > 0 { "verified" } else { "failed" })
            .increment(1);
        if evidence.is_some() {
            let device = Pubkey::new_from_array(node);
            if let Err(e) = self
                .attest(&device, FaultSubject::Capacity { hour }, None)
                .await
            {
                tracing::warn!(%device, hour, error = %e, "could not attest a capacity fault");
            }
        }
        Ok(Scored {
            outcome,
            score,
            elapsed_ms,
        })
    }

    /// Votes on chain that `device` is at fault about `subject`, if this oracle is in the
    /// compute oracle set (returns whether a vote was sent). Attestations need k of n oracles:
    /// one vote never slashes.
    ///
    /// # Errors
    /// Chain failures other than "already voted".
    pub async fn attest(
        &self,
        device: &Pubkey,
        subject: FaultSubject,
        poster_dc: Option<&Pubkey>,
    ) -> Result<bool> {
        use lattice_sdk::solana::Signer as _;
        let keys = lattice_sdk::compute::ComputeKeys::load(&self.chain, &self.keys.dao).await?;
        let config = lattice_sdk::compute::fetch_config(&self.chain, &self.keys.dao)
            .await?
            .context("compute is not initialized")?;
        if !config.oracles.contains(&self.keypair.pubkey()) {
            tracing::info!(%device, ?subject, "fault found; this oracle is not in the compute oracle set");
            return Ok(false);
        }
        let ix = lattice_sdk::compute::attest_fault(
            &self.keypair.pubkey(),
            &keys,
            device,
            subject,
            poster_dc,
        );
        match lattice_sdk::send::send(&self.chain, &self.send, &[ix], &self.keypair, &[]).await {
            Ok(_) => {
                metrics::counter!("lattice_oracle_fault_votes_total").increment(1);
                Ok(true)
            }
            Err(e) if !e.is_transient() => {
                tracing::info!(%device, error = %e, "fault vote refused (already voted, executed, or not slashable)");
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A peer oracle's evidence of a capacity fault (a node-signed response): re-verify it and,
    /// if it is wrong, vote. Returns whether the fault is confirmed.
    ///
    /// # Errors
    /// Malformed evidence (bad signature, not a response), or chain failures.
    pub async fn confirm_capacity_fault(&self, evidence: &[u8]) -> Result<bool> {
        let msg = CapacityMsg::open(evidence)?;
        let CapacityMsg::Respond { node, hour, .. } = &msg else {
            anyhow::bail!("evidence is not a capacity response");
        };
        let (device, hour) = (Pubkey::new_from_array(*node), *hour);
        let checked = msg.clone();
        if tokio::task::spawn_blocking(move || verify_respond(&checked))
            .await?
            .is_ok()
        {
            return Ok(false);
        }
        self.attest(&device, FaultSubject::Capacity { hour }, None)
            .await?;
        Ok(true)
    }

    /// Audits every submitted, not yet audited matmul job of every market: the stored result
    /// must hash to the job's `result_hash`, be `n×n`, have the job's Merkle root and pass
    /// Freivalds against the spec's matrices. A wrong result is voted on (k votes fault the job:
    /// the poster is refunded and the node slashed). Returns `(audited, faulty)`.
    ///
    /// # Errors
    /// Chain or store failures (unreachable results are retried on the next call).
    pub async fn audit_jobs(&self) -> Result<(u64, u64)> {
        let keys = lattice_sdk::compute::ComputeKeys::load(&self.chain, &self.keys.dao).await?;
        let (mut audited, mut faulty) = (0, 0);
        for class in 0u8..16 {
            let market_key = keys.market(class);
            let Some(market) = lattice_sdk::compute::fetch_market(&self.chain, &market_key).await?
            else {
                continue;
            };
            let mut from = self.audit_watermark(&market_key);
            let ids: Vec<u64> = (from..market.next_job_id).collect();
            let mut all_done = true;
            for chunk in ids.chunks(100) {
                let addrs: Vec<Pubkey> = chunk
                    .iter()
                    .map(|id| lattice_sdk::compute::job(&market_key, *id))
                    .collect();
                let accounts = self.chain.get_multiple_accounts(&addrs).await?;
                for (id, acct) in chunk.iter().zip(accounts) {
                    let job: Option<Job> =
                        acct.and_then(|a| lattice_sdk::accounts::decode(&a.data).ok());
                    let Some(job) = job else {
                        if all_done {
                            from = id + 1;
                        }
                        continue;
                    };
                    let settled = matches!(
                        job.state,
                        JobState::Finalized
                            | JobState::TimedOut
                            | JobState::Cancelled
                            | JobState::Faulted
                    );
                    if job.state == JobState::Submitted
                        && job.kind == JobKind::Matmul
                        && self
                            .store
                            .job_audit(&market_key.to_bytes(), *id)
                            .await?
                            .is_none()
                    {
                        match self.audit_job(&job).await {
                            Ok(None) => {
                                self.store
                                    .record_job_audit(
                                        &market_key.to_bytes(),
                                        *id,
                                        "ok",
                                        self.clock.now_ms(),
                                    )
                                    .await?;
                                audited += 1;
                            }
                            Ok(Some(why)) => {
                                self.store
                                    .record_job_audit(
                                        &market_key.to_bytes(),
                                        *id,
                                        &format!("fault: {why}"),
                                        self.clock.now_ms(),
                                    )
                                    .await?;
                                audited += 1;
                                faulty += 1;
                                let subject = FaultSubject::Job {
                                    market: market_key,
                                    job_id: *id,
                                };
                                if let Err(e) = self
                                    .attest(&job.node_device, subject, Some(&job.poster_dc))
                                    .await
                                {
                                    tracing::warn!(job = id, error = %e, "could not attest a job fault");
                                }
                            }
                            Err(e) => {
                                tracing::warn!(job = id, error = %e, "job result unreachable; retrying later")
                            }
                        }
                    }
                    let audited_now = self
                        .store
                        .job_audit(&market_key.to_bytes(), *id)
                        .await?
                        .is_some();
                    if all_done && (settled || audited_now) {
                        from = id + 1;
                    } else {
                        all_done = false;
                    }
                }
            }
            self.set_audit_watermark(&market_key, from);
        }
        Ok((audited, faulty))
    }

    /// `Ok(None)` when the result is right, `Ok(Some(reason))` when it is provably wrong, `Err`
    /// when it cannot be fetched.
    async fn audit_job(&self, job: &Job) -> Result<Option<String>> {
        use crate::compute::spec::{fetch_spec, fetch_uri, parse_spec};
        let spec = match fetch_spec(&job.spec_uri)
            .await
            .and_then(|b| parse_spec(&b, &job.spec_hash))
        {
            Ok(s) => s,
            // The poster's spec is unusable: not the node's fault.
            Err(_) => return Ok(None),
        };
        let Ok(challenge) = spec.matmul_challenge() else {
            return Ok(None);
        };
        let n = challenge.n();
        let bytes = fetch_uri(
            &job.result_uri,
            n.saturating_mul(n).saturating_mul(4).saturating_add(1),
        )
        .await?;
        if <[u8; 32]>::from(Sha256::digest(&bytes)) != job.result_hash {
            return Ok(Some(
                "the stored result does not hash to result_hash".into(),
            ));
        }
        if bytes.len() != n * n * 4 {
            return Ok(Some(format!(
                "the result has {} bytes, not 4·n² = {}",
                bytes.len(),
                n * n * 4
            )));
        }
        let c: Vec<i32> = bytes
            .chunks_exact(4)
            .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        let params = self.compute.verify;
        let root = job.merkle_root;
        let verdict = tokio::task::spawn_blocking(move || {
            let query = Query::derive(seed, n, &params)?;
            anyhow::Ok(lattice_compute_core::verify::verify_matrix(
                &challenge, &root, &query, &c,
            ))
        })
        .await??;
        Ok(verdict.err().map(|e| e.to_string()))
    }

    /// Re-verifies the capacity-fault evidence each peer oracle lists from `since_hour` on and
    /// votes on the confirmed ones (each piece once). Returns how many were confirmed.
    ///
    /// # Errors
    /// Store or chain failures (an unreachable peer is skipped).
    pub async fn confirm_peer_faults(&self, peers: &[String], since_hour: u64) -> Result<u64> {
        #[derive(serde::Deserialize)]
        struct Listed {
            node: String,
            hour: u64,
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        let mut confirmed = 0;
        for peer in peers {
            let base = peer.trim_end_matches('/');
            let listed: Vec<Listed> = match http
                .get(format!("{base}/v1/compute/faults?since={since_hour}"))
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => r.json().await.unwrap_or_default(),
                _ => continue,
            };
            for l in listed {
                let key = (l.node.clone(), l.hour);
                if self.peer_checked.lock().map_or(true, |s| s.contains(&key)) {
                    continue;
                }
                let Ok(r) = http
                    .get(format!(
                        "{base}/v1/compute/nodes/{}/faults/{}",
                        l.node, l.hour
                    ))
                    .send()
                    .await
                else {
                    continue;
                };
                let Ok(evidence) = r.bytes().await else {
                    continue;
                };
                match self.confirm_capacity_fault(&evidence).await {
                    Ok(true) => confirmed += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(peer = base, node = %l.node, error = %e, "bad fault evidence from a peer")
                    }
                }
                if let Ok(mut s) = self.peer_checked.lock() {
                    s.insert(key);
                }
            }
        }
        Ok(confirmed)
    }

    /// Settles due compute hours, audits submitted jobs and confirms peers' capacity faults
    /// every ten seconds until `stop`.
    pub async fn compute_loop(
        self: std::sync::Arc<Self>,
        first_hour: u64,
        peers: Vec<String>,
        stop: tokio_util::sync::CancellationToken,
    ) {
        loop {
            match self.settle_compute_due(first_hour).await {
                Ok(hours) => {
                    for h in hours {
                        tracing::info!(hour = h, "compute hour settled");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "settling compute hours failed; retrying"),
            }
            match self.audit_jobs().await {
                Ok((audited, faulty)) if audited > 0 => {
                    tracing::info!(audited, faulty, "job results audited")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "auditing jobs failed; retrying"),
            }
            if !peers.is_empty() {
                let since = self.current_hour().saturating_sub(24);
                if let Err(e) = self.confirm_peer_faults(&peers, since).await {
                    tracing::warn!(error = %e, "confirming peer faults failed; retrying");
                }
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(10)) => {}
            }
        }
    }

    fn audit_watermark(&self, market: &Pubkey) -> u64 {
        self.audit_from
            .lock()
            .map_or(0, |m| m.get(market).copied().unwrap_or(0))
    }

    fn set_audit_watermark(&self, market: &Pubkey, from: u64) {
        if let Ok(mut m) = self.audit_from.lock() {
            m.insert(*market, from);
        }
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
        let due = self.due_hours(self.store.last_compute_hour().await?, first_hour);
        for hour in due.clone() {
            self.settle_compute_hour(hour).await?;
        }
        Ok(due.collect())
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
