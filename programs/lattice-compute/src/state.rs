//! Accounts. Fields are never reordered and enum variants never renumbered; new fields go into
//! `reserved`.

use crate::{constants::*, errors::ComputeError};
use anchor_lang::prelude::*;
use lattice_math::BPS;

/// Whether `threshold` of `oracles` is a valid fault quorum: either no oracles and threshold 0
/// (attestations disabled), or 2..=[`MAX_ORACLES`] distinct non-default keys with `k ≥ 2` and
/// `n/2 < k ≤ n`. So no single key can ever slash, and two disjoint groups can never both reach
/// the threshold.
pub fn oracle_set_is_valid(oracles: &[Pubkey], threshold: u8) -> bool {
    let n = oracles.len();
    let k = usize::from(threshold);
    if n == 0 {
        return k == 0;
    }
    let distinct = oracles
        .iter()
        .enumerate()
        .all(|(i, o)| *o != Pubkey::default() && !oracles[..i].contains(o));
    n <= MAX_ORACLES && k >= 2 && k <= n && k.saturating_mul(2) > n && distinct
}

/// Running totals of a compute configuration (all markets).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct ComputeTotals {
    /// Jobs posted.
    pub jobs_posted: u64,
    /// Jobs finalized (settled with a burn).
    pub jobs_finalized: u64,
    /// Jobs timed out.
    pub jobs_timed_out: u64,
    /// Jobs marked faulted by an executed fault.
    pub jobs_faulted: u64,
    /// Jobs cancelled by their posters.
    pub jobs_cancelled: u64,
    /// DC escrowed by posted jobs.
    pub dc_escrowed: u64,
    /// DC burned by finalized jobs.
    pub dc_burned: u64,
    /// DC refunded to posters.
    pub dc_refunded: u64,
    /// Main-token base units slashed (timeouts and faults).
    pub stake_slashed: u64,
}

/// The compute configuration of a DAO: PDA `[COMPUTE_CONFIG_SEED, dao]`. It is the compute
/// sub-DAO's DC burn authority, the payer key of the pooled DC escrow, and the signer the
/// registry accepts for holding jobs and slashing.
#[account]
#[derive(InitSpace, Debug)]
pub struct ComputeConfig {
    /// Layout version (1).
    pub version: u8,
    /// The DAO.
    pub dao: Pubkey,
    /// Manages parameters, oracles and markets (the DAO authority at initialization; later
    /// governance).
    pub authority: Pubkey,
    /// The compute sub-DAO (its DC burns are this program's).
    pub compute_sub_dao: Pubkey,
    /// The DAO's device registry (GPU nodes and their stake).
    pub registry: Pubkey,
    /// The main token mint (stakes, slashes).
    pub main_mint: Pubkey,
    /// The DC mint.
    pub dc_mint: Pubkey,
    /// The DAO's data-credits configuration.
    pub data_credits: Pubkey,
    /// The compute sub-DAO's DC settings (`SubDaoDc`).
    pub sub_dao_dc: Pubkey,
    /// The pooled DC escrow of open jobs: `[DC_ESCROW_SEED, compute_sub_dao, this]` under the
    /// data-credits program.
    pub dc_escrow: Pubkey,
    /// Fault-oracle keys; empty = fault attestations disabled.
    #[max_len(MAX_ORACLES)]
    pub oracles: Vec<Pubkey>,
    /// Votes that execute a fault (0 with no oracles; otherwise `2 ≤ k`, `n/2 < k ≤ n`).
    pub threshold: u8,
    /// Incremented by every `set_oracles`; votes of an older generation are void.
    pub oracle_generation: u32,
    /// Main-token account slashed stake goes to.
    pub slash_destination: Pubkey,
    /// Share of a node's stake an executed fault slashes, basis points.
    pub fault_slash_bps: u16,
    /// Bump of this PDA.
    pub bump: u8,
    /// Running totals.
    pub totals: ComputeTotals,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

impl ComputeConfig {
    /// Signer seeds of the configuration PDA.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            COMPUTE_CONFIG_SEED,
            self.dao.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }

    /// Position of `key` in the oracle set (its bit in a fault's vote bitmap).
    pub fn oracle_index(&self, key: &Pubkey) -> Option<usize> {
        self.oracles.iter().position(|o| o == key)
    }

    /// Holds after every mutating handler.
    pub fn invariant(&self) -> Result<()> {
        require!(
            oracle_set_is_valid(&self.oracles, self.threshold)
                && u64::from(self.fault_slash_bps) <= BPS,
            ComputeError::InvariantViolated
        );
        let t = &self.totals;
        let settled = t
            .dc_burned
            .checked_add(t.dc_refunded)
            .ok_or(ComputeError::MathOverflow)?;
        require!(settled <= t.dc_escrowed, ComputeError::InvariantViolated);
        Ok(())
    }
}

