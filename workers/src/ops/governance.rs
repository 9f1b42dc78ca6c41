//! What `lattice stake` and `lattice gov` do, written against [`Chain`] (tested on the embedded
//! chain), and the TOML file format of a proposal's parameter changes.

use super::Operator;
use anyhow::{bail, Context as _, Result};
use lattice_governance::{
    AuthorityTarget, GovernanceParams, Lock, LockKind, ParamChange, Position, Proposal,
    ProposalState, VoteChoice,
};
use lattice_sdk::{
    governance as gov,
    solana::{Pubkey, Signature, Signer},
    Chain,
};
use serde::Deserialize;

/// A proposal file: its description URI and typed parameter changes (amounts in base units).
///
/// ```toml
/// uri = "https://forum.example.org/proposals/7"
///
/// [[changes]]
/// kind = "dao"
/// utility_weights = { ve_bps = 2_000, dc_bps = 6_000, devices_bps = 2_000 }
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalFile {
    /// Description URI (≤ 200 bytes).
    pub uri: String,
    /// The changes, executed in order (1..=8).
    pub changes: Vec<ChangeSpec>,
}

/// An emission schedule in a proposal file.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionSpec {
    pub pool: u64,
    pub periods: u16,
    pub hours_per_period: u32,
    pub decay_bps: u16,
}

/// Breaker limits in a proposal file.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerSpec {
    pub window_secs: u64,
    pub threshold: u64,
}

/// Utility weights in a proposal file.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsSpec {
    pub ve_bps: u16,
    pub dc_bps: u16,
    pub devices_bps: u16,
}

/// One change in a proposal file; `kind` selects the program and parameter family. Sub-DAOs are
/// named as in the app-config; keys are base58.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangeSpec {
    /// Main emission schedule, breaker, utility weights, delegator share (any subset).
    Dao {
        emission: Option<EmissionSpec>,
        breaker: Option<BreakerSpec>,
        utility_weights: Option<WeightsSpec>,
        delegator_bps: Option<u16>,
    },
    /// A sub-DAO's token schedule and breaker.
    SubDao {
        sub_dao: String,
        emission: Option<EmissionSpec>,
        breaker: Option<BreakerSpec>,
    },
    /// A sub-DAO's treasury conversion (all fields).
    Conversion {
        sub_dao: String,
        virtual_reserve: u64,
        fee_bps: u16,
        frozen_to_main: bool,
        frozen_to_sub: bool,
        frozen_until_unix: i64,
    },
    /// DC price and Pyth settings (any subset); `price_feed_id` in hex.
    DataCredits {
        dc_price_nano_usd: Option<u64>,
        price_feed_id: Option<String>,
        price_owner: Option<String>,
        max_age_secs: Option<u64>,
        max_conf_bps: Option<u16>,
        breaker: Option<BreakerSpec>,
    },
    /// Who may burn a sub-DAO's delegated DC.
    DcBurnAuthority {
        sub_dao: String,
        burn_authority: String,
    },
    /// Registry parameters (all fields).
    Registry {
        h3_resolution: u8,
        min_gain_dbi_x10: i16,
        max_gain_dbi_x10: i16,
        min_elevation_m: i32,
        max_elevation_m: i32,
        hotspot_onboarding_fee_dc: u64,
        location_fee_dc: u64,
        gpu_onboarding_fee_dc: u64,
        min_stake_per_gpu: u64,
        unstake_cooldown_secs: u64,
    },
    /// A sub-DAO's reward oracle set.
    RewardsOracles {
        sub_dao: String,
        oracles: Vec<String>,
        threshold: u8,
    },
    /// A sub-DAO's claim breaker.
    RewardsClaimBreaker {
        sub_dao: String,
        window_secs: u64,
        threshold: u64,
    },
    /// Compute authority, fault slash and slash destination.
    Compute {
        authority: String,
        fault_slash_bps: u16,
        slash_destination: String,
    },
    /// Compute fault-oracle set.
    ComputeOracles { oracles: Vec<String>, threshold: u8 },
    /// A GPU market (all fields).
    Market {
        class_id: u8,
        name: String,
        min_vram_gb: u16,
        min_stake: u64,
        price_floor_dc_per_sec: u64,
        max_duration_secs: u64,
        max_jobs_per_node: u8,
        verification_window_secs: u64,
        timeout_slash_bps: u16,
        capacity_weight_bps: u16,
    },
    /// Governance's proposal rules.
    Governance {
        voting_secs: i64,
        quorum: u128,
        threshold_bps: u16,
        timelock_secs: i64,
        min_proposal_power: u128,
    },
    /// Move a program's authority (`dao`, `data_credits` or `registry`).
    Authority {
        target: String,
        new_authority: String,
    },
}

