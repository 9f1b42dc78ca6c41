#!/usr/bin/env python3
"""Constraint coverage report: every failing check of the six on-chain programs, and the tests
that trigger it and assert its exact error code.

Run from anywhere (paths are relative to the repository root, found from this file):

    python3 tools/constraint-coverage.py > docs/CONSTRAINT-COVERAGE.md

Test-free: it reads sources only (no build, no test run).

What counts as a check ("site")
- Account constraints in `#[derive(Accounts)]` structs: `has_one`, `seeds` (with `bump`),
  `constraint =`, `address =`, `owner =`, `signer`, `executable`, `zero`, and - on accounts the
  instruction does not create with `init` - `token::mint` / `token::authority` /
  `token::token_program`, `mint::authority` / `mint::decimals` and `associated_token::*`. A custom
  `@ Error` replaces the Anchor code. `mut`, `init`, `payer`, `space`, `close`, `realloc` and
  `seeds::program` are structural (writable flags, how an account is created or closed; failing
  them means a malformed transaction, not a broken rule of the program) and are only counted.
  Implicit checks of an account's type (`Signer`, `Account<T>`, `Program<T>`) are not sites
  either; the ones tests assert are listed per program.
- Every reference to a variant of a program's error enum (`programs/*/src/errors.rs`) outside that
  file, and every explicit `anchor_lang::error::ErrorCode::X` a handler raises: `require!` and its
  friends, `err!`, `error!`, `.ok_or(..)`, `.map_err(..)`, `return Err(..)`, match arms mapping a
  library error. One site per reference (a `require!` spanning lines is one site, at its first
  line, the line Anchor logs).

What counts as covered
- A test (a `#[test]`/`#[tokio::test]` function, or a case of a `proptest!` block) in
  `programs/*/tests/*.rs`, `tests/tests/*.rs` or `workers/tests/*.rs` that names the exact error
  (`DaoError::X`, `ErrorCode::X`, ...) - the projects' assertion helpers (`assert_dao_err`,
  `assert_code(.., u32::from(E))`, `custom_code()`, `dao_error()`) all take the error by name.
- Attribution to a site: the instructions the assertion's statement builds (through the test
  crate's helpers and the SDK's builders, else the whole test's), and every instruction they
  reach by CPI. Among the sites raising that error there, the ones of the directly built
  instructions win; for an Anchor account error, an account named in the assertion's statement
  (a swapped key `(6, compute::node_epoch(..), ConstraintSeeds)`, a field) narrows further.
  When more than one site remains, the test is listed against each as "one of N" and the site
  counts as covered only through an exact attribution elsewhere.
- MANUAL settles the assertions the static reading gets ambiguous or wrong, IMPLICIT names the
  accounts of the implicit (account type) checks tests assert. Both were taken from the program
  logs of every test of `programs/*/tests` (commit 95fed36 plus the new `coverage_gaps.rs`
  files), each test run alone with
      RUST_LOG=error,solana_runtime::message_processor::stable_log=debug <test binary> \
          --exact <test> --test-threads=1 --nocapture
  Anchor logs `AnchorError thrown in <file>:<line>` for `require!`/`err!`/`error!`,
  `AnchorError caused by account: <name>` for a failed constraint and `AnchorError occurred`
  for an error converted with `ok_or`/`map_err` (the program comes from the `invoke` lines);
  intersected with the assertion's static candidates, that pins the site. A few logs fit several sites (two `has_one`s of one account, two `ok_or`s
  of one function); those entries were decided by reading the test. To refresh after tests
  change: rerun the tests that way and compare the sites the logs name with this script's
  attribution (`--debug` prints it).
- Every site not covered is a gap, with a reason: GAP_REASONS for individual sites, else rules
  (gap_reason): overflow guards and invariant re-checks are defensive; seeds derived only from
  the account's own fields, a `has_one` whose key is also a seed, and token checks of an account
  pinned by seeds are redundant; the rest are open gaps, classed by what a test would need.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROGRAMS = [
    # (directory, crate module name, error enum)
    ("lattice-dao", "lattice_dao", "DaoError"),
    ("lattice-data-credits", "lattice_data_credits", "DcError"),
    ("lattice-registry", "lattice_registry", "RegistryError"),
    ("lattice-rewards", "lattice_rewards", "RewardsError"),
    ("lattice-compute", "lattice_compute", "ComputeError"),
    ("lattice-governance", "lattice_governance", "GovernanceError"),
]
ENUM_PROGRAM = {e: d for d, _, e in PROGRAMS}
# The SDK module building each program's instructions.
SDK_MODULE_PROGRAM = {"ix": "lattice-dao", "conversion": "lattice-dao", "dc": "lattice-data-credits",
                      "registry": "lattice-registry", "rewards": "lattice-rewards",
                      "compute": "lattice-compute", "governance": "lattice-governance"}
MODULE_PROGRAM = {m: d for d, m, _ in PROGRAMS}

# Constraint keyword -> Anchor error raised when it fails (without `@ Custom`).
CONSTRAINT_ERRORS = {
    "has_one": "ConstraintHasOne",
    "seeds": "ConstraintSeeds",
    "constraint": "ConstraintRaw",
    "address": "ConstraintAddress",
    "owner": "ConstraintOwner",
    "signer": "ConstraintSigner",
    "executable": "ConstraintExecutable",
    "zero": "ConstraintZero",
    "token::mint": "ConstraintTokenMint",
    "token::authority": "ConstraintTokenOwner",
    "token::token_program": "ConstraintTokenTokenProgram",
    "mint::authority": "ConstraintMintMintAuthority",
    "mint::freeze_authority": "ConstraintMintFreezeAuthority",
    "mint::decimals": "ConstraintMintDecimals",
    "mint::token_program": "ConstraintMintTokenProgram",
    "associated_token::mint": "AccountNotAssociatedTokenAccount",
    "associated_token::authority": "AccountNotAssociatedTokenAccount",
    "associated_token::token_program": "ConstraintAssociatedTokenTokenProgram",
}
# Creation parameters when the account is `init` (nothing is checked).
INIT_PARAMS = ("token::", "mint::", "associated_token::")
STRUCTURAL = ("mut", "init", "init_if_needed", "payer", "space", "close", "bump", "realloc",
              "realloc::payer", "realloc::zero", "dup")

# Assertions the static reading cannot attribute (or attributes wrongly), settled from the
# program logs of the test run (Anchor logs `AnchorError thrown in <file>:<line>` for `require!`
# and `err!`, `caused by account: <name>` for account constraints): (test file, test fn, error)
# -> the sites it triggers, as (program dir, file relative to src/, site key). The site key is
# "Struct.field:kind" for an account constraint, "fn:Error" for a code site, "#n" numbering the
# sites sharing a key in source order.
MANUAL: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {
    ('programs/lattice-compute/tests/attest_fault.rs', 'a_job_subject_needs_its_market_and_job_accounts', 'MissingJobAccount'): [
        ('lattice-compute', 'instructions/attest_fault.rs', 'handler:MissingJobAccount#1'),
        ('lattice-compute', 'instructions/attest_fault.rs', 'handler:MissingJobAccount#2'),
        ('lattice-compute', 'instructions/attest_fault.rs', 'handler:MissingJobAccount#3'),
        ('lattice-compute', 'instructions/attest_fault.rs', 'handler:MissingJobAccount#4'),
    ],
    ('programs/lattice-compute/tests/attest_fault.rs', 'the_executing_vote_needs_the_jobs_refund_account', 'WrongRefundAccount'): [
        ('lattice-compute', 'instructions/attest_fault.rs', 'execute:WrongRefundAccount#1'),
        ('lattice-compute', 'instructions/attest_fault.rs', 'execute:WrongRefundAccount#2'),
    ],
    ('programs/lattice-compute/tests/claim_job.rs', 'refuses_another_devices_node_account_and_registry', 'ConstraintSeeds'): [
        ('lattice-compute', 'instructions/claim_job.rs', 'ClaimJob.gpu_node:seeds'),
    ],
    ('programs/lattice-compute/tests/finalize_job.rs', 'cannot_settle_until_the_burn_authority_is_handed_over', 'WrongBurnAuthority'): [
        ('lattice-data-credits', 'instructions/burn_delegated_dc.rs', 'BurnDelegatedDc.sub_dao_dc:has_one = burn_authority'),
    ],
    ('programs/lattice-compute/tests/finalize_job.rs', 'refuses_wrong_accounts', 'ConstraintAddress'): [
        ('lattice-compute', 'instructions/finalize_job.rs', 'FinalizeJob.poster_dc:address'),
    ],
    ('programs/lattice-compute/tests/finalize_job.rs', 'refuses_wrong_accounts', 'ConstraintSeeds'): [
        ('lattice-compute', 'instructions/finalize_job.rs', 'record_work:ConstraintSeeds'),
    ],
    ('programs/lattice-compute/tests/finalize_job.rs', 'refuses_wrong_accounts', 'WrongRegistry'): [
        ('lattice-compute', 'instructions/finalize_job.rs', 'FinalizeJob.registry:address'),
    ],
    ('programs/lattice-compute/tests/initialize_compute.rs', 'refuses_a_slash_destination_of_another_mint', 'ConstraintTokenMint'): [
        ('lattice-compute', 'instructions/initialize_compute.rs', 'InitializeCompute.slash_destination:token::mint'),
    ],
    ('programs/lattice-compute/tests/initialize_compute.rs', 'refuses_a_sub_dao_other_than_the_registrys_compute_sub_dao', 'WrongSubDao'): [
        ('lattice-compute', 'instructions/initialize_compute.rs', 'InitializeCompute.registry:constraint'),
    ],
    ('programs/lattice-compute/tests/post_job.rs', 'refuses_a_full_queue', 'QueueFull'): [
        ('lattice-compute', 'instructions/post_job.rs', 'handler:QueueFull'),
    ],
    ('programs/lattice-compute/tests/post_job.rs', 'refuses_an_escrow_that_overflows_or_exceeds_the_posters_dc', 'MathOverflow'): [
        ('lattice-compute', 'instructions/post_job.rs', 'handler:MathOverflow#1'),
    ],
    ('programs/lattice-compute/tests/post_job.rs', 'takes_only_the_markets_next_job_id', 'ConstraintSeeds'): [
        ('lattice-compute', 'instructions/post_job.rs', 'PostJob.job:seeds'),
    ],
    ('programs/lattice-compute/tests/timeout_job.rs', 'refuses_a_submitted_job', 'JobNotClaimed'): [
        ('lattice-compute', 'instructions/timeout_job.rs', 'handler:JobNotClaimed'),
    ],
    ('programs/lattice-dao/tests/add_sub_dao.rs', 'refuses_bad_schedule_cap_and_breaker', 'ScheduleExceedsCap'): [
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:ScheduleExceedsCap#2'),
    ],
    ('programs/lattice-dao/tests/add_sub_dao.rs', 'refuses_more_than_max_sub_daos', 'TooManySubDaos'): [
        ('lattice-dao', 'instructions/add_sub_dao.rs', 'handler:TooManySubDaos#1'),
    ],
    ('programs/lattice-dao/tests/convert.rs', 'refuses_to_price_against_an_empty_treasury', 'ZeroAmount'): [
        ('lattice-dao', 'instructions/convert.rs', 'convert:ZeroAmount#2'),
    ],
    ('programs/lattice-dao/tests/convert.rs', 'refuses_wrong_accounts', 'ConstraintHasOne'): [
        ('lattice-dao', 'instructions/convert.rs', 'Convert.conversion:has_one = pool'),
        ('lattice-dao', 'instructions/convert.rs', 'Convert.sub_dao:has_one = treasury'),
    ],
    ('programs/lattice-dao/tests/convert.rs', 'refuses_wrong_accounts', 'WrongMint'): [
        ('lattice-dao', 'instructions/convert.rs', 'Convert.user_main:constraint'),
        ('lattice-dao', 'instructions/convert.rs', 'Convert.user_sub:constraint'),
    ],
    ('programs/lattice-dao/tests/convert.rs', 'refuses_zero_amounts', 'ZeroAmount'): [
        ('lattice-dao', 'instructions/convert.rs', 'convert:ZeroAmount#1'),
        ('lattice-dao', 'instructions/convert.rs', 'convert:ZeroAmount#2'),
    ],
    ('programs/lattice-dao/tests/convert.rs', 'the_pool_never_pays_out_its_virtual_reserve', 'ZeroAmount'): [
        ('lattice-dao', 'instructions/convert.rs', 'convert:ZeroAmount#2'),
    ],
    ('programs/lattice-dao/tests/coverage_gaps.rs', 'add_sub_dao_refuses_other_accounts', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/add_sub_dao.rs', 'AddSubDao.delegator_pool:seeds'),
        ('lattice-dao', 'instructions/add_sub_dao.rs', 'AddSubDao.rewards_escrow:seeds'),
        ('lattice-dao', 'instructions/add_sub_dao.rs', 'AddSubDao.sub_dao:seeds'),
        ('lattice-dao', 'instructions/add_sub_dao.rs', 'AddSubDao.treasury:seeds'),
    ],
    ('programs/lattice-dao/tests/coverage_gaps.rs', 'refuses_a_sub_dao_of_another_dao', 'ConstraintHasOne'): [
        ('lattice-dao', 'instructions/approve_rewards_delegate.rs', 'ApproveRewardsDelegate.sub_dao:has_one = dao'),
        ('lattice-dao', 'instructions/init_conversion.rs', 'InitConversion.sub_dao:has_one = dao'),
        ('lattice-dao', 'instructions/set_conversion_params.rs', 'SetConversionParams.sub_dao:has_one = dao'),
    ],
    ('programs/lattice-dao/tests/init_conversion.rs', 'refuses_another_mint_or_sub_dao', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/init_conversion.rs', 'InitConversion.conversion:seeds'),
        ('lattice-dao', 'instructions/init_conversion.rs', 'InitConversion.pool:seeds'),
    ],
    ('programs/lattice-dao/tests/initialize_dao.rs', 'refuses_schedule_above_cap', 'ScheduleExceedsCap'): [
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:ScheduleExceedsCap#1'),
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:ScheduleExceedsCap#2'),
    ],
    ('programs/lattice-dao/tests/issue_hour.rs', 'refuses_wrong_sub_dao_accounts', 'SubDaoAccountMismatch'): [
        ('lattice-dao', 'instructions/issue_hour.rs', 'load_sub_daos:SubDaoAccountMismatch#1'),
        ('lattice-dao', 'instructions/issue_hour.rs', 'load_sub_daos:SubDaoAccountMismatch#3'),
        ('lattice-dao', 'instructions/issue_hour.rs', 'load_sub_daos:SubDaoAccountMismatch#4'),
        ('lattice-dao', 'instructions/issue_hour.rs', 'load_sub_daos:SubDaoAccountMismatch#5'),
    ],
    ('programs/lattice-dao/tests/record_ve.rs', 'refuses_other_accounts', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/record_ve.rs', 'RecordVe.sub_dao_epoch:seeds'),
    ],
    ('programs/lattice-dao/tests/record_ve.rs', 'requires_the_governance_pda', 'Unauthorized'): [
        ('lattice-dao', 'instructions/record_ve.rs', 'handler:Unauthorized'),
    ],
    ('programs/lattice-dao/tests/set_dao_params.rs', 'refuses_a_pool_below_what_was_emitted', 'InvalidSchedule'): [
        ('lattice-dao', 'instructions/set_dao_params.rs', 'handler:InvalidSchedule'),
    ],
    ('programs/lattice-dao/tests/set_dao_params.rs', 'refuses_what_initialize_dao_refuses', 'InvalidSchedule'): [
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:InvalidSchedule'),
    ],
    ('programs/lattice-dao/tests/set_dao_params.rs', 'refuses_what_initialize_dao_refuses', 'ScheduleExceedsCap'): [
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:ScheduleExceedsCap#2'),
    ],
    ('programs/lattice-dao/tests/set_sub_dao_params.rs', 'refuses_a_pool_below_what_was_emitted', 'InvalidSchedule'): [
        ('lattice-dao', 'instructions/set_sub_dao_params.rs', 'handler:InvalidSchedule'),
    ],
    ('programs/lattice-dao/tests/set_sub_dao_params.rs', 'refuses_a_sub_dao_of_another_dao', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/set_sub_dao_params.rs', 'SetSubDaoParams.sub_dao:seeds'),
    ],
    ('programs/lattice-dao/tests/set_sub_dao_params.rs', 'refuses_what_add_sub_dao_refuses', 'InvalidSchedule'): [
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:InvalidSchedule'),
    ],
    ('programs/lattice-dao/tests/set_sub_dao_params.rs', 'refuses_what_add_sub_dao_refuses', 'ScheduleExceedsCap'): [
        ('lattice-dao', 'instructions/mod.rs', 'validate_schedule:ScheduleExceedsCap#2'),
    ],
    ('programs/lattice-dao/tests/track_dc_burn.rs', 'refuses_any_signer_but_the_data_credits_pda', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/track_dc_burn.rs', 'TrackDcBurn.data_credits:seeds'),
    ],
    ('programs/lattice-dao/tests/update_active_devices.rs', 'refuses_any_signer_but_the_registry_pda', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/update_active_devices.rs', 'UpdateActiveDevices.registry:seeds'),
    ],
    ('programs/lattice-data-credits/tests/coverage_gaps.rs', 'burn_and_refund_of_delegated_dc_refuse_other_accounts', 'ConstraintAddress'): [
        ('lattice-data-credits', 'instructions/burn_delegated_dc.rs', 'BurnDelegatedDc.dao:address'),
        ('lattice-data-credits', 'instructions/burn_delegated_dc.rs', 'BurnDelegatedDc.sub_dao:address'),
    ],
    ('programs/lattice-data-credits/tests/coverage_gaps.rs', 'burn_and_refund_of_delegated_dc_refuse_other_accounts', 'ConstraintHasOne'): [
        ('lattice-data-credits', 'instructions/burn_delegated_dc.rs', 'BurnDelegatedDc.data_credits:has_one = dc_mint'),
        ('lattice-data-credits', 'instructions/refund_delegated_dc.rs', 'RefundDelegatedDc.data_credits:has_one = dc_mint'),
    ],
    ('programs/lattice-data-credits/tests/coverage_gaps.rs', 'burn_dc_fee_refuses_other_accounts', 'ConstraintAddress'): [
        ('lattice-data-credits', 'instructions/burn_dc_fee.rs', 'BurnDcFee.dao:address'),
        ('lattice-data-credits', 'instructions/burn_dc_fee.rs', 'BurnDcFee.sub_dao:address'),
    ],
    ('programs/lattice-data-credits/tests/coverage_gaps.rs', 'burn_dc_fee_refuses_other_accounts', 'ConstraintHasOne'): [
        ('lattice-data-credits', 'instructions/burn_dc_fee.rs', 'BurnDcFee.data_credits:has_one = dc_mint'),
    ],
    ('programs/lattice-data-credits/tests/coverage_gaps.rs', 'delegate_dc_refuses_other_accounts', 'ConstraintHasOne'): [
        ('lattice-data-credits', 'instructions/delegate_dc.rs', 'DelegateDc.data_credits:has_one = dc_mint'),
    ],
    ('programs/lattice-data-credits/tests/coverage_gaps.rs', 'delegate_dc_refuses_other_accounts', 'ConstraintSeeds'): [
        ('lattice-data-credits', 'instructions/delegate_dc.rs', 'DelegateDc.escrow:seeds'),
    ],
    ('programs/lattice-data-credits/tests/delegate_and_burn.rs', 'burn_authority_burns_delegated_dc_into_the_current_hour', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/track_dc_burn.rs', 'handler:ConstraintSeeds'),
    ],
    ('programs/lattice-data-credits/tests/delegate_and_burn.rs', 'fee_burns_are_recorded_separately', 'ConstraintSeeds'): [
        ('lattice-dao', 'instructions/track_dc_burn.rs', 'handler:ConstraintSeeds'),
    ],
    ('programs/lattice-data-credits/tests/initialize_data_credits.rs', 'sub_dao_registration', 'Unauthorized'): [
        ('lattice-data-credits', 'instructions/add_sub_dao_dc.rs', 'AddSubDaoDc.data_credits:has_one = authority'),
    ],
    ('programs/lattice-data-credits/tests/mint_dc.rs', 'refuses_bad_amounts', 'InvalidAmount'): [
        ('lattice-data-credits', 'instructions/mint_dc.rs', 'handler:InvalidAmount'),
        ('lattice-data-credits', 'instructions/mint_dc.rs', 'price_error:InvalidAmount'),
    ],
    ('programs/lattice-data-credits/tests/refund_and_burn_authority.rs', 'refund_takes_only_this_sub_daos_escrow_and_pays_only_dc', 'ConstraintTokenMint'): [
        ('lattice-data-credits', 'instructions/refund_delegated_dc.rs', 'RefundDelegatedDc.destination:token::mint'),
    ],
    ('programs/lattice-governance/tests/coverage_gaps.rs', 'lock_refuses_other_accounts', 'ConstraintSeeds'): [
        ('lattice-governance', 'instructions/positions.rs', 'LockTokens.position:seeds'),
        ('lattice-governance', 'instructions/positions.rs', 'LockTokens.vault:seeds'),
    ],
    ('programs/lattice-governance/tests/coverage_gaps.rs', 'withdraw_refuses_another_positions_vault', 'ConstraintSeeds'): [
        ('lattice-governance', 'instructions/positions.rs', 'Withdraw.vault:seeds'),
    ],
    ('programs/lattice-governance/tests/delegation.rs', 'checkpoints_go_hour_by_hour_after_issuance', 'CheckpointOutOfOrder'): [
        ('lattice-governance', 'instructions/delegation.rs', 'checkpoint_handler:CheckpointOutOfOrder#1'),
    ],
    ('programs/lattice-governance/tests/delegation.rs', 'checkpoints_go_hour_by_hour_after_issuance', 'HourNotIssued'): [
        ('lattice-governance', 'instructions/delegation.rs', 'checkpoint_handler:HourNotIssued#1'),
    ],
    ('programs/lattice-governance/tests/delegation.rs', 'delegation_refusals', 'WrongSubDao'): [
        ('lattice-governance', 'instructions/delegation.rs', 'undelegate_handler:WrongSubDao'),
        ('lattice-governance', 'instructions/positions.rs', 'relock_handler:WrongSubDao#1'),
        ('lattice-governance', 'instructions/positions.rs', 'relock_handler:WrongSubDao#2'),
    ],
    ('programs/lattice-governance/tests/delegation.rs', 'undelegated_ranges_stay_claimable', 'MissingVeHour'): [
        ('lattice-governance', 'instructions/ve.rs', 'find:MissingVeHour'),
    ],
    ('programs/lattice-governance/tests/handoff.rs', 'after_the_handoff_the_bootstrap_key_changes_nothing', 'Unauthorized'): [
        ('lattice-compute', 'instructions/mod.rs', 'Admin.config:has_one = authority'),
        ('lattice-dao', 'instructions/set_authority.rs', 'SetDaoAuthority.dao:has_one = authority'),
        ('lattice-dao', 'instructions/set_conversion_params.rs', 'SetConversionParams.dao:has_one = authority'),
        ('lattice-dao', 'instructions/set_dao_params.rs', 'SetDaoParams.dao:has_one = authority'),
        ('lattice-dao', 'instructions/set_sub_dao_params.rs', 'SetSubDaoParams.dao:has_one = authority'),
        ('lattice-data-credits', 'instructions/set_authority.rs', 'SetDcAuthority.data_credits:has_one = authority'),
        ('lattice-data-credits', 'instructions/set_burn_authority.rs', 'SetBurnAuthority.data_credits:has_one = authority'),
        ('lattice-data-credits', 'instructions/set_dc_params.rs', 'SetDcParams.data_credits:has_one = authority'),
        ('lattice-registry', 'instructions/set_authority.rs', 'SetRegistryAuthority.registry:has_one = authority'),
        ('lattice-registry', 'instructions/set_registry_params.rs', 'SetRegistryParams.registry:has_one = authority'),
        ('lattice-rewards', 'instructions/set_claim_breaker.rs', 'SetClaimBreaker.dao:has_one = authority'),
        ('lattice-rewards', 'instructions/set_oracles.rs', 'SetOracles.dao:has_one = authority'),
    ],
    ('programs/lattice-governance/tests/positions.rs', 'lock_refuses_a_zero_amount_and_more_than_the_longest_lock', 'InvalidLock'): [
        ('lattice-governance', 'instructions/positions.rs', 'lock_handler:InvalidLock'),
        ('lattice-governance', 'instructions/positions.rs', 'make_lock:InvalidLock'),
    ],
    ('programs/lattice-governance/tests/proposals.rs', 'changes_execute_in_order_after_the_timelock', 'ChangeOutOfOrder'): [
        ('lattice-governance', 'instructions/execute.rs', 'handler:ChangeOutOfOrder#1'),
        ('lattice-governance', 'instructions/execute.rs', 'handler:ChangeOutOfOrder#2'),
    ],
    ('programs/lattice-governance/tests/proposals.rs', 'other_programs_need_governance_as_their_authority', 'ChangeAccountMismatch'): [
        ('lattice-governance', 'instructions/execute.rs', 'invoke_change:ChangeAccountMismatch#1'),
    ],
    ('programs/lattice-governance/tests/proposals.rs', 'other_programs_need_governance_as_their_authority', 'Unauthorized'): [
        ('lattice-dao', 'instructions/set_dao_params.rs', 'SetDaoParams.dao:has_one = authority'),
    ],
    ('programs/lattice-governance/tests/proposals.rs', 'propose_checks_power_changes_and_uri', 'TooManyChanges'): [
        ('lattice-governance', 'instructions/proposals.rs', 'propose_handler:TooManyChanges#1'),
    ],
    ('programs/lattice-registry/tests/compute_cpi.rs', 'only_the_compute_configuration_holds_releases_and_slashes', 'ConstraintSeeds'): [
        ('lattice-registry', 'instructions/jobs_held.rs', 'UpdateJobsHeld.compute_config:seeds'),
    ],
    ('programs/lattice-registry/tests/coverage_gaps.rs', 'gpu_node_instructions_refuse_other_accounts_and_strangers', 'ConstraintSeeds'): [
        ('lattice-registry', 'instructions/close_gpu_node.rs', 'CloseGpuNode.gpu_node:seeds'),
        ('lattice-registry', 'instructions/close_gpu_node.rs', 'CloseGpuNode.stake_vault:seeds'),
        ('lattice-registry', 'instructions/request_unstake.rs', 'RequestUnstake.gpu_node:seeds'),
    ],
    ('programs/lattice-registry/tests/coverage_gaps.rs', 'hotspot_instructions_refuse_other_accounts', 'ConstraintAddress'): [
        ('lattice-registry', 'instructions/assert_location.rs', 'AssertLocation.dao:address'),
        ('lattice-registry', 'instructions/close_hotspot.rs', 'CloseHotspot.dao:address'),
    ],
    ('programs/lattice-registry/tests/coverage_gaps.rs', 'hotspot_instructions_refuse_other_accounts', 'ConstraintSeeds'): [
        ('lattice-registry', 'instructions/assert_location.rs', 'AssertLocation.hotspot:seeds'),
        ('lattice-registry', 'instructions/close_hotspot.rs', 'CloseHotspot.hotspot:seeds'),
    ],
    ('programs/lattice-registry/tests/coverage_gaps.rs', 'hotspot_instructions_refuse_other_accounts', 'WrongSubDao'): [
        ('lattice-registry', 'instructions/assert_location.rs', 'AssertLocation.sub_dao:address'),
        ('lattice-registry', 'instructions/close_hotspot.rs', 'CloseHotspot.sub_dao:address'),
    ],
    ('programs/lattice-registry/tests/coverage_gaps.rs', 'register_gpu_node_refuses_other_accounts', 'ConstraintSeeds'): [
        ('lattice-registry', 'instructions/register_gpu_node.rs', 'RegisterGpuNode.gpu_node:seeds'),
    ],
    ('programs/lattice-registry/tests/coverage_gaps.rs', 'register_hotspot_refuses_other_accounts', 'ConstraintSeeds'): [
        ('lattice-registry', 'instructions/register_hotspot.rs', 'RegisterHotspot.hotspot:seeds'),
    ],
    ('programs/lattice-registry/tests/hotspots.rs', 'refuses_a_missing_device_signature', 'ConstraintSeeds'): [
        ('lattice-registry', 'instructions/register_hotspot.rs', 'RegisterHotspot.hotspot:seeds'),
    ],
    ('programs/lattice-registry/tests/initialize_registry.rs', 'refuses_bad_params_and_strangers', 'WrongSubDao'): [
        ('lattice-registry', 'instructions/initialize_registry.rs', 'InitializeRegistry.coverage_sub_dao:has_one = dao'),
    ],
    ('programs/lattice-rewards/tests/claim.rs', 'gpu_nodes_are_paid_by_the_compute_sub_dao', 'WrongDeviceAccount'): [
        ('lattice-rewards', 'instructions/claim.rs', 'device_owner:WrongDeviceAccount#2'),
    ],
    ('programs/lattice-rewards/tests/claim.rs', 'pays_only_the_current_owner', 'WrongDestination'): [
        ('lattice-rewards', 'instructions/claim.rs', 'Claim.destination:constraint'),
        ('lattice-rewards', 'instructions/claim.rs', 'handler:WrongDestination'),
    ],
    ('programs/lattice-rewards/tests/claim.rs', 'refuses_a_wrong_device_account', 'WrongDeviceAccount'): [
        ('lattice-rewards', 'instructions/claim.rs', 'device_owner:WrongDeviceAccount#1'),
    ],
    ('programs/lattice-rewards/tests/close_epoch_root.rs', 'pays_only_the_creator', 'ConstraintHasOne'): [
        ('lattice-rewards', 'instructions/close_epoch_root.rs', 'CloseEpochRoot.epoch_root:has_one = rent_payer'),
    ],
}

# Implicit account checks (an account's type) asserted by tests, from the same program logs:
# (test file, test fn, error) -> [(program dir, account)]. Without an entry, the instructions the
# assertion builds are listed.
IMPLICIT: dict[tuple[str, str, str], list[tuple[str, str]]] = {
    ('programs/lattice-compute/tests/cancel_job.rs', 'only_the_poster_cancels', 'AccountNotSigner'): [('lattice-compute', 'poster')],
    ('programs/lattice-compute/tests/claim_job.rs', 'refuses_an_unregistered_device', 'AccountNotInitialized'): [('lattice-compute', 'gpu_node')],
    ('programs/lattice-compute/tests/claim_job.rs', 'requires_the_device_signature', 'AccountNotSigner'): [('lattice-compute', 'device')],
    ('programs/lattice-compute/tests/create_market.rs', 'changes_parameters_and_refuses_invalid_ones', 'AccountNotInitialized'): [('lattice-compute', 'market')],
    ('programs/lattice-dao/tests/add_sub_dao.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/approve_rewards_delegate.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/convert.rs', 'spends_only_the_signers_tokens', 'AccountNotSigner'): [('lattice-dao', 'user')],
    ('programs/lattice-dao/tests/enable_ve.rs', 'requires_the_governance_pda', 'AccountNotSigner'): [('lattice-dao', 'governance')],
    ('programs/lattice-dao/tests/init_conversion.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/initialize_dao.rs', 'requires_authority_and_mint_signatures', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/issue_hour.rs', 'refuses_wrong_fixed_accounts', 'AccountDiscriminatorMismatch'): [('lattice-dao', 'dao')],
    ('programs/lattice-dao/tests/issue_hour.rs', 'refuses_wrong_fixed_accounts', 'InvalidProgramId'): [('lattice-dao', 'token_program')],
    ('programs/lattice-dao/tests/issue_hour.rs', 'requires_cranker_signature', 'AccountNotSigner'): [('lattice-dao', 'cranker')],
    ('programs/lattice-dao/tests/record_ve.rs', 'requires_the_governance_pda', 'AccountNotSigner'): [('lattice-dao', 'governance')],
    ('programs/lattice-dao/tests/set_authority.rs', 'refuses_the_default_key_and_other_accounts', 'AccountDiscriminatorMismatch'): [('lattice-dao', 'dao')],
    ('programs/lattice-dao/tests/set_authority.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/set_conversion_params.rs', 'refuses_invalid_params_and_uninitialized_or_foreign_state', 'AccountNotInitialized'): [('lattice-dao', 'conversion')],
    ('programs/lattice-dao/tests/set_conversion_params.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/set_dao_params.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/set_sub_dao_params.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-dao', 'authority')],
    ('programs/lattice-dao/tests/track_dc_burn.rs', 'refuses_any_signer_but_the_data_credits_pda', 'AccountNotSigner'): [('lattice-dao', 'data_credits')],
    ('programs/lattice-dao/tests/update_active_devices.rs', 'refuses_any_signer_but_the_registry_pda', 'AccountNotSigner'): [('lattice-dao', 'registry')],
    ('programs/lattice-data-credits/tests/initialize_data_credits.rs', 'sub_dao_registration', 'AccountNotInitialized'): [('lattice-data-credits', 'sub_dao')],
    ('programs/lattice-data-credits/tests/mint_dc.rs', 'requires_owner_signature_and_configured_accounts', 'AccountNotSigner'): [('lattice-data-credits', 'owner')],
    ('programs/lattice-data-credits/tests/set_authority.rs', 'refuses_the_default_key_and_other_accounts', 'AccountDiscriminatorMismatch'): [('lattice-data-credits', 'data_credits')],
    ('programs/lattice-data-credits/tests/set_authority.rs', 'requires_the_dc_authority', 'AccountNotSigner'): [('lattice-data-credits', 'authority')],
    ('programs/lattice-data-credits/tests/set_dc_params.rs', 'requires_the_dc_authority', 'AccountNotSigner'): [('lattice-data-credits', 'authority')],
    ('programs/lattice-governance/tests/positions.rs', 'a_withdrawn_position_only_claims', 'AccountNotInitialized'): [('lattice-governance', 'vault')],
    ('programs/lattice-registry/tests/hotspots.rs', 'refuses_a_missing_device_signature', 'AccountNotSigner'): [('lattice-registry', 'device')],
    ('programs/lattice-registry/tests/set_authority.rs', 'refuses_the_default_key_and_other_accounts', 'AccountOwnedByWrongProgram'): [('lattice-registry', 'registry')],
    ('programs/lattice-registry/tests/set_authority.rs', 'requires_the_registry_authority', 'AccountNotSigner'): [('lattice-registry', 'authority')],
    ('programs/lattice-registry/tests/set_registry_params.rs', 'requires_the_registry_authority', 'AccountNotSigner'): [('lattice-registry', 'authority')],
    ('programs/lattice-rewards/tests/initialize_rewards.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-rewards', 'authority')],
    ('programs/lattice-rewards/tests/post_root.rs', 'refuses_a_non_oracle', 'AccountNotSigner'): [('lattice-rewards', 'oracle')],
    ('programs/lattice-rewards/tests/set_claim_breaker.rs', 'refuses_what_initialize_rewards_refuses_and_other_daos', 'AccountDiscriminatorMismatch'): [('lattice-rewards', 'dao')],
    ('programs/lattice-rewards/tests/set_claim_breaker.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-rewards', 'authority')],
    ('programs/lattice-rewards/tests/set_oracles.rs', 'requires_the_dao_authority', 'AccountNotSigner'): [('lattice-rewards', 'authority')],
}

# Known gaps: (program dir, file relative to src, site key) -> reason. Site keys as in MANUAL; a
# key "fn:Error" names every site of that error in that function, "*:Error" every site of the
# error in the file.
GAP_REASONS: dict[tuple[str, str, str], str] = {
    ("lattice-rewards", "instructions/claim.rs", "device_owner:WrongDeviceAccount#3"):
        "reached by claim.rs::refuses_a_wrong_device_account only for some random keys: another "
        "device's hotspot makes `create_program_address` fail (here) or yield another address "
        "(#4), depending on whether the derived point falls on the curve",
    ("lattice-rewards", "instructions/claim.rs", "device_owner:WrongDeviceAccount#4"):
        "reached by claim.rs::refuses_a_wrong_device_account only for some random keys (see #3)",
    ("lattice-compute", "state.rs", "enqueue:QueueFull"):
        "defensive: post_job checks the queue's length (`QueueFull`, covered) before enqueueing",
    ("lattice-dao", "instructions/add_sub_dao.rs", "handler:TooManySubDaos#2"):
        "defensive: the `u8` index conversion cannot fail after the `MAX_SUB_DAOS` check "
        "(`TooManySubDaos` #1, covered)",
    ("lattice-dao", "state/conversion.rs", "conversion_error:InvalidConversionParams"):
        "defensive: the curve's parameters are validated when set (`InvalidConversionParams` in "
        "`validate`, covered), so the math library never sees an invalid curve",
    ("lattice-governance", "instructions/execute.rs", "handler:InvalidGovernanceParams"):
        "defensive: `propose` already refuses invalid governance parameters "
        "(`InvalidGovernanceParams` in propose_handler, covered); execution re-checks them",
    ("lattice-governance", "instructions/execute.rs", "handler:ChangeOutOfOrder#3"):
        "defensive: `index == executed` (#2, covered) and a queued proposal has executed fewer "
        "changes than it holds, so the lookup cannot miss",
    ("lattice-governance", "instructions/proposals.rs", "propose_handler:TooManyChanges#2"):
        "defensive: the `u8` count conversion cannot fail after the 1..=8 check (#1, covered)",
}

# Accounts a DAO has exactly one of (its configuration in each program).
PER_DAO = {"dao", "config", "governance", "registry", "data_credits", "compute_config"}

# Instructions another engineer is changing while this report is written: no new tests against
# them (their gaps are listed with this reason).
IN_FLUX = {("lattice-data-credits", "mint_dc"), ("lattice-dao", "issue_hour"),
           ("lattice-compute", "finalize_job"), ("lattice-governance", "checkpoint_ve")}
# Reasons per error name, for the defensive checks shared by every program.
GAP_REASONS_BY_ERROR = {
    "MathOverflow": "defensive: an overflow guard of checked arithmetic on token amounts and "
    "counters (u64 supplies, validated parameters); reaching it needs values near the type's "
    "limit (judged per error, not proven site by site; post_job's escrow guard is reachable and "
    "covered)",
    "InvariantViolated": "defensive: an account invariant re-checked after a state change the "
    "handler just made consistently; only a program bug could trip it",
}


# ---------------------------------------------------------------------------------------------
# Lexing


def strip_rust(text: str) -> str:
    """Comments and string/char literal contents blanked (newlines kept), so that offsets and
    line numbers stay those of the file."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + len(m.group(0)))
            end = n if end < 0 else end
            blank(i + len(m.group(0)), end)
            i = end + 1 + len(m.group(1))
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            if m:
                blank(i + 1, i + len(m.group(0)) - 1)
                i += len(m.group(0))
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


