//! The economics dashboard: `lattice localnet --scenario demand-growth` (shortened) read back
//! through `lattice_workers::stats`, checked against what the simulation itself did, and charted.

use lattice_tests::localnet_config;
use lattice_workers::{localnet, stats};

#[tokio::test]
async fn demand_growth_dashboard_matches_the_run_and_charts() {
    let cfg = localnet_config();
    let hours = 36;
    let options = localnet::LocalnetOptions {
        hours,
        hotspots: 6,
        gpus: 2,
        coverage: false,
        oracles: 1,
        threshold: 1,
        faulty_oracle: false,
        compute: true,
        governance_demo: false,
        scenario: Some(localnet::scenario::Scenario::DemandGrowth),
    };
    let report = localnet::run(&cfg, &options, |_| {}).await.unwrap();
    let s = &report.stats;
    // Every hour after the setup hour.
    assert_eq!(s.hours.len(), hours as usize - 1);
    assert_eq!(s.sub_dao_names, ["coverage", "compute"]);
    for (row, issued) in s.hours.iter().zip(&report.hours[1..]) {
        assert_eq!(row.hour, issued.hour);
        assert!(row.issued);
        assert_eq!(row.main_emitted, issued.main_emitted);
        for (k, name) in s.sub_dao_names.iter().enumerate() {
            assert_eq!(row.sub_daos[k].dc_burned, issued.sub_daos[name].dc_burned);
        }
        // Active devices: what the registry counted when the hour was issued.
        assert_eq!(row.sub_daos[0].active_devices, Some(6));
        assert_eq!(row.sub_daos[1].active_devices, Some(2));
        let shares: f64 = row.sub_daos.iter().map(|d| d.dc_share).sum();
        assert!((shares - 1.0).abs() < 1e-9, "{shares}");
        assert!(
            row.price_usd.is_some_and(|p| (p - 2.49).abs() < 0.02),
            "{row:?}"
        );
        let u = row.gpu_utilization.expect("a compute market");
        assert!((0.0..=1.0).contains(&u), "{u}");
    }
    // The dashboard's sums are the run's own totals.
    let t = &report.totals;
    let emitted: u64 = s.hours.iter().map(|r| r.main_emitted).sum();
    assert_eq!(emitted, t.main_emitted - report.hours[0].main_emitted);
    let burned: u64 = s.hours.iter().map(|r| r.main_burned).sum();
    assert!(burned > 0 && burned <= t.main_burned_for_dc, "{burned}");
    let busy: u64 = s.hours.iter().map(|r| r.gpu_busy_secs).sum();
    let compute = report.compute.as_ref().unwrap();
    let setup_busy = report.compute.as_ref().unwrap().hours[0].busy_secs;
    assert_eq!(busy + setup_busy, compute.busy_secs);
    assert!(busy > 0);
    // The scenario sized emissions to the network: burns are a real fraction of emissions.
    let ratio = burned as f64 / emitted as f64;
    assert!(ratio > 0.01 && ratio < 2.0, "{ratio}");
    // The week's staker locked 5 % of genesis from the first hour on.
    let last = s.hours.last().unwrap();
    let staked = last.staked.expect("V recorded");
    let unit = 10u64.pow(u32::from(cfg.dao.decimals));
    assert_eq!(staked, cfg.dao.genesis_supply * unit / 20);
    let ratio = last.staking_ratio.unwrap();
    assert!((ratio - 0.05).abs() < 0.001, "{ratio}");
    // Supply reconstruction ends at today's supply.
    assert!(last.supply >= t.main_supply);

    let table = stats::render_table(s, 12);
    assert_eq!(table.lines().count(), 1 + 3 + 1, "{table}");
    assert!(table.contains("total 35 h"), "{table}");
    let dir = std::env::temp_dir().join(format!("lattice-stats-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["economics.svg", "economics.png"] {
        let path = dir.join(name);
        stats::render_chart(s, 1, &path).unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        assert!(len > 5_000, "{name}: {len} bytes");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
