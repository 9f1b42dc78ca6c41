//! End to end: every program's authority handed to the governance PDA, the bootstrap key locked
//! out of every admin instruction, and parameter changes of every program family passed,
//! timelocked and executed by governance.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{ComputeConfig, ComputeError, ComputeParams, Market};
use lattice_dao::{
    BreakerParams, Conversion, ConversionParams, Dao, DaoError, DaoParamsUpdate,
    SubDaoParamsUpdate, UtilityWeightParams,
};
use lattice_data_credits::{DataCredits, DcError, DcParamsUpdate, SubDaoDc};
use lattice_governance::{
    AuthorityTarget, GovernanceError, GovernanceParams, LockKind, ParamChange, ProposalState,
};
use lattice_math::utility::{split_exact, utility_scores, UtilityInputs};
use lattice_registry::{Registry, RegistryError};
use lattice_rewards::{RewardsConfig, RewardsError};
use lattice_sdk::{compute, compute::ComputeKeys, conversion, dc, ix, registry, rewards};
use solana_sdk::{
    instruction::Instruction,
    pubkey::Pubkey,
    signature::{Keypair, Signer},
};

/// Hand the DAO (and with it rewards), data credits, the registry and compute to governance.
async fn hand_over(h: &Harness, keys: &ComputeKeys) {
    let old = h.payer.pubkey();
    let g = h.governance();
    let fault_slash_bps = h.compute_config().await.fault_slash_bps;
    let ixs = [
        ix::set_dao_authority(&old, &h.dao, &g),
        dc::set_dc_authority(&old, &h.dao, &g),
        registry::set_registry_authority(&old, &h.dao, &g),
        compute::set_compute_params(
            &old,
            keys,
            ComputeParams {
                authority: g,
                fault_slash_bps,
            },
        ),
    ];
    h.send(&ixs, &[]).await.unwrap();
}

impl Harness {
    async fn compute_config(&self) -> ComputeConfig {
        self.fetch(&compute::compute_config(&self.dao))
            .await
            .unwrap()
    }

    async fn dao_account(&self) -> Dao {
        self.fetch(&self.dao).await.unwrap()
    }

    async fn rewards_config(&self, sub: &Pubkey) -> RewardsConfig {
        self.fetch(&rewards::rewards_config(sub)).await.unwrap()
    }

    async fn registry_account(&self) -> Registry {
        self.fetch(&registry::registry(&self.dao)).await.unwrap()
    }

    /// The utility inputs of issued `hour`, as recorded (V, D) and kept (A).
    async fn inputs(&self, hour: u64) -> Vec<UtilityInputs> {
        let mut out = Vec::new();
        for sub in self.subs {
            let e = self.sub_dao_epoch(&sub, hour).await.unwrap();
            out.push(UtilityInputs {
                ve_delegated: e.ve_power,
                dc_burned: e.dc_burned,
                active_devices: self.sub_dao(&sub).await.active_devices,
            });
        }
        out
    }

    /// Assert issued `hour` split its emission by `weights` over its recorded inputs; returns
    /// the scores.
    async fn assert_split(&self, hour: u64, weights: UtilityWeightParams) -> Vec<u128> {
        let e = self.epoch(hour).await.unwrap();
        let scores = utility_scores(&weights.into(), &self.inputs(hour).await);
        let parts = split_exact(e.main_emitted, &scores);
        for (i, sub) in self.subs.iter().enumerate() {
            assert_eq!(e.parts[i].utility_score, scores[i], "hour {hour}");
            assert_eq!(self.part(sub, hour).await, parts[i], "hour {hour}");
        }
        scores
    }
}

fn keys3() -> Vec<Pubkey> {
    (0..3).map(|_| Pubkey::new_unique()).collect()
}

