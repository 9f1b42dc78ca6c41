//! Bootstrap and the workers through the JSON-RPC transport ([`RpcChain`]), against an
//! `RpcSender` that answers each JSON-RPC request from a real in-process bank.
//!
//! The sender builds the request body the way the HTTP sender does, executes it against the bank
//! behind an [`EmbeddedChain`] (preflight simulation, execution, signature statuses, blockhash
//! validity, account encoding with the RPC server's own encoder) and hands the JSON response
//! back through the HTTP sender's response parsing. So `RpcChain`'s whole path runs for real:
//! request building, response decoding, confirmation polling and error mapping. Faults (lost
//! transactions whose blockhash then expires, transport errors, a preflight that passes while the
//! execution fails) are injected per method.
//!
//! The stock `MockSender` (canned answers) covers the error mapping of what a bank cannot be
//! made to say.

// solana-program-test, the banks client and solana-account-decoder mark their API unstable.
#![allow(deprecated)]

use anchor_lang::solana_program::system_instruction;
use async_trait::async_trait;
use base64::{prelude::BASE64_STANDARD, Engine};
use lattice_dao::DaoError;
use lattice_migrations::bootstrap;
use lattice_sdk::{
    accounts::DaoView,
    embedded::EmbeddedChain,
    ix,
    rpc::RpcChain,
    send::{send, SendOptions},
    solana::{Hash, Keypair, Pubkey, Signature, Signer},
    Chain, ChainError,
};
use lattice_tests::localnet_config;
use lattice_workers::cranker::Cranker;
use serde_json::{json, Value};
use solana_account_decoder::{encode_ui_account, UiAccountEncoding};
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_rpc_client::{
    nonblocking::rpc_client::RpcClient,
    rpc_client::RpcClientConfig,
    rpc_sender::{RpcSender, RpcTransportStats},
};
use solana_rpc_client_api::{
    client_error::{ErrorKind as ClientErrorKind, Result as ClientResult},
    custom_error::JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
    error_object::RpcErrorObject,
    request::{RpcError, RpcRequest, RpcResponseErrorData},
    response::RpcSimulateTransactionResult,
};
use solana_sdk::{
    instruction::InstructionError, message::Message, transaction::TransactionError,
    transaction::VersionedTransaction,
};
use solana_transaction_status_client_types::{
    TransactionConfirmationStatus, TransactionStatus, UiTransactionError,
};
use std::{
    collections::{BTreeMap, HashSet},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

/// The JSON-RPC error code of an unknown method.
const METHOD_NOT_FOUND: i64 = -32601;
/// The JSON-RPC error code of malformed parameters.
const INVALID_PARAMS: i64 = -32602;

/// What the test sees of the node and tells it to do.
#[derive(Default)]
struct NodeState {
    /// Requests served, by method.
    calls: BTreeMap<String, usize>,
    /// `sendTransaction`s to accept and then lose: the transaction never lands, its blockhash
    /// expires and the cluster moves on a slot.
    lose_sends: usize,
    /// Requests to fail with a transport error before they reach the node, by method.
    transport_failures: BTreeMap<String, usize>,
    /// Requests served whose answer is then lost (a transport error), by method.
    lost_responses: BTreeMap<String, usize>,
    /// `sendTransaction`s whose preflight simulation passes without looking (as when the state
    /// changes between preflight and execution).
    skip_preflights: usize,
    /// Blockhashes that expired before their transaction landed.
    expired: HashSet<Hash>,
    /// Program logs of the last preflight failure served.
    last_preflight_logs: Vec<String>,
}

impl NodeState {
    fn calls(&self, method: &str) -> usize {
        self.calls.get(method).copied().unwrap_or(0)
    }
}

/// A JSON-RPC node over an in-process bank.
struct BankNode {
    chain: EmbeddedChain,
    state: Arc<Mutex<NodeState>>,
    next_id: AtomicU64,
}

/// A JSON-RPC error response: code, message, data.
type RpcFailure = (i64, String, Value);

fn invalid(what: impl std::fmt::Display) -> RpcFailure {
    (
        INVALID_PARAMS,
        format!("Invalid params: {what}"),
        Value::Null,
    )
}

fn commitment(config: &Value) -> CommitmentLevel {
    serde_json::from_value(config["commitment"].clone()).unwrap_or_default()
}

fn pubkey(v: &Value) -> Result<Pubkey, RpcFailure> {
    v.as_str()
        .ok_or_else(|| invalid("pubkey"))?
        .parse()
        .map_err(invalid)
}

impl BankNode {
    fn state(&self) -> std::sync::MutexGuard<'_, NodeState> {
        self.state.lock().unwrap()
    }

    /// `{"slot": …}` of a response.
    async fn context(&self) -> Result<Value, RpcFailure> {
        let slot = self
            .chain
            .banks_client()
            .get_root_slot()
            .await
            .map_err(|e| (-32000, e.to_string(), Value::Null))?;
        Ok(json!({ "slot": slot, "apiVersion": "3.1.12" }))
    }

    async fn account(&self, key: &Value, config: &Value) -> Result<Value, RpcFailure> {
        let key = pubkey(key)?;
        let encoding: UiAccountEncoding =
            serde_json::from_value(config["encoding"].clone()).unwrap_or(UiAccountEncoding::Base64);
        let account = self
            .chain
            .banks_client()
            .get_account_with_commitment(key, commitment(config))
            .await
            .map_err(|e| (-32000, e.to_string(), Value::Null))?;
        Ok(match account {
            None => Value::Null,
            Some(a) => serde_json::to_value(encode_ui_account(&key, &a, encoding, None, None))
                .map_err(invalid)?,
        })
    }

    /// Serve one request: the `result`, or the `error`.
    async fn serve(&self, method: &str, params: &Value) -> Result<Value, RpcFailure> {
        let banks = self.chain.banks_client();
        let bank_err =
            |e: solana_program_test::BanksClientError| (-32000, e.to_string(), Value::Null);
        match method {
            "getAccountInfo" => Ok(json!({
                "context": self.context().await?,
                "value": self.account(&params[0], &params[1]).await?,
            })),
            "getMultipleAccounts" => {
                let keys = params[0].as_array().ok_or_else(|| invalid("keys"))?;
                if keys.len() > 100 {
                    return Err(invalid("Too many inputs provided; max 100"));
                }
                let mut value = Vec::with_capacity(keys.len());
                for key in keys {
                    value.push(self.account(key, &params[1]).await?);
                }
                Ok(json!({ "context": self.context().await?, "value": value }))
            }
            "getLatestBlockhash" => {
                let (hash, last_valid_block_height) = banks
                    .get_latest_blockhash_with_commitment(commitment(&params[0]))
                    .await
                    .map_err(bank_err)?
                    .ok_or_else(|| (-32000, "no blockhash".to_string(), Value::Null))?;
                Ok(json!({
                    "context": self.context().await?,
                    "value": {
                        "blockhash": hash.to_string(),
                        "lastValidBlockHeight": last_valid_block_height,
                    },
                }))
            }
            "isBlockhashValid" => {
                let hash: Hash = params[0]
                    .as_str()
                    .ok_or_else(|| invalid("blockhash"))?
                    .parse()
                    .map_err(invalid)?;
                let valid = if self.state().expired.contains(&hash) {
                    false
                } else {
                    // The bank prices a message only while its blockhash is in the queue.
                    let probe =
                        Message::new_with_blockhash(&[], Some(&Pubkey::new_unique()), &hash);
                    banks
                        .get_fee_for_message(probe)
                        .await
                        .map_err(bank_err)?
                        .is_some()
                };
                Ok(json!({ "context": self.context().await?, "value": valid }))
            }
            "getSignatureStatuses" => {
                let sigs = params[0].as_array().ok_or_else(|| invalid("signatures"))?;
                let mut value = Vec::with_capacity(sigs.len());
                for sig in sigs {
                    let sig: Signature = sig
                        .as_str()
                        .ok_or_else(|| invalid("signature"))?
                        .parse()
                        .map_err(invalid)?;
                    let status = banks.get_transaction_status(sig).await.map_err(bank_err)?;
                    value.push(status.map(|s| TransactionStatus {
                        slot: s.slot,
                        confirmations: s.confirmations,
                        status: s.err.clone().map_or(Ok(()), Err),
                        err: s.err,
                        // The banks interface's enum is not re-exported; same variants.
                        confirmation_status: s.confirmation_status.map(|c| {
                            match format!("{c:?}").as_str() {
                                "Processed" => TransactionConfirmationStatus::Processed,
                                "Confirmed" => TransactionConfirmationStatus::Confirmed,
                                _ => TransactionConfirmationStatus::Finalized,
                            }
                        }),
                    }));
                }
                Ok(json!({ "context": self.context().await?, "value": value }))
            }
            "getSlot" => Ok(json!(banks.get_root_slot().await.map_err(bank_err)?)),
            "getMinimumBalanceForRentExemption" => {
                let len = params[0].as_u64().ok_or_else(|| invalid("data length"))?;
                let rent = banks.get_rent().await.map_err(bank_err)?;
                Ok(json!(
                    rent.minimum_balance(usize::try_from(len).map_err(invalid)?)
                ))
            }
            "getBalance" => {
                let key = pubkey(&params[0])?;
                let lamports = banks
                    .get_balance_with_commitment(key, commitment(&params[1]))
                    .await
                    .map_err(bank_err)?;
                Ok(json!({ "context": self.context().await?, "value": lamports }))
            }
            "sendTransaction" => self.send_transaction(params).await,
            other => Err((
                METHOD_NOT_FOUND,
                format!("Method not found: {other}"),
                Value::Null,
            )),
        }
    }

    /// `sendTransaction`: decode, preflight-simulate (unless skipped), execute; the signature.
    async fn send_transaction(&self, params: &Value) -> Result<Value, RpcFailure> {
        let config = &params[1];
        if config["encoding"] != json!("base64") {
            return Err(invalid("this node speaks base64"));
        }
        let wire = BASE64_STANDARD
            .decode(params[0].as_str().ok_or_else(|| invalid("transaction"))?)
            .map_err(invalid)?;
        let tx: VersionedTransaction = bincode::deserialize(&wire).map_err(invalid)?;
        let signature = *tx.signatures.first().ok_or_else(|| invalid("unsigned"))?;
        let blockhash = *tx.message.recent_blockhash();

        let lose = {
            let mut s = self.state();
            let lose = s.lose_sends > 0;
            if lose {
                s.lose_sends -= 1;
                s.expired.insert(blockhash);
            }
            lose
        };
        if lose {
            // Accepted, then lost; the cluster moves on (a new blockhash).
            let now = self.chain.unix_timestamp().await.map_err(invalid)?;
            self.chain.set_unix_timestamp(now).await.map_err(invalid)?;
            return Ok(json!(signature.to_string()));
        }

        let banks = self.chain.banks_client();
        let skip_preflight = config["skipPreflight"].as_bool().unwrap_or(false) || {
            let mut s = self.state();
            let skip = s.skip_preflights > 0;
            s.skip_preflights = s.skip_preflights.saturating_sub(1);
            skip
        };
        if !skip_preflight {
            let preflight: CommitmentLevel =
                serde_json::from_value(config["preflightCommitment"].clone()).unwrap_or_default();
            let sim = banks
                .simulate_transaction_with_commitment(tx.clone(), preflight)
                .await
                .map_err(|e| (-32000, e.to_string(), Value::Null))?;
            let err = match sim.result {
                Some(Ok(())) => None,
                Some(Err(e)) => Some(e),
                None => Some(TransactionError::BlockhashNotFound),
            };
            if let Some(err) = err {
                let (logs, units) = sim
                    .simulation_details
                    .map(|d| (d.logs, d.units_consumed))
                    .unwrap_or_default();
                self.state().last_preflight_logs = logs.clone();
                let data = json!({
                    "err": UiTransactionError::from(err.clone()),
                    "logs": logs,
                    "accounts": null,
                    "unitsConsumed": units,
                });
                return Err((
                    JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
                    format!("Transaction simulation failed: {err}"),
                    data,
                ));
            }
        }
        // Executed; a failure is recorded in the status cache like any landed transaction.
        match banks
            .process_transaction_with_commitment(tx, CommitmentLevel::Finalized)
            .await
        {
            Ok(()) | Err(solana_program_test::BanksClientError::TransactionError(_)) => {}
            Err(e) => return Err((-32000, e.to_string(), Value::Null)),
        }
        Ok(json!(signature.to_string()))
    }
}

