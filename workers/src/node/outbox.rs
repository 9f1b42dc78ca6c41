//! The durable outbox: every report is committed to a local SQLite file before the radio packet
//! that produced it is acknowledged, and leaves the outbox only when the oracle has answered it
//! (accepted, duplicate, or a final rejection, which is kept in `dead` with its reason).
//!
//! A report's key is its id (the SHA-256 of its body), so the same packet delivered twice by the
//! concentrator, or a report re-created after a crash, is stored once.

use anyhow::{Context as _, Result};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Row as _, SqlitePool,
};
use std::{path::Path, str::FromStr as _};

/// How long a delivered report's id is remembered (against late resends of its packet).
pub const DELIVERED_RETENTION_MS: i64 = 2 * 24 * 3_600_000;

/// The outbox.
#[derive(Debug, Clone)]
pub struct Outbox {
    pool: SqlitePool,
}

impl Outbox {
    /// Open (creating) the outbox at `path`.
    pub async fn open(path: &Path) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a report survives power loss too, not only a killed process.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(opts)
            .await
            .with_context(|| format!("opening outbox {}", path.display()))?;
        for stmt in [
            "CREATE TABLE IF NOT EXISTS outbox (id BLOB PRIMARY KEY, wire BLOB NOT NULL, created_ms INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS dead (id BLOB PRIMARY KEY, wire BLOB NOT NULL, reason TEXT NOT NULL, at_ms INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS delivered (id BLOB PRIMARY KEY, outcome TEXT NOT NULL, at_ms INTEGER NOT NULL)",
        ] {
            sqlx::query(stmt).execute(&pool).await?;
        }
        Ok(Self { pool })
    }

    /// Store reports (one transaction; ids already present are ignored). Returns how many were
    /// new. Committed before it returns.
    pub async fn push(&self, reports: &[([u8; 32], Vec<u8>)], now_ms: i64) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for (id, wire) in reports {
            // A report already delivered is not queued again (e.g. a retransmitted packet).
            let done = sqlx::query("SELECT 1 FROM delivered WHERE id = ?1")
                .bind(id.as_slice())
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if done {
                continue;
            }
            n += sqlx::query(
                "INSERT OR IGNORE INTO outbox (id, wire, created_ms) VALUES (?1, ?2, ?3)",
            )
            .bind(id.as_slice())
            .bind(wire.as_slice())
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(n)
    }

    /// The oldest `limit` reports waiting.
    pub async fn pending(&self, limit: usize) -> Result<Vec<([u8; 32], Vec<u8>)>> {
        let rows = sqlx::query("SELECT id, wire FROM outbox ORDER BY created_ms, rowid LIMIT ?1")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Vec<u8> = r.try_get(0)?;
            if let Ok(id) = <[u8; 32]>::try_from(id.as_slice()) {
                out.push((id, r.try_get(1)?));
            }
        }
        Ok(out)
    }

    /// Reports waiting.
    pub async fn len(&self) -> Result<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM outbox")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Whether nothing is waiting.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self.len().await? == 0)
    }

    /// Settle answered reports: `(id, outcome)`. `accepted`/`duplicate` are delivered; any other
    /// outcome is final and the report moves to `dead` with the outcome as reason.
    pub async fn settle(&self, answered: &[([u8; 32], String)], now_ms: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for (id, outcome) in answered {
            if outcome != "accepted" && outcome != "duplicate" {
                sqlx::query(
                    "INSERT OR IGNORE INTO dead (id, wire, reason, at_ms) SELECT id, wire, ?2, ?3 FROM outbox WHERE id = ?1",
                )
                .bind(id.as_slice())
                .bind(outcome.as_str())
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("INSERT OR IGNORE INTO delivered (id, outcome, at_ms) VALUES (?1, ?2, ?3)")
                .bind(id.as_slice())
                .bind(outcome.as_str())
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM outbox WHERE id = ?1")
                .bind(id.as_slice())
                .execute(&mut *tx)
                .await?;
        }
        // Forget deliveries older than the oracle would accept a resend of (its hours settle
        // within a couple of hours), so the table stays bounded.
        sqlx::query("DELETE FROM delivered WHERE at_ms < ?1")
            .bind(now_ms.saturating_sub(DELIVERED_RETENTION_MS))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reports the oracle rejected for good: `(id hex, reason)`.
    pub async fn dead(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT id, reason FROM dead ORDER BY at_ms")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((hex::encode(r.try_get::<Vec<u8>, _>(0)?), r.try_get(1)?)))
            .collect()
    }
}
