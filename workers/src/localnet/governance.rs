//! `lattice localnet --governance-demo`: holders lock and delegate (the split moves with V), a
//! proposal changing the utility weights passes, waits out its timelock and executes, and the
//! next hour's issuance uses the new weights. Every step goes through the same `ops` code as
//! `lattice stake` and `lattice gov`.

use crate::ops::{governance::ProposalFile, Operator};
use anyhow::{Context as _, Result};
use lattice_governance::{LockKind, ProposalState, VoteChoice};
use lattice_migrations::LatticeConfig;
use lattice_sdk::{
    embedded::EmbeddedChain,
    send::send,
    solana::{Keypair, Pubkey, Signer},
    Chain,
};
use serde::Serialize;

/// Loop index (hours after genesis) at which the proposal is made and voted on.
const PROPOSE_AT: u64 = 2;

/// One holder's position.
#[derive(Debug, Clone, Serialize)]
pub struct HolderReport {
    /// Wallet.
    pub wallet: String,
    /// Main-token base units locked.
    pub locked: u64,
    /// Lock description.
    pub lock: String,
    /// Sub-DAO delegated to.
    pub delegated_to: String,
    /// Vote cast.
    pub vote: String,
    /// Staker rewards claimed at the end, main-token base units.
    pub rewards_claimed: u64,
}

/// The demo's report.
#[derive(Debug, Clone, Serialize, Default)]
pub struct GovernanceReport {
    /// Holders.
    pub holders: Vec<HolderReport>,
    /// Proposal id.
    pub proposal_id: Option<u64>,
    /// Its URI.
    pub proposal_uri: String,
    /// Its changes, as stored on chain.
    pub proposal_changes: Vec<String>,
    /// Final state.
    pub proposal_state: String,
    /// Tallies (power units).
    pub yes: String,
    /// No power.
    pub no: String,
    /// Hour voting opened, hour it was queued, hour it executed.
    pub voted_hour: Option<u64>,
    /// Hour it was finalized (queued).
    pub queued_hour: Option<u64>,
    /// Hour its change executed.
    pub executed_hour: Option<u64>,
    /// Utility weights (ve, dc, devices) before and after.
    pub weights_before: [u16; 3],
    /// After execution.
    pub weights_after: [u16; 3],
    /// First hour issued with the new weights.
    pub first_hour_with_new_weights: Option<u64>,
    /// First hour the holders' delegations count in the V input (the hour after they locked).
    pub first_hour_with_delegation: u64,
}

/// The demo's state.
pub struct GovernanceDemo {
    chain: EmbeddedChain,
    cfg: LatticeConfig,
    main_mint: Pubkey,
    holders: Vec<Keypair>,
    report: GovernanceReport,
    /// (sub-DAO name, amount in whole tokens, kind, hours, vote).
    plan: Vec<(String, u64, LockKind, u64, VoteChoice)>,
}

impl GovernanceDemo {
    fn op<'a>(&'a self, wallet: &'a Keypair) -> Operator<'a, EmbeddedChain> {
        Operator {
            chain: &self.chain,
            cfg: &self.cfg,
            main_mint: self.main_mint,
            wallet,
            opts: self.cfg.send_options(),
        }
    }

    /// Fund three holders from the genesis holder `payer`; they lock and delegate now (counted
    /// from the next hour).
    pub async fn start(
        chain: EmbeddedChain,
        cfg: &LatticeConfig,
        payer: &Keypair,
        main_mint: &Pubkey,
    ) -> Result<Self> {
        anyhow::ensure!(
            cfg.governance.enabled,
            "--governance-demo needs [governance] enabled"
        );
        let names = &cfg.dao.sub_daos;
        let first = names.first().cloned().unwrap_or_default();
        let last = names.last().cloned().unwrap_or_default();
        let max = cfg.governance_ve().max_lock_hours;
        let plan: Vec<(String, u64, LockKind, u64, VoteChoice)> = vec![
            (
                last.clone(),
                2_000_000,
                LockKind::Constant,
                max,
                VoteChoice::Yes,
            ),
            (last, 1_000_000, LockKind::Cliff, max / 2, VoteChoice::Yes),
            (first, 600_000, LockKind::Cliff, max / 4, VoteChoice::No),
        ];
        let unit = 10u64.pow(u32::from(cfg.dao.decimals));
        let mut holders = Vec::new();
        for (_, tokens, ..) in &plan {
            let h = Keypair::new();
            chain.airdrop(&h.pubkey(), 1_000_000_000).await?;
            let ixs = vec![
                lattice_sdk::token::create_associated_token_account(
                    &payer.pubkey(),
                    &h.pubkey(),
                    main_mint,
                ),
                lattice_sdk::token::transfer(
                    &payer.pubkey(),
                    &h.pubkey(),
                    main_mint,
                    tokens.saturating_mul(unit),
                ),
            ];
            send(&chain, &cfg.send_options(), &ixs, payer, &[])
                .await
                .context("funding a holder")?;
            holders.push(h);
        }
        let mut demo = Self {
            chain,
            cfg: cfg.clone(),
            main_mint: *main_mint,
            holders,
            report: GovernanceReport::default(),
            plan,
        };
        let view = lattice_sdk::accounts::DaoView::load(&demo.chain, main_mint).await?;
        demo.report.first_hour_with_delegation =
            lattice_math::epoch::hour_of(demo.chain.unix_timestamp().await?).saturating_add(1);
        let w = view.dao.utility_weights;
        demo.report.weights_before = [w.ve_bps, w.dc_bps, w.devices_bps];
        for (h, (sub, tokens, kind, hours, _)) in demo.holders.iter().zip(&demo.plan) {
            let op = demo.op(h);
            let amount = tokens.saturating_mul(unit);
            let id = op.stake_lock(amount, *kind, *hours, Some(0)).await?;
            op.stake_delegate(id, sub).await?;
            demo.report.holders.push(HolderReport {
                wallet: h.pubkey().to_string(),
                locked: amount,
                lock: format!("{kind:?} {hours} h"),
                delegated_to: sub.clone(),
                vote: String::new(),
                rewards_claimed: 0,
            });
        }
        Ok(demo)
    }

