//! Lattice workers and the `lattice` CLI's building blocks.
//!
//! - [`cranker`]: issues every finished, un-issued hour; idempotent under competition.
//! - [`task`]: managed tasks with ordered shutdown.
//! - [`telemetry`]: tracing and the Prometheus exporter.
//! - [`ops`]: the operator and dApp commands (`lattice dc`, `lattice device`).
//! - [`oracle`]: the proof-of-coverage oracle (ingest, verification, hourly shares, API).
//! - [`node`]: the node worker (hotspot mode: Semtech UDP gateway, beacons, durable outbox).
//! - [`localnet`]: the embedded-chain simulation behind `lattice localnet`.

pub mod compute;
pub mod cranker;
pub mod localnet;
pub mod node;
pub mod ops;
pub mod oracle;
pub mod rewards;
pub mod stats;
pub mod task;
pub mod telemetry;
