//! Governance (the governance program): PDAs, typed builders for every instruction, the
//! `VeHour` records each delegation change or claim needs, account reads and error names.
//!
//! A staker's path: [`lock`] → [`delegate`] (from the next hour) → the cranker's
//! [`checkpoint_ve`] each hour → [`claim_rewards`]. A voter's: [`propose`] → [`start_voting`] →
//! [`vote`] → [`finalize_proposal`] → after the timelock, [`execute_change`] for each change.

use crate::{accounts::fetch, chain::Chain, error::ChainError};
use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_governance::{
    accounts as acc, constants::*, instruction as data, GovernanceError, GovernanceParams, Lock,
    LockKind, ParamChange, Position, Proposal, SubDaoVe, VeConfig, VoteChoice,
};
use lattice_math::governance::{pieces, HourLock, VeParams};
use solana_sdk::{
    instruction::{AccountMeta, Instruction},
    pubkey::Pubkey,
};

pub use lattice_governance::{change_accounts, AuthorityTarget, Governance, ProposalState};

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &lattice_governance::ID).0
}

/// The governance of a DAO (and, after the handoff, every program's authority).
pub fn governance(dao: &Pubkey) -> Pubkey {
    pda(&[GOVERNANCE_SEED, dao.as_ref()])
}

/// Position `id` of `owner`.
pub fn position(governance: &Pubkey, owner: &Pubkey, id: u64) -> Pubkey {
    pda(&[
        POSITION_SEED,
        governance.as_ref(),
        owner.as_ref(),
        &id.to_le_bytes(),
    ])
}

/// A position's token vault.
pub fn position_vault(position: &Pubkey) -> Pubkey {
    pda(&[POSITION_VAULT_SEED, position.as_ref()])
}

/// A sub-DAO's delegated-power aggregate.
pub fn sub_dao_ve(sub_dao: &Pubkey) -> Pubkey {
    pda(&[SUB_DAO_VE_SEED, sub_dao.as_ref()])
}

/// A sub-DAO's `VeHour` record of `hour`.
pub fn ve_hour(sub_dao: &Pubkey, hour: u64) -> Pubkey {
    pda(&[VE_HOUR_SEED, sub_dao.as_ref(), &hour.to_le_bytes()])
}

/// Proposal `id`.
pub fn proposal(governance: &Pubkey, id: u64) -> Pubkey {
    pda(&[PROPOSAL_SEED, governance.as_ref(), &id.to_le_bytes()])
}

/// A position's vote record on a proposal.
pub fn vote_record(proposal: &Pubkey, position: &Pubkey) -> Pubkey {
    pda(&[VOTE_SEED, proposal.as_ref(), position.as_ref()])
}

fn ix(accounts: Vec<AccountMeta>, data: Vec<u8>) -> Instruction {
    Instruction {
        program_id: lattice_governance::ID,
        accounts,
        data,
    }
}

/// The hours whose `VeHour` a delegation change of `amount` under `lock` from `from` touches:
/// `from` and the curve's later piece boundaries.
pub fn schedule_hours(ve: &VeConfig, amount: u64, lock: Lock, from: u64) -> Vec<u64> {
    pieces(&VeParams::from(*ve), amount, HourLock::from(lock), from)
        .into_iter()
        .map(|(h, _)| h)
        .collect()
}

fn ve_hour_metas(sub_dao: &Pubkey, hours: &[u64], writable: bool) -> Vec<AccountMeta> {
    let mut hours = hours.to_vec();
    hours.sort_unstable();
    hours.dedup();
    hours
        .into_iter()
        .map(|h| {
            if writable {
                AccountMeta::new(ve_hour(sub_dao, h), false)
            } else {
                AccountMeta::new_readonly(ve_hour(sub_dao, h), false)
            }
        })
        .collect()
}

