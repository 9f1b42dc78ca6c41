//! The compute oracle's tables: capacity challenges, heartbeats, hourly compute shares.

use super::{i, u, Store};
use anyhow::Result;
use lattice_poc_core::Key;
use sqlx::Row as _;

/// One node's capacity challenge of an hour.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChallengeRow {
    /// Device key.
    #[serde(serialize_with = "ser_key")]
    pub node: Key,
    /// Hour.
    pub hour: u64,
    /// Matrix size.
    pub n: u64,
    /// Products summed.
    pub chain: u32,
    /// Time allowed from issue to commit.
    pub deadline_ms: u64,
    /// The hour's entropy.
    #[serde(serialize_with = "ser_hex")]
    pub entropy: [u8; 32],
    /// The verifier seed (secret until the commit).
    #[serde(skip)]
    pub seed: [u8; 32],
    /// Issued, Unix ms (oracle clock).
    pub issued_ms: i64,
    /// Committed root.
    #[serde(serialize_with = "ser_opt_hex")]
    pub root: Option<[u8; 32]>,
    /// Committed, Unix ms.
    pub committed_ms: Option<i64>,
    /// `issued`, `committed`, `verified`, or `failed: …`.
    pub outcome: String,
    /// Capacity score (MMAC/s; 0 unless verified in time).
    pub score: u64,
}

/// One node's compute share of a settled hour.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ComputeShareRow {
    /// Hour.
    pub hour: u64,
    /// Device key.
    #[serde(serialize_with = "ser_key")]
    pub node: Key,
    /// Verified capacity score.
    pub score: u64,
    /// Class weight, bps.
    pub weight_bps: u64,
    /// Heartbeat slots seen (of 12).
    pub uptime_slots: u64,
    /// DC burned by the node's finalized jobs (work).
    pub dc_burned: u64,
    /// Busy seconds of those jobs.
    pub busy_secs: u64,
    /// Share of the hour (10¹² = all of it).
    pub share: u64,
}

fn ser_key<S: serde::Serializer>(k: &Key, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&lattice_sdk::solana::Pubkey::new_from_array(*k).to_string())
}

fn ser_hex<S: serde::Serializer>(k: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(k))
}

fn ser_opt_hex<S: serde::Serializer>(k: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
    match k {
        Some(k) => s.serialize_str(&hex::encode(k)),
        None => s.serialize_none(),
    }
}

fn arr(v: Vec<u8>) -> Result<[u8; 32]> {
    <[u8; 32]>::try_from(v.as_slice()).map_err(|_| anyhow::anyhow!("stored value is not 32 bytes"))
}

impl Store {
    /// The challenge of `(node, hour)`, if issued.
    pub async fn challenge(&self, node: &Key, hour: u64) -> Result<Option<ChallengeRow>> {
        let row = sqlx::query(
            "SELECT n, chain_len, deadline_ms, entropy, seed, issued_ms, root, committed_ms, outcome, score \
             FROM capacity_challenges WHERE node = $1 AND hour = $2",
        )
        .bind(node.to_vec())
        .bind(i(hour))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let root: Option<Vec<u8>> = r.try_get(6)?;
        Ok(Some(ChallengeRow {
            node: *node,
            hour,
            n: u(r.try_get(0)?),
            chain: u32::try_from(r.try_get::<i64, _>(1)?)?,
            deadline_ms: u(r.try_get(2)?),
            entropy: arr(r.try_get(3)?)?,
            seed: arr(r.try_get(4)?)?,
            issued_ms: r.try_get(5)?,
            root: root.map(arr).transpose()?,
            committed_ms: r.try_get(7)?,
            outcome: r.try_get(8)?,
            score: u(r.try_get(9)?),
        }))
    }

