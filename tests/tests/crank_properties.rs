//! Property tests of issuance against the real program, under random crank patterns: random
//! order, gaps, repeats, hours before genesis or not over, and concurrent attempts by two
//! crankers, with both sub-DAOs. 1000 cases by default (`PROPTEST_CASES` overrides).
//!
//! Invariants, checked from chain state after every case:
//! - total minted = Σ schedule over the issued hours ≤ emission pool ≤ cap;
//! - no hour is paid twice (the second attempt fails with `HourAlreadyIssued` and mints nothing);
//! - every hour's parts sum exactly to its emission.

use lattice_dao::{Dao, DaoEpoch, DaoError, SubDao};
use lattice_math::emission::{emission_for_hour, EmissionSchedule};
use lattice_migrations::{bootstrap, LatticeConfig};
use lattice_sdk::{
    accounts::{fetch, mint_supply, token_amount, DaoView},
    embedded::EmbeddedChain,
    ix,
    send::{send, SendOptions},
    solana::{Keypair, Pubkey, Signer},
    Chain, ChainError,
};
use lattice_tests::localnet_config;
use proptest::{prelude::*, test_runner::TestRunner};
use std::collections::BTreeSet;

/// One attempt: hour offset from genesis, which cranker, and whether the other cranker sends the
/// same hour at the same time.
#[derive(Debug, Clone)]
struct Attempt {
    offset: i64,
    cranker: usize,
    concurrent: bool,
}

#[derive(Debug, Clone)]
struct Case {
    /// Hours elapsed since genesis when cranking (hours `0..elapsed` are over).
    elapsed: u64,
    attempts: Vec<Attempt>,
}

fn case() -> impl Strategy<Value = Case> {
    (1u64..10).prop_flat_map(|elapsed| {
        let attempt = (-2i64..elapsed as i64 + 2, 0usize..2, any::<bool>()).prop_map(
            |(offset, cranker, concurrent)| Attempt {
                offset,
                cranker,
                concurrent,
            },
        );
        prop::collection::vec(attempt, 1..12).prop_map(move |attempts| Case { elapsed, attempts })
    })
}

struct World {
    chain: EmbeddedChain,
    cfg: LatticeConfig,
    crankers: [Keypair; 2],
}

async fn issue(
    w: &World,
    who: usize,
    main_mint: &Pubkey,
    view: &DaoView,
    hour: u64,
    salt: u32,
) -> Result<(), ChainError> {
    // A distinct compute limit per attempt makes every transaction unique, so a repeat is judged
    // by the program rather than deduplicated by the bank.
    let opts = SendOptions {
        compute_unit_limit: 300_000 + salt,
        max_attempts: 1,
        ..Default::default()
    };
    let payer = &w.crankers[who];
    let ix = ix::issue_hour(&payer.pubkey(), main_mint, &view.issue_keys(), hour);
    send(&w.chain, &opts, &[ix], payer, &[]).await.map(|_| ())
}

