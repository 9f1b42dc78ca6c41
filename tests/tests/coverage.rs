//! Proof of coverage end to end in the localnet: simulated concentrators (Semtech UDP on
//! loopback) → hotspot workers → oracle ingest (HTTP) → hourly verification → shares and DC
//! burns on chain, with the adversarial hotspots rejected for the right reasons.

use lattice_poc_core::hour::SHARE_SCALE;
use lattice_tests::localnet_config;
use lattice_workers::localnet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adversaries_are_rejected_for_the_right_reasons() {
    let cfg = localnet_config();
    let options = localnet::LocalnetOptions {
        hours: 6,
        hotspots: 40,
        gpus: 1,
        coverage: true,
        oracles: 3,
        threshold: 2,
        faulty_oracle: true,
        compute: false,
        governance_demo: false,
        scenario: None,
    };
    let report = localnet::run(&cfg, &options, |_| {}).await.unwrap();
    let c = report.coverage.as_ref().expect("coverage section");
    assert_eq!(c.hotspots, 40);
    assert_eq!(c.adversaries.len(), 4, "{:?}", c.adversaries);
    let reasons = |behavior: &str| c.adversary_rejections[behavior].clone();
    // Each cheat is caught by its rule.
    assert!(reasons("spoofed_location")["too_far"] > 0);
    assert!(reasons("inflated_rssi")["rssi_too_strong"] > 0);
    assert!(reasons("self_witness")["self_witness"] > 0);
    let replay = reasons("replayed_beacons");
    assert!(
        replay["unknown_entropy"] > 0 && replay["stale_entropy"] > 0,
        "{replay:?}"
    );
    // Honest hotspots are never rejected by a rule that only cheating trips.
    for reason in [
        "rssi_too_strong",
        "self_witness",
        "unknown_entropy",
        "stale_entropy",
        "invalid_payload",
        "unknown_hotspot",
        "bad_signature",
    ] {
        assert!(
            !c.honest_rejections.contains_key(reason),
            "honest hotspots rejected for {reason}: {:?}",
            c.honest_rejections
        );
    }
    // What honest hotspots lose, they lose for witnessing cheaters' beacons or for a packet
    // another hotspot was paid for.
    for reason in c.honest_rejections.keys() {
        assert!(
            [
                "too_far",
                "invalid_beacon",
                "duplicate_packet",
                "too_close_h3"
            ]
            .contains(&reason.as_str()),
            "{reason}"
        );
    }
    // Every simulated hour is settled and shared out.
    assert_eq!(c.shares_per_hour.len(), 6);
    let n = c.hotspots as u64;
    for h in &c.shares_per_hour {
        let s = &h.summary;
        assert!(
            s.valid_beacons >= 36 && s.valid_witnesses > 0 && s.valid_packets > 0,
            "{h:?}"
        );
        assert!(h.share_sum <= SHARE_SCALE as u64 && h.share_sum + n * 3 >= SHARE_SCALE as u64);
        // The spoofer earns nothing from coverage; cheaters together earn far less than their
        // 10% head count would.
        assert!(h.adversary_share_sum < SHARE_SCALE as u64 / 10, "{h:?}");
    }
    // The oracle burned the carried packets' DC, and the chain counted it as the coverage D
    // input of the hours it was burned in.
    let on_chain: u64 = report
        .hours
        .iter()
        .map(|r| r.sub_daos["coverage"].dc_burned)
        .sum();
    assert_eq!(on_chain, c.dc_burned);
    assert_eq!(report.totals.dc_burned["coverage"], c.dc_burned);
    assert!(c.reports_received > 10_000, "{}", c.reports_received);
    // The oracle's cumulative reward tree covers every issued hour and never exceeds what the
    // coverage rewards escrow received.
    let rewards = c.rewards.as_ref().expect("reward tree");
    assert_eq!(rewards.epoch, report.hours.last().unwrap().hour);
    let escrowed: u64 = report
        .hours
        .iter()
        .map(|r| r.sub_daos["coverage"].token)
        .sum();
    assert!(
        rewards.total <= escrowed && rewards.total + 40 * 6 * 2 >= escrowed,
        "{} vs {escrowed}",
        rewards.total
    );
    assert!(rewards.devices >= 36);
    // Every rewarded device's proof, fetched from the oracle's HTTP API, verifies.
    assert_eq!(c.proofs_verified, rewards.devices);
    // Settlement on chain with 3 oracles, k = 2, one of them lying every hour: the lie never
    // finalizes, the honest root does every hour, and the owner's bulk claims paid exactly
    // what each device class earned.
    let st = c.settlement.as_ref().expect("settlement");
    assert_eq!(
        (st.oracles, st.threshold, st.faulty_oracle),
        (3, 2, Some(1))
    );
    assert_eq!(st.roots_finalized, 6);
    assert_eq!(st.final_root, rewards.root);
    assert_eq!(
        (st.final_epoch, st.final_total),
        (rewards.epoch, rewards.total)
    );
    assert_eq!(
        st.post_transactions,
        3 * 6,
        "primary, liar, then the honest second post"
    );
    assert_eq!(st.posts_refused, 0);
    assert_eq!(st.claimed_by_class, st.earned_by_class);
    assert!(st.claimed_by_class["adversary"] < st.claimed_by_class["honest"] / 5);
    assert!(st.claims >= 36 && st.claim_transactions < st.claims);
    let json = localnet::render_json(&report);
    for key in [
        "reports_received",
        "valid",
        "rejected_by_reason",
        "shares_per_hour",
    ] {
        assert!(json["coverage"].get(key).is_some(), "{key}");
    }
}
