//! Protocol parameters from `app-config/*.toml`.
//!
//! Layering: the TOML file, then environment variables `LATTICE__SECTION__KEY` (nested tables add
//! more `__`-separated parts, e.g. `LATTICE__SUB_DAO__COVERAGE__EMISSION__POOL=1000`; the sub-DAO
//! list is comma-separated: `LATTICE__DAO__SUB_DAOS=coverage,compute`). Token amounts are in
//! whole tokens and converted to base units with the token's decimals.

use anyhow::{anyhow, bail, Context as _, Result};
use lattice_dao::{
    AddSubDaoArgs, BreakerParams, EmissionParams, InitializeDaoArgs, UtilityWeightParams,
};
use serde::Deserialize;
use std::{collections::BTreeMap, path::Path, time::Duration};

mod compute;
mod governance;
pub use compute::{ComputeConfig, MarketConfig};
pub use governance::GovernanceConfig;

/// Everything in an app-config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatticeConfig {
    /// The DAO and its main token.
    pub dao: DaoConfig,
    /// Sub-DAO parameters by name; every name in `dao.sub_daos` must have an entry.
    pub sub_dao: BTreeMap<String, SubDaoConfig>,
    /// Data credits.
    pub data_credits: DataCreditsConfig,
    /// The device registry.
    pub registry: RegistryConfig,
    /// The cranker worker.
    pub cranker: CrankerConfig,
    /// The embedded localnet.
    #[serde(default)]
    pub localnet: LocalnetConfig,
    /// The proof-of-coverage oracle (`lattice oracle run`).
    #[serde(default)]
    pub oracle: OracleConfig,
    /// The node worker (`lattice node run`).
    #[serde(default)]
    pub node: NodeConfig,
    /// Reward settlement (the rewards program's oracle set and claim breaker).
    #[serde(default)]
    pub rewards: RewardsConfig,
    /// Treasury conversion between each sub-DAO token and the main token.
    #[serde(default)]
    pub conversion: ConversionConfig,
    /// The GPU job market (the compute program's configuration and markets).
    #[serde(default)]
    pub compute: ComputeConfig,
    /// Governance: vote escrow, proposals and the authority handoff.
    #[serde(default)]
    pub governance: GovernanceConfig,
}

/// Reward settlement, per sub-DAO (the same settings for each).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RewardsConfig {
    /// Oracle keys (base58) whose k identical roots finalize an epoch; empty = the bootstrap
    /// authority alone.
    pub oracles: Vec<String>,
    /// Identical posts needed (`n/2 < k <= n`).
    pub threshold: u8,
    /// Claim breaker window.
    #[serde(with = "humantime_serde")]
    pub claim_breaker_window: Duration,
    /// Most sub-DAO tokens (whole) claimable per window.
    pub claim_breaker_threshold: u64,
    /// Node worker auto-claim: claim when at least this many base units are claimable.
    pub auto_claim_min: u64,
}

impl Default for RewardsConfig {
    fn default() -> Self {
        Self {
            oracles: Vec::new(),
            threshold: 1,
            claim_breaker_window: Duration::from_secs(86_400),
            claim_breaker_threshold: 10_000_000,
            auto_claim_min: 1,
        }
    }
}

/// Treasury conversion (the same parameters for each sub-DAO).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConversionConfig {
    /// Virtual sub-DAO token reserve (whole tokens) added to the pool when pricing.
    pub virtual_reserve: u64,
    /// Fee on the input, basis points.
    pub fee_bps: u16,
    /// Sub-DAO token → main token frozen.
    pub frozen_to_main: bool,
    /// Main token → sub-DAO token frozen.
    pub frozen_to_sub: bool,
    /// Both directions frozen before this unix time (0 = none).
    pub frozen_until_unix: i64,
}

impl Default for ConversionConfig {
    fn default() -> Self {
        Self {
            virtual_reserve: 1_000_000_000,
            fee_bps: 30,
            frozen_to_main: false,
            frozen_to_sub: false,
            frozen_until_unix: 0,
        }
    }
}

