//! Accounts. Fields are never reordered; new fields go into `reserved`.

use crate::constants::*;
use anchor_lang::prelude::*;
use lattice_compute::{ComputeParams, MarketParams};
use lattice_dao::{BreakerParams, ConversionParams, DaoParamsUpdate, SubDaoParamsUpdate};
use lattice_data_credits::DcParamsUpdate;
use lattice_math::{
    governance::{HourLock, RewardCursor, VeParams},
    wide::U256,
};
use lattice_registry::RegistryParams;

/// Vote-escrow power parameters (see `lattice_math::governance`). Fixed at initialization:
/// changing them would change every position's power, so they are not a governance parameter.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct VeConfig {
    /// Longest lock that counts, hours (4 years = 35 040).
    pub max_lock_hours: u64,
    /// Power per token with nothing left locked, bps of 1× (0: an expired lock has no power).
    pub baseline_bps: u32,
    /// Extra power per token with `max_lock_hours` left, bps of 1× (1 000 000 = 100×).
    pub extra_bps: u32,
}

impl From<VeConfig> for VeParams {
    fn from(c: VeConfig) -> Self {
        VeParams {
            max_lock_hours: c.max_lock_hours,
            baseline_bps: c.baseline_bps,
            extra_bps: c.extra_bps,
        }
    }
}

impl VeConfig {
    /// 1 hour ..= 8 years, at most 1000× per token, some power at the longest lock.
    pub fn is_valid(&self) -> bool {
        (1..=8 * 8_760).contains(&self.max_lock_hours)
            && self.baseline_bps <= 10_000_000
            && self.extra_bps <= 10_000_000
            && self.extra_bps.saturating_add(self.baseline_bps) > 0
    }
}

/// Proposal rules; changeable by proposal.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct GovernanceParams {
    /// Length of the voting period, seconds.
    pub voting_secs: i64,
    /// Smallest turnout (yes + no + abstain power) for a proposal to pass, power units.
    pub quorum: u128,
    /// Smallest yes share of yes + no, basis points.
    pub threshold_bps: u16,
    /// Wait between success and execution, seconds.
    pub timelock_secs: i64,
    /// Power a proposer's position needs at the current hour.
    pub min_proposal_power: u128,
}

impl GovernanceParams {
    /// Periods of 1 s ..= 30 days, a threshold of 1 ..= 10 000 bps.
    pub fn is_valid(&self) -> bool {
        (1..=MAX_PERIOD_SECS).contains(&self.voting_secs)
            && (0..=MAX_PERIOD_SECS).contains(&self.timelock_secs)
            && (1..=10_000).contains(&self.threshold_bps)
    }
}

/// The DAO's governance: PDA `[GOVERNANCE_SEED, dao]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Governance {
    /// Layout version (1).
    pub version: u8,
    /// The DAO.
    pub dao: Pubkey,
    /// The main mint (what positions lock).
    pub main_mint: Pubkey,
    /// Power parameters (fixed).
    pub ve: VeConfig,
    /// Proposal rules.
    pub params: GovernanceParams,
    /// Proposals created; the next proposal's id.
    pub proposal_count: u64,
    /// Open positions.
    pub positions: u64,
    /// Main-token base units locked in open positions.
    pub total_locked: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

impl Governance {
    /// Signer seeds of the governance PDA.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            GOVERNANCE_SEED,
            self.dao.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }
}

/// An hour-aligned lock (see `lattice_math::governance::HourLock`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum Lock {
    /// Locked until the start of `end_hour`; power decays over the last `max_lock_hours`.
    Cliff { end_hour: u64 },
    /// Locked for `duration_hours` from whenever it is unlocked; power does not decay.
    Constant { duration_hours: u64 },
}

impl From<Lock> for HourLock {
    fn from(l: Lock) -> Self {
        match l {
            Lock::Cliff { end_hour } => HourLock::Cliff { end_hour },
            Lock::Constant { duration_hours } => HourLock::Constant { duration_hours },
        }
    }
}

/// A reward cursor (`lattice_math::governance::RewardCursor`) as four `u128` limbs.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Cursor {
    /// `[r0.hi, r0.lo, r1.hi, r1.lo]`.
    pub limbs: [u128; 4],
}

impl From<Cursor> for RewardCursor {
    fn from(c: Cursor) -> Self {
        RewardCursor {
            r0: U256 {
                hi: c.limbs[0],
                lo: c.limbs[1],
            },
            r1: U256 {
                hi: c.limbs[2],
                lo: c.limbs[3],
            },
        }
    }
}

impl From<RewardCursor> for Cursor {
    fn from(c: RewardCursor) -> Self {
        Cursor {
            limbs: [c.r0.hi, c.r0.lo, c.r1.hi, c.r1.lo],
        }
    }
}

/// A position's current delegation.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Delegation {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// Rewards are unclaimed from this hour on.
    pub claim_hour: u64,
    /// The sub-DAO's cursor at `claim_hour`, when known (else read from its `VeHour`).
    pub claim_cursor: Option<Cursor>,
}

