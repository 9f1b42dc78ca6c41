//! Small helpers shared by handlers.

use anchor_lang::{
    prelude::*,
    system_program::{self, Allocate, Assign, CreateAccount, Transfer},
};

/// Create a PDA account owned by `owner`, even if someone sent lamports to its address first.
///
/// Anchor 1.2's `init` uses the system program's `CreateAccountAllowPrefund`, which Agave 3.1
/// runtimes do not have; this is the classic create / (top-up, allocate, assign) pattern that every
/// runtime supports. A pre-funded address therefore cannot block a permissionless instruction.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let space_u64 = u64::try_from(space).map_err(|_| ProgramError::InvalidArgument)?;
    let current = target.lamports();
    if current == 0 {
        system_program::create_account(
            CpiContext::new_with_signer(
                system.key(),
                CreateAccount {
                    from: payer.clone(),
                    to: target.clone(),
                },
                &[seeds],
            ),
            rent,
            space_u64,
            owner,
        )
    } else {
        let top_up = rent.saturating_sub(current);
        if top_up > 0 {
            system_program::transfer(
                CpiContext::new(
                    system.key(),
                    Transfer {
                        from: payer.clone(),
                        to: target.clone(),
                    },
                ),
                top_up,
            )?;
        }
        system_program::allocate(
            CpiContext::new_with_signer(
                system.key(),
                Allocate {
                    account_to_allocate: target.clone(),
                },
                &[seeds],
            ),
            space_u64,
        )?;
        system_program::assign(
            CpiContext::new_with_signer(
                system.key(),
                Assign {
                    account_to_assign: target.clone(),
                },
                &[seeds],
            ),
            owner,
        )
    }
}
