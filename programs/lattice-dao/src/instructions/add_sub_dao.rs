use crate::{constants::*, errors::DaoError, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use lattice_math::epoch::hour_of;

/// Arguments of `add_sub_dao`. Amounts are in sub-DAO token base units.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct AddSubDaoArgs {
    /// Name, 1..=16 bytes of `a-z 0-9 - _`; a PDA seed.
    pub name: String,
    /// Decimals of the sub-DAO token.
    pub decimals: u8,
    /// Hard cap on the sub-DAO token supply, in base units.
    pub max_supply: u64,
    /// Hourly sub-DAO token schedule.
    pub emission: EmissionParams,
    /// Circuit breaker on sub-DAO token mints.
    pub breaker: BreakerParams,
}

#[derive(Accounts)]
#[instruction(args: AddSubDaoArgs)]
pub struct AddSubDao<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The DAO's authority.
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
        has_one = main_mint,
    )]
    pub dao: Box<Account<'info, Dao>>,
    pub main_mint: Box<Account<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        space = 8 + SubDao::INIT_SPACE,
        seeds = [SUB_DAO_SEED, dao.key().as_ref(), args.name.as_bytes()],
        bump,
    )]
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// The new sub-DAO token mint; its authority is the sub-DAO PDA.
    #[account(init, payer = payer, mint::decimals = args.decimals, mint::authority = sub_dao)]
    pub sub_dao_mint: Box<Account<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        seeds = [TREASURY_SEED, sub_dao.key().as_ref()],
        bump,
        token::mint = main_mint,
        token::authority = sub_dao,
    )]
    pub treasury: Box<Account<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        seeds = [DELEGATOR_POOL_SEED, sub_dao.key().as_ref()],
        bump,
        token::mint = main_mint,
        token::authority = sub_dao,
    )]
    pub delegator_pool: Box<Account<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        seeds = [REWARDS_ESCROW_SEED, sub_dao.key().as_ref()],
        bump,
        token::mint = sub_dao_mint,
        token::authority = sub_dao,
    )]
    pub rewards_escrow: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// True for 1..=16 bytes of `a-z 0-9 - _`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Add a sub-DAO.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - refuse a bad name (`InvalidName`), a full DAO (`TooManySubDaos`), an invalid schedule
///   (`InvalidSchedule`), a pool above the cap (`ScheduleExceedsCap`), and a breaker with a zero
///   window or below the peak hour (`InvalidBreaker`);
/// - start the sub-DAO at the later of the DAO genesis hour and the current hour, so hours
///   already past never pay it;
/// - append it to the DAO's ordered sub-DAO list.
pub fn handler(ctx: Context<AddSubDao>, args: AddSubDaoArgs) -> Result<()> {
    require!(is_valid_name(&args.name), DaoError::InvalidName);
    let dao = &mut ctx.accounts.dao;
    require!(dao.sub_daos.len() < MAX_SUB_DAOS, DaoError::TooManySubDaos);
    crate::instructions::validate_schedule(&args.emission, 0, args.max_supply, &args.breaker)?;

    let now = Clock::get()?.unix_timestamp;
    let index = u8::try_from(dao.sub_daos.len()).map_err(|_| DaoError::TooManySubDaos)?;
    let sub_dao_key = ctx.accounts.sub_dao.key();
    ctx.accounts.sub_dao.set_inner(SubDao {
        version: 1,
        dao: dao.key(),
        index,
        name: args.name,
        mint: ctx.accounts.sub_dao_mint.key(),
        treasury: ctx.accounts.treasury.key(),
        delegator_pool: ctx.accounts.delegator_pool.key(),
        rewards_escrow: ctx.accounts.rewards_escrow.key(),
        max_supply: args.max_supply,
        genesis_hour: dao.genesis_hour.max(hour_of(now)),
        emission: args.emission,
        breaker: Breaker::new(args.breaker),
        tokens_emitted: 0,
        main_to_treasury: 0,
        main_to_delegators: 0,
        bump: ctx.bumps.sub_dao,
        active_devices: 0,
        ve_start_hour: 0,
        reserved: [0; 48],
    });
    dao.sub_daos.push(sub_dao_key);
    ctx.accounts.sub_dao.invariant()?;
    dao.invariant()
}