/// A relock: from the start of `hour` the position's lock is no longer `before`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Relocked {
    /// The hour of the relock.
    pub hour: u64,
    /// The lock in force at the start of that hour.
    pub before: Lock,
}

/// A closed delegation range `[from_hour, to_hour)` whose rewards are not claimed yet, with the
/// amount and lock that counted in it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Unsettled {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// Amount that counted.
    pub amount: u64,
    /// Lock that counted.
    pub lock: Lock,
    /// First hour.
    pub from_hour: u64,
    /// First hour no longer counted.
    pub to_hour: u64,
    /// The cursor at `from_hour`, when known.
    pub from_cursor: Option<Cursor>,
}

/// A vote-escrowed position: PDA `[POSITION_SEED, governance, owner, id_le]`. Not transferable:
/// the owner is fixed (moving voting power between keys would need the NFT machinery the reference
/// network uses; a holder who wants to move power withdraws after expiry and locks again).
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    /// The governance.
    pub governance: Pubkey,
    /// Owner: signs every change, vote and claim.
    pub owner: Pubkey,
    /// Owner-chosen id (PDA seed).
    pub id: u64,
    /// Main-token base units locked (0 once withdrawn).
    pub amount: u64,
    /// The lock.
    pub lock: Lock,
    /// Hour the position was created: it votes only on proposals whose voting starts in a later
    /// hour.
    pub created_hour: u64,
    /// Current delegation.
    pub delegation: Option<Delegation>,
    /// Closed delegation ranges with unclaimed rewards.
    #[max_len(MAX_UNSETTLED)]
    pub unsettled: Vec<Unsettled>,
    /// Main-token rewards claimed, total.
    pub claimed: u64,
    /// Tokens withdrawn; the account stays only until its unsettled ranges are claimed.
    pub withdrawn: bool,
    /// Recent relocks (within the longest voting period), oldest first.
    #[max_len(MAX_RELOCKS)]
    pub relocks: Vec<Relocked>,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the vault PDA.
    pub vault_bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 32],
}

/// A sub-DAO's delegated power: PDA `[SUB_DAO_VE_SEED, sub_dao]`.
///
/// At checkpoint `hour`: `V(hour) = flat + alpha − beta·hour` (sums of the delegated positions'
/// power pieces active at `hour`), and the reward `cursor` at `hour` (rates of every earlier hour).
#[account]
#[derive(InitSpace, Debug)]
pub struct SubDaoVe {
    /// The governance.
    pub governance: Pubkey,
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// Index of the sub-DAO in the DAO (its part in each `DaoEpoch`).
    pub index: u8,
    /// Last checkpointed hour.
    pub hour: u64,
    /// Σ flat.
    pub flat: i128,
    /// Σ alpha.
    pub alpha: i128,
    /// Σ beta.
    pub beta: i128,
    /// `V(hour)`.
    pub ve_power: u128,
    /// Reward cursor at `hour`.
    pub cursor: Cursor,
    /// Main-token base units claimed by stakers.
    pub claimed: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 32],
}

impl Position {
    /// The lock in force at the start of hour `h` (exact for any `h` within the longest voting
    /// period, since every relock since then is remembered).
    pub fn lock_at(&self, h: u64) -> Lock {
        self.relocks
            .iter()
            .find(|r| r.hour >= h)
            .map_or(self.lock, |r| r.before)
    }
}

impl SubDaoVe {
    /// `flat + alpha − beta·h`, or `None` when negative or overflowing.
    pub fn value_at(&self, h: u64) -> Option<u128> {
        let v = self
            .flat
            .checked_add(self.alpha)?
            .checked_sub(self.beta.checked_mul(i128::from(h))?)?;
        u128::try_from(v).ok()
    }
}

/// Changes scheduled for one hour of one sub-DAO: PDA `[VE_HOUR_SEED, sub_dao, hour_le]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct VeHour {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The hour.
    pub hour: u64,
    /// Change of Σ flat at the start of the hour.
    pub flat: i128,
    /// Change of Σ alpha.
    pub alpha: i128,
    /// Change of Σ beta.
    pub beta: i128,
    /// True once the hour is checkpointed; then no change may be scheduled here.
    pub checkpointed: bool,
    /// The cursor at this hour (once checkpointed).
    pub cursor: Cursor,
    /// Bump of this PDA.
    pub bump: u8,
}

/// Proposal states.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum ProposalState {
    /// Editable by nobody, cancellable by the proposer, not yet open.
    Draft,
    /// Open for votes until `voting_end`.
    Voting,
    /// Failed quorum or threshold.
    Defeated,
    /// Passed; executable by anyone from `eta`.
    Queued,
    /// Every change executed.
    Executed,
    /// Cancelled by the proposer while a draft.
    Cancelled,
}

/// A vote.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum VoteChoice {
    Yes,
    No,
    Abstain,
}

