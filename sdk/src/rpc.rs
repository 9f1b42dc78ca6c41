//! The JSON-RPC transport, for real clusters (solana-test-validator, devnet, mainnet).

use crate::{chain::Chain, error::ChainError};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::{
    client_error::{Error as ClientError, ErrorKind as ClientErrorKind},
    request::{RpcError, RpcResponseErrorData},
};
use solana_sdk::{
    account::Account, hash::Hash, pubkey::Pubkey, signature::Signature, transaction::Transaction,
};
use std::{sync::Arc, time::Duration};

/// Most accounts per `getMultipleAccounts` request.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;

/// Interval between signature-status polls while confirming.
const CONFIRM_POLL: Duration = Duration::from_millis(500);

/// Longest a sent transaction's fate may stay unknown (node unreachable) before confirming gives
/// up with a transport error; a blockhash expires after about a minute.
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(120);

/// A cluster reached over JSON-RPC.
#[derive(Clone)]
pub struct RpcChain {
    client: Arc<RpcClient>,
}

impl RpcChain {
    /// Connect to `url` with `confirmed` commitment.
    pub fn new(url: impl Into<String>) -> Self {
        Self::from_client(RpcClient::new_with_commitment(
            url.into(),
            CommitmentConfig::confirmed(),
        ))
    }

    /// Wrap an existing client (for example a mock sender in tests).
    pub fn from_client(client: RpcClient) -> Self {
        Self {
            client: Arc::new(client),
        }
    }

    /// The underlying client.
    pub fn client(&self) -> &RpcClient {
        &self.client
    }
}

fn map_err(e: ClientError) -> ChainError {
    match e.get_transaction_error() {
        Some(err) => ChainError::Transaction {
            err,
            logs: preflight_logs(&e),
            program: None,
        },
        None => ChainError::Transport(e.to_string()),
    }
}

/// The program logs of a failed preflight simulation (none for a transaction that failed after
/// landing: its status carries no logs).
fn preflight_logs(e: &ClientError) -> Vec<String> {
    match e.kind() {
        ClientErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
            ..
        }) => sim.logs.clone().unwrap_or_default(),
        _ => vec![],
    }
}

impl Chain for RpcChain {
    async fn get_account(&self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        self.client
            .get_account_with_commitment(key, self.client.commitment())
            .await
            .map(|r| r.value)
            .map_err(map_err)
    }

    async fn get_multiple_accounts(
        &self,
        keys: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, ChainError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_MULTIPLE_ACCOUNTS) {
            out.extend(
                self.client
                    .get_multiple_accounts(chunk)
                    .await
                    .map_err(map_err)?,
            );
        }
        Ok(out)
    }

    async fn latest_blockhash(&self) -> Result<Hash, ChainError> {
        self.client.get_latest_blockhash().await.map_err(map_err)
    }

    /// Unlike `RpcClient::send_and_confirm_transaction`, a transport error after the node may
    /// have the transaction (its `sendTransaction` answer lost, a status poll failing) does not
    /// end the call: [`crate::send::send`] retries transport errors with a fresh blockhash, which
    /// would execute a transaction that did land a second time. The status is polled until it is
    /// known or the blockhash has expired (the transaction can no longer land).
    async fn send_and_confirm(&self, tx: &Transaction) -> Result<Signature, ChainError> {
        let signature = tx.signatures.first().copied().unwrap_or_default();
        if let Err(e) = self.client.send_transaction(tx).await {
            // Rejected by the node (preflight failure, node error): it will not land. Lost on
            // the way: it may have reached the node; find out below.
            if !matches!(
                e.kind(),
                ClientErrorKind::Io(_)
                    | ClientErrorKind::Reqwest(_)
                    | ClientErrorKind::Middleware(_)
            ) {
                return Err(map_err(e));
            }
        }
        let deadline = tokio::time::Instant::now() + CONFIRM_TIMEOUT;
        loop {
            let mut unknown = None;
            match self.client.get_signature_status(&signature).await {
                Ok(Some(Ok(()))) => return Ok(signature),
                Ok(Some(Err(err))) => {
                    return Err(ChainError::Transaction {
                        err,
                        logs: vec![],
                        program: None,
                    })
                }
                Ok(None) => match self
                    .client
                    .is_blockhash_valid(&tx.message.recent_blockhash, CommitmentConfig::processed())
                    .await
                {
                    Ok(true) => {}
                    // Expired; unless it landed in the meantime, it never will.
                    Ok(false) => match self
                        .client
                        .get_signature_status_with_commitment(
                            &signature,
                            CommitmentConfig::processed(),
                        )
                        .await
                    {
                        Ok(None) => {
                            return Err(ChainError::Transport(format!(
                                "transaction {signature} expired unconfirmed (blockhash no \
                                 longer valid)"
                            )))
                        }
                        Ok(Some(_)) => {}
                        Err(e) => unknown = Some(e),
                    },
                    Err(e) => unknown = Some(e),
                },
                Err(e) => unknown = Some(e),
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ChainError::Transport(format!(
                    "could not confirm transaction {signature}{}",
                    unknown.map(|e| format!(": {e}")).unwrap_or_default()
                )));
            }
            tokio::time::sleep(CONFIRM_POLL).await;
        }
    }
}
