//! The node worker (`lattice node run`), hotspot mode.
//!
//! * [`gateway`]: the Semtech UDP packet-forwarder protocol towards the LoRa concentrator.
//! * [`outbox`]: the durable outbox.
//! * [`client`]: the oracle's HTTP API.
//!
//! A hotspot turns every uplink its concentrator hears into a signed report: a received beacon
//! becomes a witness report, a LoRaWAN data uplink a data report. Reports are committed to the
//! outbox before the forwarder gets its PUSH_ACK, and uploaded in batches; the report body is
//! derived only from what the concentrator reported (including its reception time), so a
//! packet delivered twice gives the same report id and is stored and paid once. Beacons are
//! transmitted at a random second of each hour's beacon slot, with a payload derived from the
//! latest chain entropy the oracle recorded.

pub mod client;
pub mod gateway;
pub mod outbox;

use crate::oracle::Clock;
use anyhow::{anyhow, Context as _, Result};
use ed25519_dalek::SigningKey;
use lattice_poc_core::{
    report::{
        beacon_payload, is_beacon_payload, lorawan_devaddr, BeaconReport, DataReport, ReportBody,
        WitnessReport,
    },
    Region,
};
use semtech_udp::{
    pull_resp::{PhyData, Time, TxPk},
    push_data::{RxPk, CRC},
    DataRate, Modulation,
};
use sha2::{Digest as _, Sha256};
use std::{str::FromStr as _, sync::Arc, time::Duration};

/// Hotspot settings (from `[node]` in app-config).
#[derive(Debug, Clone)]
pub struct HotspotSettings {
    /// Regional plan.
    pub region: Region,
    /// Beacon frequency, Hz.
    pub beacon_frequency_hz: u64,
    /// Beacon data rate.
    pub beacon_datarate: DataRate,
    /// Conducted transmit power, dBm.
    pub tx_power_dbm: i8,
    /// Beacons per hour.
    pub beacons_per_hour: u32,
    /// Upload period.
    pub upload_interval: Duration,
    /// Reports per upload.
    pub upload_batch: usize,
}

impl HotspotSettings {
    /// From the config section.
    pub fn from_config(c: &lattice_migrations::config::NodeConfig) -> Result<Self> {
        let region = Region::from_name(&c.region).ok_or_else(|| {
            anyhow!(
                "node.region {:?}: use US915, EU868, AS923_1 or AU915",
                c.region
            )
        })?;
        anyhow::ensure!(
            region.contains(c.beacon_frequency_hz),
            "node.beacon_frequency_hz {} is outside {}",
            c.beacon_frequency_hz,
            region.as_str()
        );
        let beacon_datarate = DataRate::from_str(&c.beacon_datarate)
            .map_err(|e| anyhow!("node.beacon_datarate {:?}: {e}", c.beacon_datarate))?;
        anyhow::ensure!(c.upload_batch > 0, "node.upload_batch must be positive");
        Ok(Self {
            region,
            beacon_frequency_hz: c.beacon_frequency_hz,
            beacon_datarate,
            tx_power_dbm: c.tx_power_dbm,
            beacons_per_hour: c.beacons_per_hour,
            upload_interval: c.upload_interval,
            upload_batch: c
                .upload_batch
                .min(lattice_poc_core::report::MAX_BATCH_REPORTS),
        })
    }
}

/// The ed25519 key of a Solana keypair (the device key).
pub fn signing_key(kp: &lattice_sdk::solana::Keypair) -> SigningKey {
    SigningKey::from_bytes(kp.secret_bytes())
}

/// Reception time of an uplink, Unix ms: the concentrator's `time` when it reports one,
/// otherwise `fallback_ms`.
pub fn rx_time_ms(rxpk: &RxPk, fallback_ms: i64) -> i64 {
    rxpk.time()
        .as_deref()
        .and_then(|t| humantime::parse_rfc3339_weak(t.trim_end_matches('Z')).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .unwrap_or(fallback_ms)
}

/// Unix ms as the forwarder's ISO 8601 `time` string.
pub fn format_rx_time(unix_ms: i64) -> String {
    let t = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(unix_ms).unwrap_or(0));
    humantime::format_rfc3339_millis(t).to_string()
}

/// One hotspot: its key, outbox, concentrator and oracle.
pub struct Hotspot {
    key: SigningKey,
    settings: HotspotSettings,
    /// The durable outbox.
    pub outbox: outbox::Outbox,
    /// The concentrator link.
    pub gateway: Arc<gateway::Gateway>,
    /// The oracle.
    pub client: client::OracleClient,
    clock: Clock,
}

impl Hotspot {
    /// Assemble a hotspot.
    pub fn new(
        key: SigningKey,
        settings: HotspotSettings,
        outbox: outbox::Outbox,
        gateway: Arc<gateway::Gateway>,
        client: client::OracleClient,
        clock: Clock,
    ) -> Self {
        Self {
            key,
            settings,
            outbox,
            gateway,
            client,
            clock,
        }
    }

