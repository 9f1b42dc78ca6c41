use crate::{constants::*, errors::GovernanceError, events::*, state::*};
use anchor_lang::prelude::*;
use lattice_dao::{CONVERSION_SEED, DATA_CREDITS_SEED, REGISTRY_SEED, REWARDS_CONFIG_SEED};

#[derive(Accounts)]
pub struct ExecuteChange<'info> {
    #[account(
        mut,
        seeds = [GOVERNANCE_SEED, governance.dao.as_ref()],
        bump = governance.bump,
    )]
    pub governance: Box<Account<'info, Governance>>,
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, governance.key().as_ref(), &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = governance,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    // remaining_accounts: the target program and the accounts of its admin instruction (see
    // `change_accounts`).
}

fn pda(seeds: &[&[u8]], program: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(seeds, program).0
}

/// The accounts (besides the governance PDA as signer) and program a change's admin instruction
/// takes, in its order. Clients pass these as `remaining_accounts`.
pub fn change_accounts(dao: &Pubkey, change: &ParamChange) -> (Pubkey, Vec<(Pubkey, bool)>) {
    let dao_pda = *dao;
    let dc = pda(
        &[DATA_CREDITS_SEED, dao.as_ref()],
        &lattice_data_credits::ID,
    );
    let compute_config = pda(
        &[lattice_compute::COMPUTE_CONFIG_SEED, dao.as_ref()],
        &lattice_compute::ID,
    );
    match change {
        ParamChange::Dao(_) => (lattice_dao::ID, vec![(dao_pda, true)]),
        ParamChange::SubDao { sub_dao, .. } => {
            (lattice_dao::ID, vec![(dao_pda, false), (*sub_dao, true)])
        }
        ParamChange::Conversion { sub_dao, .. } => (
            lattice_dao::ID,
            vec![
                (dao_pda, false),
                (*sub_dao, false),
                (
                    pda(&[CONVERSION_SEED, sub_dao.as_ref()], &lattice_dao::ID),
                    true,
                ),
            ],
        ),
        ParamChange::DataCredits(_) => (lattice_data_credits::ID, vec![(dc, true)]),
        ParamChange::DcBurnAuthority { sub_dao, .. } => (
            lattice_data_credits::ID,
            vec![
                (dc, false),
                (
                    pda(
                        &[lattice_data_credits::SUB_DAO_DC_SEED, sub_dao.as_ref()],
                        &lattice_data_credits::ID,
                    ),
                    true,
                ),
            ],
        ),
        ParamChange::Registry(_) => (
            lattice_registry::ID,
            vec![(
                pda(&[REGISTRY_SEED, dao.as_ref()], &lattice_registry::ID),
                true,
            )],
        ),
        ParamChange::RewardsOracles { sub_dao, .. }
        | ParamChange::RewardsClaimBreaker { sub_dao, .. } => (
            lattice_rewards::ID,
            vec![
                (dao_pda, false),
                (
                    pda(
                        &[REWARDS_CONFIG_SEED, sub_dao.as_ref()],
                        &lattice_rewards::ID,
                    ),
                    true,
                ),
            ],
        ),
        ParamChange::Compute {
            slash_destination, ..
        } => (
            lattice_compute::ID,
            vec![(compute_config, true), (*slash_destination, false)],
        ),
        ParamChange::ComputeOracles { .. } => (lattice_compute::ID, vec![(compute_config, true)]),
        ParamChange::Market { class_id, .. } => (
            lattice_compute::ID,
            vec![
                (compute_config, true),
                (
                    pda(
                        &[
                            lattice_compute::MARKET_SEED,
                            compute_config.as_ref(),
                            &[*class_id],
                        ],
                        &lattice_compute::ID,
                    ),
                    true,
                ),
            ],
        ),
        ParamChange::Governance(_) => (crate::ID, vec![]),
        ParamChange::Authority { target, .. } => match target {
            AuthorityTarget::Dao => (lattice_dao::ID, vec![(dao_pda, true)]),
            AuthorityTarget::DataCredits => (lattice_data_credits::ID, vec![(dc, true)]),
            AuthorityTarget::Registry => (
                lattice_registry::ID,
                vec![(
                    pda(&[REGISTRY_SEED, dao.as_ref()], &lattice_registry::ID),
                    true,
                )],
            ),
        },
    }
}