PAIRS = {"(": ")", "[": "]", "{": "}"}


def match_close(s: str, i: int) -> int:
    """Index of the bracket closing the one at `i`."""
    stack = []
    for j in range(i, len(s)):
        c = s[j]
        if c in PAIRS:
            stack.append(PAIRS[c])
        elif c in ")]}":
            if not stack:
                return j
            stack.pop()
            if not stack:
                return j
    return len(s) - 1


def split_top(s: str, sep: str = ",", angles: bool = False) -> list[tuple[int, str]]:
    """Split at top-level `sep` (generic `<..>` too with `angles`); returns (offset, piece)."""
    parts, depth, start = [], 0, 0
    opening, closing = ("([{<", ")]}>") if angles else ("([{", ")]}")
    for j, c in enumerate(s):
        if c in opening:
            depth += 1
        elif c in closing:
            depth -= 1
        elif c == sep and depth == 0:
            parts.append((start, s[start:j]))
            start = j + 1
    parts.append((start, s[start:]))
    return [(o, p) for o, p in parts if p.strip()]


class Source:
    def __init__(self, path: str):
        self.path = path
        self.rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.code = strip_rust(self.text)
        self._nl = [m.start() for m in re.finditer("\n", self.text)]

    def line(self, off: int) -> int:
        import bisect

        return bisect.bisect_right(self._nl, off - 1) + 1


