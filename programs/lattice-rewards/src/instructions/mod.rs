//! Instruction handlers, one file each.

pub mod claim;
pub mod close_epoch_root;
pub mod initialize_rewards;
pub mod post_root;
pub mod set_claim_breaker;
pub mod set_oracles;

// Each module has a `handler`; the globs exist for Anchor's generated client modules.
#[allow(ambiguous_glob_reexports)]
pub use claim::*;
#[allow(ambiguous_glob_reexports)]
pub use close_epoch_root::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize_rewards::*;
#[allow(ambiguous_glob_reexports)]
pub use post_root::*;
#[allow(ambiguous_glob_reexports)]
pub use set_claim_breaker::*;
#[allow(ambiguous_glob_reexports)]
pub use set_oracles::*;
