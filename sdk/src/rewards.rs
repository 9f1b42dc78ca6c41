//! Rewards: PDAs, instruction builders for the rewards program (and the DAO's
//! `approve_rewards_delegate`), claim-record reads, and packing of bulk claims into the fewest
//! legacy transactions.

use crate::{chain::Chain, error::ChainError};
use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_rewards::{
    accounts as acc, constants::*, instruction as data, ClaimRecord, DeviceKind,
    InitializeRewardsArgs, RewardsConfig, RewardsError,
};
use solana_sdk::{instruction::Instruction, message::Message, pubkey::Pubkey};

/// Largest serialized legacy transaction, in bytes (`PACKET_DATA_SIZE`: an IPv6 MTU of 1280
/// minus the 40-byte IPv6 and 8-byte UDP headers).
pub const MAX_TRANSACTION_BYTES: usize = 1_232;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &lattice_rewards::ID).0
}

/// A sub-DAO's rewards configuration (also the delegate of its rewards escrow).
pub fn rewards_config(sub_dao: &Pubkey) -> Pubkey {
    pda(&[REWARDS_CONFIG_SEED, sub_dao.as_ref()])
}

/// The oracles' record of one epoch.
pub fn epoch_root(config: &Pubkey, epoch: u64) -> Pubkey {
    pda(&[EPOCH_ROOT_SEED, config.as_ref(), &epoch.to_le_bytes()])
}

/// A device's claim record.
pub fn claim_record(config: &Pubkey, device: &Pubkey) -> Pubkey {
    pda(&[CLAIMED_SEED, config.as_ref(), device.as_ref()])
}

/// The registry account of `device` for a device kind (hotspot or GPU node PDA).
pub fn device_account(kind: DeviceKind, device: &Pubkey) -> Pubkey {
    match kind {
        DeviceKind::Hotspot => crate::registry::hotspot(device),
        DeviceKind::GpuNode => crate::registry::gpu_node(device),
    }
}

/// What a claim needs to know about a sub-DAO's rewards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewardsKeys {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The sub-DAO token mint (rewards are paid in it).
    pub rewards_mint: Pubkey,
    /// Which registry accounts identify the sub-DAO's devices.
    pub device_kind: DeviceKind,
}

impl RewardsKeys {
    /// The keys of a loaded configuration.
    pub fn from_config(config: &RewardsConfig) -> Self {
        Self {
            sub_dao: config.sub_dao,
            rewards_mint: config.rewards_mint,
            device_kind: config.device_kind,
        }
    }

    /// The configuration PDA.
    pub fn config(&self) -> Pubkey {
        rewards_config(&self.sub_dao)
    }

    /// The rewards-mint associated token account of `owner` (where claims pay by default).
    pub fn destination(&self, owner: &Pubkey) -> Pubkey {
        crate::pda::associated_token(owner, &self.rewards_mint)
    }
}

fn ix(accounts: Vec<solana_sdk::instruction::AccountMeta>, data: Vec<u8>) -> Instruction {
    Instruction {
        program_id: lattice_rewards::ID,
        accounts,
        data,
    }
}