@dataclass
class Fn:
    src: Source
    name: str
    start: int  # offset of `fn`
    body: tuple[int, int]  # offsets of `{` and `}`
    attrs: str = ""
    is_test: bool = False

    @property
    def key(self):
        return (self.src.rel, self.name, self.start)


def find_fns(src: Source) -> list[Fn]:
    fns = []
    code = src.code
    for m in re.finditer(r"\bfn\s+([A-Za-z_]\w*)", code):
        # Signature ends at the first `{` or `;` outside brackets.
        j, depth = m.end(), 0
        while j < len(code):
            c = code[j]
            if c in "([<":
                depth += 1
            elif c in ")]>":
                # `->` is not a closing angle bracket.
                if not (c == ">" and code[j - 1] == "-"):
                    depth -= 1
            elif c == "{" and depth <= 0:
                break
            elif c == ";" and depth <= 0:
                j = -1
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        end = match_close(code, j)
        # Attributes just above the fn.
        k = m.start()
        prefix = code[max(0, k - 400):k]
        attrs = prefix[prefix.rfind("}") + 1:] if "}" in prefix else prefix
        attrs = attrs[attrs.rfind(";") + 1:] if ";" in attrs else attrs
        fns.append(Fn(src, m.group(1), m.start(), (j, end), attrs))
    return fns


