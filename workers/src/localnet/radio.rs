//! The localnet's radio: simulated LoRa concentrators speaking the real Semtech UDP
//! packet-forwarder protocol to each hotspot worker on loopback, and a propagation model
//! deciding who hears whom.
//!
//! Propagation is a log-distance path-loss model anchored on free space:
//! `PL(d) = FSPL(d, f) + 10·(n − 2)·log10(max(d, d₀)/d₀) + X`, with path-loss exponent `n`
//! ([`RadioModel::exponent`], 3.0 is suburban), reference distance `d₀` and an extra
//! shadowing loss `X` uniform in `[0, shadowing_db]`. Real links are never better than free
//! space, so an honest witness always passes the oracle's FSPL plausibility rule; a packet is
//! heard when `P_tx + G_tx + G_rx − PL ≥ sensitivity`, with SNR `RSSI − noise floor`.

use anyhow::{anyhow, Result};
use lattice_poc_core::{fspl_db, EARTH_RADIUS_KM};
use semtech_udp::{
    pull_data,
    push_data::{self, RxPk, RxPkV1, CRC},
    CodingRate, DataRate, MacAddress, Modulation, Packet, SerializablePacket as _, Up,
};
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{
        atomic::{AtomicU16, AtomicU32, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};
use tokio::{net::UdpSocket, sync::oneshot};

/// A packet a concentrator was asked to transmit.
#[derive(Debug, Clone)]
pub struct Transmission {
    /// Index of the transmitting concentrator.
    pub from: usize,
    /// PHY payload.
    pub payload: Vec<u8>,
    /// Frequency, MHz.
    pub freq_mhz: f64,
    /// Conducted power, dBm.
    pub power_dbm: f64,
    /// Data rate.
    pub datr: DataRate,
}

/// The simulated packet forwarder of one hotspot's concentrator.
pub struct Concentrator {
    index: usize,
    socket: Arc<UdpSocket>,
    gateway: SocketAddr,
    mac: MacAddress,
    token: AtomicU16,
    tmst: AtomicU32,
    acks: Mutex<HashMap<u16, oneshot::Sender<()>>>,
    air: Arc<Mutex<Vec<Transmission>>>,
    /// Added to every RSSI it reports (a tampered forwarder; 0 for honest ones).
    pub rssi_offset_db: i32,
}

impl Concentrator {
    /// Bind a loopback socket for the forwarder of concentrator `index`, talking to `gateway`;
    /// downlinks it is asked to send go to `air`.
    pub async fn start(
        index: usize,
        gateway: SocketAddr,
        air: Arc<Mutex<Vec<Transmission>>>,
        rssi_offset_db: i32,
    ) -> Result<Arc<Self>> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let mut mac = [0u8; 8];
        mac[..4].copy_from_slice(b"LTCS");
        mac[4..].copy_from_slice(&u32::try_from(index).unwrap_or(u32::MAX).to_be_bytes());
        let c = Arc::new(Self {
            index,
            socket: Arc::new(socket),
            gateway,
            mac: MacAddress::from(mac),
            token: AtomicU16::new(1),
            tmst: AtomicU32::new(0),
            acks: Mutex::new(HashMap::new()),
            air,
            rssi_offset_db,
        });
        tokio::spawn(c.clone().receive());
        // Announce ourselves (PULL_DATA) until the gateway answers a downlink path.
        c.send(Packet::Up(Up::PullData(pull_data::Packet {
            random_token: c.next_token(),
            gateway_mac: c.mac,
        })))
        .await?;
        Ok(c)
    }

    fn next_token(&self) -> u16 {
        self.token.fetch_add(1, Ordering::Relaxed)
    }

    async fn send(&self, p: Packet) -> Result<()> {
        let mut buf = vec![0u8; 65_535];
        let n = p.serialize(&mut buf).map_err(|e| anyhow!("{e}"))?;
        self.socket
            .send_to(&buf[..usize::try_from(n)?], self.gateway)
            .await?;
        Ok(())
    }

    /// Send PULL_DATA (the keep-alive that opens the downlink path).
    pub async fn keepalive(&self) -> Result<()> {
        self.send(Packet::Up(Up::PullData(pull_data::Packet {
            random_token: self.next_token(),
            gateway_mac: self.mac,
        })))
        .await
    }

    async fn receive(self: Arc<Self>) {
        let mut buf = vec![0u8; 65_535];
        loop {
            let Ok((n, _)) = self.socket.recv_from(&mut buf).await else {
                return;
            };
            let Ok(down) = Packet::parse_downlink(&buf[..n]) else {
                continue;
            };
            match down {
                semtech_udp::Down::PushAck(a) => {
                    if let Ok(mut acks) = self.acks.lock() {
                        if let Some(tx) = acks.remove(&a.random_token) {
                            let _ = tx.send(());
                        }
                    }
                }
                semtech_udp::Down::PullAck(_) => {}
                semtech_udp::Down::PullResp(p) => {
                    let t = &p.data.txpk;
                    if let Ok(mut air) = self.air.lock() {
                        air.push(Transmission {
                            from: self.index,
                            payload: t.data.data().to_vec(),
                            freq_mhz: t.freq,
                            power_dbm: t.powe as f64,
                            datr: t.datr,
                        });
                    }
                    let ack = p.into_ack_for_gateway(self.mac);
                    let _ = self.send(Packet::Up(Up::TxAck(ack))).await;
                }
            }
        }
    }

    /// Deliver received packets in one PUSH_DATA and wait for the PUSH_ACK, resending (same
    /// packets) up to `attempts` times. Errors if never acknowledged.
    pub async fn push(&self, rxpks: Vec<RxPk>, attempts: u32) -> Result<()> {
        self.push_with_timeout(rxpks, attempts, Duration::from_millis(2_000))
            .await
    }

    /// [`Concentrator::push`] with a chosen wait per attempt.
    pub async fn push_with_timeout(
        &self,
        rxpks: Vec<RxPk>,
        attempts: u32,
        timeout: Duration,
    ) -> Result<()> {
        for _ in 0..attempts.max(1) {
            let token = self.next_token();
            let (tx, rx) = oneshot::channel();
            if let Ok(mut acks) = self.acks.lock() {
                acks.insert(token, tx);
            }
            self.send(Packet::Up(Up::PushData(push_data::Packet {
                random_token: token,
                gateway_mac: self.mac,
                data: push_data::Data {
                    rxpk: Some(rxpks.clone()),
                    stat: None,
                },
            })))
            .await?;
            if tokio::time::timeout(timeout, rx).await.is_ok() {
                return Ok(());
            }
            if let Ok(mut acks) = self.acks.lock() {
                acks.remove(&token);
            }
        }
        Err(anyhow!(
            "concentrator {}: PUSH_DATA never acknowledged",
            self.index
        ))
    }

    /// A received packet as this concentrator reports it.
    pub fn rxpk(
        &self,
        payload: Vec<u8>,
        freq_mhz: f64,
        datr: DataRate,
        rssi: i32,
        snr: f32,
        time_ms: i64,
    ) -> RxPk {
        let tmst = self.tmst.fetch_add(1_000, Ordering::Relaxed);
        RxPk::V1(RxPkV1 {
            chan: 0,
            codr: Some(CodingRate::_4_5),
            size: payload.len() as u64,
            data: payload,
            datr,
            freq: freq_mhz,
            lsnr: snr,
            modu: Modulation::LORA,
            rfch: 0,
            rssi: rssi.saturating_add(self.rssi_offset_db),
            rssis: Some(rssi.saturating_add(self.rssi_offset_db)),
            stat: CRC::OK,
            tmst,
            time: Some(crate::node::format_rx_time(time_ms)),
        })
    }
}