    /// Stores a freshly issued challenge unless one exists; returns the stored one.
    pub async fn issue_challenge(&self, c: &ChallengeRow) -> Result<ChallengeRow> {
        {
            let _w = self.writer().await;
            sqlx::query(
                "INSERT INTO capacity_challenges (node, hour, n, chain_len, deadline_ms, entropy, seed, issued_ms, outcome, score) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', 0) ON CONFLICT (node, hour) DO NOTHING",
            )
            .bind(c.node.to_vec())
            .bind(i(c.hour))
            .bind(i(c.n))
            .bind(i64::from(c.chain))
            .bind(i(c.deadline_ms))
            .bind(c.entropy.to_vec())
            .bind(c.seed.to_vec())
            .bind(c.issued_ms)
            .execute(&self.pool)
            .await?;
        }
        self.challenge(&c.node, c.hour)
            .await?
            .ok_or_else(|| anyhow::anyhow!("challenge vanished after insert"))
    }

    /// Records a commitment (only onto an `issued` challenge). Returns whether it was recorded.
    pub async fn commit_challenge(
        &self,
        node: &Key,
        hour: u64,
        root: &[u8; 32],
        now_ms: i64,
    ) -> Result<bool> {
        let _w = self.writer().await;
        let r = sqlx::query(
            "UPDATE capacity_challenges SET root = $3, committed_ms = $4, outcome = 'committed' \
             WHERE node = $1 AND hour = $2 AND outcome = 'issued'",
        )
        .bind(node.to_vec())
        .bind(i(hour))
        .bind(root.to_vec())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Records the verdict on a committed challenge, with the node's signed response when it
    /// failed (the evidence peers re-verify). Returns whether it was recorded.
    pub async fn score_challenge(
        &self,
        node: &Key,
        hour: u64,
        outcome: &str,
        score: u64,
        transcript: Option<&[u8]>,
    ) -> Result<bool> {
        let _w = self.writer().await;
        let r = sqlx::query(
            "UPDATE capacity_challenges SET outcome = $3, score = $4, transcript = $5 \
             WHERE node = $1 AND hour = $2 AND outcome = 'committed'",
        )
        .bind(node.to_vec())
        .bind(i(hour))
        .bind(outcome)
        .bind(i(score))
        .bind(transcript.map(<[u8]>::to_vec))
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// The signed response of a failed challenge, if any.
    pub async fn transcript(&self, node: &Key, hour: u64) -> Result<Option<Vec<u8>>> {
        let row =
            sqlx::query("SELECT transcript FROM capacity_challenges WHERE node = $1 AND hour = $2")
                .bind(node.to_vec())
                .bind(i(hour))
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(r) => r.try_get::<Option<Vec<u8>>, _>(0)?,
            None => None,
        })
    }

