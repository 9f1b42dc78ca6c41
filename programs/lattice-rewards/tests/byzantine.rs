//! Byzantine oracles, k = 2 of n = 3: one liar changes nothing; with one honest oracle left no
//! root finalizes and nobody is paid wrongly.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_rewards::RewardsError;

/// The honest tree, and a liar's tree that pays its own device `m` everything.
async fn trees(h: &Harness) -> (Device, Device, Device, Rewards, Rewards) {
    let (a, b, m) = (h.hotspot().await, h.hotspot().await, h.hotspot().await);
    let honest = Rewards::new(&[(a.key, 600), (b.key, 400), (m.key, 0)]);
    // Same total, so only the root tells them apart.
    let lie = Rewards::new(&[(a.key, 0), (b.key, 0), (m.key, 1_000)]);
    (a, b, m, honest, lie)
}

#[tokio::test]
async fn one_lying_oracle_changes_nothing_whenever_it_posts() {
    let h = Harness::new().await;
    let (a, b, m, honest, lie) = trees(&h).await;
    // The liar (oracle `liar`) posts first, between the honest two, or last.
    for (step, liar) in [0usize, 1, 2].into_iter().enumerate() {
        let epoch = GENESIS_HOUR + step as u64;
        let honest_oracles: Vec<usize> = (0..3).filter(|i| *i != liar).collect();
        let order: Vec<usize> = match step {
            0 => vec![liar, honest_oracles[0], honest_oracles[1]],
            1 => vec![honest_oracles[0], liar, honest_oracles[1]],
            _ => vec![honest_oracles[0], honest_oracles[1], liar],
        };
        for i in order {
            let r = if i == liar { &lie } else { &honest };
            let res = h.post(i, epoch, r.root(), r.total()).await;
            if step == 2 && i == liar {
                // Too late: the honest root is already final.
                assert_rewards_err(res, RewardsError::StaleEpoch);
            } else {
                res.unwrap();
            }
        }
        let c = h.rewards_config().await;
        assert_eq!((c.final_epoch, c.final_root), (epoch, honest.root()));
    }
    // The liar's proof pays nothing; honest proofs pay exactly.
    assert_rewards_err(h.claim_in(&m, &lie).await, RewardsError::InvalidProof);
    assert_rewards_err(h.claim_in(&m, &honest).await, RewardsError::NothingToClaim);
    h.claim_in(&a, &honest).await.unwrap();
    h.claim_in(&b, &honest).await.unwrap();
    assert_eq!(
        (h.paid(&a).await, h.paid(&b).await, h.paid(&m).await),
        (600, 400, 0)
    );
}

#[tokio::test]
async fn with_one_honest_oracle_nothing_finalizes() {
    let h = Harness::new().await;
    let (a, b, m, honest, lie) = trees(&h).await;
    // Two liars who disagree with each other and with the honest oracle.
    let lie2 = Rewards::new(&[(a.key, 1), (b.key, 0), (m.key, 999)]);
    h.post(0, GENESIS_HOUR, honest.root(), honest.total())
        .await
        .unwrap();
    h.post(1, GENESIS_HOUR, lie.root(), lie.total())
        .await
        .unwrap();
    h.post(2, GENESIS_HOUR, lie2.root(), lie2.total())
        .await
        .unwrap();
    // Or the other two post nothing at all.
    h.post(0, GENESIS_HOUR + 1, honest.root(), honest.total())
        .await
        .unwrap();
    assert_eq!(h.rewards_config().await.final_epoch, 0);
    for (d, r) in [(&a, &honest), (&m, &lie), (&m, &lie2), (&b, &honest)] {
        assert_rewards_err(h.claim_in(d, r).await, RewardsError::NoFinalRoot);
    }
    let paid = h.paid(&a).await + h.paid(&b).await + h.paid(&m).await;
    assert_eq!(paid, 0);
    assert_eq!(h.rewards_config().await.total_claimed, 0);
}

#[tokio::test]
async fn losing_the_quorum_keeps_the_last_final_root() {
    let h = Harness::new().await;
    let (a, b, m, honest, lie) = trees(&h).await;
    h.finalize(GENESIS_HOUR, &honest).await;
    // The next hour only one oracle is honest.
    let next = Rewards::new(&[(a.key, 900), (b.key, 700), (m.key, 0)]);
    h.post(0, GENESIS_HOUR + 1, next.root(), next.total())
        .await
        .unwrap();
    h.post(1, GENESIS_HOUR + 1, lie.root(), next.total())
        .await
        .unwrap();
    let c = h.rewards_config().await;
    assert_eq!((c.final_epoch, c.final_root), (GENESIS_HOUR, honest.root()));
    // Claims keep paying the last final amounts, and nothing more.
    assert_rewards_err(h.claim_in(&a, &next).await, RewardsError::InvalidProof);
    assert_rewards_err(h.claim_in(&m, &lie).await, RewardsError::InvalidProof);
    h.claim_in(&a, &honest).await.unwrap();
    assert_eq!(h.paid(&a).await, 600);
}
