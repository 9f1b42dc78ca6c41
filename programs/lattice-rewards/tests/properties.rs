//! Property: random sequences of emissions, oracle posts (honest, lone, lying, over-escrow) and
//! claims keep Σ claimed ≤ final total ≤ tokens emitted to the escrow, and every claim pays
//! exactly `cumulative − claimed`.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_rewards::RewardsError;
use proptest::prelude::*;

const DEVICES: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    /// Issue the next hour (the sub-DAO's escrow receives its emission).
    Emit,
    /// The honest index: device earns `frac`/1000 of the not-yet-allocated escrowed emissions.
    Earn { device: usize, frac: u16 },
    /// Post the honest tree of the current index for a new epoch: `quorum` oracles post it
    /// (2 = final), and oracle 2 optionally posts a lie first (a tree paying device 0 everything).
    Post { quorum: usize, lie: bool },
    /// An oracle posts a total above the escrowed emissions.
    OverPost,
    /// Claim a device against the latest final tree.
    Claim { device: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Emit),
        3 => (0..DEVICES, 1u16..=1_000).prop_map(|(device, frac)| Op::Earn { device, frac }),
        3 => (1usize..=2, any::<bool>()).prop_map(|(quorum, lie)| Op::Post { quorum, lie }),
        1 => Just(Op::OverPost),
        4 => (0..DEVICES).prop_map(|device| Op::Claim { device }),
    ]
}

async fn run(ops: Vec<Op>) {
    let h = Harness::new().await;
    let mut devices = Vec::new();
    for _ in 0..DEVICES {
        devices.push(h.hotspot().await);
    }
    let mut next_hour = GENESIS_HOUR + ISSUED_HOURS;
    let mut next_epoch = GENESIS_HOUR;
    let mut earned = [0u64; DEVICES];
    let mut final_tree: Option<Rewards> = None;
    let mut claimed = [0u64; DEVICES];
    let escrow = lattice_sdk::pda::rewards_escrow(&h.sub_dao);

    for op in ops {
        let emitted = h.sub().await.tokens_emitted;
        match op {
            Op::Emit => {
                h.issue(next_hour).await.unwrap();
                next_hour += 1;
                assert!(h.sub().await.tokens_emitted > emitted);
            }
            Op::Earn { device, frac } => {
                let free = emitted - earned.iter().sum::<u64>();
                earned[device] += free / 1_000 * u64::from(frac);
            }
            Op::Post { quorum, lie } => {
                let epoch = next_epoch;
                next_epoch += 1;
                let tree = Rewards::new(
                    &devices
                        .iter()
                        .zip(earned)
                        .map(|(d, e)| (d.key, e))
                        .collect::<Vec<_>>(),
                );
                if lie {
                    let total = tree.total();
                    let mut entries: Vec<_> = devices.iter().map(|d| (d.key, 0)).collect();
                    entries[0].1 = total;
                    // An extra leaf keeps the lie distinct even when it matches the index.
                    entries.push((solana_sdk::pubkey::Pubkey::new_unique(), 0));
                    let liar = Rewards::new(&entries);
                    h.post(2, epoch, liar.root(), total).await.unwrap();
                }
                for i in 0..quorum {
                    h.post(i, epoch, tree.root(), tree.total()).await.unwrap();
                }
                if quorum == 2 {
                    final_tree = Some(tree);
                }
            }
            Op::OverPost => {
                assert_rewards_err(
                    h.post(0, next_epoch, [7; 32], emitted + 1).await,
                    RewardsError::RootExceedsEscrow,
                );
            }
            Op::Claim { device } => {
                let d = &devices[device];
                let before = h.paid(d).await;
                match &final_tree {
                    None => {
                        let r = Rewards::new(&[(d.key, 1)]);
                        assert_rewards_err(h.claim_in(d, &r).await, RewardsError::NoFinalRoot);
                    }
                    Some(t) => {
                        let cumulative = t.amount(&d.key);
                        let due = cumulative - claimed[device];
                        let res = h.claim_in(d, t).await;
                        if due == 0 {
                            assert_rewards_err(res, RewardsError::NothingToClaim);
                        } else {
                            res.unwrap();
                            claimed[device] = cumulative;
                        }
                        assert_eq!(h.paid(d).await - before, due, "pays cumulative − claimed");
                    }
                }
            }
        }
        let c = h.rewards_config().await;
        let emitted = h.sub().await.tokens_emitted;
        let sum_claimed: u64 = claimed.iter().sum();
        assert_eq!(c.total_claimed, sum_claimed);
        assert!(c.total_claimed <= c.final_total, "Σ claimed ≤ final total");
        assert!(c.final_total <= emitted, "final total ≤ escrowed emissions");
        assert_eq!(h.balance(&escrow).await, emitted - sum_claimed);
        assert_eq!(
            c.final_root,
            final_tree.as_ref().map_or([0; 32], Rewards::root)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn claims_never_exceed_final_total_or_emissions(ops in prop::collection::vec(op(), 1..25)) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(ops));
    }
}