def innermost_fn(fns: list[Fn], src: Source, off: int):
    best = None
    for f in fns:
        if f.src is src and f.body[0] <= off <= f.body[1]:
            if best is None or f.body[0] > best.body[0]:
                best = f
    return best


CALL_RE = re.compile(r"((?:[A-Za-z_]\w*::)*)([A-Za-z_]\w*)\s*(?:::\s*<[^>]*>\s*)?\(")
KEYWORDS = {"if", "while", "for", "match", "return", "Some", "Ok", "Err", "loop", "fn", "in",
            "let", "as", "move", "vec", "assert", "assert_eq", "matches", "format"}


def calls_in(code: str) -> list[tuple[str, str, int]]:
    """(qualifier path, name, offset) of every call `a::b::name(` / `.name(` in `code`."""
    out = []
    for m in CALL_RE.finditer(code):
        name = m.group(2)
        if name in KEYWORDS:
            continue
        before = code[m.start() - 1] if m.start() else ""
        if before == "!" or (before.isalnum() or before == "_"):
            continue
        if code[m.end(2):m.end(2) + 1] == "!":
            continue
        if name in ("map_err", "ok_or_else", "and_then", "map"):
            # A function passed by name: `.map_err(conversion_error)`.
            fm = re.match(r"\s*((?:\w+::)*)(\w+)\s*\)", code[m.end():])
            if fm:
                out.append((fm.group(1), fm.group(2), m.end()))
        if before == "." and not m.group(1):
            out.append((".", name, m.start()))
        else:
            out.append((m.group(1), name, m.start()))
    return out


