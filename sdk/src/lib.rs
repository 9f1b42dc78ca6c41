//! Lattice Rust SDK.
//!
//! - [`pda`]: program-derived addresses, built from the programs' own seed constants.
//! - [`registry`]: device-registry PDAs and builders.
//! - [`ix`]: typed instruction builders.
//! - [`accounts`]: typed account decoders and fetchers.
//! - [`dc`]: data-credit PDAs, builders and Pyth price accounts.
//! - [`rewards`]: rewards PDAs and builders, claim records, packing of bulk claims.
//! - [`conversion`]: treasury conversion PDAs, builders and quotes.
//! - [`compute`]: the GPU job market: PDAs, builders, account reads, errors and events.
//! - [`governance`]: positions, delegation, checkpoints, staker claims, proposals and their
//!   execution: PDAs, builders, account reads, errors.
//! - [`chain`]: the chain-access abstraction workers are written against, with two transports:
//!   [`rpc::RpcChain`] (Solana JSON-RPC) and [`embedded::EmbeddedChain`] (an in-process bank
//!   running the real programs natively).
//! - [`token`]: SPL Token helpers (associated accounts, transfers).
//! - [`send`]: transaction sending with compute budget, priority fee, capped retry backoff.
//! - [`events`]: decoding of program events from transaction logs.
//! - [`error`]: transport and program errors, mapped to each program's error enum.

pub mod accounts;
pub mod chain;
pub mod compute;
pub mod conversion;
pub mod dc;
pub mod embedded;
pub mod error;
pub mod events;
pub mod governance;
pub mod ix;
pub mod pda;
pub mod registry;
pub mod rewards;
pub mod rpc;
pub mod send;
pub mod token;

pub use chain::Chain;
pub use error::ChainError;
pub use lattice_compute;
pub use lattice_dao;
pub use lattice_governance;
pub use lattice_math;
pub use lattice_rewards;

/// Re-exports of the Solana types that appear in the SDK's signatures.
pub mod solana {
    pub use solana_sdk::{
        account::Account,
        hash::Hash,
        instruction::Instruction,
        pubkey::Pubkey,
        signature::{Keypair, Signature, Signer},
        transaction::Transaction,
    };
}