/// The HTTP sender's handling of a JSON-RPC response body.
fn parse_response(body: &str) -> ClientResult<Value> {
    let mut json: Value = serde_json::from_str(body)?;
    if json["error"].is_object() {
        let object: RpcErrorObject = serde_json::from_value(json["error"].clone())?;
        let data = if object.code == JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE {
            serde_json::from_value::<RpcSimulateTransactionResult>(json["error"]["data"].clone())
                .map(RpcResponseErrorData::SendTransactionPreflightFailure)
                .unwrap_or(RpcResponseErrorData::Empty)
        } else {
            RpcResponseErrorData::Empty
        };
        return Err(RpcError::RpcResponseError {
            code: object.code,
            message: object.message,
            data,
        }
        .into());
    }
    Ok(json["result"].take())
}

#[async_trait]
impl RpcSender for BankNode {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        // Over the wire and back, as the HTTP sender would post it.
        let body: Value =
            serde_json::from_str(&request.build_request_json(id, params).to_string())?;
        let method = body["method"].as_str().unwrap_or_default().to_string();
        {
            let mut s = self.state();
            *s.calls.entry(method.clone()).or_default() += 1;
            if let Some(n) = s.transport_failures.get_mut(&method).filter(|n| **n > 0) {
                *n -= 1;
                return Err(ClientErrorKind::Io(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "connection reset by peer",
                ))
                .into());
            }
        }
        let response = match self.serve(&method, &body["params"]).await {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            Err((code, message, data)) => json!({
                "jsonrpc": "2.0",
                "id": id,
                "error": { "code": code, "message": message, "data": data },
            }),
        };
        if let Some(n) = self
            .state()
            .lost_responses
            .get_mut(&method)
            .filter(|n| **n > 0)
        {
            *n -= 1;
            return Err(ClientErrorKind::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "response lost",
            ))
            .into());
        }
        parse_response(&response.to_string())
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        RpcTransportStats::default()
    }

    fn url(&self) -> String {
        "bank://in-process".to_string()
    }
}

