use super::*;
use std::path::PathBuf;

fn app_config(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("app-config")
        .join(name)
}

fn no_env() -> Option<BTreeMap<String, String>> {
    Some(BTreeMap::new())
}

#[test]
fn localnet_and_devnet_parse_and_are_complete() {
    for name in ["localnet.toml", "devnet.toml"] {
        let cfg = LatticeConfig::load_with_env(&app_config(name), no_env()).unwrap();
        assert_eq!(cfg.dao.sub_daos, vec!["coverage", "compute"], "{name}");
        let args = cfg.initialize_args().unwrap();
        assert_eq!(args.max_supply, 800_000_000 * 1_000_000);
        assert_eq!(args.emission.pool, 300_000_000 * 1_000_000);
        assert!(args.genesis_supply + args.emission.pool <= args.max_supply);
        assert_eq!(args.breaker.window_secs, 86_400);
        for sub in &cfg.dao.sub_daos {
            let a = cfg.sub_dao_args(sub).unwrap();
            assert!(a.emission.pool <= a.max_supply);
        }
    }
}

#[test]
fn environment_overrides_any_key() {
    let env: BTreeMap<String, String> = [
        ("LATTICE__DAO__EMISSION__DECAY_BPS", "9000"),
        ("LATTICE__SUB_DAO__COMPUTE__MAX_SUPPLY", "3000000000"),
        ("LATTICE__CRANKER__POLL_INTERVAL", "5s"),
        ("LATTICE__DAO__SUB_DAOS", "compute,coverage"),
        ("UNRELATED", "x"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let cfg = LatticeConfig::load_with_env(&app_config("localnet.toml"), Some(env)).unwrap();
    assert_eq!(cfg.dao.emission.decay_bps, 9_000);
    assert_eq!(cfg.sub_dao["compute"].max_supply, 3_000_000_000);
    assert_eq!(cfg.cranker.poll_interval, Duration::from_secs(5));
    assert_eq!(cfg.dao.sub_daos, vec!["compute", "coverage"]);
}

#[test]
fn refuses_inconsistent_files() {
    let base = std::fs::read_to_string(app_config("localnet.toml")).unwrap();
    // A listed sub-DAO without a table.
    let text = base.replace(
        r#"sub_daos = ["coverage", "compute"]"#,
        r#"sub_daos = ["coverage", "compute", "storage"]"#,
    );
    let err = LatticeConfig::from_toml_str(&text).unwrap_err().to_string();
    assert!(err.contains("storage"), "{err}");
    // A table that is not listed.
    let text = base.replace(
        r#"sub_daos = ["coverage", "compute"]"#,
        r#"sub_daos = ["coverage"]"#,
    );
    let err = LatticeConfig::from_toml_str(&text).unwrap_err().to_string();
    assert!(err.contains("not listed"), "{err}");
    // An amount that overflows base units.
    let text = base.replace(
        "max_supply = 800_000_000 ",
        "max_supply = 19_000_000_000_000 ",
    );
    let err = LatticeConfig::from_toml_str(&text).unwrap_err().to_string();
    assert!(err.contains("overflows"), "{err}");
    // A misspelt key.
    let text = base.replace("decay_bps = 8_500 ", "decay_bsp = 8_500 ");
    assert!(LatticeConfig::from_toml_str(&text).is_err());
}