/// A market's parameters (`create_market`, `set_market_params`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct MarketParams {
    /// Display name, UTF-8, zero-padded (e.g. `consumer`).
    pub name: [u8; MARKET_NAME_LEN],
    /// Least VRAM per GPU a claiming node needs, GiB.
    pub min_vram_gb: u16,
    /// Least stake a claiming node needs, main-token base units.
    pub min_stake: u64,
    /// Lowest price a job may offer, DC per second (≥ 1, so every job escrows DC).
    pub price_floor_dc_per_sec: u64,
    /// Longest job, seconds (1..=30 days).
    pub max_duration_secs: u64,
    /// Jobs a node may hold at once to claim here (≥ 1; the node's count spans all markets).
    pub max_jobs_per_node: u8,
    /// Optimistic window after a submission during which oracles can attest a fault, seconds
    /// (1..=30 days).
    pub verification_window_secs: u64,
    /// Share of a node's stake a timeout slashes, basis points.
    pub timeout_slash_bps: u16,
    /// Weight of this class in capacity rewards (read off chain), basis points.
    pub capacity_weight_bps: u16,
}

impl MarketParams {
    /// Whether every parameter is in range.
    pub fn is_valid(&self) -> bool {
        self.name.first().is_some_and(|b| *b != 0)
            && self.price_floor_dc_per_sec >= 1
            && (1..=MAX_JOB_DURATION_SECS).contains(&self.max_duration_secs)
            && (1..=MAX_VERIFICATION_WINDOW_SECS).contains(&self.verification_window_secs)
            && self.max_jobs_per_node >= 1
            && u64::from(self.timeout_slash_bps) <= BPS
            && u64::from(self.capacity_weight_bps) <= BPS
    }
}

/// A market's running statistics.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct MarketStats {
    /// Jobs posted.
    pub posted: u64,
    /// Jobs finalized.
    pub finalized: u64,
    /// Jobs timed out.
    pub timed_out: u64,
    /// Jobs cancelled.
    pub cancelled: u64,
    /// GPU seconds billed by finalized jobs.
    pub busy_secs: u64,
}

/// The market of one GPU class: PDA `[MARKET_SEED, config, class_id]`, with its queue of
/// pending jobs on chain (workers read it without getProgramAccounts).
#[account]
#[derive(InitSpace, Debug)]
pub struct Market {
    /// The compute configuration.
    pub config: Pubkey,
    /// The GPU class.
    pub class_id: u8,
    /// Parameters.
    pub params: MarketParams,
    /// Id the next posted job gets (its PDA seed).
    pub next_job_id: u64,
    /// Ids of queued jobs, oldest first; only `queue[..queue_len]` is meaningful.
    pub queue: [u64; QUEUE_CAPACITY],
    /// Jobs in the queue.
    pub queue_len: u8,
    /// Statistics.
    pub stats: MarketStats,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 32],
}

impl Market {
    /// Ids of queued jobs, oldest first.
    pub fn pending(&self) -> &[u64] {
        let len = usize::from(self.queue_len).min(QUEUE_CAPACITY);
        &self.queue[..len]
    }

    /// Append `job_id` to the queue (`QueueFull` when it holds [`QUEUE_CAPACITY`] jobs).
    pub fn enqueue(&mut self, job_id: u64) -> Result<()> {
        let len = usize::from(self.queue_len);
        let slot = self.queue.get_mut(len).ok_or(ComputeError::QueueFull)?;
        *slot = job_id;
        self.queue_len = self
            .queue_len
            .checked_add(1)
            .ok_or(ComputeError::MathOverflow)?;
        Ok(())
    }

    /// Remove `job_id` from the queue, keeping the order of the others
    /// (`InvariantViolated` if it is not queued).
    pub fn dequeue(&mut self, job_id: u64) -> Result<()> {
        let len = usize::from(self.queue_len).min(QUEUE_CAPACITY);
        let at = self.queue[..len]
            .iter()
            .position(|id| *id == job_id)
            .ok_or(ComputeError::InvariantViolated)?;
        self.queue.copy_within(at.saturating_add(1)..len, at);
        let last = len.saturating_sub(1);
        self.queue[last] = 0;
        self.queue_len = self
            .queue_len
            .checked_sub(1)
            .ok_or(ComputeError::MathOverflow)?;
        Ok(())
    }
}

/// What a job runs (borsh: one byte).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum JobKind {
    /// 0: a verifiable int8 matrix product; the result commits a Merkle root over its rows.
    Matmul,
    /// 1: a container run (Docker/Podman); the result is a hash and a URI.
    Container,
}

impl JobKind {
    /// The byte stored and emitted.
    pub fn as_u8(self) -> u8 {
        match self {
            JobKind::Matmul => 0,
            JobKind::Container => 1,
        }
    }
}