/// Which program's admin authority an [`ParamChange::Authority`] moves.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorityTarget {
    Dao,
    DataCredits,
    Registry,
}

/// One typed parameter change. Together they cover every parameter of every program; executing
/// one calls that program's admin instruction signed by the governance PDA, so the program's own
/// validation applies.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub enum ParamChange {
    /// DAO: main emission schedule, breaker, utility weights, delegator share.
    Dao(DaoParamsUpdate),
    /// A sub-DAO's token schedule and breaker.
    SubDao {
        sub_dao: Pubkey,
        params: SubDaoParamsUpdate,
    },
    /// A sub-DAO's treasury conversion: curve, fee, freezes.
    Conversion {
        sub_dao: Pubkey,
        params: ConversionParams,
    },
    /// Data credits: DC price, Pyth feed, owner, max age, confidence, mint breaker.
    DataCredits(DcParamsUpdate),
    /// Which key may burn a sub-DAO's delegated DC.
    DcBurnAuthority {
        sub_dao: Pubkey,
        burn_authority: Pubkey,
    },
    /// Registry: fees, stake, cooldown, H3 resolution, gain and elevation bounds.
    Registry(RegistryParams),
    /// A sub-DAO's reward oracle set and threshold.
    RewardsOracles {
        sub_dao: Pubkey,
        oracles: Vec<Pubkey>,
        threshold: u8,
    },
    /// A sub-DAO's claim breaker.
    RewardsClaimBreaker {
        sub_dao: Pubkey,
        params: BreakerParams,
    },
    /// Compute: authority, fault slash rate and slash destination.
    Compute {
        params: ComputeParams,
        slash_destination: Pubkey,
    },
    /// Compute fault-oracle set and threshold.
    ComputeOracles { oracles: Vec<Pubkey>, threshold: u8 },
    /// A GPU market's parameters (price floor, stake, durations, windows, timeout slash, …).
    Market { class_id: u8, params: MarketParams },
    /// Governance's own proposal rules.
    Governance(GovernanceParams),
    /// Hand a program's admin authority to another key (e.g. a successor governance).
    Authority {
        target: AuthorityTarget,
        new_authority: Pubkey,
    },
}

/// A proposal: PDA `[PROPOSAL_SEED, governance, id_le]`, sized to its changes.
#[account]
#[derive(Debug)]
pub struct Proposal {
    /// The governance.
    pub governance: Pubkey,
    /// Id.
    pub id: u64,
    /// Proposer (may cancel a draft and open voting).
    pub proposer: Pubkey,
    /// State.
    pub state: ProposalState,
    /// Description URI.
    pub uri: String,
    /// The changes, executed in order.
    pub changes: Vec<ParamChange>,
    /// Unix time voting opened.
    pub voting_start: i64,
    /// Unix time voting closes.
    pub voting_end: i64,
    /// Votes count each position's power at the start of this hour (the hour voting opened);
    /// positions created in it or later have none.
    pub snapshot_hour: u64,
    /// Yes power.
    pub yes: u128,
    /// No power.
    pub no: u128,
    /// Abstain power.
    pub abstain: u128,
    /// Unix time from which a queued proposal executes.
    pub eta: i64,
    /// Changes executed.
    pub executed: u8,
    /// Bump of this PDA.
    pub bump: u8,
}

impl Proposal {
    /// Account size for `uri` and `changes` (saturating: an absurd size fails to allocate).
    pub fn space(uri: &str, changes: &[ParamChange]) -> usize {
        let mut buf = Vec::new();
        let changes_len = match changes.serialize(&mut buf) {
            Ok(()) => buf.len(),
            Err(_) => usize::MAX,
        };
        // Discriminator, governance, id, proposer, state, uri length prefix, voting start and
        // end, snapshot, three tallies, eta, executed, bump.
        const FIXED: usize = 8 + 32 + 8 + 32 + 1 + 4 + 8 + 8 + 8 + 3 * 16 + 8 + 1 + 1;
        FIXED.saturating_add(uri.len()).saturating_add(changes_len)
    }

    /// The tally for a choice.
    pub fn tally(&mut self, choice: VoteChoice) -> &mut u128 {
        match choice {
            VoteChoice::Yes => &mut self.yes,
            VoteChoice::No => &mut self.no,
            VoteChoice::Abstain => &mut self.abstain,
        }
    }
}

/// One position's vote on one proposal: PDA `[VOTE_SEED, proposal, position]`. Voting again
/// replaces the choice; the power is the position's at the proposal's snapshot hour, under the
/// lock in force then.
#[account]
#[derive(InitSpace, Debug)]
pub struct VoteRecord {
    /// The proposal.
    pub proposal: Pubkey,
    /// The position.
    pub position: Pubkey,
    /// Current choice.
    pub choice: VoteChoice,
    /// Power counted.
    pub power: u128,
    /// Bump of this PDA.
    pub bump: u8,
}