fn key(s: &str) -> Result<Pubkey> {
    s.parse()
        .with_context(|| format!("not a base58 key: {s:?}"))
}

fn keys(list: &[String]) -> Result<Vec<Pubkey>> {
    list.iter().map(|s| key(s)).collect()
}

impl ChangeSpec {
    /// The on-chain change, with sub-DAO names resolved under `dao`.
    pub fn to_change(&self, dao: &Pubkey) -> Result<ParamChange> {
        use lattice_dao::{BreakerParams, EmissionParams, UtilityWeightParams};
        let sub = |name: &str| lattice_sdk::pda::sub_dao(dao, name);
        let emission = |e: &Option<EmissionSpec>| {
            e.map(|e| EmissionParams {
                pool: e.pool,
                periods: e.periods,
                hours_per_period: e.hours_per_period,
                decay_bps: e.decay_bps,
            })
        };
        let breaker = |b: &Option<BreakerSpec>| {
            b.map(|b| BreakerParams {
                window_secs: b.window_secs,
                threshold: b.threshold,
            })
        };
        Ok(match self {
            ChangeSpec::Dao {
                emission: e,
                breaker: b,
                utility_weights,
                delegator_bps,
            } => ParamChange::Dao(lattice_dao::DaoParamsUpdate {
                emission: emission(e),
                breaker: breaker(b),
                utility_weights: utility_weights.map(|w| UtilityWeightParams {
                    ve_bps: w.ve_bps,
                    dc_bps: w.dc_bps,
                    devices_bps: w.devices_bps,
                }),
                delegator_bps: *delegator_bps,
            }),
            ChangeSpec::SubDao {
                sub_dao,
                emission: e,
                breaker: b,
            } => ParamChange::SubDao {
                sub_dao: sub(sub_dao),
                params: lattice_dao::SubDaoParamsUpdate {
                    emission: emission(e),
                    breaker: breaker(b),
                },
            },
            ChangeSpec::Conversion {
                sub_dao,
                virtual_reserve,
                fee_bps,
                frozen_to_main,
                frozen_to_sub,
                frozen_until_unix,
            } => ParamChange::Conversion {
                sub_dao: sub(sub_dao),
                params: lattice_dao::ConversionParams {
                    virtual_reserve: *virtual_reserve,
                    fee_bps: *fee_bps,
                    frozen_to_main: *frozen_to_main,
                    frozen_to_sub: *frozen_to_sub,
                    frozen_until_unix: *frozen_until_unix,
                },
            },
            ChangeSpec::DataCredits {
                dc_price_nano_usd,
                price_feed_id,
                price_owner,
                max_age_secs,
                max_conf_bps,
                breaker: b,
            } => ParamChange::DataCredits(lattice_data_credits::DcParamsUpdate {
                dc_price_nano_usd: *dc_price_nano_usd,
                price_feed_id: price_feed_id
                    .as_deref()
                    .map(|h| {
                        let bytes = hex::decode(h.trim_start_matches("0x"))?;
                        <[u8; 32]>::try_from(bytes.as_slice())
                            .map_err(|_| anyhow::anyhow!("price_feed_id: 32 bytes of hex"))
                    })
                    .transpose()?,
                price_owner: price_owner.as_deref().map(key).transpose()?,
                max_age_secs: *max_age_secs,
                max_conf_bps: *max_conf_bps,
                breaker: breaker(b),
            }),
            ChangeSpec::DcBurnAuthority {
                sub_dao,
                burn_authority,
            } => ParamChange::DcBurnAuthority {
                sub_dao: sub(sub_dao),
                burn_authority: key(burn_authority)?,
            },
            ChangeSpec::Registry {
                h3_resolution,
                min_gain_dbi_x10,
                max_gain_dbi_x10,
                min_elevation_m,
                max_elevation_m,
                hotspot_onboarding_fee_dc,
                location_fee_dc,
                gpu_onboarding_fee_dc,
                min_stake_per_gpu,
                unstake_cooldown_secs,
            } => ParamChange::Registry(lattice_registry::RegistryParams {
                h3_resolution: *h3_resolution,
                min_gain_dbi_x10: *min_gain_dbi_x10,
                max_gain_dbi_x10: *max_gain_dbi_x10,
                min_elevation_m: *min_elevation_m,
                max_elevation_m: *max_elevation_m,
                hotspot_onboarding_fee_dc: *hotspot_onboarding_fee_dc,
                location_fee_dc: *location_fee_dc,
                gpu_onboarding_fee_dc: *gpu_onboarding_fee_dc,
                min_stake_per_gpu: *min_stake_per_gpu,
                unstake_cooldown_secs: *unstake_cooldown_secs,
            }),
            ChangeSpec::RewardsOracles {
                sub_dao,
                oracles,
                threshold,
            } => ParamChange::RewardsOracles {
                sub_dao: sub(sub_dao),
                oracles: keys(oracles)?,
                threshold: *threshold,
            },
            ChangeSpec::RewardsClaimBreaker {
                sub_dao,
                window_secs,
                threshold,
            } => ParamChange::RewardsClaimBreaker {
                sub_dao: sub(sub_dao),
                params: BreakerParams {
                    window_secs: *window_secs,
                    threshold: *threshold,
                },
            },
            ChangeSpec::Compute {
                authority,
                fault_slash_bps,
                slash_destination,
            } => ParamChange::Compute {
                params: lattice_compute::ComputeParams {
                    authority: key(authority)?,
                    fault_slash_bps: *fault_slash_bps,
                },
                slash_destination: key(slash_destination)?,
            },
            ChangeSpec::ComputeOracles { oracles, threshold } => ParamChange::ComputeOracles {
                oracles: keys(oracles)?,
                threshold: *threshold,
            },
            ChangeSpec::Market {
                class_id,
                name,
                min_vram_gb,
                min_stake,
                price_floor_dc_per_sec,
                max_duration_secs,
                max_jobs_per_node,
                verification_window_secs,
                timeout_slash_bps,
                capacity_weight_bps,
            } => ParamChange::Market {
                class_id: *class_id,
                params: lattice_compute::MarketParams {
                    name: lattice_sdk::compute::market_name(name),
                    min_vram_gb: *min_vram_gb,
                    min_stake: *min_stake,
                    price_floor_dc_per_sec: *price_floor_dc_per_sec,
                    max_duration_secs: *max_duration_secs,
                    max_jobs_per_node: *max_jobs_per_node,
                    verification_window_secs: *verification_window_secs,
                    timeout_slash_bps: *timeout_slash_bps,
                    capacity_weight_bps: *capacity_weight_bps,
                },
            },
            ChangeSpec::Governance {
                voting_secs,
                quorum,
                threshold_bps,
                timelock_secs,
                min_proposal_power,
            } => ParamChange::Governance(GovernanceParams {
                voting_secs: *voting_secs,
                quorum: *quorum,
                threshold_bps: *threshold_bps,
                timelock_secs: *timelock_secs,
                min_proposal_power: *min_proposal_power,
            }),
            ChangeSpec::Authority {
                target,
                new_authority,
            } => ParamChange::Authority {
                target: match target.as_str() {
                    "dao" => AuthorityTarget::Dao,
                    "data_credits" => AuthorityTarget::DataCredits,
                    "registry" => AuthorityTarget::Registry,
                    other => bail!("authority target {other:?}: dao, data_credits or registry"),
                },
                new_authority: key(new_authority)?,
            },
        })
    }
}

