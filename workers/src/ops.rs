//! What the `lattice dc` and `lattice device` commands do, written against [`Chain`] so the same
//! code runs on a cluster (RPC) and on the embedded chain (tests).

pub mod governance;

use anyhow::{bail, Context as _, Result};
use lattice_migrations::LatticeConfig;
use lattice_registry::{GpuSpecs, HotspotLocation};
use lattice_sdk::{
    dc,
    registry::{self, RegistryKeys},
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signature, Signer},
    Chain,
};

/// A wallet acting on one deployment.
pub struct Operator<'a, C: Chain> {
    /// The chain.
    pub chain: &'a C,
    /// Protocol parameters (sub-DAO names, fees).
    pub cfg: &'a LatticeConfig,
    /// The deployment's main mint.
    pub main_mint: Pubkey,
    /// The signing wallet (fee payer and owner).
    pub wallet: &'a Keypair,
    /// How to send.
    pub opts: SendOptions,
}

/// Amount for `dc mint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DcAmount {
    /// Burn this many main-token base units.
    Main(u64),
    /// Mint exactly this many DC.
    Dc(u64),
}

/// Device kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceKind {
    /// A LoRa hotspot.
    Hotspot,
    /// A GPU node.
    Gpu,
}

impl<C: Chain> Operator<'_, C> {
    fn keys(&self) -> RegistryKeys {
        lattice_migrations::bootstrap::registry_keys(self.cfg, &self.main_mint)
    }

    async fn hour(&self) -> Result<u64> {
        Ok(lattice_math::epoch::hour_of(
            self.chain.unix_timestamp().await?,
        ))
    }

    async fn send(
        &self,
        ixs: &[lattice_sdk::solana::Instruction],
        extra: &[&Keypair],
    ) -> Result<Signature> {
        Ok(send(self.chain, &self.opts, ixs, self.wallet, extra).await?)
    }

    /// The compute program's addresses, read from its on-chain configuration.
    async fn compute_keys(&self) -> Result<lattice_sdk::compute::ComputeKeys> {
        lattice_sdk::compute::ComputeKeys::load(self.chain, &self.keys().dao)
            .await
            .context("the compute program is not initialized on this deployment")
    }

    /// `lattice job post`: escrow `price × max_duration` DC from the wallet's DC account for
    /// `spec` in market `class`. `uri` must serve the spec's canonical bytes; without it the spec
    /// goes inline as a `data:` URI. Returns the job id and address.
    pub async fn job_post(
        &self,
        class: u8,
        spec: &crate::compute::spec::JobSpec,
        uri: Option<String>,
        max_duration_secs: u64,
        price_dc_per_sec: u64,
    ) -> Result<(u64, Pubkey)> {
        use lattice_sdk::compute as sdkc;
        use lattice_sdk::lattice_compute::state::JobKind;
        let (bytes, hash) = spec.encode();
        let uri = match uri {
            Some(u) => {
                let fetched = crate::compute::spec::fetch_spec(&u).await?;
                anyhow::ensure!(
                    fetched == bytes,
                    "{u} does not serve the spec's canonical bytes (compact JSON, as `lattice` hashes it)"
                );
                u
            }
            None => spec.data_uri(),
        };
        anyhow::ensure!(
            uri.len() <= 128,
            "the spec URI is {} bytes; at most 128 fit on chain (host the spec and pass --uri)",
            uri.len()
        );
        let keys = self.compute_keys().await?;
        let market = sdkc::fetch_market(self.chain, &keys.market(class))
            .await?
            .with_context(|| format!("no market of class {class}"))?;
        let args = lattice_sdk::lattice_compute::PostJobArgs {
            kind: if spec.is_matmul() {
                JobKind::Matmul
            } else {
                JobKind::Container
            },
            spec_hash: hash,
            spec_uri: uri,
            max_duration_secs,
            price_dc_per_sec,
        };
        let id = market.next_job_id;
        let ix = sdkc::post_job(&self.wallet.pubkey(), &keys, class, id, args);
        self.send(&[ix], &[]).await.context("post_job")?;
        Ok((id, keys.job(class, id)))
    }

    /// `lattice job status`: the job (`None` once closed or if never posted).
    pub async fn job_status(
        &self,
        class: u8,
        id: u64,
    ) -> Result<Option<lattice_sdk::lattice_compute::state::Job>> {
        let keys = self.compute_keys().await?;
        Ok(lattice_sdk::compute::fetch_job(self.chain, &keys.market(class), id).await?)
    }

    /// `lattice job cancel`: refund a job nobody claimed yet.
    pub async fn job_cancel(&self, class: u8, id: u64) -> Result<Signature> {
        let keys = self.compute_keys().await?;
        let ix = lattice_sdk::compute::cancel_job(&self.wallet.pubkey(), &keys, class, id);
        self.send(&[ix], &[]).await.context("cancel_job")
    }

    /// `lattice job finalize`: finalize a submitted job after its window, or time out a claimed
    /// job past its deadline (anyone may).
    pub async fn job_finalize(&self, class: u8, id: u64) -> Result<Signature> {
        use lattice_sdk::lattice_compute::state::JobState;
        let keys = self.compute_keys().await?;
        let job = lattice_sdk::compute::fetch_job(self.chain, &keys.market(class), id)
            .await?
            .with_context(|| format!("no job {id} in class {class}"))?;
        let ix = match job.state {
            JobState::Submitted => lattice_sdk::compute::finalize_job(
                &self.wallet.pubkey(),
                &keys,
                &job,
                self.hour().await?,
            ),
            JobState::Claimed => {
                lattice_sdk::compute::timeout_job(&self.wallet.pubkey(), &keys, &job)
            }
            other => bail!("job {id} is {other:?}: nothing to finalize"),
        };
        self.send(&[ix], &[]).await.context("finalize")
    }

    /// `lattice dc mint`: burn main tokens for DC at the oracle price in `price_account`,
    /// credited to `recipient` (whose DC account is created if missing).
    pub async fn dc_mint(
        &self,
        amount: DcAmount,
        recipient: &Pubkey,
        price_account: &Pubkey,
    ) -> Result<Signature> {
        let dao = self.keys().dao;
        let me = self.wallet.pubkey();
        let (main_amount, dc_amount) = match amount {
            DcAmount::Main(m) => (Some(m), None),
            DcAmount::Dc(d) => (None, Some(d)),
        };
        let hour = self.hour().await?;
        let ixs = [
            dc::create_dc_account(&me, recipient, &dao),
            dc::mint_dc(
                &me,
                &self.main_mint,
                recipient,
                price_account,
                lattice_data_credits::MintDcArgs {
                    main_amount,
                    dc_amount,
                },
                hour,
            ),
        ];
        self.send(&ixs, &[]).await.context("mint_dc")
    }

    /// `lattice dc delegate`: move DC to the escrow of `payer_key` in sub-DAO `sub_dao_name`.
    pub async fn dc_delegate(
        &self,
        sub_dao_name: &str,
        payer_key: &Pubkey,
        amount: u64,
    ) -> Result<Signature> {
        let dao = self.keys().dao;
        let sub_dao = lattice_sdk::pda::sub_dao(&dao, sub_dao_name);
        let ix = dc::delegate_dc(&self.wallet.pubkey(), &dao, &sub_dao, payer_key, amount);
        self.send(&[ix], &[]).await.context("delegate_dc")
    }

    /// `lattice device register-hotspot` (the device key signs).
    pub async fn register_hotspot(
        &self,
        device: &Keypair,
        location: HotspotLocation,
    ) -> Result<Signature> {
        let ix = registry::register_hotspot(
            &self.wallet.pubkey(),
            &device.pubkey(),
            &self.keys(),
            self.hour().await?,
            location,
        );
        self.send(&[ix], &[device])
            .await
            .context("register_hotspot")
    }

    /// `lattice device register-gpu` (the device key signs; the stake comes from the wallet).
    pub async fn register_gpu(&self, device: &Keypair, specs: GpuSpecs) -> Result<Signature> {
        let ix = registry::register_gpu_node(
            &self.wallet.pubkey(),
            &device.pubkey(),
            &self.keys(),
            self.hour().await?,
            specs,
        );
        self.send(&[ix], &[device])
            .await
            .context("register_gpu_node")
    }

    /// `lattice device assert-location`.
    pub async fn assert_location(
        &self,
        device: &Pubkey,
        location: HotspotLocation,
    ) -> Result<Signature> {
        let ix = registry::assert_location(
            &self.wallet.pubkey(),
            device,
            &self.keys(),
            self.hour().await?,
            location,
        );
        self.send(&[ix], &[]).await.context("assert_location")
    }

    /// `lattice device transfer`.
    pub async fn transfer(
        &self,
        device: &Pubkey,
        kind: DeviceKind,
        new_owner: &Pubkey,
    ) -> Result<Signature> {
        let ix = registry::transfer_device(
            &self.wallet.pubkey(),
            device,
            kind == DeviceKind::Gpu,
            new_owner,
        );
        self.send(&[ix], &[]).await.context("transfer_device")
    }

    /// `lattice device close`: a hotspot closes at once; a GPU node must have finished its
    /// unstaking cooldown (its stake returns to the wallet).
    pub async fn close(&self, device: &Pubkey, kind: DeviceKind) -> Result<Signature> {
        let me = self.wallet.pubkey();
        let ixs = match kind {
            DeviceKind::Hotspot => vec![registry::close_hotspot(&me, device, &self.keys())],
            DeviceKind::Gpu => vec![
                lattice_sdk::token::create_associated_token_account(&me, &me, &self.main_mint),
                registry::close_gpu_node(&me, device, &self.keys()),
            ],
        };
        self.send(&ixs, &[]).await.context("close")
    }

    /// `lattice device unstake`: start a GPU node's unstaking cooldown.
    pub async fn unstake(&self, device: &Pubkey) -> Result<Signature> {
        let ix = registry::request_unstake(&self.wallet.pubkey(), device, &self.keys());
        self.send(&[ix], &[]).await.context("request_unstake")
    }
}