/// Where a job is in its life (borsh: one byte).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum JobState {
    /// 0: in the market queue, escrow held.
    Queued,
    /// 1: claimed by a node, running until the deadline.
    Claimed,
    /// 2: result submitted; finalizable once the verification window passes.
    Submitted,
    /// 3: settled: the time used burned, the rest refunded.
    Finalized,
    /// 4: the node missed the deadline: refunded in full, the node slashed.
    TimedOut,
    /// 5: cancelled by the poster while queued: refunded in full.
    Cancelled,
    /// 6: an oracle quorum attested a wrong result: refunded in full, the node slashed.
    Faulted,
}

impl JobState {
    /// Whether the job is over (its escrow fully burned or refunded).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobState::Finalized | JobState::TimedOut | JobState::Cancelled | JobState::Faulted
        )
    }
}

/// One job: PDA `[JOB_SEED, market, job_id_le]`, created by `post_job` (rent paid by the poster,
/// returned by `close_job`).
#[account]
#[derive(InitSpace, Debug)]
pub struct Job {
    /// The market.
    pub market: Pubkey,
    /// Id in the market (a PDA seed).
    pub id: u64,
    /// The poster.
    pub poster: Pubkey,
    /// The poster's associated DC account: refunds go here.
    pub poster_dc: Pubkey,
    /// What it runs.
    pub kind: JobKind,
    /// Content hash of the spec.
    pub spec_hash: [u8; 32],
    /// Where the spec is (≤ 128 bytes).
    #[max_len(MAX_URI_LEN)]
    pub spec_uri: String,
    /// Longest run, seconds.
    pub max_duration_secs: u64,
    /// Price, DC per second of GPU time.
    pub price_dc_per_sec: u64,
    /// DC escrowed (`price × max_duration`).
    pub escrow_dc: u64,
    /// Lifecycle state.
    pub state: JobState,
    /// The registry `GpuNode` account that claimed it (default while queued).
    pub node: Pubkey,
    /// That node's device key (signs the submission).
    pub node_device: Pubkey,
    /// Unix time posted.
    pub posted_at: i64,
    /// Unix time claimed (0 while queued).
    pub claimed_at: i64,
    /// Unix time after which a claimed job can be timed out (`claimed_at + max_duration`).
    pub deadline: i64,
    /// Unix time the result was submitted (0 before).
    pub submitted_at: i64,
    /// Hash of the result.
    pub result_hash: [u8; 32],
    /// Where the result is (≤ 128 bytes).
    #[max_len(MAX_URI_LEN)]
    pub result_uri: String,
    /// Merkle root over the result rows (matmul); zero for container jobs.
    pub merkle_root: [u8; 32],
    /// Seconds billed (`clamp(submitted_at − claimed_at, 1, max_duration)`).
    pub used_secs: u64,
    /// DC burned when it settled.
    pub dc_burned: u64,
    /// DC refunded to the poster.
    pub dc_refunded: u64,
    /// Main-token base units slashed from the node over this job (timeout or fault).
    pub stake_slashed: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 32],
}

impl Job {
    /// Holds after every mutating handler: an open job has burned and refunded nothing; a
    /// terminal one has burned plus refunded exactly its escrow.
    pub fn invariant(&self) -> Result<()> {
        let settled = self
            .dc_burned
            .checked_add(self.dc_refunded)
            .ok_or(ComputeError::MathOverflow)?;
        let expected = if self.state.is_terminal() {
            self.escrow_dc
        } else {
            0
        };
        require!(settled == expected, ComputeError::InvariantViolated);
        Ok(())
    }
}

/// A GPU node's finished work in one hour: PDA `[NODE_EPOCH_SEED, gpu_node, hour_le]`, created
/// by the hour's first `finalize_job` of the node (rent paid by its caller).
#[account]
#[derive(InitSpace, Debug)]
pub struct NodeEpoch {
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// The hour.
    pub hour: u64,
    /// Jobs finalized.
    pub jobs_finalized: u64,
    /// GPU seconds billed.
    pub busy_secs: u64,
    /// DC burned: the node's work units of the hour (the input to work rewards).
    pub dc_burned: u64,
    /// Who paid the rent (gets it back on close).
    pub creator: Pubkey,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 16],
}

/// The network's finished work in one hour: PDA `[COMPUTE_HOUR_SEED, config, hour_le]`, created
/// by the hour's first `finalize_job` (rent paid by its caller). Kept as the network's history.
#[account]
#[derive(InitSpace, Debug)]
pub struct ComputeHour {
    /// The compute configuration.
    pub config: Pubkey,
    /// The hour.
    pub hour: u64,
    /// Jobs finalized.
    pub jobs_finalized: u64,
    /// GPU seconds billed.
    pub busy_secs: u64,
    /// DC burned.
    pub dc_burned: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 16],
}

