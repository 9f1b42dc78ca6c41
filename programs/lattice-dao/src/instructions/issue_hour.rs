use crate::{constants::*, errors::DaoError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token};
use lattice_math::{
    emission::emission_for_hour,
    epoch::{hour_status, HourStatus},
    utility::{split_delegators, split_exact, utility_scores, UtilityInputs},
};

#[derive(Accounts)]
#[instruction(hour: u64)]
pub struct IssueHour<'info> {
    /// Anyone: pays the epoch record's rent.
    #[account(mut)]
    pub cranker: Signer<'info>,
    #[account(
        mut,
        seeds = [DAO_SEED, dao.main_mint.as_ref()],
        bump = dao.bump,
        has_one = main_mint,
    )]
    pub dao: Box<Account<'info, Dao>>,
    /// CHECK: the hour's record, created here (exactly once: it exists iff the hour was issued).
    /// Created by hand so that lamports sent to the address beforehand cannot block the hour.
    #[account(
        mut,
        seeds = [DAO_EPOCH_SEED, dao.key().as_ref(), &hour.to_le_bytes()],
        bump,
    )]
    pub dao_epoch: UncheckedAccount<'info>,
    /// CHECK: must be the DAO's main mint (`has_one`); written by the token program.
    #[account(mut)]
    pub main_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: for every sub-DAO in `dao.sub_daos` order: sub_dao, sub_dao mint,
    // treasury, delegator pool, rewards escrow (writable), then the hour's `SubDaoEpoch` record
    // (read-only; it may not exist).
}

/// The accounts of one sub-DAO, in `remaining_accounts` order.
struct SubDaoAccounts<'info> {
    sub_dao: Account<'info, SubDao>,
    /// DC burned for usage in the hour (0 when no record exists).
    dc_burned: u64,
    /// V recorded by governance for the hour (`None` when not recorded or no record exists).
    ve_recorded: Option<u128>,
    mint: &'info AccountInfo<'info>,
    treasury: &'info AccountInfo<'info>,
    delegator_pool: &'info AccountInfo<'info>,
    rewards_escrow: &'info AccountInfo<'info>,
}

fn load_sub_daos<'info>(
    dao: &Dao,
    hour: u64,
    remaining: &'info [AccountInfo<'info>],
) -> Result<Vec<SubDaoAccounts<'info>>> {
    require!(
        remaining.len()
            == dao
                .sub_daos
                .len()
                .saturating_mul(ISSUE_ACCOUNTS_PER_SUB_DAO),
        DaoError::SubDaoAccountMismatch
    );
    let mut out = Vec::with_capacity(dao.sub_daos.len());
    for (expected, chunk) in dao
        .sub_daos
        .iter()
        .zip(remaining.chunks_exact(ISSUE_ACCOUNTS_PER_SUB_DAO))
    {
        let [sub_dao_info, mint, treasury, delegator_pool, rewards_escrow, epoch] = chunk else {
            return err!(DaoError::SubDaoAccountMismatch);
        };
        require_keys_eq!(
            *sub_dao_info.key,
            *expected,
            DaoError::SubDaoAccountMismatch
        );
        let sub_dao: Account<'info, SubDao> = Account::try_from(sub_dao_info)?;
        require!(
            *mint.key == sub_dao.mint
                && *treasury.key == sub_dao.treasury
                && *delegator_pool.key == sub_dao.delegator_pool
                && *rewards_escrow.key == sub_dao.rewards_escrow
                && [sub_dao_info, mint, treasury, delegator_pool, rewards_escrow]
                    .iter()
                    .all(|a| a.is_writable),
            DaoError::SubDaoAccountMismatch
        );
        let (expected_epoch, _) = Pubkey::find_program_address(
            &[SUB_DAO_EPOCH_SEED, expected.as_ref(), &hour.to_le_bytes()],
            &crate::ID,
        );
        require_keys_eq!(*epoch.key, expected_epoch, DaoError::SubDaoAccountMismatch);
        let (dc_burned, ve_recorded) = if epoch.owner == &crate::ID {
            let data = epoch.try_borrow_data()?;
            let record = SubDaoEpoch::try_deserialize(&mut &data[..])?;
            (
                record.dc_burned,
                record.ve_recorded.then_some(record.ve_power),
            )
        } else {
            (0, None)
        };
        out.push(SubDaoAccounts {
            sub_dao,
            dc_burned,
            ve_recorded,
            mint,
            treasury,
            delegator_pool,
            rewards_escrow,
        });
    }
    Ok(out)
}

