//! The oracle's database: sqlx over SQLite (the embedded default) or PostgreSQL (for scale).
//!
//! One schema, written once in SQL both engines accept (`BLOB` becomes `BYTEA` on Postgres) and
//! queried through `sqlx::Any` with `$n` placeholders, which both drivers understand. Every
//! write the oracle acknowledges is committed before the acknowledgement: a report that got an
//! `accepted` answer is on disk, whatever happens to the process next.

use anyhow::{Context as _, Result};
use lattice_poc_core::{
    hour::{HotspotShare, Rejection},
    report::ReportKind,
    Key,
};
use sqlx::{any::AnyPoolOptions, AnyPool, Row as _};
use std::collections::{BTreeMap, HashMap, HashSet};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS report_ids (
    id BLOB PRIMARY KEY,
    hour BIGINT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS report_batches (
    first_id BLOB PRIMARY KEY,
    hour BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    reports BIGINT NOT NULL,
    wires BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS report_batches_by_hour ON report_batches (hour);
CREATE TABLE IF NOT EXISTS entropy (
    hash BLOB PRIMARY KEY,
    unix_secs BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS entropy_by_time ON entropy (unix_secs);
CREATE TABLE IF NOT EXISTS rejections (
    id BLOB PRIMARY KEY,
    hour BIGINT NOT NULL,
    kind BIGINT NOT NULL,
    hotspot BLOB NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejections_by_hotspot ON rejections (hotspot, hour);
CREATE INDEX IF NOT EXISTS rejections_by_hour ON rejections (hour);
CREATE TABLE IF NOT EXISTS shares (
    hour BIGINT NOT NULL,
    hotspot BLOB NOT NULL,
    beacons BIGINT NOT NULL,
    witnesses BIGINT NOT NULL,
    dc BIGINT NOT NULL,
    beacon_units BIGINT NOT NULL,
    witness_units BIGINT NOT NULL,
    share BIGINT NOT NULL,
    PRIMARY KEY (hour, hotspot)
);
CREATE INDEX IF NOT EXISTS shares_by_hotspot ON shares (hotspot, hour);
CREATE TABLE IF NOT EXISTS hours (
    hour BIGINT PRIMARY KEY,
    settled_ms BIGINT NOT NULL,
    reports BIGINT NOT NULL,
    valid_beacons BIGINT NOT NULL,
    valid_witnesses BIGINT NOT NULL,
    valid_packets BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    dc_burned BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS capacity_challenges (
    node BLOB NOT NULL,
    hour BIGINT NOT NULL,
    n BIGINT NOT NULL,
    chain_len BIGINT NOT NULL,
    deadline_ms BIGINT NOT NULL,
    entropy BLOB NOT NULL,
    seed BLOB NOT NULL,
    issued_ms BIGINT NOT NULL,
    root BLOB,
    committed_ms BIGINT,
    outcome TEXT NOT NULL,
    score BIGINT NOT NULL,
    transcript BLOB,
    PRIMARY KEY (node, hour)
);
CREATE TABLE IF NOT EXISTS job_audits (
    market BLOB NOT NULL,
    job_id BIGINT NOT NULL,
    verdict TEXT NOT NULL,
    audited_ms BIGINT NOT NULL,
    PRIMARY KEY (market, job_id)
);
CREATE TABLE IF NOT EXISTS heartbeats (
    node BLOB NOT NULL,
    hour BIGINT NOT NULL,
    slot BIGINT NOT NULL,
    PRIMARY KEY (node, hour, slot)
);
CREATE TABLE IF NOT EXISTS compute_shares (
    hour BIGINT NOT NULL,
    node BLOB NOT NULL,
    score BIGINT NOT NULL,
    weight_bps BIGINT NOT NULL,
    uptime_slots BIGINT NOT NULL,
    dc_burned BIGINT NOT NULL,
    busy_secs BIGINT NOT NULL,
    share BIGINT NOT NULL,
    PRIMARY KEY (hour, node)
);
CREATE TABLE IF NOT EXISTS compute_hours (
    hour BIGINT PRIMARY KEY,
    settled_ms BIGINT NOT NULL,
    nodes BIGINT NOT NULL,
    verified BIGINT NOT NULL,
    jobs BIGINT NOT NULL,
    dc_burned BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS dc_burns (
    hour BIGINT NOT NULL,
    payer BLOB NOT NULL,
    dc BIGINT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (hour, payer)
);
"#;

/// Rows per multi-row INSERT (well under both engines' bind-parameter limits).
const INSERT_CHUNK: usize = 500;

/// `INSERT INTO {head} VALUES ($1, …, $cols), ($cols+1, …), …` for `rows` rows.
fn insert_sql(head: &str, rows: usize, cols: usize) -> String {
    let mut sql = format!("INSERT INTO {head} VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        let params: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
        sql.push('(');
        sql.push_str(&params.join(", "));
        sql.push(')');
    }
    sql
}

/// Ids of the unsettled hours' reports, by hour (`None` until loaded).
type RecentIds = std::sync::Arc<std::sync::Mutex<Option<HashMap<u64, HashSet<[u8; 32]>>>>>;

/// The reports whose ids are in `new`, first copy of each, in order.
fn dedupe<'a>(reports: &'a [NewReport], new: &HashSet<[u8; 32]>) -> Vec<&'a NewReport> {
    let mut taken = HashSet::with_capacity(new.len());
    reports
        .iter()
        .filter(|r| new.contains(&r.id) && taken.insert(r.id))
        .collect()
}

/// Which engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (`sqlite:` URLs).
    Sqlite,
    /// PostgreSQL (`postgres:` / `postgresql:` URLs).
    Postgres,
}

impl Backend {
    /// From a database URL.
    pub fn of(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("unsupported database URL {url:?}: use sqlite:// or postgres://")
        }
    }
}

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// Report id.
    pub id: [u8; 32],
    /// Hour.
    pub hour: u64,
    /// When the oracle received it, Unix ms.
    pub received_ms: i64,
    /// Wire bytes (body and signature).
    pub wire: Vec<u8>,
}

/// A settled hour's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HourSummary {
    /// The hour.
    pub hour: u64,
    /// Reports judged.
    pub reports: u64,
    /// Valid beacons.
    pub valid_beacons: u64,
    /// Valid witnesses.
    pub valid_witnesses: u64,
    /// Valid data packets.
    pub valid_packets: u64,
    /// Rejected reports.
    pub rejected: u64,
    /// DC burned for the hour's packets.
    pub dc_burned: u64,
}