/// Every admin instruction of every program, signed by `signer`, with the error code each
/// program answers a wrong signer with.
async fn admin_instructions(
    h: &Harness,
    keys: &ComputeKeys,
    signer: &Pubkey,
) -> Vec<(Instruction, u32)> {
    let [coverage, _] = h.subs;
    let dao = h.dao_account().await;
    let sub = h.sub_dao(&coverage).await;
    let conv: Conversion = h.fetch(&conversion::conversion(&coverage)).await.unwrap();
    let market: Market = h.fetch(&keys.market(0)).await.unwrap();
    let registry = h.registry_account().await;
    let c = h.compute_config().await;
    let dao_err = u32::from(DaoError::Unauthorized);
    let dc_err = u32::from(DcError::Unauthorized);
    let registry_err = u32::from(RegistryError::Unauthorized);
    let rewards_err = u32::from(RewardsError::Unauthorized);
    let compute_err = u32::from(ComputeError::Unauthorized);
    vec![
        (
            ix::set_dao_params(
                signer,
                &h.dao,
                DaoParamsUpdate {
                    emission: None,
                    breaker: None,
                    utility_weights: Some(dao.utility_weights),
                    delegator_bps: Some(dao.delegator_bps),
                },
            ),
            dao_err,
        ),
        (
            ix::set_sub_dao_params(
                signer,
                &h.dao,
                &coverage,
                SubDaoParamsUpdate {
                    emission: None,
                    breaker: Some(sub.breaker.params),
                },
            ),
            dao_err,
        ),
        (
            conversion::set_conversion_params(signer, &h.dao, &coverage, conv.params),
            dao_err,
        ),
        (ix::set_dao_authority(signer, &h.dao, signer), dao_err),
        (
            dc::set_dc_params(
                signer,
                &h.dao,
                DcParamsUpdate {
                    dc_price_nano_usd: Some(1),
                    price_feed_id: None,
                    price_owner: None,
                    max_age_secs: None,
                    max_conf_bps: None,
                    breaker: None,
                },
            ),
            dc_err,
        ),
        (
            dc::set_burn_authority(signer, &h.dao, &coverage, signer),
            dc_err,
        ),
        (dc::set_dc_authority(signer, &h.dao, signer), dc_err),
        (
            registry::set_registry_params(signer, &h.dao, registry.params),
            registry_err,
        ),
        (
            registry::set_registry_authority(signer, &h.dao, signer),
            registry_err,
        ),
        (
            rewards::set_oracles(signer, &h.dao, &coverage, vec![*signer], 1),
            rewards_err,
        ),
        (
            rewards::set_claim_breaker(
                signer,
                &h.dao,
                &coverage,
                h.rewards_config(&coverage).await.claim_breaker.params,
            ),
            rewards_err,
        ),
        (
            compute::set_compute_params(
                signer,
                keys,
                ComputeParams {
                    authority: *signer,
                    fault_slash_bps: c.fault_slash_bps,
                },
            ),
            compute_err,
        ),
        (
            compute::set_oracles(signer, keys, c.oracles.clone(), c.threshold),
            compute_err,
        ),
        (
            compute::set_market_params(signer, keys, 0, market.params),
            compute_err,
        ),
    ]
}

#[tokio::test]
async fn after_the_handoff_the_bootstrap_key_changes_nothing() {
    let h = Harness::new().await;
    let keys = ComputeKeys::load(&h.chain, &h.dao).await.unwrap();
    let old = h.payer.pubkey();
    // Before: the bootstrap key holds every admin instruction (each one succeeds; the
    // authority handoffs hand each program to the same key).
    for (ix, _) in admin_instructions(&h, &keys, &old).await {
        let program = ix.program_id;
        h.send(&[ix], &[])
            .await
            .unwrap_or_else(|e| panic!("{program}: {e}"));
    }
    hand_over(&h, &keys).await;
    let g = h.governance();
    assert_eq!(h.dao_account().await.authority, g);
    let dcs: DataCredits = h.fetch(&dc::data_credits(&h.dao)).await.unwrap();
    assert_eq!(dcs.authority, g);
    assert_eq!(h.registry_account().await.authority, g);
    assert_eq!(h.compute_config().await.authority, g);

    // After: every admin instruction of every program refuses the old key.
    let cases = admin_instructions(&h, &keys, &old).await;
    assert_eq!(cases.len(), 14);
    for (ix, code) in cases {
        let program = ix.program_id;
        let err = h.send(&[ix], &[]).await.expect_err("old key refused");
        assert_eq!(err.custom_code(), Some(code), "{program}: {err}");
    }
    // Governance itself holds them only through proposals: no key can sign for its PDA, and
    // initializing a second governance needs the DAO authority.
    let ix = lattice_sdk::governance::initialize_governance(&old, &h.dao, test_ve(), test_params());
    assert!(h.send(&[ix], &[]).await.is_err());
}

