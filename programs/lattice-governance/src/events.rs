use crate::state::{Lock, ProposalState, VoteChoice};
use anchor_lang::prelude::*;

#[event]
pub struct GovernanceInitialized {
    pub governance: Pubkey,
    pub dao: Pubkey,
}

#[event]
pub struct SubDaoVeInitialized {
    pub sub_dao: Pubkey,
    pub start_hour: u64,
}

#[event]
pub struct PositionLocked {
    pub position: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub lock: Lock,
}

#[event]
pub struct PositionRelocked {
    pub position: Pubkey,
    pub old: Lock,
    pub new: Lock,
}

#[event]
pub struct PositionWithdrawn {
    pub position: Pubkey,
    pub amount: u64,
}

#[event]
pub struct Delegated {
    pub position: Pubkey,
    pub sub_dao: Pubkey,
    pub from_hour: u64,
}

#[event]
pub struct Undelegated {
    pub position: Pubkey,
    pub sub_dao: Pubkey,
    pub from_hour: u64,
}

#[event]
pub struct VeCheckpointed {
    pub sub_dao: Pubkey,
    pub hour: u64,
    pub ve_power: u128,
    pub previous_slice: u64,
}

#[event]
pub struct RewardsClaimed {
    pub position: Pubkey,
    pub sub_dao: Pubkey,
    pub amount: u64,
    pub through_hour: u64,
}

#[event]
pub struct ProposalCreated {
    pub proposal: Pubkey,
    pub id: u64,
    pub proposer: Pubkey,
    pub changes: u8,
}

#[event]
pub struct ProposalStateChanged {
    pub proposal: Pubkey,
    pub state: ProposalState,
    pub yes: u128,
    pub no: u128,
    pub abstain: u128,
}

#[event]
pub struct VoteCast {
    pub proposal: Pubkey,
    pub position: Pubkey,
    pub choice: VoteChoice,
    pub power: u128,
}

#[event]
pub struct ChangeExecuted {
    pub proposal: Pubkey,
    pub index: u8,
}
