//! The GPU job market (the compute program): PDAs, a [`ComputeKeys`] bundle, typed instruction
//! builders for every instruction, account reads (configuration, markets with their queue, jobs,
//! node hours, faults), error names and event decoding.
//!
//! A worker's loop: [`fetch_market`] → [`Market::pending`] → [`fetch_job`] → [`claim_job`] → run
//! → [`submit_result`]; anyone then sends [`finalize_job`] once the verification window passed,
//! or [`timeout_job`] past a claimed job's deadline. Work units of a node's hour:
//! [`fetch_node_epoch`].

use crate::{chain::Chain, error::ChainError};
use anchor_lang::{InstructionData, ToAccountMetas};
use lattice_compute::{
    accounts as acc, constants::*, instruction as data, ComputeConfig, ComputeError, ComputeParams,
    Fault, FaultSubject, InitializeComputeArgs, Job, Market, MarketParams, NodeEpoch, PostJobArgs,
};
use solana_sdk::{instruction::Instruction, pubkey::Pubkey};

pub use lattice_compute::{JobKind, JobState};
pub use lattice_math::compute::{capacity_fault_subject, job_fault_subject};

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &lattice_compute::ID).0
}

/// The compute configuration of a DAO.
pub fn compute_config(dao: &Pubkey) -> Pubkey {
    pda(&[COMPUTE_CONFIG_SEED, dao.as_ref()])
}

/// The market of GPU class `class_id`.
pub fn market(config: &Pubkey, class_id: u8) -> Pubkey {
    pda(&[MARKET_SEED, config.as_ref(), &[class_id]])
}

/// Job `job_id` of `market`.
pub fn job(market: &Pubkey, job_id: u64) -> Pubkey {
    pda(&[JOB_SEED, market.as_ref(), &job_id.to_le_bytes()])
}

/// The record of a GPU node's (its registry `GpuNode` address) finished work in `hour`.
pub fn node_epoch(gpu_node: &Pubkey, hour: u64) -> Pubkey {
    pda(&[NODE_EPOCH_SEED, gpu_node.as_ref(), &hour.to_le_bytes()])
}

/// The network's finished work in `hour` (configuration `config`).
pub fn compute_hour(config: &Pubkey, hour: u64) -> Pubkey {
    pda(&[COMPUTE_HOUR_SEED, config.as_ref(), &hour.to_le_bytes()])
}

/// The oracles' votes on a fault of `gpu_node` about `subject_hash`.
pub fn fault(gpu_node: &Pubkey, subject_hash: &[u8; 32]) -> Pubkey {
    pda(&[FAULT_SEED, gpu_node.as_ref(), subject_hash])
}

/// A market name as the fixed-size field the program stores (truncated, zero-padded).
pub fn market_name(name: &str) -> [u8; MARKET_NAME_LEN] {
    let mut out = [0u8; MARKET_NAME_LEN];
    for (o, b) in out.iter_mut().zip(name.bytes()) {
        *o = b;
    }
    out
}

/// A stored market name as text (up to the first zero byte).
pub fn market_name_str(name: &[u8; MARKET_NAME_LEN]) -> String {
    let end = name.iter().position(|b| *b == 0).unwrap_or(name.len());
    String::from_utf8_lossy(&name[..end]).into_owned()
}

/// What every compute instruction needs to know about a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComputeKeys {
    /// The DAO.
    pub dao: Pubkey,
    /// The main mint (stakes).
    pub main_mint: Pubkey,
    /// The compute sub-DAO.
    pub compute_sub_dao: Pubkey,
    /// The configuration's slash destination (a main-token account).
    pub slash_destination: Pubkey,
}

impl ComputeKeys {
    /// Keys for the DAO of `main_mint` whose compute sub-DAO is named `compute_name`.
    pub fn new(main_mint: &Pubkey, compute_name: &str, slash_destination: &Pubkey) -> Self {
        let dao = crate::pda::dao(main_mint);
        Self {
            dao,
            main_mint: *main_mint,
            compute_sub_dao: crate::pda::sub_dao(&dao, compute_name),
            slash_destination: *slash_destination,
        }
    }

