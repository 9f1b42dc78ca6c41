//! Bootstrap: create the DAO and its sub-DAOs from an app-config, on any transport.
//!
//! Idempotent: an existing DAO or sub-DAO is left as it is, so a bootstrap interrupted half-way
//! can simply be run again with the same main-mint keypair.

use crate::config::LatticeConfig;
use anyhow::{bail, Context as _, Result};
use lattice_sdk::{
    accounts::{fetch, DaoView},
    ix,
    send::{send, SendOptions},
    Chain,
};
use serde::Serialize;
use solana_sdk::{
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

/// Addresses of a bootstrapped deployment (written as JSON by `lattice bootstrap`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Deployment {
    /// The main token mint.
    pub main_mint: String,
    /// The DAO PDA.
    pub dao: String,
    /// The bootstrap authority.
    pub authority: String,
    /// Sub-DAOs by name: (sub-DAO PDA, token mint).
    pub sub_daos: Vec<DeployedSubDao>,
    /// The data-credits configuration PDA.
    pub data_credits: String,
    /// The DC mint (Token-2022, non-transferable).
    pub dc_mint: String,
    /// The device registry PDA.
    pub registry: String,
    /// The GPU job market, when `[compute]` is enabled.
    pub compute: Option<DeployedCompute>,
    /// The governance PDA, when `[governance]` is enabled.
    pub governance: Option<String>,
}

/// The compute program's accounts of a deployment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeployedCompute {
    /// The compute configuration PDA (the compute sub-DAO's DC burn authority once handed over).
    pub config: String,
    /// The pooled DC escrow of open jobs.
    pub dc_escrow: String,
    /// Where slashed stake goes.
    pub slash_destination: String,
    /// The markets.
    pub markets: Vec<DeployedMarket>,
}

/// One market of a deployment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeployedMarket {
    /// GPU class id.
    pub class_id: u8,
    /// Name.
    pub name: String,
    /// The market PDA.
    pub market: String,
}

/// One sub-DAO of a deployment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeployedSubDao {
    /// Name.
    pub name: String,
    /// Sub-DAO PDA.
    pub sub_dao: String,
    /// Token mint.
    pub mint: String,
}

