//! The GPU capacity-challenge messages the compute oracle receives
//! (`lattice_workers::compute::capacity`, opened by `Oracle::open` in
//! `workers/src/oracle/compute.rs` for every `POST /v1/compute/{op}`).
//!
//! Invariants:
//! * raw bytes: a body that decodes as a `CapacityMsg` re-encodes to exactly those bytes; a message
//!   `open` accepts re-encodes to the signed body; `verify_respond` of any decoded response with a
//!   small matrix returns (no panic);
//! * signed: a message signed by its node key opens to the same message; with any one bit flipped
//!   it never opens;
//! * honest proofs: for a small challenge, the response built by `lattice_compute_core` (commit,
//!   derive the query, respond) passes `verify_respond`, and changing any one product, any opened
//!   row entry, any Merkle sibling, the root or the row index makes it fail.
//!
//! Needs `--features workers` (it builds the whole workers crate).
#![no_main]

use borsh::BorshDeserialize;
use ed25519_dalek::SigningKey;
use lattice_compute_core::{params::Query, prove::commit, Challenge, VerifyParams};
use lattice_workers::compute::capacity::{verify_respond, CapacityMsg, ChallengeContext, OpenedRow};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Msg {
    Start { hour: u64 },
    Commit { hour: u64, root: [u8; 32] },
    Respond { hour: u64, entropy: [u8; 32], n: u8, chain: u8, root: [u8; 32], seed: [u8; 32], rounds: u8, r_bits: u8, opened_rows: u8, c_times_r: Vec<i128>, rows: Vec<(u32, Vec<i32>, Vec<[u8; 32]>)> },
    Heartbeat { unix_secs: i64 },
}

#[derive(Debug, Arbitrary)]
enum Input {
    Raw(Vec<u8>),
    Signed { secret: [u8; 32], msg: Msg, flip: u32 },
    Honest { secret: [u8; 32], entropy: [u8; 32], seed: [u8; 32], hour: u64, n: u8, chain: u8, rounds: u8, r_bits: u8, opened_rows: u8, tamper: u8, at: u16 },
}

fn build(msg: &Msg, node: [u8; 32]) -> CapacityMsg {
    match msg {
        Msg::Start { hour } => CapacityMsg::Start { node, hour: *hour },
        Msg::Commit { hour, root } => CapacityMsg::Commit { node, hour: *hour, root: *root },
        Msg::Heartbeat { unix_secs } => CapacityMsg::Heartbeat { node, unix_secs: *unix_secs },
        Msg::Respond { hour, entropy, n, chain, root, seed, rounds, r_bits, opened_rows, c_times_r, rows } => CapacityMsg::Respond {
            node,
            hour: *hour,
            context: ChallengeContext {
                entropy: *entropy, n: u64::from(*n), chain: u32::from(*chain), root: *root, seed: *seed,
                rounds: u32::from(*rounds), r_bits: u32::from(*r_bits), opened_rows: u32::from(*opened_rows),
            },
            c_times_r: c_times_r.clone(),
            rows: rows.iter().map(|(index, row, siblings)| OpenedRow { index: *index, row: row.clone(), siblings: siblings.clone() }).collect(),
        },
    }
}

fn small_response(msg: &CapacityMsg) -> bool {
    matches!(msg, CapacityMsg::Respond { context, .. } if context.n <= 64 && context.chain <= 4)
}

fuzz_target!(|inp: Input| match inp {
    Input::Raw(bytes) => {
        if let Ok(msg) = CapacityMsg::try_from_slice(&bytes) {
            assert_eq!(borsh::to_vec(&msg).unwrap(), bytes, "non-canonical capacity message");
            if small_response(&msg) {
                let _ = verify_respond(&msg);
            }
        }
        if let Ok(msg) = CapacityMsg::open(&bytes) {
            assert_eq!(borsh::to_vec(&msg).unwrap().as_slice(), &bytes[..bytes.len() - 64]);
        }
    }
    Input::Signed { secret, msg, flip } => {
        let key = SigningKey::from_bytes(&secret);
        let msg = build(&msg, key.verifying_key().to_bytes());
        let wire = msg.sign(&key);
        assert_eq!(CapacityMsg::open(&wire).expect("a signed message opens"), msg);
        let mut bad = wire.clone();
        let bit = flip as usize % (bad.len() * 8);
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(CapacityMsg::open(&bad).is_err(), "opened with bit {bit} flipped");
        if small_response(&msg) {
            let _ = verify_respond(&msg);
        }
    }
    Input::Honest { secret, entropy, seed, hour, n, chain, rounds, r_bits, opened_rows, tamper, at } => {
        let node = SigningKey::from_bytes(&secret).verifying_key().to_bytes();
        let n = 1 + usize::from(n % 16);
        let chain = 1 + u32::from(chain % 3);
        let params = VerifyParams {
            rounds: 1 + u32::from(rounds % 4),
            r_bits: 1 + u32::from(r_bits % 64),
            opened_rows: 1 + u32::from(opened_rows) % (n as u32 + 2),
        };
        let challenge = Challenge::new(node, entropy, n, chain).expect("a small challenge");
        let commitment = commit(&challenge);
        let query = Query::derive(seed, n, &params).expect("valid params");
        let r = commitment.respond(&query).expect("a response");
        let mut msg = CapacityMsg::Respond {
            node,
            hour,
            context: ChallengeContext {
                entropy, n: n as u64, chain, root: commitment.root(), seed,
                rounds: params.rounds, r_bits: params.r_bits, opened_rows: params.opened_rows,
            },
            c_times_r: r.c_times_r,
            rows: r.opened_rows.into_iter().map(|(index, row, proof)| OpenedRow { index, row, siblings: proof.siblings }).collect(),
        };
        if let Err(e) = verify_respond(&msg) {
            panic!("an honest response failed: {e:#}");
        }
        let CapacityMsg::Respond { context, c_times_r, rows, .. } = &mut msg else { unreachable!() };
        let at = usize::from(at);
        let changed = match tamper % 5 {
            0 => { let i = at % c_times_r.len(); c_times_r[i] = c_times_r[i].wrapping_add(1); true }
            1 => { let r = &mut rows[at % rows.len()]; let j = (at / 7) % r.row.len(); r.row[j] = r.row[j].wrapping_add(1); true }
            2 => {
                let r = &mut rows[at % rows.len()];
                if r.siblings.is_empty() { false } else { let j = (at / 7) % r.siblings.len(); r.siblings[j][at % 32] ^= 1; true }
            }
            3 => { context.root[at % 32] ^= 1; true }
            _ => { let r = &mut rows[at % rows.len()]; r.index = r.index.wrapping_add(1 + (at as u32 % 3)); true }
        };
        if changed {
            assert!(verify_respond(&msg).is_err(), "a tampered response (kind {}) passed", tamper % 5);
        }
    }
});
