//! The cranker against the in-process bank through 72 hours, with gaps and a second competing
//! cranker; the invariants are checked from chain state.

use lattice_dao::{Dao, DaoEpoch, SubDao};
use lattice_math::emission::{emission_for_hour, EmissionSchedule};
use lattice_sdk::{
    accounts::{fetch, mint_supply, token_amount, DaoView},
    solana::{Keypair, Signer},
    Chain,
};
use lattice_tests::Network;
use lattice_workers::cranker::Cranker;
use std::collections::BTreeSet;

const HOURS: u64 = 72;

#[tokio::test]
async fn two_crankers_with_gaps_issue_every_hour_exactly_once() {
    let Network {
        chain,
        cfg,
        payer,
        main_mint,
        ..
    } = Network::start().await;
    let view = DaoView::load(&chain, &main_mint.pubkey()).await.unwrap();
    let genesis = view.dao.genesis_hour;

    let rival = Keypair::new();
    chain
        .airdrop(&rival.pubkey(), 10_000_000_000)
        .await
        .unwrap();
    let mut a = Cranker::new(
        chain.clone(),
        payer.insecure_clone(),
        main_mint.pubkey(),
        cfg.send_options(),
        48,
    );
    let mut b = Cranker::new(
        chain.clone(),
        rival,
        main_mint.pubkey(),
        cfg.send_options(),
        48,
    );

    let mut issued_a = BTreeSet::new();
    let mut issued_b = BTreeSet::new();
    let mut raced = 0usize;
    for i in 1..=HOURS {
        chain
            .set_unix_timestamp(lattice_math::epoch::hour_start(genesis + i) + 7)
            .await
            .unwrap();
        // Gaps: hours 10..=20 and 40..=45 nobody cranks; otherwise A every other hour, B every
        // third, both at once when both are due.
        if (10..=20).contains(&i) || (40..=45).contains(&i) {
            continue;
        }
        let (ra, rb) = match (i % 2 == 0, i % 3 == 0) {
            (true, true) => {
                let (ra, rb) = tokio::join!(a.tick(), b.tick());
                (Some(ra.unwrap()), Some(rb.unwrap()))
            }
            (true, false) => (Some(a.tick().await.unwrap()), None),
            (false, true) => (None, Some(b.tick().await.unwrap())),
            (false, false) => (None, None),
        };
        for (r, set) in [(ra, &mut issued_a), (rb, &mut issued_b)] {
            if let Some(r) = r {
                assert!(r.failed.is_empty(), "no error storm: {:?}", r.failed);
                raced += r.already_issued.len();
                for h in r.issued {
                    assert!(set.insert(h));
                }
            }
        }
    }
    // Both catch up at the end, concurrently.
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    for (r, set) in [(ra.unwrap(), &mut issued_a), (rb.unwrap(), &mut issued_b)] {
        assert!(r.failed.is_empty());
        assert_eq!(r.lag_hours, 0);
        raced += r.already_issued.len();
        set.extend(r.issued);
    }

    // No hour issued by both; together they issued every hour once.
    assert!(issued_a.is_disjoint(&issued_b));
    let all: BTreeSet<u64> = issued_a.union(&issued_b).copied().collect();
    let expected: BTreeSet<u64> = (genesis..genesis + HOURS).collect();
    assert_eq!(all, expected);
    assert!(raced > 0, "the crankers did compete");
    assert!(!issued_b.is_empty() && !issued_a.is_empty());

    // Invariants from chain state.
    let dao: Dao = fetch(&chain, &view.address).await.unwrap().unwrap();
    let schedule: EmissionSchedule = dao.emission.into();
    let schedule_sum: u64 = (0..HOURS).map(|h| emission_for_hour(&schedule, h)).sum();
    assert_eq!(dao.hours_issued, HOURS);
    assert_eq!(dao.total_emitted, schedule_sum);
    assert!(schedule_sum <= dao.emission.pool && dao.emission.pool <= dao.max_supply);
    let supply = mint_supply(
        &chain
            .get_account(&main_mint.pubkey())
            .await
            .unwrap()
            .unwrap()
            .data,
    )
    .unwrap();
    assert_eq!(supply, dao.genesis_supply + schedule_sum);

    let mut per_sub_main = vec![0u64; view.sub_daos.len()];
    for h in genesis..genesis + HOURS {
        let epoch: DaoEpoch = fetch(&chain, &lattice_sdk::pda::dao_epoch(&view.address, h))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            epoch.main_emitted,
            emission_for_hour(&schedule, h - genesis)
        );
        let parts: u64 = epoch
            .parts
            .iter()
            .map(|p| p.main_to_treasury + p.main_to_delegators)
            .sum();
        assert_eq!(parts, epoch.main_emitted, "hour {h}: parts sum exactly");
        for (i, p) in epoch.parts.iter().enumerate() {
            per_sub_main[i] += p.main_to_treasury + p.main_to_delegators;
        }
    }
    for ((key, _), main) in view.sub_daos.iter().zip(per_sub_main) {
        let sub: SubDao = fetch(&chain, key).await.unwrap().unwrap();
        let balance = |k| {
            let chain = chain.clone();
            async move { token_amount(&chain.get_account(&k).await.unwrap().unwrap().data).unwrap() }
        };
        assert_eq!(
            balance(sub.treasury).await + balance(sub.delegator_pool).await,
            main
        );
        let sub_schedule: EmissionSchedule = sub.emission.into();
        let tokens: u64 = (0..HOURS)
            .map(|h| emission_for_hour(&sub_schedule, h))
            .sum();
        assert_eq!(sub.tokens_emitted, tokens);
        assert_eq!(balance(sub.rewards_escrow).await, tokens);
        assert_eq!(
            mint_supply(&chain.get_account(&sub.mint).await.unwrap().unwrap().data).unwrap(),
            tokens
        );
    }
}