/// The proof-of-coverage oracle.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OracleConfig {
    /// HTTP listen address of the ingest and the rewards API.
    pub listen: String,
    /// Database URL: `sqlite://FILE` (embedded default) or `postgres://…`.
    pub database_url: String,
    /// Raw-report archive: a directory path, `file:///dir`, or `s3://bucket/prefix` (S3 settings
    /// from the standard `AWS_*` environment variables).
    pub archive_url: String,
    /// Keypair file of the oracle: the coverage sub-DAO's DC burn authority.
    pub keypair: String,
    /// How often the oracle records the chain's latest blockhash as beacon entropy.
    #[serde(with = "humantime_serde")]
    pub entropy_interval: Duration,
    /// How long after an hour ends the oracle waits before settling it (late witnesses).
    #[serde(with = "humantime_serde")]
    pub settle_grace: Duration,
    /// Largest accepted clock skew of a report timestamp into the future.
    #[serde(with = "humantime_serde")]
    pub max_clock_skew: Duration,
    /// How long a hotspot lookup is cached.
    #[serde(with = "humantime_serde")]
    pub registry_cache_ttl: Duration,
    /// Beacon share of each hour, basis points.
    pub beacon_bps: u16,
    /// Witness share of each hour, basis points.
    pub witness_bps: u16,
    /// Data-transfer share of each hour, basis points (the three sum to 10 000).
    pub data_bps: u16,
    /// H3 resolution density is measured at.
    pub density_resolution: u8,
    /// Hotspots per density hex before rewards scale down.
    pub density_target: u32,
    /// Most witnesses rewarded per beacon.
    pub max_witnesses_per_beacon: usize,
    /// Minimum H3 grid distance between beaconer and witness.
    pub min_h3_distance: u32,
    /// Maximum beaconer–witness distance, km.
    pub max_distance_km: f64,
    /// How many dB above free-space path loss a witness RSSI may be.
    pub rssi_margin_db: f64,
    /// Largest |witness time − beacon time|.
    #[serde(with = "humantime_serde")]
    pub witness_window: Duration,
    /// Denylisted hotspot keys (base58).
    pub denylist: Vec<String>,
    /// DevAddr routes: `"LO-HI=PAYER"` with hex DevAddrs, e.g. `"48000000-48FFFFFF=<pubkey>"`.
    pub routes: Vec<String>,
    /// Matrix size of the hourly GPU capacity challenge.
    pub capacity_n: usize,
    /// Products summed in the capacity challenge.
    pub capacity_chain: u32,
    /// Time a GPU node has from the challenge's issue to its commitment.
    #[serde(with = "humantime_serde")]
    pub capacity_deadline: Duration,
    /// Share of each compute hour paid for verified capacity, bps (the rest pays work: DC
    /// burned by finalized jobs).
    pub capacity_share_bps: u16,
    /// Other compute oracles' URLs: their capacity-fault evidence is re-verified here and, if
    /// confirmed, voted on (k of n votes slash).
    pub compute_peers: Vec<String>,
}

impl Default for OracleConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8920".into(),
            database_url: "sqlite://lattice-oracle.db".into(),
            archive_url: "lattice-archive".into(),
            keypair: String::new(),
            entropy_interval: Duration::from_secs(30),
            settle_grace: Duration::from_secs(300),
            max_clock_skew: Duration::from_secs(300),
            registry_cache_ttl: Duration::from_secs(600),
            beacon_bps: 2_000,
            witness_bps: 5_000,
            data_bps: 3_000,
            density_resolution: 8,
            density_target: 4,
            max_witnesses_per_beacon: 14,
            min_h3_distance: 8,
            max_distance_km: 100.0,
            rssi_margin_db: 6.0,
            witness_window: Duration::from_secs(10),
            denylist: Vec::new(),
            routes: Vec::new(),
            capacity_n: 1024,
            capacity_chain: 1,
            capacity_deadline: Duration::from_secs(60),
            capacity_share_bps: 4_000,
            compute_peers: Vec::new(),
        }
    }
}

