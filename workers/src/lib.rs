//! Lattice workers and the `lattice` CLI's building blocks.
//!
//! - [`cranker`]: issues every finished, un-issued hour; idempotent under competition.
//! - [`task`]: managed tasks with ordered shutdown.
//! - [`telemetry`]: tracing and the Prometheus exporter.
//! - [`ops`]: the operator and dApp commands (`lattice dc`, `lattice device`).
//! - [`localnet`]: the embedded-chain simulation behind `lattice localnet`.

pub mod cranker;
pub mod localnet;
pub mod ops;
pub mod task;
pub mod telemetry;