/// Create (or complete) the DAO of `main_mint`, every sub-DAO of `cfg`, data credits (with each
/// sub-DAO's burn authority), the device registry, rewards, conversion and the GPU job market
/// ([`bootstrap_compute`]).
///
/// `payer` pays rent and fees; `authority` becomes the DAO's bootstrap authority and receives
/// the genesis supply.
pub async fn bootstrap<C: Chain>(
    chain: &C,
    cfg: &LatticeConfig,
    opts: &SendOptions,
    payer: &Keypair,
    authority: &Keypair,
    main_mint: &Keypair,
) -> Result<Deployment> {
    let dao = lattice_sdk::pda::dao(&main_mint.pubkey());
    match fetch::<lattice_dao::Dao, _>(chain, &dao).await? {
        Some(existing) if existing.authority == lattice_sdk::governance::governance(&dao) => {
            tracing::info!(%dao, "governance holds every authority: nothing left to bootstrap");
            let view = DaoView::load(chain, &main_mint.pubkey()).await?;
            let compute = lattice_sdk::compute::fetch_config(chain, &dao)
                .await?
                .map(|c| {
                    let keys = lattice_sdk::compute::ComputeKeys::from_config(&c);
                    DeployedCompute {
                        config: keys.config().to_string(),
                        dc_escrow: keys.dc_escrow().to_string(),
                        slash_destination: keys.slash_destination.to_string(),
                        markets: cfg
                            .compute_markets()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(class_id, params)| DeployedMarket {
                                class_id,
                                name: lattice_sdk::compute::market_name_str(&params.name),
                                market: keys.market(class_id).to_string(),
                            })
                            .collect(),
                    }
                });
            return Ok(Deployment {
                compute,
                governance: Some(lattice_sdk::governance::governance(&dao).to_string()),
                ..deployment(&view, &authority.pubkey())
            });
        }
        Some(existing) => {
            if existing.authority != authority.pubkey() {
                bail!(
                    "DAO {dao} exists with authority {}, not {}",
                    existing.authority,
                    authority.pubkey()
                );
            }
            tracing::info!(%dao, "DAO already initialized");
        }
        None => {
            let ix = ix::initialize_dao(
                &payer.pubkey(),
                &authority.pubkey(),
                &main_mint.pubkey(),
                &authority.pubkey(),
                cfg.initialize_args()?,
            );
            send(chain, opts, &[ix], payer, &[authority, main_mint])
                .await
                .context("initialize_dao")?;
            tracing::info!(%dao, main_mint = %main_mint.pubkey(), "DAO initialized");
        }
    }

    for name in &cfg.dao.sub_daos {
        let sub_dao = lattice_sdk::pda::sub_dao(&dao, name);
        if chain.get_account(&sub_dao).await?.is_some() {
            tracing::info!(%sub_dao, name, "sub-DAO already exists");
            continue;
        }
        let mint = Keypair::new();
        let ix = ix::add_sub_dao(
            &payer.pubkey(),
            &authority.pubkey(),
            &main_mint.pubkey(),
            &mint.pubkey(),
            cfg.sub_dao_args(name)?,
        );
        send(chain, opts, &[ix], payer, &[authority, &mint])
            .await
            .with_context(|| format!("add_sub_dao {name}"))?;
        tracing::info!(%sub_dao, name, mint = %mint.pubkey(), "sub-DAO added");
    }

    // Data credits and each sub-DAO's burn authority.
    let data_credits = lattice_sdk::dc::data_credits(&dao);
    if chain.get_account(&data_credits).await?.is_none() {
        let ix = lattice_sdk::dc::initialize_data_credits(
            &payer.pubkey(),
            &authority.pubkey(),
            &main_mint.pubkey(),
            cfg.data_credits_args()?,
        );
        send(chain, opts, &[ix], payer, &[authority])
            .await
            .context("initialize_data_credits")?;
        tracing::info!(%data_credits, "data credits initialized");
    }
    for name in &cfg.dao.sub_daos {
        let sub_dao = lattice_sdk::pda::sub_dao(&dao, name);
        if chain
            .get_account(&lattice_sdk::dc::sub_dao_dc(&sub_dao))
            .await?
            .is_some()
        {
            continue;
        }
        let burner = cfg.burn_authority(name)?.unwrap_or(authority.pubkey());
        let ix = lattice_sdk::dc::add_sub_dao_dc(
            &payer.pubkey(),
            &authority.pubkey(),
            &dao,
            &sub_dao,
            &burner,
        );
        send(chain, opts, &[ix], payer, &[authority])
            .await
            .with_context(|| format!("add_sub_dao_dc {name}"))?;
    }

    // The device registry.
    let registry = lattice_sdk::registry::registry(&dao);
    if chain.get_account(&registry).await?.is_none() {
        let keys = registry_keys(cfg, &main_mint.pubkey());
        let ix = lattice_sdk::registry::initialize_registry(
            &payer.pubkey(),
            &authority.pubkey(),
            &keys,
            cfg.registry_params()?,
        );
        send(chain, opts, &[ix], payer, &[authority])
            .await
            .context("initialize_registry")?;
        tracing::info!(%registry, "registry initialized");
    }

    // Rewards (oracle set, escrow delegation) and treasury conversion, per sub-DAO.
    for name in &cfg.dao.sub_daos {
        let sub_dao = lattice_sdk::pda::sub_dao(&dao, name);
        let decimals = cfg.sub_dao.get(name).map_or(0, |s| s.decimals);
        let config = lattice_sdk::rewards::rewards_config(&sub_dao);
        if chain.get_account(&config).await?.is_none() {
            let oracles = if cfg.rewards.oracles.is_empty() {
                vec![authority.pubkey()]
            } else {
                cfg.rewards
                    .oracles
                    .iter()
                    .map(|k| k.parse())
                    .collect::<Result<Vec<_>, _>>()
                    .context("rewards.oracles")?
            };
            let device_kind = if *name == cfg.registry.compute_sub_dao {
                lattice_rewards::DeviceKind::GpuNode
            } else {
                lattice_rewards::DeviceKind::Hotspot
            };
            let args = lattice_rewards::InitializeRewardsArgs {
                device_kind,
                oracles,
                threshold: cfg.rewards.threshold,
                claim_breaker: lattice_dao::BreakerParams {
                    window_secs: cfg.rewards.claim_breaker_window.as_secs(),
                    threshold: crate::config::to_base_units(
                        cfg.rewards.claim_breaker_threshold,
                        decimals,
                    )?,
                },
            };
            let ix = lattice_sdk::rewards::initialize_rewards(
                &payer.pubkey(),
                &authority.pubkey(),
                &dao,
                &sub_dao,
                args,
            );
            send(chain, opts, &[ix], payer, &[authority])
                .await
                .with_context(|| format!("initialize_rewards {name}"))?;
        }
        let escrow = lattice_sdk::pda::rewards_escrow(&sub_dao);
        let delegated = chain
            .get_account(&escrow)
            .await?
            .is_some_and(|a| token_delegate(&a.data) == Some(config));
        if !delegated {
            let ix =
                lattice_sdk::rewards::approve_rewards_delegate(&authority.pubkey(), &dao, &sub_dao);
            send(chain, opts, &[ix], payer, &[authority])
                .await
                .with_context(|| format!("approve_rewards_delegate {name}"))?;
        }
        if chain
            .get_account(&lattice_sdk::conversion::conversion(&sub_dao))
            .await?
            .is_none()
        {
            let c = &cfg.conversion;
            let params = lattice_dao::ConversionParams {
                virtual_reserve: crate::config::to_base_units(c.virtual_reserve, decimals)?,
                fee_bps: c.fee_bps,
                frozen_to_main: c.frozen_to_main,
                frozen_to_sub: c.frozen_to_sub,
                frozen_until_unix: c.frozen_until_unix,
            };
            let sd: lattice_dao::SubDao = lattice_sdk::accounts::fetch(chain, &sub_dao)
                .await?
                .with_context(|| format!("sub-DAO {name} missing"))?;
            let mint = sd.mint;
            let ix = lattice_sdk::conversion::init_conversion(
                &payer.pubkey(),
                &authority.pubkey(),
                &dao,
                &sub_dao,
                &mint,
                params,
            );
            send(chain, opts, &[ix], payer, &[authority])
                .await
                .with_context(|| format!("init_conversion {name}"))?;
        }
    }

    let compute =
        bootstrap_compute(chain, cfg, opts, payer, authority, &main_mint.pubkey()).await?;
    let governance =
        bootstrap_governance(chain, cfg, opts, payer, authority, &main_mint.pubkey()).await?;
    let view = DaoView::load(chain, &main_mint.pubkey()).await?;
    Ok(Deployment {
        compute,
        governance: governance.map(|g| g.to_string()),
        ..deployment(&view, &authority.pubkey())
    })
}

