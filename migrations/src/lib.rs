//! Deployment and bootstrap of the Lattice protocol.
//!
//! - [`config`]: the protocol parameters of `app-config/*.toml`, with `LATTICE__SECTION__KEY`
//!   environment overrides, converted to the programs' instruction arguments.
//! - [`bootstrap`]: creates the DAO and its sub-DAOs on any [`lattice_sdk::Chain`]; idempotent.

pub mod bootstrap;
pub mod config;

pub use bootstrap::{bootstrap, hand_over_to_governance, Deployment};
pub use config::LatticeConfig;
