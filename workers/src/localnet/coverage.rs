//! Proof of coverage in the localnet: one hotspot worker per registered hotspot, each behind a
//! simulated concentrator on loopback UDP, the oracle serving HTTP on loopback, and the radio
//! model deciding who hears which beacon. About one hotspot in ten is adversarial.

use super::{
    network::Network,
    radio::{Concentrator, RadioModel, Transmission},
};
use crate::{
    node::{
        client::OracleClient, gateway::Gateway, outbox::Outbox, signing_key, Hotspot,
        HotspotSettings,
    },
    oracle::{api, Clock, DaoKeys, Oracle},
};
use anyhow::{Context as _, Result};
use lattice_poc_core::hour::dc_for_packet;
use lattice_sdk::{embedded::EmbeddedChain, solana::Signer as _};
use serde::Serialize;
use std::{
    collections::BTreeMap,
    path::PathBuf,
    sync::{Arc, Mutex},
};
use tokio_util::sync::CancellationToken;

/// How an adversarial hotspot cheats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Behavior {
    /// Plays by the rules.
    Honest,
    /// Asserts a location far from where it is.
    SpoofedLocation,
    /// Its packet forwarder reports every RSSI 35 dB stronger than received.
    InflatedRssi,
    /// Re-broadcasts beacons built on entropy from hours ago.
    ReplayedBeacons,
    /// Reports hearing its own beacons.
    SelfWitness,
}

impl Behavior {
    const CHEATS: [Behavior; 4] = [
        Behavior::SpoofedLocation,
        Behavior::InflatedRssi,
        Behavior::ReplayedBeacons,
        Behavior::SelfWitness,
    ];

    /// The behaviour of hotspot `i`: every tenth hotspot (indices 9, 19, 29, …) cheats, cycling
    /// through the cheats.
    pub fn of(i: usize) -> Self {
        if i % 10 == 9 {
            Self::CHEATS[(i / 10) % Self::CHEATS.len()]
        } else {
            Behavior::Honest
        }
    }
}

/// Indices of hotspots that spoof their location, among `n`.
pub fn spoofed_indices(n: usize) -> Vec<usize> {
    (0..n)
        .filter(|i| Behavior::of(*i) == Behavior::SpoofedLocation)
        .collect()
}

/// Bytes of each simulated device uplink (10 DC at 24 bytes per DC).
pub const PACKET_BYTES: usize = 240;
/// Share of uplinks heard by a second hotspot too (paid once).
const DOUBLE_HEARD: f64 = 0.05;
/// DevAddr block routed to the coverage escrow payer.
const DEVADDR_BASE: u32 = 0x4800_0000;

struct SimHotspot {
    node: Arc<Hotspot>,
    conc: Arc<Concentrator>,
    behavior: Behavior,
    true_pos: (f64, f64),
    gain_dbi: f64,
}

/// One settled hour in the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageHour {
    /// The oracle's summary of the hour.
    #[serde(flatten)]
    pub summary: crate::oracle::store::HourSummary,
    /// Hotspots with a share.
    pub hotspots_rewarded: u64,
    /// Sum of shares (10¹² = the whole hour).
    pub share_sum: u64,
    /// Shares of adversarial hotspots (10¹² = the whole hour).
    pub adversary_share_sum: u64,
}

/// The `coverage` section of the localnet report.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CoverageReport {
    /// Hotspot workers run.
    pub hotspots: usize,
    /// Adversarial hotspots by behaviour (device keys).
    pub adversaries: BTreeMap<String, Vec<String>>,
    /// Reports the oracle accepted (stored).
    pub reports_received: u64,
    /// Ingest outcomes (accepted, duplicate, …).
    pub ingest: BTreeMap<String, u64>,
    /// Valid reports over settled hours (beacons + witnesses + packets).
    pub valid: u64,
    /// Rejections by reason over settled hours.
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Rejections of adversarial hotspots' reports, by behaviour and reason.
    pub adversary_rejections: BTreeMap<String, BTreeMap<String, u64>>,
    /// Rejections of honest hotspots' reports, by reason.
    pub honest_rejections: BTreeMap<String, u64>,
    /// DC the oracle burned for carried packets.
    pub dc_burned: u64,
    /// Settled hours.
    pub shares_per_hour: Vec<CoverageHour>,
    /// The oracle's latest cumulative-reward tree (issued and settled hours).
    pub rewards: Option<crate::oracle::api::RootResponse>,
    /// Devices whose `GET /v1/proof/{device}` answer verified against that root.
    pub proofs_verified: u64,
    /// Roots posted, finalized and claimed on chain.
    pub settlement: Option<RewardsReport>,
}

