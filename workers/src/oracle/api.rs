//! The oracle's HTTP API.
//!
//! * `POST /v1/reports`: the ingest ([`super::ingest`]).
//! * `GET /v1/entropy`: the latest recorded chain entropy, for beaconing hotspots.
//! * `GET /v1/hotspots/{key}/rewards?hours=N`: a hotspot's shares per settled hour and every
//!   rejected report with its reason (what `lattice node rewards` shows).
//! * `GET /v1/hours/{hour}/shares`: every hotspot's share of one settled hour.
//! * `GET /v1/stats`: ingest counters, stored reports, recent hours, rejections by reason.
//! * `GET /v1/proof/{device}`: the device's cumulative reward in the latest tree and its Merkle
//!   proof (what a claim needs; anyone holding the archived tree can serve the same).
//! * `GET /v1/rewards/root`: the latest tree's epoch, root, total and size.
//! * `GET /v1/owners/{owner}/devices`: devices of a wallet seen in registry reads (what
//!   `lattice rewards claim --owner` claims for).
//! * `POST /v1/compute/{start,commit,respond,heartbeat}`: the capacity challenge and liveness
//!   (bodies are signed [`crate::compute::capacity::CapacityMsg`]s; see [`super::compute`]).
//! * `GET /v1/compute/hours/{hour}/shares`: every GPU node's compute share of a settled hour.
//! * `GET /v1/compute/nodes/{key}/challenges/{hour}`: a node's challenge of an hour and verdict.
//! * `GET /v1/compute/faults?since=H`: `[{node, hour}]` of failed challenges with evidence.
//! * `GET /v1/compute/nodes/{key}/faults/{hour}`: the node-signed wrong response of a failed
//!   challenge (evidence other oracles re-verify before voting).
//! * `GET /health`.

use super::{ingest, store, Oracle};
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lattice_poc_core::report::MAX_BATCH_BYTES;
use lattice_sdk::{solana::Pubkey, Chain};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, str::FromStr as _, sync::Arc};

/// The router over one oracle.
pub fn router<C: Chain + Clone + 'static>(oracle: Arc<Oracle<C>>) -> Router {
    Router::new()
        .route("/v1/reports", post(post_reports::<C>))
        .route("/v1/entropy", get(get_entropy::<C>))
        .route("/v1/hotspots/{key}/rewards", get(get_rewards::<C>))
        .route("/v1/hours/{hour}/shares", get(get_hour_shares::<C>))
        .route("/v1/stats", get(get_stats::<C>))
        .route("/v1/proof/{device}", get(get_proof::<C>))
        .route("/v1/rewards/root", get(get_root::<C>))
        .route("/v1/owners/{owner}/devices", get(get_owner_devices::<C>))
        .route("/v1/compute/{op}", post(post_compute::<C>))
        .route(
            "/v1/compute/hours/{hour}/shares",
            get(get_compute_shares::<C>),
        )
        .route(
            "/v1/compute/nodes/{key}/challenges/{hour}",
            get(get_challenge::<C>),
        )
        .route(
            "/v1/compute/nodes/{key}/faults/{hour}",
            get(get_capacity_fault::<C>),
        )
        .route("/v1/compute/faults", get(get_capacity_faults::<C>))
        .route("/health", get(|| async { "ok" }))
        .with_state(oracle)
}

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": msg.into() }))).into_response()
}

async fn post_reports<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    body: Body,
) -> Response {
    let bytes = match axum::body::to_bytes(body, MAX_BATCH_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            o.stats.add("oversized_batch", 1);
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("batch larger than {MAX_BATCH_BYTES} bytes"),
            );
        }
    };
    let (status, resp) = ingest::ingest_batch(&o, &bytes).await;
    (status, Json(resp)).into_response()
}

/// `GET /v1/entropy`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntropyResponse {
    /// The entropy (a blockhash), hex.
    pub entropy: String,
    /// When the oracle recorded it, Unix seconds.
    pub unix_secs: i64,
}

