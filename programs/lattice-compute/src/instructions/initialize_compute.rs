use crate::{constants::*, errors::ComputeError, events::ComputeInitialized, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;
use lattice_dao::{Dao, SubDao};
use lattice_data_credits::{DataCredits, SubDaoDc};
use lattice_registry::Registry;

/// Arguments of `initialize_compute`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeComputeArgs {
    /// Fault-oracle keys: empty (attestations off) or 2..=7 distinct keys.
    pub oracles: Vec<Pubkey>,
    /// Votes that execute a fault: 0 with no oracles, otherwise `2 ≤ k`, `n/2 < k ≤ n`.
    pub threshold: u8,
    /// Share of a node's stake an executed fault slashes, basis points (≤ 10 000).
    pub fault_slash_bps: u16,
}

#[derive(Accounts)]
pub struct InitializeCompute<'info> {
    /// Pays rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The DAO's authority; becomes the configuration's authority.
    pub authority: Signer<'info>,
    #[account(has_one = authority @ ComputeError::Unauthorized)]
    pub dao: Box<Account<'info, Dao>>,
    /// The compute sub-DAO: a sub-DAO of this DAO that the registry counts GPU nodes toward.
    #[account(has_one = dao @ ComputeError::WrongSubDao)]
    pub compute_sub_dao: Box<Account<'info, SubDao>>,
    #[account(
        seeds = [lattice_registry::REGISTRY_SEED, dao.key().as_ref()],
        bump = registry.bump,
        seeds::program = lattice_registry::ID,
        constraint = registry.compute_sub_dao == compute_sub_dao.key() @ ComputeError::WrongSubDao,
    )]
    pub registry: Box<Account<'info, Registry>>,
    #[account(
        seeds = [lattice_data_credits::DATA_CREDITS_SEED, dao.key().as_ref()],
        bump = data_credits.bump,
        seeds::program = lattice_data_credits::ID,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
    #[account(
        seeds = [lattice_data_credits::SUB_DAO_DC_SEED, compute_sub_dao.key().as_ref()],
        bump = sub_dao_dc.bump,
        seeds::program = lattice_data_credits::ID,
        has_one = data_credits,
    )]
    pub sub_dao_dc: Box<Account<'info, SubDaoDc>>,
    /// A main-token account: where slashed stake goes.
    #[account(token::mint = dao.main_mint)]
    pub slash_destination: Box<Account<'info, TokenAccount>>,
    /// CHECK: the configuration, created here by hand (a pre-funded address cannot block it).
    #[account(mut, seeds = [COMPUTE_CONFIG_SEED, dao.key().as_ref()], bump)]
    pub config: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Create a DAO's compute configuration.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`), for the DAO's compute sub-DAO: a sub-DAO of
///   this DAO (`WrongSubDao`) that is the registry's compute sub-DAO (`WrongSubDao`), with the
///   DAO's registry and data-credits accounts (`ConstraintSeeds`, `ConstraintHasOne`);
/// - take a main-token slash destination (`ConstraintTokenMint`);
/// - refuse an invalid oracle set (`InvalidOracleSet`), a fault slash above 10 000 bps
///   (`InvalidComputeParams`) and a second initialization (`AlreadyInitialized`);
/// - record the pooled DC escrow `[DC_ESCROW_SEED, compute_sub_dao, config]` (created by the
///   first job's `delegate_dc`); the compute sub-DAO's burn authority must then be set to the
///   configuration (`set_burn_authority`) before jobs can settle;
/// - emit `ComputeInitialized`.
pub fn handler(ctx: Context<InitializeCompute>, args: InitializeComputeArgs) -> Result<()> {
    require!(
        oracle_set_is_valid(&args.oracles, args.threshold),
        ComputeError::InvalidOracleSet
    );
    require!(
        u64::from(args.fault_slash_bps) <= lattice_math::BPS,
        ComputeError::InvalidComputeParams
    );
    let info = ctx.accounts.config.to_account_info();
    require!(
        info.owner != &crate::ID && info.data_is_empty(),
        ComputeError::AlreadyInitialized
    );
    let dao = ctx.accounts.dao.key();
    let sub_dao = ctx.accounts.compute_sub_dao.key();
    let config_key = info.key();
    let (dc_escrow, _) = Pubkey::find_program_address(
        &[DC_ESCROW_SEED, sub_dao.as_ref(), config_key.as_ref()],
        &lattice_data_credits::ID,
    );
    let config = ComputeConfig {
        version: 1,
        dao,
        authority: ctx.accounts.authority.key(),
        compute_sub_dao: sub_dao,
        registry: ctx.accounts.registry.key(),
        main_mint: ctx.accounts.dao.main_mint,
        dc_mint: ctx.accounts.data_credits.dc_mint,
        data_credits: ctx.accounts.data_credits.key(),
        sub_dao_dc: ctx.accounts.sub_dao_dc.key(),
        dc_escrow,
        oracles: args.oracles,
        threshold: args.threshold,
        oracle_generation: 0,
        slash_destination: ctx.accounts.slash_destination.key(),
        fault_slash_bps: args.fault_slash_bps,
        bump: ctx.bumps.config,
        totals: ComputeTotals::default(),
        reserved: [0; 64],
    };
    config.invariant()?;
    let seeds: [&[u8]; 3] = [
        COMPUTE_CONFIG_SEED,
        dao.as_ref(),
        std::slice::from_ref(&ctx.bumps.config),
    ];
    crate::instructions::create_account(
        &ctx.accounts.payer.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        &seeds,
        &config,
    )?;
    emit!(ComputeInitialized {
        config: config_key,
        dao,
        compute_sub_dao: sub_dao,
        oracles: config.oracles.clone(),
        threshold: config.threshold,
        fault_slash_bps: config.fault_slash_bps,
        slash_destination: config.slash_destination,
        authority: config.authority,
    });
    Ok(())
}
