//! Data credits: PDAs, instruction builders, and Pyth price accounts for the embedded chain.

use anchor_lang::{AccountSerialize, InstructionData, ToAccountMetas};
use lattice_data_credits::{
    accounts as acc, constants::*, instruction as data, DcParamsUpdate, InitializeDataCreditsArgs,
    MintDcArgs,
};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use solana_sdk::{account::Account, instruction::Instruction, pubkey::Pubkey};

/// The DC configuration of a DAO.
pub fn data_credits(dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[DATA_CREDITS_SEED, dao.as_ref()],
        &lattice_data_credits::ID,
    )
    .0
}

/// The DC mint of a DAO.
pub fn dc_mint(dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DC_MINT_SEED, dao.as_ref()], &lattice_data_credits::ID).0
}

/// A sub-DAO's DC settings.
pub fn sub_dao_dc(sub_dao: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[SUB_DAO_DC_SEED, sub_dao.as_ref()],
        &lattice_data_credits::ID,
    )
    .0
}

/// A payer's DC escrow in a sub-DAO.
pub fn escrow(sub_dao: &Pubkey, payer_key: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[ESCROW_SEED, sub_dao.as_ref(), payer_key.as_ref()],
        &lattice_data_credits::ID,
    )
    .0
}

/// A wallet's DC account (Token-2022 associated token account).
pub fn dc_account(owner: &Pubkey, dao: &Pubkey) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address_with_program_id(
        owner,
        &dc_mint(dao),
        &anchor_spl::token_2022::ID,
    )
}

/// Create `owner`'s DC account if it does not exist (idempotent).
pub fn create_dc_account(payer: &Pubkey, owner: &Pubkey, dao: &Pubkey) -> Instruction {
    anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        &dc_mint(dao),
        &anchor_spl::token_2022::ID,
    )
}

/// `initialize_data_credits`.
pub fn initialize_data_credits(
    payer: &Pubkey,
    authority: &Pubkey,
    main_mint: &Pubkey,
    args: InitializeDataCreditsArgs,
) -> Instruction {
    let dao = crate::pda::dao(main_mint);
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::InitializeDataCredits {
            payer: *payer,
            authority: *authority,
            dao,
            main_mint: *main_mint,
            data_credits: data_credits(&dao),
            dc_mint: dc_mint(&dao),
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: data::InitializeDataCredits { args }.data(),
    }
}

/// `add_sub_dao_dc`.
pub fn add_sub_dao_dc(
    payer: &Pubkey,
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    burn_authority: &Pubkey,
) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::AddSubDaoDc {
            payer: *payer,
            authority: *authority,
            data_credits: data_credits(dao),
            sub_dao: *sub_dao,
            sub_dao_dc: sub_dao_dc(sub_dao),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: data::AddSubDaoDc {
            burn_authority: *burn_authority,
        }
        .data(),
    }
}

/// The configuration's record of the DC minted and main burned in `hour`.
pub fn dc_hour(dao: &Pubkey, hour: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[
            lattice_data_credits::constants::DC_HOUR_SEED,
            data_credits(dao).as_ref(),
            &hour.to_le_bytes(),
        ],
        &lattice_data_credits::ID,
    )
    .0
}

/// `mint_dc` in `hour` (the chain clock's: the program records the mint there): burn from
/// `owner`'s main-token ATA, mint to `recipient`'s DC account.
pub fn mint_dc(
    owner: &Pubkey,
    main_mint: &Pubkey,
    recipient: &Pubkey,
    price_update: &Pubkey,
    args: MintDcArgs,
    hour: u64,
) -> Instruction {
    let dao = crate::pda::dao(main_mint);
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::MintDc {
            owner: *owner,
            data_credits: data_credits(&dao),
            main_mint: *main_mint,
            owner_main: crate::pda::associated_token(owner, main_mint),
            dc_mint: dc_mint(&dao),
            recipient_dc: dc_account(recipient, &dao),
            price_update: *price_update,
            dc_hour: dc_hour(&dao, hour),
            token_program: anchor_spl::token::ID,
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: data::MintDc { args }.data(),
    }
}

/// `delegate_dc`: move `amount` DC from `owner` to the escrow of `payer_key` in `sub_dao`.
pub fn delegate_dc(
    owner: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    payer_key: &Pubkey,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::DelegateDc {
            owner: *owner,
            data_credits: data_credits(dao),
            dc_mint: dc_mint(dao),
            owner_dc: dc_account(owner, dao),
            sub_dao_dc: sub_dao_dc(sub_dao),
            escrow: escrow(sub_dao, payer_key),
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: data::DelegateDc {
            payer_key: *payer_key,
            amount,
        }
        .data(),
    }
}

/// `burn_delegated_dc`: recorded in `hour` (the chain's current hour); the burn authority also
/// pays the hour record's rent (see [`burn_delegated_dc_with_payer`]).
pub fn burn_delegated_dc(
    burn_authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    payer_key: &Pubkey,
    hour: u64,
    amount: u64,
) -> Instruction {
    burn_delegated_dc_with_payer(
        burn_authority,
        burn_authority,
        dao,
        sub_dao,
        payer_key,
        hour,
        amount,
    )
}