/// `initialize_governance`: the DAO `authority` signs and pays.
pub fn initialize_governance(
    authority: &Pubkey,
    dao: &Pubkey,
    ve: VeConfig,
    params: GovernanceParams,
) -> Instruction {
    ix(
        acc::InitializeGovernance {
            authority: *authority,
            dao: *dao,
            governance: governance(dao),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::InitializeGovernance { ve, params }.data(),
    )
}

/// `init_sub_dao_ve` for `sub_dao` (with its delegator pool); anyone pays.
pub fn init_sub_dao_ve(payer: &Pubkey, dao: &Pubkey, sub_dao: &Pubkey) -> Instruction {
    ix(
        acc::InitSubDaoVe {
            payer: *payer,
            governance: governance(dao),
            dao: *dao,
            sub_dao: *sub_dao,
            delegator_pool: crate::pda::delegator_pool(sub_dao),
            sub_dao_ve: sub_dao_ve(sub_dao),
            dao_program: lattice_dao::ID,
            token_program: spl_token_id(),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::InitSubDaoVe {}.data(),
    )
}

fn spl_token_id() -> Pubkey {
    anchor_spl::token::ID
}

/// `lock`: `owner` locks `amount` from `owner_tokens` into position `id`.
#[allow(clippy::too_many_arguments)]
pub fn lock(
    owner: &Pubkey,
    dao: &Pubkey,
    main_mint: &Pubkey,
    owner_tokens: &Pubkey,
    id: u64,
    amount: u64,
    kind: LockKind,
    hours: u64,
) -> Instruction {
    let g = governance(dao);
    let p = position(&g, owner, id);
    ix(
        acc::LockTokens {
            owner: *owner,
            governance: g,
            position: p,
            vault: position_vault(&p),
            owner_tokens: *owner_tokens,
            main_mint: *main_mint,
            token_program: spl_token_id(),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::Lock {
            id,
            amount,
            kind,
            hours,
        }
        .data(),
    )
}

/// `relock` of `position` (currently `old`, `amount`; delegated to `delegated_to`) to `new`
/// taken at hour `next` (the hour after the current one).
#[allow(clippy::too_many_arguments)]
pub fn relock(
    owner: &Pubkey,
    dao: &Pubkey,
    position: &Pubkey,
    ve: &VeConfig,
    amount: u64,
    old: Lock,
    new: Lock,
    delegated_to: Option<&Pubkey>,
    next: u64,
    kind: LockKind,
    hours: u64,
) -> Instruction {
    let mut accounts = acc::Relock {
        owner: *owner,
        governance: governance(dao),
        position: *position,
        sub_dao_ve: delegated_to.map(sub_dao_ve),
        system_program: anchor_lang::system_program::ID,
    }
    .to_account_metas(None);
    if let Some(sub_dao) = delegated_to {
        let mut hours_touched = schedule_hours(ve, amount, old, next);
        hours_touched.extend(schedule_hours(ve, amount, new, next));
        accounts.extend(ve_hour_metas(sub_dao, &hours_touched, true));
    }
    ix(accounts, data::Relock { kind, hours }.data())
}

/// `withdraw` of an expired, undelegated position into `owner_tokens`.
pub fn withdraw(
    owner: &Pubkey,
    dao: &Pubkey,
    position: &Pubkey,
    owner_tokens: &Pubkey,
) -> Instruction {
    ix(
        acc::Withdraw {
            owner: *owner,
            governance: governance(dao),
            position: *position,
            vault: position_vault(position),
            owner_tokens: *owner_tokens,
            token_program: spl_token_id(),
        }
        .to_account_metas(None),
        data::Withdraw {}.data(),
    )
}

fn delegate_accounts(
    owner: &Pubkey,
    dao: &Pubkey,
    p: &Position,
    position: &Pubkey,
    sub_dao: &Pubkey,
    ve: &VeConfig,
    next: u64,
) -> Vec<AccountMeta> {
    let mut accounts = acc::Delegate {
        owner: *owner,
        governance: governance(dao),
        position: *position,
        sub_dao_ve: sub_dao_ve(sub_dao),
        system_program: anchor_lang::system_program::ID,
    }
    .to_account_metas(None);
    accounts.extend(ve_hour_metas(
        sub_dao,
        &schedule_hours(ve, p.amount, p.lock, next),
        true,
    ));
    accounts
}

/// `delegate` of `position` (state `p`) to `sub_dao`, effective at hour `next`.
pub fn delegate(
    owner: &Pubkey,
    dao: &Pubkey,
    position: &Pubkey,
    p: &Position,
    sub_dao: &Pubkey,
    ve: &VeConfig,
    next: u64,
) -> Instruction {
    ix(
        delegate_accounts(owner, dao, p, position, sub_dao, ve, next),
        data::Delegate {}.data(),
    )
}

/// `undelegate` of `position` (state `p`, delegated to `sub_dao`), effective at hour `next`.
pub fn undelegate(
    owner: &Pubkey,
    dao: &Pubkey,
    position: &Pubkey,
    p: &Position,
    sub_dao: &Pubkey,
    ve: &VeConfig,
    next: u64,
) -> Instruction {
    ix(
        delegate_accounts(owner, dao, p, position, sub_dao, ve, next),
        data::Undelegate {}.data(),
    )
}

/// `checkpoint_ve` of `sub_dao` at `hour`.
pub fn checkpoint_ve(cranker: &Pubkey, dao: &Pubkey, sub_dao: &Pubkey, hour: u64) -> Instruction {
    ix(
        acc::CheckpointVe {
            cranker: *cranker,
            governance: governance(dao),
            dao: *dao,
            sub_dao: *sub_dao,
            sub_dao_ve: sub_dao_ve(sub_dao),
            ve_hour: ve_hour(sub_dao, hour),
            previous_epoch: crate::pda::dao_epoch(dao, hour.saturating_sub(1)),
            sub_dao_epoch: crate::pda::sub_dao_epoch(sub_dao, hour),
            dao_program: lattice_dao::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::CheckpointVe { hour }.data(),
    )
}

/// The `VeHour` hours a claim of `p` from `sub_dao` up to checkpoint `b` reads.
pub fn claim_hours(ve: &VeConfig, p: &Position, sub_dao: &Pubkey, b: u64) -> Vec<u64> {
    let params = VeParams::from(*ve);
    let mut hours = Vec::new();
    let mut range = |amount: u64, lock: Lock, a: u64, end: u64, known: bool| {
        if end <= a {
            return;
        }
        if !known {
            hours.push(a);
        }
        for (h, _) in pieces(&params, amount, lock.into(), a) {
            if h > a && h < end {
                hours.push(h);
            }
        }
        if end < b {
            hours.push(end);
        }
    };
    for u in &p.unsettled {
        if u.sub_dao == *sub_dao && u.to_hour <= b {
            range(
                u.amount,
                u.lock,
                u.from_hour,
                u.to_hour,
                u.from_cursor.is_some(),
            );
        }
    }
    if let Some(d) = p.delegation {
        if d.sub_dao == *sub_dao {
            range(p.amount, p.lock, d.claim_hour, b, d.claim_cursor.is_some());
        }
    }
    hours
}

/// `claim_rewards` of `position` (state `p`) from `sub_dao` whose checkpoint is `checkpoint`.
#[allow(clippy::too_many_arguments)]
pub fn claim_rewards(
    owner: &Pubkey,
    dao: &Pubkey,
    position: &Pubkey,
    p: &Position,
    sub_dao: &Pubkey,
    ve: &VeConfig,
    checkpoint: u64,
    owner_tokens: &Pubkey,
) -> Instruction {
    let mut accounts = acc::ClaimRewards {
        owner: *owner,
        governance: governance(dao),
        position: *position,
        sub_dao_ve: sub_dao_ve(sub_dao),
        sub_dao: *sub_dao,
        delegator_pool: crate::pda::delegator_pool(sub_dao),
        owner_tokens: *owner_tokens,
        token_program: spl_token_id(),
    }
    .to_account_metas(None);
    accounts.extend(ve_hour_metas(
        sub_dao,
        &claim_hours(ve, p, sub_dao, checkpoint),
        false,
    ));
    ix(accounts, data::ClaimRewards {}.data())
}

/// `propose` as proposal `id` (the governance's current `proposal_count`), with the proposer's
/// `position`.
pub fn propose(
    proposer: &Pubkey,
    dao: &Pubkey,
    position: &Pubkey,
    id: u64,
    uri: String,
    changes: Vec<ParamChange>,
) -> Instruction {
    let g = governance(dao);
    ix(
        acc::Propose {
            proposer: *proposer,
            governance: g,
            position: *position,
            proposal: proposal(&g, id),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::Propose { uri, changes }.data(),
    )
}

fn proposer_action(proposer: &Pubkey, dao: &Pubkey, id: u64) -> Vec<AccountMeta> {
    let g = governance(dao);
    acc::ProposerAction {
        proposer: *proposer,
        governance: g,
        proposal: proposal(&g, id),
    }
    .to_account_metas(None)
}

/// `cancel_proposal` of proposal `id`.
pub fn cancel_proposal(proposer: &Pubkey, dao: &Pubkey, id: u64) -> Instruction {
    ix(
        proposer_action(proposer, dao, id),
        data::CancelProposal {}.data(),
    )
}

/// `start_voting` on proposal `id`.
pub fn start_voting(proposer: &Pubkey, dao: &Pubkey, id: u64) -> Instruction {
    ix(
        proposer_action(proposer, dao, id),
        data::StartVoting {}.data(),
    )
}

/// `vote` on proposal `id` with `position`.
pub fn vote(
    owner: &Pubkey,
    dao: &Pubkey,
    id: u64,
    position: &Pubkey,
    choice: VoteChoice,
) -> Instruction {
    let g = governance(dao);
    let p = proposal(&g, id);
    ix(
        acc::CastVote {
            owner: *owner,
            governance: g,
            proposal: p,
            position: *position,
            vote_record: vote_record(&p, position),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::Vote { choice }.data(),
    )
}

/// `finalize_proposal` of proposal `id`.
pub fn finalize_proposal(dao: &Pubkey, id: u64) -> Instruction {
    let g = governance(dao);
    ix(
        acc::FinalizeProposal {
            governance: g,
            proposal: proposal(&g, id),
        }
        .to_account_metas(None),
        data::FinalizeProposal {}.data(),
    )
}

/// `execute_change` of change `index` (`change`) of proposal `id`.
pub fn execute_change(dao: &Pubkey, id: u64, index: u8, change: &ParamChange) -> Instruction {
    let g = governance(dao);
    let mut accounts = acc::ExecuteChange {
        governance: g,
        proposal: proposal(&g, id),
    }
    .to_account_metas(None);
    let (program, targets) = change_accounts(dao, change);
    accounts.push(AccountMeta::new_readonly(program, false));
    for (key, writable) in targets {
        accounts.push(if writable {
            AccountMeta::new(key, false)
        } else {
            AccountMeta::new_readonly(key, false)
        });
    }
    ix(accounts, data::ExecuteChange { index }.data())
}

/// The governance of `dao`, if initialized.
pub async fn fetch_governance<C: Chain>(
    chain: &C,
    dao: &Pubkey,
) -> Result<Option<Governance>, ChainError> {
    fetch(chain, &governance(dao)).await
}

/// A position.
pub async fn fetch_position<C: Chain>(
    chain: &C,
    position: &Pubkey,
) -> Result<Option<Position>, ChainError> {
    fetch(chain, position).await
}

/// A sub-DAO's aggregate.
pub async fn fetch_sub_dao_ve<C: Chain>(
    chain: &C,
    sub_dao: &Pubkey,
) -> Result<Option<SubDaoVe>, ChainError> {
    fetch(chain, &sub_dao_ve(sub_dao)).await
}

/// Proposal `id`.
pub async fn fetch_proposal<C: Chain>(
    chain: &C,
    dao: &Pubkey,
    id: u64,
) -> Result<Option<Proposal>, ChainError> {
    fetch(chain, &proposal(&governance(dao), id)).await
}

/// The governance error of a custom program error code.
pub fn governance_error(code: u32) -> Option<GovernanceError> {
    use GovernanceError as E;
    [
        E::Unauthorized,
        E::InvalidGovernanceParams,
        E::InvalidLock,
        E::LockNotExpired,
        E::PositionExpired,
        E::AlreadyDelegated,
        E::NotDelegated,
        E::LockShortened,
        E::StillDelegated,
        E::PositionWithdrawn,
        E::TooManyUnsettled,
        E::MissingVeHour,
        E::CheckpointOutOfOrder,
        E::HourNotIssued,
        E::VeUnderflow,
        E::NotDraft,
        E::NotVoting,
        E::VotingClosed,
        E::VotingNotOver,
        E::NoVotingPower,
        E::InsufficientPower,
        E::TooManyChanges,
        E::UriTooLong,
        E::ProposalNotSucceeded,
        E::TimelockNotOver,
        E::ChangeOutOfOrder,
        E::ChangeAccountMismatch,
        E::WrongSubDao,
        E::TooManyRelocks,
        E::MathOverflow,
    ]
    .into_iter()
    .find(|e| u32::from(*e) == code)
}

/// Checkpoint `sub_dao`'s delegated power hour by hour up to `hour` (nothing when its V input is
/// not enabled or already there). The crank runs this for every sub-DAO before `issue_hour(hour)`.
/// Returns the hours checkpointed.
pub async fn checkpoint_through<C: Chain>(
    chain: &C,
    opts: &crate::send::SendOptions,
    payer: &solana_sdk::signature::Keypair,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    hour: u64,
) -> Result<u64, ChainError> {
    use solana_sdk::signature::Signer;
    let Some(aggregate) = fetch_sub_dao_ve(chain, sub_dao).await? else {
        return Ok(0);
    };
    let mut done = 0u64;
    let mut h = aggregate.hour;
    while h < hour {
        let next = h.saturating_add(1);
        let ix = checkpoint_ve(&payer.pubkey(), dao, sub_dao, next);
        match crate::send::send(chain, opts, &[ix], payer, &[]).await {
            Ok(_) => {
                done = done.saturating_add(1);
                h = next;
            }
            Err(e) => {
                // Another cranker may have checkpointed the hour first: carry on from where the
                // aggregate is now; any other failure is the caller's.
                let now = fetch_sub_dao_ve(chain, sub_dao)
                    .await?
                    .map_or(h, |a| a.hour);
                if now >= next {
                    h = now;
                } else {
                    return Err(e);
                }
            }
        }
    }
    Ok(done)
}
