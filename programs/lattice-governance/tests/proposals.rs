//! `propose`, `cancel_proposal`, `start_voting`, `vote`, `finalize_proposal`, `execute_change`:
//! a proposal's life from draft to execution, and every refusal on the way.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_dao::{DaoError, DaoParamsUpdate, UtilityWeightParams};
use lattice_governance::{
    GovernanceError as E, GovernanceParams, LockKind, ParamChange, ProposalState, VoteChoice,
    MAX_URI_LEN,
};
use lattice_sdk::governance as gov;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

/// A network one hour in, with Alice (1 000 LAT, cliff of 50 hours left at the current hour:
/// exactly the quorum) and Bob (2 000 LAT, constant 60 hours) locked in the first hour.
struct Setup {
    h: Harness,
    alice: Keypair,
    pa: Pubkey,
    bob: Keypair,
    pb: Pubkey,
}

async fn setup() -> Setup {
    let h = Harness::new().await;
    let alice = h.holder().await;
    let bob = h.holder().await;
    let pa = h
        .lock(&alice, 0, 1_000 * LAT, LockKind::Cliff, 50)
        .await
        .unwrap();
    let pb = h
        .lock(&bob, 0, 2_000 * LAT, LockKind::Constant, 60)
        .await
        .unwrap();
    h.goto_hour(h.start_hour + 1).await;
    Setup {
        h,
        alice,
        pa,
        bob,
        pb,
    }
}

fn rules(quorum: u128) -> ParamChange {
    ParamChange::Governance(GovernanceParams {
        quorum,
        ..test_params()
    })
}

#[tokio::test]
async fn propose_checks_power_changes_and_uri() {
    let Setup {
        h, alice, pa, bob, ..
    } = setup().await;
    let carol = h.holder().await;
    // Too little power: 10 LAT for 5 hours, and a cliff that has ended (no power left).
    let small = h
        .lock(&carol, 0, 10 * LAT, LockKind::Cliff, 5)
        .await
        .unwrap();
    let ended = h
        .lock(&carol, 1, 1_000 * LAT, LockKind::Cliff, 0)
        .await
        .unwrap();
    h.goto_hour(h.hour() + 1).await;
    for p in [small, ended] {
        assert_gov_err(
            h.propose(&carol, &p, vec![rules(1)]).await,
            E::InsufficientPower,
        );
    }
    // Someone else's position.
    assert_gov_err(h.propose(&bob, &pa, vec![rules(1)]).await, E::Unauthorized);
    // 1..=8 changes.
    assert_gov_err(h.propose(&alice, &pa, vec![]).await, E::TooManyChanges);
    assert_gov_err(
        h.propose(&alice, &pa, vec![rules(1); 9]).await,
        E::TooManyChanges,
    );
    // A URI of at most 200 bytes.
    let long = "x".repeat(MAX_URI_LEN + 1);
    let (_, ix) = h
        .propose_ix(&alice.pubkey(), &pa, &long, vec![rules(1)])
        .await;
    assert_gov_err(h.send(&[ix], &[&alice]).await, E::UriTooLong);
    // New proposal rules must be valid ones.
    let bad = ParamChange::Governance(GovernanceParams {
        threshold_bps: 0,
        ..test_params()
    });
    assert_gov_err(
        h.propose(&alice, &pa, vec![rules(1), bad]).await,
        E::InvalidGovernanceParams,
    );
    let bad = ParamChange::Governance(GovernanceParams {
        voting_secs: 30 * 86_400 + 1,
        ..test_params()
    });
    assert_gov_err(
        h.propose(&alice, &pa, vec![bad]).await,
        E::InvalidGovernanceParams,
    );
    assert_eq!(h.next_proposal_id().await, 0);

    // The limits themselves are fine; proposals are numbered from 0.
    let uri = "u".repeat(MAX_URI_LEN);
    let (id, ix) = h
        .propose_ix(&alice.pubkey(), &pa, &uri, vec![rules(1); 8])
        .await;
    h.send(&[ix], &[&alice]).await.unwrap();
    assert_eq!(id, 0);
    let p = h.proposal(0).await;
    assert_eq!(p.state, ProposalState::Draft);
    assert_eq!(
        (p.proposer, p.uri, p.changes.len()),
        (alice.pubkey(), uri, 8)
    );
    assert_eq!(h.propose(&alice, &pa, vec![rules(2)]).await.unwrap(), 1);
    assert_eq!(h.next_proposal_id().await, 2);
}