impl ProposalFile {
    /// Parse a proposal file.
    pub fn parse(text: &str) -> Result<Self> {
        let f: Self = toml::from_str(text).context("proposal file")?;
        if f.changes.is_empty() || f.changes.len() > lattice_governance::MAX_CHANGES {
            bail!(
                "a proposal carries 1..={} changes",
                lattice_governance::MAX_CHANGES
            );
        }
        Ok(f)
    }
}

/// A wallet's position with its address.
#[derive(Debug, Clone)]
pub struct OwnedPosition {
    /// Id (PDA seed).
    pub id: u64,
    /// Address.
    pub address: Pubkey,
    /// State.
    pub position: Position,
}

/// Ids scanned for a wallet's positions (they are numbered from 0 by `stake lock`).
const MAX_POSITION_SCAN: u64 = 64;

impl<C: Chain> Operator<'_, C> {
    fn dao(&self) -> Pubkey {
        lattice_sdk::pda::dao(&self.main_mint)
    }

    async fn governance_account(&self) -> Result<lattice_governance::Governance> {
        gov::fetch_governance(self.chain, &self.dao())
            .await?
            .context("governance is not initialized on this deployment")
    }

    async fn next_hour(&self) -> Result<u64> {
        Ok(self.hour().await?.saturating_add(1))
    }

    fn owner_tokens(&self) -> Pubkey {
        lattice_sdk::pda::associated_token(&self.wallet.pubkey(), &self.main_mint)
    }

    /// The wallet's positions (ids `0..64`, stopping at the first run of 8 free ids).
    pub async fn stake_positions(&self) -> Result<Vec<OwnedPosition>> {
        let g = gov::governance(&self.dao());
        let me = self.wallet.pubkey();
        let ids: Vec<u64> = (0..MAX_POSITION_SCAN).collect();
        let addresses: Vec<Pubkey> = ids.iter().map(|id| gov::position(&g, &me, *id)).collect();
        let accounts = self.chain.get_multiple_accounts(&addresses).await?;
        let mut out = Vec::new();
        for ((id, address), acct) in ids.into_iter().zip(addresses).zip(accounts) {
            if let Some(a) = acct.filter(|a| a.owner == lattice_governance::ID) {
                let position = lattice_sdk::accounts::decode::<Position>(&a.data)?;
                out.push(OwnedPosition {
                    id,
                    address,
                    position,
                });
            }
        }
        Ok(out)
    }

    async fn position(&self, id: u64) -> Result<(Pubkey, Position)> {
        let g = gov::governance(&self.dao());
        let address = gov::position(&g, &self.wallet.pubkey(), id);
        let p = gov::fetch_position(self.chain, &address)
            .await?
            .with_context(|| format!("no position {id} for this wallet"))?;
        Ok((address, p))
    }

    /// `lattice stake lock`: lock `amount` base units in a new position (the first free id
    /// unless `id` is given). Returns the id.
    pub async fn stake_lock(
        &self,
        amount: u64,
        kind: LockKind,
        hours: u64,
        id: Option<u64>,
    ) -> Result<u64> {
        let id = match id {
            Some(id) => id,
            None => {
                let taken: Vec<u64> = self.stake_positions().await?.iter().map(|p| p.id).collect();
                (0..MAX_POSITION_SCAN)
                    .find(|i| !taken.contains(i))
                    .context("no free position id")?
            }
        };
        let ix = gov::lock(
            &self.wallet.pubkey(),
            &self.dao(),
            &self.main_mint,
            &self.owner_tokens(),
            id,
            amount,
            kind,
            hours,
        );
        self.send(&[ix], &[]).await.context("lock")?;
        Ok(id)
    }

    /// `lattice stake extend`: a new lock for position `id` (longer, or unlock a constant lock
    /// with `--kind cliff` and the same hours).
    pub async fn stake_extend(&self, id: u64, kind: LockKind, hours: u64) -> Result<Signature> {
        let (address, p) = self.position(id).await?;
        let g = self.governance_account().await?;
        let next = self.next_hour().await?;
        let new = match kind {
            LockKind::Cliff => Lock::Cliff {
                end_hour: next.saturating_add(hours),
            },
            LockKind::Constant => Lock::Constant {
                duration_hours: hours,
            },
        };
        let delegated = p.delegation.map(|d| d.sub_dao);
        let ix = gov::relock(
            &self.wallet.pubkey(),
            &self.dao(),
            &address,
            &g.ve,
            p.amount,
            p.lock,
            new,
            delegated.as_ref(),
            next,
            kind,
            hours,
        );
        self.send(&[ix], &[]).await.context("relock")
    }

    /// `lattice stake withdraw`: return an expired, undelegated position's tokens.
    pub async fn stake_withdraw(&self, id: u64) -> Result<Signature> {
        let (address, _) = self.position(id).await?;
        let me = self.wallet.pubkey();
        let ixs = vec![
            lattice_sdk::token::create_associated_token_account(&me, &me, &self.main_mint),
            gov::withdraw(&me, &self.dao(), &address, &self.owner_tokens()),
        ];
        self.send(&ixs, &[]).await.context("withdraw")
    }

    /// `lattice stake delegate`: delegate position `id` to the sub-DAO named `sub_dao` from the
    /// next hour on; a delegated position moves (undelegate + delegate in one transaction).
    pub async fn stake_delegate(&self, id: u64, sub_dao: &str) -> Result<Signature> {
        let (address, p) = self.position(id).await?;
        let g = self.governance_account().await?;
        let next = self.next_hour().await?;
        let dao = self.dao();
        let target = lattice_sdk::pda::sub_dao(&dao, sub_dao);
        let me = self.wallet.pubkey();
        let mut ixs = Vec::new();
        if let Some(d) = p.delegation {
            if d.sub_dao == target {
                bail!("position {id} is already delegated to {sub_dao}");
            }
            ixs.push(gov::undelegate(
                &me, &dao, &address, &p, &d.sub_dao, &g.ve, next,
            ));
        }
        ixs.push(gov::delegate(&me, &dao, &address, &p, &target, &g.ve, next));
        self.send(&ixs, &[]).await.context("delegate")
    }

    /// `lattice stake undelegate`.
    pub async fn stake_undelegate(&self, id: u64) -> Result<Signature> {
        let (address, p) = self.position(id).await?;
        let d = p
            .delegation
            .with_context(|| format!("position {id} is not delegated"))?;
        let g = self.governance_account().await?;
        let next = self.next_hour().await?;
        let ix = gov::undelegate(
            &self.wallet.pubkey(),
            &self.dao(),
            &address,
            &p,
            &d.sub_dao,
            &g.ve,
            next,
        );
        self.send(&[ix], &[]).await.context("undelegate")
    }

    /// `lattice stake claim`: claim position `id`'s staker rewards from every sub-DAO it has
    /// unclaimed hours with. Returns the main-token base units received.
    pub async fn stake_claim(&self, id: u64) -> Result<u64> {
        let (address, p) = self.position(id).await?;
        let g = self.governance_account().await?;
        let dao = self.dao();
        let me = self.wallet.pubkey();
        let mut subs: Vec<Pubkey> = p.unsettled.iter().map(|u| u.sub_dao).collect();
        subs.extend(p.delegation.map(|d| d.sub_dao));
        subs.sort_unstable();
        subs.dedup();
        let before = self.main_balance().await?;
        for sub_dao in subs {
            let current = gov::fetch_position(self.chain, &address).await?;
            let Some(current) = current else { break };
            let aggregate = gov::fetch_sub_dao_ve(self.chain, &sub_dao)
                .await?
                .context("sub-DAO aggregate")?;
            let ixs = vec![
                lattice_sdk::token::create_associated_token_account(&me, &me, &self.main_mint),
                gov::claim_rewards(
                    &me,
                    &dao,
                    &address,
                    &current,
                    &sub_dao,
                    &g.ve,
                    aggregate.hour,
                    &self.owner_tokens(),
                ),
            ];
            self.send(&ixs, &[]).await.context("claim_rewards")?;
        }
        Ok(self.main_balance().await?.saturating_sub(before))
    }

    async fn main_balance(&self) -> Result<u64> {
        Ok(match self.chain.get_account(&self.owner_tokens()).await? {
            Some(a) => lattice_sdk::accounts::token_amount(&a.data).unwrap_or(0),
            None => 0,
        })
    }

    /// `lattice gov propose`: draft the proposal of `file` with position `position_id` (and open
    /// voting in the same transaction unless `draft`). Returns the proposal id.
    pub async fn gov_propose(
        &self,
        file: &ProposalFile,
        position_id: u64,
        draft: bool,
    ) -> Result<u64> {
        let dao = self.dao();
        let changes = file
            .changes
            .iter()
            .map(|c| c.to_change(&dao))
            .collect::<Result<Vec<_>>>()?;
        let g = self.governance_account().await?;
        let (position, _) = self.position(position_id).await?;
        let id = g.proposal_count;
        let me = self.wallet.pubkey();
        let mut ixs = vec![gov::propose(
            &me,
            &dao,
            &position,
            id,
            file.uri.clone(),
            changes,
        )];
        if !draft {
            ixs.push(gov::start_voting(&me, &dao, id));
        }
        self.send(&ixs, &[]).await.context("propose")?;
        Ok(id)
    }

    /// `lattice gov vote`: vote `choice` on proposal `id` with the given positions (all the
    /// wallet's positions with power when empty). Returns the positions that voted.
    pub async fn gov_vote(
        &self,
        id: u64,
        choice: VoteChoice,
        positions: &[u64],
    ) -> Result<Vec<u64>> {
        let dao = self.dao();
        let proposal = gov::fetch_proposal(self.chain, &dao, id)
            .await?
            .with_context(|| format!("no proposal {id}"))?;
        let mine = self.stake_positions().await?;
        let chosen: Vec<&OwnedPosition> = mine
            .iter()
            .filter(|p| {
                if positions.is_empty() {
                    p.position.created_hour < proposal.snapshot_hour && p.position.amount > 0
                } else {
                    positions.contains(&p.id)
                }
            })
            .collect();
        if chosen.is_empty() {
            bail!("no position of this wallet can vote on proposal {id} (positions must exist before the hour voting opened)");
        }
        let me = self.wallet.pubkey();
        let ixs: Vec<_> = chosen
            .iter()
            .map(|p| gov::vote(&me, &dao, id, &p.address, choice))
            .collect();
        self.send(&ixs, &[]).await.context("vote")?;
        Ok(chosen.iter().map(|p| p.id).collect())
    }

    /// `lattice gov execute`: finalize proposal `id` if its voting is over, then, once its
    /// timelock has passed, execute its remaining changes in order. Returns the state reached
    /// (`Queued` while the timelock runs, `Defeated` when it failed).
    pub async fn gov_execute(&self, id: u64) -> Result<ProposalState> {
        let dao = self.dao();
        let fetch = || async {
            gov::fetch_proposal(self.chain, &dao, id)
                .await?
                .with_context(|| format!("no proposal {id}"))
        };
        let mut p = fetch().await?;
        if p.state == ProposalState::Voting {
            self.send(&[gov::finalize_proposal(&dao, id)], &[])
                .await
                .context("finalize_proposal")?;
            p = fetch().await?;
        }
        match p.state {
            ProposalState::Queued => {}
            ProposalState::Executed | ProposalState::Defeated => return Ok(p.state),
            other => bail!("proposal {id} is {other:?}: nothing to execute yet"),
        }
        if self.chain.unix_timestamp().await? < p.eta {
            return Ok(p.state);
        }
        for index in p.executed..u8::try_from(p.changes.len()).unwrap_or(u8::MAX) {
            let change = &p.changes[usize::from(index)];
            self.send(&[gov::execute_change(&dao, id, index, change)], &[])
                .await
                .with_context(|| format!("execute change {index}"))?;
        }
        Ok(fetch().await?.state)
    }

    /// `lattice gov cancel` (proposer, draft only).
    pub async fn gov_cancel(&self, id: u64) -> Result<Signature> {
        let ix = gov::cancel_proposal(&self.wallet.pubkey(), &self.dao(), id);
        self.send(&[ix], &[]).await.context("cancel_proposal")
    }

    /// `lattice gov start` (proposer): open a draft for votes.
    pub async fn gov_start(&self, id: u64) -> Result<Signature> {
        let ix = gov::start_voting(&self.wallet.pubkey(), &self.dao(), id);
        self.send(&[ix], &[]).await.context("start_voting")
    }

    /// `lattice gov list` / `show`: every proposal, newest first.
    pub async fn gov_list(&self) -> Result<Vec<(u64, Proposal)>> {
        let dao = self.dao();
        let g = self.governance_account().await?;
        let gk = gov::governance(&dao);
        let ids: Vec<u64> = (0..g.proposal_count).rev().collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(100) {
            let addresses: Vec<Pubkey> = chunk.iter().map(|i| gov::proposal(&gk, *i)).collect();
            for (id, acct) in chunk
                .iter()
                .zip(self.chain.get_multiple_accounts(&addresses).await?)
            {
                if let Some(a) = acct {
                    out.push((*id, lattice_sdk::accounts::decode::<Proposal>(&a.data)?));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_file_with_every_kind_of_change() {
        let k = Pubkey::new_unique().to_string();
        let text = format!(
            r#"
uri = "https://forum.example.org/p/1"

[[changes]]
kind = "dao"
utility_weights = {{ ve_bps = 2000, dc_bps = 6000, devices_bps = 2000 }}
delegator_bps = 1500
emission = {{ pool = 1000, periods = 2, hours_per_period = 10, decay_bps = 9000 }}
breaker = {{ window_secs = 3600, threshold = 5 }}

[[changes]]
kind = "sub_dao"
sub_dao = "coverage"
emission = {{ pool = 1000, periods = 2, hours_per_period = 10, decay_bps = 9000 }}

[[changes]]
kind = "conversion"
sub_dao = "compute"
virtual_reserve = 10
fee_bps = 30
frozen_to_main = false
frozen_to_sub = true
frozen_until_unix = 0

[[changes]]
kind = "data_credits"
dc_price_nano_usd = 10000
price_feed_id = "0x{feed}"
max_age_secs = 60

[[changes]]
kind = "dc_burn_authority"
sub_dao = "compute"
burn_authority = "{k}"

[[changes]]
kind = "rewards_oracles"
sub_dao = "coverage"
oracles = ["{k}"]
threshold = 1

[[changes]]
kind = "market"
class_id = 0
name = "consumer"
min_vram_gb = 8
min_stake = 1
price_floor_dc_per_sec = 1
max_duration_secs = 3600
max_jobs_per_node = 1
verification_window_secs = 300
timeout_slash_bps = 500
capacity_weight_bps = 2500

[[changes]]
kind = "authority"
target = "registry"
new_authority = "{k}"
"#,
            feed = "ab".repeat(32)
        );
        let f = ProposalFile::parse(&text).unwrap();
        let dao = Pubkey::new_unique();
        let changes: Vec<ParamChange> = f
            .changes
            .iter()
            .map(|c| c.to_change(&dao).unwrap())
            .collect();
        assert_eq!(changes.len(), 8);
        match &changes[0] {
            ParamChange::Dao(u) => {
                assert_eq!(u.utility_weights.unwrap().dc_bps, 6000);
                assert_eq!(u.delegator_bps, Some(1500));
            }
            other => panic!("{other:?}"),
        }
        match &changes[1] {
            ParamChange::SubDao { sub_dao, .. } => {
                assert_eq!(*sub_dao, lattice_sdk::pda::sub_dao(&dao, "coverage"))
            }
            other => panic!("{other:?}"),
        }
        match &changes[3] {
            ParamChange::DataCredits(u) => assert_eq!(u.price_feed_id, Some([0xab; 32])),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            changes[7],
            ParamChange::Authority {
                target: AuthorityTarget::Registry,
                ..
            }
        ));
    }

    #[test]
    fn bad_proposal_files_are_refused() {
        assert!(ProposalFile::parse("uri = \"x\"\nchanges = []\n").is_err());
        assert!(ProposalFile::parse("uri = \"x\"\n[[changes]]\nkind = \"nope\"\n").is_err());
        let f = ProposalFile::parse(
            "uri = \"x\"\n[[changes]]\nkind = \"authority\"\ntarget = \"moon\"\nnew_authority = \"11111111111111111111111111111111\"\n",
        )
        .unwrap();
        assert!(f.changes[0].to_change(&Pubkey::new_unique()).is_err());
        let f = ProposalFile::parse(
            "uri = \"x\"\n[[changes]]\nkind = \"compute_oracles\"\noracles = [\"not-a-key\"]\nthreshold = 2\n",
        )
        .unwrap();
        assert!(f.changes[0].to_change(&Pubkey::new_unique()).is_err());
    }
}
