use crate::{constants::*, errors::GovernanceError, events::*, state::*};
use anchor_lang::prelude::*;
use lattice_math::{
    epoch::hour_of,
    governance::{power_at, VeParams},
};

/// A position's power at the start of hour `h`, under the lock in force then.
pub fn position_power(ve: &VeConfig, position: &Position, h: u64) -> u128 {
    power_at(
        &VeParams::from(*ve),
        position.amount,
        position.lock_at(h).into(),
        h,
    )
}

#[derive(Accounts)]
#[instruction(uri: String, changes: Vec<ParamChange>)]
pub struct Propose<'info> {
    #[account(mut)]
    pub proposer: Signer<'info>,
    #[account(
        mut,
        seeds = [GOVERNANCE_SEED, governance.dao.as_ref()],
        bump = governance.bump,
    )]
    pub governance: Box<Account<'info, Governance>>,
    /// The proposer's position, whose current power must reach the minimum.
    #[account(
        constraint = position.owner == proposer.key() @ GovernanceError::Unauthorized,
        has_one = governance,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(
        init,
        payer = proposer,
        space = Proposal::space(&uri, &changes),
        seeds = [PROPOSAL_SEED, governance.key().as_ref(), &governance.proposal_count.to_le_bytes()],
        bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub system_program: Program<'info, System>,
}

/// Draft a proposal.
///
/// Shall:
/// - take 1..=`MAX_CHANGES` changes (`TooManyChanges`) and a URI of at most `MAX_URI_LEN` bytes
///   (`UriTooLong`); a `Governance` change must carry valid rules (`InvalidGovernanceParams`);
///   every other change is validated by its program when it executes;
/// - require the proposer's own position (`Unauthorized`) with at least `min_proposal_power` at
///   the current hour (`InsufficientPower`);
/// - number proposals from 0; emit `ProposalCreated`.
pub fn propose_handler(
    ctx: Context<Propose>,
    uri: String,
    changes: Vec<ParamChange>,
) -> Result<()> {
    require!(
        (1..=MAX_CHANGES).contains(&changes.len()),
        GovernanceError::TooManyChanges
    );
    require!(uri.len() <= MAX_URI_LEN, GovernanceError::UriTooLong);
    for c in &changes {
        if let ParamChange::Governance(p) = c {
            require!(p.is_valid(), GovernanceError::InvalidGovernanceParams);
        }
    }
    let now_hour = hour_of(Clock::get()?.unix_timestamp);
    let g = &mut ctx.accounts.governance;
    require!(
        position_power(&g.ve, &ctx.accounts.position, now_hour) >= g.params.min_proposal_power
            && ctx.accounts.position.amount > 0,
        GovernanceError::InsufficientPower
    );
    let id = g.proposal_count;
    g.proposal_count = id.checked_add(1).ok_or(GovernanceError::MathOverflow)?;
    let n = u8::try_from(changes.len()).map_err(|_| GovernanceError::TooManyChanges)?;
    let p = &mut ctx.accounts.proposal;
    p.governance = g.key();
    p.id = id;
    p.proposer = ctx.accounts.proposer.key();
    p.state = ProposalState::Draft;
    p.uri = uri;
    p.changes = changes;
    p.bump = ctx.bumps.proposal;
    emit!(ProposalCreated {
        proposal: p.key(),
        id,
        proposer: p.proposer,
        changes: n,
    });
    Ok(())
}

#[derive(Accounts)]
pub struct ProposerAction<'info> {
    pub proposer: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, governance.key().as_ref(), &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = proposer @ GovernanceError::Unauthorized,
        has_one = governance,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

fn state_changed(p: &Account<Proposal>) {
    emit!(ProposalStateChanged {
        proposal: p.key(),
        state: p.state,
        yes: p.yes,
        no: p.no,
        abstain: p.abstain,
    });
}

/// Cancel a draft.
///
/// Shall be signed by the proposer (`Unauthorized`), only while a draft (`NotDraft`), and emit
/// `ProposalStateChanged`.
pub fn cancel_handler(ctx: Context<ProposerAction>) -> Result<()> {
    let p = &mut ctx.accounts.proposal;
    require!(p.state == ProposalState::Draft, GovernanceError::NotDraft);
    p.state = ProposalState::Cancelled;
    state_changed(p);
    Ok(())
}

/// Open voting for `voting_secs`; votes count power at the start of the current hour.
///
/// Shall be signed by the proposer (`Unauthorized`), only from a draft (`NotDraft`), and emit
/// `ProposalStateChanged`.
pub fn start_voting_handler(ctx: Context<ProposerAction>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let secs = ctx.accounts.governance.params.voting_secs;
    let p = &mut ctx.accounts.proposal;
    require!(p.state == ProposalState::Draft, GovernanceError::NotDraft);
    p.state = ProposalState::Voting;
    p.voting_start = now;
    p.voting_end = now.checked_add(secs).ok_or(GovernanceError::MathOverflow)?;
    p.snapshot_hour = hour_of(now);
    state_changed(p);
    Ok(())
}