/// An `RpcChain` whose node is `chain`'s bank, and a handle on that node.
fn rpc_over(chain: &EmbeddedChain) -> (RpcChain, Arc<Mutex<NodeState>>) {
    let state = Arc::new(Mutex::new(NodeState::default()));
    let node = BankNode {
        chain: chain.clone(),
        state: state.clone(),
        next_id: AtomicU64::new(1),
    };
    let client = RpcClient::new_sender(
        node,
        RpcClientConfig::with_commitment(CommitmentConfig::confirmed()),
    );
    (RpcChain::from_client(client), state)
}

/// Quick retries: the faults here are injected, not waited out.
fn fast(opts: SendOptions) -> SendOptions {
    SendOptions {
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(5),
        ..opts
    }
}

#[tokio::test]
async fn bootstrap_and_cranker_over_rpc() {
    let cfg = localnet_config();
    let chain = EmbeddedChain::start_default().await;
    let start = cfg.localnet.start_unix.unwrap() + 60;
    chain.set_unix_timestamp(start).await.unwrap();
    let payer = chain.payer().await;
    let main_mint = Keypair::new();
    let (rpc, node) = rpc_over(&chain);
    let opts = fast(cfg.send_options());

    // The clock reads through getAccountInfo (base64+zstd, decoded by the client).
    assert_eq!(rpc.unix_timestamp().await.unwrap(), start);

    let first = bootstrap(&rpc, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    let names: Vec<&str> = first.sub_daos.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["coverage", "compute"]);
    assert_eq!(first.main_mint, main_mint.pubkey().to_string());
    let sent = node.lock().unwrap().calls("sendTransaction");
    assert!(sent > 0);
    assert_eq!(
        node.lock().unwrap().calls("getSignatureStatuses"),
        sent,
        "every transaction confirmed by polling its status"
    );

    // The bank behind the node holds what RPC reads.
    let over_rpc = DaoView::load(&rpc, &main_mint.pubkey()).await.unwrap();
    let in_bank = DaoView::load(&chain, &main_mint.pubkey()).await.unwrap();
    assert_eq!(over_rpc.address, in_bank.address);
    assert_eq!(over_rpc.sub_daos.len(), 2);
    assert_eq!(over_rpc.dao.authority, in_bank.dao.authority);

    // Re-running bootstrap over RPC reports the same deployment and sends nothing.
    let again = bootstrap(&rpc, &cfg, &opts, &payer, &payer, &main_mint)
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(node.lock().unwrap().calls("sendTransaction"), sent);

    // Three hours pass; the cranker issues them over RPC, oldest first.
    let genesis = over_rpc.dao.genesis_hour;
    chain
        .set_unix_timestamp(lattice_math::epoch::hour_start(genesis + 3) + 1)
        .await
        .unwrap();
    let mut cranker = Cranker::new(
        rpc.clone(),
        payer.insecure_clone(),
        main_mint.pubkey(),
        opts.clone(),
        48,
    );
    let report = cranker.tick().await.unwrap();
    assert_eq!(report.issued, vec![genesis, genesis + 1, genesis + 2]);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.lag_hours, 0);
    let dao = DaoView::load(&rpc, &main_mint.pubkey()).await.unwrap().dao;
    assert_eq!(dao.hours_issued, 3);
    assert!(node.lock().unwrap().calls("getMultipleAccounts") > 0);
    assert_eq!(cranker.tick().await.unwrap().issued, Vec::<u64>::new());

    // A fresh cranker (no memory) finds the hours issued over RPC and sends nothing.
    let before = node.lock().unwrap().calls("sendTransaction");
    let mut fresh = Cranker::new(
        rpc.clone(),
        Keypair::new(),
        main_mint.pubkey(),
        opts.clone(),
        48,
    );
    let report = fresh.tick().await.unwrap();
    assert!(report.issued.is_empty());
    assert_eq!(node.lock().unwrap().calls("sendTransaction"), before);

    // A failing transaction surfaces the program's error code: rejected at preflight, with the
    // simulation's logs…
    let view = DaoView::load(&rpc, &main_mint.pubkey()).await.unwrap();
    let reissue = ix::issue_hour(
        &payer.pubkey(),
        &main_mint.pubkey(),
        &view.issue_keys(),
        genesis,
    );
    let err = send(&rpc, &opts, std::slice::from_ref(&reissue), &payer, &[])
        .await
        .unwrap_err();
    assert!(
        matches!(err.dao_error(), Some(DaoError::HourAlreadyIssued)),
        "{err}"
    );
    assert_eq!(
        err.custom_code(),
        Some(u32::from(DaoError::HourAlreadyIssued))
    );
    assert!(err.to_string().contains("HourAlreadyIssued"), "{err}");
    assert!(!err.is_transient());
    let ChainError::Transaction { logs, program, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*program, Some(lattice_dao::ID));
    let served = node.lock().unwrap().last_preflight_logs.clone();
    assert!(!served.is_empty(), "the node served the simulation's logs");
    assert_eq!(logs, &served, "the preflight's logs reach the caller");

    // …and when the preflight passes but the execution fails, through the signature status.
    node.lock().unwrap().skip_preflights = 1;
    let future = ix::issue_hour(
        &payer.pubkey(),
        &main_mint.pubkey(),
        &view.issue_keys(),
        genesis + 5,
    );
    let err = send(&rpc, &opts, &[future], &payer, &[]).await.unwrap_err();
    assert!(
        matches!(err.dao_error(), Some(DaoError::HourNotOver)),
        "{err}"
    );
    assert!(err.to_string().contains("HourNotOver"), "{err}");
    assert!(!err.is_transient());
}

