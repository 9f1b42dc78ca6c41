//! The GPU node's job loop: watch the markets' on-chain queues, claim a job this node can run,
//! run it, store the result through `object_store`, and submit its hash, URI and (for matmul)
//! Merkle root on chain before the deadline.
//!
//! Crash safety: the job a node holds is written to a SQLite journal (synchronous = FULL) right
//! after the claim lands, and the stored result's hash/URI/root right after it is stored. On
//! start the node reads the journal: a stored-but-unsubmitted result is submitted, a claimed job
//! whose result is missing is run again if the deadline allows, and anything the chain says is
//! no longer ours is dropped. A job is only claimed once its spec has been fetched, its hash
//! checked, and its kind found runnable here, so the node never claims work it would time out.

use super::runner::{JobOutput, RunError, Runners};
use super::spec::{fetch_spec, parse_spec, JobSpec};
use anyhow::{Context as _, Result};
use lattice_sdk::lattice_compute::state::{Job, JobState};
use lattice_sdk::{
    compute::{self as sdkc, ComputeKeys},
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer as _},
    Chain,
};
use object_store::{path::Path as StorePath, ObjectStore, PutPayload};
use sha2::{Digest, Sha256};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Row as _, SqlitePool,
};
use std::{path::Path, str::FromStr as _, sync::Arc, time::Duration};

/// Seconds kept free before a deadline for storing and submitting the result.
pub const SUBMIT_MARGIN_SECS: u64 = 5;

/// The journal of the job a node holds.
#[derive(Debug, Clone)]
pub struct JobJournal {
    pool: SqlitePool,
}

/// One journal row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// Market class.
    pub class_id: u8,
    /// Job id.
    pub job_id: u64,
    /// Stored result: (hash, URI, Merkle root), once stored.
    pub result: Option<([u8; 32], String, [u8; 32])>,
}

impl JobJournal {
    /// Opens (creating) the journal at `path`.
    ///
    /// # Errors
    /// SQLite failures.
    pub async fn open(path: &Path) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .with_context(|| format!("opening job journal {}", path.display()))?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS held (class_id INTEGER NOT NULL, job_id INTEGER NOT NULL, \
             result_hash BLOB, result_uri TEXT, merkle_root BLOB, PRIMARY KEY (class_id, job_id))",
        )
        .execute(&pool)
        .await?;
        Ok(Self { pool })
    }

    /// Records a claimed job.
    pub async fn claimed(&self, class_id: u8, job_id: u64) -> Result<()> {
        sqlx::query("INSERT OR IGNORE INTO held (class_id, job_id) VALUES (?1, ?2)")
            .bind(i64::from(class_id))
            .bind(job_id as i64)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a job's stored result.
    pub async fn stored(
        &self,
        class_id: u8,
        job_id: u64,
        hash: [u8; 32],
        uri: &str,
        root: [u8; 32],
    ) -> Result<()> {
        sqlx::query("UPDATE held SET result_hash = ?3, result_uri = ?4, merkle_root = ?5 WHERE class_id = ?1 AND job_id = ?2")
            .bind(i64::from(class_id))
            .bind(job_id as i64)
            .bind(hash.as_slice())
            .bind(uri)
            .bind(root.as_slice())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets a job (submitted, or no longer ours).
    pub async fn done(&self, class_id: u8, job_id: u64) -> Result<()> {
        sqlx::query("DELETE FROM held WHERE class_id = ?1 AND job_id = ?2")
            .bind(i64::from(class_id))
            .bind(job_id as i64)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every job held.
    pub async fn held(&self) -> Result<Vec<Held>> {
        let rows = sqlx::query("SELECT class_id, job_id, result_hash, result_uri, merkle_root FROM held ORDER BY job_id")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let hash: Option<Vec<u8>> = r.try_get(2)?;
                let uri: Option<String> = r.try_get(3)?;
                let root: Option<Vec<u8>> = r.try_get(4)?;
                let result = match (hash, uri, root) {
                    (Some(h), Some(u), Some(m)) => Some((
                        h.try_into().map_err(|_| anyhow::anyhow!("journal hash"))?,
                        u,
                        m.try_into().map_err(|_| anyhow::anyhow!("journal root"))?,
                    )),
                    _ => None,
                };
                Ok(Held {
                    class_id: u8::try_from(r.try_get::<i64, _>(0)?)?,
                    job_id: r.try_get::<i64, _>(1)? as u64,
                    result,
                })
            })
            .collect()
    }
}

/// What one pass of the loop did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// Jobs claimed.
    pub claimed: u32,
    /// Results submitted.
    pub submitted: u32,
    /// Queued jobs skipped (spec unreachable or not runnable here).
    pub skipped: u32,
    /// Runs that failed or timed out (the job will time out on chain).
    pub failed: u32,
}

