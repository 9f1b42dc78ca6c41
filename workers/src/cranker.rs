//! The cranker: for every finished, un-issued hour it sends `issue_hour`.
//!
//! Idempotent by construction: the program issues each hour at most once, and the cranker
//! treats "already issued" (a competing cranker or a front-runner got there first) as success.
//! It decides "is this hour issuable?" with the same pure function the program uses
//! ([`lattice_math::epoch::hour_status`]).

use lattice_dao::DaoError;
use lattice_math::epoch::{hour_of, hour_status, HourStatus};
use lattice_sdk::ix::SubDaoKeys;
use lattice_sdk::{
    accounts::DaoView,
    ix,
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer},
    Chain, ChainError,
};
use std::{collections::BTreeSet, time::Duration};

/// Epoch records read per `getMultipleAccounts` round trip.
const SCAN_BATCH: usize = 100;
use tokio_util::sync::CancellationToken;

/// What one pass found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Hours this cranker issued.
    pub issued: Vec<u64>,
    /// Hours found already issued by someone else (including races lost mid-send).
    pub already_issued: Vec<u64>,
    /// Hours that failed and will be retried next pass.
    pub failed: Vec<(u64, String)>,
    /// Hours behind the wall clock after this pass (finished hours not yet issued).
    pub lag_hours: u64,
}

/// The cranker's state for one DAO.
pub struct Cranker<C: Chain> {
    chain: C,
    payer: Keypair,
    main_mint: Pubkey,
    opts: SendOptions,
    max_hours_per_tick: usize,
    /// Every hour below this one is known issued.
    watermark: Option<u64>,
    /// Hours at or above the watermark known issued.
    known: BTreeSet<u64>,
}

impl<C: Chain> Cranker<C> {
    /// A cranker paying fees from `payer`.
    pub fn new(
        chain: C,
        payer: Keypair,
        main_mint: Pubkey,
        opts: SendOptions,
        max_hours_per_tick: usize,
    ) -> Self {
        Self {
            chain,
            payer,
            main_mint,
            opts,
            max_hours_per_tick: max_hours_per_tick.max(1),
            watermark: None,
            known: BTreeSet::new(),
        }
    }

    /// The fee payer.
    pub fn payer(&self) -> Pubkey {
        self.payer.pubkey()
    }

    fn mark_issued(&mut self, hour: u64) {
        self.known.insert(hour);
        while let Some(w) = self.watermark {
            if !self.known.remove(&w) {
                break;
            }
            self.watermark = w.checked_add(1);
        }
    }