    /// Open a hotspot from its `[node]` settings: outbox, gateway socket, oracle client.
    pub async fn open(
        c: &lattice_migrations::config::NodeConfig,
        device: &lattice_sdk::solana::Keypair,
    ) -> Result<Arc<Self>> {
        let settings = HotspotSettings::from_config(c)?;
        let outbox = outbox::Outbox::open(std::path::Path::new(&c.outbox_path)).await?;
        let gateway = gateway::Gateway::bind(&c.gateway_listen).await?;
        let client = client::OracleClient::new(&c.oracle_url)?;
        Ok(Arc::new(Self::new(
            signing_key(device),
            settings,
            outbox,
            gateway,
            client,
            Clock::System,
        )))
    }

    /// The device key bytes.
    pub fn device(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// The signed reports for an uplink (beacons → witness reports, LoRaWAN data uplinks → data
    /// reports; packets with a bad CRC or of other kinds → none).
    pub fn reports_for(&self, rxpks: &[RxPk], now_ms: i64) -> Vec<([u8; 32], Vec<u8>)> {
        let hotspot = self.device();
        let region = self.settings.region.as_u8();
        let mut out = Vec::new();
        for rx in rxpks {
            if !matches!(rx.crc_status(), CRC::OK) {
                continue;
            }
            let data = rx.data();
            let ts = rx_time_ms(rx, now_ms);
            let frequency_hz = (rx.frequency() * 1e6).round() as u64;
            let body = if is_beacon_payload(data) {
                let rssi = rx.signal_rssi().unwrap_or_else(|| rx.channel_rssi());
                ReportBody::Witness(WitnessReport {
                    hotspot,
                    payload: data.clone(),
                    rssi_dbm_x10: i16::try_from(rssi.saturating_mul(10)).unwrap_or(i16::MIN),
                    snr_db_x10: (f64::from(rx.snr()) * 10.0).round() as i16,
                    frequency_hz,
                    region,
                    timestamp_ms: ts,
                    tmst: rx.timestamp(),
                })
            } else if let Some(devaddr) = lorawan_devaddr(data) {
                ReportBody::Data(DataReport {
                    hotspot,
                    devaddr,
                    payload_hash: Sha256::digest(data).into(),
                    payload_len: u32::try_from(data.len()).unwrap_or(u32::MAX),
                    frequency_hz,
                    timestamp_ms: ts,
                })
            } else {
                continue;
            };
            let wire = body.sign(&self.key);
            out.push((lattice_poc_core::report::report_id(&body.to_bytes()), wire));
        }
        out
    }

    /// Store an uplink's reports (the PUSH_ACK waits for this).
    pub async fn on_uplink(&self, rxpks: Vec<RxPk>) -> Result<()> {
        let now = self.clock.now_ms();
        let reports = self.reports_for(&rxpks, now);
        if !reports.is_empty() {
            let n = self.outbox.push(&reports, now).await?;
            metrics::counter!("lattice_node_reports_queued_total").increment(n);
        }
        Ok(())
    }

    /// Transmit one beacon with the oracle's latest entropy and queue its report. Returns the
    /// payload sent.
    pub async fn beacon(&self) -> Result<Vec<u8>> {
        let entropy = self.client.entropy().await.context("fetching entropy")?;
        self.beacon_with(entropy).await
    }

    /// Transmit one beacon derived from `entropy` and queue its report.
    pub async fn beacon_with(&self, entropy: [u8; 32]) -> Result<Vec<u8>> {
        let payload = beacon_payload(&entropy, &self.device()).to_vec();
        let txpk = TxPk {
            time: Time::immediate(),
            freq: self.settings.beacon_frequency_hz as f64 / 1e6,
            rfch: 0,
            powe: u64::try_from(self.settings.tx_power_dbm).unwrap_or(0),
            modu: Modulation::LORA,
            datr: self.settings.beacon_datarate,
            codr: Some(semtech_udp::CodingRate::_4_5),
            fdev: None,
            ipol: false,
            prea: Some(8),
            data: PhyData::new(payload.clone()),
            ncrc: None,
        };
        self.gateway
            .transmit(txpk, Duration::from_secs(5))
            .await
            .context("transmitting beacon")?;
        let body = ReportBody::Beacon(BeaconReport {
            hotspot: self.device(),
            entropy,
            payload: payload.clone(),
            frequency_hz: self.settings.beacon_frequency_hz,
            tx_power_dbm: self.settings.tx_power_dbm,
            region: self.settings.region.as_u8(),
            timestamp_ms: self.clock.now_ms(),
        });
        let wire = body.sign(&self.key);
        let id = lattice_poc_core::report::report_id(&body.to_bytes());
        self.outbox.push(&[(id, wire)], self.clock.now_ms()).await?;
        metrics::counter!("lattice_node_beacons_total").increment(1);
        Ok(payload)
    }

    /// Upload the outbox until it is empty or the oracle stops answering. Returns the reports
    /// answered.
    pub async fn flush(&self) -> Result<u64> {
        let mut answered = 0u64;
        loop {
            let batch = self.outbox.pending(self.settings.upload_batch).await?;
            if batch.is_empty() {
                return Ok(answered);
            }
            let wires: Vec<Vec<u8>> = batch.iter().map(|(_, w)| w.clone()).collect();
            let resp = self.client.post_reports(&wires).await?;
            anyhow::ensure!(
                resp.results.len() == batch.len(),
                "oracle answered {} results for {} reports",
                resp.results.len(),
                batch.len()
            );
            let settled: Vec<([u8; 32], String)> = batch
                .iter()
                .zip(resp.results)
                .map(|((id, _), r)| (*id, r))
                .collect();
            for (_, r) in &settled {
                if r != "accepted" && r != "duplicate" {
                    tracing::warn!(outcome = %r, "oracle rejected a report");
                }
            }
            self.outbox.settle(&settled, self.clock.now_ms()).await?;
            answered += settled.len() as u64;
        }
    }

    /// Run until `stop`: serve the concentrator, beacon on schedule, upload periodically.
    pub async fn run(self: Arc<Self>, stop: tokio_util::sync::CancellationToken) -> Result<()> {
        let gw = self.gateway.clone();
        let me = self.clone();
        let gw_stop = stop.clone();
        let gateway = tokio::spawn(async move {
            gw.run(
                move |rx| {
                    let me = me.clone();
                    async move { me.on_uplink(rx).await }
                },
                gw_stop,
            )
            .await
        });
        let me = self.clone();
        let up_stop = stop.clone();
        let uploader = tokio::spawn(async move {
            let mut backoff = me.settings.upload_interval;
            loop {
                let wait = match me.flush().await {
                    Ok(_) => {
                        backoff = me.settings.upload_interval;
                        me.settings.upload_interval
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "upload failed; will retry");
                        backoff = (backoff * 2).min(Duration::from_secs(60));
                        backoff
                    }
                };
                tokio::select! {
                    () = up_stop.cancelled() => return,
                    () = tokio::time::sleep(wait) => {}
                }
            }
        });
        let me = self.clone();
        let beacon_stop = stop.clone();
        let beacons = tokio::spawn(async move {
            if me.settings.beacons_per_hour == 0 {
                return;
            }
            loop {
                let wait = next_beacon_delay(me.clock.now_ms(), me.settings.beacons_per_hour);
                tokio::select! {
                    () = beacon_stop.cancelled() => return,
                    () = tokio::time::sleep(wait) => {}
                }
                match me.beacon().await {
                    Ok(_) => tracing::info!("beacon sent"),
                    Err(e) => tracing::warn!(error = %e, "beacon failed"),
                }
            }
        });
        stop.cancelled().await;
        let _ = uploader.await;
        let _ = beacons.await;
        gateway.await.map_err(|e| anyhow!("gateway task: {e}"))?
    }
}

