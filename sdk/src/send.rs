//! Transaction sending with compute budget, priority fee and capped retry backoff.

use crate::{chain::Chain, error::ChainError};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_sdk::{
    instruction::Instruction,
    signature::{Keypair, Signature, Signer},
    transaction::Transaction,
};
use std::time::Duration;

/// How transactions are sent.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Compute-unit limit requested per transaction (0 = leave the default).
    pub compute_unit_limit: u32,
    /// Priority fee, in micro-lamports per compute unit (0 = none).
    pub priority_micro_lamports: u64,
    /// Attempts for transient failures (at least 1).
    pub max_attempts: u32,
    /// First retry delay; doubles each attempt.
    pub backoff_base: Duration,
    /// Largest retry delay.
    pub backoff_cap: Duration,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            compute_unit_limit: 400_000,
            priority_micro_lamports: 0,
            max_attempts: 5,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(10),
        }
    }
}

impl SendOptions {
    /// Delay before retry number `attempt` (1-based): `base × 2^(attempt−1)`, capped.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.backoff_base
            .saturating_mul(factor)
            .min(self.backoff_cap)
    }

    /// The compute-budget instructions to prepend.
    pub fn budget_instructions(&self) -> Vec<Instruction> {
        let mut ixs = Vec::with_capacity(2);
        if self.compute_unit_limit > 0 {
            ixs.push(ComputeBudgetInstruction::set_compute_unit_limit(
                self.compute_unit_limit,
            ));
        }
        if self.priority_micro_lamports > 0 {
            ixs.push(ComputeBudgetInstruction::set_compute_unit_price(
                self.priority_micro_lamports,
            ));
        }
        ixs
    }
}

/// Sign `ixs` with `payer` (fee payer) and `signers`, send, and wait for confirmation.
///
/// Program failures are returned at once (they are deterministic); transient failures are
/// retried with a fresh blockhash and capped exponential backoff.
pub async fn send<C: Chain>(
    chain: &C,
    opts: &SendOptions,
    ixs: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Result<Signature, ChainError> {
    let mut all = opts.budget_instructions();
    all.extend_from_slice(ixs);
    let mut keys: Vec<&Keypair> = vec![payer];
    keys.extend(
        signers
            .iter()
            .copied()
            .filter(|k| k.pubkey() != payer.pubkey()),
    );
    let attempts = opts.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        let result = async {
            let blockhash = chain.latest_blockhash().await?;
            let tx =
                Transaction::new_signed_with_payer(&all, Some(&payer.pubkey()), &keys, blockhash);
            chain.send_and_confirm(&tx).await
        }
        .await
        .map_err(|e| e.with_program(&all));
        match result {
            Err(e) if e.is_transient() && attempt < attempts => {
                tracing::warn!(attempt, error = %e, "transient send failure; retrying");
                tokio::time::sleep(opts.backoff(attempt)).await;
                attempt = attempt.saturating_add(1);
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let o = SendOptions {
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(500),
            ..Default::default()
        };
        assert_eq!(o.backoff(1), Duration::from_millis(100));
        assert_eq!(o.backoff(2), Duration::from_millis(200));
        assert_eq!(o.backoff(3), Duration::from_millis(400));
        assert_eq!(o.backoff(4), Duration::from_millis(500));
        assert_eq!(o.backoff(60), Duration::from_millis(500));
        assert_eq!(o.budget_instructions().len(), 1);
    }
}