/// What a fault attestation is about.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum FaultSubject {
    /// Job `job_id` of `market`: its result was wrong.
    Job {
        /// The market.
        market: Pubkey,
        /// The job id.
        job_id: u64,
    },
    /// The node's capacity proof for `hour` was wrong.
    Capacity {
        /// The hour.
        hour: u64,
    },
}

impl FaultSubject {
    /// The subject's hash for `gpu_node` (a PDA seed): `lattice_math::compute::job_fault_subject`
    /// or `capacity_fault_subject`.
    pub fn hash(&self, gpu_node: &Pubkey) -> [u8; 32] {
        match self {
            FaultSubject::Job { market, job_id } => {
                lattice_math::compute::job_fault_subject(&market.to_bytes(), *job_id)
            }
            FaultSubject::Capacity { hour } => {
                lattice_math::compute::capacity_fault_subject(&gpu_node.to_bytes(), *hour)
            }
        }
    }
}

/// The oracles' votes on one fault: PDA `[FAULT_SEED, gpu_node, subject_hash]`, created by the
/// first vote (rent paid by that oracle).
#[account]
#[derive(InitSpace, Debug)]
pub struct Fault {
    /// The registry `GpuNode` account.
    pub gpu_node: Pubkey,
    /// The subject's hash (a PDA seed).
    pub subject_hash: [u8; 32],
    /// The subject.
    pub subject: FaultSubject,
    /// Oracle-set generation of the votes; votes of an older one are void.
    pub oracle_generation: u32,
    /// Bit `i` set = oracle `i` of the configuration's set voted.
    pub votes: u8,
    /// True once the votes reached the threshold and the fault was executed.
    pub executed: bool,
    /// Main-token base units slashed when executed.
    pub stake_slashed: u64,
    /// The oracle that paid the rent.
    pub creator: Pubkey,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields.
    pub reserved: [u8; 16],
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn market() -> Market {
        Market {
            config: Pubkey::default(),
            class_id: 0,
            params: MarketParams {
                name: [b'x'; MARKET_NAME_LEN],
                min_vram_gb: 8,
                min_stake: 1,
                price_floor_dc_per_sec: 1,
                max_duration_secs: 60,
                max_jobs_per_node: 1,
                verification_window_secs: 60,
                timeout_slash_bps: 0,
                capacity_weight_bps: 0,
            },
            next_job_id: 0,
            queue: [0; QUEUE_CAPACITY],
            queue_len: 0,
            stats: MarketStats::default(),
            bump: 0,
            reserved: [0; 32],
        }
    }

    #[test]
    fn queue_keeps_order_and_bounds() {
        let mut m = market();
        for id in 0..QUEUE_CAPACITY as u64 {
            m.enqueue(id).unwrap();
        }
        assert!(m.enqueue(99).is_err(), "full");
        m.dequeue(5).unwrap();
        m.dequeue(0).unwrap();
        m.dequeue(QUEUE_CAPACITY as u64 - 1).unwrap();
        let expected: Vec<u64> = (1..QUEUE_CAPACITY as u64 - 1).filter(|i| *i != 5).collect();
        assert_eq!(m.pending(), expected.as_slice());
        assert!(m.dequeue(5).is_err(), "not queued");
        m.enqueue(99).unwrap();
        assert_eq!(m.pending().last(), Some(&99));
        while let Some(id) = m.pending().first().copied() {
            m.dequeue(id).unwrap();
        }
        assert_eq!(m.queue, [0; QUEUE_CAPACITY]);
    }

    #[test]
    fn oracle_sets() {
        let keys: Vec<Pubkey> = (0..8).map(|_| Pubkey::new_unique()).collect();
        assert!(oracle_set_is_valid(&[], 0));
        assert!(!oracle_set_is_valid(&[], 1));
        assert!(!oracle_set_is_valid(&keys[..1], 1), "no single key slashes");
        assert!(!oracle_set_is_valid(&keys[..2], 1));
        assert!(oracle_set_is_valid(&keys[..2], 2));
        assert!(!oracle_set_is_valid(&keys[..3], 1));
        assert!(oracle_set_is_valid(&keys[..3], 2));
        assert!(!oracle_set_is_valid(&keys[..4], 2), "k must exceed n/2");
        assert!(oracle_set_is_valid(&keys[..4], 3));
        assert!(!oracle_set_is_valid(&keys[..3], 4), "k <= n");
        assert!(oracle_set_is_valid(&keys[..7], 4));
        assert!(!oracle_set_is_valid(&keys[..8], 5), "at most 7");
        assert!(!oracle_set_is_valid(&[keys[0], keys[0]], 2), "distinct");
        assert!(!oracle_set_is_valid(&[keys[0], Pubkey::default()], 2));
    }
}