#[tokio::test]
async fn transient_rpc_failures_are_retried() {
    let cfg = localnet_config();
    let chain = EmbeddedChain::start_default().await;
    chain
        .set_unix_timestamp(cfg.localnet.start_unix.unwrap() + 60)
        .await
        .unwrap();
    let payer = chain.payer().await;
    let (rpc, node) = rpc_over(&chain);
    let opts = fast(cfg.send_options());
    let to = Pubkey::new_unique();
    let transfer = |lamports| system_instruction::transfer(&payer.pubkey(), &to, lamports);
    let balance = || async {
        rpc.get_account(&to)
            .await
            .unwrap()
            .map_or(0, |a| a.lamports)
    };

    // The node loses the transaction and its blockhash expires: confirmation gives up (a
    // transport error) and the send is retried with a fresh blockhash.
    node.lock().unwrap().lose_sends = 1;
    send(&rpc, &opts, &[transfer(1_000_000)], &payer, &[])
        .await
        .unwrap();
    assert_eq!(balance().await, 1_000_000);
    {
        let s = node.lock().unwrap();
        assert_eq!(s.calls("sendTransaction"), 2);
        assert_eq!(s.calls("isBlockhashValid"), 1);
    }

    // A dropped connection while fetching a blockhash is retried too.
    node.lock()
        .unwrap()
        .transport_failures
        .insert("getLatestBlockhash".into(), 2);
    send(&rpc, &opts, &[transfer(1_000_000)], &payer, &[])
        .await
        .unwrap();
    assert_eq!(balance().await, 2_000_000);

    // The transaction lands but confirming it hits transport errors (the answer to
    // sendTransaction lost, a status poll failing): confirmation keeps polling rather than
    // failing the send, which `send` would retry with a fresh blockhash, paying twice.
    // (Each with its own amount: an identical transfer under the same blockhash would be the
    // same transaction, already processed.)
    for (k, (lost, failing)) in [("sendTransaction", None), ("getSignatureStatuses", Some(2))]
        .into_iter()
        .enumerate()
    {
        let amount = 1_000_001 + k as u64;
        let before = balance().await;
        let sends = {
            let mut s = node.lock().unwrap();
            s.lost_responses.insert(lost.into(), 1);
            if let Some(n) = failing {
                s.transport_failures
                    .insert("getSignatureStatuses".into(), n);
            }
            s.calls("sendTransaction")
        };
        send(&rpc, &opts, &[transfer(amount)], &payer, &[])
            .await
            .unwrap();
        assert_eq!(balance().await, before + amount, "{lost}: paid once");
        assert_eq!(
            node.lock().unwrap().calls("sendTransaction"),
            sends + 1,
            "{lost}: sent once"
        );
    }

    // A transport error reading an account is an error, not "absent".
    node.lock()
        .unwrap()
        .transport_failures
        .insert("getAccountInfo".into(), 1);
    let err = rpc.get_account(&to).await.unwrap_err();
    assert!(matches!(err, ChainError::Transport(_)), "{err:?}");

    // Absent accounts read as `None`, one by one and in bulk (chunked at 100 keys).
    assert!(rpc
        .get_account(&Pubkey::new_unique())
        .await
        .unwrap()
        .is_none());
    let mut keys: Vec<Pubkey> = (0..150).map(|_| Pubkey::new_unique()).collect();
    keys[120] = to;
    let before = node.lock().unwrap().calls("getMultipleAccounts");
    let got = rpc.get_multiple_accounts(&keys).await.unwrap();
    assert_eq!(got.len(), 150);
    assert_eq!(got.iter().filter(|a| a.is_some()).count(), 1);
    assert_eq!(got[120].as_ref().map(|a| a.lamports), Some(4_000_003));
    assert_eq!(
        node.lock().unwrap().calls("getMultipleAccounts") - before,
        2
    );

    // A transaction the fee payer cannot afford fails at preflight, at once.
    let poor = Keypair::new();
    let ix = system_instruction::transfer(&poor.pubkey(), &to, 1);
    let err = send(&rpc, &opts, &[ix], &poor, &[]).await.unwrap_err();
    assert!(matches!(err, ChainError::Transaction { .. }), "{err:?}");
}