/// Issue hour `hour`.
///
/// Shall:
/// - refuse an hour before the DAO's genesis (`HourBeforeGenesis`) or not yet over
///   (`HourNotOver`), and an hour already issued (`HourAlreadyIssued`);
/// - require every sub-DAO's six accounts in DAO order (`SubDaoAccountMismatch`) and at least
///   one sub-DAO active in the hour (`NoActiveSubDaos`);
/// - for every active sub-DAO whose V input is enabled for the hour (`ve_start_hour != 0` and
///   `hour >= ve_start_hour`), require its V recorded by governance in the hour's record
///   (`VeNotRecorded`) and use it as the utility score's V input; every other sub-DAO's V is 0;
/// - mint exactly `emission_for_hour(dao.emission, hour − genesis_hour)` main tokens, split among
///   active sub-DAOs by utility score (V, D = DC burned in the hour, A = active devices) with
///   [`split_exact`], each part split again into delegator pool and treasury with
///   [`split_delegators`], so the parts sum exactly to the hour's emission;
/// - pay a V-enabled sub-DAO's whole part to its treasury when its V is 0: no staker is
///   delegated to it, so a delegator slice would be stranded in a pool nobody can claim from;
/// - mint each sub-DAO's `emission_for_hour(sub.emission, hour − sub.genesis_hour)` to its rewards
///   escrow;
/// - refuse any mint over its cap (`CapReached`, `SubDaoCapReached`) or breaker
///   (`CircuitBreakerTripped`, `SubDaoCircuitBreakerTripped`), minting nothing at all;
/// - emit `SubDaoHourIssued` per sub-DAO and `HourIssued`.
pub fn handler<'info>(ctx: Context<'info, IssueHour<'info>>, hour: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let dao = &mut ctx.accounts.dao;
    match hour_status(hour, dao.genesis_hour, now) {
        HourStatus::BeforeGenesis => return err!(DaoError::HourBeforeGenesis),
        HourStatus::NotOver => return err!(DaoError::HourNotOver),
        HourStatus::Issuable => {}
    }
    // The record is created in the same instruction that issues the hour, so an existing record
    // (owned by this program) means the hour was issued.
    let epoch_info = ctx.accounts.dao_epoch.to_account_info();
    require!(
        epoch_info.owner != &crate::ID && epoch_info.data_is_empty(),
        DaoError::HourAlreadyIssued
    );

    let mut subs = load_sub_daos(dao, hour, ctx.remaining_accounts)?;
    let active: Vec<bool> = subs
        .iter()
        .map(|s| s.sub_dao.genesis_hour <= hour)
        .collect();
    require!(active.iter().any(|a| *a), DaoError::NoActiveSubDaos);
    // V: governance's record for every active sub-DAO that reads V in this hour, else none.
    let ve: Vec<Option<u128>> = subs
        .iter()
        .zip(&active)
        .map(|(s, a)| {
            if *a && s.sub_dao.ve_required(hour) {
                s.ve_recorded
                    .map(Some)
                    .ok_or_else(|| error!(DaoError::VeNotRecorded))
            } else {
                Ok(None)
            }
        })
        .collect::<Result<_>>()?;

    // Main emission and its split.
    let schedule_hour = hour.saturating_sub(dao.genesis_hour);
    let main_emitted = emission_for_hour(&dao.emission.into(), schedule_hour);
    let minted_after = dao
        .minted()
        .and_then(|m| m.checked_add(main_emitted))
        .ok_or(DaoError::MathOverflow)?;
    require!(minted_after <= dao.max_supply, DaoError::CapReached);
    require!(
        dao.breaker.try_record(now, main_emitted),
        DaoError::CircuitBreakerTripped
    );
    // Utility inputs: vote-escrow power delegated to the sub-DAO (V, from governance once
    // enabled), DC burned in the hour (D) and active devices (A); with no inputs at all every
    // active sub-DAO scores the same.
    let inputs: Vec<UtilityInputs> = subs
        .iter()
        .zip(&ve)
        .map(|(s, v)| UtilityInputs {
            ve_delegated: v.unwrap_or(0),
            dc_burned: s.dc_burned,
            active_devices: s.sub_dao.active_devices,
        })
        .collect();
    let scores: Vec<u128> = utility_scores(&dao.utility_weights.into(), &inputs)
        .into_iter()
        .zip(&active)
        .map(|(s, a)| if *a { s } else { 0 })
        .collect();
    // Inactive sub-DAOs have score 0; if every active one scored 0 the split is equal among all,
    // so give inactive ones no weight explicitly in that case.
    let weights: Vec<u128> = if scores.iter().all(|s| *s == 0) {
        active.iter().map(|a| u128::from(*a)).collect()
    } else {
        scores.clone()
    };
    let parts = split_exact(main_emitted, &weights);

    let dao_key = dao.key();
    let dao_seeds = dao.signer_seeds();
    let token_program = ctx.accounts.token_program.key();
    let main_mint = ctx.accounts.main_mint.to_account_info();
    let dao_info = dao.to_account_info();
    let mut issuances = Vec::with_capacity(subs.len());
    for (((sub, part), score), v) in subs.iter_mut().zip(&parts).zip(&scores).zip(&ve) {
        let (to_delegators, to_treasury) = if *v == Some(0) {
            (0, *part)
        } else {
            split_delegators(*part, dao.delegator_bps)
        };
        for (to, amount) in [
            (sub.delegator_pool, to_delegators),
            (sub.treasury, to_treasury),
        ] {
            if amount > 0 {
                token::mint_to(
                    CpiContext::new_with_signer(
                        token_program,
                        token::MintTo {
                            mint: main_mint.clone(),
                            to: to.clone(),
                            authority: dao_info.clone(),
                        },
                        &[&dao_seeds],
                    ),
                    amount,
                )?;
            }
        }

        // The sub-DAO's own token emission.
        let s = &mut sub.sub_dao;
        let tokens = if s.genesis_hour <= hour {
            emission_for_hour(&s.emission.into(), hour.saturating_sub(s.genesis_hour))
        } else {
            0
        };
        let tokens_after = s
            .tokens_emitted
            .checked_add(tokens)
            .ok_or(DaoError::MathOverflow)?;
        require!(tokens_after <= s.max_supply, DaoError::SubDaoCapReached);
        require!(
            s.breaker.try_record(now, tokens),
            DaoError::SubDaoCircuitBreakerTripped
        );
        if tokens > 0 {
            let sub_seeds: [&[u8]; 4] = [
                SUB_DAO_SEED,
                s.dao.as_ref(),
                s.name.as_bytes(),
                std::slice::from_ref(&s.bump),
            ];
            token::mint_to(
                CpiContext::new_with_signer(
                    token_program,
                    token::MintTo {
                        mint: sub.mint.clone(),
                        to: sub.rewards_escrow.clone(),
                        authority: s.to_account_info(),
                    },
                    &[&sub_seeds],
                ),
                tokens,
            )?;
        }
        s.tokens_emitted = tokens_after;
        s.main_to_treasury = s
            .main_to_treasury
            .checked_add(to_treasury)
            .ok_or(DaoError::MathOverflow)?;
        s.main_to_delegators = s
            .main_to_delegators
            .checked_add(to_delegators)
            .ok_or(DaoError::MathOverflow)?;
        s.invariant()?;
        s.exit(&crate::ID)?;

        let issuance = SubDaoIssuance {
            sub_dao: s.key(),
            utility_score: *score,
            main_to_treasury: to_treasury,
            main_to_delegators: to_delegators,
            tokens_emitted: tokens,
            active_devices: s.active_devices,
        };
        emit!(SubDaoHourIssued {
            dao: dao_key,
            sub_dao: issuance.sub_dao,
            hour,
            utility_score: issuance.utility_score,
            main_to_treasury: issuance.main_to_treasury,
            main_to_delegators: issuance.main_to_delegators,
            tokens_emitted: issuance.tokens_emitted,
        });
        issuances.push(issuance);
    }

    let paid = issuances.iter().try_fold(0u64, |acc, i| {
        acc.checked_add(i.main_to_treasury)?
            .checked_add(i.main_to_delegators)
    });
    require!(paid == Some(main_emitted), DaoError::InvariantViolated);

    dao.total_emitted = dao
        .total_emitted
        .checked_add(main_emitted)
        .ok_or(DaoError::MathOverflow)?;
    dao.hours_issued = dao
        .hours_issued
        .checked_add(1)
        .ok_or(DaoError::MathOverflow)?;
    let hour_bytes = hour.to_le_bytes();
    let epoch_seeds: [&[u8]; 4] = [
        DAO_EPOCH_SEED,
        dao_key.as_ref(),
        &hour_bytes,
        std::slice::from_ref(&ctx.bumps.dao_epoch),
    ];
    let space = 8usize.saturating_add(DaoEpoch::INIT_SPACE);
    crate::utils::create_pda_account(
        &ctx.accounts.cranker.to_account_info(),
        &epoch_info,
        &ctx.accounts.system_program.to_account_info(),
        space,
        &crate::ID,
        &epoch_seeds,
    )?;
    let record = DaoEpoch {
        dao: dao_key,
        hour,
        issued: true,
        issued_at: now,
        main_emitted,
        parts: issuances,
        bump: ctx.bumps.dao_epoch,
        reserved: [0; 64],
    };
    {
        let mut data = epoch_info.try_borrow_mut_data()?;
        let mut writer: &mut [u8] = &mut data;
        record.try_serialize(&mut writer)?;
    }
    emit!(HourIssued {
        dao: dao_key,
        hour,
        main_emitted,
        cumulative_emitted: dao.total_emitted,
        cranker: ctx.accounts.cranker.key(),
    });
    dao.invariant()
}
