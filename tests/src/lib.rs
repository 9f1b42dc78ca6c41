//! Cross-program scenarios for Lattice live in `tests/`; this crate's library holds their shared
//! fixtures.

use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_sdk::{
    dc::{self, PriceReading},
    embedded::EmbeddedChain,
    solana::{Keypair, Pubkey, Signer},
};
use std::path::PathBuf;

/// The repository's `app-config/localnet.toml`, parsed without environment overrides.
pub fn localnet_config() -> LatticeConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("app-config")
        .join("localnet.toml");
    LatticeConfig::load_with_env(&path, Some(Default::default())).expect("localnet.toml parses")
}

/// The whole network bootstrapped from `localnet.toml` on a fresh embedded chain, one minute
/// into the configured start hour, with a MAIN/USD price of $2.50 ± $0.01 posted.
pub struct Network {
    /// The chain.
    pub chain: EmbeddedChain,
    /// The configuration used.
    pub cfg: LatticeConfig,
    /// Fee payer, DAO authority (holding the genesis supply) and, in localnet, burn authority.
    pub payer: Keypair,
    /// The main mint.
    pub main_mint: Keypair,
    /// The posted `PriceUpdateV2` account.
    pub price: Pubkey,
    /// The chain's unix time after setup.
    pub now: i64,
}

impl Network {
    /// Start and bootstrap (governance holds every authority at the end).
    pub async fn start() -> Self {
        Self::start_with(localnet_config()).await
    }

    /// Start and bootstrap with the bootstrap key keeping every authority (for tests that drive
    /// admin instructions directly).
    pub async fn start_without_handoff() -> Self {
        let mut cfg = localnet_config();
        cfg.governance.hand_over = false;
        Self::start_with(cfg).await
    }

    /// Start and bootstrap from `cfg`.
    pub async fn start_with(cfg: LatticeConfig) -> Self {
        let chain = EmbeddedChain::start_default().await;
        let now = cfg
            .localnet
            .start_unix
            .expect("localnet.toml sets start_unix")
            + 60;
        chain.set_unix_timestamp(now).await.expect("clock");
        let payer = chain.payer().await;
        let main_mint = Keypair::new();
        bootstrap(
            &chain,
            &cfg,
            &cfg.send_options(),
            &payer,
            &payer,
            &main_mint,
        )
        .await
        .expect("bootstrap");
        let args = cfg.data_credits_args().expect("data credits config");
        let price = Pubkey::new_unique();
        let reading = PriceReading {
            feed_id: args.price_feed_id,
            price: 250_000_000,
            conf: 1_000_000,
            exponent: -8,
            publish_time: now,
            fully_verified: true,
        };
        chain
            .set_account(
                &price,
                dc::price_update_account(&reading, &args.price_owner, 10_000_000),
            )
            .await;
        Self {
            chain,
            cfg,
            payer,
            main_mint,
            price,
            now,
        }
    }

    /// The DAO.
    pub fn dao(&self) -> Pubkey {
        lattice_sdk::pda::dao(&self.main_mint.pubkey())
    }
}