/// Initialize governance (power parameters, proposal rules) and every sub-DAO's V input, then,
/// with `hand_over`, make the governance PDA the authority of every program: the DAO (and with it
/// rewards and conversion), data credits, the registry and compute. Idempotent. `None` when
/// `[governance]` is disabled.
pub async fn bootstrap_governance<C: Chain>(
    chain: &C,
    cfg: &LatticeConfig,
    opts: &SendOptions,
    payer: &Keypair,
    authority: &Keypair,
    main_mint: &Pubkey,
) -> Result<Option<Pubkey>> {
    use lattice_sdk::governance as gov;
    if !cfg.governance.enabled {
        return Ok(None);
    }
    let dao = lattice_sdk::pda::dao(main_mint);
    let governance = gov::governance(&dao);
    if chain.get_account(&governance).await?.is_none() {
        let ix = gov::initialize_governance(
            &authority.pubkey(),
            &dao,
            cfg.governance_ve(),
            cfg.governance_params()?,
        );
        send(chain, opts, &[ix], payer, &[authority])
            .await
            .context("initialize_governance")?;
        tracing::info!(%governance, "governance initialized");
    }
    for name in &cfg.dao.sub_daos {
        let sub_dao = lattice_sdk::pda::sub_dao(&dao, name);
        if chain
            .get_account(&gov::sub_dao_ve(&sub_dao))
            .await?
            .is_none()
        {
            let ix = gov::init_sub_dao_ve(&payer.pubkey(), &dao, &sub_dao);
            send(chain, opts, &[ix], payer, &[])
                .await
                .with_context(|| format!("init_sub_dao_ve {name}"))?;
            tracing::info!(%sub_dao, name, "sub-DAO V input enabled");
        }
    }
    if cfg.governance.hand_over {
        hand_over_to_governance(chain, opts, payer, authority, main_mint).await?;
    }
    Ok(Some(governance))
}

