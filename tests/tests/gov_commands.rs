//! `lattice stake …` and `lattice gov …` on the embedded chain (the CLI runs the same `Operator`
//! code over RPC), on a network bootstrapped with governance holding every authority: lock,
//! delegate (the sub-DAO's V moves from the next hour), claim staker rewards, move and
//! undelegate (rewards of the closed range stay claimable), a proposal file that passes, waits
//! out its timelock and executes, and the refusals.

use lattice_math::epoch::{hour_of, hour_start};
use lattice_sdk::lattice_governance::{LockKind, ProposalState, VoteChoice};
use lattice_sdk::{
    governance as gov,
    send::send,
    solana::{Keypair, Signer},
    Chain,
};
use lattice_tests::Network;
use lattice_workers::{
    cranker::Cranker,
    ops::{governance::ProposalFile, Operator},
};

async fn crank_to(
    net: &Network,
    cranker: &mut Cranker<lattice_sdk::embedded::EmbeddedChain>,
    hour: u64,
) {
    net.chain
        .set_unix_timestamp(hour_start(hour) + 1)
        .await
        .unwrap();
    let r = cranker.tick().await.unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
}

#[tokio::test]
async fn stake_and_gov_commands() {
    let net = Network::start().await;
    let chain = net.chain.clone();
    let cfg = &net.cfg;
    let main_mint = net.main_mint.pubkey();
    let dao = lattice_sdk::pda::dao(&main_mint);
    let op = Operator {
        chain: &chain,
        cfg,
        main_mint,
        wallet: &net.payer,
        opts: cfg.send_options(),
    };
    let mut cranker = Cranker::new(
        chain.clone(),
        net.payer.insecure_clone(),
        main_mint,
        cfg.send_options(),
        48,
    );
    let unit = 1_000_000u64;
    let start = hour_of(chain.unix_timestamp().await.unwrap());

    // Lock: a 4-year constant position and a 1-hour cliff; ids are handed out from 0.
    let max = cfg.governance_ve().max_lock_hours;
    assert_eq!(
        op.stake_lock(2_000_000 * unit, LockKind::Constant, max, None)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        op.stake_lock(10 * unit, LockKind::Cliff, 1, None)
            .await
            .unwrap(),
        1
    );
    assert_eq!(op.stake_positions().await.unwrap().len(), 2);
    op.stake_delegate(0, "compute").await.unwrap();
    let err = op.stake_delegate(0, "compute").await.unwrap_err();
    assert!(err.to_string().contains("already delegated"), "{err}");

    // The delegation counts from the next hour: V(start+1) is its power, recorded in the DAO.
    crank_to(&net, &mut cranker, start + 1).await;
    crank_to(&net, &mut cranker, start + 2).await;
    let compute = lattice_sdk::pda::sub_dao(&dao, "compute");
    let coverage = lattice_sdk::pda::sub_dao(&dao, "coverage");
    let agg = gov::fetch_sub_dao_ve(&chain, &compute)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(agg.hour, start + 2);
    let power = lattice_math::governance::power_at(
        &cfg.governance_ve().into(),
        2_000_000 * unit,
        lattice_math::governance::HourLock::Constant {
            duration_hours: max,
        },
        0,
    );
    assert_eq!(agg.ve_power, power);
    let epoch: lattice_dao::SubDaoEpoch = lattice_sdk::accounts::fetch(
        &chain,
        &lattice_sdk::pda::sub_dao_epoch(&compute, start + 1),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(epoch.ve_recorded);
    assert_eq!(epoch.ve_power, power);

    // Hour start+1 was issued with V: its compute delegator slice is the position's to claim.
    let issued: lattice_dao::DaoEpoch =
        lattice_sdk::accounts::fetch(&chain, &lattice_sdk::pda::dao_epoch(&dao, start + 1))
            .await
            .unwrap()
            .unwrap();
    let slice = issued
        .parts
        .iter()
        .find(|p| p.sub_dao == compute)
        .unwrap()
        .main_to_delegators;
    assert!(slice > 0);
    let coverage_slice = issued
        .parts
        .iter()
        .find(|p| p.sub_dao == coverage)
        .unwrap()
        .main_to_delegators;
    assert_eq!(
        coverage_slice, 0,
        "nothing delegated: the slice goes to the treasury"
    );
    let claimed = op.stake_claim(0).await.unwrap();
    // The only delegated position owns the whole slice, less the rate's rounding (r_h is
    // floor(slice·2^64 / V): at most V/2^64 base units per hour stay in the pool as dust).
    let dust = u64::try_from(power >> 64).unwrap() + 1;
    assert!(
        claimed <= slice && claimed + dust >= slice,
        "{claimed} vs {slice} (dust {dust})"
    );

    // Move to coverage, then undelegate: the compute range up to the move stays claimable.
    op.stake_delegate(0, "coverage").await.unwrap();
    crank_to(&net, &mut cranker, start + 3).await;
    crank_to(&net, &mut cranker, start + 4).await;
    op.stake_undelegate(0).await.unwrap();
    assert!(op.stake_undelegate(0).await.is_err());
    crank_to(&net, &mut cranker, start + 5).await;
    crank_to(&net, &mut cranker, start + 6).await;
    let later = op.stake_claim(0).await.unwrap();
    assert!(later > 0);
    let p = op.stake_positions().await.unwrap().remove(0).position;
    assert!(p.delegation.is_none() && p.unsettled.is_empty());

    // Withdraw: the 1-hour cliff has expired, the constant lock never does until unlocked.
    let err = op.stake_withdraw(0).await.unwrap_err();
    assert!(format!("{err:#}").contains("LockNotExpired"), "{err:#}");
    op.stake_withdraw(1).await.unwrap();
    assert_eq!(op.stake_positions().await.unwrap().len(), 1);

    // A proposal from a file: new utility weights.
    let file = ProposalFile::parse(
        "uri = \"https://forum.example.org/p/weights\"\n[[changes]]\nkind = \"dao\"\nutility_weights = { ve_bps = 1000, dc_bps = 6000, devices_bps = 3000 }\n",
    )
    .unwrap();
    let id = op.gov_propose(&file, 0, false).await.unwrap();
    assert_eq!(id, 0);
    assert_eq!(
        op.gov_vote(id, VoteChoice::Yes, &[]).await.unwrap(),
        vec![0]
    );
    // Voting again moves the same power (counted once).
    op.gov_vote(id, VoteChoice::No, &[0]).await.unwrap();
    op.gov_vote(id, VoteChoice::Yes, &[0]).await.unwrap();
    let listed = op.gov_list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.no, 0);
    assert!(listed[0].1.yes > 0);
    // Too early to finalize.
    assert!(op.gov_execute(id).await.is_err());
    // After the voting period: queued (timelock running), then executed.
    let voting_end = listed[0].1.voting_end;
    chain.set_unix_timestamp(voting_end).await.unwrap();
    assert_eq!(op.gov_execute(id).await.unwrap(), ProposalState::Queued);
    let eta = gov::fetch_proposal(&chain, &dao, id)
        .await
        .unwrap()
        .unwrap()
        .eta;
    chain.set_unix_timestamp(eta).await.unwrap();
    assert_eq!(op.gov_execute(id).await.unwrap(), ProposalState::Executed);
    let d: lattice_dao::Dao = lattice_sdk::accounts::fetch(&chain, &dao)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            d.utility_weights.ve_bps,
            d.utility_weights.dc_bps,
            d.utility_weights.devices_bps
        ),
        (1000, 6000, 3000)
    );
    assert_eq!(op.gov_execute(id).await.unwrap(), ProposalState::Executed);

    // A wallet without positions cannot vote or propose.
    let stranger = Keypair::new();
    chain
        .airdrop(&stranger.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    let other = Operator {
        chain: &chain,
        cfg,
        main_mint,
        wallet: &stranger,
        opts: cfg.send_options(),
    };
    assert!(other.gov_vote(id, VoteChoice::No, &[]).await.is_err());
    assert!(other.gov_propose(&file, 0, false).await.is_err());

    // The bootstrap key can no longer change a parameter directly.
    let ix = lattice_sdk::ix::set_dao_params(
        &net.payer.pubkey(),
        &dao,
        lattice_dao::DaoParamsUpdate {
            emission: None,
            breaker: None,
            utility_weights: None,
            delegator_bps: Some(100),
        },
    );
    let err = send(&chain, &cfg.send_options(), &[ix], &net.payer, &[])
        .await
        .unwrap_err();
    assert_eq!(
        err.custom_code(),
        Some(u32::from(lattice_dao::DaoError::Unauthorized))
    );
}