/// A stored share row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShareRow {
    /// Hour.
    pub hour: u64,
    /// Hotspot, base58.
    pub hotspot: String,
    /// Witnessed beacons.
    pub beacons: u64,
    /// Rewarded witnesses.
    pub witnesses: u64,
    /// DC burned for carried packets.
    pub dc: u64,
    /// Share of the hour (10¹² = 100%).
    pub share: u64,
}

/// A stored rejection row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RejectionRow {
    /// Hour.
    pub hour: u64,
    /// Report id, hex.
    pub id: String,
    /// Kind name.
    pub kind: String,
    /// Reason name.
    pub reason: String,
}

/// The oracle database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time; writers queue here instead of inside SQLite's busy
    /// handler (which sleeps and retries, costing seconds under load).
    write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// SQLite only: ids of the reports of unsettled hours, by hour (the dedupe set; rebuilt from
    /// `report_batches` on first use, so it is exactly what is stored).
    recent_ids: RecentIds,
}

mod compute;
pub use compute::{ChallengeRow, ComputeShareRow};

fn i(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn key_of(bytes: &[u8]) -> String {
    <[u8; 32]>::try_from(bytes)
        .map(|k| lattice_sdk::solana::Pubkey::new_from_array(k).to_string())
        .unwrap_or_default()
}

impl Store {
    /// Connect (creating a SQLite file if needed) and create the schema.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let mut options = AnyPoolOptions::new().max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        });
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL: readers never block the writer; NORMAL sync is durable against a
                    // killed process (the WAL is in the OS page cache), busy_timeout serializes
                    // writers across connections.
                    sqlx::query("PRAGMA journal_mode=WAL")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA synchronous=NORMAL")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA busy_timeout=10000")
                        .execute(&mut *conn)
                        .await?;
                    // 64 MiB page cache: report ids are random, so the id index is written all
                    // over; keeping it cached keeps inserts fast as the table grows.
                    sqlx::query("PRAGMA cache_size=-65536")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            });
        }
        let pool = options
            .connect(&url)
            .await
            .with_context(|| format!("connecting to {}", redact(&url)))?;
        let schema = match backend {
            Backend::Sqlite => SCHEMA.to_owned(),
            Backend::Postgres => SCHEMA
                .replace("BLOB", "BYTEA")
                .replace(" WITHOUT ROWID", ""),
        };
        for stmt in schema.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            sqlx::query(stmt).execute(&pool).await.context("schema")?;
        }
        Ok(Self {
            pool,
            backend,
            write_lock: std::sync::Arc::new(tokio::sync::Mutex::new(())),
            recent_ids: std::sync::Arc::new(std::sync::Mutex::new(None)),
        })
    }

    /// Queue for the write lock (SQLite only; PostgreSQL handles concurrent writers itself).
    async fn writer(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().await),
            Backend::Postgres => None,
        }
    }

    /// The engine in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Store reports in one transaction; returns the ids that were new (the others were already
    /// stored: replays). Committed before it returns.
    ///
    /// The new reports of each hour go into one `report_batches` row as an encoded batch. Replays
    /// are found by id: on PostgreSQL (possibly several oracle processes) through the
    /// `report_ids` index; on SQLite (one process, writers serialized) through an in-memory set
    /// of the unsettled hours' ids, rebuilt from the stored batches on start, which saves an index
    /// insert per report (ingest ~24k → ~45k reports/s/core).
    pub async fn insert_reports(&self, reports: &[NewReport]) -> Result<Vec<[u8; 32]>> {
        if self.backend == Backend::Sqlite {
            // The commit and the id-set update run in their own task: a request cancelled
            // mid-commit (client gone, oracle shutting down) cannot leave a committed batch whose
            // ids the set does not know.
            let guard = self.write_lock.clone().lock_owned().await;
            let store = self.clone();
            let reports = reports.to_vec();
            return tokio::spawn(async move {
                let _w = guard;
                store.insert_reports_sqlite(&reports).await
            })
            .await
            .map_err(|e| anyhow::anyhow!("store task: {e}"))?;
        }
        let mut tx = self.pool.begin().await?;
        let mut inserted = HashSet::with_capacity(reports.len());
        for chunk in reports.chunks(INSERT_CHUNK) {
            let mut sql = insert_sql("report_ids (id, hour)", chunk.len(), 2);
            sql.push_str(" ON CONFLICT (id) DO NOTHING RETURNING id");
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q.bind(r.id.to_vec()).bind(i(r.hour));
            }
            for row in q.fetch_all(&mut *tx).await? {
                let id: Vec<u8> = row.try_get(0)?;
                if let Ok(id) = <[u8; 32]>::try_from(id.as_slice()) {
                    inserted.insert(id);
                }
            }
        }
        let new: Vec<&NewReport> = dedupe(reports, &inserted);
        Self::insert_batches(&mut tx, &new).await?;
        tx.commit().await?;
        Ok(new.iter().map(|r| r.id).collect())
    }

    /// SQLite: one writer (the write lock is held), so the in-memory set of unsettled hours' ids
    /// is exact; only the batch rows are written, and the ids join the set after the commit.
    async fn insert_reports_sqlite(&self, reports: &[NewReport]) -> Result<Vec<[u8; 32]>> {
        self.load_recent_ids().await?;
        let fresh: HashSet<[u8; 32]> = {
            let guard = self
                .recent_ids
                .lock()
                .map_err(|_| anyhow::anyhow!("id set poisoned"))?;
            let known = guard.as_ref();
            reports
                .iter()
                .filter(|r| {
                    !known
                        .and_then(|m| m.get(&r.hour))
                        .is_some_and(|s| s.contains(&r.id))
                })
                .map(|r| r.id)
                .collect()
        };
        let new: Vec<&NewReport> = dedupe(reports, &fresh);
        let mut tx = self.pool.begin().await?;
        Self::insert_batches(&mut tx, &new).await?;
        tx.commit().await?;
        if let Ok(mut guard) = self.recent_ids.lock() {
            let map = guard.get_or_insert_with(HashMap::new);
            for r in &new {
                map.entry(r.hour).or_default().insert(r.id);
            }
        }
        Ok(new.iter().map(|r| r.id).collect())
    }

    /// Rebuild the SQLite dedupe set from the stored batches of unsettled hours (once).
    async fn load_recent_ids(&self) -> Result<()> {
        if self.recent_ids.lock().map(|g| g.is_some()).unwrap_or(false) {
            return Ok(());
        }
        let after = self.last_settled_hour().await?;
        let rows = sqlx::query("SELECT hour, wires FROM report_batches WHERE hour > $1")
            .bind(after.map_or(-1, i))
            .fetch_all(&self.pool)
            .await?;
        let mut map: HashMap<u64, HashSet<[u8; 32]>> = HashMap::new();
        for r in rows {
            let hour = u(r.try_get(0)?);
            let bytes: Vec<u8> = r.try_get(1)?;
            for wire in lattice_poc_core::report::decode_batch(&bytes)? {
                if let Ok(p) = lattice_poc_core::report::parse(&wire) {
                    map.entry(hour).or_default().insert(p.id);
                }
            }
        }
        if let Ok(mut guard) = self.recent_ids.lock() {
            *guard = Some(map);
        }
        Ok(())
    }

    async fn insert_batches(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        new: &[&NewReport],
    ) -> Result<()> {
        let mut by_hour: BTreeMap<u64, Vec<&NewReport>> = BTreeMap::new();
        for r in new {
            by_hour.entry(r.hour).or_default().push(r);
        }
        for (hour, rows) in &by_hour {
            let wires: Vec<Vec<u8>> = rows.iter().map(|r| r.wire.clone()).collect();
            sqlx::query(
                "INSERT INTO report_batches (first_id, hour, received_ms, reports, wires) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(rows[0].id.to_vec())
            .bind(i(*hour))
            .bind(rows[0].received_ms)
            .bind(i(rows.len() as u64))
            .bind(lattice_poc_core::report::encode_batch(&wires))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Number of stored reports (all hours).
    pub async fn report_count(&self) -> Result<u64> {
        let n: i64 =
            sqlx::query("SELECT CAST(COALESCE(SUM(reports), 0) AS BIGINT) FROM report_batches")
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?;
        Ok(u(n))
    }

    /// Wire bytes of every report of `hour`.
    pub async fn reports_of_hour(&self, hour: u64) -> Result<Vec<Vec<u8>>> {
        let rows = sqlx::query("SELECT wires FROM report_batches WHERE hour = $1")
            .bind(i(hour))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in rows {
            let bytes: Vec<u8> = r.try_get(0)?;
            out.extend(lattice_poc_core::report::decode_batch(&bytes)?);
        }
        Ok(out)
    }

    /// Record entropy seen at `unix_secs` (the first sighting wins).
    pub async fn record_entropy(&self, hash: &[u8; 32], unix_secs: i64) -> Result<bool> {
        let _w = self.writer().await;
        let r = sqlx::query(
            "INSERT INTO entropy (hash, unix_secs) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash.to_vec())
        .bind(unix_secs)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// The most recent entropy.
    pub async fn latest_entropy(&self) -> Result<Option<([u8; 32], i64)>> {
        let row =
            sqlx::query("SELECT hash, unix_secs FROM entropy ORDER BY unix_secs DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(r) => {
                let h: Vec<u8> = r.try_get(0)?;
                <[u8; 32]>::try_from(h.as_slice())
                    .ok()
                    .map(|h| (h, r.try_get::<i64, _>(1).unwrap_or(0)))
            }
            None => None,
        })
    }

    /// Entropy published in `[from_secs, to_secs)`, with the hour it was published in.
    pub async fn entropy_between(
        &self,
        from_secs: i64,
        to_secs: i64,
    ) -> Result<Vec<([u8; 32], u64)>> {
        let rows = sqlx::query(
            "SELECT hash, unix_secs FROM entropy WHERE unix_secs >= $1 AND unix_secs < $2",
        )
        .bind(from_secs)
        .bind(to_secs)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let h: Vec<u8> = r.try_get(0)?;
            let t: i64 = r.try_get(1)?;
            if let Ok(h) = <[u8; 32]>::try_from(h.as_slice()) {
                out.push((h, lattice_math::epoch::hour_of(t)));
            }
        }
        Ok(out)
    }

    /// The latest settled hour.
    pub async fn last_settled_hour(&self) -> Result<Option<u64>> {
        let row = sqlx::query("SELECT MAX(hour) FROM hours")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.map(u))
    }

    /// Whether `hour` is settled.
    pub async fn is_settled(&self, hour: u64) -> Result<bool> {
        Ok(sqlx::query("SELECT hour FROM hours WHERE hour = $1")
            .bind(i(hour))
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// The DC burns planned for `hour`: `(payer, dc, status)`.
    pub async fn dc_burns(&self, hour: u64) -> Result<Vec<(Key, u64, String)>> {
        let rows = sqlx::query("SELECT payer, dc, status FROM dc_burns WHERE hour = $1")
            .bind(i(hour))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in rows {
            let p: Vec<u8> = r.try_get(0)?;
            if let Ok(p) = <[u8; 32]>::try_from(p.as_slice()) {
                out.push((p, u(r.try_get(1)?), r.try_get(2)?));
            }
        }
        Ok(out)
    }

    /// Plan a burn (kept if already planned) with status `pending`.
    pub async fn plan_dc_burn(&self, hour: u64, payer: &Key, dc: u64) -> Result<()> {
        let _w = self.writer().await;
        sqlx::query(
            "INSERT INTO dc_burns (hour, payer, dc, status) VALUES ($1, $2, $3, 'pending') \
             ON CONFLICT (hour, payer) DO NOTHING",
        )
        .bind(i(hour))
        .bind(payer.to_vec())
        .bind(i(dc))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Set a planned burn's status (`done` or `failed: …`).
    pub async fn set_dc_burn_status(&self, hour: u64, payer: &Key, status: &str) -> Result<()> {
        let _w = self.writer().await;
        sqlx::query("UPDATE dc_burns SET status = $1 WHERE hour = $2 AND payer = $3")
            .bind(status.to_owned())
            .bind(i(hour))
            .bind(payer.to_vec())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Write an hour's verdict in one transaction (replacing any earlier partial attempt) and
    /// mark the hour settled.
    pub async fn settle_hour(
        &self,
        summary: &HourSummary,
        rejections: &[Rejection],
        shares: &[(Key, HotspotShare)],
        settled_ms: i64,
    ) -> Result<()> {
        let h = i(summary.hour);
        let _w = self.writer().await;
        let mut tx = self.pool.begin().await?;
        for table in ["rejections", "shares", "hours"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE hour = $1"))
                .bind(h)
                .execute(&mut *tx)
                .await?;
        }
        for chunk in rejections.chunks(INSERT_CHUNK) {
            let mut sql = insert_sql(
                "rejections (id, hour, kind, hotspot, reason)",
                chunk.len(),
                5,
            );
            sql.push_str(" ON CONFLICT (id) DO NOTHING");
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(r.id.to_vec())
                    .bind(h)
                    .bind(r.kind as i64)
                    .bind(r.hotspot.to_vec())
                    .bind(r.reason.as_str().to_owned());
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in shares.chunks(INSERT_CHUNK) {
            let sql = insert_sql(
                "shares (hour, hotspot, beacons, witnesses, dc, beacon_units, witness_units, share)",
                chunk.len(),
                8,
            );
            let mut q = sqlx::query(&sql);
            for (k, s) in chunk {
                q = q
                    .bind(h)
                    .bind(k.to_vec())
                    .bind(i64::from(s.beacons))
                    .bind(i64::from(s.witnesses))
                    .bind(i(s.dc))
                    .bind(i(s.beacon_units))
                    .bind(i(s.witness_units))
                    .bind(i(s.share));
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO hours (hour, settled_ms, reports, valid_beacons, valid_witnesses, valid_packets, rejected, dc_burned) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(h)
        .bind(settled_ms)
        .bind(i(summary.reports))
        .bind(i(summary.valid_beacons))
        .bind(i(summary.valid_witnesses))
        .bind(i(summary.valid_packets))
        .bind(i(summary.rejected))
        .bind(i(summary.dc_burned))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // A settled hour takes no more reports (they are `late`), so its ids can go.
        if let Ok(mut guard) = self.recent_ids.lock() {
            if let Some(map) = guard.as_mut() {
                map.retain(|h, _| *h > summary.hour);
            }
        }
        Ok(())
    }

    /// Summaries of the last `limit` settled hours, oldest first.
    pub async fn hour_summaries(&self, limit: u32) -> Result<Vec<HourSummary>> {
        let rows = sqlx::query(
            "SELECT hour, reports, valid_beacons, valid_witnesses, valid_packets, rejected, dc_burned \
             FROM hours ORDER BY hour DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(HourSummary {
                hour: u(r.try_get(0)?),
                reports: u(r.try_get(1)?),
                valid_beacons: u(r.try_get(2)?),
                valid_witnesses: u(r.try_get(3)?),
                valid_packets: u(r.try_get(4)?),
                rejected: u(r.try_get(5)?),
                dc_burned: u(r.try_get(6)?),
            });
        }
        out.reverse();
        Ok(out)
    }

    /// Rejections per reason over all settled hours.
    pub async fn rejections_by_reason(&self) -> Result<BTreeMap<String, u64>> {
        let rows = sqlx::query("SELECT reason, COUNT(*) FROM rejections GROUP BY reason")
            .fetch_all(&self.pool)
            .await?;
        let mut out = BTreeMap::new();
        for r in rows {
            out.insert(r.try_get::<String, _>(0)?, u(r.try_get(1)?));
        }
        Ok(out)
    }

    /// Rejections of one hotspot with their reasons, by hotspot, for `hour >= since`.
    pub async fn rejections_of(&self, hotspot: &Key, since: u64) -> Result<Vec<RejectionRow>> {
        let rows = sqlx::query(
            "SELECT hour, id, kind, reason FROM rejections WHERE hotspot = $1 AND hour >= $2 ORDER BY hour, id",
        )
        .bind(hotspot.to_vec())
        .bind(i(since))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Vec<u8> = r.try_get(1)?;
            let kind = u8::try_from(r.try_get::<i64, _>(2)?)
                .ok()
                .and_then(ReportKind::from_u8);
            out.push(RejectionRow {
                hour: u(r.try_get(0)?),
                id: hex::encode(id),
                kind: kind.map_or("unknown", ReportKind::as_str).to_owned(),
                reason: r.try_get(3)?,
            });
        }
        Ok(out)
    }

    /// Share rows of one hotspot for `hour >= since`.
    pub async fn shares_of(&self, hotspot: &Key, since: u64) -> Result<Vec<ShareRow>> {
        let rows = sqlx::query(
            "SELECT hour, hotspot, beacons, witnesses, dc, share FROM shares WHERE hotspot = $1 AND hour >= $2 ORDER BY hour",
        )
        .bind(hotspot.to_vec())
        .bind(i(since))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(share_row).collect()
    }

    /// Every share row of `hour`.
    pub async fn shares_of_hour(&self, hour: u64) -> Result<Vec<ShareRow>> {
        let rows = sqlx::query(
            "SELECT hour, hotspot, beacons, witnesses, dc, share FROM shares WHERE hour = $1 ORDER BY hotspot",
        )
        .bind(i(hour))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(share_row).collect()
    }
}

fn share_row(r: &sqlx::any::AnyRow) -> Result<ShareRow> {
    let k: Vec<u8> = r.try_get(1)?;
    Ok(ShareRow {
        hour: u(r.try_get(0)?),
        hotspot: key_of(&k),
        beacons: u(r.try_get(2)?),
        witnesses: u(r.try_get(3)?),
        dc: u(r.try_get(4)?),
        share: u(r.try_get(5)?),
    })
}

/// A URL with any password replaced, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
