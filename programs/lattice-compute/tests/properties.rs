//! Property: random job lifecycles (post, claim, submit, finalize, timeout, cancel, faults, clock
//! jumps, oracle votes) across two markets, two posters and three nodes. Every operation succeeds exactly when
//! its preconditions (read from the chain) hold, and after every operation:
//! - each job has burned + refunded == escrow once over, and nothing before;
//! - the pooled DC escrow holds exactly the escrow of the open jobs;
//! - the DC supply fell by exactly the DC burned; each poster's DC fell by exactly what its jobs
//!   burned or still hold in escrow;
//! - the stake vault lost exactly what was slashed, the slash destination gained it, and the
//!   nodes' stakes fell by it;
//! - each node holds exactly its claimed and submitted jobs, each market queues exactly its
//!   queued jobs in posting order, and the configuration's totals agree.
//!
//! Finally every job left open is settled a day later, which empties the escrow.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_compute::{Job, JobState};
use proptest::prelude::*;
use solana_sdk::{pubkey::Pubkey, signature::Signer};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
enum Op {
    Post {
        alice: bool,
        class: u8,
        extra_price: u64,
        secs: u64,
    },
    Claim {
        job: usize,
        node: usize,
    },
    Submit {
        job: usize,
    },
    Finalize {
        job: usize,
    },
    Timeout {
        job: usize,
    },
    Cancel {
        job: usize,
        by_poster: bool,
    },
    Vote {
        job: usize,
        oracle: usize,
    },
    Warp {
        secs: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let job = 0usize..6;
    prop_oneof![
        3 => (any::<bool>(), 0u8..=1, 0u64..=4, prop_oneof![1 => 1u64..=30, 2 => 200u64..=600])
            .prop_map(|(alice, class, extra_price, secs)| Op::Post { alice, class, extra_price, secs }),
        4 => (job.clone(), 0usize..3).prop_map(|(job, node)| Op::Claim { job, node }),
        4 => job.clone().prop_map(|job| Op::Submit { job }),
        4 => job.clone().prop_map(|job| Op::Finalize { job }),
        2 => job.clone().prop_map(|job| Op::Timeout { job }),
        1 => (job.clone(), any::<bool>()).prop_map(|(job, by_poster)| Op::Cancel { job, by_poster }),
        3 => (job, 0usize..3).prop_map(|(job, oracle)| Op::Vote { job, oracle }),
        4 => prop_oneof![0i64..=30, 300i64..=700].prop_map(|secs| Op::Warp { secs }),
    ]
}

/// The balances the properties compare against.
struct Start {
    supply: u64,
    payer_dc: u64,
    alice_dc: u64,
    vault: u64,
    dest: u64,
    stakes: Vec<u64>,
}

async fn run(ops: Vec<Op>) {
    let h = Harness::new().await;
    let alice = h.poster(10_000_000).await;
    // Two consumer nodes (one of them datacenter-capable) and one that only fits the consumer
    // market.
    let nodes = vec![
        h.node(80, 4).await,
        h.consumer_node().await,
        h.node(40, 4).await,
    ];
    let mut stakes = Vec::new();
    for n in &nodes {
        stakes.push(h.gpu(n).await.stake);
    }
    let start = Start {
        supply: h.dc_supply().await,
        payer_dc: h.dc_of(&h.payer.pubkey()).await,
        alice_dc: h.dc_of(&alice.pubkey()).await,
        vault: h.vault().await,
        dest: h.slashed_to().await,
        stakes,
    };
    // (class, id) of every job posted, in posting order.
    let mut jobs: Vec<(u8, u64)> = Vec::new();
    // Oracles that voted a fault of each job (2 execute it).
    let mut votes: BTreeMap<(u8, u64), BTreeSet<usize>> = BTreeMap::new();

    for op in ops {
        // Mostly one of the three latest jobs, so that lifecycles run to their end.
        let pick = |i: usize| {
            let n = jobs.len();
            (n > 0).then(|| jobs[n - 1 - i % n.min(3)])
        };
        match op {
            Op::Post {
                alice: by_alice,
                class,
                extra_price,
                secs,
            } => {
                let floor = h.market_account(class).await.params.price_floor_dc_per_sec;
                let args = h.job_args(floor + extra_price, secs);
                let poster = if by_alice { &alice } else { &h.payer };
                let id = h.post_as(poster, class, args).await.unwrap();
                jobs.push((class, id));
            }
            Op::Claim { job, node } => {
                let Some((class, id)) = pick(job) else {
                    continue;
                };
                let n = &nodes[node];
                let (j, gpu, m) = (
                    h.job(class, id).await,
                    h.gpu(n).await,
                    h.market_account(class).await,
                );
                let p = m.params;
                let ok = j.state == JobState::Queued
                    && gpu.stake >= p.min_stake
                    && gpu.vram_gb >= p.min_vram_gb
                    && gpu.jobs_held < p.max_jobs_per_node;
                assert_eq!(
                    h.claim(n, class, id).await.is_ok(),
                    ok,
                    "claim {j:?} by {gpu:?}"
                );
            }
            Op::Submit { job } => {
                let Some((class, id)) = pick(job) else {
                    continue;
                };
                let j = h.job(class, id).await;
                let Some(n) = nodes.iter().find(|n| n.account() == j.node) else {
                    continue;
                };
                let ok = j.state == JobState::Claimed && h.now() <= j.deadline;
                assert_eq!(h.submit(n, class, id).await.is_ok(), ok, "submit {j:?}");
            }
            Op::Finalize { job } => {
                let Some((class, id)) = pick(job) else {
                    continue;
                };
                let j = h.job(class, id).await;
                if j.state == JobState::Queued {
                    continue; // no node account to name
                }
                let window = h
                    .market_account(class)
                    .await
                    .params
                    .verification_window_secs as i64;
                let ok = j.state == JobState::Submitted && h.now() >= j.submitted_at + window;
                assert_eq!(h.finalize(class, id).await.is_ok(), ok, "finalize {j:?}");
            }
            Op::Timeout { job } => {
                let Some((class, id)) = pick(job) else {
                    continue;
                };
                let j = h.job(class, id).await;
                if j.state == JobState::Queued {
                    continue;
                }
                let ok = j.state == JobState::Claimed && h.now() > j.deadline;
                assert_eq!(h.timeout(class, id).await.is_ok(), ok, "timeout {j:?}");
            }
            Op::Cancel { job, by_poster } => {
                let Some((class, id)) = pick(job) else {
                    continue;
                };
                let j = h.job(class, id).await;
                let poster_is_alice = j.poster == alice.pubkey();
                let signer = if by_poster == poster_is_alice {
                    &alice
                } else {
                    &h.payer
                };
                let ok = j.state == JobState::Queued && signer.pubkey() == j.poster;
                assert_eq!(
                    h.cancel_as(signer, class, id).await.is_ok(),
                    ok,
                    "cancel {j:?}"
                );
            }
            Op::Vote { job, oracle } => {
                let Some((class, id)) = pick(job) else {
                    continue;
                };
                let j = h.job(class, id).await;
                let Some(n) = nodes.iter().find(|n| n.account() == j.node) else {
                    continue;
                };
                let cast = votes.entry((class, id)).or_default();
                let ok = cast.len() < 2 && !cast.contains(&oracle);
                let res = h.attest_job(oracle, n, class, id).await;
                assert_eq!(res.is_ok(), ok, "vote {oracle} on {j:?} after {cast:?}");
                cast.insert(oracle);
            }
            Op::Warp { secs } => h.warp(secs).await,
        }
        check(&h, &alice.pubkey(), &nodes, &jobs, &start).await;
    }

    // Drain: a day later every open job can be settled: finalized, timed out or cancelled.
    h.warp(86_400).await;
    for (class, id) in jobs.clone() {
        let j = h.job(class, id).await;
        let poster = if j.poster == alice.pubkey() {
            &alice
        } else {
            &h.payer
        };
        match j.state {
            JobState::Queued => h.cancel_as(poster, class, id).await.unwrap(),
            JobState::Claimed => h.timeout(class, id).await.unwrap(),
            JobState::Submitted => h.finalize(class, id).await.unwrap(),
            _ => continue,
        }
        check(&h, &alice.pubkey(), &nodes, &jobs, &start).await;
    }
    assert_eq!(
        h.escrow().await,
        0,
        "every job settled: the escrow is empty"
    );
}

async fn check(h: &Harness, alice: &Pubkey, nodes: &[Node], jobs: &[(u8, u64)], s: &Start) {
    let mut all: Vec<Job> = Vec::new();
    for (class, id) in jobs {
        all.push(h.job(*class, *id).await);
    }
    let open = |j: &&Job| !j.state.is_terminal();
    for j in &all {
        if j.state.is_terminal() {
            assert_eq!(
                j.dc_burned + j.dc_refunded,
                j.escrow_dc,
                "escrow == burned + refunded: {j:?}"
            );
        } else {
            assert_eq!((j.dc_burned, j.dc_refunded), (0, 0), "{j:?}");
        }
    }
    let open_escrow: u64 = all.iter().filter(open).map(|j| j.escrow_dc).sum();
    assert_eq!(
        h.escrow().await,
        open_escrow,
        "the pooled escrow holds the open jobs"
    );
    let burned: u64 = all.iter().map(|j| j.dc_burned).sum();
    assert_eq!(
        s.supply - h.dc_supply().await,
        burned,
        "supply falls by the burn only"
    );
    for (who, before) in [(h.payer.pubkey(), s.payer_dc), (*alice, s.alice_dc)] {
        let spent: u64 = all
            .iter()
            .filter(|j| j.poster == who)
            .map(|j| j.escrow_dc - j.dc_refunded)
            .sum();
        assert_eq!(
            before - h.dc_of(&who).await,
            spent,
            "a poster pays burned + held"
        );
    }

    let slashed: u64 = h.compute_config().await.totals.stake_slashed;
    assert_eq!(
        s.vault - h.vault().await,
        slashed,
        "vault loses the slashes"
    );
    assert_eq!(
        h.slashed_to().await - s.dest,
        slashed,
        "destination gains them"
    );
    let mut stake_lost = 0;
    for (n, before) in nodes.iter().zip(&s.stakes) {
        let gpu = h.gpu(n).await;
        stake_lost += before - gpu.stake;
        let held = all
            .iter()
            .filter(|j| j.node == n.account())
            .filter(|j| matches!(j.state, JobState::Claimed | JobState::Submitted))
            .count();
        assert_eq!(usize::from(gpu.jobs_held), held, "jobs held");
    }
    assert_eq!(stake_lost, slashed, "nodes lose exactly the slashes");

    for class in [CONSUMER, DATACENTER] {
        let queued: Vec<u64> = all
            .iter()
            .filter(|j| j.state == JobState::Queued && j.market == h.market(class))
            .map(|j| j.id)
            .collect();
        assert_eq!(h.market_account(class).await.pending(), queued.as_slice());
    }
    let t = h.compute_config().await.totals;
    assert_eq!(t.jobs_posted as usize, all.len());
    assert_eq!(t.dc_escrowed, all.iter().map(|j| j.escrow_dc).sum::<u64>());
    assert_eq!(t.dc_burned, burned);
    assert_eq!(
        t.dc_refunded,
        all.iter().map(|j| j.dc_refunded).sum::<u64>()
    );
    assert_eq!(
        t.dc_escrowed,
        t.dc_burned + t.dc_refunded + open_escrow,
        "nothing created or lost"
    );
    let slashed_by_jobs: u64 = all.iter().map(|j| j.stake_slashed).sum();
    assert_eq!(slashed_by_jobs, slashed, "every slash is a job's");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn escrow_burn_refund_and_slash_are_conserved(ops in prop::collection::vec(op(), 1..30)) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(ops));
    }
}
