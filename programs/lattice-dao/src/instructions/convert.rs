//! `convert_to_main` and `convert_to_sub`: the two directions of one curve share their accounts
//! and their rules.

use crate::{constants::*, errors::DaoError, events::Converted, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount, Transfer};
use lattice_math::conversion::{quote_to_main, quote_to_sub, Reserves};

#[derive(Accounts)]
pub struct Convert<'info> {
    /// The holder: owner (or delegate) of the input token account.
    pub user: Signer<'info>,
    #[account(seeds = [DAO_SEED, dao.main_mint.as_ref()], bump = dao.bump)]
    pub dao: Box<Account<'info, Dao>>,
    #[account(has_one = dao, has_one = treasury)]
    pub sub_dao: Box<Account<'info, SubDao>>,
    #[account(
        mut,
        seeds = [CONVERSION_SEED, sub_dao.key().as_ref()],
        bump = conversion.bump,
        has_one = sub_dao,
        has_one = pool,
    )]
    pub conversion: Box<Account<'info, Conversion>>,
    /// The sub-DAO token side of the curve (`S`).
    #[account(mut)]
    pub pool: Box<Account<'info, TokenAccount>>,
    /// The main-token side of the curve (`M`): the sub-DAO treasury.
    #[account(mut)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    /// The holder's sub-DAO token account (paid from when converting to main, paid to otherwise).
    #[account(mut, constraint = user_sub.mint == sub_dao.mint @ DaoError::WrongMint)]
    pub user_sub: Box<Account<'info, TokenAccount>>,
    /// The holder's main-token account (paid to when converting to main, paid from otherwise).
    #[account(mut, constraint = user_main.mint == dao.main_mint @ DaoError::WrongMint)]
    pub user_main: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Convert `amount_in` of one side into the other.
///
/// Shall (both directions):
/// - refuse a zero input or a zero output (`ZeroAmount`);
/// - refuse a frozen direction, or any conversion before `frozen_until_unix`
///   (`ConversionFrozen`);
/// - price with `lattice_math::conversion` on the balances before the conversion: the treasury
///   (`M`) and the pool (`S`) plus the virtual reserve; main→sub refuses an empty treasury
///   (`ConversionReserveEmpty`) and never pays out more than the pool's real balance;
/// - refuse an output below `min_out` (`SlippageExceeded`);
/// - take the whole input (fee included) from the holder, who signs, and pay the output signed by
///   the sub-DAO PDA;
/// - accept only the sub-DAO's pool and treasury (`ConstraintHasOne`) and holder accounts of the
///   right mints (`WrongMint`);
/// - count the volumes and emit `Converted`.
fn convert(ctx: Context<Convert>, to_main: bool, amount_in: u64, min_out: u64) -> Result<()> {
    require!(amount_in > 0, DaoError::ZeroAmount);
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    let params = a.conversion.params;
    require!(!params.is_frozen(to_main, now), DaoError::ConversionFrozen);
    let reserves = Reserves {
        main: a.treasury.amount,
        sub: a.pool.amount,
    };
    let quote = if to_main {
        quote_to_main(&params.curve(), &reserves, amount_in)
    } else {
        quote_to_sub(&params.curve(), &reserves, amount_in)
    }
    .map_err(conversion_error)?;
    require!(quote.amount_out > 0, DaoError::ZeroAmount);
    require!(quote.amount_out >= min_out, DaoError::SlippageExceeded);

    let (user_from, pool_in, pool_out, user_to) = if to_main {
        (&a.user_sub, &a.pool, &a.treasury, &a.user_main)
    } else {
        (&a.user_main, &a.treasury, &a.pool, &a.user_sub)
    };
    let program = a.token_program.key();
    token::transfer(
        CpiContext::new(
            program,
            Transfer {
                from: user_from.to_account_info(),
                to: pool_in.to_account_info(),
                authority: a.user.to_account_info(),
            },
        ),
        amount_in,
    )?;
    let seeds = a.sub_dao.signer_seeds();
    token::transfer(
        CpiContext::new_with_signer(
            program,
            Transfer {
                from: pool_out.to_account_info(),
                to: user_to.to_account_info(),
                authority: a.sub_dao.to_account_info(),
            },
            &[&seeds],
        ),
        quote.amount_out,
    )?;

    let user = a.user.key();
    let conversion: &mut Conversion = &mut ctx.accounts.conversion;
    let (paid_in, paid_out) = if to_main {
        (&mut conversion.total_sub_in, &mut conversion.total_main_out)
    } else {
        (&mut conversion.total_main_in, &mut conversion.total_sub_out)
    };
    *paid_in = paid_in
        .checked_add(u128::from(amount_in))
        .ok_or(DaoError::MathOverflow)?;
    *paid_out = paid_out
        .checked_add(u128::from(quote.amount_out))
        .ok_or(DaoError::MathOverflow)?;
    emit!(Converted {
        sub_dao: conversion.sub_dao,
        user,
        to_main,
        amount_in,
        fee: quote.fee,
        amount_out: quote.amount_out,
        main_reserve: reserves.main,
        sub_reserve: reserves.sub,
    });
    conversion.invariant()
}

/// Sub-DAO token → main token (see [`convert`]).
pub fn to_main_handler(ctx: Context<Convert>, amount_in: u64, min_out: u64) -> Result<()> {
    convert(ctx, true, amount_in, min_out)
}

/// Main token → sub-DAO token (see [`convert`]).
pub fn to_sub_handler(ctx: Context<Convert>, amount_in: u64, min_out: u64) -> Result<()> {
    convert(ctx, false, amount_in, min_out)
}