async fn run_case(w: &World, case: Case) -> Result<(), TestCaseError> {
    // A fresh DAO in the shared bank, at the bank's current hour.
    let now = w.chain.unix_timestamp().await.unwrap();
    let main_mint = Keypair::new();
    let payer = w.chain.payer().await;
    bootstrap(
        &w.chain,
        &w.cfg,
        &w.cfg.send_options(),
        &payer,
        &payer,
        &main_mint,
    )
    .await
    .unwrap();
    let view = DaoView::load(&w.chain, &main_mint.pubkey()).await.unwrap();
    let genesis = view.dao.genesis_hour;
    prop_assert_eq!(genesis, lattice_math::epoch::hour_of(now));
    w.chain
        .set_unix_timestamp(lattice_math::epoch::hour_start(genesis + case.elapsed) + 1)
        .await
        .unwrap();

    let mint = main_mint.pubkey();
    let mut issued = BTreeSet::new();
    let mut salt = 0u32;
    for a in &case.attempts {
        let hour = genesis as i64 + a.offset;
        let hour = hour as u64;
        let expect_err = if a.offset < 0 {
            Some(DaoError::HourBeforeGenesis)
        } else if a.offset as u64 >= case.elapsed {
            Some(DaoError::HourNotOver)
        } else if issued.contains(&hour) {
            Some(DaoError::HourAlreadyIssued)
        } else {
            None
        };
        salt += 2;
        if a.concurrent {
            let (r0, r1) = tokio::join!(
                issue(w, a.cranker, &mint, &view, hour, salt),
                issue(w, 1 - a.cranker, &mint, &view, hour, salt + 1)
            );
            let results = [r0, r1];
            match expect_err {
                None => {
                    // Exactly one wins; the other sees the hour already issued.
                    let ok = results.iter().filter(|r| r.is_ok()).count();
                    prop_assert_eq!(ok, 1);
                    for r in &results {
                        if let Err(e) = r {
                            prop_assert!(
                                matches!(e.dao_error(), Some(DaoError::HourAlreadyIssued)),
                                "{e}"
                            );
                        }
                    }
                    issued.insert(hour);
                }
                Some(expected) => {
                    for r in &results {
                        let e = r.as_ref().expect_err("must fail");
                        prop_assert_eq!(e.custom_code(), Some(u32::from(expected)), "{}", e);
                    }
                }
            }
        } else {
            let r = issue(w, a.cranker, &mint, &view, hour, salt).await;
            match expect_err {
                None => {
                    prop_assert!(r.is_ok(), "{:?}", r);
                    issued.insert(hour);
                }
                Some(expected) => {
                    let e = r.expect_err("must fail");
                    prop_assert_eq!(e.custom_code(), Some(u32::from(expected)), "{}", e);
                }
            }
        }
    }

    // Invariants from chain state.
    let dao: Dao = fetch(&w.chain, &view.address).await.unwrap().unwrap();
    let schedule: EmissionSchedule = dao.emission.into();
    let expected: u64 = issued
        .iter()
        .map(|h| emission_for_hour(&schedule, h - genesis))
        .sum();
    prop_assert_eq!(dao.total_emitted, expected);
    prop_assert_eq!(dao.hours_issued, issued.len() as u64);
    prop_assert!(expected <= dao.emission.pool);
    prop_assert!(dao.genesis_supply + dao.emission.pool <= dao.max_supply);
    let supply = mint_supply(
        &w.chain
            .get_account(&main_mint.pubkey())
            .await
            .unwrap()
            .unwrap()
            .data,
    )
    .unwrap();
    prop_assert_eq!(supply, dao.genesis_supply + expected);
    for h in &issued {
        let epoch: DaoEpoch = fetch(&w.chain, &lattice_sdk::pda::dao_epoch(&view.address, *h))
            .await
            .unwrap()
            .unwrap();
        let parts: u64 = epoch
            .parts
            .iter()
            .map(|p| p.main_to_treasury + p.main_to_delegators)
            .sum();
        prop_assert_eq!(parts, epoch.main_emitted);
        prop_assert_eq!(
            epoch.main_emitted,
            emission_for_hour(&schedule, h - genesis)
        );
    }
    for (key, _) in &view.sub_daos {
        let sub: SubDao = fetch(&w.chain, key).await.unwrap().unwrap();
        let sub_schedule: EmissionSchedule = sub.emission.into();
        let tokens: u64 = issued
            .iter()
            .map(|h| emission_for_hour(&sub_schedule, h - sub.genesis_hour))
            .sum();
        prop_assert_eq!(sub.tokens_emitted, tokens);
        let escrow = token_amount(
            &w.chain
                .get_account(&sub.rewards_escrow)
                .await
                .unwrap()
                .unwrap()
                .data,
        )
        .unwrap();
        prop_assert_eq!(escrow, tokens);
    }
    Ok(())
}

#[test]
fn random_crank_patterns_never_overpay() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let world = rt.block_on(async {
        // The DAO's issue rules alone: no V input (governance's checkpoints are tested with it).
        let mut cfg = localnet_config();
        cfg.governance.enabled = false;
        let chain = EmbeddedChain::start_default().await;
        chain
            .set_unix_timestamp(cfg.localnet.start_unix.unwrap() + 60)
            .await
            .unwrap();
        let crankers = [Keypair::new(), Keypair::new()];
        for c in &crankers {
            chain.airdrop(&c.pubkey(), 1_000_000_000_000).await.unwrap();
        }
        World {
            chain,
            cfg,
            crankers,
        }
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let mut runner = TestRunner::new(ProptestConfig {
        cases,
        // Shrinking replays whole cases against a bank whose clock only moves forward; keep it
        // short and let the failure report carry the original case.
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    });
    runner
        .run(&case(), |c| rt.block_on(run_case(&world, c)))
        .unwrap();
}
