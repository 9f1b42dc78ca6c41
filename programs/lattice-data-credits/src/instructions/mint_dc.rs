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
    /// Burns main tokens from its account.
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
    pub token_program: Program<'info, Token>,
    pub token_2022_program: Program<'info, Token2022>,
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
/// - burn the main tokens and mint the DC in the same transaction.
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