# ---------------------------------------------------------------------------------------------
# Programs: sites


@dataclass
class Site:
    program: str
    src: Source
    line: int
    error: str  # variant name, or Anchor ErrorCode name
    custom: bool  # a variant of the program's enum
    kind: str  # constraint keyword, or require!/err!/ok_or/...
    where: str  # "Struct.field" or fn name
    fn: Fn | None = None
    struct: str | None = None
    account: str | None = None
    tests: set = field(default_factory=set)  # exact attributions: (test file rel, test fn)
    maybe: set = field(default_factory=set)  # ambiguous ones
    manual: bool = False
    note: str | None = None  # "self-seeded", "token-program": see gap_reason
    target: str | None = None  # the account a `has_one` compares with
    expr: str = ""  # the constraint's text
    init: bool = False  # on an account the instruction creates
    ftype: str = ""  # the account's type

    @property
    def file(self):  # relative to the program's src/
        return self.src.rel.split("/src/", 1)[1]

    ordinal: int = 0  # among the sites of the same file and base key, in source order

    @property
    def base_key(self):
        if self.struct:
            return f"{self.struct}.{self.account}:{self.kind}"
        return f"{self.where}:{self.error}"

    @property
    def key(self):
        return self.base_key + (f"#{self.ordinal}" if self.ordinal else "")

    @property
    def covered(self):
        return bool(self.tests)


@dataclass
class Program:
    dir: str
    module: str
    enum: str
    variants: list
    sources: list
    fns: list
    structs: dict  # name -> list of (field, type)
    instructions: dict  # name -> (context struct, lib fn)
    sites: list
    structural: int = 0


def parse_errors(path: str, enum: str) -> list[str]:
    src = Source(path)
    m = re.search(r"enum\s+" + enum + r"\s*\{", src.code)
    body = src.code[m.end():match_close(src.code, m.end() - 1)]
    body = re.sub(r"#\[[^\]]*\]", "", body)
    return [v.strip() for _, v in split_top(body) if v.strip()]


def rust_files(d: str) -> list[str]:
    out = []
    for base, _, files in os.walk(d):
        out += [os.path.join(base, f) for f in files if f.endswith(".rs")]
    return sorted(out)


def parse_accounts_structs(src: Source):
    """name -> [(field, type, attr inner text, attr offset)]"""
    structs = {}
    code = src.code
    for m in re.finditer(r"#\[derive\(([^)]*)\)\]", code):
        if "Accounts" not in re.split(r"[\s,]+", m.group(1)):
            continue
        sm = re.compile(r"struct\s+(\w+)[^{;]*\{").search(code, m.end())
        body_start = sm.end() - 1
        body_end = match_close(code, body_start)
        body = code[body_start + 1:body_end]
        fields = []
        for off, piece in split_top(body, angles=True):
            attrs = []
            p, k = piece, 0
            while True:
                a = re.compile(r"\s*#\[").match(p, k)
                if not a:
                    break
                close = match_close(p, a.end() - 1)
                attrs.append((a.end(), p[a.end():close]))
                k = close + 1
            fm = re.compile(r"\s*(?:pub(?:\([^)]*\))?\s+)?(\w+)\s*:\s*(.*)", re.S).match(p, k)
            if not fm:
                continue
            acc = [(body_start + 1 + off + ao, a) for ao, a in attrs if a.startswith("account")]
            fields.append((fm.group(1), " ".join(fm.group(2).split()), acc))
        structs[sm.group(1)] = (fields, src)
    return structs


def load_program(d: str, module: str, enum: str) -> Program:
    base = os.path.join(ROOT, "programs", d, "src")
    variants = parse_errors(os.path.join(base, "errors.rs"), enum)
    sources = [Source(p) for p in rust_files(base)]
    fns, structs = [], {}
    for s in sources:
        fns += find_fns(s)
        structs.update(parse_accounts_structs(s))
    lib = next(s for s in sources if s.rel.endswith("src/lib.rs"))
    instructions = {}
    pm = re.search(r"#\[program\]\s*pub\s+mod\s+\w+\s*\{", lib.code)
    pend = match_close(lib.code, pm.end() - 1)
    for f in fns:
        if f.src is lib and pm.end() < f.start < pend:
            sig = lib.code[f.start:f.body[0]]
            cm = re.search(r"Context\s*<\s*(?:'\w+\s*,\s*)*(\w+)", sig)
            instructions[f.name] = (cm.group(1) if cm else None, f)
    prog = Program(d, module, enum, variants, sources, fns, structs, instructions, [])
    collect_sites(prog)
    # Number the sites sharing a key (`load_sub_daos:SubDaoAccountMismatch#2`), from 1.
    groups = defaultdict(list)
    for site in prog.sites:
        groups[(site.file, site.base_key)].append(site)
    for group in groups.values():
        if len(group) > 1:
            for i, site in enumerate(sorted(group, key=lambda x: x.line), 1):
                site.ordinal = i
    return prog


def collect_sites(prog: Program) -> None:
    # Account constraints.
    for sname, (fields, src) in prog.structs.items():
        for fname, ftype, attrs in fields:
            for aoff, a in attrs:
                inner_open = a.find("(")
                if inner_open < 0:
                    continue
                inner = a[inner_open + 1:a.rfind(")")]
                items = [p.strip() for _, p in split_top(inner)]
                is_init = any(i in ("init", "init_if_needed") for i in items)
                init_only = "init" in items
                for off, item in split_top(inner):
                    item_s = item.strip()
                    km = re.match(r"([a-z_]+(?:::[a-z_]+)?)\s*(=(?!=)|$)", item_s)
                    if not km:
                        continue
                    kw = km.group(1)
                    custom = None
                    parts = split_top(item_s, "@")
                    if len(parts) > 1:
                        custom = parts[-1][1].strip().split("::")[-1]
                    line = src.line(aoff + inner_open + 1 + off + (len(item) - len(item.lstrip())))
                    if kw not in CONSTRAINT_ERRORS:
                        prog.structural += 1
                        continue
                    if init_only and kw.startswith(INIT_PARAMS):
                        prog.structural += 1
                        continue
                    err = custom or CONSTRAINT_ERRORS[kw]
                    note = None
                    if kw == "seeds" and not is_init:
                        refs = set(re.findall(r"(?<![.\w])([a-z_]\w*)\s*\.", item_s.split("=", 1)[1]))
                        if refs <= {fname}:
                            note = "self-seeded"
                    if kw.startswith("token::token_program"):
                        note = "token-program"
                    elif kw.startswith(("token::", "mint::")) and any(
                            re.match(r"seeds\s*=", i) for i in items):
                        note = "pinned-by-seeds"
                    if kw == "has_one" and not custom:
                        tgt = parts[0][1].split("=", 1)[1].strip()
                        seeds = next((i for i in items if re.match(r"seeds\s*=", i)), "")
                        if re.search(r"\b" + re.escape(tgt) + r"\s*\.\s*key\s*\(\)", seeds):
                            note = "implied-by-seeds"
                    if kw == "has_one" and custom:
                        tgt = parts[0][1].split("=", 1)[1].strip()
                        seeds = next((i for i in items if re.match(r"seeds\s*=", i)), "")
                        if re.search(r"\b" + re.escape(tgt) + r"\s*\.\s*key\s*\(\)", seeds):
                            note = "implied-by-seeds"
                    label, target = kw, None
                    if kw == "has_one":
                        target = parts[0][1].split("=", 1)[1].strip()
                        label = "has_one = " + target
                    prog.sites.append(Site(prog.dir, src, line, err, custom is not None, label,
                                           f"{sname}.{fname}", struct=sname, account=fname,
                                           note=note, target=target, expr=item_s,
                                           init=is_init, ftype=ftype))
    # Code sites: references to the enum's variants and to Anchor's ErrorCode.
    pat = re.compile(r"\b(" + prog.enum + r"|ErrorCode)::([A-Z]\w*)")
    for src in prog.sources:
        if src.rel.endswith(("/errors.rs", "/error.rs")):
            continue
        code = src.code
        # Skip #[account(...)] attributes (already counted).
        skip = []
        for am in re.finditer(r"#\[account\(", code):
            skip.append((am.start(), match_close(code, am.end() - 1)))
        for m in pat.finditer(code):
            if any(a <= m.start() <= b for a, b in skip):
                continue
            if m.group(1) == "ErrorCode" and not re.search(r"(anchor_lang::error::|error::)$", code[max(0, m.start() - 40):m.start()]):
                # A bare ErrorCode is Anchor's only when imported so; accept it too.
                pass
            kind, koff = classify(code, m.start())
            fn = innermost_fn(prog.fns, src, m.start())
            prog.sites.append(Site(prog.dir, src, src.line(koff), m.group(2),
                                   m.group(1) == prog.enum, kind,
                                   fn.name if fn else "?", fn=fn))


MACROS = ("require", "require_eq", "require_neq", "require_keys_eq", "require_keys_neq",
          "require_gt", "require_gte", "err", "error")


