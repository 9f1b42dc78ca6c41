//! Instruction-data decoding of every Lattice program.
//!
//! For each program the target does what Anchor's generated dispatcher does: find the
//! instruction whose `DISCRIMINATOR` prefixes the data, then borsh-decode the
//! `<program>::instruction::<Ix>` struct from the rest (trailing bytes allowed, as the dispatcher
//! allows them). Invariants:
//! * within a program no discriminator prefixes another (at most one instruction matches);
//! * a decoded instruction re-encodes (`InstructionData::data`) to exactly the bytes it was
//!   decoded from: the encoding is canonical, so a signed or logged instruction has one meaning;
//! * the program's real entrypoint (`<program>::entry`, called with no accounts) agrees with this
//!   emulation: data that matches no instruction is `InstructionFallbackNotFound`, data that does
//!   not decode is `InstructionDidNotDeserialize`, and data that decodes gets past decoding (it
//!   then fails for want of accounts). No input succeeds without accounts.
//!
//! Input: `[mode, pick, rest..]`. An even `mode` feeds `rest` to every program as is; an odd one
//! prefixes `rest` with the discriminator of instruction `pick` (over all programs), so every
//! decoder is reached without the fuzzer having to guess an 8-byte hash.
#![no_main]

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::program_error::ProgramError;
use anchor_lang::{AnchorDeserialize, Discriminator, InstructionData};
use libfuzzer_sys::fuzz_target;

type Entry = for<'info> fn(&'info Pubkey, &'info [AccountInfo<'info>], &'info [u8]) -> ProgramResult;

struct Ix {
    name: &'static str,
    disc: &'static [u8],
    /// Decode like the dispatcher; on success the bytes consumed and the re-encoding.
    decode: fn(&[u8]) -> Option<(usize, Vec<u8>)>,
}

struct Program {
    name: &'static str,
    id: Pubkey,
    entry: Entry,
    ixs: &'static [Ix],
}

fn decode<T: AnchorDeserialize + InstructionData>(data: &[u8]) -> Option<(usize, Vec<u8>)> {
    let mut rest = data;
    let ix = T::deserialize(&mut rest).ok()?;
    Some((data.len() - rest.len(), ix.data()))
}

macro_rules! program {
    ($krate:ident: $($ix:ident),* $(,)?) => {
        Program {
            name: stringify!($krate),
            id: $krate::ID,
            entry: $krate::entry,
            ixs: &[$(Ix {
                name: stringify!($ix),
                disc: <$krate::instruction::$ix as Discriminator>::DISCRIMINATOR,
                decode: decode::<$krate::instruction::$ix>,
            }),*],
        }
    };
}

fn programs() -> &'static [Program] {
    static PROGRAMS: std::sync::OnceLock<Vec<Program>> = std::sync::OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let ps = vec![
        program!(lattice_dao: AddSubDao, ApproveRewardsDelegate, ConvertToMain, ConvertToSub, EnableVe, InitConversion, InitializeDao, IssueHour, RecordVe, SetAuthority, SetConversionParams, SetDaoParams, SetSubDaoParams, TrackDcBurn, UpdateActiveDevices),
        program!(lattice_data_credits: AddSubDaoDc, BurnDcFee, BurnDelegatedDc, DelegateDc, InitializeDataCredits, MintDc, RefundDelegatedDc, SetAuthority, SetBurnAuthority, SetDcParams),
        program!(lattice_registry: AssertLocation, CloseGpuNode, CloseHotspot, HoldJob, InitializeRegistry, RegisterGpuNode, RegisterHotspot, ReleaseJob, RequestUnstake, SetAuthority, SetRegistryParams, SlashStake, TransferDevice),
        program!(lattice_rewards: Claim, CloseEpochRoot, InitializeRewards, PostRoot, SetClaimBreaker, SetOracles),
        program!(lattice_compute: AttestFault, CancelJob, ClaimJob, CloseJob, CloseNodeEpoch, CreateMarket, FinalizeJob, InitializeCompute, PostJob, SetComputeParams, SetMarketParams, SetOracles, SubmitResult, TimeoutJob),
        program!(lattice_governance: CancelProposal, CheckpointVe, ClaimRewards, Delegate, ExecuteChange, FinalizeProposal, InitSubDaoVe, InitializeGovernance, Lock, Propose, Relock, StartVoting, Undelegate, Vote, Withdraw),
        ];
        for p in &ps {
            for a in p.ixs {
                for b in p.ixs {
                    assert!(
                        a.name == b.name || !a.disc.starts_with(b.disc),
                        "{}: discriminator of {} is prefixed by that of {}",
                        p.name, a.name, b.name
                    );
                }
            }
        }
        ps
    })
}

fn anchor(code: ErrorCode) -> ProgramError {
    anchor_lang::error::Error::from(code).into()
}

fn check(p: &Program, data: &[u8]) {
    let matched: Vec<&Ix> = p.ixs.iter().filter(|ix| data.starts_with(ix.disc)).collect();
    assert!(matched.len() <= 1, "{}: several instructions match", p.name);
    let decoded = matched.first().map(|ix| {
        let body = &data[ix.disc.len()..];
        let out = (ix.decode)(body);
        if let Some((used, ref encoded)) = out {
            assert_eq!(
                encoded.as_slice(),
                &data[..ix.disc.len() + used],
                "{}::{} does not re-encode to the bytes it was decoded from",
                p.name, ix.name
            );
        }
        (ix, out.is_some())
    });

    // The real dispatcher, with no accounts.
    let id = p.id;
    let accounts: [AccountInfo; 0] = [];
    let result = (p.entry)(&id, &accounts, data);
    let err = result.expect_err("an instruction succeeded without any accounts");
    match decoded {
        None => {
            let stub = anchor(ErrorCode::EventInstructionStub);
            assert!(
                err == anchor(ErrorCode::InstructionFallbackNotFound) || err == stub,
                "{}: no instruction matched but the entrypoint said {err:?}",
                p.name
            );
        }
        Some((ix, false)) => assert_eq!(
            err,
            anchor(ErrorCode::InstructionDidNotDeserialize),
            "{}::{}: did not decode here but the entrypoint said {err:?}",
            p.name, ix.name
        ),
        Some((ix, true)) => {
            assert_ne!(err, anchor(ErrorCode::InstructionDidNotDeserialize), "{}::{}", p.name, ix.name);
            assert_ne!(err, anchor(ErrorCode::InstructionFallbackNotFound), "{}::{}", p.name, ix.name);
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let ps = programs();
    let [mode, pick, rest @ ..] = input else { return };
    if mode & 1 == 0 {
        for p in ps {
            check(p, rest);
        }
    } else {
        let all: Vec<(&Program, &Ix)> = ps.iter().flat_map(|p| p.ixs.iter().map(move |ix| (p, ix))).collect();
        let (p, ix) = all[usize::from(*pick) % all.len()];
        let mut data = ix.disc.to_vec();
        data.extend_from_slice(rest);
        check(p, &data);
    }
});
