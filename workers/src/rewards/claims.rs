//! Claiming: status of a device, bulk claims for an owner's devices (packed into the fewest
//! transactions), and the node worker's auto-claim loop. Proofs come from an oracle's
//! `GET /v1/proof/{device}`; the chain decides (a claim verifies against the final root only,
//! and pays `cumulative − already claimed` once).

use crate::node::client::OracleClient;
use anyhow::{Context as _, Result};
use lattice_sdk::{
    rewards::RewardsKeys,
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer as _},
    Chain,
};
use serde::Serialize;
use std::{future::Future, time::Duration};

/// Where proofs come from: an oracle over HTTP, or a tree held locally (anyone holding the
/// archived tree can claim without an oracle online).
pub trait ProofSource: Sync {
    /// The device's cumulative amount, tree epoch and proof.
    fn proof_of(
        &self,
        device: &Pubkey,
    ) -> impl Future<Output = Result<(u64, u64, Vec<[u8; 32]>)>> + Send;
}

impl ProofSource for OracleClient {
    async fn proof_of(&self, device: &Pubkey) -> Result<(u64, u64, Vec<[u8; 32]>)> {
        let p = self.proof(&device.to_string()).await?;
        let proof = p
            .proof
            .iter()
            .map(|x| {
                hex::decode(x)
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                    .context("proof node is not 32 bytes of hex")
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((p.epoch, p.cumulative, proof))
    }
}

impl ProofSource for super::RewardTree {
    async fn proof_of(&self, device: &Pubkey) -> Result<(u64, u64, Vec<[u8; 32]>)> {
        let (cumulative, proof) = self
            .proof(&device.to_bytes())
            .with_context(|| format!("{device} is not in the tree"))?;
        Ok((self.epoch, cumulative, proof))
    }
}

/// What a device can claim.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClaimStatus {
    /// The device.
    pub device: String,
    /// The final epoch on chain (0 before the first).
    pub final_epoch: u64,
    /// The oracle's tree epoch for the device (its proof is claimable only when equal).
    pub oracle_epoch: Option<u64>,
    /// Cumulative earned in the oracle's tree.
    pub cumulative: u64,
    /// Already claimed on chain.
    pub claimed: u64,
    /// Claimable now (`cumulative − claimed` when the epochs match, else 0).
    pub claimable: u64,
}

/// One device's claim status.
pub async fn status<C: Chain, P: ProofSource>(
    chain: &C,
    keys: &RewardsKeys,
    oracle: &P,
    device: &Pubkey,
) -> Result<ClaimStatus> {
    let config: lattice_rewards::RewardsConfig =
        lattice_sdk::accounts::fetch(chain, &keys.config())
            .await?
            .context("rewards are not initialized for this sub-DAO")?;
    let claimed = lattice_sdk::rewards::claimed(chain, &keys.sub_dao, device).await?;
    let proof = oracle.proof_of(device).await.ok();
    let (oracle_epoch, cumulative) = proof.as_ref().map_or((None, 0), |p| (Some(p.0), p.1));
    let claimable = if config.final_total > 0 && oracle_epoch == Some(config.final_epoch) {
        cumulative.saturating_sub(claimed)
    } else {
        0
    };
    Ok(ClaimStatus {
        device: device.to_string(),
        final_epoch: config.final_epoch,
        oracle_epoch,
        cumulative,
        claimed,
        claimable,
    })
}

/// What a bulk claim did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ClaimSummary {
    /// Claims sent.
    pub claims: u64,
    /// Transactions.
    pub transactions: u64,
    /// Their serialized bytes.
    pub bytes: u64,
    /// Base units paid.
    pub paid: u64,
}

/// Claim for every device of `owner` with at least `min` claimable, paying into `owner`'s
/// rewards-mint associated account (created when missing), in the fewest transactions
/// ([`lattice_sdk::rewards::pack_claims`]). `payer` signs and pays fees.
#[allow(clippy::too_many_arguments)]
pub async fn claim_all<C: Chain, P: ProofSource>(
    chain: &C,
    opts: &SendOptions,
    payer: &Keypair,
    owner: &Pubkey,
    keys: &RewardsKeys,
    oracle: &P,
    devices: &[Pubkey],
    min: u64,
) -> Result<ClaimSummary> {
    let mut summary = ClaimSummary::default();
    let destination = keys.destination(owner);
    if chain.get_account(&destination).await?.is_none() {
        let ix = lattice_sdk::token::create_associated_token_account(
            &payer.pubkey(),
            owner,
            &keys.rewards_mint,
        );
        send(chain, opts, &[ix], payer, &[])
            .await
            .context("creating the owner's rewards-token account")?;
    }
    let mut ixs = Vec::new();
    for device in devices {
        let s = status(chain, keys, oracle, device).await?;
        if s.claimable == 0 || s.claimable < min {
            continue;
        }
        let (_, cumulative, proof) = oracle.proof_of(device).await?;
        summary.paid = summary.paid.saturating_add(s.claimable);
        ixs.push(lattice_sdk::rewards::claim(
            &payer.pubkey(),
            keys,
            device,
            owner,
            cumulative,
            proof,
        ));
    }
    summary.claims = ixs.len() as u64;
    let prefix = opts.budget_instructions();
    for batch in lattice_sdk::rewards::pack_claims(&payer.pubkey(), &prefix, ixs)? {
        let mut all = prefix.clone();
        all.extend_from_slice(&batch);
        summary.bytes +=
            lattice_sdk::rewards::legacy_transaction_size(&payer.pubkey(), &all) as u64;
        summary.transactions += 1;
        send(chain, opts, &batch, payer, &[])
            .await
            .context("claim transaction")?;
    }
    Ok(summary)
}

/// The node worker's auto-claim: every `interval`, claim for `devices` when at least `min` is
/// claimable. Stops when cancelled. Safe to kill at any point: a claim either landed (and the
/// chain records it) or did not (and the next round sends it again).
#[allow(clippy::too_many_arguments)]
pub async fn auto_claim_loop<C: Chain, P: ProofSource>(
    chain: C,
    opts: SendOptions,
    payer: Keypair,
    owner: Pubkey,
    keys: RewardsKeys,
    oracle: P,
    devices: Vec<Pubkey>,
    min: u64,
    interval: Duration,
    stop: tokio_util::sync::CancellationToken,
) -> Result<()> {
    loop {
        match claim_all(&chain, &opts, &payer, &owner, &keys, &oracle, &devices, min).await {
            Ok(s) if s.claims > 0 => {
                tracing::info!(claims = s.claims, paid = s.paid, "auto-claimed")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "auto-claim failed; will retry"),
        }
        tokio::select! {
            () = stop.cancelled() => return Ok(()),
            () = tokio::time::sleep(interval) => {}
        }
    }
}