#[tokio::test]
async fn only_the_proposer_cancels_or_opens_a_draft() {
    let Setup {
        h,
        alice,
        pa,
        bob,
        pb,
    } = setup().await;
    let id = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    assert_gov_err(h.cancel(&bob, id).await, E::Unauthorized);
    assert_gov_err(h.start_voting(&bob, id).await, E::Unauthorized);
    // Votes wait for voting to open.
    assert_gov_err(h.vote(&alice, id, &pa, VoteChoice::Yes).await, E::NotVoting);
    h.cancel(&alice, id).await.unwrap();
    assert_eq!(h.proposal(id).await.state, ProposalState::Cancelled);
    assert_gov_err(h.cancel(&alice, id).await, E::NotDraft);
    assert_gov_err(h.start_voting(&alice, id).await, E::NotDraft);
    assert_gov_err(h.vote(&bob, id, &pb, VoteChoice::Yes).await, E::NotVoting);
    assert_gov_err(h.finalize(id).await, E::NotVoting);

    let id = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    h.start_voting(&alice, id).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!(p.state, ProposalState::Voting);
    assert_eq!(
        (p.voting_start, p.voting_end, p.snapshot_hour),
        (h.now(), h.now() + HOUR, h.hour())
    );
    assert_gov_err(h.cancel(&alice, id).await, E::NotDraft);
    assert_gov_err(h.start_voting(&alice, id).await, E::NotDraft);
}

#[tokio::test]
async fn votes_count_snapshot_power_once_per_position() {
    let Setup {
        h,
        alice,
        pa,
        bob,
        pb,
    } = setup().await;
    // A cliff that ends when the next hour starts.
    let ended = h
        .lock(&bob, 1, 1_000 * LAT, LockKind::Cliff, 0)
        .await
        .unwrap();
    h.goto_hour(h.hour() + 1).await;
    let id = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    h.start_voting(&alice, id).await.unwrap();
    let snapshot = h.proposal(id).await.snapshot_hour;
    let power_a = power(&h.ve, 1_000 * LAT, h.position(&pa).await.lock, snapshot);
    assert_eq!(power_a, test_power(1_000 * LAT, 49));
    let power_b = test_power(2_000 * LAT, 60);

    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!((p.yes, p.no, p.abstain), (power_a, 0, 0));
    // Voting again with the same choice changes nothing; another choice moves the power.
    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    assert_eq!(h.proposal(id).await.yes, power_a);
    h.vote(&alice, id, &pa, VoteChoice::No).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!((p.yes, p.no, p.abstain), (0, power_a, 0));
    h.vote(&bob, id, &pb, VoteChoice::Abstain).await.unwrap();
    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!((p.yes, p.no, p.abstain), (power_a, 0, power_b));
    let record: lattice_governance::VoteRecord = h
        .fetch(&gov::vote_record(&gov::proposal(&h.governance(), id), &pa))
        .await
        .unwrap();
    assert_eq!((record.choice, record.power), (VoteChoice::Yes, power_a));

    // Someone else's position.
    assert_gov_err(h.vote(&bob, id, &pa, VoteChoice::No).await, E::Unauthorized);
    // Locked in the snapshot hour: no power for this proposal (no flash-locking).
    let late = h
        .lock(&bob, 2, 50_000 * LAT, LockKind::Constant, 100)
        .await
        .unwrap();
    assert_gov_err(
        h.vote(&bob, id, &late, VoteChoice::No).await,
        E::NoVotingPower,
    );
    // A cliff that ended by the snapshot hour has no power either.
    assert_gov_err(
        h.vote(&bob, id, &ended, VoteChoice::No).await,
        E::NoVotingPower,
    );

    // Closing: not before the end; no votes from the end on.
    assert_gov_err(h.finalize(id).await, E::VotingNotOver);
    h.set_time(h.proposal(id).await.voting_end - 1).await;
    assert_gov_err(h.finalize(id).await, E::VotingNotOver);
    h.vote(&bob, id, &pb, VoteChoice::No).await.unwrap();
    h.warp(1).await;
    assert_gov_err(
        h.vote(&bob, id, &pb, VoteChoice::Abstain).await,
        E::VotingClosed,
    );
    // No beat yes (2 000 vs 1 000 LAT-hours × 50/60): defeated.
    h.finalize(id).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!(
        (p.state, p.yes, p.no, p.abstain),
        (ProposalState::Defeated, power_a, power_b, 0)
    );
    assert_gov_err(h.finalize(id).await, E::NotVoting);
    assert_gov_err(h.vote(&bob, id, &pb, VoteChoice::Yes).await, E::NotVoting);
}

