//! Instruction handlers, one file each, and the account groups and CPIs they share.

pub mod attest_fault;
pub mod cancel_job;
pub mod claim_job;
pub mod close_job;
pub mod close_node_epoch;
pub mod create_market;
pub mod finalize_job;
pub mod initialize_compute;
pub mod post_job;
pub mod set_compute_params;
pub mod set_market_params;
pub mod set_oracles;
pub mod submit_result;
pub mod timeout_job;

// Each module has a `handler`; the globs exist for Anchor's generated client modules.
#[allow(ambiguous_glob_reexports)]
pub use attest_fault::*;
#[allow(ambiguous_glob_reexports)]
pub use cancel_job::*;
#[allow(ambiguous_glob_reexports)]
pub use claim_job::*;
#[allow(ambiguous_glob_reexports)]
pub use close_job::*;
#[allow(ambiguous_glob_reexports)]
pub use close_node_epoch::*;
#[allow(ambiguous_glob_reexports)]
pub use create_market::*;
#[allow(ambiguous_glob_reexports)]
pub use finalize_job::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize_compute::*;
#[allow(ambiguous_glob_reexports)]
pub use post_job::*;
#[allow(ambiguous_glob_reexports)]
pub use set_compute_params::*;
#[allow(ambiguous_glob_reexports)]
pub use set_market_params::*;
#[allow(ambiguous_glob_reexports)]
pub use set_oracles::*;
#[allow(ambiguous_glob_reexports)]
pub use submit_result::*;
#[allow(ambiguous_glob_reexports)]
pub use timeout_job::*;

use crate::{constants::*, errors::ComputeError, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{token::Token, token_2022::Token2022};
use lattice_data_credits::program::LatticeDataCredits;
use lattice_registry::program::LatticeRegistry;

/// The configuration's authority and the configuration (written), for the administrative
/// instructions.
#[derive(Accounts)]
pub struct Admin<'info> {
    /// The configuration's authority (the DAO authority at initialization; later governance).
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [COMPUTE_CONFIG_SEED, config.dao.as_ref()],
        bump = config.bump,
        has_one = authority @ ComputeError::Unauthorized,
    )]
    pub config: Box<Account<'info, ComputeConfig>>,
}

/// A job with its market and configuration, each at its PDA (`ConstraintSeeds`) and belonging to
/// the next (`ConstraintHasOne`); all three are written (state, statistics, totals).
#[derive(Accounts)]
pub struct JobAccounts<'info> {
    #[account(mut, seeds = [COMPUTE_CONFIG_SEED, config.dao.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, ComputeConfig>>,
    #[account(
        mut,
        seeds = [MARKET_SEED, config.key().as_ref(), &[market.class_id]],
        bump = market.bump,
        has_one = config,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        mut,
        seeds = [JOB_SEED, market.key().as_ref(), &job.id.to_le_bytes()],
        bump = job.bump,
        has_one = market,
    )]
    pub job: Box<Account<'info, Job>>,
}

/// The DC accounts a job's escrow moves through. Each is checked against the configuration
/// ([`DcEscrow::check`]: `WrongDcAccount`), so a job can only ever escrow into, and be paid
/// from, the compute sub-DAO's pooled escrow; the data-credits program validates them again.
#[derive(Accounts)]
pub struct DcEscrow<'info> {
    /// CHECK: the DAO's data-credits configuration (`ComputeConfig.data_credits`).
    pub data_credits: UncheckedAccount<'info>,
    /// CHECK: the DC mint (`ComputeConfig.dc_mint`).
    #[account(mut)]
    pub dc_mint: UncheckedAccount<'info>,
    /// CHECK: the compute sub-DAO's DC settings (`ComputeConfig.sub_dao_dc`).
    #[account(mut)]
    pub sub_dao_dc: UncheckedAccount<'info>,
    /// CHECK: the pooled escrow of open jobs (`ComputeConfig.dc_escrow`).
    #[account(mut)]
    pub dc_escrow: UncheckedAccount<'info>,
    pub dc_program: Program<'info, LatticeDataCredits>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl<'info> DcEscrow<'info> {
    /// Refuse accounts other than the configuration's (`WrongDcAccount`).
    pub fn check(&self, config: &ComputeConfig) -> Result<()> {
        require!(
            self.data_credits.key() == config.data_credits
                && self.dc_mint.key() == config.dc_mint
                && self.sub_dao_dc.key() == config.sub_dao_dc
                && self.dc_escrow.key() == config.dc_escrow,
            ComputeError::WrongDcAccount
        );
        Ok(())
    }

    /// Return `amount` DC from the escrow to `destination` (`refund_delegated_dc`, signed by the
    /// configuration as the compute sub-DAO's burn authority); nothing when `amount` is 0.
    pub fn refund(
        &self,
        config: &Account<'info, ComputeConfig>,
        destination: &AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let seeds = config.signer_seeds();
        lattice_data_credits::cpi::refund_delegated_dc(
            CpiContext::new_with_signer(
                self.dc_program.key(),
                lattice_data_credits::cpi::accounts::RefundDelegatedDc {
                    burn_authority: config.to_account_info(),
                    data_credits: self.data_credits.to_account_info(),
                    dc_mint: self.dc_mint.to_account_info(),
                    sub_dao_dc: self.sub_dao_dc.to_account_info(),
                    escrow: self.dc_escrow.to_account_info(),
                    destination: destination.clone(),
                    token_2022_program: self.token_2022_program.to_account_info(),
                },
                &[&seeds],
            ),
            config.key(),
            amount,
        )
    }
}