/// The node worker.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    /// Keypair file of the device (its on-chain registration key).
    pub keypair: String,
    /// Base URL of the oracle, e.g. `http://127.0.0.1:8920`.
    pub oracle_url: String,
    /// UDP address the Semtech packet forwarder of the concentrator sends to.
    pub gateway_listen: String,
    /// Durable outbox (SQLite file).
    pub outbox_path: String,
    /// LoRaWAN region plan: US915, EU868, AS923_1 or AU915.
    pub region: String,
    /// Beacon frequency, Hz.
    pub beacon_frequency_hz: u64,
    /// Beacon data rate, e.g. `SF9BW125`.
    pub beacon_datarate: String,
    /// Conducted beacon transmit power, dBm.
    pub tx_power_dbm: i8,
    /// Beacons per hour (each at a random second of the hour's beacon slot).
    pub beacons_per_hour: u32,
    /// How often the outbox is flushed to the oracle.
    #[serde(with = "humantime_serde")]
    pub upload_interval: Duration,
    /// Most reports per upload.
    pub upload_batch: usize,
    /// Auto-claim: JSON-RPC URL of the cluster (empty = auto-claim off).
    pub rpc_url: String,
    /// Auto-claim: the DAO's main mint.
    pub main_mint: String,
    /// Auto-claim: keypair file of the device's owner (pays the fees, receives the rewards).
    pub owner_keypair: String,
    /// Auto-claim: how often to check for claimable rewards.
    #[serde(with = "humantime_serde")]
    pub claim_interval: Duration,
}

impl Default for NodeConfig {
    fn default() -> Self {
        Self {
            keypair: String::new(),
            oracle_url: "http://127.0.0.1:8920".into(),
            gateway_listen: "127.0.0.1:1680".into(),
            outbox_path: "lattice-outbox.db".into(),
            region: "US915".into(),
            beacon_frequency_hz: 904_600_000,
            beacon_datarate: "SF9BW125".into(),
            tx_power_dbm: 27,
            beacons_per_hour: 1,
            upload_interval: Duration::from_secs(5),
            upload_batch: 500,
            rpc_url: String::new(),
            main_mint: String::new(),
            owner_keypair: String::new(),
            claim_interval: Duration::from_secs(3_600),
        }
    }
}

/// The DAO.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaoConfig {
    /// Main token ticker.
    pub token_name: String,
    /// Main token decimals.
    pub decimals: u8,
    /// Hard cap, whole tokens.
    pub max_supply: u64,
    /// Minted once at bootstrap to the authority, whole tokens.
    pub genesis_supply: u64,
    /// First emission hour; absent means the hour of bootstrap.
    #[serde(default)]
    pub genesis_hour: Option<u64>,
    /// Sub-DAO names, in issuance order.
    pub sub_daos: Vec<String>,
    /// Hourly emission schedule.
    pub emission: EmissionConfig,
    /// Circuit breaker on emission mints.
    pub breaker: BreakerConfig,
    /// Emission split among and within sub-DAOs.
    pub split: SplitConfig,
}

/// A decaying hourly schedule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionConfig {
    /// Released over the schedule's life, whole tokens.
    pub pool: u64,
    /// Decay periods.
    pub periods: u16,
    /// Hours per period.
    pub hours_per_period: u32,
    /// Period-over-period weight, basis points.
    pub decay_bps: u16,
}

/// A windowed circuit breaker.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerConfig {
    /// Decay window (humantime, e.g. "24h").
    #[serde(with = "humantime_serde")]
    pub window: Duration,
    /// Most mintable within a window, whole tokens.
    pub threshold: u64,
}

/// The emission split.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitConfig {
    /// Share of each sub-DAO part paid to delegators, basis points.
    pub delegator_bps: u16,
    /// Utility weight of delegated vote-escrow, basis points.
    pub ve_bps: u16,
    /// Utility weight of DC burned, basis points.
    pub dc_bps: u16,
    /// Utility weight of active devices, basis points.
    pub devices_bps: u16,
}

/// One sub-DAO.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubDaoConfig {
    /// Sub-DAO token ticker.
    pub token_name: String,
    /// Sub-DAO token decimals.
    pub decimals: u8,
    /// Hard cap, whole sub-DAO tokens.
    pub max_supply: u64,
    /// Hourly sub-DAO token schedule (pool in whole sub-DAO tokens).
    pub emission: EmissionConfig,
    /// Circuit breaker on sub-DAO token mints (threshold in whole sub-DAO tokens).
    pub breaker: BreakerConfig,
    /// Key allowed to burn this sub-DAO's delegated DC (the usage-metering oracle); absent means
    /// the bootstrap authority.
    #[serde(default)]
    pub burn_authority: Option<String>,
}