#[tokio::test]
async fn governance_changes_every_program_through_proposals() {
    let h = Harness::new().await;
    let [coverage, compute_sub] = h.subs;
    let h0 = h.start_hour;
    let keys = ComputeKeys::load(&h.chain, &h.dao).await.unwrap();
    hand_over(&h, &keys).await;

    // Stakers lock and delegate to coverage; a GPU node makes compute's A input live.
    let alice = h.holder().await;
    let bob = h.holder().await;
    let pa = h
        .lock(&alice, 0, 10_000 * LAT, LockKind::Constant, 100)
        .await
        .unwrap();
    let pb = h
        .lock(&bob, 0, 5_000 * LAT, LockKind::Cliff, 80)
        .await
        .unwrap();
    h.delegate(&alice, &pa, &coverage).await.unwrap();
    h.delegate(&bob, &pb, &coverage).await.unwrap();
    h.create_dc_account(&h.payer.pubkey()).await;
    h.mint_dc(100 * LAT).await;
    h.gpu_node().await;
    assert_eq!(h.sub_dao(&compute_sub).await.active_devices, 1);

    // Under the bootstrap weights (V 40%, D 40%, A 20%; D not live): coverage 2/3, compute 1/3.
    h.crank_to(h0 + 2).await;
    let old_weights = h.dao_account().await.utility_weights;
    let before = h.assert_split(h0 + 1, old_weights).await;
    assert_eq!(before, vec![666_666_666_666, 333_333_333_333]);

    // One proposal with eight changes across the DAO, data credits, the registry, rewards and
    // compute.
    let weights = UtilityWeightParams {
        ve_bps: 1_000,
        dc_bps: 1_000,
        devices_bps: 8_000,
    };
    let mut registry_params = h.registry_account().await.params;
    registry_params.location_fee_dc += 1;
    registry_params.unstake_cooldown_secs = 3 * 86_400;
    let market: Market = h.fetch(&keys.market(0)).await.unwrap();
    let mut market_params = market.params;
    market_params.price_floor_dc_per_sec += 3;
    let sub_breaker = BreakerParams {
        window_secs: 86_400,
        threshold: h.sub_dao(&coverage).await.breaker.params.threshold * 2,
    };
    let (compute_oracles, rewards_oracles) = (keys3(), keys3());
    let burner = Pubkey::new_unique();
    let changes = vec![
        ParamChange::Dao(DaoParamsUpdate {
            emission: None,
            breaker: None,
            utility_weights: Some(weights),
            delegator_bps: None,
        }),
        ParamChange::SubDao {
            sub_dao: coverage,
            params: SubDaoParamsUpdate {
                emission: None,
                breaker: Some(sub_breaker),
            },
        },
        ParamChange::DataCredits(DcParamsUpdate {
            dc_price_nano_usd: Some(20_000),
            price_feed_id: None,
            price_owner: None,
            max_age_secs: Some(120),
            max_conf_bps: None,
            breaker: None,
        }),
        ParamChange::DcBurnAuthority {
            sub_dao: coverage,
            burn_authority: burner,
        },
        ParamChange::Registry(registry_params),
        ParamChange::RewardsOracles {
            sub_dao: coverage,
            oracles: rewards_oracles.clone(),
            threshold: 2,
        },
        ParamChange::ComputeOracles {
            oracles: compute_oracles.clone(),
            threshold: 2,
        },
        ParamChange::Market {
            class_id: 0,
            params: market_params,
        },
    ];
    let id = h.propose(&alice, &pa, changes).await.unwrap();
    h.start_voting(&alice, id).await.unwrap();
    for (k, p) in [(&alice, &pa), (&bob, &pb)] {
        h.vote(k, id, p, lattice_governance::VoteChoice::Yes)
            .await
            .unwrap();
    }
    h.set_time(h.proposal(id).await.voting_end).await;
    h.finalize(id).await.unwrap();
    let eta = h.proposal(id).await.eta;
    h.set_time(eta - 1).await;
    assert_gov_err(h.execute(id, 0).await, GovernanceError::TimelockNotOver);
    h.set_time(eta).await;
    h.execute_all(id).await;
    assert_eq!(h.proposal(id).await.state, ProposalState::Executed);

    // Every change landed.
    let dao = h.dao_account().await;
    assert_eq!(dao.utility_weights, weights);
    assert_eq!(h.sub_dao(&coverage).await.breaker.params, sub_breaker);
    let dcs: DataCredits = h.fetch(&dc::data_credits(&h.dao)).await.unwrap();
    assert_eq!((dcs.dc_price_nano_usd, dcs.max_age_secs), (20_000, 120));
    let sdc: SubDaoDc = h.fetch(&dc::sub_dao_dc(&coverage)).await.unwrap();
    assert_eq!(sdc.burn_authority, burner);
    assert_eq!(h.registry_account().await.params, registry_params);
    let rc = h.rewards_config(&coverage).await;
    assert_eq!((rc.oracles, rc.threshold), (rewards_oracles, 2));
    let c = h.compute_config().await;
    assert_eq!((c.oracles, c.threshold), (compute_oracles, 2));
    let market: Market = h.fetch(&keys.market(0)).await.unwrap();
    assert_eq!(market.params, market_params);

    // Hours issued from now on split by the new weights: compute's device now outweighs
    // coverage's delegated power (8 : 1).
    let h1 = h.hour();
    h.crank_to(h1 + 1).await;
    let after = h.assert_split(h1, weights).await;
    assert!(after[1] > 7 * after[0] && after[0] > 0);
    assert_ne!(after, before);
    assert!(h.part(&compute_sub, h1).await > 7 * h.part(&coverage, h1).await);

    // A second proposal: the remaining families, including handing the registry on to a
    // successor key (e.g. a new governance).
    let successor = Keypair::new();
    let claim_breaker = BreakerParams {
        window_secs: 3_600,
        threshold: 12_345,
    };
    let conv: Conversion = h.fetch(&conversion::conversion(&coverage)).await.unwrap();
    let conversion_params = ConversionParams {
        fee_bps: conv.params.fee_bps + 10,
        frozen_to_sub: true,
        ..conv.params
    };
    let compute_params = ComputeParams {
        authority: h.governance(),
        fault_slash_bps: 1_234,
    };
    let rules = GovernanceParams {
        quorum: 1,
        ..test_params()
    };
    let changes = vec![
        ParamChange::RewardsClaimBreaker {
            sub_dao: coverage,
            params: claim_breaker,
        },
        ParamChange::Conversion {
            sub_dao: coverage,
            params: conversion_params,
        },
        ParamChange::Compute {
            params: compute_params,
            slash_destination: keys.slash_destination,
        },
        ParamChange::Governance(rules),
        ParamChange::Authority {
            target: AuthorityTarget::Registry,
            new_authority: successor.pubkey(),
        },
    ];
    let id = h
        .pass(&alice, &pa, &[(&alice, pa), (&bob, pb)], changes)
        .await;
    h.execute_all(id).await;
    assert_eq!(
        h.rewards_config(&coverage).await.claim_breaker.params,
        claim_breaker
    );
    let conv: Conversion = h.fetch(&conversion::conversion(&coverage)).await.unwrap();
    assert_eq!(conv.params, conversion_params);
    assert_eq!(h.compute_config().await.fault_slash_bps, 1_234);
    assert_eq!(h.governance_account().await.params, rules);
    assert_eq!(h.registry_account().await.authority, successor.pubkey());
    // The successor now holds the registry; governance and the old key do not.
    h.chain
        .airdrop(&successor.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    registry_params.location_fee_dc += 1;
    let ix = registry::set_registry_params(&successor.pubkey(), &h.dao, registry_params);
    h.send(&[ix], &[&successor]).await.unwrap();
    assert_eq!(h.registry_account().await.params, registry_params);
    let ix = registry::set_registry_params(&h.payer.pubkey(), &h.dao, registry_params);
    assert_code(
        h.send(&[ix], &[]).await,
        u32::from(RegistryError::Unauthorized),
    );
    let id = h
        .pass(
            &alice,
            &pa,
            &[(&alice, pa)],
            vec![ParamChange::Registry(registry_params)],
        )
        .await;
    assert_code(
        h.execute(id, 0).await,
        u32::from(RegistryError::Unauthorized),
    );

    // Stakers were paid all along from the delegator pool governance draws on.
    h.crank_to(h.hour()).await;
    let got = h.claim(&alice, &pa, &coverage).await.unwrap();
    assert!(got > 0);
}
