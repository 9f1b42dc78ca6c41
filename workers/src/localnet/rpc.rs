//! A Solana JSON-RPC endpoint over the embedded chain: the methods `RpcChain`
//! (`solana-rpc-client`) uses (`getAccountInfo`, `getMultipleAccounts`, `getLatestBlockhash`,
//! `isBlockhashValid`, `sendTransaction`, `getSignatureStatuses`), so separate processes (a
//! worker under test, killed and restarted) can use the in-process bank through the standard
//! RPC transport. Transactions are executed when sent; their outcome is reported by
//! `getSignatureStatuses`, as a validator would after confirmation.

use axum::{extract::State, routing::post, Json, Router};
use base64::Engine as _;
use lattice_sdk::{embedded::EmbeddedChain, solana::Pubkey, Chain, ChainError};
use serde_json::{json, Value};
use solana_sdk::transaction::{Transaction, TransactionError};
use std::{collections::HashMap, str::FromStr as _, sync::Arc};
use tokio::sync::Mutex;

struct RpcState {
    chain: EmbeddedChain,
    statuses: Mutex<HashMap<String, Option<TransactionError>>>,
}

/// The router (mount it on a `TcpListener` with `axum::serve`).
pub fn router(chain: EmbeddedChain) -> Router {
    Router::new()
        .route("/", post(handle))
        .with_state(Arc::new(RpcState {
            chain,
            statuses: Mutex::new(HashMap::new()),
        }))
}

type RpcResult = Result<Value, (i64, String)>;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn account_json(a: &solana_sdk::account::Account) -> Value {
    json!({
        "data": [b64().encode(&a.data), "base64"],
        "executable": a.executable,
        "lamports": a.lamports,
        "owner": a.owner.to_string(),
        "rentEpoch": a.rent_epoch,
        "space": a.data.len(),
    })
}

fn pubkey(v: &Value) -> Result<Pubkey, (i64, String)> {
    v.as_str()
        .and_then(|s| Pubkey::from_str(s).ok())
        .ok_or((-32602, format!("invalid pubkey {v}")))
}

fn internal(e: ChainError) -> (i64, String) {
    (-32603, e.to_string())
}

async fn dispatch(s: &RpcState, method: &str, params: &Value) -> RpcResult {
    let ctx = json!({ "slot": 1 });
    match method {
        "getAccountInfo" => {
            let key = pubkey(&params[0])?;
            let acct = s.chain.get_account(&key).await.map_err(internal)?;
            Ok(json!({ "context": ctx, "value": acct.as_ref().map(account_json) }))
        }
        "getMultipleAccounts" => {
            let keys = params[0]
                .as_array()
                .ok_or((-32602, "expected an array of pubkeys".to_owned()))?
                .iter()
                .map(pubkey)
                .collect::<Result<Vec<_>, _>>()?;
            let accts = s
                .chain
                .get_multiple_accounts(&keys)
                .await
                .map_err(internal)?;
            let value: Vec<Value> = accts
                .iter()
                .map(|a| a.as_ref().map_or(Value::Null, account_json))
                .collect();
            Ok(json!({ "context": ctx, "value": value }))
        }
        "getLatestBlockhash" => {
            let h = s.chain.latest_blockhash().await.map_err(internal)?;
            Ok(
                json!({ "context": ctx, "value": { "blockhash": h.to_string(), "lastValidBlockHeight": u64::MAX / 2 } }),
            )
        }
        "isBlockhashValid" => Ok(json!({ "context": ctx, "value": true })),
        "sendTransaction" => {
            let raw = params[0]
                .as_str()
                .and_then(|t| b64().decode(t).ok())
                .ok_or((-32602, "expected a base64 transaction".to_owned()))?;
            let tx: Transaction =
                bincode::deserialize(&raw).map_err(|e| (-32602, format!("transaction: {e}")))?;
            let sig = tx
                .signatures
                .first()
                .copied()
                .unwrap_or_default()
                .to_string();
            let outcome = match s.chain.send_and_confirm(&tx).await {
                Ok(_) => None,
                Err(ChainError::Transaction { err, .. }) => Some(err),
                Err(e) => return Err(internal(e)),
            };
            s.statuses.lock().await.insert(sig.clone(), outcome);
            Ok(json!(sig))
        }
        "getSignatureStatuses" => {
            let sigs = params[0]
                .as_array()
                .ok_or((-32602, "expected an array of signatures".to_owned()))?;
            let statuses = s.statuses.lock().await;
            let value: Vec<Value> = sigs
                .iter()
                .map(|sig| {
                    let Some(outcome) = sig.as_str().and_then(|k| statuses.get(k)) else {
                        return Value::Null;
                    };
                    let status = solana_transaction_status_client_types::TransactionStatus {
                        slot: 1,
                        confirmations: None,
                        status: outcome.clone().map_or(Ok(()), Err),
                        err: outcome.clone(),
                        confirmation_status: Some(
                            solana_transaction_status_client_types::TransactionConfirmationStatus::Finalized,
                        ),
                    };
                    serde_json::to_value(status).unwrap_or(Value::Null)
                })
                .collect();
            Ok(json!({ "context": ctx, "value": value }))
        }
        "getHealth" => Ok(json!("ok")),
        other => Err((
            -32601,
            format!("method {other} is not served by the localnet RPC"),
        )),
    }
}

async fn handle(State(s): State<Arc<RpcState>>, Json(req): Json<Value>) -> Json<Value> {
    let id = req.get("id").cloned().unwrap_or(Value::Null);
    let method = req
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let params = req.get("params").cloned().unwrap_or(Value::Null);
    Json(match dispatch(&s, method, &params).await {
        Ok(result) => json!({ "jsonrpc": "2.0", "result": result, "id": id }),
        Err((code, message)) => {
            json!({ "jsonrpc": "2.0", "error": { "code": code, "message": message }, "id": id })
        }
    })
}

/// Serve the endpoint on `listener` until `stop`.
pub async fn serve(
    chain: EmbeddedChain,
    listener: tokio::net::TcpListener,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    axum::serve(listener, router(chain))
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await?;
    Ok(())
}