    /// New utility weights the proposal sets: usage-heavy.
    fn new_weights() -> [u16; 3] {
        [1_000, 6_000, 3_000]
    }

    /// Act at loop index `i` (the chain is at the start of hour `hour`, already cranked).
    pub async fn on_hour(&mut self, i: u64, hour: u64) -> Result<()> {
        let dao = lattice_sdk::pda::dao(&self.main_mint);
        if i == PROPOSE_AT {
            let [ve, dc, dev] = Self::new_weights();
            let file = ProposalFile::parse(&format!(
                "uri = \"https://lattice.example/proposals/usage-weights\"\n\n[[changes]]\nkind = \"dao\"\nutility_weights = {{ ve_bps = {ve}, dc_bps = {dc}, devices_bps = {dev} }}\n"
            ))?;
            let proposer = &self.holders[0];
            let id = self.op(proposer).gov_propose(&file, 0, false).await?;
            self.report.proposal_id = Some(id);
            self.report.voted_hour = Some(hour);
            for (k, (h, plan)) in self.holders.iter().zip(&self.plan).enumerate() {
                self.op(h).gov_vote(id, plan.4, &[0]).await?;
                self.report.holders[k].vote = format!("{:?}", plan.4);
            }
            return Ok(());
        }
        let Some(id) = self.report.proposal_id else {
            return Ok(());
        };
        if self.report.executed_hour.is_some() {
            return Ok(());
        }
        let fetch = || async {
            lattice_sdk::governance::fetch_proposal(&self.chain, &dao, id)
                .await?
                .context("proposal")
        };
        let now = self.chain.unix_timestamp().await?;
        let cranker = &self.holders[2];
        let mut p = fetch().await?;
        if p.state == ProposalState::Voting && now >= p.voting_end {
            let ix = lattice_sdk::governance::finalize_proposal(&dao, id);
            send(&self.chain, &self.cfg.send_options(), &[ix], cranker, &[])
                .await
                .context("finalize_proposal")?;
            self.report.queued_hour = Some(hour);
            p = fetch().await?;
        }
        if p.state == ProposalState::Queued && now >= p.eta {
            self.op(cranker).gov_execute(id).await?;
            self.report.executed_hour = Some(hour);
            self.report.first_hour_with_new_weights = Some(hour);
        }
        Ok(())
    }

    /// Claim every holder's rewards and finish the report.
    pub async fn finish(mut self) -> Result<GovernanceReport> {
        for k in 0..self.holders.len() {
            let claimed = self.op(&self.holders[k]).stake_claim(0).await?;
            self.report.holders[k].rewards_claimed = claimed;
        }
        let dao = lattice_sdk::pda::dao(&self.main_mint);
        if let Some(id) = self.report.proposal_id {
            let p = lattice_sdk::governance::fetch_proposal(&self.chain, &dao, id)
                .await?
                .context("proposal")?;
            self.report.proposal_uri = p.uri.clone();
            self.report.proposal_changes = p.changes.iter().map(|c| format!("{c:?}")).collect();
            self.report.proposal_state = format!("{:?}", p.state);
            self.report.yes = p.yes.to_string();
            self.report.no = p.no.to_string();
        }
        let view = lattice_sdk::accounts::DaoView::load(&self.chain, &self.main_mint).await?;
        let w = view.dao.utility_weights;
        self.report.weights_after = [w.ve_bps, w.dc_bps, w.devices_bps];
        Ok(self.report)
    }
}
