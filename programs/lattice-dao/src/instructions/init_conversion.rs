use crate::{constants::*, errors::DaoError, events::ConversionParamsSet, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, InitializeAccount3, Token, TokenAccount};

#[derive(Accounts)]
pub struct InitConversion<'info> {
    /// Pays rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The DAO's authority.
    pub authority: Signer<'info>,
    #[account(
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = authority @ DaoError::Unauthorized,
    )]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    /// CHECK: the sub-DAO's token mint (`address`); read by the token program.
    #[account(address = sub_dao.mint @ DaoError::WrongMint)]
    pub sub_dao_mint: UncheckedAccount<'info>,
    /// CHECK: the conversion state, created here by hand (a pre-funded address cannot block it).
    #[account(mut, seeds = [CONVERSION_SEED, sub_dao.key().as_ref()], bump)]
    pub conversion: UncheckedAccount<'info>,
    /// CHECK: the sub-DAO token pool, created here by hand and initialized by the token program.
    #[account(mut, seeds = [CONVERSION_POOL_SEED, sub_dao.key().as_ref()], bump)]
    pub pool: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Open a sub-DAO's treasury conversion.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - refuse invalid parameters (`InvalidConversionParams`) and a second initialization
///   (`ConversionAlreadyInitialized`);
/// - create the conversion state and an empty sub-DAO token pool owned by the sub-DAO PDA, both
///   at their PDAs even if someone sent lamports there first;
/// - emit `ConversionParamsSet`.
pub fn handler(ctx: Context<InitConversion>, params: ConversionParams) -> Result<()> {
    params.validate()?;
    let conversion = ctx.accounts.conversion.to_account_info();
    require!(
        conversion.owner != &crate::ID && conversion.data_is_empty(),
        DaoError::ConversionAlreadyInitialized
    );
    let sub_dao = ctx.accounts.sub_dao.key();
    let payer = ctx.accounts.payer.to_account_info();
    let system = ctx.accounts.system_program.to_account_info();
    let pool = ctx.accounts.pool.to_account_info();

    let pool_seeds: [&[u8]; 3] = [
        CONVERSION_POOL_SEED,
        sub_dao.as_ref(),
        std::slice::from_ref(&ctx.bumps.pool),
    ];
    crate::utils::create_pda_account(
        &payer,
        &pool,
        &system,
        TokenAccount::LEN,
        &token::ID,
        &pool_seeds,
    )?;
    token::initialize_account3(CpiContext::new(
        ctx.accounts.token_program.key(),
        InitializeAccount3 {
            account: pool.clone(),
            mint: ctx.accounts.sub_dao_mint.to_account_info(),
            authority: ctx.accounts.sub_dao.to_account_info(),
        },
    ))?;

    let seeds: [&[u8]; 3] = [
        CONVERSION_SEED,
        sub_dao.as_ref(),
        std::slice::from_ref(&ctx.bumps.conversion),
    ];
    crate::utils::create_pda_account(
        &payer,
        &conversion,
        &system,
        8usize.saturating_add(Conversion::INIT_SPACE),
        &crate::ID,
        &seeds,
    )?;
    let state = Conversion {
        version: 1,
        sub_dao,
        pool: pool.key(),
        params,
        total_sub_in: 0,
        total_main_out: 0,
        total_main_in: 0,
        total_sub_out: 0,
        bump: ctx.bumps.conversion,
        pool_bump: ctx.bumps.pool,
        reserved: [0; 64],
    };
    state.invariant()?;
    {
        let mut data = conversion.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        state.try_serialize(&mut writer)?;
    }
    emit!(ConversionParamsSet {
        sub_dao,
        authority: ctx.accounts.authority.key(),
        virtual_reserve: params.virtual_reserve,
        fee_bps: params.fee_bps,
        frozen_to_main: params.frozen_to_main,
        frozen_to_sub: params.frozen_to_sub,
        frozen_until_unix: params.frozen_until_unix,
    });
    Ok(())
}
