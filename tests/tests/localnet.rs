//! The main job, `lattice localnet`, end to end on the embedded chain.

use lattice_math::emission::emission_for_hour;
use lattice_tests::localnet_config;
use lattice_workers::localnet;

#[tokio::test]
async fn twenty_four_hours_report_matches_the_schedule() {
    let cfg = localnet_config();
    let mut seen = Vec::new();
    let report = localnet::run(&cfg, 24, |i| seen.push(i)).await.unwrap();
    assert_eq!(seen, (1..=24).collect::<Vec<_>>());
    assert_eq!(report.hours.len(), 24);
    let args = cfg.initialize_args().unwrap();
    let schedule = args.emission.into();
    let genesis = report.hours[0].hour;
    assert_eq!(genesis, (cfg.localnet.start_unix.unwrap() / 3_600) as u64);
    let mut cumulative = 0;
    for (i, row) in report.hours.iter().enumerate() {
        assert_eq!(row.hour, genesis + i as u64);
        assert_eq!(row.main_emitted, emission_for_hour(&schedule, i as u64));
        let parts: u64 = row.sub_daos.values().map(|p| p.main).sum();
        assert_eq!(parts, row.main_emitted);
        cumulative += row.main_emitted;
        assert_eq!(row.cumulative_main, cumulative);
        assert_eq!(
            row.cap_remaining,
            args.max_supply - args.genesis_supply - cumulative
        );
    }
    let t = &report.totals;
    assert_eq!(t.main_emitted, t.main_schedule_sum);
    assert_eq!(t.main_supply, args.genesis_supply + t.main_emitted);
    assert_eq!(t.main_cap, args.max_supply);
    assert_eq!(report.sub_dao_names, vec!["coverage", "compute"]);

    // The JSON shape promised to later issues and scripts.
    let json = localnet::render_json(&report);
    assert_eq!(json["hours"].as_array().unwrap().len(), 24);
    let h0 = &json["hours"][0];
    assert!(h0["hour"].is_u64() && h0["main_emitted"].is_u64());
    for name in ["coverage", "compute"] {
        assert!(h0["sub_daos"][name]["main"].is_u64());
        assert!(h0["sub_daos"][name]["token"].is_u64());
        assert!(
            json["totals"]["sub_dao_token_emitted"][name]
                .as_u64()
                .unwrap()
                > 0
        );
    }
    for key in ["main_emitted", "main_schedule_sum", "main_cap"] {
        assert!(json["totals"][key].is_u64(), "{key}");
    }
    let table = localnet::render_table(&report);
    assert!(table.contains("coverage main") && table.contains("cap remaining"));
}