/// The running proof-of-coverage simulation.
pub struct CoverageSim {
    oracle: Arc<Oracle<EmbeddedChain>>,
    clock: Clock,
    hotspots: Vec<SimHotspot>,
    air: Arc<Mutex<Vec<Transmission>>>,
    model: RadioModel,
    rng: super::network::Rng,
    dir: PathBuf,
    stop: CancellationToken,
    first_hour: u64,
    entropy_history: Vec<[u8; 32]>,
    frequency_hz: u64,
    packet_counter: u64,
    /// Every reward oracle (the first is the PoC oracle itself).
    reward_oracles: Vec<Arc<Oracle<EmbeddedChain>>>,
    operator: lattice_sdk::solana::Keypair,
    rewards_keys: lattice_sdk::rewards::RewardsKeys,
    send: lattice_sdk::send::SendOptions,
    chain: EmbeddedChain,
    settlement: RewardsReport,
    claimed_epoch: u64,
}

/// Reward settlement in the localnet.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RewardsReport {
    /// Oracles in the set.
    pub oracles: usize,
    /// Identical roots needed.
    pub threshold: u8,
    /// Index of the lying oracle, if any.
    pub faulty_oracle: Option<usize>,
    /// Epochs whose root became final on chain.
    pub roots_finalized: u64,
    /// The final epoch, root (hex) and total on chain at the end.
    pub final_epoch: u64,
    /// Final root, hex.
    pub final_root: String,
    /// Final total, sub-DAO token base units.
    pub final_total: u64,
    /// Posts sent (all oracles) and their bytes.
    pub post_transactions: u64,
    /// Bytes of all posts.
    pub post_bytes: u64,
    /// Posts the program refused or that failed.
    pub posts_refused: u64,
    /// Hours settled (roots posted for).
    pub hours_settled: u64,
    /// Claim transactions and bytes (bulk claims by the hotspots' owner).
    pub claim_transactions: u64,
    /// Bytes of all claim transactions.
    pub claim_bytes: u64,
    /// Claims made.
    pub claims: u64,
    /// Earned (final cumulative) and claimed (on chain), by device class.
    pub earned_by_class: BTreeMap<String, u64>,
    /// Claimed on chain, by device class.
    pub claimed_by_class: BTreeMap<String, u64>,
}