/// A chain over the stock mock sender, answering as `directive` says.
fn mock(directive: &str) -> RpcChain {
    RpcChain::from_client(RpcClient::new_mock(directive.to_string()))
}

fn signed_tx() -> solana_sdk::transaction::Transaction {
    let payer = Keypair::new();
    let ix = system_instruction::transfer(&payer.pubkey(), &Pubkey::new_unique(), 1);
    solana_sdk::transaction::Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &[&payer],
        Hash::new_unique(),
    )
}

#[tokio::test]
async fn error_mapping_with_the_stock_mock_sender() {
    let tx = signed_tx();

    // Confirmed success.
    assert_eq!(
        mock("succeeds").send_and_confirm(&tx).await.unwrap(),
        tx.signatures[0]
    );

    // A landed transaction that failed: its error, not transient.
    let err = mock("instruction_error")
        .send_and_confirm(&tx)
        .await
        .unwrap_err();
    match &err {
        ChainError::Transaction { err: e, .. } => assert_eq!(
            *e,
            TransactionError::InstructionError(0, InstructionError::UninitializedAccount)
        ),
        other => panic!("{other:?}"),
    }
    assert!(!err.is_transient());
    let err = mock("account_in_use")
        .send_and_confirm(&tx)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ChainError::Transaction {
                err: TransactionError::AccountInUse,
                ..
            }
        ),
        "{err:?}"
    );

    // A node answering with another signature: a transport error (the send is retried).
    let err = mock("malicious").send_and_confirm(&tx).await.unwrap_err();
    assert!(matches!(err, ChainError::Transport(_)), "{err:?}");
    assert!(err.is_transient());

    // Garbage answers are transport errors, never silently "absent" or a default.
    let fails = mock("fails");
    assert!(matches!(
        fails.latest_blockhash().await,
        Err(ChainError::Transport(_))
    ));
    assert!(matches!(
        fails.get_account(&Pubkey::new_unique()).await,
        Err(ChainError::Transport(_))
    ));

    // Never confirmed and the blockhash expired: a transport error, retried by `send`.
    let mut mocks = solana_rpc_client::mock_sender::Mocks::default();
    mocks.insert(
        RpcRequest::IsBlockhashValid,
        json!({ "context": { "slot": 1 }, "value": false }),
    );
    let expired = RpcChain::from_client(RpcClient::new_mock_with_mocks(
        "sig_not_found".to_string(),
        mocks,
    ));
    let err = expired.send_and_confirm(&tx).await.unwrap_err();
    assert!(matches!(err, ChainError::Transport(_)), "{err:?}");
    assert!(err.is_transient());
}
