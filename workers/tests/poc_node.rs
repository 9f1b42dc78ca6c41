//! The hotspot worker's report building and beacon schedule.

mod common;

use lattice_poc_core::report::{self, ReportBody};
use lattice_sdk::solana::Keypair;
use lattice_workers::{
    localnet::radio::Concentrator,
    node::{
        client::OracleClient, gateway::Gateway, next_beacon_delay, outbox::Outbox, signing_key,
        Hotspot, HotspotSettings,
    },
    oracle::Clock,
};
use std::sync::{Arc, Mutex};

async fn hotspot(
    tag: &str,
) -> (
    Arc<Hotspot>,
    Arc<Concentrator>,
    Arc<Mutex<Vec<lattice_workers::localnet::radio::Transmission>>>,
) {
    let dir = common::temp_dir(tag);
    let settings =
        HotspotSettings::from_config(&lattice_migrations::config::NodeConfig::default()).unwrap();
    let gw = Gateway::bind("127.0.0.1:0").await.unwrap();
    let addr = gw.local_addr().unwrap();
    let node = Arc::new(Hotspot::new(
        signing_key(&Keypair::new()),
        settings,
        Outbox::open(&dir.join("outbox.db")).await.unwrap(),
        gw.clone(),
        OracleClient::new("http://127.0.0.1:9").unwrap(),
        Clock::manual(1_774_800_000_000),
    ));
    let n = node.clone();
    tokio::spawn(gw.run(
        move |rx| {
            let n = n.clone();
            async move { n.on_uplink(rx).await }
        },
        tokio_util::sync::CancellationToken::new(),
    ));
    let air = Arc::new(Mutex::new(Vec::new()));
    let conc = Concentrator::start(0, addr, air.clone(), 0).await.unwrap();
    for _ in 0..100 {
        if node.gateway.connected() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(node.gateway.connected());
    (node, conc, air)
}

#[tokio::test]
async fn uplinks_become_signed_reports_once() {
    let (node, conc, _) = hotspot("node-uplinks").await;
    let datr: semtech_udp::DataRate = "SF9BW125".parse().unwrap();
    let mut beacon = report::BEACON_MAGIC.to_vec();
    beacon.extend_from_slice(&[9u8; 16]);
    let data = vec![0x40, 0x11, 0x22, 0x33, 0x48, 0x00, 0x01, 0x00, 0x05, 0xAA];
    let join = vec![0x00; 23]; // a join request: neither a beacon nor a data uplink
    let t = 1_774_800_100_000;
    let rx = vec![
        conc.rxpk(beacon.clone(), 904.6, datr, -101, 4.5, t),
        conc.rxpk(data.clone(), 904.6, datr, -88, 9.0, t + 10),
        conc.rxpk(join, 904.6, datr, -88, 9.0, t + 20),
    ];
    conc.push(rx.clone(), 3).await.unwrap();
    let pending = node.outbox.pending(10).await.unwrap();
    assert_eq!(pending.len(), 2);
    let bodies: Vec<ReportBody> = pending
        .iter()
        .map(|(id, w)| {
            let p = report::parse(w).unwrap();
            assert_eq!(&p.id, id);
            assert!(report::verify_signatures(std::slice::from_ref(&p))[0]);
            p.body
        })
        .collect();
    let w = bodies.iter().find_map(|b| match b {
        ReportBody::Witness(w) => Some(w.clone()),
        _ => None,
    });
    let w = w.expect("witness report");
    assert_eq!(
        (w.rssi_dbm_x10, w.snr_db_x10, w.frequency_hz, w.timestamp_ms),
        (-1010, 45, 904_600_000, t)
    );
    assert_eq!(w.payload, beacon);
    let d = bodies.iter().find_map(|b| match b {
        ReportBody::Data(d) => Some(d.clone()),
        _ => None,
    });
    let d = d.expect("data report");
    assert_eq!(
        (d.devaddr, d.payload_len, d.timestamp_ms),
        (0x4833_2211, 10, t + 10)
    );
    // The forwarder resends the same PUSH_DATA: same reports, nothing new queued.
    conc.push(rx, 3).await.unwrap();
    assert_eq!(node.outbox.len().await.unwrap(), 2);
}

#[tokio::test]
async fn beacon_goes_out_through_the_forwarder_and_is_queued() {
    let (node, _conc, air) = hotspot("node-beacon").await;
    let entropy = [5u8; 32];
    let payload = node.beacon_with(entropy).await.unwrap();
    assert_eq!(
        payload,
        report::beacon_payload(&entropy, &node.device()).to_vec()
    );
    let sent = air.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].payload, payload);
    assert!((sent[0].freq_mhz - 904.6).abs() < 1e-9 && sent[0].power_dbm == 27.0);
    let pending = node.outbox.pending(10).await.unwrap();
    assert!(matches!(
        report::parse(&pending[0].1).unwrap().body,
        ReportBody::Beacon(_)
    ));
}

#[tokio::test]
async fn beacons_without_a_forwarder_fail_cleanly() {
    let dir = common::temp_dir("node-noforwarder");
    let gw = Gateway::bind("127.0.0.1:0").await.unwrap();
    let node = Hotspot::new(
        signing_key(&Keypair::new()),
        HotspotSettings::from_config(&lattice_migrations::config::NodeConfig::default()).unwrap(),
        Outbox::open(&dir.join("o.db")).await.unwrap(),
        gw,
        OracleClient::new("http://127.0.0.1:9").unwrap(),
        Clock::manual(0),
    );
    let err = node.beacon_with([1u8; 32]).await.unwrap_err();
    assert!(
        format!("{err:#}").contains("no packet forwarder connected"),
        "{err:#}"
    );
    assert!(node.outbox.is_empty().await.unwrap());
}

#[test]
fn beacon_schedule_stays_inside_the_beacon_slot() {
    let slot = lattice_poc_core::hour::BEACON_SLOT_SECONDS * 1_000;
    for now in [0i64, 1_000, 1_800_000, 3_479_999, 3_480_000, 3_599_999] {
        for per_hour in [1u32, 2, 6] {
            let at = now + next_beacon_delay(now, per_hour).as_millis() as i64;
            assert!(at > now, "{now} {per_hour}");
            assert!(at.rem_euclid(3_600_000) < slot, "{now} {per_hour} → {at}");
        }
    }
}

#[test]
fn settings_refuse_bad_values() {
    use lattice_migrations::config::NodeConfig;
    let bad = [
        NodeConfig {
            region: "XX".into(),
            ..Default::default()
        },
        NodeConfig {
            beacon_frequency_hz: 868_100_000, // EU frequency under US915
            ..Default::default()
        },
        NodeConfig {
            beacon_datarate: "SF99".into(),
            ..Default::default()
        },
        NodeConfig {
            upload_batch: 0,
            ..Default::default()
        },
    ];
    for c in bad {
        assert!(HotspotSettings::from_config(&c).is_err(), "{c:?}");
    }
}