async fn get_entropy<C: Chain + Clone + 'static>(State(o): State<Arc<Oracle<C>>>) -> Response {
    match o.store.latest_entropy().await {
        Ok(Some((hash, unix_secs))) => Json(EntropyResponse {
            entropy: hex::encode(hash),
            unix_secs,
        })
        .into_response(),
        Ok(None) => error(StatusCode::SERVICE_UNAVAILABLE, "no entropy recorded yet"),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

/// Query of the rewards endpoint.
#[derive(Debug, Deserialize)]
pub struct HoursQuery {
    /// How many hours back (default 24, at most 2160).
    pub hours: Option<u64>,
}

/// `GET /v1/hotspots/{key}/rewards`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RewardsResponse {
    /// The hotspot, base58.
    pub device: String,
    /// First hour covered.
    pub since_hour: u64,
    /// Settled hours with a share.
    pub hours: Vec<store::ShareRow>,
    /// Rejected reports with their reasons.
    pub rejections: Vec<store::RejectionRow>,
}

async fn get_rewards<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path(key): Path<String>,
    Query(q): Query<HoursQuery>,
) -> Response {
    let Ok(device) = Pubkey::from_str(&key) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("{key:?} is not a base58 key"),
        );
    };
    let hours = q.hours.unwrap_or(24).clamp(1, 2_160);
    let now_hour = lattice_poc_core::report::hour_of_ms(o.clock.now_ms());
    let since = now_hour.saturating_sub(hours);
    let k = device.to_bytes();
    let (shares, rejections) = match (
        o.store.shares_of(&k, since).await,
        o.store.rejections_of(&k, since).await,
    ) {
        (Ok(s), Ok(r)) => (s, r),
        (Err(e), _) | (_, Err(e)) => return error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    Json(RewardsResponse {
        device: device.to_string(),
        since_hour: since,
        hours: shares,
        rejections,
    })
    .into_response()
}

async fn get_hour_shares<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path(hour): Path<u64>,
) -> Response {
    match o.store.shares_of_hour(hour).await {
        Ok(rows) => Json(rows).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

/// `GET /v1/stats`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatsResponse {
    /// Ingest outcomes since the oracle started, by outcome.
    pub ingest: BTreeMap<String, u64>,
    /// Reports stored (all time).
    pub stored_reports: u64,
    /// The last settled hours, oldest first.
    pub hours: Vec<store::HourSummary>,
    /// Rejections by reason (all settled hours).
    pub rejected_by_reason: BTreeMap<String, u64>,
}

/// Gather the stats.
pub async fn stats<C: Chain + Clone + 'static>(o: &Oracle<C>) -> anyhow::Result<StatsResponse> {
    Ok(StatsResponse {
        ingest: o.stats.snapshot(),
        stored_reports: o.store.report_count().await?,
        hours: o.store.hour_summaries(48).await?,
        rejected_by_reason: o.store.rejections_by_reason().await?,
    })
}

async fn get_stats<C: Chain + Clone + 'static>(State(o): State<Arc<Oracle<C>>>) -> Response {
    match stats(&o).await {
        Ok(s) => Json(s).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

/// `GET /v1/proof/{device}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProofResponse {
    /// The device, base58.
    pub device: String,
    /// The tree's epoch (last hour included).
    pub epoch: u64,
    /// The tree's root, hex.
    pub root: String,
    /// Cumulative reward in base units of the sub-DAO token.
    pub cumulative: u64,
    /// Sibling hashes from the leaf up, hex.
    pub proof: Vec<String>,
}

/// `GET /v1/rewards/root`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RootResponse {
    /// The tree's epoch.
    pub epoch: u64,
    /// Root, hex.
    pub root: String,
    /// Σ cumulative.
    pub total: u64,
    /// Leaves.
    pub devices: u64,
}

async fn get_proof<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path(device): Path<String>,
) -> Response {
    let Ok(key) = Pubkey::from_str(&device) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("{device:?} is not a base58 key"),
        );
    };
    let Some(tree) = o.latest_tree().await else {
        return error(StatusCode::NOT_FOUND, "no reward tree yet");
    };
    match tree.proof(&key.to_bytes()) {
        Some((cumulative, proof)) => Json(ProofResponse {
            device: key.to_string(),
            epoch: tree.epoch,
            root: hex::encode(tree.root()),
            cumulative,
            proof: proof.iter().map(hex::encode).collect(),
        })
        .into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            format!("{key} has no rewards in epoch {}", tree.epoch),
        ),
    }
}

