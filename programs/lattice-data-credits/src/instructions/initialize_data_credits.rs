use crate::{constants::*, errors::DcError, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{self, spl_token_2022, InitializeMint2, Token2022},
    token_interface::{non_transferable_mint_initialize, NonTransferableMintInitialize},
};
use lattice_dao::{BreakerParams, Dao};

/// Arguments of `initialize_data_credits`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeDataCreditsArgs {
    /// Pyth feed id of MAIN/USD.
    pub price_feed_id: [u8; 32],
    /// Program that must own price accounts (the Pyth receiver).
    pub price_owner: Pubkey,
    /// Oldest accepted price, seconds.
    pub max_age_secs: u64,
    /// Widest accepted confidence, basis points of the price.
    pub max_conf_bps: u16,
    /// USD price of one DC, nano-USD.
    pub dc_price_nano_usd: u64,
    /// Breaker on DC minted (DC per window).
    pub breaker: BreakerParams,
}

#[derive(Accounts)]
pub struct InitializeDataCredits<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(has_one = authority @ DcError::Unauthorized, has_one = main_mint)]
    pub dao: Box<Account<'info, Dao>>,
    pub main_mint: Box<Account<'info, anchor_spl::token::Mint>>,
    #[account(
        init,
        payer = payer,
        space = 8 + DataCredits::INIT_SPACE,
        seeds = [DATA_CREDITS_SEED, dao.key().as_ref()],
        bump,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
    /// CHECK: created here as a Token-2022 mint with the NonTransferable extension.
    #[account(mut, seeds = [DC_MINT_SEED, dao.key().as_ref()], bump)]
    pub dc_mint: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Initialize data credits.
///
/// Shall:
/// - be signed by the DAO authority (`Unauthorized`);
/// - refuse a zero DC price, max age or breaker window, and a confidence above 10_000 bps
///   (`InvalidParameter`);
/// - create the DC mint as a PDA: Token-2022, `NonTransferable`, 0 decimals, mint authority the
///   configuration PDA, no freeze authority.
pub fn handler(ctx: Context<InitializeDataCredits>, args: InitializeDataCreditsArgs) -> Result<()> {
    crate::instructions::validate_dc_params(
        args.dc_price_nano_usd,
        args.max_age_secs,
        args.max_conf_bps,
        &args.breaker,
    )?;
    let dao_key = ctx.accounts.dao.key();
    let mint_info = ctx.accounts.dc_mint.to_account_info();
    let space = spl_token_2022::extension::ExtensionType::try_calculate_account_len::<
        spl_token_2022::state::Mint,
    >(&[spl_token_2022::extension::ExtensionType::NonTransferable])?;
    let mint_seeds: [&[u8]; 3] = [
        DC_MINT_SEED,
        dao_key.as_ref(),
        std::slice::from_ref(&ctx.bumps.dc_mint),
    ];
    lattice_dao::utils::create_pda_account(
        &ctx.accounts.payer.to_account_info(),
        &mint_info,
        &ctx.accounts.system_program.to_account_info(),
        space,
        &token_2022::ID,
        &mint_seeds,
    )?;
    let program = ctx.accounts.token_2022_program.key();
    non_transferable_mint_initialize(CpiContext::new(
        program,
        NonTransferableMintInitialize {
            token_program_id: ctx.accounts.token_2022_program.to_account_info(),
            mint: mint_info.clone(),
        },
    ))?;
    let data_credits = ctx.accounts.data_credits.key();
    token_2022::initialize_mint2(
        CpiContext::new(program, InitializeMint2 { mint: mint_info }),
        0,
        &data_credits,
        None,
    )?;

    ctx.accounts.data_credits.set_inner(DataCredits {
        version: 1,
        dao: dao_key,
        main_mint: ctx.accounts.main_mint.key(),
        dc_mint: ctx.accounts.dc_mint.key(),
        authority: ctx.accounts.authority.key(),
        price_feed_id: args.price_feed_id,
        price_owner: args.price_owner,
        max_age_secs: args.max_age_secs,
        max_conf_bps: args.max_conf_bps,
        dc_price_nano_usd: args.dc_price_nano_usd,
        main_decimals: ctx.accounts.main_mint.decimals,
        breaker: lattice_dao::Breaker::new(args.breaker),
        total_minted: 0,
        total_main_burned: 0,
        bump: ctx.bumps.data_credits,
        dc_mint_bump: ctx.bumps.dc_mint,
        reserved: [0; 64],
    });
    Ok(())
}
