//! The main job, `lattice localnet`, end to end on the embedded chain.

use lattice_math::emission::emission_for_hour;
use lattice_tests::localnet_config;
use lattice_workers::localnet;

#[tokio::test]
async fn twenty_four_hours_report_matches_the_schedule() {
    let cfg = localnet_config();
    let mut seen = Vec::new();
    let options = localnet::LocalnetOptions {
        hours: 24,
        hotspots: 6,
        gpus: 3,
        coverage: true,
        oracles: 3,
        threshold: 2,
        faulty_oracle: false,
        compute: true,
        governance_demo: false,
        scenario: None,
    };
    let report = localnet::run(&cfg, &options, |i| seen.push(i))
        .await
        .unwrap();
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
        assert!(row.sub_daos.values().all(|p| p.utility_score > 0));
        cumulative += row.main_emitted;
        assert_eq!(row.cumulative_main, cumulative);
        assert_eq!(
            row.cap_remaining,
            args.max_supply - args.genesis_supply - cumulative
        );
    }
    let t = &report.totals;
    assert_eq!(t.main_emitted, t.main_schedule_sum);
    // Demand burned DC every hour in both sub-DAOs; the totals match the per-hour chain records.
    for name in ["coverage", "compute"] {
        let per_hour: u64 = report
            .hours
            .iter()
            .map(|r| r.sub_daos[name].dc_burned)
            .sum();
        assert!(per_hour > 0, "{name}");
        assert_eq!(per_hour, t.dc_burned[name], "{name}");
        assert!(report.hours.iter().all(|r| r.sub_daos[name].dc_burned > 0));
    }
    assert!(t.dc_minted >= t.dc_burned.values().sum::<u64>());
    assert_eq!((report.devices.hotspots, report.devices.gpus), (6, 3));
    assert!(report.rent_per_device_lamports.hotspot > 0);
    assert!(report.rent_per_device_lamports.hotspot <= 1_600_000);
    assert!(report.rent_per_device_lamports.gpu_node <= 1_600_000);
    // Burn-and-mint: supply = genesis + emissions − main burned for DC.
    assert!(t.main_burned_for_dc > 0);
    assert_eq!(
        t.main_supply,
        args.genesis_supply + t.main_emitted - t.main_burned_for_dc
    );
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
    for key in ["main_emitted", "main_schedule_sum", "main_cap", "dc_minted"] {
        assert!(json["totals"][key].is_u64(), "{key}");
    }
    assert!(json["totals"]["dc_burned"]["coverage"].is_u64());
    assert_eq!(json["devices"]["hotspots"], 6);
    assert_eq!(json["devices"]["gpus"], 3);
    assert!(json["rent_per_device_lamports"]["hotspot"].is_u64());
    assert!(h0["sub_daos"]["coverage"]["dc_burned"].is_u64());
    let table = localnet::render_table(&report);
    assert!(table.contains("coverage main") && table.contains("cap remaining"));

    // The GPU job market: real jobs through the compute program pay the compute sub-DAO's D.
    let c = report.compute.as_ref().expect("the job market ran");
    assert_eq!(c.gpus, 3);
    assert!(c.jobs_posted > 0 && c.jobs_finalized > 0, "{c:?}");
    assert_eq!(
        c.dc_burned, t.dc_burned["compute"],
        "compute D is exactly the jobs' burns"
    );
    assert!(c.dc_burned + c.dc_refunded <= c.dc_escrowed);
    assert!(c.utilization_bps > 0 && c.utilization_bps <= 10_000);
    assert_eq!(
        c.busy_secs,
        c.hours.iter().map(|h| h.busy_secs).sum::<u64>()
    );
    assert_eq!(c.capacity_failed, 0);
    assert!(c.capacity_verified > 0);
    // Seeded: some workers vanish mid-job; their jobs time out and the nodes are slashed.
    assert!(c.vanish_events > 0, "{c:?}");
    assert!(c.jobs_timed_out > 0 && c.stake_slashed > 0, "{c:?}");
    assert!(c.hours.iter().all(|h| h.nodes_paid > 0));
    assert!(json["compute"]["jobs_finalized"].as_u64().unwrap() > 0);
    assert!(json["compute"]["utilization_bps"].is_u64());
    assert!(table.contains("GPU job market"));
}