    /// The keys of a loaded configuration.
    pub fn from_config(config: &ComputeConfig) -> Self {
        Self {
            dao: config.dao,
            main_mint: config.main_mint,
            compute_sub_dao: config.compute_sub_dao,
            slash_destination: config.slash_destination,
        }
    }

    /// Load the configuration of `dao` and return its keys (`NotFound` if compute is not
    /// initialized).
    pub async fn load<C: Chain>(chain: &C, dao: &Pubkey) -> Result<Self, ChainError> {
        fetch_config(chain, dao)
            .await?
            .map(|c| Self::from_config(&c))
            .ok_or_else(|| ChainError::NotFound(format!("compute configuration of DAO {dao}")))
    }

    /// The configuration PDA.
    pub fn config(&self) -> Pubkey {
        compute_config(&self.dao)
    }

    /// The DAO's registry.
    pub fn registry(&self) -> Pubkey {
        crate::registry::registry(&self.dao)
    }

    /// The registry's stake vault.
    pub fn stake_vault(&self) -> Pubkey {
        crate::registry::stake_vault(&self.registry())
    }

    /// The pooled DC escrow of open jobs (payer key = the configuration).
    pub fn dc_escrow(&self) -> Pubkey {
        crate::dc::escrow(&self.compute_sub_dao, &self.config())
    }

    /// The market of class `class_id`.
    pub fn market(&self, class_id: u8) -> Pubkey {
        market(&self.config(), class_id)
    }

    /// Job `job_id` of the market of class `class_id`.
    pub fn job(&self, class_id: u8, job_id: u64) -> Pubkey {
        job(&self.market(class_id), job_id)
    }

    /// `owner`'s DC account (its associated Token-2022 account; the only one `post_job` takes).
    pub fn dc_account(&self, owner: &Pubkey) -> Pubkey {
        crate::dc::dc_account(owner, &self.dao)
    }

    fn dc(&self) -> acc::DcEscrow {
        acc::DcEscrow {
            data_credits: crate::dc::data_credits(&self.dao),
            dc_mint: crate::dc::dc_mint(&self.dao),
            sub_dao_dc: crate::dc::sub_dao_dc(&self.compute_sub_dao),
            dc_escrow: self.dc_escrow(),
            dc_program: lattice_data_credits::ID,
            token_2022_program: anchor_spl::token_2022::ID,
        }
    }

    fn admin(&self, authority: &Pubkey) -> acc::Admin {
        acc::Admin {
            authority: *authority,
            config: self.config(),
        }
    }

    fn target(&self, market: &Pubkey, job_id: u64) -> acc::JobAccounts {
        acc::JobAccounts {
            config: self.config(),
            market: *market,
            job: job(market, job_id),
        }
    }

    fn stake(&self) -> acc::NodeStake {
        acc::NodeStake {
            registry: self.registry(),
            stake_vault: self.stake_vault(),
            slash_destination: self.slash_destination,
            registry_program: lattice_registry::ID,
            token_program: anchor_spl::token::ID,
        }
    }
}

fn ix(accounts: Vec<solana_sdk::instruction::AccountMeta>, data: Vec<u8>) -> Instruction {
    Instruction {
        program_id: lattice_compute::ID,
        accounts,
        data,
    }
}