def classify(code: str, off: int) -> tuple[str, int]:
    """The construct raising the error at `off`, and the offset Anchor would log for it."""
    depth = 0
    j = off - 1
    while j >= 0:
        c = code[j]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c == "(":
                    m = re.search(r"([A-Za-z_]\w*)\s*(!?)\s*$", code[max(0, j - 60):j])
                    if m:
                        name = m.group(1)
                        if m.group(2) and name in MACROS:
                            return name + "!", j - len(m.group(0))
                        if name in ("ok_or", "ok_or_else", "map_err", "Err"):
                            return ("return Err" if name == "Err" else name), j - len(m.group(0))
                if c == "{":
                    # A block: a match arm or closure body; keep looking for an enclosing call,
                    # but report a match arm.
                    pre = code[max(0, off - 40):off]
                    if "=>" in pre:
                        return "match arm", off
                    return "expression", off
            else:
                depth -= 1
        elif c == ";" and depth == 0:
            break
        j -= 1
    pre = code[max(0, off - 40):off]
    if "=>" in pre:
        return "match arm", off
    return "expression", off


# ---------------------------------------------------------------------------------------------
# Call graph: functions, instructions, CPI


class World:
    def __init__(self):
        self.programs = [load_program(*p) for p in PROGRAMS]
        self.by_dir = {p.dir: p for p in self.programs}
        self.fns_by_name = defaultdict(list)
        for p in self.programs:
            for f in p.fns:
                self.fns_by_name[(p.dir, f.name)].append(f)
        self.fn_program = {}
        for p in self.programs:
            for f in p.fns:
                self.fn_program[f.key] = p
        self._reach = {}
        self.struct_instr = self._struct_instructions()

    def resolve_prog_call(self, prog: Program, qual: str, name: str) -> list:
        """Targets of a call inside program `prog`: fns, or ("ix", program dir, name) for CPI."""
        segs = [s for s in qual.split("::") if s]
        if "cpi" in segs:
            mod = segs[0] if segs[0] != "cpi" else None
            dirn = MODULE_PROGRAM.get(mod, prog.dir) if mod else prog.dir
            if name in self.by_dir[dirn].instructions:
                return [("ix", dirn, name)]
            return []
        cands = self.fns_by_name.get((prog.dir, name), [])
        if segs and len(cands) > 1:
            mod = segs[-1]
            narrowed = [f for f in cands if f.src.rel.endswith(f"/{mod}.rs") or f.src.rel.endswith(f"/{mod}/mod.rs")]
            if narrowed:
                return narrowed
        return cands

    def reach(self, dirn: str, ix: str):
        """(fns, instructions) reachable from instruction `ix` of program `dirn` (CPI included)."""
        k = (dirn, ix)
        if k in self._reach:
            return self._reach[k]
        self._reach[k] = (set(), {k})
        fns, ixs = set(), {k}
        prog = self.by_dir[dirn]
        stack = [prog.instructions[ix][1]]
        while stack:
            f = stack.pop()
            if f.key in fns:
                continue
            fns.add(f.key)
            p = self.fn_program[f.key]
            for q, n, _ in calls_in(f.src.code[f.body[0]:f.body[1]]):
                for t in self.resolve_prog_call(p, q, n):
                    if isinstance(t, tuple):
                        f2, i2 = self.reach(t[1], t[2])
                        fns |= f2
                        ixs |= i2
                    else:
                        stack.append(t)
        self._reach[k] = (fns, ixs)
        return fns, ixs

    def _struct_instructions(self):
        """(program dir, struct) -> instructions using it (directly or nested)."""
        out = defaultdict(set)
        for p in self.programs:
            def walk(sname, ix, seen):
                if sname in seen or sname not in p.structs:
                    return
                seen.add(sname)
                out[(p.dir, sname)].add((p.dir, ix))
                for fname, ftype, _ in p.structs[sname][0]:
                    tm = re.match(r"(?:Box\s*<\s*)?(\w+)\s*<", ftype)
                    if tm and tm.group(1) in p.structs:
                        walk(tm.group(1), ix, seen)
            for ix, (ctx, _) in p.instructions.items():
                if ctx:
                    walk(ctx, ix, set())
        return out

    def account_names(self, dirn: str, ix: str) -> list[str]:
        """The instruction's accounts in order (nested `Accounts` structs flattened)."""
        p = self.by_dir[dirn]

        def flat(sname):
            out = []
            for fname, ftype, _ in p.structs.get(sname, ([], None))[0]:
                tm = re.match(r"(?:Box\s*<\s*)?(\w+)\s*<", ftype)
                if tm and tm.group(1) in p.structs:
                    out += flat(tm.group(1))
                else:
                    out.append(fname)
            return out

        ctx = p.instructions[ix][0]
        return flat(ctx) if ctx else []

    def site_instructions(self, s: Site) -> set:
        if s.struct:
            return self.struct_instr.get((s.program, s.struct), set())
        out = set()
        p = self.by_dir[s.program]
        for ix in p.instructions:
            fns, _ = self.reach(p.dir, ix)
            if s.fn and s.fn.key in fns:
                out.add((p.dir, ix))
        return out


# ---------------------------------------------------------------------------------------------
# Tests


def snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


class Library:
    """The SDK's instruction builders: fn name -> instructions built (directly, or through another
    builder of the SDK)."""

    DIRS = ["sdk/src"]

    def __init__(self, world: World):
        self.world = world
        self.fns = defaultdict(list)  # name -> [(module, Fn)]
        for d in self.DIRS:
            full = os.path.join(ROOT, d)
            if not os.path.isdir(full):
                continue
            for path in rust_files(full):
                src = Source(path)
                mod = os.path.splitext(os.path.basename(path))[0]
                for f in find_fns(src):
                    self.fns[f.name].append((mod, f))
        self._memo = {}

    def direct(self, code: str, default_prog: str | None) -> set:
        """Instructions named in `code` by their data struct (`data::MintDc { .. }`,
        `lattice_dc::instruction::MintDc`)."""
        out = set()
        for m in re.finditer(r"\b(?:(\w+)::)?(?:instruction|data)::([A-Z]\w*)", code):
            ix = snake(m.group(2))
            progs = [p.dir for p in self.world.programs if ix in p.instructions]
            if m.group(1) in MODULE_PROGRAM:
                progs = [d for d in progs if d == MODULE_PROGRAM[m.group(1)]]
            if len(progs) > 1:
                pid = {MODULE_PROGRAM[x] for x in re.findall(r"\b(lattice_\w+)::ID\b", code)
                       if x in MODULE_PROGRAM}
                if default_prog:
                    pid.add(default_prog)
                progs = [d for d in progs if d in pid] or progs
            out |= {(d, ix) for d in progs}
        return out

    def resolve(self, qual: str, name: str, from_mod: str | None = None) -> set:
        segs = [s for s in qual.split("::") if s and s not in ("lattice_sdk", "crate", "super")]
        mod = segs[-1] if segs else from_mod
        key = (mod, name)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = set()
        cands = self.fns.get(name, [])
        if mod:
            # A qualified call (or an unqualified one inside the SDK): that module only.
            cands = [(m, f) for m, f in cands if m == mod]
        out = set()
        for m, f in cands:
            out |= self.direct(f.src.code[f.start:f.body[1]], SDK_MODULE_PROGRAM.get(m))
            for q, n, _ in calls_in(f.src.code[f.body[0]:f.body[1]]):
                if n != name:
                    out |= self.resolve(q, n, from_mod=m)
        self._memo[key] = out
        return out


class TestCrate:
    """One test target (a file under tests/) and its helper modules."""

    def __init__(self, path: str, helpers: list[Source], lib: Library, default_prog: str | None):
        self.src = Source(path)
        self.helpers = helpers
        self.lib = lib
        self.default_prog = default_prog
        self.fns = find_fns(self.src)
        self.helper_fns = defaultdict(list)
        for s in [self.src] + helpers:
            for f in (self.fns if s is self.src else find_fns(s)):
                self.helper_fns[f.name].append(f)
        self._memo = {}
        self.tests = [f for f in self.fns if is_test_fn(self.src, f)]
        # Helpers swapping an account by index: name -> position of the index parameter
        # (`fn swapped(h, good, index, key)` / `let with = |slot, key| { ..accounts[slot].. }`).
        self.swappers = {}
        for x in [self.src] + helpers:
            for f in find_fns(x):
                sig = x.code[f.start:f.body[0]]
                params = [pp.split(":")[0].strip() for _, pp in split_top(sig[sig.find("(") + 1:sig.rfind(")")])]
                for i, pname in enumerate(params):
                    if pname and re.search(r"accounts\[\s*" + re.escape(pname) + r"\s*\]", x.code[f.body[0]:f.body[1]]):
                        self.swappers[f.name] = i
            for cm in re.finditer(r"\blet\s+(\w+)\s*=\s*(?:move\s*)?\|([^|]*)\|", x.code):
                params = [pp.split(":")[0].strip() for _, pp in split_top(cm.group(2))]
                body = x.code[cm.end():cm.end() + 400]
                for i, pname in enumerate(params):
                    if pname and re.search(r"accounts\[\s*" + re.escape(pname) + r"\s*\]", body):
                        self.swappers[cm.group(1)] = i
        self.types = {m.group(1) for x in [self.src] + helpers
                      for m in re.finditer(r"\b(?:struct|enum|trait)\s+(\w+)", x.code)}
        # `use lattice_sdk::governance as gov;`
        self.aliases = {}
        for s in [self.src] + helpers:
            for um in re.finditer(r"\buse\s+lattice_sdk\b[^;]*;", s.code):
                for mod, al in re.findall(r"\b(\w+)\s+as\s+(\w+)", um.group(0)):
                    self.aliases[al] = mod

    def resolve(self, qual: str, name: str, depth: int = 0) -> set:
        k = (qual, name)
        if k in self._memo:
            return self._memo[k]
        self._memo[k] = set()
        method = qual == "."
        segs = [] if method else [self.aliases.get(s, s) for s in qual.split("::") if s]
        qual = "::".join(segs) + ("::" if segs else "")
        out = set()
        local = None
        if method or not segs or segs[0] in ("common", "self", "super", "Self") or segs[0] in self.types:
            # `h.issue(..)` is a helper method, `Harness::new(..)` an associated fn, `with(..)` a
            # free fn of the test crate; else the SDK's.
            def kind_ok(f):
                if method:
                    return bool(re.search(r"\(\s*&?\s*(mut\s+)?self\b", f.src.code[f.start:f.body[0]]))
                assoc = in_impl(f)
                return assoc if segs and segs[0] not in ("common", "super") else not assoc
            local = [f for f in self.helper_fns.get(name, []) if kind_ok(f)]
        if local:
            for f in local:
                out |= self.code_instructions(f.src.code[f.start:f.body[1]])
        elif not method:
            out |= self.lib.resolve(qual, name)
        self._memo[k] = out
        return out

    def code_instructions(self, code: str) -> set:
        out = self.lib.direct(code, self.default_prog)
        for q, n, _ in calls_in(code):
            out |= self.resolve(q, n)
        return out


