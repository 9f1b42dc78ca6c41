//! Decoding of the programs' events (the compute program's: [`crate::compute::events`]) from transaction logs (`Program data: <base64>` lines, as
//! RPC nodes return them for `emit!`).
//!
//! Natively (the embedded bank) Anchor 1.2 compiles `sol_log_data` to a no-op, so events are
//! only visible on SBF clusters; the issued-hour record (`DaoEpoch`) carries the same data on
//! chain for every transport.

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine as _;
use lattice_dao::events::{HourIssued, SubDaoHourIssued};

/// An event of the DAO program.
#[derive(Debug, Clone)]
pub enum DaoEvent {
    /// An hour was issued.
    HourIssued(HourIssued),
    /// A sub-DAO's part of an issued hour.
    SubDaoHourIssued(SubDaoHourIssued),
}

/// Decode one event of type `T` (its discriminator, then borsh); `None` for another payload.
pub fn decode_body<T: Discriminator + AnchorDeserialize>(data: &[u8]) -> Option<T> {
    let rest = data.strip_prefix(T::DISCRIMINATOR)?;
    T::try_from_slice(rest).ok()
}

/// The decoded payloads of a transaction's `Program data: <base64>` log lines, in order.
pub fn program_data<S: AsRef<str>>(logs: &[S]) -> impl Iterator<Item = Vec<u8>> + '_ {
    logs.iter()
        .filter_map(|l| l.as_ref().strip_prefix("Program data: "))
        .filter_map(|b64| {
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
        })
}

/// Decode one event payload (discriminator + borsh); `None` for unknown payloads.
pub fn decode_event(data: &[u8]) -> Option<DaoEvent> {
    decode_body::<HourIssued>(data)
        .map(DaoEvent::HourIssued)
        .or_else(|| decode_body::<SubDaoHourIssued>(data).map(DaoEvent::SubDaoHourIssued))
}

/// Every DAO event in a transaction's log messages, in order.
pub fn events_from_logs<S: AsRef<str>>(logs: &[S]) -> Vec<DaoEvent> {
    program_data(logs)
        .filter_map(|bytes| decode_event(&bytes))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::{prelude::Pubkey, Event};

    #[test]
    fn decodes_program_data_lines() {
        let hour = HourIssued {
            dao: Pubkey::new_unique(),
            hour: 493_000,
            main_emitted: 5_344_121_962,
            cumulative_emitted: 5_344_121_962,
            cranker: Pubkey::new_unique(),
        };
        let sub = SubDaoHourIssued {
            dao: hour.dao,
            sub_dao: Pubkey::new_unique(),
            hour: 493_000,
            utility_score: 500_000_000_000,
            main_to_treasury: 2_137_648_785,
            main_to_delegators: 534_412_196,
            tokens_emitted: 89_068_699_377,
        };
        let enc = |d: Vec<u8>| {
            format!(
                "Program data: {}",
                base64::engine::general_purpose::STANDARD.encode(d)
            )
        };
        let logs = vec![
            "Program CNtw62sg4qyjvvd82o4nMi9AnEJt5RaH9LrgRBxb3hhB invoke [1]".to_string(),
            enc(sub.data()),
            enc(hour.data()),
            "Program data: not-base64".to_string(),
            enc(vec![1, 2, 3]),
        ];
        let events = events_from_logs(&logs);
        assert_eq!(events.len(), 2);
        match &events[0] {
            DaoEvent::SubDaoHourIssued(e) => {
                assert_eq!(e.sub_dao, sub.sub_dao);
                assert_eq!(e.tokens_emitted, sub.tokens_emitted);
            }
            other => panic!("{other:?}"),
        }
        match &events[1] {
            DaoEvent::HourIssued(e) => assert_eq!(e.main_emitted, hour.main_emitted),
            other => panic!("{other:?}"),
        }
    }
}
