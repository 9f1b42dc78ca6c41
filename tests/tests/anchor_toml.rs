//! Anchor.toml must name every program with the id its `declare_id!` uses, for localnet and
//! devnet, and pin Anchor 1.2.2.

use std::path::PathBuf;

#[test]
fn anchor_toml_matches_declare_id() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../Anchor.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(doc["toolchain"]["anchor_version"].as_str(), Some("1.2.2"));
    let programs = [
        ("lattice_dao", lattice_dao::ID.to_string()),
        ("lattice_data_credits", lattice_data_credits::ID.to_string()),
        ("lattice_registry", lattice_registry::ID.to_string()),
        ("lattice_rewards", lattice_rewards::ID.to_string()),
        (
            "lattice_compute",
            lattice_sdk::lattice_compute::ID.to_string(),
        ),
        (
            "lattice_governance",
            lattice_sdk::lattice_governance::ID.to_string(),
        ),
    ];
    // The DAO program's copies of the other programs' ids (it accepts their PDAs' signatures).
    assert_eq!(
        lattice_dao::DATA_CREDITS_PROGRAM_ID,
        lattice_data_credits::ID
    );
    assert_eq!(lattice_dao::REGISTRY_PROGRAM_ID, lattice_registry::ID);
    assert_eq!(lattice_dao::REWARDS_PROGRAM_ID, lattice_rewards::ID);
    // The registry's copy of the compute program's id (it accepts its configuration PDA's
    // signature on hold_job, release_job and slash_stake).
    assert_eq!(
        lattice_registry::COMPUTE_PROGRAM_ID,
        lattice_sdk::lattice_compute::ID
    );
    // The DAO's copy of the governance program's id (it accepts its PDA on enable_ve and
    // record_ve).
    assert_eq!(
        lattice_dao::GOVERNANCE_PROGRAM_ID,
        lattice_sdk::lattice_governance::ID
    );
    for cluster in ["localnet", "devnet"] {
        let table = doc["programs"][cluster].as_table().unwrap();
        assert_eq!(
            table.len(),
            programs.len(),
            "{cluster}: every program, nothing else"
        );
        for (name, id) in &programs {
            assert_eq!(table[*name].as_str(), Some(id.as_str()), "{cluster}.{name}");
        }
    }
    let members = doc["workspace"]["members"].as_array().unwrap();
    for member in ["programs/lattice-dao", "programs/lattice-compute"] {
        assert!(
            members.iter().any(|m| m.as_str() == Some(member)),
            "{member}"
        );
    }
}