    /// Failed challenges with evidence from `since_hour` on: `(node, hour)`.
    pub async fn capacity_faults(&self, since_hour: u64) -> Result<Vec<(Key, u64)>> {
        let rows = sqlx::query(
            "SELECT node, hour FROM capacity_challenges WHERE hour >= $1 AND transcript IS NOT NULL ORDER BY hour",
        )
        .bind(i(since_hour))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((arr(r.try_get(0)?)?, u(r.try_get(1)?))))
            .collect()
    }

    /// The audit verdict of a job, if audited.
    pub async fn job_audit(&self, market: &Key, job_id: u64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT verdict FROM job_audits WHERE market = $1 AND job_id = $2")
            .bind(market.to_vec())
            .bind(i(job_id))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Records a job's audit verdict (the first one stays).
    pub async fn record_job_audit(
        &self,
        market: &Key,
        job_id: u64,
        verdict: &str,
        now_ms: i64,
    ) -> Result<()> {
        let _w = self.writer().await;
        sqlx::query(
            "INSERT INTO job_audits (market, job_id, verdict, audited_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (market, job_id) DO NOTHING",
        )
        .bind(market.to_vec())
        .bind(i(job_id))
        .bind(verdict)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a heartbeat slot (idempotent).
    pub async fn heartbeat(&self, node: &Key, hour: u64, slot: u64) -> Result<()> {
        let _w = self.writer().await;
        sqlx::query(
            "INSERT INTO heartbeats (node, hour, slot) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(node.to_vec())
        .bind(i(hour))
        .bind(i(slot))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Nodes seen in `hour` (a challenge or a heartbeat) with their verified score and uptime
    /// slots.
    pub async fn compute_inputs(&self, hour: u64) -> Result<Vec<(Key, u64, u64)>> {
        let mut by_node: std::collections::BTreeMap<Key, (u64, u64)> = Default::default();
        for r in sqlx::query("SELECT node, score, outcome FROM capacity_challenges WHERE hour = $1")
            .bind(i(hour))
            .fetch_all(&self.pool)
            .await?
        {
            let outcome: String = r.try_get(2)?;
            let score = if outcome == "verified" {
                u(r.try_get(1)?)
            } else {
                0
            };
            by_node.entry(arr(r.try_get(0)?)?).or_default().0 = score;
        }
        for r in sqlx::query("SELECT node, COUNT(*) FROM heartbeats WHERE hour = $1 GROUP BY node")
            .bind(i(hour))
            .fetch_all(&self.pool)
            .await?
        {
            by_node.entry(arr(r.try_get(0)?)?).or_default().1 = u(r.try_get(1)?);
        }
        Ok(by_node.into_iter().map(|(k, (s, h))| (k, s, h)).collect())
    }

    /// Every node that ever talked to the compute oracle.
    pub async fn compute_nodes(&self) -> Result<Vec<Key>> {
        let rows = sqlx::query("SELECT DISTINCT node FROM heartbeats UNION SELECT DISTINCT node FROM capacity_challenges")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(|r| arr(r.try_get(0)?)).collect()
    }

    /// The latest settled compute hour.
    pub async fn last_compute_hour(&self) -> Result<Option<u64>> {
        let row = sqlx::query("SELECT MAX(hour) FROM compute_hours")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.map(u))
    }

    /// Stores a settled compute hour and its shares (one transaction).
    pub async fn settle_compute_hour(
        &self,
        hour: u64,
        now_ms: i64,
        shares: &[ComputeShareRow],
        jobs: u64,
    ) -> Result<()> {
        let _w = self.writer().await;
        let mut tx = self.pool.begin().await?;
        for s in shares {
            sqlx::query(
                "INSERT INTO compute_shares (hour, node, score, weight_bps, uptime_slots, dc_burned, busy_secs, share) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(i(hour))
            .bind(s.node.to_vec())
            .bind(i(s.score))
            .bind(i(s.weight_bps))
            .bind(i(s.uptime_slots))
            .bind(i(s.dc_burned))
            .bind(i(s.busy_secs))
            .bind(i(s.share))
            .execute(&mut *tx)
            .await?;
        }
        let verified = shares.iter().filter(|s| s.score > 0).count() as u64;
        let dc: u64 = shares.iter().map(|s| s.dc_burned).sum();
        sqlx::query("INSERT INTO compute_hours (hour, settled_ms, nodes, verified, jobs, dc_burned) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(i(hour))
            .bind(now_ms)
            .bind(i(shares.len() as u64))
            .bind(i(verified))
            .bind(i(jobs))
            .bind(i(dc))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Compute shares of a settled hour.
    pub async fn compute_shares_of_hour(&self, hour: u64) -> Result<Vec<ComputeShareRow>> {
        let rows = sqlx::query(
            "SELECT node, score, weight_bps, uptime_slots, dc_burned, busy_secs, share FROM compute_shares \
             WHERE hour = $1 ORDER BY node",
        )
        .bind(i(hour))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ComputeShareRow {
                    hour,
                    node: arr(r.try_get(0)?)?,
                    score: u(r.try_get(1)?),
                    weight_bps: u(r.try_get(2)?),
                    uptime_slots: u(r.try_get(3)?),
                    dc_burned: u(r.try_get(4)?),
                    busy_secs: u(r.try_get(5)?),
                    share: u(r.try_get(6)?),
                })
            })
            .collect()
    }
}
