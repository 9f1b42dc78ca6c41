use crate::{constants::*, errors::DcError, events::DcMinted, state::*};
use anchor_lang::prelude::*;
use anchor_spl::{
    token::{self, Mint, Token, TokenAccount},
    token_2022::{self, Token2022},
    token_interface,
};
use lattice_math::dc::{dc_for_main, main_for_dc, DcPriceError, DcPricing, OraclePrice};
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};

/// Arguments of `mint_dc`: exactly one amount.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct MintDcArgs {
    /// Main-token base units to burn (DC minted = what they buy, rounded down).
    pub main_amount: Option<u64>,
    /// DC to mint (main burned = their cost, rounded up).
    pub dc_amount: Option<u64>,
}

#[derive(Accounts)]
pub struct MintDc<'info> {
    /// Burns main tokens from its account; pays the rent of the hour's `DcHour` record when it
    /// opens it.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [DATA_CREDITS_SEED, data_credits.dao.as_ref()],
        bump = data_credits.bump,
        has_one = main_mint,
        has_one = dc_mint,
    )]
    pub data_credits: Box<Account<'info, DataCredits>>,
    #[account(mut)]
    pub main_mint: Box<Account<'info, Mint>>,
    #[account(mut, token::mint = main_mint, token::authority = owner)]
    pub owner_main: Box<Account<'info, TokenAccount>>,
    /// CHECK: the configured DC mint (`has_one`); written by Token-2022.
    #[account(mut)]
    pub dc_mint: UncheckedAccount<'info>,
    /// Any DC account (DC can be minted for someone else).
    #[account(mut, token::mint = dc_mint, token::token_program = token_2022_program)]
    pub recipient_dc: Box<InterfaceAccount<'info, token_interface::TokenAccount>>,
    /// CHECK: owner, discriminator, verification, feed and age are checked by `read_price`.
    pub price_update: UncheckedAccount<'info>,
    /// CHECK: the configuration's `DcHour` of the current hour (address checked in the handler,
    /// since the hour comes from the clock); created here by the hour's first mint.
    #[account(mut)]
    pub dc_hour: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// The oracle price, after every check that does not depend on the amount, each with its own
/// error.
pub fn read_price(cfg: &DataCredits, info: &AccountInfo, now: i64) -> Result<OraclePrice> {
    require_keys_eq!(*info.owner, cfg.price_owner, DcError::WrongPriceOwner);
    let update = {
        let data = info.try_borrow_data()?;
        PriceUpdateV2::try_deserialize(&mut &data[..]).map_err(|_| DcError::InvalidPriceAccount)?
    };
    require!(
        update.verification_level == VerificationLevel::Full,
        DcError::PriceUnverified
    );
    let msg = &update.price_message;
    require!(msg.feed_id == cfg.price_feed_id, DcError::WrongPriceFeed);
    let max_age = i64::try_from(cfg.max_age_secs).unwrap_or(i64::MAX);
    require!(
        msg.publish_time.saturating_add(max_age) >= now,
        DcError::PriceStale
    );
    Ok(OraclePrice {
        price: msg.price,
        conf: msg.conf,
        exponent: msg.exponent,
    })
}

fn price_error(e: DcPriceError) -> DcError {
    match e {
        DcPriceError::NotPositive => DcError::PriceNotPositive,
        DcPriceError::ConfidenceTooWide => DcError::PriceConfidenceTooWide,
        DcPriceError::Overflow => DcError::MathOverflow,
        DcPriceError::ZeroAmount => DcError::InvalidAmount,
    }
}

