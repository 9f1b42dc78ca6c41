//! The Semtech UDP packet-forwarder protocol, server side: what a LoRa concentrator's packet
//! forwarder talks to (PUSH_DATA / PUSH_ACK uplinks, PULL_DATA / PULL_ACK keep-alives,
//! PULL_RESP downlinks answered by TX_ACK).
//!
//! Packet encoding and parsing are the `semtech-udp` crate's. The socket loop is ours rather than
//! the crate's `server_runtime` because the runtime acknowledges PUSH_DATA as soon as it arrives;
//! here the acknowledgement is sent only after the uplink's reports are committed to the outbox,
//! so a packet the forwarder saw acknowledged is never lost by a crash.

use anyhow::{anyhow, Context as _, Result};
use semtech_udp::{
    pull_resp::{self, TxPk},
    push_data::RxPk,
    MacAddress, Packet, SerializablePacket as _, Up,
};
use std::{
    collections::HashMap,
    future::Future,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::{net::UdpSocket, sync::oneshot};

const MAX_DATAGRAM: usize = 65_535;

/// Result of a downlink: `Ok` when the forwarder acknowledged it.
type TxResult = std::result::Result<(), String>;

#[derive(Default)]
struct State {
    forwarder: Option<(SocketAddr, MacAddress)>,
    pending: HashMap<u16, oneshot::Sender<TxResult>>,
    next_token: u16,
}

/// The UDP endpoint of one concentrator.
pub struct Gateway {
    socket: Arc<UdpSocket>,
    state: Mutex<State>,
}

impl Gateway {
    /// Bind `addr`.
    pub async fn bind(addr: &str) -> Result<Arc<Self>> {
        let socket = UdpSocket::bind(addr)
            .await
            .with_context(|| format!("binding gateway UDP {addr}"))?;
        Ok(Arc::new(Self {
            socket: Arc::new(socket),
            state: Mutex::new(State::default()),
        }))
    }

    /// The bound address.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        Ok(self.socket.local_addr()?)
    }

    /// Whether a packet forwarder has connected (sent PULL_DATA).
    pub fn connected(&self) -> bool {
        self.state
            .lock()
            .map(|s| s.forwarder.is_some())
            .unwrap_or(false)
    }

    async fn send(&self, packet: Packet, to: SocketAddr) -> Result<()> {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        let n = packet.serialize(&mut buf).map_err(|e| anyhow!("{e}"))?;
        let n = usize::try_from(n)?;
        self.socket.send_to(&buf[..n], to).await?;
        Ok(())
    }

    /// Transmit `txpk` through the connected forwarder and wait (up to `timeout`) for its TX_ACK.
    pub async fn transmit(&self, txpk: TxPk, timeout: Duration) -> Result<()> {
        let (tx, rx) = oneshot::channel();
        let (to, token) = {
            let mut s = self
                .state
                .lock()
                .map_err(|_| anyhow!("gateway state poisoned"))?;
            let (to, _) = s
                .forwarder
                .ok_or_else(|| anyhow!("no packet forwarder connected"))?;
            s.next_token = s.next_token.wrapping_add(1);
            let token = s.next_token;
            s.pending.insert(token, tx);
            (to, token)
        };
        let packet = pull_resp::Packet {
            random_token: token,
            data: pull_resp::Data::from_txpk(txpk),
        };
        self.send(
            Packet::Down(semtech_udp::Down::PullResp(Box::new(packet))),
            to,
        )
        .await?;
        let result = tokio::time::timeout(timeout, rx).await;
        if let Ok(mut s) = self.state.lock() {
            s.pending.remove(&token);
        }
        match result {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(anyhow!("forwarder refused the downlink: {e}")),
            Ok(Err(_)) => Err(anyhow!("downlink dropped")),
            Err(_) => Err(anyhow!("no TX_ACK within {timeout:?}")),
        }
    }

    /// Serve the forwarder until `stop`: keep-alives are answered at once; each PUSH_DATA's
    /// packets go to `on_uplink`, and the PUSH_ACK is sent only if it succeeds.
    pub async fn run<F, Fut>(
        self: Arc<Self>,
        on_uplink: F,
        stop: tokio_util::sync::CancellationToken,
    ) -> Result<()>
    where
        F: Fn(Vec<RxPk>) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        loop {
            let (n, src) = tokio::select! {
                () = stop.cancelled() => return Ok(()),
                r = self.socket.recv_from(&mut buf) => r?,
            };
            let up = match Packet::parse_uplink(&buf[..n]) {
                Ok(up) => up,
                Err(e) => {
                    metrics::counter!("lattice_node_gateway_bad_frames_total").increment(1);
                    tracing::debug!(error = %e, %src, "unparseable UDP frame");
                    continue;
                }
            };
            match up {
                Up::PullData(p) => {
                    if let Ok(mut s) = self.state.lock() {
                        s.forwarder = Some((src, p.gateway_mac));
                    }
                    self.send(Packet::Down(semtech_udp::Down::PullAck(p.into_ack())), src)
                        .await?;
                }
                Up::TxAck(t) => {
                    let result = t.get_result().map(|_| ()).map_err(|e| e.to_string());
                    if let Ok(mut s) = self.state.lock() {
                        if let Some(tx) = s.pending.remove(&t.random_token) {
                            let _ = tx.send(result);
                        }
                    }
                }
                Up::PushData(p) => {
                    let rxpks = p.data.rxpk.clone().unwrap_or_default();
                    match on_uplink(rxpks).await {
                        Ok(()) => {
                            self.send(Packet::Down(semtech_udp::Down::PushAck(p.into_ack())), src)
                                .await?;
                        }
                        Err(e) => {
                            // No ACK: the forwarder may resend; nothing was acknowledged.
                            tracing::warn!(error = %e, "could not store uplink; not acknowledged");
                        }
                    }
                }
            }
        }
    }
}
