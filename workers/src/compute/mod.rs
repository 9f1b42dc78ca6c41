//! The GPU side of `lattice node run --gpu`: int8 GEMM backends (CPU, CUDA behind the `cuda`
//! feature), job runners, and the capacity-challenge prover.

pub mod backend;
pub mod capacity;
#[cfg(feature = "cuda")]
pub mod cuda;
pub mod runner;
pub mod spec;
pub mod worker;

pub use backend::{compute_c, verify_backend, Backend, CpuBackend};

/// 32 bytes from 64 hex characters.
pub fn hex32(s: &str) -> Option<[u8; 32]> {
    hex::decode(s).ok()?.try_into().ok()
}