/// Hand every program's admin authority from `authority` to the governance PDA of `main_mint`'s
/// DAO, in one transaction (programs already handed over are skipped). After it the old key can
/// change nothing.
pub async fn hand_over_to_governance<C: Chain>(
    chain: &C,
    opts: &SendOptions,
    payer: &Keypair,
    authority: &Keypair,
    main_mint: &Pubkey,
) -> Result<()> {
    let dao = &lattice_sdk::pda::dao(main_mint);
    let governance = &lattice_sdk::governance::governance(dao);
    let a = authority.pubkey();
    let mut ixs = Vec::new();
    if let Some(c) = lattice_sdk::compute::fetch_config(chain, dao).await? {
        if c.authority != *governance {
            let keys = lattice_sdk::compute::ComputeKeys::from_config(&c);
            ixs.push(lattice_sdk::compute::set_compute_params(
                &a,
                &keys,
                lattice_compute::ComputeParams {
                    authority: *governance,
                    fault_slash_bps: c.fault_slash_bps,
                },
            ));
        }
    }
    let registry: Option<lattice_registry::Registry> =
        fetch(chain, &lattice_sdk::registry::registry(dao)).await?;
    if registry.is_some_and(|r| r.authority != *governance) {
        ixs.push(lattice_sdk::registry::set_registry_authority(
            &a, dao, governance,
        ));
    }
    let dc: Option<lattice_data_credits::DataCredits> =
        fetch(chain, &lattice_sdk::dc::data_credits(dao)).await?;
    if dc.is_some_and(|d| d.authority != *governance) {
        ixs.push(lattice_sdk::dc::set_dc_authority(&a, dao, governance));
    }
    // The DAO last: rewards and conversion follow its authority.
    let d: Option<lattice_dao::Dao> = fetch(chain, dao).await?;
    if d.is_some_and(|d| d.authority != *governance) {
        ixs.push(ix::set_dao_authority(&a, dao, governance));
    }
    if !ixs.is_empty() {
        send(chain, opts, &ixs, payer, &[authority])
            .await
            .context("hand over every program's authority to governance")?;
        tracing::info!(%governance, "every program's authority handed to governance");
    }
    Ok(())
}

