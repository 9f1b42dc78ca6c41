//! `lattice-idl [--check]`: builds the Anchor IDL of every program (the `idl-build` test that
//! `anchor idl build` runs) and writes `sdk/idl/<program>.json`, or with `--check` fails when a
//! committed IDL differs from the code.
//!
//! Run the built binary from the repository root, never through `cargo run` and never with
//! `RUSTUP_TOOLCHAIN` set: the IDL builder then tries to install a toolchain (see
//! `../shared/brief/TOOLCHAIN.md`). It builds into its own target directory (`target/idl`, or
//! `LATTICE_IDL_TARGET_DIR`), since it compiles with different `RUSTFLAGS`.

use anchor_lang_idl::build::IdlBuilder;
use anyhow::{bail, Context as _, Result};
use std::path::{Path, PathBuf};

/// The programs, by crate directory and IDL name.
const PROGRAMS: [(&str, &str); 6] = [
    ("programs/lattice-dao", "lattice_dao"),
    ("programs/lattice-data-credits", "lattice_data_credits"),
    ("programs/lattice-registry", "lattice_registry"),
    ("programs/lattice-rewards", "lattice_rewards"),
    ("programs/lattice-compute", "lattice_compute"),
    ("programs/lattice-governance", "lattice_governance"),
];

fn main() -> Result<()> {
    if std::env::var_os("RUSTUP_TOOLCHAIN").is_some() {
        bail!("RUSTUP_TOOLCHAIN is set: run the built binary with `env -u RUSTUP_TOOLCHAIN`, not `cargo run`");
    }
    let check = std::env::args().any(|a| a == "--check");
    let root = std::env::current_dir()?;
    let target = std::env::var("LATTICE_IDL_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/idl"));
    let out_dir = root.join("sdk/idl");
    std::fs::create_dir_all(&out_dir)?;
    let mut drifted = Vec::new();
    for (dir, name) in PROGRAMS {
        let idl = IdlBuilder::new()
            .program_path(root.join(dir))
            .cargo_args(vec![
                "--target-dir".into(),
                target.display().to_string(),
                "--locked".into(),
                "--lib".into(),
            ])
            .build()
            .with_context(|| format!("building the IDL of {name}"))?;
        let mut json = serde_json::to_string_pretty(&idl)?;
        json.push('\n');
        let path = out_dir.join(format!("{name}.json"));
        if check {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed != json {
                drifted.push(path_display(&root, &path));
            }
        } else {
            std::fs::write(&path, json)?;
            eprintln!("wrote {}", path_display(&root, &path));
        }
    }
    if !drifted.is_empty() {
        bail!(
            "IDL drifted from the code: {} (regenerate with tools/idl, see sdk/idl/README.md)",
            drifted.join(", ")
        );
    }
    Ok(())
}

fn path_display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