/// The registry accounts that slash a node and release its job. The registry and slash
/// destination are checked against the configuration ([`NodeStake::check`]); the registry
/// program validates the rest.
#[derive(Accounts)]
pub struct NodeStake<'info> {
    /// CHECK: the DAO's registry (`ComputeConfig.registry`).
    pub registry: UncheckedAccount<'info>,
    /// CHECK: the registry's stake vault; validated by the registry program.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// CHECK: the configured slash destination (`ComputeConfig.slash_destination`).
    #[account(mut)]
    pub slash_destination: UncheckedAccount<'info>,
    pub registry_program: Program<'info, LatticeRegistry>,
    pub token_program: Program<'info, Token>,
}

impl<'info> NodeStake<'info> {
    /// Refuse another registry (`WrongRegistry`) or slash destination (`WrongSlashDestination`).
    pub fn check(&self, config: &ComputeConfig) -> Result<()> {
        require_keys_eq!(
            self.registry.key(),
            config.registry,
            ComputeError::WrongRegistry
        );
        require_keys_eq!(
            self.slash_destination.key(),
            config.slash_destination,
            ComputeError::WrongSlashDestination
        );
        Ok(())
    }

    /// Slash `amount` of `gpu_node`'s stake to the slash destination (`slash_stake`, signed by
    /// the configuration); nothing when `amount` is 0.
    pub fn slash(
        &self,
        config: &Account<'info, ComputeConfig>,
        gpu_node: &AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let seeds = config.signer_seeds();
        lattice_registry::cpi::slash_stake(
            CpiContext::new_with_signer(
                self.registry_program.key(),
                lattice_registry::cpi::accounts::SlashStake {
                    compute: signed_node(config, &self.registry.to_account_info(), gpu_node),
                    stake_vault: self.stake_vault.to_account_info(),
                    destination: self.slash_destination.to_account_info(),
                    token_program: self.token_program.to_account_info(),
                },
                &[&seeds],
            ),
            amount,
        )
    }

    /// Release the job `gpu_node` holds.
    pub fn release(
        &self,
        config: &Account<'info, ComputeConfig>,
        gpu_node: &AccountInfo<'info>,
    ) -> Result<()> {
        jobs_held(
            config,
            &self.registry.to_account_info(),
            gpu_node,
            &self.registry_program.to_account_info(),
            false,
        )
    }
}

/// Count one job more (`hold`) or fewer held by `gpu_node` in the registry, signing as the
/// configuration.
pub(crate) fn jobs_held<'info>(
    config: &Account<'info, ComputeConfig>,
    registry: &AccountInfo<'info>,
    gpu_node: &AccountInfo<'info>,
    registry_program: &AccountInfo<'info>,
    hold: bool,
) -> Result<()> {
    let seeds = config.signer_seeds();
    let signer: [&[&[u8]]; 1] = [&seeds];
    let ctx = CpiContext::new_with_signer(
        registry_program.key(),
        signed_node(config, registry, gpu_node),
        &signer,
    );
    if hold {
        lattice_registry::cpi::hold_job(ctx)
    } else {
        lattice_registry::cpi::release_job(ctx)
    }
}

/// The registry accounts naming `gpu_node` with the configuration as signer.
fn signed_node<'info>(
    config: &Account<'info, ComputeConfig>,
    registry: &AccountInfo<'info>,
    gpu_node: &AccountInfo<'info>,
) -> lattice_registry::cpi::accounts::UpdateJobsHeld<'info> {
    lattice_registry::cpi::accounts::UpdateJobsHeld {
        compute_config: config.to_account_info(),
        registry: registry.clone(),
        gpu_node: gpu_node.clone(),
    }
}

/// Create a PDA of this program and write `value` into it. Created by hand (see
/// `lattice_dao::utils::create_pda_account`) so lamports sent to a predictable address first
/// (the next job id, a node's hour) cannot block it.
pub(crate) fn create_account<'info, T: AccountSerialize + Space>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    lattice_dao::utils::create_pda_account(
        payer,
        account,
        system_program,
        8usize.saturating_add(T::INIT_SPACE),
        &crate::ID,
        seeds,
    )?;
    write_account(account, value)
}

/// Serialize `value` (discriminator first) into `account`'s data.
pub(crate) fn write_account<T: AccountSerialize>(account: &AccountInfo, value: &T) -> Result<()> {
    let mut data = account.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}

/// Deserialize `account` as `T` if this program owns it (`None` for an account not created yet).
pub(crate) fn read_account<T: AccountDeserialize>(account: &AccountInfo) -> Result<Option<T>> {
    if account.owner != &crate::ID || account.data_is_empty() {
        return Ok(None);
    }
    let data = account.try_borrow_data()?;
    T::try_deserialize(&mut &data[..]).map(Some)
}

/// Add `amount` to a running total.
pub(crate) fn add(total: &mut u64, amount: u64) -> Result<()> {
    *total = total
        .checked_add(amount)
        .ok_or(ComputeError::MathOverflow)?;
    Ok(())
}

/// The current unix time.
pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
