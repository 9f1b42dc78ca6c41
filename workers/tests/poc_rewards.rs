//! Operator transparency: after an hour settles, `GET /v1/hotspots/{key}/rewards` (what
//! `lattice node rewards` prints) shows each hotspot's share and every rejected report with its
//! reason.

mod common;

use common::*;
use lattice_poc_core::{
    hour::HotspotInfo,
    report::{beacon_payload, BeaconReport, ReportBody, WitnessReport},
    Position,
};
use lattice_sdk::solana::Pubkey;
use lattice_workers::{
    node::{client::OracleClient, render_rewards},
    oracle::ingest::ingest_batch,
};

fn place(
    o: &lattice_workers::oracle::Oracle<lattice_sdk::embedded::EmbeddedChain>,
    key: &ed25519_dalek::SigningKey,
    lat: f64,
    lng: f64,
) {
    let cell = h3o::LatLng::new(lat, lng)
        .unwrap()
        .to_cell(h3o::Resolution::Twelve);
    o.directory.insert(
        key.verifying_key().to_bytes(),
        Some(HotspotInfo {
            position: Some(Position {
                cell: u64::from(cell),
                gain_dbi_x10: 30,
                elevation_m: 0,
            }),
        }),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rewards_api_shows_shares_and_rejection_reasons() {
    let hour: u64 = 493_000;
    let base = lattice_math::epoch::hour_start(hour) * 1_000;
    let dir = temp_dir("rewards");
    let db = format!("sqlite://{}", dir.join("oracle.db").display());
    let (o, clock, odir) = oracle(&db, base + 600_000).await;
    let (a, b) = (hotspot_key(10), hotspot_key(11));
    place(&o, &a, 37.7749, -122.4194);
    place(&o, &b, 37.7749, -122.3900); // ≈2.6 km east
    let entropy = [42u8; 32];
    o.store
        .record_entropy(&entropy, base / 1_000 + 60)
        .await
        .unwrap();

    let ak = a.verifying_key().to_bytes();
    let payload = beacon_payload(&entropy, &ak).to_vec();
    let beacon = ReportBody::Beacon(BeaconReport {
        hotspot: ak,
        entropy,
        payload: payload.clone(),
        frequency_hz: 904_600_000,
        tx_power_dbm: 27,
        region: 1,
        timestamp_ms: base + 300_000,
    })
    .sign(&a);
    let witness = |key: &ed25519_dalek::SigningKey, rssi_x10: i16| {
        ReportBody::Witness(WitnessReport {
            hotspot: key.verifying_key().to_bytes(),
            payload: payload.clone(),
            rssi_dbm_x10: rssi_x10,
            snr_db_x10: 50,
            frequency_hz: 904_600_000,
            region: 1,
            timestamp_ms: base + 300_200,
            tmst: 1,
        })
        .sign(key)
    };
    // B hears A at a plausible -95 dBm; A claims to hear itself.
    let batch = vec![beacon, witness(&b, -950), witness(&a, -400)];
    let (_, resp) = ingest_batch(&o, &lattice_poc_core::report::encode_batch(&batch)).await;
    assert_eq!(resp.results, ["accepted", "accepted", "accepted"]);

    clock.set_ms(base + 3_600_000);
    let settled = o.settle_due(hour).await.unwrap();
    assert_eq!(settled.len(), 1);
    assert_eq!(
        (
            settled[0].valid_beacons,
            settled[0].valid_witnesses,
            settled[0].rejected
        ),
        (1, 1, 1)
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::spawn(lattice_workers::oracle::serve(
        o.clone(),
        listener,
        stop.clone(),
    ));
    let client = OracleClient::new(&url).unwrap();

    let ra = client
        .rewards(&Pubkey::new_from_array(ak).to_string(), 24)
        .await
        .unwrap();
    assert_eq!(ra.hours.len(), 1);
    assert_eq!(ra.hours[0].beacons, 1);
    assert!(ra.hours[0].share > 0);
    assert_eq!(ra.rejections.len(), 1);
    assert_eq!(
        (
            ra.rejections[0].kind.as_str(),
            ra.rejections[0].reason.as_str()
        ),
        ("witness", "self_witness")
    );
    let table = render_rewards(&ra);
    assert!(
        table.contains("self_witness") && table.contains(&hour.to_string()),
        "{table}"
    );

    let rb = client
        .rewards(
            &Pubkey::new_from_array(b.verifying_key().to_bytes()).to_string(),
            24,
        )
        .await
        .unwrap();
    assert_eq!(rb.hours[0].witnesses, 1);
    assert!(rb.rejections.is_empty());
    // With no data, the beacon and witness pools share the hour: 2/7 and 5/7 (default 20/50).
    let total = ra.hours[0].share + rb.hours[0].share;
    assert!(
        (999_999_999_990..=1_000_000_000_000).contains(&total),
        "{total}"
    );

    // A key that is not base58 is a clear 400.
    let bad = reqwest::get(format!("{url}/v1/hotspots/not-a-key/rewards"))
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    stop.cancel();
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(odir);
}