/// Execute change `index` of a queued proposal.
///
/// Shall:
/// - only for a queued proposal (`ProposalNotSucceeded` for a draft, one in voting, a defeated or
///   cancelled one; `ChangeOutOfOrder` once executed), after its `eta` (`TimelockNotOver`), change
///   `index` being the next one (`ChangeOutOfOrder`);
/// - apply a `Governance` change here, and every other change through its program's admin
///   instruction signed by the governance PDA, with the accounts derived from the change
///   (`ChangeAccountMismatch` when one is not passed), so that program's validation applies and
///   a refused change fails the whole execution;
/// - mark the proposal executed after its last change; emit `ChangeExecuted`.
pub fn handler<'info>(ctx: Context<'info, ExecuteChange<'info>>, index: u8) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let p = &ctx.accounts.proposal;
    match p.state {
        ProposalState::Queued => {}
        ProposalState::Executed => return err!(GovernanceError::ChangeOutOfOrder),
        _ => return err!(GovernanceError::ProposalNotSucceeded),
    }
    require!(now >= p.eta, GovernanceError::TimelockNotOver);
    require!(index == p.executed, GovernanceError::ChangeOutOfOrder);
    let change = p
        .changes
        .get(usize::from(index))
        .cloned()
        .ok_or(GovernanceError::ChangeOutOfOrder)?;

    if let ParamChange::Governance(params) = &change {
        require!(params.is_valid(), GovernanceError::InvalidGovernanceParams);
        ctx.accounts.governance.params = *params;
    } else {
        invoke_change(&ctx, &change)?;
    }

    let p = &mut ctx.accounts.proposal;
    p.executed = index.checked_add(1).ok_or(GovernanceError::MathOverflow)?;
    if usize::from(p.executed) == p.changes.len() {
        p.state = ProposalState::Executed;
        emit!(ProposalStateChanged {
            proposal: p.key(),
            state: p.state,
            yes: p.yes,
            no: p.no,
            abstain: p.abstain,
        });
    }
    emit!(ChangeExecuted {
        proposal: p.key(),
        index,
    });
    Ok(())
}

