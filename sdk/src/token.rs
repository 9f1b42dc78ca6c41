//! Plain SPL Token helpers for the main and sub-DAO tokens (classic SPL Token program).

use solana_sdk::{instruction::Instruction, pubkey::Pubkey};

/// Create `owner`'s associated token account for `mint` if missing (idempotent).
pub fn create_associated_token_account(
    payer: &Pubkey,
    owner: &Pubkey,
    mint: &Pubkey,
) -> Instruction {
    anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        &anchor_spl::token::ID,
    )
}

/// Move `amount` base units of `mint` between the associated token accounts of two wallets.
pub fn transfer(from_owner: &Pubkey, to_owner: &Pubkey, mint: &Pubkey, amount: u64) -> Instruction {
    anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &crate::pda::associated_token(from_owner, mint),
        &crate::pda::associated_token(to_owner, mint),
        from_owner,
        &[],
        amount,
    )
    .expect("the SPL Token transfer instruction always builds with no multisig signers")
}