#[tokio::test]
async fn only_passed_proposals_execute() {
    let Setup {
        h,
        alice,
        pa,
        bob,
        pb,
    } = setup().await;
    let carol = h.holder().await;
    let pc = h
        .lock(&carol, 0, 200 * LAT, LockKind::Cliff, 50)
        .await
        .unwrap();
    h.goto_hour(h.hour() + 1).await;

    // Draft and voting proposals do not execute.
    let draft = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    assert_gov_err(h.execute(draft, 0).await, E::ProposalNotSucceeded);
    let low_turnout = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    let majority_no = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    let passed = h.propose(&bob, &pb, vec![rules(1)]).await.unwrap();
    for id in [low_turnout, majority_no] {
        h.start_voting(&alice, id).await.unwrap();
    }
    h.start_voting(&bob, passed).await.unwrap();
    assert_gov_err(h.execute(low_turnout, 0).await, E::ProposalNotSucceeded);
    // Unanimous but below the quorum.
    h.vote(&carol, low_turnout, &pc, VoteChoice::Yes)
        .await
        .unwrap();
    // Quorum, but no has more power.
    h.vote(&alice, majority_no, &pa, VoteChoice::Yes)
        .await
        .unwrap();
    h.vote(&bob, majority_no, &pb, VoteChoice::No)
        .await
        .unwrap();
    // Abstentions count toward the quorum only: yes beats no.
    h.vote(&bob, passed, &pb, VoteChoice::Abstain)
        .await
        .unwrap();
    h.vote(&carol, passed, &pc, VoteChoice::Yes).await.unwrap();
    let p = h.proposal(passed).await;
    assert!(p.yes > 0 && p.no == 0 && p.yes < h.governance_account().await.params.quorum);
    h.warp(HOUR).await;
    for id in [low_turnout, majority_no, passed] {
        h.finalize(id).await.unwrap();
    }
    assert_eq!(h.proposal(low_turnout).await.state, ProposalState::Defeated);
    assert_eq!(h.proposal(majority_no).await.state, ProposalState::Defeated);
    assert_eq!(h.proposal(passed).await.state, ProposalState::Queued);
    h.warp(HOUR).await;
    for id in [draft, low_turnout, majority_no] {
        assert_gov_err(h.execute(id, 0).await, E::ProposalNotSucceeded);
    }
    h.cancel(&alice, draft).await.unwrap();
    assert_gov_err(h.execute(draft, 0).await, E::ProposalNotSucceeded);
    h.execute(passed, 0).await.unwrap();
}

#[tokio::test]
async fn a_threshold_tie_passes() {
    let Setup { h, alice, pa, .. } = setup().await;
    let carol = h.holder().await;
    // Same amount and end hour as Alice: the same power.
    let pc = h
        .lock(&carol, 0, 1_000 * LAT, LockKind::Cliff, 49)
        .await
        .unwrap();
    assert_eq!(h.position(&pc).await.lock, h.position(&pa).await.lock);
    h.goto_hour(h.hour() + 1).await;
    let id = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    h.start_voting(&alice, id).await.unwrap();
    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    h.vote(&carol, id, &pc, VoteChoice::No).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!(p.yes, p.no);
    h.warp(HOUR).await;
    h.finalize(id).await.unwrap();
    assert_eq!(h.proposal(id).await.state, ProposalState::Queued);
}

#[tokio::test]
async fn changes_execute_in_order_after_the_timelock() {
    let Setup { h, alice, pa, .. } = setup().await;
    let first = GovernanceParams {
        quorum: 77,
        ..test_params()
    };
    let second = GovernanceParams {
        voting_secs: 2 * HOUR,
        timelock_secs: 0,
        threshold_bps: 6_000,
        ..first
    };
    let id = h
        .propose(
            &alice,
            &pa,
            vec![
                ParamChange::Governance(first),
                ParamChange::Governance(second),
            ],
        )
        .await
        .unwrap();
    h.start_voting(&alice, id).await.unwrap();
    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    h.warp(HOUR).await;
    h.finalize(id).await.unwrap();
    let p = h.proposal(id).await;
    assert_eq!((p.state, p.eta), (ProposalState::Queued, h.now() + HOUR));

    assert_gov_err(h.execute(id, 0).await, E::TimelockNotOver);
    h.set_time(p.eta - 1).await;
    assert_gov_err(h.execute(id, 0).await, E::TimelockNotOver);
    h.set_time(p.eta).await;
    assert_gov_err(h.execute(id, 1).await, E::ChangeOutOfOrder);
    assert_gov_err(h.execute(id, 2).await, E::ChangeOutOfOrder);
    h.execute(id, 0).await.unwrap();
    assert_eq!(h.governance_account().await.params, first);
    assert_eq!(h.proposal(id).await.executed, 1);
    assert_gov_err(h.execute(id, 0).await, E::ChangeOutOfOrder);
    h.execute(id, 1).await.unwrap();
    assert_eq!(h.governance_account().await.params, second);
    let p = h.proposal(id).await;
    assert_eq!((p.state, p.executed), (ProposalState::Executed, 2));
    assert_gov_err(h.execute(id, 1).await, E::ChangeOutOfOrder);
    assert_gov_err(h.execute(id, 0).await, E::ChangeOutOfOrder);

    // The new rules apply: two-hour voting, no timelock, a 60% threshold.
    let id = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    h.start_voting(&alice, id).await.unwrap();
    assert_eq!(h.proposal(id).await.voting_end, h.now() + 2 * HOUR);
    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    h.warp(2 * HOUR).await;
    h.finalize(id).await.unwrap();
    assert_eq!(h.proposal(id).await.eta, h.now());
    h.execute(id, 0).await.unwrap();
    assert_eq!(h.governance_account().await.params.quorum, 1);
}

