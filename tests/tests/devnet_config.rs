//! `app-config/devnet.toml` (what `lattice bootstrap`, `crank`, `oracle run` and `node run`
//! default to on a real cluster) parses, validates, converts into every program's arguments,
//! and sets every parameter explicitly: each key of `localnet.toml` outside `[localnet]` is
//! present, so nothing silently falls back to a built-in default.

use lattice_migrations::LatticeConfig;
use std::{collections::BTreeSet, path::PathBuf};

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../app-config")
        .join(name)
}

fn keys(prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        let key = format!("{prefix}{k}");
        match v {
            toml::Value::Table(t) => keys(&format!("{key}."), t, out),
            toml::Value::Array(items)
                if items.iter().all(|i| i.is_table()) && !items.is_empty() =>
            {
                for item in items {
                    if let Some(t) = item.as_table() {
                        keys(&format!("{key}[]."), t, out);
                    }
                }
            }
            _ => {
                out.insert(key);
            }
        }
    }
}

fn key_set(name: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path(name)).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let mut out = BTreeSet::new();
    keys("", &table, &mut out);
    out
}

#[test]
fn devnet_config_parses_validates_and_is_complete() {
    let cfg = LatticeConfig::load_with_env(&path("devnet.toml"), Some(Default::default()))
        .expect("devnet.toml parses");
    cfg.validate().expect("devnet.toml validates");
    cfg.initialize_args().expect("DAO arguments");
    for name in &cfg.dao.sub_daos {
        cfg.sub_dao_args(name).expect("sub-DAO arguments");
    }
    cfg.data_credits_args().expect("data-credits arguments");
    cfg.registry_params().expect("registry parameters");
    cfg.compute_markets().expect("compute markets");
    cfg.governance_params().expect("governance rules");
    assert!(cfg.governance_ve().is_valid());
    assert!(cfg.governance.enabled && cfg.governance.hand_over);

    let local = key_set("localnet.toml");
    let devnet = key_set("devnet.toml");
    let missing: Vec<_> = local
        .iter()
        .filter(|k| !k.starts_with("localnet.") && !devnet.contains(*k))
        .collect();
    assert!(missing.is_empty(), "devnet.toml lacks {missing:?}");
    let extra: Vec<_> = devnet.difference(&local).collect();
    assert!(
        extra.is_empty(),
        "devnet.toml has keys localnet.toml lacks: {extra:?}"
    );
}
