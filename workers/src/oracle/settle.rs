//! Settling an hour: judge its reports, burn the DC for carried packets, store the verdict.

use super::{store::HourSummary, Oracle};
use anyhow::{Context as _, Result};
use lattice_poc_core::{
    hour::{run_hour, HourInput},
    report::{self, ReportBody},
};
use lattice_sdk::{solana::Pubkey, Chain};
use std::collections::HashMap;

impl<C: Chain + Clone + 'static> Oracle<C> {
    /// Settle `hour` (idempotent: a half-finished earlier attempt is redone; a planned DC burn
    /// that already went through is not sent again).
    pub async fn settle_hour(&self, hour: u64) -> Result<HourSummary> {
        let wires = self.store.reports_of_hour(hour).await?;
        let mut input = HourInput {
            hour,
            denylist: self.rules.denylist.clone(),
            routes: self.rules.routes.clone(),
            ..HourInput::default()
        };
        for w in &wires {
            // Stored reports passed ingest; a row that no longer parses is skipped, not fatal.
            let Ok(p) = report::parse(w) else { continue };
            match p.body {
                ReportBody::Beacon(b) => input.beacons.push((p.id, b)),
                ReportBody::Witness(x) => input.witnesses.push((p.id, x)),
                ReportBody::Data(d) => input.data.push((p.id, d)),
            }
        }
        // Entropy from a day before the window too, so an old beacon is judged `stale_entropy`
        // (it was real, but too old) rather than `unknown_entropy` (never published).
        let window = self.rules.params.entropy_window_hours;
        let from = lattice_math::epoch::hour_start(hour.saturating_sub(window.saturating_add(24)));
        let to = lattice_math::epoch::hour_start(hour.saturating_add(1));
        input.entropy = self
            .store
            .entropy_between(from, to)
            .await?
            .into_iter()
            .collect();
        let mut keys: Vec<[u8; 32]> = input
            .beacons
            .iter()
            .map(|(_, b)| b.hotspot)
            .chain(input.witnesses.iter().map(|(_, w)| w.hotspot))
            .chain(input.data.iter().map(|(_, d)| d.hotspot))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        input.hotspots = self
            .directory
            .refresh(&keys)
            .await
            .context("reading hotspot registrations")?
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();

        let params = self.rules.params;
        let shares = self.rules.shares;
        let (input, mut outcome) = tokio::task::spawn_blocking(move || {
            let o = run_hour(&params, &shares, &input);
            (input, o)
        })
        .await?;

        // Burn the DC of carried packets, per payer; payers whose escrow cannot cover their
        // packets are not burned from, and their packets are re-judged as unfunded.
        let unfunded = self.burn_packets(hour, &outcome.dc_by_payer).await?;
        if !unfunded.is_empty() {
            let mut input = input;
            input.unfunded_payers = unfunded;
            outcome =
                tokio::task::spawn_blocking(move || run_hour(&params, &shares, &input)).await?;
        }
        let dc_burned = outcome.dc_by_payer.values().sum();
        let summary = HourSummary {
            hour,
            reports: wires.len() as u64,
            valid_beacons: outcome.valid_beacons,
            valid_witnesses: outcome.valid_witnesses,
            valid_packets: outcome.valid_packets,
            rejected: outcome.rejections.len() as u64,
            dc_burned,
        };
        let mut shares: Vec<_> = outcome.shares.into_iter().collect();
        shares.sort_unstable_by_key(|(k, _)| *k);
        self.store
            .settle_hour(&summary, &outcome.rejections, &shares, self.clock.now_ms())
            .await?;
        metrics::counter!("lattice_oracle_hours_settled_total").increment(1);
        Ok(summary)
    }

    /// Plan and send the hour's DC burns; returns the payers that could not pay.
    async fn burn_packets(
        &self,
        hour: u64,
        dc_by_payer: &HashMap<[u8; 32], u64>,
    ) -> Result<std::collections::HashSet<[u8; 32]>> {
        let mut unfunded = std::collections::HashSet::new();
        for (payer, dc) in dc_by_payer {
            self.store.plan_dc_burn(hour, payer, *dc).await?;
        }
        let planned = self.store.dc_burns(hour).await?;
        for (payer, dc, status) in planned {
            if status == "done" {
                continue;
            }
            if status.starts_with("failed") {
                unfunded.insert(payer);
                continue;
            }
            let payer_key = Pubkey::new_from_array(payer);
            let escrow = lattice_sdk::dc::escrow(&self.keys.coverage_sub_dao, &payer_key);
            let balance = match self.chain.get_account(&escrow).await? {
                Some(a) => lattice_sdk::accounts::token_amount(&a.data).unwrap_or(0),
                None => 0,
            };
            if balance < dc {
                self.store
                    .set_dc_burn_status(hour, &payer, "failed: insufficient escrow")
                    .await?;
                unfunded.insert(payer);
                continue;
            }
            let chain_hour = lattice_math::epoch::hour_of(self.chain.unix_timestamp().await?);
            let ix = lattice_sdk::dc::burn_delegated_dc(
                &lattice_sdk::solana::Signer::pubkey(&self.keypair),
                &self.keys.dao,
                &self.keys.coverage_sub_dao,
                &payer_key,
                chain_hour,
                dc,
            );
            lattice_sdk::send::send(&self.chain, &self.send, &[ix], &self.keypair, &[])
                .await
                .with_context(|| format!("burning {dc} DC of payer {payer_key}"))?;
            self.store.set_dc_burn_status(hour, &payer, "done").await?;
            metrics::counter!("lattice_oracle_dc_burned_total").increment(dc);
        }
        Ok(unfunded)
    }
}