/// Propagation parameters.
#[derive(Debug, Clone, Copy)]
pub struct RadioModel {
    /// Path-loss exponent beyond the reference distance (2 = free space).
    pub exponent: f64,
    /// Reference distance, km.
    pub reference_km: f64,
    /// Extra shadowing loss, uniform in `[0, shadowing_db]`.
    pub shadowing_db: f64,
    /// Receiver sensitivity, dBm.
    pub sensitivity_dbm: f64,
    /// Noise floor (125 kHz, 6 dB noise figure), dBm.
    pub noise_floor_dbm: f64,
}

impl Default for RadioModel {
    fn default() -> Self {
        Self {
            exponent: 3.0,
            reference_km: 0.1,
            shadowing_db: 6.0,
            sensitivity_dbm: -130.0,
            noise_floor_dbm: -117.0,
        }
    }
}

impl RadioModel {
    /// Path loss in dB over `d_km` at `freq_hz`, with shadowing `u·shadowing_db` (`u ∈ [0,1)`).
    pub fn path_loss_db(&self, d_km: f64, freq_hz: u64, u: f64) -> f64 {
        let d = d_km.max(0.001);
        let excess =
            10.0 * (self.exponent - 2.0) * (d.max(self.reference_km) / self.reference_km).log10();
        fspl_db(d, freq_hz) + excess + u * self.shadowing_db
    }

    /// RSSI and SNR of a link, or `None` when it is below sensitivity.
    #[allow(clippy::too_many_arguments)]
    pub fn link(
        &self,
        tx_dbm: f64,
        tx_gain_dbi: f64,
        rx_gain_dbi: f64,
        from: (f64, f64),
        to: (f64, f64),
        freq_hz: u64,
        u: f64,
    ) -> Option<(i32, f32)> {
        let d = distance_km_latlng(from, to);
        let rssi = tx_dbm + tx_gain_dbi + rx_gain_dbi - self.path_loss_db(d, freq_hz, u);
        if rssi < self.sensitivity_dbm {
            return None;
        }
        let snr = (rssi - self.noise_floor_dbm).clamp(-20.0, 14.0);
        // Round RSSI down (never report a stronger signal than the model gives).
        Some((rssi.floor() as i32, (snr * 10.0).round() as f32 / 10.0))
    }
}

/// Great-circle distance between two (lat, lng) points in degrees, km.
pub fn distance_km_latlng(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlng = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}