def in_impl(f: Fn) -> bool:
    """Whether `f` is defined in an `impl` block."""
    spans = getattr(f.src, "_impls", None)
    if spans is None:
        spans = []
        for m in re.finditer(r"\bimpl\b[^{;]*\{", f.src.code):
            spans.append((m.end() - 1, match_close(f.src.code, m.end() - 1)))
        f.src._impls = spans
    return any(a < f.start < b for a, b in spans)


def is_test_fn(src: Source, f: Fn) -> bool:
    if re.search(r"#\[(tokio::)?test\b|#\[test_case|#\[rstest", f.attrs):
        return True
    # Inside a proptest! block.
    for m in re.finditer(r"\bproptest!\s*\{", src.code):
        end = match_close(src.code, m.end() - 1)
        if m.end() < f.start < end:
            return True
    return False


def statement_around(code: str, off: int, lo: int, hi: int) -> tuple[int, int]:
    """The statement (between `;`/`{`/`}` at its own depth) holding offset `off` within
    [lo, hi]."""
    depth, a = 0, off
    while a > lo:
        c = code[a - 1]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c == "{":
                    break
            else:
                depth -= 1
        elif c == ";" and depth == 0:
            break
        a -= 1
    depth, b = 0, off
    while b < hi:
        c = code[b]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif c == ";" and depth == 0:
            break
        b += 1
    return a, b


def enclosing_group(code: str, off: int, lo: int) -> tuple[int, int]:
    """The innermost (...) holding `off` (a swapped-account tuple), else (off, off)."""
    depth, a = 0, off
    while a > lo:
        c = code[a - 1]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c == "(":
                    return a - 1, match_close(code, a - 1)
                return off, off
            depth -= 1
        a -= 1
    return off, off


@dataclass
class Assertion:
    test: tuple  # (test file rel, fn name)
    error: str
    enum: str  # program error enum, or "ErrorCode"
    instructions: set
    direct: set
    words: set
    line: int
    accounts: set  # accounts the test swaps (`ix.accounts[2]`, a case `(2, key, code)`)


def test_assertions(world: World, lib: Library):
    out = []
    groups = []
    for p in world.programs:
        tdir = os.path.join(ROOT, "programs", p.dir, "tests")
        if os.path.isdir(tdir):
            groups.append((tdir, p.dir))
    for d in ("tests/tests", "workers/tests"):
        if os.path.isdir(os.path.join(ROOT, d)):
            groups.append((os.path.join(ROOT, d), None))
    enums = "|".join([e for _, _, e in PROGRAMS] + ["ErrorCode"])
    for tdir, prog in groups:
        helpers = []
        for sub in sorted(os.listdir(tdir)):
            full = os.path.join(tdir, sub)
            if os.path.isdir(full):
                helpers += [Source(x) for x in rust_files(full)]
        for name in sorted(os.listdir(tdir)):
            if not name.endswith(".rs"):
                continue
            crate = TestCrate(os.path.join(tdir, name), helpers, lib, prog)
            code = crate.src.code
            # `use lattice_governance::GovernanceError as E;`
            aliases = dict((al, en) for en, al in re.findall(r"\b(" + enums + r")\s+as\s+(\w+)", code))
            pat = re.compile(r"\b(" + "|".join([enums] + list(aliases)) + r")::([A-Z]\w*)")
            # Helpers asserting an error themselves: attribute to the tests calling them.
            helper_refs = {}
            for f in crate.fns:
                if f in crate.tests:
                    continue
                refs = list(pat.finditer(code, f.body[0], f.body[1]))
                if refs:
                    helper_refs[f.name] = (f, refs)
            for t in crate.tests:
                tcode = code[t.body[0]:t.body[1]]
                lo, hi = t.body[0] + 1, t.body[1]
                lets = {}
                for lm in re.finditer(r"\blet\s+(?:mut\s+)?\(?\s*([\w\s,]+?)\)?\s*(?::[^=;]+)?=", tcode):
                    a, b = statement_around(code, t.body[0] + lm.end(), lo, hi)
                    for v in re.split(r"[\s,]+", lm.group(1)):
                        if v and v != "mut":
                            lets.setdefault(v, []).append((a, b))

                # Variables whose methods are the crate's helpers: harness objects.
                harnesses = {v for v in lets if re.search(
                    r"\b" + v + r"\.(\w+)\(", tcode) and any(
                    n in crate.helper_fns for n in re.findall(r"\b" + v + r"\.(\w+)\(", tcode))}
                # ... and values of the crate's own types (`let s = Setup::new().await`).
                for v, spans in lets.items():
                    tm = re.match(r"\s*let\s+(?:mut\s+)?\w+\s*(?::[^=]+)?=\s*(\w+)::", code[spans[0][0]:spans[0][1]])
                    if tm and tm.group(1) in crate.types:
                        harnesses.add(v)

                def stmt_ixs(a, b, words=None):
                    """Instructions built in code[a:b] and in the (synchronous) `let`s of the
                    variables it uses."""
                    stmt = code[a:b]
                    ixs = crate.code_instructions(stmt)
                    ws = set(re.findall(r"[A-Za-z_]\w*", stmt))
                    seen = set()
                    for _ in range(3):
                        for v in list(ws):
                            if v in lets and v not in seen:
                                seen.add(v)
                                # The latest binding before the statement.
                                prior = [(la, lb) for la, lb in lets[v] if la < a]
                                if not prior:
                                    continue
                                la, lb = prior[-1]
                                if v in harnesses or re.search(r"\.await\s*(\.unwrap\(|\.expect\(|\?)", code[la:lb]):
                                    continue  # the harness, or setup that ran (and succeeded)
                                ixs |= crate.code_instructions(code[la:lb])
                                ws |= set(re.findall(r"[A-Za-z_]\w*", code[la:lb]))
                                # `ix.accounts[2].pubkey = ..;` between the let and here.
                                for am in re.finditer(r"\b" + v + r"\.accounts\[(\d+)\][^;]*;", code[lb:a]):
                                    ws |= set(re.findall(r"[A-Za-z_]\w*", am.group(0)))
                                    ws.add(f"#{am.group(1)}")
                    if words is not None:
                        words |= ws
                    return ixs

                def resolve_at(at, words):
                    a, b = statement_around(code, at, lo, hi)
                    ixs = stmt_ixs(a, b, words)
                    lm = re.match(r"\s*let\s+(?:mut\s+)?(\w+)", code[a:b])
                    if not ixs and lm:
                        # `let code = u32::from(E);` used by later statements.
                        var = lm.group(1)
                        for um in re.finditer(r"\b" + var + r"\b", code[b:hi]):
                            ua, ub = statement_around(code, b + um.start(), lo, hi)
                            ixs |= stmt_ixs(ua, ub, words)
                            if not ixs:
                                # Widen to the enclosing statement (a `for` over instructions).
                                ua2, ub2 = statement_around(code, max(lo, ua - 1), lo, hi)
                                ixs |= stmt_ixs(ua2, ub2, words)
                    while not ixs and a > lo:
                        # Widen to the statement of the enclosing block (`for`, `if`, closure).
                        k, depth = a - 1, 0
                        while k > lo:
                            c = code[k]
                            if c in ")]}":
                                depth += 1
                            elif c in "([{":
                                if depth == 0:
                                    break
                                depth -= 1
                            k -= 1
                        if k <= lo:
                            break
                        a, b = statement_around(code, k, lo, hi)
                        ixs = stmt_ixs(a, b, words)
                    return ixs

                refs = [(m, m.start()) for m in pat.finditer(code, t.body[0], t.body[1])]
                for q, n, off in calls_in(tcode):
                    if n in helper_refs and not q:
                        hf, hrefs = helper_refs[n]
                        refs += [(m, t.body[0] + off) for m in hrefs]
                for m, at in refs:
                    words = set()
                    ixs = resolve_at(at, words)
                    ga, gb = enclosing_group(code, m.start(), lo)
                    gwords = set(re.findall(r"[A-Za-z_]\w*", code[ga:gb])) if gb > ga else set()
                    # A swap case `(index, key, code)`.
                    im = re.match(r"\(\s*(\d+)\s*,", code[ga:gb]) if gb > ga else None
                    if im:
                        gwords.add(f"#{im.group(1)}")
                    # `with(4, key)`, `swapped(&h, &good, 3, key, ..)`: a swapped index.
                    for q, n, off in calls_in(code[a:b]):
                        if n in crate.swappers:
                            args = code[a + off:b]
                            args = args[args.find("(") + 1:match_close(args, args.find("("))]
                            pieces = split_top(args)
                            k = crate.swappers[n]
                            if k < len(pieces) and pieces[k][1].strip().isdigit():
                                words.add("#" + pieces[k][1].strip())
                    stmt_words = words | gwords
                    strong = set()
                    if len(ixs) == 1:
                        (d, ix), = ixs
                        names = world.account_names(d, ix)
                        idx = {w_ for w_ in (gwords if im else stmt_words) if w_.startswith("#")}
                        strong = {names[int(w_[1:])] for w_ in idx if int(w_[1:]) < len(names)}
                    out.append(Assertion((crate.src.rel, t.name), m.group(2),
                                         aliases.get(m.group(1), m.group(1)), ixs,
                                         set(ixs), gwords or words, crate.src.line(m.start()),
                                         strong))
    return out


# ---------------------------------------------------------------------------------------------
# Attribution


def attribute(world: World, assertions: list[Assertion]) -> None:
    sites_by_error = defaultdict(list)
    for p in world.programs:
        for s in p.sites:
            s.instrs = world.site_instructions(s)
            if s.custom:
                sites_by_error[(p.enum, s.error)].append(s)
            else:
                sites_by_error[("ErrorCode", s.error)].append(s)
    site_index = {(p.dir, s.file, s.key): s for p in world.programs for s in p.sites}
    for a in assertions:
        manual = MANUAL.get((a.test[0], a.test[1], a.error))
        if manual is not None:
            for k in manual:
                if k in site_index:
                    site_index[k].tests.add(a.test)
                    site_index[k].manual = True
                else:
                    print(f"warning: MANUAL site {k} not found", file=sys.stderr)
            continue
        cands = sites_by_error.get((a.enum, a.error), [])
        if not cands:
            continue
        reach_ix, direct_ix = set(), set(a.instructions)
        for d, ix in a.instructions:
            reach_ix |= world.reach(d, ix)[1]
        hit = [s for s in cands if s.instrs & reach_ix]
        if not a.instructions:
            # Built out of the test crate's reach (a CLI, a hand-made transaction): the error
            # name alone.
            hit = list(cands)
        narrowed = [s for s in hit if s.instrs & direct_ix]
        if narrowed:
            hit = narrowed
        if len(hit) > 1 and a.accounts:
            # The swapped account: the constrained one, or the one a `has_one` compares with.
            by_acct = [s for s in hit if s.target in a.accounts] or [
                s for s in hit if s.account in a.accounts]
            if by_acct:
                hit = by_acct
        if len(hit) > 1:
            by_acct = [s for s in hit if s.account and s.account in a.words]
            if by_acct:
                hit = by_acct
        if len(hit) > 1:
            by_fn = [s for s in hit if not s.struct and s.where in a.words]
            if by_fn:
                hit = by_fn
        if len(hit) == 1:
            hit[0].tests.add(a.test)
        else:
            for s in hit:
                s.maybe.add((a.test, len(hit)))


