//! Two DAOs in one bank: the data-credits configuration of one can never act on the other's
//! sub-DAO (escrow squatting, fee or usage burns credited across DAOs).

use lattice_migrations::bootstrap;
use lattice_sdk::{
    dc,
    send::send,
    solana::{Keypair, Pubkey, Signer},
};
use lattice_tests::Network;

#[tokio::test]
async fn a_foreign_dc_configuration_cannot_touch_this_dao() {
    let net = Network::start().await;
    let other_mint = Keypair::new();
    bootstrap(
        &net.chain,
        &net.cfg,
        &net.cfg.send_options(),
        &net.payer,
        &net.payer,
        &other_mint,
    )
    .await
    .unwrap();
    let me = net.payer.pubkey();
    let dao = net.dao();
    let other = lattice_sdk::pda::dao(&other_mint.pubkey());
    let coverage = lattice_sdk::pda::sub_dao(&dao, "coverage");
    let router = Pubkey::new_unique();
    let has_one = u32::from(anchor_lang::error::ErrorCode::ConstraintHasOne);
    // The attacker holds real DC accounts in both DAOs.
    let create = [
        dc::create_dc_account(&me, &me, &dao),
        dc::create_dc_account(&me, &me, &other),
    ];
    send(
        &net.chain,
        &net.cfg.send_options(),
        &create,
        &net.payer,
        &[],
    )
    .await
    .unwrap();

    // Delegating with the other DAO's configuration (and DC mint) into this DAO's coverage
    // escrow would squat the escrow address with a foreign mint.
    let mut ix = dc::delegate_dc(&me, &dao, &coverage, &router, 1);
    ix.accounts[1].pubkey = dc::data_credits(&other);
    ix.accounts[2].pubkey = dc::dc_mint(&other);
    ix.accounts[3].pubkey = dc::dc_account(&me, &other);
    let err = send(&net.chain, &net.cfg.send_options(), &[ix], &net.payer, &[])
        .await
        .unwrap_err();
    assert_eq!(err.custom_code(), Some(has_one), "{err}");

    // Same for fee burns and usage burns.
    let hour = lattice_math::epoch::hour_of(net.now);
    let mut ix = dc::burn_dc_fee(&me, &dao, &coverage, hour, 1);
    ix.accounts[1].pubkey = dc::data_credits(&other);
    ix.accounts[2].pubkey = dc::dc_mint(&other);
    let err = send(&net.chain, &net.cfg.send_options(), &[ix], &net.payer, &[])
        .await
        .unwrap_err();
    assert_eq!(err.custom_code(), Some(has_one), "{err}");
    // A real escrow exists in this DAO's coverage sub-DAO.
    let mint = dc::mint_dc(
        &me,
        &net.main_mint.pubkey(),
        &me,
        &net.price,
        lattice_data_credits::MintDcArgs {
            main_amount: None,
            dc_amount: Some(100),
        },
        hour,
    );
    let delegate = dc::delegate_dc(&me, &dao, &coverage, &router, 100);
    send(
        &net.chain,
        &net.cfg.send_options(),
        &[mint, delegate],
        &net.payer,
        &[],
    )
    .await
    .unwrap();
    let mut ix = dc::burn_delegated_dc(&me, &dao, &coverage, &router, hour, 1);
    ix.accounts[1].pubkey = dc::data_credits(&other);
    ix.accounts[2].pubkey = dc::dc_mint(&other);
    let err = send(&net.chain, &net.cfg.send_options(), &[ix], &net.payer, &[])
        .await
        .unwrap_err();
    assert_eq!(err.custom_code(), Some(has_one), "{err}");
}