/// `initialize_rewards`: the DAO `authority` signs.
pub fn initialize_rewards(
    payer: &Pubkey,
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    args: InitializeRewardsArgs,
) -> Instruction {
    ix(
        acc::InitializeRewards {
            payer: *payer,
            authority: *authority,
            dao: *dao,
            sub_dao: *sub_dao,
            config: rewards_config(sub_dao),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::InitializeRewards { args }.data(),
    )
}

/// `set_oracles`: the DAO `authority` signs.
pub fn set_oracles(
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    oracles: Vec<Pubkey>,
    threshold: u8,
) -> Instruction {
    ix(
        acc::SetOracles {
            authority: *authority,
            dao: *dao,
            config: rewards_config(sub_dao),
        }
        .to_account_metas(None),
        data::SetOracles { oracles, threshold }.data(),
    )
}

/// `set_claim_breaker`: the DAO `authority` changes the claim breaker's limits.
pub fn set_claim_breaker(
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    params: lattice_dao::BreakerParams,
) -> Instruction {
    ix(
        acc::SetClaimBreaker {
            authority: *authority,
            dao: *dao,
            config: rewards_config(sub_dao),
        }
        .to_account_metas(None),
        data::SetClaimBreaker { params }.data(),
    )
}

/// `post_root`: the `oracle` signs and pays the epoch record's rent on the epoch's first post.
pub fn post_root(
    oracle: &Pubkey,
    sub_dao: &Pubkey,
    epoch: u64,
    root: [u8; 32],
    total: u64,
) -> Instruction {
    let config = rewards_config(sub_dao);
    ix(
        acc::PostRoot {
            oracle: *oracle,
            config,
            sub_dao: *sub_dao,
            epoch_root: epoch_root(&config, epoch),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::PostRoot { epoch, root, total }.data(),
    )
}

/// `claim`, paying `destination` (which must be a rewards-mint account of the device's owner).
pub fn claim_to(
    payer: &Pubkey,
    keys: &RewardsKeys,
    device: &Pubkey,
    destination: &Pubkey,
    cumulative_amount: u64,
    proof: Vec<[u8; 32]>,
) -> Instruction {
    let config = keys.config();
    ix(
        acc::Claim {
            payer: *payer,
            config,
            device_account: device_account(keys.device_kind, device),
            claim_record: claim_record(&config, device),
            rewards_escrow: crate::pda::rewards_escrow(&keys.sub_dao),
            destination: *destination,
            token_program: anchor_spl::token::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::Claim {
            device: *device,
            cumulative_amount,
            proof,
        }
        .data(),
    )
}

/// `claim`, paying the owner's rewards-mint associated token account (create it first with
/// [`crate::token::create_associated_token_account`]).
pub fn claim(
    payer: &Pubkey,
    keys: &RewardsKeys,
    device: &Pubkey,
    owner: &Pubkey,
    cumulative_amount: u64,
    proof: Vec<[u8; 32]>,
) -> Instruction {
    claim_to(
        payer,
        keys,
        device,
        &keys.destination(owner),
        cumulative_amount,
        proof,
    )
}

/// `close_epoch_root`: permissionless; the rent returns to `rent_payer`, the record's creator.
pub fn close_epoch_root(sub_dao: &Pubkey, epoch: u64, rent_payer: &Pubkey) -> Instruction {
    let config = rewards_config(sub_dao);
    ix(
        acc::CloseEpochRoot {
            config,
            epoch_root: epoch_root(&config, epoch),
            rent_payer: *rent_payer,
        }
        .to_account_metas(None),
        data::CloseEpochRoot {}.data(),
    )
}

/// The DAO program's `approve_rewards_delegate`: the DAO `authority` signs.
pub fn approve_rewards_delegate(authority: &Pubkey, dao: &Pubkey, sub_dao: &Pubkey) -> Instruction {
    Instruction {
        program_id: lattice_dao::ID,
        accounts: lattice_dao::accounts::ApproveRewardsDelegate {
            authority: *authority,
            dao: *dao,
            sub_dao: *sub_dao,
            rewards_escrow: crate::pda::rewards_escrow(sub_dao),
            rewards_config: rewards_config(sub_dao),
            token_program: anchor_spl::token::ID,
        }
        .to_account_metas(None),
        data: lattice_dao::instruction::ApproveRewardsDelegate {}.data(),
    }
}

/// Base units `device` has been paid by claims so far (0 before its first claim).
pub async fn claimed<C: Chain>(
    chain: &C,
    sub_dao: &Pubkey,
    device: &Pubkey,
) -> Result<u64, ChainError> {
    let key = claim_record(&rewards_config(sub_dao), device);
    Ok(crate::accounts::fetch::<ClaimRecord, C>(chain, &key)
        .await?
        .map_or(0, |r| r.claimed))
}

/// The rewards program's error of custom `code`, if it is one.
pub fn rewards_error(code: u32) -> Option<RewardsError> {
    use RewardsError as E;
    [
        E::Unauthorized,
        E::InvalidOracleSet,
        E::InvalidBreaker,
        E::AlreadyInitialized,
        E::NotAnOracle,
        E::AlreadyPosted,
        E::StaleEpoch,
        E::FutureEpoch,
        E::RootExceedsEscrow,
        E::TotalNotMonotone,
        E::NoFinalRoot,
        E::InvalidProof,
        E::ClaimBelowClaimed,
        E::NothingToClaim,
        E::ClaimBreakerTripped,
        E::WrongDestination,
        E::WrongDeviceAccount,
        E::ClaimExceedsRootTotal,
        E::EscrowNotDelegated,
        E::EpochNotSettled,
        E::MathOverflow,
        E::InvariantViolated,
    ]
    .into_iter()
    .find(|e| u32::from(*e) == code)
}

/// Serialized size of a legacy transaction of `ixs` with fee payer `payer`: the signatures
/// (compact length + 64 bytes each) and the message.
pub fn legacy_transaction_size(payer: &Pubkey, ixs: &[Instruction]) -> usize {
    let message = Message::new(ixs, Some(payer));
    let signatures = usize::from(message.header.num_required_signatures);
    let compact_len = if signatures < 0x80 { 1 } else { 2 };
    compact_len + signatures.saturating_mul(64) + message.serialize().len()
}

/// A claim instruction that does not fit a legacy transaction even alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("claim {index} needs {bytes} bytes alone, over the {MAX_TRANSACTION_BYTES}-byte limit")]
pub struct ClaimTooLarge {
    /// Position of the claim in the input.
    pub index: usize,
    /// Size of a transaction holding only `prefix` and this claim.
    pub bytes: usize,
}

/// Pack `claims` greedily, in order, into as few legacy transactions as fit in
/// [`MAX_TRANSACTION_BYTES`], each measured with `prefix` (e.g. the compute-budget instructions
/// [`crate::send::send`] prepends, see [`crate::send::SendOptions::budget_instructions`]) in
/// front and `payer` as the only signer. Returns the claims of each transaction (without the
/// prefix).
///
/// Claims sharing accounts (one owner's destination, the configuration, the escrow) pack tighter
/// because each account key is listed once per transaction. The proof dominates a claim's size
/// (32 bytes per tree level), so at 2²⁰ devices a transaction carries one claim; see the
/// `claims_per_transaction` test for the figures.
pub fn pack_claims(
    payer: &Pubkey,
    prefix: &[Instruction],
    claims: Vec<Instruction>,
) -> Result<Vec<Vec<Instruction>>, ClaimTooLarge> {
    let size = |batch: &[Instruction]| {
        let mut all = prefix.to_vec();
        all.extend_from_slice(batch);
        legacy_transaction_size(payer, &all)
    };
    let mut out: Vec<Vec<Instruction>> = Vec::new();
    let mut current: Vec<Instruction> = Vec::new();
    for (index, claim) in claims.into_iter().enumerate() {
        current.push(claim);
        if size(&current) <= MAX_TRANSACTION_BYTES {
            continue;
        }
        let claim = current.pop().unwrap_or_else(|| unreachable!("just pushed"));
        let alone = size(std::slice::from_ref(&claim));
        if alone > MAX_TRANSACTION_BYTES {
            return Err(ClaimTooLarge {
                index,
                bytes: alone,
            });
        }
        out.push(std::mem::take(&mut current));
        current.push(claim);
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::send::SendOptions;

    fn claims(n: usize, depth: usize, owners: usize) -> (Pubkey, Vec<Instruction>) {
        let payer = Pubkey::new_unique();
        let keys = RewardsKeys {
            sub_dao: Pubkey::new_unique(),
            rewards_mint: Pubkey::new_unique(),
            device_kind: DeviceKind::Hotspot,
        };
        let owners: Vec<Pubkey> = (0..owners).map(|_| Pubkey::new_unique()).collect();
        let ixs = (0..n)
            .map(|i| {
                claim(
                    &payer,
                    &keys,
                    &Pubkey::new_unique(),
                    &owners[i % owners.len()],
                    1_000_000,
                    vec![[7u8; 32]; depth],
                )
            })
            .collect();
        (payer, ixs)
    }

    /// Claims per transaction (all full transactions but the last), for `n` claims.
    fn per_tx(depth: usize, owners: usize, prefix: &[Instruction]) -> usize {
        let (payer, ixs) = claims(60, depth, owners);
        let packed = pack_claims(&payer, prefix, ixs).unwrap();
        assert_eq!(packed.iter().map(Vec::len).sum::<usize>(), 60);
        for batch in &packed {
            let mut all = prefix.to_vec();
            all.extend_from_slice(batch);
            assert!(legacy_transaction_size(&payer, &all) <= MAX_TRANSACTION_BYTES);
        }
        // Greedy: the next claim would not have fit into any full transaction.
        for pair in packed.windows(2) {
            let mut all = prefix.to_vec();
            all.extend_from_slice(&pair[0]);
            all.push(pair[1][0].clone());
            assert!(legacy_transaction_size(&payer, &all) > MAX_TRANSACTION_BYTES);
        }
        packed[0].len()
    }

    #[test]
    fn measures_legacy_transactions_exactly() {
        let (payer, ixs) = claims(1, 10, 1);
        let message = Message::new(&ixs, Some(&payer));
        let tx = solana_sdk::transaction::Transaction::new_unsigned(message);
        // A signed transaction is the message plus one 64-byte signature and its length byte.
        assert_eq!(
            legacy_transaction_size(&payer, &ixs),
            1 + 64 + tx.message.serialize().len()
        );
        assert_eq!(tx.signatures.len(), 1);
    }

    #[test]
    fn claims_per_transaction() {
        let budget = SendOptions::default().budget_instructions();
        let mut report = Vec::new();
        for depth in [10usize, 20] {
            for (owners, label) in [(1usize, "one owner"), (60, "distinct owners")] {
                let bare = per_tx(depth, owners, &[]);
                let with_budget = per_tx(depth, owners, &budget);
                report.push((depth, label, bare, with_budget));
                println!(
                    "proof depth {depth} ({label}): {bare} claims/tx, {with_budget} with a compute-unit limit instruction"
                );
            }
        }
        // The proof dominates: 2^10 devices fit two claims of one owner, 2^20 devices one.
        assert_eq!(
            report,
            vec![
                (10, "one owner", 2, 1),
                (10, "distinct owners", 1, 1),
                (20, "one owner", 1, 1),
                (20, "distinct owners", 1, 1),
            ]
        );
    }

    #[test]
    fn refuses_a_claim_too_large_for_any_transaction() {
        let (payer, ixs) = claims(2, 32, 1);
        let err = pack_claims(&payer, &[], ixs).unwrap_err();
        assert_eq!(err.index, 0);
        assert!(err.bytes > MAX_TRANSACTION_BYTES);
    }

    #[test]
    fn error_codes_map_back() {
        let name = |code| rewards_error(code).map(|e| format!("{e:?}"));
        assert_eq!(
            name(u32::from(RewardsError::NothingToClaim)).as_deref(),
            Some("NothingToClaim")
        );
        assert_eq!(name(6_000).as_deref(), Some("Unauthorized"));
        assert_eq!(
            name(u32::from(RewardsError::InvariantViolated)).as_deref(),
            Some("InvariantViolated")
        );
        assert_eq!(name(5_999), None);
    }
}
