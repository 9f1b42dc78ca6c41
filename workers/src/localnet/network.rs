//! The simulated network around the DAO: a MAIN/USD oracle, a dApp buying DC, hotspots and GPU
//! nodes registered on chain, and hourly demand burning delegated DC.

use anyhow::{Context as _, Result};
use lattice_migrations::LatticeConfig;
use lattice_registry::{GpuSpecs, HotspotLocation};
use lattice_sdk::{
    dc::{self, PriceReading},
    embedded::EmbeddedChain,
    registry::{self, RegistryKeys},
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer},
    Chain,
};
use std::collections::BTreeMap;

/// A small deterministic generator (SplitMix64), so runs are reproducible.
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How far east of its real position a location-spoofing hotspot asserts itself, km (beyond
/// the oracle's maximum witness distance, as when a hotspot claims a distant, better-paid area).
pub const SPOOF_OFFSET_KM: f64 = 150.0;

/// DC burned for usage in one hour, by sub-DAO name.
pub type HourDemand = BTreeMap<String, u64>;

/// The simulated participants.
pub struct Network {
    chain: EmbeddedChain,
    cfg: LatticeConfig,
    opts: SendOptions,
    /// DAO authority, device operator and (in localnet) the usage-metering burn authority.
    operator: Keypair,
    /// The dApp's wallet (pays for usage and posts jobs).
    pub dapp: Keypair,
    main_mint: Pubkey,
    keys: RegistryKeys,
    price: Pubkey,
    /// The payer key of each sub-DAO's escrow (a router for coverage, a job payer for compute).
    escrow_payer: BTreeMap<String, Pubkey>,
    escrow_balance: BTreeMap<String, u64>,
    rng: Rng,
    /// Registered hotspots (device keys).
    pub hotspots: Vec<Pubkey>,
    /// Their keypairs (the hotspot workers sign with them).
    pub hotspot_keys: Vec<Keypair>,
    /// Where each hotspot really is (lat, lng), whatever it asserted.
    pub hotspot_true: Vec<(f64, f64)>,
    /// What each hotspot asserted on chain.
    pub hotspot_asserted: Vec<HotspotLocation>,
    /// Coverage usage is metered and burned by the proof-of-coverage oracle (not by
    /// [`Network::burn_demand`]).
    pub coverage_by_oracle: bool,
    /// Compute DC is burned by finalized GPU jobs (the localnet's job market), not here.
    pub compute_by_jobs: bool,
    /// Hours of demand the dApp buys DC for when an escrow runs short (30: about a day ahead).
    pub topup_hours: u64,
    /// Registered GPU nodes (device keys).
    pub gpus: Vec<Pubkey>,
    /// Their device keypairs (GPU workers sign claims and results with them).
    pub gpu_keys: Vec<Keypair>,
    /// DC minted by everyone.
    pub dc_minted: u64,
    /// DC burned for usage, by sub-DAO.
    pub dc_burned: BTreeMap<String, u64>,
    /// Rent of one hotspot account, lamports.
    pub hotspot_rent: u64,
    /// Rent of one GPU node account, lamports.
    pub gpu_rent: u64,
}

impl Network {
    /// Set up the oracle, the dApp and the devices on a bootstrapped chain.
    pub async fn setup(
        chain: EmbeddedChain,
        cfg: &LatticeConfig,
        operator: Keypair,
        main_mint: Pubkey,
        hotspots: usize,
        gpus: usize,
        spoofed: &[usize],
    ) -> Result<Self> {
        let keys = lattice_migrations::bootstrap::registry_keys(cfg, &main_mint);
        let mut escrow_payer = BTreeMap::new();
        escrow_payer.insert(cfg.registry.coverage_sub_dao.clone(), Pubkey::new_unique());
        escrow_payer.insert(cfg.registry.compute_sub_dao.clone(), Pubkey::new_unique());
        let mut net = Self {
            chain,
            cfg: cfg.clone(),
            opts: cfg.send_options(),
            operator,
            dapp: Keypair::new(),
            main_mint,
            keys,
            price: Pubkey::new_unique(),
            escrow_balance: escrow_payer.keys().map(|k| (k.clone(), 0)).collect(),
            dc_burned: escrow_payer.keys().map(|k| (k.clone(), 0)).collect(),
            escrow_payer,
            rng: Rng::new(cfg.localnet.seed),
            hotspots: Vec::new(),
            hotspot_keys: Vec::new(),
            hotspot_true: Vec::new(),
            hotspot_asserted: Vec::new(),
            coverage_by_oracle: false,
            compute_by_jobs: false,
            topup_hours: 30,
            gpus: Vec::new(),
            gpu_keys: Vec::new(),
            dc_minted: 0,
            hotspot_rent: 0,
            gpu_rent: 0,
        };
        let now = net.chain.unix_timestamp().await?;
        net.post_price(now).await;
        let op = net.operator.pubkey();
        let dao = net.keys.dao;

        // The dApp: SOL for fees, main tokens from the treasury of the bootstrap authority.
        let dapp = net.dapp.pubkey();
        net.chain.airdrop(&dapp, 100_000_000_000).await?;
        let create = lattice_sdk::token::create_associated_token_account(&op, &dapp, &main_mint);
        let scale = 10u64.pow(u32::from(cfg.dao.decimals));
        let fund = lattice_sdk::token::transfer(&op, &dapp, &main_mint, 1_000_000 * scale);
        net.send_as_operator(&[create, fund], &[]).await?;
        for owner in [op, dapp] {
            net.send_as_operator(&[dc::create_dc_account(&op, &owner, &dao)], &[])
                .await?;
        }

        // DC for the operator's onboarding fees, then the devices.
        let fees = cfg
            .registry
            .hotspot_onboarding_fee_dc
            .saturating_mul(hotspots as u64)
            .saturating_add(
                cfg.registry
                    .gpu_onboarding_fee_dc
                    .saturating_mul(gpus as u64),
            );
        if fees > 0 {
            net.mint_dc(&net.operator.insecure_clone(), fees).await?;
        }
        let hour = lattice_math::epoch::hour_of(now);
        for i in 0..hotspots {
            let device = Keypair::new();
            let (location, true_pos) = net.random_location(spoofed.contains(&i))?;
            let ix = registry::register_hotspot(&op, &device.pubkey(), &net.keys, hour, location);
            net.send_as_operator(&[ix], &[&device])
                .await
                .context("register_hotspot")?;
            net.hotspots.push(device.pubkey());
            net.hotspot_keys.push(device);
            net.hotspot_true.push(true_pos);
            net.hotspot_asserted.push(location);
        }
        for i in 0..gpus {
            let device = Keypair::new();
            let (model, vram) = [("RTX 4090", 24), ("A100 80GB", 80), ("H100 80GB", 80)][i % 3];
            let specs = GpuSpecs {
                model: registry::model_bytes(model),
                vram_gb: vram,
                gpu_count: [1u8, 4, 8][i % 3],
                region: *[b"US", b"DE", b"SG"][i % 3],
            };
            let ix = registry::register_gpu_node(&op, &device.pubkey(), &net.keys, hour, specs);
            // The node's worker signs and pays for its claims and results.
            let fees = anchor_lang::solana_program::system_instruction::transfer(
                &op,
                &device.pubkey(),
                1_000_000_000,
            );
            net.send_as_operator(&[ix, fees], &[&device])
                .await
                .context("register_gpu_node")?;
            net.gpus.push(device.pubkey());
            net.gpu_keys.push(device);
        }
        net.hotspot_rent = net
            .rent_of(net.hotspots.first().map(registry::hotspot))
            .await?;
        net.gpu_rent = net
            .rent_of(net.gpus.first().map(registry::gpu_node))
            .await?;
        Ok(net)
    }

    async fn rent_of(&self, key: Option<Pubkey>) -> Result<u64> {
        Ok(match key {
            Some(k) => self.chain.get_account(&k).await?.map_or(0, |a| a.lamports),
            None => 0,
        })
    }

    async fn send_as_operator(
        &self,
        ixs: &[lattice_sdk::solana::Instruction],
        signers: &[&Keypair],
    ) -> Result<()> {
        send(&self.chain, &self.opts, ixs, &self.operator, signers).await?;
        Ok(())
    }

    /// A hotspot position: a random point within the city radius, at the registry's resolution;
    /// a `spoofed` one asserts a cell [`SPOOF_OFFSET_KM`] east of where it really is.
    fn random_location(&mut self, spoofed: bool) -> Result<(HotspotLocation, (f64, f64))> {
        let l = &self.cfg.localnet;
        let r = l.city_radius_km * self.rng.unit().sqrt();
        let theta = std::f64::consts::TAU * self.rng.unit();
        let dlat = r * theta.cos() / 111.32;
        let dlng = r * theta.sin() / (111.32 * l.city_lat.to_radians().cos());
        let res = h3o::Resolution::try_from(self.cfg.registry.h3_resolution)?;
        let true_pos = (l.city_lat + dlat, l.city_lng + dlng);
        let shift = if spoofed {
            SPOOF_OFFSET_KM / (111.32 * l.city_lat.to_radians().cos())
        } else {
            0.0
        };
        let cell = h3o::LatLng::new(true_pos.0, true_pos.1 + shift)?.to_cell(res);
        let gain = self.cfg.registry.min_gain_dbi_x10.max(20) + (self.rng.next_u64() % 40) as i16;
        let location = HotspotLocation {
            location: u64::from(cell),
            gain_dbi_x10: gain.min(self.cfg.registry.max_gain_dbi_x10),
            elevation_m: (self.rng.next_u64() % 30) as i32,
        };
        Ok((location, true_pos))
    }

    /// The payer key of `sub_dao`'s usage escrow.
    pub fn escrow_payer(&self, sub_dao: &str) -> Option<Pubkey> {
        self.escrow_payer.get(sub_dao).copied()
    }

    /// The operator (in localnet also the coverage sub-DAO's DC burn authority).
    pub fn operator(&self) -> Keypair {
        self.operator.insecure_clone()
    }

    /// Make sure `sub_dao`'s escrow holds at least `needed` DC: the dApp buys and delegates a
    /// day's worth (30× `needed`) when it runs short. The oracle burns from it.
    pub async fn fund_escrow(&mut self, sub_dao: &str, needed: u64) -> Result<()> {
        let payer_key = self.escrow_payer[sub_dao];
        let dao = self.keys.dao;
        let sd = lattice_sdk::pda::sub_dao(&dao, sub_dao);
        let escrow = dc::escrow(&sd, &payer_key);
        let balance = match self.chain.get_account(&escrow).await? {
            Some(a) => lattice_sdk::accounts::token_amount(&a.data).unwrap_or(0),
            None => 0,
        };
        if balance >= needed {
            return Ok(());
        }
        let top_up = needed.saturating_mul(30);
        let dapp = self.dapp.insecure_clone();
        self.mint_dc(&dapp, top_up).await?;
        let ix = dc::delegate_dc(&dapp.pubkey(), &dao, &sd, &payer_key, top_up);
        send(&self.chain, &self.opts, &[ix], &dapp, &[])
            .await
            .context("delegate_dc")?;
        Ok(())
    }

    /// Post a fresh MAIN/USD price (published `now`).
    pub async fn post_price(&self, now: i64) {
        let Ok(args) = self.cfg.data_credits_args() else {
            return;
        };
        let l = &self.cfg.localnet;
        let price = (l.main_price_usd * 1e8).round() as i64;
        let conf = (price as f64 * f64::from(l.main_price_conf_bps) / 10_000.0) as u64;
        let reading = PriceReading {
            feed_id: args.price_feed_id,
            price,
            conf,
            exponent: -8,
            publish_time: now,
            fully_verified: true,
        };
        self.chain
            .set_account(
                &self.price,
                dc::price_update_account(&reading, &args.price_owner, 10_000_000),
            )
            .await;
    }

    /// `owner` burns main tokens for exactly `dc_amount` DC.
    pub async fn mint_dc(&mut self, owner: &Keypair, dc_amount: u64) -> Result<()> {
        let ix = dc::mint_dc(
            &owner.pubkey(),
            &self.main_mint,
            &owner.pubkey(),
            &self.price,
            lattice_data_credits::MintDcArgs {
                main_amount: None,
                dc_amount: Some(dc_amount),
            },
            lattice_math::epoch::hour_of(self.chain.unix_timestamp().await?),
        );
        send(&self.chain, &self.opts, &[ix], owner, &[])
            .await
            .context("mint_dc")?;
        self.dc_minted = self.dc_minted.saturating_add(dc_amount);
        Ok(())
    }

    /// Demand of hour `index` (hours since the start) for each sub-DAO, in DC.
    fn demand(&mut self, index: u64) -> HourDemand {
        let l = self.cfg.localnet.clone();
        let growth =
            (1.0 + f64::from(l.demand_growth_bps_per_day) / 10_000.0).powf(index as f64 / 24.0);
        // A daily cycle (busier in the afternoon) and ±20% noise.
        let daily = 1.0 + 0.3 * ((index % 24) as f64 / 24.0 * std::f64::consts::TAU).sin();
        let mut out = HourDemand::new();
        let coverage = self.hotspots.len() as f64 * l.packets_per_hotspot_hour as f64;
        let compute = self.gpus.len() as f64 * l.dc_per_gpu_hour as f64;
        for (name, base) in [
            (self.cfg.registry.coverage_sub_dao.clone(), coverage),
            (self.cfg.registry.compute_sub_dao.clone(), compute),
        ] {
            let noise = 0.8 + 0.4 * self.rng.unit();
            out.insert(name, (base * growth * daily * noise).round() as u64);
        }
        out
    }

    /// Burn hour `hour`'s demand (the chain clock must be inside `hour`). The dApp tops up its
    /// escrows, buying DC with main tokens a day ahead, when they run short.
    pub async fn burn_demand(&mut self, index: u64, hour: u64) -> Result<HourDemand> {
        let demand = self.demand(index);
        let dao = self.keys.dao;
        for (name, amount) in &demand {
            if *amount == 0
                || (self.coverage_by_oracle && *name == self.cfg.registry.coverage_sub_dao)
                || (self.compute_by_jobs && *name == self.cfg.registry.compute_sub_dao)
            {
                continue;
            }
            let sub_dao = lattice_sdk::pda::sub_dao(&dao, name);
            let payer_key = self.escrow_payer[name];
            let balance = self.escrow_balance[name];
            if balance < *amount {
                let top_up = amount.saturating_mul(self.topup_hours.max(1));
                let dapp = self.dapp.insecure_clone();
                self.mint_dc(&dapp, top_up).await?;
                let ix = dc::delegate_dc(&dapp.pubkey(), &dao, &sub_dao, &payer_key, top_up);
                send(&self.chain, &self.opts, &[ix], &dapp, &[])
                    .await
                    .context("delegate_dc")?;
                *self.escrow_balance.entry(name.clone()).or_default() += top_up;
            }
            let ix = dc::burn_delegated_dc(
                &self.operator.pubkey(),
                &dao,
                &sub_dao,
                &payer_key,
                hour,
                *amount,
            );
            self.send_as_operator(&[ix], &[])
                .await
                .context("burn_delegated_dc")?;
            *self.escrow_balance.entry(name.clone()).or_default() -= amount;
            *self.dc_burned.entry(name.clone()).or_default() += amount;
        }
        Ok(demand)
    }
}