/// Initialize the compute program of `main_mint`'s DAO (oracles, fault slash, slash
/// destination), create every configured market, and (with `hand_over_burn_authority`) make the
/// compute sub-DAO's DC burn authority the compute configuration PDA. Idempotent: existing
/// accounts are left as they are. `None` when `[compute]` is disabled.
pub async fn bootstrap_compute<C: Chain>(
    chain: &C,
    cfg: &LatticeConfig,
    opts: &SendOptions,
    payer: &Keypair,
    authority: &Keypair,
    main_mint: &Pubkey,
) -> Result<Option<DeployedCompute>> {
    if !cfg.compute.enabled {
        return Ok(None);
    }
    let dao = lattice_sdk::pda::dao(main_mint);
    let sub_dao = lattice_sdk::pda::sub_dao(&dao, &cfg.registry.compute_sub_dao);
    let keys = match lattice_sdk::compute::fetch_config(chain, &dao).await? {
        Some(existing) => lattice_sdk::compute::ComputeKeys::from_config(&existing),
        None => {
            let keys = lattice_sdk::compute::ComputeKeys::new(
                main_mint,
                &cfg.registry.compute_sub_dao,
                &cfg.compute_slash_destination(&sub_dao)?,
            );
            let (oracles, threshold) = cfg.compute_oracles(&authority.pubkey())?;
            let args = lattice_compute::InitializeComputeArgs {
                oracles,
                threshold,
                fault_slash_bps: cfg.compute.fault_slash_bps,
            };
            let ix = lattice_sdk::compute::initialize_compute(
                &payer.pubkey(),
                &authority.pubkey(),
                &keys,
                args,
            );
            send(chain, opts, &[ix], payer, &[authority])
                .await
                .context("initialize_compute")?;
            tracing::info!(config = %keys.config(), "compute initialized");
            keys
        }
    };
    let mut markets = Vec::new();
    for (class_id, params) in cfg.compute_markets()? {
        let market = keys.market(class_id);
        if chain.get_account(&market).await?.is_none() {
            let ix = lattice_sdk::compute::create_market(
                &payer.pubkey(),
                &authority.pubkey(),
                &keys,
                class_id,
                params,
            );
            send(chain, opts, &[ix], payer, &[authority])
                .await
                .with_context(|| format!("create_market {class_id}"))?;
            tracing::info!(%market, class_id, "compute market created");
        }
        markets.push(DeployedMarket {
            class_id,
            name: lattice_sdk::compute::market_name_str(&params.name),
            market: market.to_string(),
        });
    }
    if cfg.compute.hand_over_burn_authority {
        let settings: lattice_data_credits::SubDaoDc =
            fetch(chain, &lattice_sdk::dc::sub_dao_dc(&sub_dao))
                .await?
                .context("the compute sub-DAO's DC settings are missing")?;
        if settings.burn_authority != keys.config() {
            let ix = lattice_sdk::dc::set_burn_authority(
                &authority.pubkey(),
                &dao,
                &sub_dao,
                &keys.config(),
            );
            send(chain, opts, &[ix], payer, &[authority])
                .await
                .context("set_burn_authority (compute configuration)")?;
            tracing::info!(config = %keys.config(), "compute sub-DAO burn authority handed over");
        }
    }
    Ok(Some(DeployedCompute {
        config: keys.config().to_string(),
        dc_escrow: keys.dc_escrow().to_string(),
        slash_destination: keys.slash_destination.to_string(),
        markets,
    }))
}

/// The delegate of an SPL token account (`COption<Pubkey>` after mint, owner and amount).
fn token_delegate(data: &[u8]) -> Option<lattice_sdk::solana::Pubkey> {
    let tag = data.get(72..76)?;
    if tag != [1, 0, 0, 0] {
        return None;
    }
    let key: [u8; 32] = data.get(76..108)?.try_into().ok()?;
    Some(lattice_sdk::solana::Pubkey::new_from_array(key))
}

/// The registry's sub-DAO keys for a deployment of `cfg`.
pub fn registry_keys(
    cfg: &LatticeConfig,
    main_mint: &Pubkey,
) -> lattice_sdk::registry::RegistryKeys {
    lattice_sdk::registry::RegistryKeys::new(
        main_mint,
        &cfg.registry.coverage_sub_dao,
        &cfg.registry.compute_sub_dao,
    )
}

/// The deployment record of a loaded DAO (without the compute program's accounts, which
/// [`bootstrap`] adds).
pub fn deployment(view: &DaoView, authority: &Pubkey) -> Deployment {
    Deployment {
        main_mint: view.dao.main_mint.to_string(),
        dao: view.address.to_string(),
        authority: authority.to_string(),
        sub_daos: view
            .sub_daos
            .iter()
            .map(|(k, s)| DeployedSubDao {
                name: s.name.clone(),
                sub_dao: k.to_string(),
                mint: s.mint.to_string(),
            })
            .collect(),
        data_credits: lattice_sdk::dc::data_credits(&view.address).to_string(),
        dc_mint: lattice_sdk::dc::dc_mint(&view.address).to_string(),
        registry: lattice_sdk::registry::registry(&view.address).to_string(),
        compute: None,
        governance: None,
    }
}