/// Mint DC.
///
/// Shall:
/// - take exactly one positive amount (`InvalidAmount`);
/// - refuse a price account not owned by the oracle (`WrongPriceOwner`), not a `PriceUpdateV2`
///   (`InvalidPriceAccount`), not fully verified (`PriceUnverified`), of another feed
///   (`WrongPriceFeed`), older than `max_age_secs` (`PriceStale`), non-positive
///   (`PriceNotPositive`) or too uncertain (`PriceConfidenceTooWide`);
/// - price at `price − conf` and round against the caller (`lattice_math::dc`);
/// - refuse more main than the owner holds (`InsufficientMain`) and a mint over the breaker
///   (`CircuitBreakerTripped`);
/// - burn the main tokens and mint the DC in the same transaction;
/// - add the burn, the mint and the price to the current hour's `DcHour` (`ConstraintSeeds` for
///   another account), creating it on the hour's first mint.
pub fn handler(ctx: Context<MintDc>, args: MintDcArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let cfg = &mut ctx.accounts.data_credits;
    let oracle = read_price(cfg, &ctx.accounts.price_update, now)?;
    let pricing = DcPricing {
        dc_price_nano_usd: cfg.dc_price_nano_usd,
        main_decimals: cfg.main_decimals,
        max_conf_bps: cfg.max_conf_bps,
    };
    let (main, dc) = match (args.main_amount, args.dc_amount) {
        (Some(main), None) if main > 0 => (
            main,
            dc_for_main(&pricing, &oracle, main).map_err(price_error)?,
        ),
        (None, Some(dc)) if dc > 0 => {
            (main_for_dc(&pricing, &oracle, dc).map_err(price_error)?, dc)
        }
        _ => return err!(DcError::InvalidAmount),
    };
    require!(
        ctx.accounts.owner_main.amount >= main,
        DcError::InsufficientMain
    );
    require!(
        cfg.breaker.try_record(now, dc),
        DcError::CircuitBreakerTripped
    );

    token::burn(
        CpiContext::new(
            ctx.accounts.token_program.key(),
            token::Burn {
                mint: ctx.accounts.main_mint.to_account_info(),
                from: ctx.accounts.owner_main.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        main,
    )?;
    let dao = cfg.dao;
    let seeds: [&[u8]; 3] = [
        DATA_CREDITS_SEED,
        dao.as_ref(),
        std::slice::from_ref(&cfg.bump),
    ];
    token_2022::mint_to(
        CpiContext::new_with_signer(
            ctx.accounts.token_2022_program.key(),
            token_2022::MintTo {
                mint: ctx.accounts.dc_mint.to_account_info(),
                to: ctx.accounts.recipient_dc.to_account_info(),
                authority: cfg.to_account_info(),
            },
            &[&seeds],
        ),
        dc,
    )?;
    cfg.total_minted = cfg
        .total_minted
        .checked_add(dc)
        .ok_or(DcError::MathOverflow)?;
    cfg.total_main_burned = cfg
        .total_main_burned
        .checked_add(main)
        .ok_or(DcError::MathOverflow)?;
    let low = u64::try_from(oracle.price)
        .unwrap_or(0)
        .saturating_sub(oracle.conf);
    record_hour(&ctx, now, main, dc, low, oracle.exponent)?;
    emit!(DcMinted {
        owner: ctx.accounts.owner.key(),
        recipient: ctx.accounts.recipient_dc.key(),
        main_burned: main,
        dc_minted: dc,
        price: low,
        exponent: oracle.exponent,
    });
    Ok(())
}

/// Add one mint to the configuration's record of the current hour, creating it (rent from the
/// owner) on the hour's first mint.
fn record_hour(
    ctx: &Context<MintDc>,
    now: i64,
    main: u64,
    dc: u64,
    price: u64,
    price_exponent: i32,
) -> Result<()> {
    let hour = lattice_math::epoch::hour_of(now);
    let config = ctx.accounts.data_credits.key();
    let hour_bytes = hour.to_le_bytes();
    let (expected, bump) =
        Pubkey::find_program_address(&[DC_HOUR_SEED, config.as_ref(), &hour_bytes], &crate::ID);
    let info = ctx.accounts.dc_hour.to_account_info();
    require_keys_eq!(
        info.key(),
        expected,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    let existing = if info.owner == &crate::ID && !info.data_is_empty() {
        let data = info.try_borrow_data()?;
        Some(DcHour::try_deserialize(&mut &data[..])?)
    } else {
        None
    };
    let created = existing.is_none();
    let mut record = existing.unwrap_or(DcHour {
        data_credits: config,
        hour,
        main_burned: 0,
        dc_minted: 0,
        mints: 0,
        price: 0,
        price_exponent: 0,
        bump,
        reserved: [0; 16],
    });
    let add = |a: u64, b: u64| a.checked_add(b).ok_or(DcError::MathOverflow);
    record.main_burned = add(record.main_burned, main)?;
    record.dc_minted = add(record.dc_minted, dc)?;
    record.mints = add(record.mints, 1)?;
    record.price = price;
    record.price_exponent = price_exponent;
    if created {
        let seeds: [&[u8]; 4] = [
            DC_HOUR_SEED,
            config.as_ref(),
            &hour_bytes,
            std::slice::from_ref(&bump),
        ];
        lattice_dao::utils::create_pda_account(
            &ctx.accounts.owner.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            8usize.saturating_add(DcHour::INIT_SPACE),
            &crate::ID,
            &seeds,
        )?;
    }
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    record.try_serialize(&mut writer)
}