def justified(reason: str) -> bool:
    return reason.startswith(("defensive", "redundant", "unreachable"))


def gap_reason(p: Program, s: Site) -> str:
    for k in ((p.dir, s.file, s.key), (p.dir, s.file, f"{s.where}:{s.error}"),
              (p.dir, s.file, f"*:{s.error}")):
        if k in GAP_REASONS:
            return GAP_REASONS[k]
    if s.error in GAP_REASONS_BY_ERROR:
        return GAP_REASONS_BY_ERROR[s.error]
    if s.note == "self-seeded":
        return ("defensive: seeds derived from the account's own fields (and its stored bump); the "
                "program creates these accounts only at that PDA, so a genuine account always "
                "passes - failing it needs a forged program-owned account at another address")
    if s.note == "implied-by-seeds":
        return ("redundant: the account's seeds contain the compared key and Anchor checks seeds "
                "first, so a wrong account fails `ConstraintSeeds` before this `has_one` can")
    if s.note == "pinned-by-seeds":
        return ("redundant: the account's address is pinned by its seeds (checked first), and "
                "only the program can create a token account at its own PDA - with this mint and "
                "authority")
    if s.note == "token-program":
        return ("unreachable: the mint is a Token-2022 mint, and a token account of it can only be "
                "owned by the Token-2022 program the instruction already pins")
    if s.maybe:
        return ("asserted only by tests that reach several sites of this code; the program logs "
                "do not show that this one was hit")
    if s.instrs and s.instrs <= IN_FLUX:
        return "no test; the instruction is under concurrent change (left for after it lands)"
    if p.dir == "lattice-governance" and (s.target == "governance" or (
            s.kind == "seeds" and not s.init and re.search(r"\bAccount\s*<", s.ftype)
            and re.search(r"\bgovernance\.key\(\)", s.expr))):
        return ("no test; needs an account of a second governance instance (another DAO) in one "
                "bank, which the governance harness does not build")
    if s.struct and s.target in ("dao", "data_credits", "config") and p.dir != "lattice-dao":
        return ("no test; needs an account of a second DAO (or its configuration) in one bank, "
                "which this program's harness does not build")
    if s.kind in ("token::mint",):
        return ("no test; needs a token account of another mint held by the signer (the harnesses "
                "fund the main token and DC only)")
    if s.kind == "seeds" and s.struct:
        keys = set(re.findall(r"(?<![.\w])(\w+)\.key\(\)", s.expr))
        typed = re.search(r"\b(Interface)?Account\s*<", s.ftype) is not None
        if keys and keys <= PER_DAO and not s.init and typed:
            return ("no test; its seeds name a per-DAO account (" + ", ".join(sorted(keys)) +
                    "), so failing it needs that account's twin of a second DAO in one bank")
        if s.init:
            return "no test; reachable by passing another address for the account being created"
        return "no test; reachable by passing another address for this account"
    return "no test yet (reachable; a negative test would close it)"


# ---------------------------------------------------------------------------------------------
# Report


def fmt_tests(tests) -> str:
    items = sorted(tests)
    return "<br>".join(f"`{os.path.basename(f)}::{n}`" for f, n in items)


def report(world: World, assertions: list[Assertion]) -> str:
    out = []
    w = out.append
    w("# Constraint coverage\n")
    w("Every account constraint and every explicit error of the six on-chain programs, where it "
      "is raised, and the tests that trigger it and assert its exact error code (issue 8). "
      "Generated - do not edit by hand:\n")
    w("```sh\npython3 tools/constraint-coverage.py > docs/CONSTRAINT-COVERAGE.md\n```\n")
    w("The script reads sources only (no build, no test run). **Sites**: the failing checks "
      "of `#[account(..)]` constraints (`has_one`, `seeds`, `constraint`, `address`, `owner`, "
      "`signer`, `token::*`/`mint::*` on accounts the instruction does not create) and every "
      "reference to a program error variant (`require!` and friends, `err!`, `error!`, "
      "`ok_or`, `map_err`, `return Err`, match arms) or to an Anchor `ErrorCode` a handler "
      "raises. **Covered**: a test in `programs/*/tests`, `tests/tests` or `workers/tests` "
      "names the exact error in an assertion, and the instruction it builds reaches the site "
      "(through the test's helpers, the SDK's builders and CPI), narrowed by the account it "
      "swaps. Where that static reading is ambiguous or wrong, the script's `MANUAL` table "
      "settles it from the program logs of a test run (Anchor logs the file and line of a "
      "`require!`/`err!`, the account of a failed constraint); the run's evidence is in the "
      "script's header.\n")
    w("Lines are 1-based, files relative to the program's `src/`. **kind** is the constraint "
      "(`has_one = x`, `seeds`, ...) or the construct raising the error. A test in *italics* "
      "asserts the code in an instruction reaching several sites of it, none pinned down (\"one "
      "of N\"). Sites sharing a function and error are numbered `#1`, `#2`, ... in source order "
      "in the `MANUAL` keys.\n")
    summary = []
    gaps = []
    for p in world.programs:
        sites = sorted(p.sites, key=lambda s: (not s.custom, p.variants.index(s.error) if s.custom else 0, s.error, s.file, s.line))
        cov = sum(1 for s in sites if s.covered)
        summary.append((p, len(sites), cov))
        w(f"\n## {p.dir} (`{p.enum}`)\n")
        w("| error (code) | where raised | kind | test(s) that assert it |")
        w("|---|---|---|---|")
        for s in sites:
            code = f"{6000 + p.variants.index(s.error)}" if s.custom else "Anchor"
            tests = fmt_tests(s.tests)
            if not s.tests and s.maybe:
                tests = "<br>".join(f"*`{os.path.basename(f)}::{n}`* (one of {k})" for (f, n), k in sorted(s.maybe))
            mark = "" if s.covered else " **GAP**"
            where = f"`{s.file}:{s.line}` {s.where}"
            w(f"| `{s.error}` ({code}) | {where} | `{s.kind}` | {tests or '-'}{mark} |")
            if not s.covered:
                gaps.append((p, s))
        unused = [v for v in p.variants if not any(s.custom and s.error == v for s in p.sites)]
        if unused:
            w(f"\nVariants never raised (no site): {', '.join('`' + v + '`' for v in unused)}.\n")
        implicit = defaultdict(set)
        all_site_errors = {x.error for q in world.programs for x in q.sites if not x.custom}
        for a in assertions:
            if a.enum != "ErrorCode" or a.error in all_site_errors:
                continue
            traced = IMPLICIT.get((a.test[0], a.test[1], a.error))
            if traced is not None:
                for d, acct in traced:
                    if d == p.dir:
                        implicit[(f"account `{acct}`", a.error)].add(a.test)
            else:
                for d, ix in sorted(a.instructions):
                    if d == p.dir:
                        implicit[(f"instruction `{ix}` (account not resolved)", a.error)].add(a.test)
        if implicit:
            w("\nImplicit account checks (the account's type: `Signer`, `Account<T>`, "
              "`Program<T>`) asserted by tests - not sites, not counted in the totals:\n")
            w("| account | error | test(s) |")
            w("|---|---|---|")
            for (what, err), tests in sorted(implicit.items()):
                w(f"| {what} | `{err}` | {fmt_tests(tests)} |")
        w(f"\nStructural account attributes not counted (`mut`, `init`, `payer`, `space`, "
          f"`bump`, `close`, creation parameters of `init` accounts): {p.structural}.\n")
    w("\n## Summary\n")
    w("Sites are account constraints plus explicit errors (see the top). *Justified* gaps are "
      "the defensive, redundant and unreachable checks listed under Gaps; *open* gaps are "
      "reachable checks no test triggers yet.\n")
    w("| program | sites | covered | % | account constraints (covered) | explicit errors "
      "(covered) | justified gaps | open gaps | covered + justified |")
    w("|---|---:|---:|---:|---|---|---:|---:|---:|")
    tot = cov_t = just_t = 0
    for p, n, c in summary:
        cs = [s for s in p.sites if s.struct]
        es = [s for s in p.sites if not s.struct]
        just = sum(1 for s in p.sites if not s.covered and justified(gap_reason(p, s)))
        w(f"| {p.dir} | {n} | {c} | {100.0 * c / n:.1f}% | {len(cs)} ({sum(s.covered for s in cs)}) "
          f"| {len(es)} ({sum(s.covered for s in es)}) | {just} | {n - c - just} "
          f"| {100.0 * (c + just) / n:.1f}% |")
        tot, cov_t, just_t = tot + n, cov_t + c, just_t + just
    w(f"| **all** | {tot} | {cov_t} | {100.0 * cov_t / tot:.1f}% | | | {just_t} "
      f"| {tot - cov_t - just_t} | {100.0 * (cov_t + just_t) / tot:.1f}% |")
    w("\n## Gaps\n")
    by_reason = defaultdict(list)
    for p, s in gaps:
        by_reason[gap_reason(p, s)].append((p, s))
    for reason, items in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        w(f"- **{reason}** ({len(items)}):")
        for p, s in items:
            w(f"  - {p.dir} `{s.file}:{s.line}` {s.where} `{s.kind}` -> `{s.error}`")
    return "\n".join(out) + "\n"


def main(argv):
    world = World()
    lib = Library(world)
    assertions = test_assertions(world, lib)
    attribute(world, assertions)
    if "--debug" in argv:
        for a in assertions:
            print(a.test, a.enum, a.error, sorted(a.instructions), sorted(a.direct), file=sys.stderr)
    sys.stdout.write(report(world, assertions))


if __name__ == "__main__":
    main(sys.argv[1:])
