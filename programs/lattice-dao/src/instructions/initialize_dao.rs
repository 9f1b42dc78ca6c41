use crate::{constants::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    associated_token::AssociatedToken,
    token::{self, Mint, MintTo, Token, TokenAccount},
};
use lattice_math::epoch::hour_of;

/// Arguments of `initialize_dao`. Amounts are in main-token base units.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeDaoArgs {
    /// Decimals of the main token.
    pub decimals: u8,
    /// Hard cap on main-token supply, in base units.
    pub max_supply: u64,
    /// Base units minted once, now, to the genesis recipient's associated token account.
    pub genesis_supply: u64,
    /// First emission hour; `None` means the current hour.
    pub genesis_hour: Option<u64>,
    /// Hourly emission schedule.
    pub emission: EmissionParams,
    /// Circuit breaker on emission mints.
    pub breaker: BreakerParams,
    /// Utility score weights.
    pub utility_weights: UtilityWeightParams,
    /// Delegator share of each sub-DAO part, in basis points.
    pub delegator_bps: u16,
}

#[derive(Accounts)]
#[instruction(args: InitializeDaoArgs)]
pub struct InitializeDao<'info> {
    /// Pays rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// Becomes the DAO's bootstrap authority.
    pub authority: Signer<'info>,
    /// The new main mint; its authority is the DAO PDA and it has no freeze authority.
    #[account(
        init,
        payer = payer,
        mint::decimals = args.decimals,
        mint::authority = dao,
    )]
    pub main_mint: Box<Account<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Dao::INIT_SPACE,
        seeds = [DAO_SEED, main_mint.key().as_ref()],
        bump,
    )]
    pub dao: Box<Account<'info, Dao>>,
    /// CHECK: any wallet; receives the genesis supply in its associated token account.
    pub genesis_recipient: UncheckedAccount<'info>,
    #[account(
        init,
        payer = payer,
        associated_token::mint = main_mint,
        associated_token::authority = genesis_recipient,
    )]
    pub genesis_account: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

/// Initialize the DAO.
///
/// Shall:
/// - refuse an invalid schedule (`InvalidSchedule`), a genesis supply plus pool above the cap
///   (`ScheduleExceedsCap`), a breaker with a zero window or below the peak hour (`InvalidBreaker`),
///   utility weights not summing to 10_000 (`InvalidUtilityWeights`) and a delegator share above
///   10_000 bps (`InvalidBps`);
/// - make the DAO PDA the main mint's only mint authority (no freeze authority);
/// - mint exactly `genesis_supply` once, outside the emission breaker (it is not an emission).
pub fn handler(ctx: Context<InitializeDao>, args: InitializeDaoArgs) -> Result<()> {
    crate::instructions::validate_schedule(
        &args.emission,
        args.genesis_supply,
        args.max_supply,
        &args.breaker,
    )?;
    crate::instructions::validate_utility_weights(&args.utility_weights)?;
    crate::instructions::validate_delegator_bps(args.delegator_bps)?;

    let now = Clock::get()?.unix_timestamp;
    let dao = &mut ctx.accounts.dao;
    dao.set_inner(Dao {
        version: 1,
        authority: ctx.accounts.authority.key(),
        main_mint: ctx.accounts.main_mint.key(),
        max_supply: args.max_supply,
        genesis_supply: args.genesis_supply,
        genesis_hour: args.genesis_hour.unwrap_or_else(|| hour_of(now)),
        emission: args.emission,
        breaker: Breaker::new(args.breaker),
        utility_weights: args.utility_weights,
        delegator_bps: args.delegator_bps,
        total_emitted: 0,
        hours_issued: 0,
        sub_daos: Vec::new(),
        bump: ctx.bumps.dao,
        reserved: [0; 64],
    });

    if args.genesis_supply > 0 {
        let seeds = dao.signer_seeds();
        token::mint_to(
            CpiContext::new_with_signer(
                ctx.accounts.token_program.key(),
                MintTo {
                    mint: ctx.accounts.main_mint.to_account_info(),
                    to: ctx.accounts.genesis_account.to_account_info(),
                    authority: dao.to_account_info(),
                },
                &[&seeds],
            ),
            args.genesis_supply,
        )?;
    }
    dao.invariant()
}