    /// One pass: issue every finished, un-issued hour (at most `max_hours_per_tick`), oldest
    /// first.
    pub async fn tick(&mut self) -> Result<TickReport, ChainError> {
        let view = DaoView::load(&self.chain, &self.main_mint).await?;
        let now = self.chain.unix_timestamp().await?;
        let first = view.first_issuable_hour();
        let current = hour_of(now);
        let start = self.watermark.unwrap_or(first).max(first);
        if self.watermark.is_none() {
            self.watermark = Some(start);
        }
        let mut report = TickReport::default();
        if start >= current {
            return Ok(report);
        }

        // Scan finished hours not known issued, a batch of records per round trip; send at most
        // `max_hours_per_tick` issue transactions.
        let sub_keys = view.issue_keys();
        let mut sent = 0usize;
        let mut cursor = start;
        'scan: while cursor < current && sent < self.max_hours_per_tick {
            let batch: Vec<u64> = (cursor..current)
                .filter(|h| !self.known.contains(h))
                .filter(|h| hour_status(*h, view.dao.genesis_hour, now) == HourStatus::Issuable)
                .take(SCAN_BATCH)
                .collect();
            let Some(last) = batch.last() else { break };
            cursor = last.saturating_add(1);
            let keys: Vec<Pubkey> = batch
                .iter()
                .map(|h| lattice_sdk::pda::dao_epoch(&view.address, *h))
                .collect();
            let existing = self.chain.get_multiple_accounts(&keys).await?;
            for (hour, acct) in batch.into_iter().zip(existing) {
                if acct.is_some_and(|a| a.owner == lattice_dao::ID) {
                    report.already_issued.push(hour);
                    self.mark_issued(hour);
                    continue;
                }
                if sent >= self.max_hours_per_tick {
                    break 'scan;
                }
                sent = sent.saturating_add(1);
                if !self.issue(&sub_keys, hour, &mut report).await {
                    // A tripped breaker: later hours would trip too; wait for it to decay.
                    break 'scan;
                }
            }
        }
        let watermark = self.watermark.unwrap_or(start);
        let known_above = u64::try_from(self.known.range(watermark..current).count()).unwrap_or(0);
        report.lag_hours = current
            .saturating_sub(watermark)
            .saturating_sub(known_above);
        #[allow(clippy::cast_precision_loss)]
        metrics::gauge!("lattice_cranker_lag_hours").set(report.lag_hours as f64);
        Ok(report)
    }

    /// Send `issue_hour` for `hour` and record the outcome; `false` when a breaker tripped.
    /// Sub-DAOs whose V input governance provides are checkpointed up to `hour` first.
    async fn issue(&mut self, sub_keys: &[SubDaoKeys], hour: u64, report: &mut TickReport) -> bool {
        if let Err((sub_dao, e)) = self.checkpoint_all(sub_keys, hour).await {
            metrics::counter!("lattice_cranker_failures_total", "reason" => "checkpoint")
                .increment(1);
            tracing::warn!(hour, %sub_dao, error = %e, "checkpoint failed; will retry");
            report.failed.push((hour, format!("checkpoint: {e}")));
            return false;
        }
        let ix = ix::issue_hour(&self.payer.pubkey(), &self.main_mint, sub_keys, hour);
        match send(&self.chain, &self.opts, &[ix], &self.payer, &[]).await {
            Ok(_) => {
                metrics::counter!("lattice_cranker_hours_issued_total").increment(1);
                tracing::info!(hour, "issued");
                report.issued.push(hour);
                self.mark_issued(hour);
                // Fold the issued hour's delegator slices into the reward cursors right away
                // (checkpointing hour + 1, which has started), so stakers can claim it now.
                self.checkpoint_after(sub_keys, hour).await;
                true
            }
            Err(e) if matches!(e.dao_error(), Some(DaoError::HourAlreadyIssued)) => {
                metrics::counter!("lattice_cranker_hours_raced_total").increment(1);
                tracing::debug!(hour, "already issued by someone else");
                report.already_issued.push(hour);
                self.mark_issued(hour);
                true
            }
            Err(e) => {
                let reason = e
                    .dao_error()
                    .map(|d| format!("{d:?}"))
                    .unwrap_or_else(|| "other".to_string());
                metrics::counter!("lattice_cranker_failures_total", "reason" => reason)
                    .increment(1);
                tracing::warn!(hour, error = %e, "issue failed; will retry next pass");
                report.failed.push((hour, e.to_string()));
                !matches!(
                    e.dao_error(),
                    Some(DaoError::CircuitBreakerTripped | DaoError::SubDaoCircuitBreakerTripped)
                )
            }
        }
    }

    /// Checkpoint every sub-DAO's delegated power through `hour` (nothing for a sub-DAO whose V
    /// input governance does not provide); the first failure with its sub-DAO.
    async fn checkpoint_all(
        &self,
        sub_keys: &[SubDaoKeys],
        hour: u64,
    ) -> Result<(), (Pubkey, ChainError)> {
        let dao = lattice_sdk::pda::dao(&self.main_mint);
        for k in sub_keys {
            lattice_sdk::governance::checkpoint_through(
                &self.chain,
                &self.opts,
                &self.payer,
                &dao,
                &k.sub_dao,
                hour,
            )
            .await
            .map_err(|e| (k.sub_dao, e))?;
        }
        Ok(())
    }

    /// Checkpoint every sub-DAO through `hour + 1` after `hour` was issued; a failure is retried
    /// before the next issue.
    async fn checkpoint_after(&self, sub_keys: &[SubDaoKeys], hour: u64) {
        if let Err((sub_dao, e)) = self.checkpoint_all(sub_keys, hour.saturating_add(1)).await {
            tracing::debug!(hour, %sub_dao, error = %e, "checkpoint after issue deferred");
        }
    }

    /// Run until `shutdown`: a pass every `poll`, with capped backoff after failed passes.
    pub async fn run(mut self, poll: Duration, shutdown: CancellationToken) -> anyhow::Result<()> {
        let mut failures: u32 = 0;
        loop {
            let delay = match self.tick().await {
                Ok(r) if r.failed.is_empty() => {
                    failures = 0;
                    poll
                }
                Ok(_) => {
                    failures = failures.saturating_add(1);
                    self.opts.backoff(failures).max(poll)
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    metrics::counter!("lattice_cranker_failures_total", "reason" => "transport")
                        .increment(1);
                    tracing::warn!(error = %e, "cranker pass failed");
                    self.opts.backoff(failures).max(poll)
                }
            };
            tokio::select! {
                _ = shutdown.cancelled() => {
                    tracing::info!("cranker stopping");
                    return Ok(());
                }
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }
}
