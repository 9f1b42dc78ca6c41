//! The chain-access abstraction. Workers are written once against [`Chain`].

use crate::error::ChainError;
use solana_sdk::{
    account::Account, hash::Hash, pubkey::Pubkey, signature::Signature, sysvar,
    transaction::Transaction,
};
use std::future::Future;

/// What a client needs from a cluster. Implemented by [`crate::rpc::RpcChain`] and
/// [`crate::embedded::EmbeddedChain`].
pub trait Chain: Send + Sync {
    /// One account, `None` if it does not exist.
    fn get_account(
        &self,
        key: &Pubkey,
    ) -> impl Future<Output = Result<Option<Account>, ChainError>> + Send;

    /// Several accounts in one round trip where the transport allows it.
    fn get_multiple_accounts(
        &self,
        keys: &[Pubkey],
    ) -> impl Future<Output = Result<Vec<Option<Account>>, ChainError>> + Send;

    /// A recent blockhash to sign with.
    fn latest_blockhash(&self) -> impl Future<Output = Result<Hash, ChainError>> + Send;

    /// Send a signed transaction and wait until it is confirmed or has failed.
    fn send_and_confirm(
        &self,
        tx: &Transaction,
    ) -> impl Future<Output = Result<Signature, ChainError>> + Send;

    /// The cluster's clock (`Clock::unix_timestamp`), in seconds.
    fn unix_timestamp(&self) -> impl Future<Output = Result<i64, ChainError>> + Send {
        async move {
            let clock = self
                .get_account(&sysvar::clock::ID)
                .await?
                .ok_or_else(|| ChainError::NotFound("clock sysvar".into()))?;
            clock_unix_timestamp(&clock.data)
        }
    }
}

/// `Clock::unix_timestamp` from the clock sysvar's data (slot, epoch_start_timestamp, epoch,
/// leader_schedule_epoch, unix_timestamp; all 8 bytes little-endian).
pub fn clock_unix_timestamp(data: &[u8]) -> Result<i64, ChainError> {
    let bytes: [u8; 8] = data
        .get(32..40)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ChainError::Decode("clock sysvar too short".into()))?;
    Ok(i64::from_le_bytes(bytes))
}
