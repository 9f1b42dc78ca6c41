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

#[test]
fn compute_section_converts_and_defaults() {
    use solana_sdk::pubkey::Pubkey;
    for name in ["localnet.toml", "devnet.toml"] {
        let cfg = LatticeConfig::load_with_env(&app_config(name), no_env()).unwrap();
        let markets = cfg.compute_markets().unwrap();
        assert_eq!(markets.len(), 2, "{name}");
        let (class, consumer) = markets[0];
        assert_eq!(class, 0);
        assert_eq!(consumer.min_vram_gb, 8);
        // The localnet asks less stake than a one-GPU node locks, so a slashed node still works.
        let whole = if name == "localnet.toml" { 500 } else { 1_000 };
        assert_eq!(
            consumer.min_stake,
            whole * 1_000_000,
            "whole tokens to base units"
        );
        assert_eq!(consumer.max_duration_secs, 3_600);
        assert_eq!(consumer.verification_window_secs, 300, "the default window");
        let (class, datacenter) = markets[1];
        assert_eq!(class, 1);
        assert_eq!(datacenter.min_vram_gb, 40);
        assert_eq!(datacenter.verification_window_secs, 600, "its own window");
        // No oracles listed anywhere: the authority alone, which may not slash alone.
        let authority = Pubkey::new_unique();
        assert_eq!(cfg.compute_oracles(&authority).unwrap(), (vec![], 0));
        let sub = Pubkey::new_unique();
        assert_eq!(
            cfg.compute_slash_destination(&sub).unwrap(),
            lattice_sdk::pda::treasury(&sub)
        );
    }
    let devnet = LatticeConfig::load_with_env(&app_config("devnet.toml"), no_env()).unwrap();
    assert!(devnet.compute.hand_over_burn_authority);
    // A file without [compute] gets the defaults (the same two markets).
    let base = std::fs::read_to_string(app_config("localnet.toml")).unwrap();
    let text = &base[..base.find("[compute]").unwrap()];
    let cfg = LatticeConfig::from_toml_str(text).unwrap();
    assert!(cfg.compute.enabled && cfg.compute.hand_over_burn_authority);
    assert_eq!(cfg.compute_markets().unwrap().len(), 2);
}

#[test]
fn compute_oracles_follow_the_quorum_rule() {
    use solana_sdk::pubkey::Pubkey;
    let mut cfg = LatticeConfig::load_with_env(&app_config("localnet.toml"), no_env()).unwrap();
    let keys: Vec<Pubkey> = (0..4).map(|_| Pubkey::new_unique()).collect();
    let text = |k: &[Pubkey]| k.iter().map(Pubkey::to_string).collect::<Vec<_>>();
    // [rewards] oracles are the default.
    cfg.rewards.oracles = text(&keys[..3]);
    assert_eq!(
        cfg.compute_oracles(&keys[3]).unwrap(),
        (keys[..3].to_vec(), 2)
    );
    // Their own list, smallest quorum 3 of 4.
    cfg.compute.oracles = text(&keys);
    assert_eq!(cfg.compute_oracles(&keys[0]).unwrap().1, 3);
    // One listed key: disabled, never a lone slasher.
    cfg.compute.oracles = text(&keys[..1]);
    assert_eq!(cfg.compute_oracles(&keys[0]).unwrap(), (vec![], 0));
    // An unsafe explicit threshold is refused.
    cfg.compute.oracles = text(&keys);
    cfg.compute.threshold = 2;
    assert!(cfg.compute_oracles(&keys[0]).is_err());
}

#[test]
fn refuses_bad_compute_sections() {
    let base = std::fs::read_to_string(app_config("localnet.toml")).unwrap();
    for (from, to, needle) in [
        (
            "fault_slash_bps = 2_000",
            "fault_slash_bps = 10_001",
            "fault_slash_bps",
        ),
        ("class_id = 1 ", "class_id = 0 ", "duplicate"),
        (
            "price_floor_dc_per_sec = 1 ",
            "price_floor_dc_per_sec = 0 ",
            "class 0",
        ),
        ("max_duration = \"1h\"", "max_duration = \"31d\"", "class 0"),
        (
            "max_jobs_per_node = 1 ",
            "max_jobs_per_node = 0 ",
            "class 0",
        ),
        (
            "timeout_slash_bps = 500 ",
            "timeout_slash_bps = 10_001 ",
            "class 0",
        ),
        ("name = \"consumer\"", "name = \"\"", "name"),
        (
            "slash_destination = \"\"",
            "slash_destination = \"nope\"",
            "slash_destination",
        ),
    ] {
        assert!(base.contains(from), "{from}");
        let text = base.replacen(from, to, 1);
        let err = LatticeConfig::from_toml_str(&text).unwrap_err().to_string();
        assert!(err.contains(needle), "{from} → {err}");
    }
}