/// Delay until the next beacon: a uniformly random second of the current hour's beacon slot,
/// split into `per_hour` equal sub-slots (the next sub-slot not yet started).
pub fn next_beacon_delay(now_ms: i64, per_hour: u32) -> Duration {
    use rand::Rng as _;
    let per_hour = i64::from(per_hour.max(1));
    let slot_ms = lattice_poc_core::hour::BEACON_SLOT_SECONDS * 1_000 / per_hour;
    let hour_ms = 3_600_000i64;
    let into_hour = now_ms.rem_euclid(hour_ms);
    let next_sub = (into_hour / slot_ms) + 1;
    let start = if next_sub >= per_hour {
        hour_ms - into_hour
    } else {
        next_sub * slot_ms - into_hour
    };
    let jitter = rand::thread_rng().gen_range(0..slot_ms.max(1));
    Duration::from_millis(u64::try_from(start + jitter).unwrap_or(0))
}

/// The table `lattice node rewards` prints.
pub fn render_rewards(r: &crate::oracle::api::RewardsResponse) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "device {} (hours since {})", r.device, r.since_hour);
    let _ = writeln!(
        out,
        "{:>8} {:>8} {:>9} {:>10} {:>12}",
        "hour", "beacons", "witnesses", "DC", "share %"
    );
    for h in &r.hours {
        let _ = writeln!(
            out,
            "{:>8} {:>8} {:>9} {:>10} {:>12.6}",
            h.hour,
            h.beacons,
            h.witnesses,
            h.dc,
            h.share as f64 / 1e10
        );
    }
    if r.hours.is_empty() {
        let _ = writeln!(out, "(no rewarded hours)");
    }
    let _ = writeln!(out, "rejected reports: {}", r.rejections.len());
    for x in &r.rejections {
        let _ = writeln!(out, "{:>8} {:<8} {:<24} {}", x.hour, x.kind, x.reason, x.id);
    }
    out
}
