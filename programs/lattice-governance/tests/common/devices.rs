//! Data credits and devices (a live A input for the utility split).

use super::*;

impl Harness {
    pub async fn create_dc_account(&self, owner: &Pubkey) {
        let ix = dc::create_dc_account(&self.payer.pubkey(), owner, &self.dao);
        self.send(&[ix], &[]).await.unwrap();
    }

    /// The payer burns `main` base units for DC into its own DC account at a fresh $2.50 price.
    pub async fn mint_dc(&self, main: u64) {
        let args = self.cfg.data_credits_args().unwrap();
        let price = Pubkey::new_unique();
        let reading = PriceReading {
            feed_id: args.price_feed_id,
            price: 250_000_000,
            conf: 1_000_000,
            exponent: -8,
            publish_time: self.now(),
            fully_verified: true,
        };
        self.chain
            .set_account(
                &price,
                dc::price_update_account(&reading, &args.price_owner, 10_000_000),
            )
            .await;
        let ix = dc::mint_dc(
            &self.payer.pubkey(),
            &self.mint(),
            &self.payer.pubkey(),
            &price,
            lattice_data_credits::MintDcArgs {
                main_amount: Some(main),
                dc_amount: None,
            },
            lattice_math::epoch::hour_of(self.now()),
        );
        self.send(&[ix], &[]).await.unwrap();
    }

    /// Register a one-GPU node owned by the payer (one active compute device).
    pub async fn gpu_node(&self) {
        let keys = lattice_migrations::bootstrap::registry_keys(&self.cfg, &self.mint());
        let device = Keypair::new();
        let specs = lattice_registry::GpuSpecs {
            model: lattice_sdk::registry::model_bytes("RTX 4090"),
            vram_gb: 24,
            gpu_count: 1,
            region: *b"DE",
        };
        let ix = lattice_sdk::registry::register_gpu_node(
            &self.payer.pubkey(),
            &device.pubkey(),
            &keys,
            self.hour(),
            specs,
        );
        self.send(&[ix], &[&device]).await.unwrap();
    }
}