/// A change to another program runs through that program's admin instruction, signed by the
/// governance PDA: refused (and nothing executed) until governance holds the authority, and
/// refused without the accounts it names.
#[tokio::test]
async fn other_programs_need_governance_as_their_authority() {
    let Setup { h, alice, pa, .. } = setup().await;
    let weights = UtilityWeightParams {
        ve_bps: 6_000,
        dc_bps: 3_000,
        devices_bps: 1_000,
    };
    let change = ParamChange::Dao(DaoParamsUpdate {
        emission: None,
        breaker: None,
        utility_weights: Some(weights),
        delegator_bps: None,
    });
    let id = h
        .pass(&alice, &pa, &[(&alice, pa)], vec![change.clone()])
        .await;
    assert_code(h.execute(id, 0).await, u32::from(DaoError::Unauthorized));
    assert_eq!(h.proposal(id).await.executed, 0);

    let ix = lattice_sdk::ix::set_dao_authority(&h.payer.pubkey(), &h.dao, &h.governance());
    h.send(&[ix], &[]).await.unwrap();
    // Without the DAO account, or without the target program.
    let mut ix = h.execute_ix(id, 0).await;
    ix.accounts.truncate(3);
    assert_gov_err(h.send(&[ix], &[]).await, E::ChangeAccountMismatch);
    let mut ix = h.execute_ix(id, 0).await;
    ix.accounts.remove(2);
    assert_gov_err(h.send(&[ix], &[]).await, E::ChangeAccountMismatch);
    h.execute(id, 0).await.unwrap();
    let dao = h.fetch::<lattice_dao::Dao>(&h.dao).await.unwrap();
    assert_eq!(dao.utility_weights, weights);
    assert_eq!(h.proposal(id).await.state, ProposalState::Executed);
}

#[tokio::test]
async fn a_relock_after_voting_opens_does_not_raise_the_vote() {
    let Setup { h, alice, pa, .. } = setup().await;
    let id = h.propose(&alice, &pa, vec![rules(1)]).await.unwrap();
    h.start_voting(&alice, id).await.unwrap();
    let snapshot = h.proposal(id).await.snapshot_hour;
    let before = h.position(&pa).await.lock;
    let at_snapshot = power(&h.ve, 1_000 * LAT, before, snapshot);

    // Alice extends her cliff to the longest lock in the snapshot hour: her power now is higher,
    // but her vote counts the lock in force at the snapshot.
    h.relock(&alice, &pa, LockKind::Cliff, 90).await.unwrap();
    h.relock(&alice, &pa, LockKind::Cliff, 95).await.unwrap();
    let now_lock = h.position(&pa).await.lock;
    assert!(power(&h.ve, 1_000 * LAT, now_lock, snapshot) > at_snapshot);
    h.vote(&alice, id, &pa, VoteChoice::Yes).await.unwrap();
    assert_eq!(h.proposal(id).await.yes, at_snapshot);
    // A later relock still leaves the lock at the snapshot known.
    h.goto_hour(h.hour() + 1).await;
    h.relock(&alice, &pa, LockKind::Cliff, 100).await.unwrap();
    let p = h.position(&pa).await;
    assert_eq!(p.lock_at(snapshot), before);
    assert_eq!(p.relocks.len(), 2);

    // Two more relocks in new hours fill the memory; a fifth within 30 days is refused.
    for extra in 1..=2 {
        h.goto_hour(h.hour() + 1).await;
        h.relock(&alice, &pa, LockKind::Constant, 100 - extra)
            .await
            .ok();
        h.relock(&alice, &pa, LockKind::Constant, 100)
            .await
            .unwrap();
    }
    h.goto_hour(h.hour() + 1).await;
    assert_gov_err(
        h.relock(&alice, &pa, LockKind::Constant, 100).await,
        E::TooManyRelocks,
    );
    // After the longest voting period the old relocks are forgotten.
    h.goto_hour(h.hour() + 30 * 24).await;
    h.relock(&alice, &pa, LockKind::Constant, 100)
        .await
        .unwrap();
    assert_eq!(h.position(&pa).await.relocks.len(), 1);
}
