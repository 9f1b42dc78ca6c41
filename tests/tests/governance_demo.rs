//! `lattice localnet --governance-demo` end to end: holders lock and delegate (the next hour's
//! split moves toward the sub-DAO with the delegated power), a proposal changing the utility
//! weights passes, waits out its timelock and executes, the next issued hour uses the new
//! weights, and the stakers claim their slices.

use lattice_tests::localnet_config;
use lattice_workers::localnet;

#[tokio::test]
async fn the_governance_scenario_moves_the_split_and_changes_the_weights() {
    let cfg = localnet_config();
    let options = localnet::LocalnetOptions {
        hours: 9,
        hotspots: 4,
        gpus: 1,
        coverage: false,
        oracles: 3,
        threshold: 2,
        faulty_oracle: false,
        compute: false,
        governance_demo: true,
        scenario: None,
    };
    let report = localnet::run(&cfg, &options, |_| {}).await.unwrap();
    let g = report.governance.as_ref().expect("the scenario ran");
    let row = |h: u64| report.hours.iter().find(|r| r.hour == h).unwrap();
    let compute_share = |h: u64| row(h).sub_daos["compute"].utility_score;

    // Two of three holders (3 million of 3.6 million tokens, the most power) delegate to compute:
    // compute's score rises in the first hour their power counts.
    let d = g.first_hour_with_delegation;
    assert!(compute_share(d) > compute_share(d - 1));
    assert!(row(d).sub_daos["compute"].main_to_delegators > 0);

    // The proposal passed (yes > no), was queued after the voting period and executed after the
    // timelock (2 h and 1 h in localnet.toml).
    assert_eq!(g.proposal_state, "Executed");
    assert!(g.yes.parse::<u128>().unwrap() > g.no.parse::<u128>().unwrap());
    let voted = g.voted_hour.unwrap();
    let queued = g.queued_hour.unwrap();
    let executed = g.executed_hour.unwrap();
    assert_eq!(queued, voted + 2);
    assert_eq!(executed, queued + 1);
    assert_eq!(g.weights_before, [4_000, 4_000, 2_000]);
    assert_eq!(g.weights_after, [1_000, 6_000, 3_000]);

    // The first hour issued after execution uses the new weights: the V-heavy compute share
    // falls (its V weight went from 40 % to 10 %).
    let first = g.first_hour_with_new_weights.unwrap();
    assert_eq!(first, executed);
    assert!(compute_share(first) < compute_share(first - 1));

    // Stakers were paid from the delegator pools, never more than the slices.
    let claimed: u64 = g.holders.iter().map(|h| h.rewards_claimed).sum();
    let slices: u64 = report
        .hours
        .iter()
        .filter(|r| r.hour >= d)
        .flat_map(|r| r.sub_daos.values())
        .map(|p| p.main_to_delegators)
        .sum();
    assert!(g.holders.iter().all(|h| h.rewards_claimed > 0));
    assert!(claimed <= slices, "{claimed} > {slices}");
}