/// A GPU node working the job markets.
pub struct GpuWorker<C> {
    chain: C,
    keys: ComputeKeys,
    device: Arc<Keypair>,
    runners: Runners,
    results: Arc<dyn ObjectStore>,
    results_base: String,
    journal: JobJournal,
    classes: Vec<u8>,
    send: SendOptions,
}

impl<C: Chain + Clone + Send + Sync + 'static> GpuWorker<C> {
    /// A worker for the markets `classes`, storing results in `results` (whose public
    /// address prefix is `results_base`, e.g. `file:///var/lattice/results` or an S3 URL).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        chain: C,
        keys: ComputeKeys,
        device: Arc<Keypair>,
        runners: Runners,
        results: Arc<dyn ObjectStore>,
        results_base: String,
        journal: JobJournal,
        classes: Vec<u8>,
    ) -> Self {
        Self {
            chain,
            keys,
            device,
            runners,
            results,
            results_base,
            journal,
            classes,
            send: SendOptions::default(),
        }
    }

    fn gpu_node(&self) -> Pubkey {
        lattice_sdk::registry::gpu_node(&self.device.pubkey())
    }

    /// One pass: finish held jobs, then claim and run at most one new job.
    ///
    /// # Errors
    /// Chain or journal failures (a failed run is counted, not returned).
    pub async fn pass(&self) -> Result<PassReport> {
        let mut report = PassReport::default();
        for held in self.journal.held().await? {
            self.resume(held, &mut report).await?;
        }
        if !self.journal.held().await?.is_empty() {
            return Ok(report);
        }
        if let Some((class_id, job_id, spec)) = self.claim_next(&mut report).await? {
            self.run_and_submit(class_id, job_id, &spec, &mut report)
                .await?;
        }
        Ok(report)
    }

    /// Claims the oldest queued job this node can run (markets in `classes` order), recording
    /// it in the journal. `None` when there is nothing to claim.
    ///
    /// # Errors
    /// Chain or journal failures.
    pub async fn claim_next(&self, report: &mut PassReport) -> Result<Option<(u8, u64, JobSpec)>> {
        // Jobs stay held on chain until finalized (after the verification window): a market
        // whose per-node limit is reached would only refuse the claim.
        let held = lattice_sdk::accounts::fetch::<lattice_registry::GpuNode, _>(
            &self.chain,
            &self.gpu_node(),
        )
        .await?
        .map_or(0, |g| g.jobs_held);
        for &class_id in &self.classes {
            let market = self.keys.market(class_id);
            let Some(m) = sdkc::fetch_market(&self.chain, &market).await? else {
                continue;
            };
            if held >= m.params.max_jobs_per_node {
                continue;
            }
            for job in sdkc::fetch_queued_jobs(&self.chain, &market).await? {
                let spec = match self.runnable_spec(&job).await {
                    Ok(spec) => spec,
                    Err(e) => {
                        tracing::debug!(job = job.id, error = %e, "skipping job");
                        report.skipped += 1;
                        continue;
                    }
                };
                let ix = sdkc::claim_job(&self.device.pubkey(), &self.keys, class_id, job.id);
                if let Err(e) = send(&self.chain, &self.send, &[ix], &self.device, &[]).await {
                    // Another node won the race, or this node cannot claim in this market.
                    tracing::debug!(job = job.id, error = %e, "claim refused");
                    continue;
                }
                self.journal.claimed(class_id, job.id).await?;
                report.claimed += 1;
                return Ok(Some((class_id, job.id, spec)));
            }
        }
        Ok(None)
    }

    /// Runs a claimed job and stores its result (journaled), without submitting it. Returns
    /// whether a result was stored (a failed run is counted in `report`).
    ///
    /// # Errors
    /// Chain, store or journal failures.
    pub async fn execute(
        &self,
        class_id: u8,
        job_id: u64,
        spec: &JobSpec,
        report: &mut PassReport,
    ) -> Result<bool> {
        let market = self.keys.market(class_id);
        let job = sdkc::fetch_job(&self.chain, &market, job_id)
            .await?
            .context("claimed job vanished")?;
        let now = self.chain.unix_timestamp().await?;
        let left = u64::try_from(job.deadline.saturating_sub(now)).unwrap_or(0);
        let limit = Duration::from_secs(left.saturating_sub(SUBMIT_MARGIN_SECS).max(1));
        let job_key = sdkc::job(&market, job_id);
        let out: JobOutput = match self.runners.run(&job_key.to_string(), spec, limit).await {
            Ok(out) => out,
            Err(e) => {
                report.failed += 1;
                tracing::warn!(job = job_id, error = %e, "job run failed; it will time out on chain");
                if matches!(e, RunError::Refused(_)) {
                    self.journal.done(class_id, job_id).await?;
                }
                return Ok(false);
            }
        };
        let hash: [u8; 32] = Sha256::digest(&out.bytes).into();
        let key = StorePath::from(format!("jobs/{job_key}/result"));
        self.results.put(&key, PutPayload::from(out.bytes)).await?;
        let uri = format!(
            "{}/jobs/{job_key}/result",
            self.results_base.trim_end_matches('/')
        );
        let root = out.merkle_root.unwrap_or([0; 32]);
        self.journal
            .stored(class_id, job_id, hash, &uri, root)
            .await?;
        Ok(true)
    }

    /// Submits every stored, unsubmitted result in the journal (and forgets jobs that are no
    /// longer this node's).
    ///
    /// # Errors
    /// Chain or journal failures.
    pub async fn submit_stored(&self, report: &mut PassReport) -> Result<()> {
        for held in self.journal.held().await? {
            let Some((hash, uri, root)) = held.result else {
                continue;
            };
            if self.still_ours(held.class_id, held.job_id).await?.is_some() {
                self.submit(held.class_id, held.job_id, hash, uri, root, report)
                    .await?;
            } else {
                self.journal.done(held.class_id, held.job_id).await?;
            }
        }
        Ok(())
    }

    /// Forgets a held job without submitting (the node gives up on it).
    ///
    /// # Errors
    /// Journal failures.
    pub async fn abandon(&self, class_id: u8, job_id: u64) -> Result<()> {
        self.journal.done(class_id, job_id).await
    }

    async fn runnable_spec(&self, job: &Job) -> Result<JobSpec> {
        let bytes = fetch_spec(&job.spec_uri).await?;
        let spec = parse_spec(&bytes, &job.spec_hash)?;
        let on_chain_matmul = matches!(
            job.kind,
            lattice_sdk::lattice_compute::state::JobKind::Matmul
        );
        anyhow::ensure!(
            spec.is_matmul() == on_chain_matmul,
            "spec kind differs from the job's kind"
        );
        if spec.is_matmul() {
            spec.matmul_challenge()?;
        }
        Ok(spec)
    }

    /// The job if it is still claimed by this node.
    async fn still_ours(&self, class_id: u8, job_id: u64) -> Result<Option<Job>> {
        let market = self.keys.market(class_id);
        let job = sdkc::fetch_job(&self.chain, &market, job_id).await?;
        Ok(job.filter(|j| j.state == JobState::Claimed && j.node == self.gpu_node()))
    }

    async fn resume(&self, held: Held, report: &mut PassReport) -> Result<()> {
        let Some(job) = self.still_ours(held.class_id, held.job_id).await? else {
            return self.journal.done(held.class_id, held.job_id).await;
        };
        match held.result {
            Some((hash, uri, root)) => {
                self.submit(held.class_id, held.job_id, hash, uri, root, report)
                    .await
            }
            None => {
                let spec = self.runnable_spec(&job).await?;
                self.run_and_submit(held.class_id, held.job_id, &spec, report)
                    .await
            }
        }
    }

    async fn run_and_submit(
        &self,
        class_id: u8,
        job_id: u64,
        spec: &JobSpec,
        report: &mut PassReport,
    ) -> Result<()> {
        if self.execute(class_id, job_id, spec, report).await? {
            self.submit_stored(report).await?;
        }
        Ok(())
    }

    async fn submit(
        &self,
        class_id: u8,
        job_id: u64,
        hash: [u8; 32],
        uri: String,
        root: [u8; 32],
        report: &mut PassReport,
    ) -> Result<()> {
        let ix = sdkc::submit_result(
            &self.device.pubkey(),
            &self.keys,
            class_id,
            job_id,
            hash,
            uri,
            root,
        );
        match send(&self.chain, &self.send, &[ix], &self.device, &[]).await {
            Ok(_) => {
                report.submitted += 1;
                self.journal.done(class_id, job_id).await
            }
            Err(e) if e.is_transient() => Err(e.into()),
            Err(e) => {
                // Past the deadline, or the job left our hands: nothing more to do with it.
                tracing::warn!(job = job_id, error = %e, "result submission refused");
                self.journal.done(class_id, job_id).await
            }
        }
    }

    /// Runs passes every `every` until `stop` is cancelled.
    ///
    /// # Errors
    /// Never returns errors of single passes (they are logged and retried).
    pub async fn run(
        self,
        every: Duration,
        stop: tokio_util::sync::CancellationToken,
    ) -> Result<()> {
        loop {
            match self.pass().await {
                Ok(r) if r != PassReport::default() => tracing::info!(?r, "gpu worker pass"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "gpu worker pass failed"),
            }
            tokio::select! {
                () = stop.cancelled() => return Ok(()),
                () = tokio::time::sleep(every) => {}
            }
        }
    }
}