/// `burn_delegated_dc` with a separate `rent_payer` (a signer) for the hour record, for burn
/// authorities that cannot pay rent (a program PDA signing through CPI).
pub fn burn_delegated_dc_with_payer(
    rent_payer: &Pubkey,
    burn_authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    payer_key: &Pubkey,
    hour: u64,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::BurnDelegatedDc {
            burn_authority: *burn_authority,
            data_credits: data_credits(dao),
            dc_mint: dc_mint(dao),
            sub_dao_dc: sub_dao_dc(sub_dao),
            escrow: escrow(sub_dao, payer_key),
            dao: *dao,
            sub_dao: *sub_dao,
            sub_dao_epoch: crate::pda::sub_dao_epoch(sub_dao, hour),
            dao_program: lattice_dao::ID,
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: anchor_lang::system_program::ID,
            rent_payer: *rent_payer,
        }
        .to_account_metas(None),
        data: data::BurnDelegatedDc {
            payer_key: *payer_key,
            amount,
        }
        .data(),
    }
}

/// `refund_delegated_dc`: the sub-DAO's `burn_authority` returns `amount` DC from the escrow of
/// `payer_key` to the DC account `destination`.
pub fn refund_delegated_dc(
    burn_authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    payer_key: &Pubkey,
    destination: &Pubkey,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::RefundDelegatedDc {
            burn_authority: *burn_authority,
            data_credits: data_credits(dao),
            dc_mint: dc_mint(dao),
            sub_dao_dc: sub_dao_dc(sub_dao),
            escrow: escrow(sub_dao, payer_key),
            destination: *destination,
            token_2022_program: anchor_spl::token_2022::ID,
        }
        .to_account_metas(None),
        data: data::RefundDelegatedDc {
            payer_key: *payer_key,
            amount,
        }
        .data(),
    }
}

/// `set_burn_authority`: the DC `authority` (the DAO authority) makes `burn_authority` the
/// sub-DAO's burn authority.
pub fn set_burn_authority(
    authority: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    burn_authority: &Pubkey,
) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::SetBurnAuthority {
            authority: *authority,
            data_credits: data_credits(dao),
            sub_dao_dc: sub_dao_dc(sub_dao),
        }
        .to_account_metas(None),
        data: data::SetBurnAuthority {
            burn_authority: *burn_authority,
        }
        .data(),
    }
}

/// `set_authority` of the data-credits program: the DC `authority` hands the DC configuration to
/// `new_authority`, e.g. [`crate::pda::governance`].
pub fn set_dc_authority(authority: &Pubkey, dao: &Pubkey, new_authority: &Pubkey) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::SetDcAuthority {
            authority: *authority,
            data_credits: data_credits(dao),
        }
        .to_account_metas(None),
        data: data::SetAuthority {
            new_authority: *new_authority,
        }
        .data(),
    }
}

/// `set_dc_params`: the DC `authority` signs; `None` fields stay as they are.
pub fn set_dc_params(authority: &Pubkey, dao: &Pubkey, params: DcParamsUpdate) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::SetDcParams {
            authority: *authority,
            data_credits: data_credits(dao),
        }
        .to_account_metas(None),
        data: data::SetDcParams { params }.data(),
    }
}

/// `burn_dc_fee`: `owner` burns `amount` of its DC as a fee of `sub_dao`, recorded in `hour`.
pub fn burn_dc_fee(
    owner: &Pubkey,
    dao: &Pubkey,
    sub_dao: &Pubkey,
    hour: u64,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: lattice_data_credits::ID,
        accounts: acc::BurnDcFee {
            owner: *owner,
            data_credits: data_credits(dao),
            dc_mint: dc_mint(dao),
            sub_dao_dc: sub_dao_dc(sub_dao),
            owner_dc: dc_account(owner, dao),
            dao: *dao,
            sub_dao: *sub_dao,
            sub_dao_epoch: crate::pda::sub_dao_epoch(sub_dao, hour),
            dao_program: lattice_dao::ID,
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: data::BurnDcFee { amount }.data(),
    }
}

/// A Pyth price reading to write into a `PriceUpdateV2` account.
#[derive(Debug, Clone, Copy)]
pub struct PriceReading {
    /// Feed id.
    pub feed_id: [u8; 32],
    /// Price, scaled by `10^exponent`.
    pub price: i64,
    /// Confidence, same scale.
    pub conf: u64,
    /// Exponent.
    pub exponent: i32,
    /// Publish time, unix seconds.
    pub publish_time: i64,
    /// Fully verified by the Wormhole guardians.
    pub fully_verified: bool,
}

/// A real `PriceUpdateV2` account (discriminator + borsh), owned by `owner` (the Pyth receiver
/// program on real clusters), as the embedded chain and the tests inject it.
pub fn price_update_account(r: &PriceReading, owner: &Pubkey, lamports: u64) -> Account {
    let update = PriceUpdateV2 {
        write_authority: Pubkey::default(),
        verification_level: if r.fully_verified {
            VerificationLevel::Full
        } else {
            VerificationLevel::Partial { num_signatures: 5 }
        },
        price_message: PriceFeedMessage {
            feed_id: r.feed_id,
            price: r.price,
            conf: r.conf,
            exponent: r.exponent,
            publish_time: r.publish_time,
            prev_publish_time: r.publish_time.saturating_sub(1),
            ema_price: r.price,
            ema_conf: r.conf,
        },
        posted_slot: 0,
    };
    let mut data = Vec::with_capacity(PriceUpdateV2::LEN);
    update
        .try_serialize(&mut data)
        .expect("serializing into a Vec cannot fail");
    data.resize(PriceUpdateV2::LEN, 0);
    Account {
        lamports,
        data,
        owner: *owner,
        executable: false,
        rent_epoch: 0,
    }
}
