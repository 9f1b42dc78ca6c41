//! The JSON-RPC transport, for real clusters (solana-test-validator, devnet, mainnet).

use crate::{chain::Chain, error::ChainError};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::Error as ClientError;
use solana_sdk::{
    account::Account, hash::Hash, pubkey::Pubkey, signature::Signature, transaction::Transaction,
};
use std::sync::Arc;

/// Most accounts per `getMultipleAccounts` request.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;

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
            logs: vec![],
            program: None,
        },
        None => ChainError::Transport(e.to_string()),
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

    async fn send_and_confirm(&self, tx: &Transaction) -> Result<Signature, ChainError> {
        self.client
            .send_and_confirm_transaction(tx)
            .await
            .map_err(map_err)
    }
}