async fn get_root<C: Chain + Clone + 'static>(State(o): State<Arc<Oracle<C>>>) -> Response {
    match o.latest_tree().await {
        Some(t) => Json(RootResponse {
            epoch: t.epoch,
            root: hex::encode(t.root()),
            total: t.total,
            devices: t.leaves.len() as u64,
        })
        .into_response(),
        None => error(StatusCode::NOT_FOUND, "no reward tree yet"),
    }
}

async fn get_owner_devices<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path(owner): Path<String>,
) -> Response {
    let Ok(key) = Pubkey::from_str(&owner) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("{owner:?} is not a base58 key"),
        );
    };
    let devices: Vec<String> = o
        .directory
        .devices_of(&key.to_bytes())
        .into_iter()
        .map(|d| Pubkey::new_from_array(d).to_string())
        .collect();
    Json(devices).into_response()
}

/// Largest compute message body.
const MAX_COMPUTE_BODY: usize = crate::compute::capacity::MAX_MESSAGE_BYTES;

fn refusal(r: super::compute::Refusal) -> Response {
    let status = StatusCode::from_u16(r.0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, r.1)
}

/// `POST /v1/compute/{start,commit,respond,heartbeat}`: one signed message each.
async fn post_compute<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path(op): Path<String>,
    body: Body,
) -> Response {
    let Ok(bytes) = axum::body::to_bytes(body, MAX_COMPUTE_BODY).await else {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "compute message too large");
    };
    let answer = match op.as_str() {
        "start" => o.capacity_start(&bytes).await.map(|i| serde_json::json!(i)),
        "commit" => o
            .capacity_commit(&bytes)
            .await
            .map(|seed| serde_json::json!({ "seed": hex::encode(seed) })),
        "respond" => o
            .capacity_respond(&bytes)
            .await
            .map(|s| serde_json::json!(s)),
        "heartbeat" => o
            .capacity_heartbeat(&bytes)
            .await
            .map(|()| serde_json::json!({ "ok": true })),
        _ => {
            return error(
                StatusCode::NOT_FOUND,
                format!("no compute operation {op:?}"),
            )
        }
    };
    match answer {
        Ok(v) => Json(v).into_response(),
        Err(r) => refusal(r),
    }
}

async fn get_compute_shares<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path(hour): Path<u64>,
) -> Response {
    match o.store.compute_shares_of_hour(hour).await {
        Ok(rows) => Json(rows).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

async fn get_challenge<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path((key, hour)): Path<(String, u64)>,
) -> Response {
    let Ok(node) = Pubkey::from_str(&key) else {
        return error(StatusCode::BAD_REQUEST, "bad node key");
    };
    match o.store.challenge(&node.to_bytes(), hour).await {
        Ok(Some(row)) => Json(row).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "no challenge for this node and hour"),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

async fn get_capacity_fault<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Path((key, hour)): Path<(String, u64)>,
) -> Response {
    let Ok(node) = Pubkey::from_str(&key) else {
        return error(StatusCode::BAD_REQUEST, "bad node key");
    };
    match o.store.transcript(&node.to_bytes(), hour).await {
        Ok(Some(wire)) => (
            [(axum::http::header::CONTENT_TYPE, "application/octet-stream")],
            wire,
        )
            .into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "no failed challenge for this node and hour",
        ),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

#[derive(Deserialize)]
struct SinceQuery {
    since: Option<u64>,
}

async fn get_capacity_faults<C: Chain + Clone + 'static>(
    State(o): State<Arc<Oracle<C>>>,
    Query(q): Query<SinceQuery>,
) -> Response {
    match o.store.capacity_faults(q.since.unwrap_or(0)).await {
        Ok(list) => Json(
            list.into_iter()
                .map(|(k, h)| serde_json::json!({ "node": Pubkey::new_from_array(k).to_string(), "hour": h }))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}
