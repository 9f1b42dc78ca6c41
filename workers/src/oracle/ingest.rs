//! `POST /v1/reports`: the report ingest.
//!
//! The body is a batch of signed reports (`lattice_poc_core::report::encode_batch`). Each
//! report gets its own outcome, in order:
//!
//! | outcome | meaning | retry? |
//! |---|---|---|
//! | `accepted` | new, valid, committed | no |
//! | `duplicate` | already stored (a replay or a retry after a lost answer) | no |
//! | `oversized` / `malformed` / `bad_key` | not a report | no |
//! | `bad_signature` | signature does not verify | no |
//! | `unknown_device` | no hotspot registered under the signing key | no |
//! | `future_timestamp` | timestamp beyond the allowed clock skew | no |
//! | `late` | its hour is already settled | no |
//!
//! The HTTP status summarises the batch: 200 when every report was accepted, 409 when the
//! only problems were duplicates, 422 when any report was rejected, 400 for a body that is not a
//! batch, 413 for a body over the size limit and 503 when the oracle could not store the batch
//! (nothing was acknowledged; retry). Every outcome is counted ([`super::IngestStats`]).
//!
//! Durability: valid reports are archived and committed to the database before the answer is
//! written, so a report answered `accepted` survives the oracle being killed right after; a
//! report whose answer never arrived is retried by the worker and answered `duplicate` if the
//! first attempt had committed.

use super::{store::NewReport, Oracle};
use axum::http::StatusCode;
use lattice_poc_core::report::{self, ParsedReport};
use lattice_sdk::Chain;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The ingest's answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct IngestResponse {
    /// One outcome per report, in batch order.
    pub results: Vec<String>,
    /// Reports accepted.
    pub accepted: u64,
    /// Reports already stored.
    pub duplicates: u64,
    /// Reports rejected.
    pub rejected: u64,
    /// Batch-level error, if the batch was refused as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl IngestResponse {
    fn refused(error: &str) -> Self {
        Self {
            error: Some(error.to_owned()),
            ..Self::default()
        }
    }
}

/// The batch could not be stored: nothing was acknowledged, the client retries.
fn unavailable<C: Chain + Clone + 'static>(
    oracle: &Oracle<C>,
    what: &str,
    error: &dyn std::fmt::Display,
    reports: usize,
) -> (StatusCode, IngestResponse) {
    tracing::warn!(%error, "{what} unavailable");
    oracle.stats.add("unavailable", reports as u64);
    (
        StatusCode::SERVICE_UNAVAILABLE,
        IngestResponse::refused(&format!("{what} unavailable")),
    )
}

/// Judge and store one batch.
pub async fn ingest_batch<C: Chain + Clone + 'static>(
    oracle: &Oracle<C>,
    body: &[u8],
) -> (StatusCode, IngestResponse) {
    oracle
        .stats
        .requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let wires = match report::decode_batch(body) {
        Ok(w) => w,
        Err(e) => {
            oracle.stats.add("bad_batch", 1);
            return (StatusCode::BAD_REQUEST, IngestResponse::refused(e.as_str()));
        }
    };
    let now_ms = oracle.clock.now_ms();
    let mut results: Vec<&'static str> = vec!["retry"; wires.len()];
    let mut parsed: Vec<(usize, ParsedReport)> = Vec::with_capacity(wires.len());
    for (i, w) in wires.iter().enumerate() {
        match report::parse_with(w, |k| oracle.verifying_key(k)) {
            Ok(p) => parsed.push((i, p)),
            Err(e) => results[i] = e.as_str(),
        }
    }

    // Signatures, in one batch verification.
    let reports: Vec<ParsedReport> = parsed.iter().map(|(_, p)| p.clone()).collect();
    let ok = report::verify_signatures(&reports);
    let mut valid: Vec<(usize, ParsedReport)> = Vec::with_capacity(parsed.len());
    for ((i, p), good) in parsed.into_iter().zip(ok) {
        if good {
            valid.push((i, p));
        } else {
            results[i] = "bad_signature";
        }
    }

    // Registration and time.
    let keys: Vec<[u8; 32]> = valid.iter().map(|(_, p)| *p.body.hotspot()).collect();
    let registered = match oracle.directory.lookup(&keys).await {
        Ok(r) => r,
        Err(e) => return unavailable(oracle, "registry", &e, wires.len()),
    };
    let mut settled_cache: std::collections::HashMap<u64, bool> = Default::default();
    let mut keep: Vec<(usize, ParsedReport)> = Vec::with_capacity(valid.len());
    for (i, p) in valid {
        if !matches!(registered.get(p.body.hotspot()), Some(Some(_))) {
            results[i] = "unknown_device";
            continue;
        }
        if p.body.timestamp_ms() > now_ms.saturating_add(oracle.max_skew_ms) {
            results[i] = "future_timestamp";
            continue;
        }
        let hour = p.body.hour();
        let settled = match settled_cache.get(&hour) {
            Some(s) => *s,
            None => {
                let s = match oracle.store.is_settled(hour).await {
                    Ok(s) => s,
                    Err(e) => return unavailable(oracle, "database", &e, wires.len()),
                };
                settled_cache.insert(hour, s);
                s
            }
        };
        if settled {
            results[i] = "late";
            continue;
        }
        keep.push((i, p));
    }

    // Archive, then commit; only then answer.
    if let Some((_, first)) = keep.first() {
        let wires: Vec<Vec<u8>> = keep.iter().map(|(_, p)| p.wire()).collect();
        if let Err(e) = oracle
            .archive
            .put_batch(first.body.hour(), now_ms, &first.id, &wires)
            .await
        {
            return unavailable(oracle, "archive", &e, wires.len());
        }
        let rows: Vec<NewReport> = keep
            .iter()
            .map(|(_, p)| NewReport {
                id: p.id,
                hour: p.body.hour(),
                received_ms: now_ms,
                wire: p.wire(),
            })
            .collect();
        let inserted: HashSet<[u8; 32]> = match oracle.store.insert_reports(&rows).await {
            Ok(ids) => ids.into_iter().collect(),
            Err(e) => return unavailable(oracle, "database", &e, wires.len()),
        };
        let mut first_seen = HashSet::new();
        for (i, p) in &keep {
            // A report twice in one batch: the first copy is the accepted one.
            results[*i] = if inserted.contains(&p.id) && first_seen.insert(p.id) {
                "accepted"
            } else {
                "duplicate"
            };
        }
    }

    let mut resp = IngestResponse::default();
    for r in &results {
        oracle.stats.add(r, 1);
        match *r {
            "accepted" => resp.accepted += 1,
            "duplicate" => resp.duplicates += 1,
            _ => resp.rejected += 1,
        }
    }
    resp.results = results.into_iter().map(str::to_owned).collect();
    let status = if resp.rejected > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if resp.duplicates > 0 {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    (status, resp)
}