fn invoke_change<'info>(
    ctx: &Context<'info, ExecuteChange<'info>>,
    change: &ParamChange,
) -> Result<()> {
    let g = &ctx.accounts.governance;
    let (program, accounts) = change_accounts(&g.dao, change);
    let remaining = ctx.remaining_accounts;
    let get = |key: &Pubkey| -> Result<AccountInfo<'info>> {
        remaining
            .iter()
            .find(|a| a.key == key)
            .cloned()
            .ok_or_else(|| error!(GovernanceError::ChangeAccountMismatch))
    };
    // The target program must be passed too.
    get(&program)?;
    let infos: Vec<AccountInfo<'info>> = accounts
        .iter()
        .map(|(k, _)| get(k))
        .collect::<Result<_>>()?;
    let authority = g.to_account_info();
    let seeds = g.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let at = |i: usize| {
        infos
            .get(i)
            .cloned()
            .ok_or(GovernanceError::ChangeAccountMismatch)
    };
    use lattice_compute::cpi::accounts as compute;
    use lattice_dao::cpi::accounts as dao;
    use lattice_data_credits::cpi::accounts as dc;
    use lattice_registry::cpi::accounts as registry;
    use lattice_rewards::cpi::accounts as rewards;
    match change.clone() {
        ParamChange::Dao(params) => lattice_dao::cpi::set_dao_params(
            CpiContext::new_with_signer(
                program,
                dao::SetDaoParams {
                    authority,
                    dao: at(0)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::SubDao { params, .. } => lattice_dao::cpi::set_sub_dao_params(
            CpiContext::new_with_signer(
                program,
                dao::SetSubDaoParams {
                    authority,
                    dao: at(0)?,
                    sub_dao: at(1)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::Conversion { params, .. } => lattice_dao::cpi::set_conversion_params(
            CpiContext::new_with_signer(
                program,
                dao::SetConversionParams {
                    authority,
                    dao: at(0)?,
                    sub_dao: at(1)?,
                    conversion: at(2)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::DataCredits(params) => lattice_data_credits::cpi::set_dc_params(
            CpiContext::new_with_signer(
                program,
                dc::SetDcParams {
                    authority,
                    data_credits: at(0)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::DcBurnAuthority { burn_authority, .. } => {
            lattice_data_credits::cpi::set_burn_authority(
                CpiContext::new_with_signer(
                    program,
                    dc::SetBurnAuthority {
                        authority,
                        data_credits: at(0)?,
                        sub_dao_dc: at(1)?,
                    },
                    signer,
                ),
                burn_authority,
            )
        }
        ParamChange::Registry(params) => lattice_registry::cpi::set_registry_params(
            CpiContext::new_with_signer(
                program,
                registry::SetRegistryParams {
                    authority,
                    registry: at(0)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::RewardsOracles {
            oracles, threshold, ..
        } => lattice_rewards::cpi::set_oracles(
            CpiContext::new_with_signer(
                program,
                rewards::SetOracles {
                    authority,
                    dao: at(0)?,
                    config: at(1)?,
                },
                signer,
            ),
            oracles,
            threshold,
        ),
        ParamChange::RewardsClaimBreaker { params, .. } => lattice_rewards::cpi::set_claim_breaker(
            CpiContext::new_with_signer(
                program,
                rewards::SetClaimBreaker {
                    authority,
                    dao: at(0)?,
                    config: at(1)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::Compute { params, .. } => lattice_compute::cpi::set_compute_params(
            CpiContext::new_with_signer(
                program,
                compute::SetComputeParams {
                    admin: compute::Admin {
                        authority,
                        config: at(0)?,
                    },
                    slash_destination: at(1)?,
                },
                signer,
            ),
            params,
        ),
        ParamChange::ComputeOracles { oracles, threshold } => lattice_compute::cpi::set_oracles(
            CpiContext::new_with_signer(
                program,
                compute::SetOracles {
                    admin: compute::Admin {
                        authority,
                        config: at(0)?,
                    },
                },
                signer,
            ),
            oracles,
            threshold,
        ),
        ParamChange::Market { class_id, params } => lattice_compute::cpi::set_market_params(
            CpiContext::new_with_signer(
                program,
                compute::SetMarketParams {
                    admin: compute::Admin {
                        authority,
                        config: at(0)?,
                    },
                    market: at(1)?,
                },
                signer,
            ),
            class_id,
            params,
        ),
        ParamChange::Authority {
            target,
            new_authority,
        } => match target {
            AuthorityTarget::Dao => lattice_dao::cpi::set_authority(
                CpiContext::new_with_signer(
                    program,
                    dao::SetDaoAuthority {
                        authority,
                        dao: at(0)?,
                    },
                    signer,
                ),
                new_authority,
            ),
            AuthorityTarget::DataCredits => lattice_data_credits::cpi::set_authority(
                CpiContext::new_with_signer(
                    program,
                    dc::SetDcAuthority {
                        authority,
                        data_credits: at(0)?,
                    },
                    signer,
                ),
                new_authority,
            ),
            AuthorityTarget::Registry => lattice_registry::cpi::set_authority(
                CpiContext::new_with_signer(
                    program,
                    registry::SetRegistryAuthority {
                        authority,
                        registry: at(0)?,
                    },
                    signer,
                ),
                new_authority,
            ),
        },
        ParamChange::Governance(_) => Ok(()),
    }
}
