use crate::{errors::RegistryError, events::DeviceChanged, state::*};
use anchor_lang::{prelude::*, Discriminator};

#[derive(Accounts)]
pub struct TransferDevice<'info> {
    /// The current owner.
    pub owner: Signer<'info>,
    /// CHECK: the device key (a PDA seed only).
    pub device: UncheckedAccount<'info>,
    /// CHECK: a `Hotspot` or `GpuNode` of this program (owner, discriminator and seeds checked in
    /// the handler).
    #[account(mut, owner = crate::ID)]
    pub device_account: UncheckedAccount<'info>,
}

fn set_owner<T: AccountSerialize + AccountDeserialize>(
    info: &AccountInfo,
    owner: &Pubkey,
    new_owner: Pubkey,
    get: impl Fn(&mut T) -> &mut Pubkey,
) -> Result<()> {
    let mut value = {
        let data = info.try_borrow_data()?;
        T::try_deserialize(&mut &data[..])?
    };
    let slot = get(&mut value);
    require_keys_eq!(*slot, *owner, RegistryError::NotOwner);
    *slot = new_owner;
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}

/// Transfer a hotspot or GPU node.
///
/// Shall be signed by the current owner (`NotOwner`) and accept only this program's device
/// accounts at the device key's address (`ConstraintSeeds`); rewards and the stake follow the
/// new owner.
pub fn handler(ctx: Context<TransferDevice>, new_owner: Pubkey) -> Result<()> {
    let info = ctx.accounts.device_account.to_account_info();
    let device = ctx.accounts.device.key();
    let owner = ctx.accounts.owner.key();
    let is_hotspot = info.try_borrow_data()?.starts_with(Hotspot::DISCRIMINATOR);
    let seed: &[u8] = if is_hotspot {
        crate::constants::HOTSPOT_SEED
    } else {
        crate::constants::GPU_NODE_SEED
    };
    let (expected, _) = Pubkey::find_program_address(&[seed, device.as_ref()], &crate::ID);
    require_keys_eq!(
        info.key(),
        expected,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    if is_hotspot {
        set_owner::<Hotspot>(&info, &owner, new_owner, |h| &mut h.owner)?;
    } else {
        set_owner::<GpuNode>(&info, &owner, new_owner, |g| &mut g.owner)?;
    }
    emit!(DeviceChanged {
        device,
        owner: new_owner,
        closed: false,
    });
    Ok(())
}