/// `initialize_compute`: the DAO `authority` signs; `keys.slash_destination` must be a
/// main-token account.
pub fn initialize_compute(
    payer: &Pubkey,
    authority: &Pubkey,
    keys: &ComputeKeys,
    args: InitializeComputeArgs,
) -> Instruction {
    ix(
        acc::InitializeCompute {
            payer: *payer,
            authority: *authority,
            dao: keys.dao,
            compute_sub_dao: keys.compute_sub_dao,
            registry: keys.registry(),
            data_credits: crate::dc::data_credits(&keys.dao),
            sub_dao_dc: crate::dc::sub_dao_dc(&keys.compute_sub_dao),
            slash_destination: keys.slash_destination,
            config: keys.config(),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::InitializeCompute { args }.data(),
    )
}

/// `set_compute_params`: the configuration's `authority` signs; the slash destination becomes
/// `keys.slash_destination`.
pub fn set_compute_params(
    authority: &Pubkey,
    keys: &ComputeKeys,
    params: ComputeParams,
) -> Instruction {
    ix(
        acc::SetComputeParams {
            admin: keys.admin(authority),
            slash_destination: keys.slash_destination,
        }
        .to_account_metas(None),
        data::SetComputeParams { params }.data(),
    )
}

/// `set_oracles`: the configuration's `authority` signs.
pub fn set_oracles(
    authority: &Pubkey,
    keys: &ComputeKeys,
    oracles: Vec<Pubkey>,
    threshold: u8,
) -> Instruction {
    ix(
        acc::SetOracles {
            admin: keys.admin(authority),
        }
        .to_account_metas(None),
        data::SetOracles { oracles, threshold }.data(),
    )
}

/// `create_market`: the configuration's `authority` signs.
pub fn create_market(
    payer: &Pubkey,
    authority: &Pubkey,
    keys: &ComputeKeys,
    class_id: u8,
    params: MarketParams,
) -> Instruction {
    ix(
        acc::CreateMarket {
            payer: *payer,
            admin: keys.admin(authority),
            market: keys.market(class_id),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::CreateMarket { class_id, params }.data(),
    )
}

/// `set_market_params`: the configuration's `authority` signs.
pub fn set_market_params(
    authority: &Pubkey,
    keys: &ComputeKeys,
    class_id: u8,
    params: MarketParams,
) -> Instruction {
    ix(
        acc::SetMarketParams {
            admin: keys.admin(authority),
            market: keys.market(class_id),
        }
        .to_account_metas(None),
        data::SetMarketParams { class_id, params }.data(),
    )
}

/// `post_job`: the `poster` signs and pays from its DC account. `job_id` must be the market's
/// `next_job_id` (read it with [`fetch_market`]).
pub fn post_job(
    poster: &Pubkey,
    keys: &ComputeKeys,
    class_id: u8,
    job_id: u64,
    args: PostJobArgs,
) -> Instruction {
    ix(
        acc::PostJob {
            poster: *poster,
            config: keys.config(),
            market: keys.market(class_id),
            job: keys.job(class_id, job_id),
            poster_dc: keys.dc_account(poster),
            dc: keys.dc(),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::PostJob { args }.data(),
    )
}

/// `cancel_job`: the `poster` signs; the refund goes to its DC account.
pub fn cancel_job(poster: &Pubkey, keys: &ComputeKeys, class_id: u8, job_id: u64) -> Instruction {
    ix(
        acc::CancelJob {
            poster: *poster,
            target: keys.target(&keys.market(class_id), job_id),
            poster_dc: keys.dc_account(poster),
            dc: keys.dc(),
        }
        .to_account_metas(None),
        data::CancelJob {}.data(),
    )
}

/// `claim_job`: the GPU node's `device` key signs.
pub fn claim_job(device: &Pubkey, keys: &ComputeKeys, class_id: u8, job_id: u64) -> Instruction {
    ix(
        acc::ClaimJob {
            device: *device,
            config: keys.config(),
            market: keys.market(class_id),
            job: keys.job(class_id, job_id),
            gpu_node: crate::registry::gpu_node(device),
            registry: keys.registry(),
            registry_program: lattice_registry::ID,
        }
        .to_account_metas(None),
        data::ClaimJob {}.data(),
    )
}

/// `submit_result`: the claiming node's `device` key signs. `merkle_root` is the root over the
/// result rows for matmul jobs and `[0; 32]` for container jobs.
pub fn submit_result(
    device: &Pubkey,
    keys: &ComputeKeys,
    class_id: u8,
    job_id: u64,
    result_hash: [u8; 32],
    result_uri: String,
    merkle_root: [u8; 32],
) -> Instruction {
    ix(
        acc::SubmitResult {
            device: *device,
            job: keys.job(class_id, job_id),
        }
        .to_account_metas(None),
        data::SubmitResult {
            result_hash,
            result_uri,
            merkle_root,
        }
        .data(),
    )
}

/// `finalize_job` of a loaded `job` (its node and refund account are read from it), recorded
/// in `hour` (the chain's current hour). Anyone signs as `payer`.
pub fn finalize_job(payer: &Pubkey, keys: &ComputeKeys, job: &Job, hour: u64) -> Instruction {
    ix(
        acc::FinalizeJob {
            payer: *payer,
            target: keys.target(&job.market, job.id),
            poster_dc: job.poster_dc,
            gpu_node: job.node,
            node_epoch: node_epoch(&job.node, hour),
            compute_hour: compute_hour(&compute_config(&keys.dao), hour),
            dc: keys.dc(),
            dao: keys.dao,
            compute_sub_dao: keys.compute_sub_dao,
            sub_dao_epoch: crate::pda::sub_dao_epoch(&keys.compute_sub_dao, hour),
            dao_program: lattice_dao::ID,
            registry: keys.registry(),
            registry_program: lattice_registry::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::FinalizeJob {}.data(),
    )
}

/// `timeout_job` of a loaded `job`. Anyone signs as `caller`.
pub fn timeout_job(caller: &Pubkey, keys: &ComputeKeys, job: &Job) -> Instruction {
    ix(
        acc::TimeoutJob {
            caller: *caller,
            target: keys.target(&job.market, job.id),
            poster_dc: job.poster_dc,
            gpu_node: job.node,
            dc: keys.dc(),
            stake: keys.stake(),
        }
        .to_account_metas(None),
        data::TimeoutJob {}.data(),
    )
}

/// `attest_fault` by `oracle` about the GPU node of `device`. For a job subject the market and
/// job accounts are derived from it; pass the job's `poster_dc` so that the executing vote can
/// refund a claimed or submitted job.
pub fn attest_fault(
    oracle: &Pubkey,
    keys: &ComputeKeys,
    device: &Pubkey,
    subject: FaultSubject,
    poster_dc: Option<&Pubkey>,
) -> Instruction {
    let gpu_node = crate::registry::gpu_node(device);
    let (market, job) = match subject {
        FaultSubject::Job { market, job_id } => (Some(market), Some(self::job(&market, job_id))),
        FaultSubject::Capacity { .. } => (None, None),
    };
    ix(
        acc::AttestFault {
            oracle: *oracle,
            config: keys.config(),
            gpu_node,
            fault: fault(&gpu_node, &subject.hash(&gpu_node)),
            market,
            job,
            poster_dc: poster_dc.copied(),
            dc: keys.dc(),
            stake: keys.stake(),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data::AttestFault { subject }.data(),
    )
}

/// `close_job`: the `poster` signs and gets the rent back.
pub fn close_job(poster: &Pubkey, market: &Pubkey, job_id: u64) -> Instruction {
    ix(
        acc::CloseJob {
            poster: *poster,
            job: job(market, job_id),
        }
        .to_account_metas(None),
        data::CloseJob {}.data(),
    )
}

/// `close_node_epoch`: permissionless; the rent returns to `creator`, the record's creator.
pub fn close_node_epoch(gpu_node: &Pubkey, hour: u64, creator: &Pubkey) -> Instruction {
    ix(
        acc::CloseNodeEpoch {
            node_epoch: node_epoch(gpu_node, hour),
            creator: *creator,
        }
        .to_account_metas(None),
        data::CloseNodeEpoch {}.data(),
    )
}

/// The compute configuration of `dao`, if initialized.
pub async fn fetch_config<C: Chain>(
    chain: &C,
    dao: &Pubkey,
) -> Result<Option<ComputeConfig>, ChainError> {
    crate::accounts::fetch(chain, &compute_config(dao)).await
}

/// The market at `market` (with its queue: [`Market::pending`]), if it exists.
pub async fn fetch_market<C: Chain>(
    chain: &C,
    market: &Pubkey,
) -> Result<Option<Market>, ChainError> {
    crate::accounts::fetch(chain, market).await
}

/// Job `job_id` of `market`, if it exists (closed jobs do not).
pub async fn fetch_job<C: Chain>(
    chain: &C,
    market: &Pubkey,
    job_id: u64,
) -> Result<Option<Job>, ChainError> {
    crate::accounts::fetch(chain, &job(market, job_id)).await
}

/// The queued jobs of `market`, oldest first (one account read for the market, one batch for
/// the jobs; no getProgramAccounts).
pub async fn fetch_queued_jobs<C: Chain>(
    chain: &C,
    market: &Pubkey,
) -> Result<Vec<Job>, ChainError> {
    let Some(m) = fetch_market(chain, market).await? else {
        return Ok(Vec::new());
    };
    let keys: Vec<Pubkey> = m.pending().iter().map(|id| job(market, *id)).collect();
    let mut out = Vec::with_capacity(keys.len());
    for acct in chain
        .get_multiple_accounts(&keys)
        .await?
        .into_iter()
        .flatten()
    {
        out.push(crate::accounts::decode::<Job>(&acct.data)?);
    }
    Ok(out)
}

/// A GPU node's (its registry `GpuNode` address) work record of `hour`, if it finished a job
/// then.
pub async fn fetch_node_epoch<C: Chain>(
    chain: &C,
    gpu_node: &Pubkey,
    hour: u64,
) -> Result<Option<NodeEpoch>, ChainError> {
    crate::accounts::fetch(chain, &node_epoch(gpu_node, hour)).await
}

/// The votes on a fault of `gpu_node` about `subject`, if any oracle voted.
pub async fn fetch_fault<C: Chain>(
    chain: &C,
    gpu_node: &Pubkey,
    subject: &FaultSubject,
) -> Result<Option<Fault>, ChainError> {
    crate::accounts::fetch(chain, &fault(gpu_node, &subject.hash(gpu_node))).await
}

/// The compute program's error of custom `code`, if it is one.
pub fn compute_error(code: u32) -> Option<ComputeError> {
    use ComputeError as E;
    [
        E::Unauthorized,
        E::InvalidOracleSet,
        E::InvalidComputeParams,
        E::InvalidMarketParams,
        E::AlreadyInitialized,
        E::MarketExists,
        E::WrongSubDao,
        E::WrongRegistry,
        E::WrongDcAccount,
        E::WrongSlashDestination,
        E::WrongPosterDc,
        E::PriceBelowFloor,
        E::DurationOutOfRange,
        E::UriTooLong,
        E::QueueFull,
        E::NotPoster,
        E::JobNotQueued,
        E::NodeUnstaking,
        E::InsufficientStake,
        E::InsufficientVram,
        E::NodeBusy,
        E::JobNotClaimed,
        E::NotJobNode,
        E::SubmissionAfterDeadline,
        E::InvalidMerkleRoot,
        E::JobNotSubmitted,
        E::VerificationWindowOpen,
        E::DeadlineNotPassed,
        E::WrongNodeAccount,
        E::FaultAttestationsDisabled,
        E::NotAnOracle,
        E::AlreadyVoted,
        E::FaultAlreadyExecuted,
        E::FaultSubjectMismatch,
        E::MissingJobAccount,
        E::WrongRefundAccount,
        E::FutureSubject,
        E::JobNotTerminal,
        E::RetentionNotOver,
        E::MathOverflow,
        E::InvariantViolated,
    ]
    .into_iter()
    .find(|e| u32::from(*e) == code)
}

pub use events::{compute_events_from_logs, decode_compute_event, ComputeEvent};

/// Decoding of the compute program's events.
pub mod events {
    use crate::events::{decode_body, program_data};
    use lattice_compute::events::*;

    /// An event of the compute program.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[allow(missing_docs)]
    pub enum ComputeEvent {
        ComputeInitialized(ComputeInitialized),
        ComputeParamsSet(ComputeParamsSet),
        OraclesSet(OraclesSet),
        MarketParamsSet(MarketParamsSet),
        JobPosted(JobPosted),
        JobCancelled(JobCancelled),
        JobClaimed(JobClaimed),
        ResultSubmitted(ResultSubmitted),
        JobFinalized(JobFinalized),
        JobTimedOut(JobTimedOut),
        FaultVoted(FaultVoted),
        FaultExecuted(FaultExecuted),
        JobFaulted(JobFaulted),
        JobClosed(JobClosed),
        NodeEpochClosed(NodeEpochClosed),
    }

    /// Decode one compute event payload (discriminator + borsh); `None` for other payloads.
    pub fn decode_compute_event(data: &[u8]) -> Option<ComputeEvent> {
        use ComputeEvent as E;
        decode_body(data)
            .map(E::ComputeInitialized)
            .or_else(|| decode_body(data).map(E::ComputeParamsSet))
            .or_else(|| decode_body(data).map(E::OraclesSet))
            .or_else(|| decode_body(data).map(E::MarketParamsSet))
            .or_else(|| decode_body(data).map(E::JobPosted))
            .or_else(|| decode_body(data).map(E::JobCancelled))
            .or_else(|| decode_body(data).map(E::JobClaimed))
            .or_else(|| decode_body(data).map(E::ResultSubmitted))
            .or_else(|| decode_body(data).map(E::JobFinalized))
            .or_else(|| decode_body(data).map(E::JobTimedOut))
            .or_else(|| decode_body(data).map(E::FaultVoted))
            .or_else(|| decode_body(data).map(E::FaultExecuted))
            .or_else(|| decode_body(data).map(E::JobFaulted))
            .or_else(|| decode_body(data).map(E::JobClosed))
            .or_else(|| decode_body(data).map(E::NodeEpochClosed))
    }

    /// Every compute event in a transaction's log messages, in order.
    pub fn compute_events_from_logs<S: AsRef<str>>(logs: &[S]) -> Vec<ComputeEvent> {
        program_data(logs)
            .filter_map(|bytes| decode_compute_event(&bytes))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::Event;

    #[test]
    fn error_codes_map_back() {
        let code = |e: Option<ComputeError>| e.map(u32::from);
        assert_eq!(code(compute_error(6_000)), Some(6_000));
        for e in [
            ComputeError::Unauthorized,
            ComputeError::NodeBusy,
            ComputeError::SubmissionAfterDeadline,
            ComputeError::InvariantViolated,
        ] {
            assert_eq!(code(compute_error(u32::from(e))), Some(u32::from(e)));
        }
        // Every code from 6000 up to the last variant maps back, and nothing beyond.
        let last = u32::from(ComputeError::InvariantViolated);
        assert!((6_000..=last).all(|c| code(compute_error(c)) == Some(c)));
        assert!(compute_error(last + 1).is_none());
        assert!(compute_error(5_999).is_none());
    }

    #[test]
    fn market_names_round_trip() {
        assert_eq!(market_name_str(&market_name("consumer")), "consumer");
        assert_eq!(
            market_name_str(&market_name("a-very-long-market-name")),
            "a-very-long-mark"
        );
    }

    #[test]
    fn keys_derive_the_programs_addresses() {
        let keys = ComputeKeys::new(&Pubkey::new_unique(), "compute", &Pubkey::new_unique());
        assert_eq!(keys.config(), compute_config(&keys.dao));
        assert_eq!(
            keys.dc_escrow(),
            crate::dc::escrow(&keys.compute_sub_dao, &keys.config())
        );
        assert_eq!(keys.job(1, 7), job(&market(&keys.config(), 1), 7));
        // A capacity fault's address depends on the node and the hour only.
        let node = Pubkey::new_unique();
        let subject = FaultSubject::Capacity { hour: 5 };
        assert_eq!(
            fault(&node, &subject.hash(&node)),
            fault(&node, &capacity_fault_subject(&node.to_bytes(), 5))
        );
    }

    #[test]
    fn decodes_compute_events() {
        let posted = lattice_compute::events::JobPosted {
            market: Pubkey::new_unique(),
            job_id: 3,
            poster: Pubkey::new_unique(),
            kind: 0,
            spec_hash: [1; 32],
            price_dc_per_sec: 10,
            max_duration_secs: 60,
            escrow_dc: 600,
            queue_len: 1,
            posted_at: 1_774_800_060,
        };
        let closed = lattice_compute::events::JobClosed {
            market: posted.market,
            job_id: 3,
            poster: posted.poster,
        };
        let enc = |d: Vec<u8>| {
            use base64::Engine as _;
            format!(
                "Program data: {}",
                base64::engine::general_purpose::STANDARD.encode(d)
            )
        };
        let logs = [enc(posted.data()), "noise".to_string(), enc(closed.data())];
        assert_eq!(
            compute_events_from_logs(&logs),
            vec![
                ComputeEvent::JobPosted(posted),
                ComputeEvent::JobClosed(closed)
            ]
        );
    }
}