/// A hotspot location from a latitude/longitude (converted with h3o at `resolution`) or an H3
/// cell given directly (hex, as h3 tools print it).
pub fn hotspot_location(
    lat_lng: Option<(f64, f64)>,
    h3: Option<&str>,
    resolution: u8,
    gain_dbi: f64,
    elevation_m: i32,
) -> Result<HotspotLocation> {
    let location = match (lat_lng, h3) {
        (Some((lat, lng)), None) => {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
                bail!("latitude must be within ±90° and longitude within ±180°");
            }
            let res = h3o::Resolution::try_from(resolution)?;
            u64::from(h3o::LatLng::new(lat, lng)?.to_cell(res))
        }
        (None, Some(cell)) => {
            let cell: h3o::CellIndex = cell.parse().with_context(|| format!("H3 cell {cell:?}"))?;
            u64::from(cell)
        }
        _ => bail!("give either --lat and --lng, or --h3"),
    };
    Ok(HotspotLocation {
        location,
        gain_dbi_x10: (gain_dbi * 10.0).round() as i16,
        elevation_m,
    })
}

/// GPU specs detected with NVML (when a driver and GPU are present), else `None`.
pub fn detect_gpus() -> Option<(String, u16, u8)> {
    let nvml = nvml_wrapper::Nvml::init().ok()?;
    let count = nvml.device_count().ok()?;
    if count == 0 {
        return None;
    }
    let first = nvml.device_by_index(0).ok()?;
    let name = first.name().ok()?;
    let vram_gib = first.memory_info().ok()?.total / (1 << 30);
    Some((
        name,
        u16::try_from(vram_gib).unwrap_or(u16::MAX),
        u8::try_from(count).unwrap_or(u8::MAX),
    ))
}