/// Data credits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCreditsConfig {
    /// Pyth feed id of MAIN/USD, 32 bytes hex (with or without `0x`).
    pub price_feed_id: String,
    /// Program that owns price accounts (the Pyth receiver), base58.
    pub price_owner: String,
    /// Oldest accepted price (humantime).
    #[serde(with = "humantime_serde")]
    pub max_age: Duration,
    /// Widest accepted confidence interval, basis points of the price.
    pub max_conf_bps: u16,
    /// USD price of one DC, in nano-USD (10_000 = $0.00001).
    pub dc_price_nano_usd: u64,
    /// Bytes of coverage data one DC buys.
    pub bytes_per_dc: u64,
    /// Circuit breaker on DC minted (threshold in DC).
    pub breaker: BreakerConfig,
}

/// The device registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryConfig {
    /// Sub-DAO that hotspots join.
    pub coverage_sub_dao: String,
    /// Sub-DAO that GPU nodes join.
    pub compute_sub_dao: String,
    /// H3 resolution of asserted locations.
    pub h3_resolution: u8,
    /// Antenna gain bounds, tenths of dBi.
    pub min_gain_dbi_x10: i16,
    /// Antenna gain bounds, tenths of dBi.
    pub max_gain_dbi_x10: i16,
    /// Elevation bounds, metres.
    pub min_elevation_m: i32,
    /// Elevation bounds, metres.
    pub max_elevation_m: i32,
    /// Hotspot onboarding fee, DC.
    pub hotspot_onboarding_fee_dc: u64,
    /// Location-change fee, DC.
    pub location_fee_dc: u64,
    /// GPU node onboarding fee, DC.
    pub gpu_onboarding_fee_dc: u64,
    /// Minimum stake per GPU, whole main tokens.
    pub min_stake_per_gpu: u64,
    /// Unstaking cooldown (humantime).
    #[serde(with = "humantime_serde")]
    pub unstake_cooldown: Duration,
}

/// The cranker worker.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrankerConfig {
    /// How often to look for finished hours.
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    /// Most hours issued per poll (bounds catch-up bursts).
    pub max_hours_per_tick: u32,
    /// Compute-unit limit per issue transaction.
    pub compute_unit_limit: u32,
    /// Priority fee, micro-lamports per compute unit.
    pub priority_micro_lamports: u64,
    /// Send attempts for transient failures.
    pub max_attempts: u32,
    /// First retry delay.
    #[serde(with = "humantime_serde")]
    pub backoff_base: Duration,
    /// Largest retry delay.
    #[serde(with = "humantime_serde")]
    pub backoff_cap: Duration,
    /// Prometheus listen address (`host:port`); empty disables the exporter.
    #[serde(default)]
    pub metrics_addr: String,
}

/// The embedded localnet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LocalnetConfig {
    /// Unix time the simulation starts at; absent means the current wall-clock hour.
    pub start_unix: Option<i64>,
    /// MAIN/USD price posted to the embedded oracle, USD.
    pub main_price_usd: f64,
    /// Confidence of that price, basis points.
    pub main_price_conf_bps: u16,
    /// City the simulated hotspots spread around: latitude, degrees.
    pub city_lat: f64,
    /// City the simulated hotspots spread around: longitude, degrees.
    pub city_lng: f64,
    /// Radius of the hotspot spread, km.
    pub city_radius_km: f64,
    /// Coverage demand: packets (24 bytes = 1 DC each) per hotspot per hour at the start.
    pub packets_per_hotspot_hour: u64,
    /// Compute demand: DC per GPU node per hour at the start.
    pub dc_per_gpu_hour: u64,
    /// Demand growth per simulated day, basis points (compounded daily).
    pub demand_growth_bps_per_day: u32,
    /// Seed of the simulation's pseudo-random numbers.
    pub seed: u64,
    /// Price the simulated dApp offers for GPU jobs, DC per second (at least 4× a market's
    /// floor).
    pub job_price_dc_per_sec: u64,
    /// Chance that a GPU worker vanishes right after claiming a job, basis points (it comes
    /// back two hours later; the job times out and the node is slashed).
    pub gpu_vanish_bps: u16,
}

impl Default for LocalnetConfig {
    fn default() -> Self {
        Self {
            start_unix: None,
            main_price_usd: 2.5,
            main_price_conf_bps: 40,
            city_lat: 37.7749,
            city_lng: -122.4194,
            city_radius_km: 8.0,
            packets_per_hotspot_hour: 400,
            dc_per_gpu_hour: 60_000,
            demand_growth_bps_per_day: 300,
            seed: 7,
            job_price_dc_per_sec: 20,
            gpu_vanish_bps: 300,
        }
    }
}

/// Whole tokens to base units with `decimals`.
pub fn to_base_units(whole: u64, decimals: u8) -> Result<u64> {
    to_base(whole, decimals, "amount")
}