impl CoverageSim {
    /// Start the oracle and one worker plus concentrator per hotspot of `net`.
    pub async fn start(
        chain: EmbeddedChain,
        cfg: &lattice_migrations::LatticeConfig,
        net: &Network,
        main_mint: &lattice_sdk::solana::Pubkey,
        first_hour: u64,
        options: &super::LocalnetOptions,
    ) -> Result<Self> {
        let (oracles, threshold, faulty_oracle) =
            (options.oracles, options.threshold, options.faulty_oracle);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("lattice-localnet-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let clock = Clock::manual(lattice_math::epoch::hour_start(first_hour) * 1_000);
        let payer = net
            .escrow_payer(&cfg.registry.coverage_sub_dao)
            .context("coverage escrow payer")?;
        let mut ocfg = cfg.oracle.clone();
        ocfg.database_url = format!("sqlite://{}", dir.join("oracle.db").display());
        ocfg.archive_url = dir.join("archive").display().to_string();
        ocfg.settle_grace = std::time::Duration::ZERO;
        ocfg.routes = vec![format!(
            "{:08X}-{:08X}={payer}",
            DEVADDR_BASE,
            DEVADDR_BASE | 0x00FF_FFFF
        )];
        let dao = lattice_sdk::pda::dao(main_mint);
        let keys = DaoKeys {
            dao,
            coverage_sub_dao: lattice_sdk::pda::sub_dao(&dao, &cfg.registry.coverage_sub_dao),
        };
        let oracle = Oracle::new(
            chain.clone(),
            &ocfg,
            u32::try_from(cfg.data_credits.bytes_per_dc).unwrap_or(24),
            net.operator(),
            keys,
            clock.clone(),
            cfg.send_options(),
        )
        .await?;
        let stop = CancellationToken::new();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(crate::oracle::serve(oracle.clone(), listener, stop.clone()));

        // The other reward oracles: same settled hours (they read the PoC oracle's database),
        // their own keys, trees and archives.
        let operator = net.operator();
        let mut reward_oracles = vec![oracle.clone()];
        for i in 1..oracles.max(1) {
            let mut c = ocfg.clone();
            c.archive_url = dir.join(format!("archive-{i}")).display().to_string();
            let kp = lattice_sdk::solana::Keypair::new();
            chain.airdrop(&kp.pubkey(), 1_000_000_000).await?;
            let o = Oracle::new(
                chain.clone(),
                &c,
                u32::try_from(cfg.data_credits.bytes_per_dc).unwrap_or(24),
                kp,
                keys,
                clock.clone(),
                cfg.send_options(),
            )
            .await?;
            reward_oracles.push(o);
        }
        let faulty_index = faulty_oracle.then(|| 1.min(reward_oracles.len() - 1));
        if let Some(i) = faulty_index {
            reward_oracles[i]
                .faulty
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let keys_list: Vec<_> = reward_oracles.iter().map(|o| o.keypair.pubkey()).collect();
        let ix = lattice_sdk::rewards::set_oracles(
            &operator.pubkey(),
            &dao,
            &keys.coverage_sub_dao,
            keys_list,
            threshold,
        );
        lattice_sdk::send::send(&chain, &cfg.send_options(), &[ix], &operator, &[])
            .await
            .context("set_oracles")?;
        let sd: lattice_dao::SubDao = lattice_sdk::accounts::fetch(&chain, &keys.coverage_sub_dao)
            .await?
            .context("coverage sub-DAO")?;
        let rewards_keys = lattice_sdk::rewards::RewardsKeys {
            sub_dao: keys.coverage_sub_dao,
            rewards_mint: sd.mint,
            device_kind: lattice_rewards::DeviceKind::Hotspot,
        };
        let ata = lattice_sdk::token::create_associated_token_account(
            &operator.pubkey(),
            &operator.pubkey(),
            &sd.mint,
        );
        lattice_sdk::send::send(&chain, &cfg.send_options(), &[ata], &operator, &[])
            .await
            .context("operator's coverage-token account")?;

        let settings = HotspotSettings::from_config(&cfg.node)?;
        let air = Arc::new(Mutex::new(Vec::new()));
        let mut hotspots = Vec::with_capacity(net.hotspot_keys.len());
        for (i, kp) in net.hotspot_keys.iter().enumerate() {
            let behavior = Behavior::of(i);
            let outbox = Outbox::open(&dir.join(format!("outbox-{i}.db"))).await?;
            let gateway = Gateway::bind("127.0.0.1:0").await?;
            let gw_addr = gateway.local_addr()?;
            let node = Arc::new(Hotspot::new(
                signing_key(kp),
                settings.clone(),
                outbox,
                gateway.clone(),
                OracleClient::new(&url)?,
                clock.clone(),
            ));
            let n = node.clone();
            tokio::spawn(gateway.run(
                move |rx| {
                    let n = n.clone();
                    async move { n.on_uplink(rx).await }
                },
                stop.clone(),
            ));
            let offset = if behavior == Behavior::InflatedRssi {
                35
            } else {
                0
            };
            let conc = Concentrator::start(i, gw_addr, air.clone(), offset).await?;
            hotspots.push(SimHotspot {
                node,
                conc,
                behavior,
                true_pos: net.hotspot_true[i],
                gain_dbi: f64::from(net.hotspot_asserted[i].gain_dbi_x10) / 10.0,
            });
        }
        // Wait until every gateway has seen its forwarder's PULL_DATA (downlink path open).
        for _ in 0..200 {
            if hotspots.iter().all(|h| h.node.gateway.connected()) {
                break;
            }
            for h in &hotspots {
                if !h.node.gateway.connected() {
                    h.conc.keepalive().await?;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        anyhow::ensure!(
            hotspots.iter().all(|h| h.node.gateway.connected()),
            "a simulated concentrator never reached its hotspot worker"
        );
        Ok(Self {
            oracle,
            clock,
            hotspots,
            air,
            model: RadioModel::default(),
            rng: super::network::Rng::new(cfg.localnet.seed ^ 0xC0FE),
            dir,
            stop,
            first_hour,
            entropy_history: Vec::new(),
            frequency_hz: settings.beacon_frequency_hz,
            packet_counter: 0,
            settlement: RewardsReport {
                oracles: reward_oracles.len(),
                threshold,
                faulty_oracle: faulty_index,
                ..RewardsReport::default()
            },
            reward_oracles,
            operator,
            rewards_keys,
            send: cfg.send_options(),
            chain,
            claimed_epoch: 0,
        })
    }

    /// Settle every hour that has closed by `now_secs` (burning its packets' DC on chain).
    /// Returns the DC burned.
    pub async fn settle(&mut self, now_secs: i64) -> Result<u64> {
        self.clock.set_ms(now_secs * 1_000);
        let done = self.oracle.settle_due(self.first_hour).await?;
        Ok(done.iter().map(|s| s.dc_burned).sum())
    }

    /// DC the oracle will burn for `coverage_dc` of demand: packets of [`PACKET_BYTES`].
    pub fn packets_for(coverage_dc: u64, bytes_per_dc: u32) -> u64 {
        coverage_dc / dc_for_packet(PACKET_BYTES as u32, bytes_per_dc).max(1)
    }

    /// Simulate hour `hour`: record entropy, every hotspot beacons, the air delivers, devices
    /// send `packets` uplinks, every worker uploads its outbox.
    pub async fn run_hour(&mut self, hour: u64, packets: u64) -> Result<()> {
        let base = lattice_math::epoch::hour_start(hour) * 1_000;
        self.clock.set_ms(base + 60_000);
        let entropy = self.oracle.record_entropy().await?;
        self.entropy_history.push(entropy);
        for i in 0..self.hotspots.len() {
            let t = base + 300_000 + i64::try_from(i).unwrap_or(0) * 5_000;
            self.clock.set_ms(t);
            let h = &self.hotspots[i];
            let sent = if h.behavior == Behavior::ReplayedBeacons {
                // Old entropy: three hours ago when there is such, else made up.
                let old = match self.entropy_history.len() {
                    n if n >= 4 => self.entropy_history[n - 4],
                    _ => {
                        let mut e = [0u8; 32];
                        e[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
                        e
                    }
                };
                h.node.beacon_with(old).await
            } else {
                h.node.beacon().await
            };
            sent.with_context(|| format!("hotspot {i} beacon"))?;
            self.clock.set_ms(t + 250);
            self.deliver(t + 250).await?;
        }
        self.uplinks(base + 1_800_000, packets).await?;
        for (i, h) in self.hotspots.iter().enumerate() {
            h.node
                .flush()
                .await
                .with_context(|| format!("hotspot {i} upload"))?;
        }
        Ok(())
    }

    /// Deliver queued transmissions to every concentrator in range.
    async fn deliver(&mut self, time_ms: i64) -> Result<()> {
        let txs: Vec<Transmission> = self
            .air
            .lock()
            .map(|mut a| std::mem::take(&mut *a))
            .unwrap_or_default();
        for tx in txs {
            let from = &self.hotspots[tx.from];
            let (from_pos, from_gain, from_behavior) =
                (from.true_pos, from.gain_dbi, from.behavior);
            let freq_hz = (tx.freq_mhz * 1e6).round() as u64;
            for j in 0..self.hotspots.len() {
                let link = if j == tx.from {
                    // Only a self-witnessing forwarder "hears" its own transmission.
                    (from_behavior == Behavior::SelfWitness).then_some((-40, 9.5))
                } else {
                    let to = &self.hotspots[j];
                    let u = self.rng.unit();
                    self.model.link(
                        tx.power_dbm,
                        from_gain,
                        to.gain_dbi,
                        from_pos,
                        to.true_pos,
                        freq_hz,
                        u,
                    )
                };
                if let Some((rssi, snr)) = link {
                    let c = &self.hotspots[j].conc;
                    let rx = c.rxpk(tx.payload.clone(), tx.freq_mhz, tx.datr, rssi, snr, time_ms);
                    c.push(vec![rx], 5).await?;
                }
            }
        }
        Ok(())
    }

    /// `packets` device uplinks spread over the hotspots, each heard by one hotspot (and a few
    /// by a second one too), delivered in PUSH_DATA batches.
    async fn uplinks(&mut self, time_ms: i64, packets: u64) -> Result<()> {
        self.clock.set_ms(time_ms);
        let n = self.hotspots.len();
        if n == 0 {
            return Ok(());
        }
        let mut per_hotspot: Vec<Vec<semtech_udp::push_data::RxPk>> = vec![Vec::new(); n];
        let datr: semtech_udp::DataRate = "SF7BW125".parse().unwrap_or_default();
        let freq_mhz = self.frequency_hz as f64 / 1e6;
        for k in 0..packets {
            self.packet_counter += 1;
            let i = usize::try_from(k).unwrap_or(0) % n;
            let devaddr = DEVADDR_BASE | (u32::try_from(i).unwrap_or(0) << 8) | (k as u32 & 0xFF);
            let mut phy = vec![0u8; PACKET_BYTES];
            phy[0] = 0x40; // unconfirmed data up
            phy[1..5].copy_from_slice(&devaddr.to_le_bytes());
            phy[5..13].copy_from_slice(&self.packet_counter.to_le_bytes());
            let mut heard_by = vec![i];
            if self.rng.unit() < DOUBLE_HEARD && n > 1 {
                heard_by.push((i + 1) % n);
            }
            for (order, j) in heard_by.into_iter().enumerate() {
                let c = &self.hotspots[j].conc;
                let t = time_ms + i64::try_from(order).unwrap_or(0) * 20;
                per_hotspot[j].push(c.rxpk(phy.clone(), freq_mhz, datr, -95, 7.5, t));
            }
        }
        for (j, rxs) in per_hotspot.into_iter().enumerate() {
            for chunk in rxs.chunks(50) {
                self.hotspots[j].conc.push(chunk.to_vec(), 5).await?;
            }
        }
        Ok(())
    }

    /// The `coverage` report section.
    pub async fn report(&self) -> Result<CoverageReport> {
        let stats = api::stats(&self.oracle).await?;
        let mut r = CoverageReport {
            hotspots: self.hotspots.len(),
            reports_received: stats.stored_reports,
            ingest: stats.ingest.clone(),
            rejected_by_reason: stats.rejected_by_reason.clone(),
            ..CoverageReport::default()
        };
        let mut adversary_keys = std::collections::HashSet::new();
        for h in &self.hotspots {
            let key = h.node.device();
            let name = serde_json::to_value(h.behavior)?
                .as_str()
                .unwrap_or("unknown")
                .to_owned();
            let rejections = self.oracle.store.rejections_of(&key, 0).await?;
            if h.behavior == Behavior::Honest {
                for x in rejections {
                    *r.honest_rejections.entry(x.reason).or_insert(0) += 1;
                }
                continue;
            }
            adversary_keys.insert(key);
            r.adversaries
                .entry(name.clone())
                .or_default()
                .push(lattice_sdk::solana::Pubkey::new_from_array(key).to_string());
            let by_reason = r.adversary_rejections.entry(name).or_default();
            for x in rejections {
                *by_reason.entry(x.reason).or_insert(0) += 1;
            }
        }
        for s in &stats.hours {
            let shares = self.oracle.store.shares_of_hour(s.hour).await?;
            let adversary_share_sum = shares
                .iter()
                .filter(|row| {
                    row.hotspot
                        .parse::<lattice_sdk::solana::Pubkey>()
                        .is_ok_and(|k| adversary_keys.contains(&k.to_bytes()))
                })
                .map(|row| row.share)
                .sum();
            r.valid += s.valid_beacons + s.valid_witnesses + s.valid_packets;
            r.dc_burned += s.dc_burned;
            r.shares_per_hour.push(CoverageHour {
                summary: s.clone(),
                hotspots_rewarded: shares.len() as u64,
                share_sum: shares.iter().map(|row| row.share).sum(),
                adversary_share_sum,
            });
        }
        r.rewards = self
            .oracle
            .latest_tree()
            .await
            .map(|t| crate::oracle::api::RootResponse {
                epoch: t.epoch,
                root: hex::encode(t.root()),
                total: t.total,
                devices: t.leaves.len() as u64,
            });
        let mut settlement = self.settlement.clone();
        let config: Option<lattice_rewards::RewardsConfig> =
            lattice_sdk::accounts::fetch(&self.chain, &self.rewards_keys.config()).await?;
        if let Some(c) = config {
            settlement.final_epoch = c.final_epoch;
            settlement.final_root = hex::encode(c.final_root);
            settlement.final_total = c.final_total;
        }
        if let Some(tree) = self.oracle.latest_tree().await {
            for h in &self.hotspots {
                let class = if h.behavior == Behavior::Honest {
                    "honest"
                } else {
                    "adversary"
                };
                let device = lattice_sdk::solana::Pubkey::new_from_array(h.node.device());
                let earned = tree.proof(&device.to_bytes()).map_or(0, |(c, _)| c);
                *settlement.earned_by_class.entry(class.into()).or_insert(0) += earned;
                let claimed =
                    lattice_sdk::rewards::claimed(&self.chain, &self.rewards_keys.sub_dao, &device)
                        .await?;
                *settlement.claimed_by_class.entry(class.into()).or_insert(0) += claimed;
            }
        }
        r.settlement = Some(settlement);
        if let Some(root) = &r.rewards {
            use crate::rewards::claims::ProofSource as _;
            let root_bytes: Option<[u8; 32]> =
                hex::decode(&root.root).ok().and_then(|b| b.try_into().ok());
            for h in &self.hotspots {
                let device = lattice_sdk::solana::Pubkey::new_from_array(h.node.device());
                let Ok((epoch, cumulative, proof)) = h.node.client.proof_of(&device).await else {
                    continue;
                };
                let leaf = lattice_math::merkle::leaf(&device.to_bytes(), cumulative);
                if epoch == root.epoch
                    && root_bytes.is_some_and(|rb| lattice_math::merkle::verify(&rb, &leaf, &proof))
                {
                    r.proofs_verified += 1;
                }
            }
        }
        Ok(r)
    }

    /// Reward settlement after an hour is issued: every oracle adds the settled, issued hours to
    /// its index and posts its root; once a root is final, the hotspots' owner claims for every
    /// device with something to claim, in packed bulk transactions.
    pub async fn settle_rewards(&mut self) -> Result<()> {
        let mut advanced = false;
        for o in &self.reward_oracles {
            advanced |= o.advance_rewards(self.first_hour).await?.is_some();
            match o.post_rewards_root().await {
                Ok(Some(crate::oracle::rewards::PostOutcome::Posted { bytes })) => {
                    self.settlement.post_transactions += 1;
                    self.settlement.post_bytes += bytes as u64;
                }
                Ok(_) => {}
                Err(e) => {
                    // One oracle failing (or being refused) must not stop the others.
                    tracing::warn!(error = %format!("{e:#}"), "an oracle's root post failed");
                    self.settlement.posts_refused += 1;
                }
            }
        }
        if advanced {
            self.settlement.hours_settled += 1;
        }
        let config: lattice_rewards::RewardsConfig =
            lattice_sdk::accounts::fetch(&self.chain, &self.rewards_keys.config())
                .await?
                .context("rewards config")?;
        if config.final_total == 0 || config.final_epoch <= self.claimed_epoch {
            return Ok(());
        }
        self.settlement.roots_finalized += 1;
        self.claimed_epoch = config.final_epoch;
        let Some(first) = self.hotspots.first() else {
            return Ok(());
        };
        let devices: Vec<_> = self
            .hotspots
            .iter()
            .map(|h| lattice_sdk::solana::Pubkey::new_from_array(h.node.device()))
            .collect();
        let owner = self.operator.pubkey();
        let s = crate::rewards::claims::claim_all(
            &self.chain,
            &self.send,
            &self.operator,
            &owner,
            &self.rewards_keys,
            &first.node.client,
            &devices,
            1,
        )
        .await?;
        self.settlement.claims += s.claims;
        self.settlement.claim_transactions += s.transactions;
        self.settlement.claim_bytes += s.bytes;
        Ok(())
    }

    /// Stop every task and remove the temporary files.
    pub fn shutdown(self) {
        self.stop.cancel();
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// The oracle (tests inspect it).
    pub fn oracle(&self) -> &Arc<Oracle<EmbeddedChain>> {
        &self.oracle
    }

    /// The device key of each hotspot with its behaviour.
    pub fn devices(&self) -> Vec<([u8; 32], Behavior)> {
        self.hotspots
            .iter()
            .map(|h| (h.node.device(), h.behavior))
            .collect()
    }
}

/// The device key of a keypair as report-key bytes.
pub fn key_bytes(kp: &lattice_sdk::solana::Keypair) -> [u8; 32] {
    kp.pubkey().to_bytes()
}