/// The keypair the Solana CLI would use: `keypair_path` of `~/.config/solana/cli/config.yml`,
/// else `~/.config/solana/id.json`.
pub fn default_keypair_path() -> Option<std::path::PathBuf> {
    let home = dirs::home_dir()?;
    let config = home.join(".config/solana/cli/config.yml");
    if let Ok(text) = std::fs::read_to_string(&config) {
        if let Some(path) = keypair_path_from_cli_config(&text) {
            return Some(path.into());
        }
    }
    Some(home.join(".config/solana/id.json"))
}

/// The `keypair_path:` value of a Solana CLI config file.
pub fn keypair_path_from_cli_config(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("keypair_path:"))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .find(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_solana_cli_config() {
        let text = "---\njson_rpc_url: \"http://localhost:8899\"\nkeypair_path: /home/op/.config/solana/ops.json\ncommitment: confirmed\n";
        assert_eq!(
            keypair_path_from_cli_config(text).as_deref(),
            Some("/home/op/.config/solana/ops.json")
        );
        assert_eq!(
            keypair_path_from_cli_config("commitment: confirmed\n"),
            None
        );
    }

    #[test]
    fn locations_from_lat_lng_or_cell() {
        let a = hotspot_location(Some((37.7749, -122.4194)), None, 12, 4.0, 10).unwrap();
        assert_eq!(lattice_math::h3::validate_cell(a.location, 12), Ok(()));
        assert_eq!(a.gain_dbi_x10, 40);
        let hex = format!("{:x}", a.location);
        let b = hotspot_location(None, Some(&hex), 12, 4.0, 10).unwrap();
        assert_eq!(a, b);
        assert!(hotspot_location(None, None, 12, 4.0, 10).is_err());
        assert!(hotspot_location(Some((95.0, 0.0)), None, 12, 4.0, 10).is_err());
        assert!(hotspot_location(Some((0.0, 181.0)), None, 12, 4.0, 10).is_err());
        assert!(hotspot_location(None, Some("not-a-cell"), 12, 4.0, 10).is_err());
    }

    #[test]
    fn detection_without_a_gpu_falls_back() {
        // This machine has no NVIDIA driver: detection must not panic, and returns None.
        if std::path::Path::new("/proc/driver/nvidia").exists() {
            return;
        }
        assert!(detect_gpus().is_none());
    }
}