fn to_base(whole: u64, decimals: u8, what: &str) -> Result<u64> {
    10u64
        .checked_pow(u32::from(decimals))
        .and_then(|scale| whole.checked_mul(scale))
        .ok_or_else(|| anyhow!("{what}: {whole} tokens with {decimals} decimals overflows u64"))
}

impl EmissionConfig {
    fn to_params(&self, decimals: u8, what: &str) -> Result<EmissionParams> {
        Ok(EmissionParams {
            pool: to_base(self.pool, decimals, what)?,
            periods: self.periods,
            hours_per_period: self.hours_per_period,
            decay_bps: self.decay_bps,
        })
    }
}

impl BreakerConfig {
    fn to_params(&self, decimals: u8, what: &str) -> Result<BreakerParams> {
        Ok(BreakerParams {
            window_secs: self.window.as_secs(),
            threshold: to_base(self.threshold, decimals, what)?,
        })
    }
}

impl LatticeConfig {
    /// Load `path`, then apply `LATTICE__…` overrides from the process environment.
    pub fn load(path: &Path) -> Result<Self> {
        Self::load_with_env(path, None)
    }

    /// Load `path`, then apply overrides from `env` (the process environment when `None`).
    pub fn load_with_env(path: &Path, env: Option<BTreeMap<String, String>>) -> Result<Self> {
        let mut environment = config::Environment::with_prefix("LATTICE")
            .prefix_separator("__")
            .separator("__")
            .list_separator(",")
            .with_list_parse_key("dao.sub_daos")
            .try_parsing(true);
        if let Some(env) = env {
            environment = environment.source(Some(env.into_iter().collect()));
        }
        let cfg: LatticeConfig = config::Config::builder()
            .add_source(config::File::from(path).format(config::FileFormat::Toml))
            .add_source(environment)
            .build()
            .with_context(|| format!("reading {}", path.display()))?
            .try_deserialize()
            .with_context(|| format!("parsing {}", path.display()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Parse TOML text without environment overrides.
    pub fn from_toml_str(text: &str) -> Result<Self> {
        let cfg: LatticeConfig = config::Config::builder()
            .add_source(config::File::from_str(text, config::FileFormat::Toml))
            .build()?
            .try_deserialize()?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Cross-field checks the type system cannot express. The programs re-check every value.
    pub fn validate(&self) -> Result<()> {
        if self.dao.sub_daos.is_empty() {
            bail!("dao.sub_daos: at least one sub-DAO is required");
        }
        if self.dao.sub_daos.len() > lattice_dao::MAX_SUB_DAOS {
            bail!(
                "dao.sub_daos: at most {} sub-DAOs",
                lattice_dao::MAX_SUB_DAOS
            );
        }
        for name in &self.dao.sub_daos {
            if !lattice_dao::is_valid_name(name) {
                bail!("dao.sub_daos: invalid name {name:?} (1..=16 of a-z 0-9 - _)");
            }
            if !self.sub_dao.contains_key(name) {
                bail!("dao.sub_daos lists {name:?} but there is no [sub_dao.{name}] table");
            }
        }
        for name in self.sub_dao.keys() {
            if !self.dao.sub_daos.contains(name) {
                bail!("[sub_dao.{name}] is not listed in dao.sub_daos");
            }
        }
        self.initialize_args()?;
        for name in &self.dao.sub_daos {
            self.sub_dao_args(name)?;
            self.burn_authority(name)?;
        }
        self.data_credits_args()?;
        self.registry_params()?;
        for (what, name) in [
            ("registry.coverage_sub_dao", &self.registry.coverage_sub_dao),
            ("registry.compute_sub_dao", &self.registry.compute_sub_dao),
        ] {
            if !self.dao.sub_daos.contains(name) {
                bail!("{what}: {name:?} is not in dao.sub_daos");
            }
        }
        self.validate_compute()
    }

    /// `initialize_dao` arguments.
    pub fn initialize_args(&self) -> Result<InitializeDaoArgs> {
        let d = &self.dao;
        Ok(InitializeDaoArgs {
            decimals: d.decimals,
            max_supply: to_base(d.max_supply, d.decimals, "dao.max_supply")?,
            genesis_supply: to_base(d.genesis_supply, d.decimals, "dao.genesis_supply")?,
            genesis_hour: d.genesis_hour,
            emission: d.emission.to_params(d.decimals, "dao.emission.pool")?,
            breaker: d.breaker.to_params(d.decimals, "dao.breaker.threshold")?,
            utility_weights: UtilityWeightParams {
                ve_bps: d.split.ve_bps,
                dc_bps: d.split.dc_bps,
                devices_bps: d.split.devices_bps,
            },
            delegator_bps: d.split.delegator_bps,
        })
    }

    /// `add_sub_dao` arguments for `name`.
    pub fn sub_dao_args(&self, name: &str) -> Result<AddSubDaoArgs> {
        let s = self
            .sub_dao
            .get(name)
            .ok_or_else(|| anyhow!("no [sub_dao.{name}] table"))?;
        Ok(AddSubDaoArgs {
            name: name.to_string(),
            decimals: s.decimals,
            max_supply: to_base(s.max_supply, s.decimals, "sub_dao.max_supply")?,
            emission: s.emission.to_params(s.decimals, "sub_dao.emission.pool")?,
            breaker: s
                .breaker
                .to_params(s.decimals, "sub_dao.breaker.threshold")?,
        })
    }

    /// `initialize_data_credits` arguments.
    pub fn data_credits_args(&self) -> Result<lattice_data_credits::InitializeDataCreditsArgs> {
        let d = &self.data_credits;
        let hex = d.price_feed_id.trim_start_matches("0x");
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| anyhow!("data_credits.price_feed_id: not hex"))?;
        let price_feed_id: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow!("data_credits.price_feed_id: must be 32 bytes"))?;
        Ok(lattice_data_credits::InitializeDataCreditsArgs {
            price_feed_id,
            price_owner: d
                .price_owner
                .parse()
                .map_err(|_| anyhow!("data_credits.price_owner: not a pubkey"))?,
            max_age_secs: d.max_age.as_secs(),
            max_conf_bps: d.max_conf_bps,
            dc_price_nano_usd: d.dc_price_nano_usd,
            breaker: d.breaker.to_params(0, "data_credits.breaker.threshold")?,
        })
    }

    /// The burn authority of sub-DAO `name`, if configured.
    pub fn burn_authority(&self, name: &str) -> Result<Option<solana_sdk::pubkey::Pubkey>> {
        match self
            .sub_dao
            .get(name)
            .and_then(|s| s.burn_authority.as_ref())
        {
            Some(k) => Ok(Some(k.parse().map_err(|_| {
                anyhow!("sub_dao.{name}.burn_authority: not a pubkey")
            })?)),
            None => Ok(None),
        }
    }

    /// `initialize_registry` parameters.
    pub fn registry_params(&self) -> Result<lattice_registry::RegistryParams> {
        let r = &self.registry;
        Ok(lattice_registry::RegistryParams {
            h3_resolution: r.h3_resolution,
            min_gain_dbi_x10: r.min_gain_dbi_x10,
            max_gain_dbi_x10: r.max_gain_dbi_x10,
            min_elevation_m: r.min_elevation_m,
            max_elevation_m: r.max_elevation_m,
            hotspot_onboarding_fee_dc: r.hotspot_onboarding_fee_dc,
            location_fee_dc: r.location_fee_dc,
            gpu_onboarding_fee_dc: r.gpu_onboarding_fee_dc,
            min_stake_per_gpu: to_base(
                r.min_stake_per_gpu,
                self.dao.decimals,
                "registry.min_stake_per_gpu",
            )?,
            unstake_cooldown_secs: r.unstake_cooldown.as_secs(),
        })
    }

    /// The DC pricing the data-credits program applies.
    pub fn dc_pricing(&self) -> lattice_math::dc::DcPricing {
        lattice_math::dc::DcPricing {
            dc_price_nano_usd: self.data_credits.dc_price_nano_usd,
            main_decimals: self.dao.decimals,
            max_conf_bps: self.data_credits.max_conf_bps,
        }
    }

    /// Send options for the cranker.
    pub fn send_options(&self) -> lattice_sdk::send::SendOptions {
        let c = &self.cranker;
        lattice_sdk::send::SendOptions {
            compute_unit_limit: c.compute_unit_limit,
            priority_micro_lamports: c.priority_micro_lamports,
            max_attempts: c.max_attempts,
            backoff_base: c.backoff_base,
            backoff_cap: c.backoff_cap,
        }
    }
}

#[cfg(test)]
mod tests;
