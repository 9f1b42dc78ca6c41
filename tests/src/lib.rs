//! Cross-program scenarios for Lattice live in `tests/`; this crate has no library code besides
//! the shared fixtures below.

use lattice_migrations::LatticeConfig;
use std::path::PathBuf;

/// The repository's `app-config/localnet.toml`, parsed without environment overrides.
pub fn localnet_config() -> LatticeConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("app-config")
        .join("localnet.toml");
    LatticeConfig::load_with_env(&path, Some(Default::default())).expect("localnet.toml parses")
}