#[derive(Accounts)]
pub struct CastVote<'info> {
    /// The position's owner; pays for the vote record the first time.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, governance.key().as_ref(), &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = governance,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    #[account(has_one = owner @ GovernanceError::Unauthorized, has_one = governance)]
    pub position: Box<Account<'info, Position>>,
    /// CHECK: the position's vote record on this proposal, created on the first vote.
    #[account(
        mut,
        seeds = [VOTE_SEED, proposal.key().as_ref(), position.key().as_ref()],
        bump,
    )]
    pub vote_record: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Vote `choice` with a position.
///
/// Shall:
/// - be signed by the position's owner (`Unauthorized`);
/// - only while the proposal is voting (`NotVoting`) and before `voting_end` (`VotingClosed`);
/// - count the position's power at the snapshot hour under the lock in force then (a relock
///   after it does not raise the vote), and none for a position created in or after it
///   (`NoVotingPower`), so tokens locked after voting opened cannot vote (no flash-locks);
/// - count each position once: a second vote moves its power to the new choice;
/// - emit `VoteCast`.
pub fn vote_handler(ctx: Context<CastVote>, choice: VoteChoice) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let p = &mut ctx.accounts.proposal;
    require!(p.state == ProposalState::Voting, GovernanceError::NotVoting);
    require!(now < p.voting_end, GovernanceError::VotingClosed);
    let position = &ctx.accounts.position;
    let power = if position.created_hour < p.snapshot_hour {
        position_power(&ctx.accounts.governance.ve, position, p.snapshot_hour)
    } else {
        0
    };
    require!(power > 0, GovernanceError::NoVotingPower);

    let info = ctx.accounts.vote_record.to_account_info();
    let mut record = if info.owner == &crate::ID {
        let data = info.try_borrow_data()?;
        VoteRecord::try_deserialize(&mut &data[..])?
    } else {
        let proposal_key = p.key();
        let position_key = position.key();
        let bump = ctx.bumps.vote_record;
        let seeds: [&[u8]; 4] = [
            VOTE_SEED,
            proposal_key.as_ref(),
            position_key.as_ref(),
            std::slice::from_ref(&bump),
        ];
        lattice_dao::utils::create_pda_account(
            &ctx.accounts.owner.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            8usize.saturating_add(VoteRecord::INIT_SPACE),
            &crate::ID,
            &seeds,
        )?;
        VoteRecord {
            proposal: proposal_key,
            position: position_key,
            choice,
            power: 0,
            bump,
        }
    };
    // Take back a previous vote (power 0 on the first), then count this one.
    let old = p.tally(record.choice);
    *old = old
        .checked_sub(record.power)
        .ok_or(GovernanceError::MathOverflow)?;
    let new = p.tally(choice);
    *new = new
        .checked_add(power)
        .ok_or(GovernanceError::MathOverflow)?;
    record.choice = choice;
    record.power = power;
    {
        let mut data = info.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        record.try_serialize(&mut writer)?;
    }
    emit!(VoteCast {
        proposal: p.key(),
        position: position.key(),
        choice,
        power,
    });
    Ok(())
}

#[derive(Accounts)]
pub struct FinalizeProposal<'info> {
    #[account(seeds = [GOVERNANCE_SEED, governance.dao.as_ref()], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, governance.key().as_ref(), &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = governance,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

/// True when a tally passes: turnout reaches the quorum and yes reaches the threshold share of
/// yes + no (and is not zero).
pub fn passes(params: &GovernanceParams, yes: u128, no: u128, abstain: u128) -> bool {
    let turnout = yes.saturating_add(no).saturating_add(abstain);
    let decided = yes.saturating_add(no);
    turnout >= params.quorum
        && yes > 0
        && yes.saturating_mul(10_000) >= decided.saturating_mul(u128::from(params.threshold_bps))
}

/// Close voting.
///
/// Shall, only for a proposal in voting (`NotVoting`) whose period is over (`VotingNotOver`):
/// queue it with `eta = now + timelock_secs` when it passes (quorum and threshold of the rules
/// in force now), else defeat it; emit `ProposalStateChanged`. Anyone may call it.
pub fn finalize_handler(ctx: Context<FinalizeProposal>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let params = ctx.accounts.governance.params;
    let p = &mut ctx.accounts.proposal;
    require!(p.state == ProposalState::Voting, GovernanceError::NotVoting);
    require!(now >= p.voting_end, GovernanceError::VotingNotOver);
    if passes(&params, p.yes, p.no, p.abstain) {
        p.state = ProposalState::Queued;
        p.eta = now
            .checked_add(params.timelock_secs)
            .ok_or(GovernanceError::MathOverflow)?;
    } else {
        p.state = ProposalState::Defeated;
    }
    state_changed(p);
    Ok(())
}
