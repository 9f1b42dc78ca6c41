//! Typed account decoders and fetchers.

use crate::{chain::Chain, error::ChainError, ix::SubDaoKeys};
use anchor_lang::AccountDeserialize;
use lattice_dao::{Dao, DaoEpoch, SubDao};
use solana_sdk::pubkey::Pubkey;

/// Decode an Anchor account (discriminator checked).
pub fn decode<T: AccountDeserialize>(data: &[u8]) -> Result<T, ChainError> {
    let mut slice = data;
    T::try_deserialize(&mut slice).map_err(|e| ChainError::Decode(e.to_string()))
}

/// Fetch and decode an Anchor account; `None` if it does not exist.
pub async fn fetch<T: AccountDeserialize, C: Chain>(
    chain: &C,
    key: &Pubkey,
) -> Result<Option<T>, ChainError> {
    match chain.get_account(key).await? {
        Some(a) => decode(&a.data).map(Some),
        None => Ok(None),
    }
}

/// Decode an SPL token account's amount (base units). Works for SPL Token and Token-2022
/// accounts, with or without extensions: the base layout (mint 32, owner 32, amount u64 LE) is
/// the same, and extensions only follow it.
pub fn token_amount(data: &[u8]) -> Result<u64, ChainError> {
    if data.len() < 165 {
        return Err(ChainError::Decode(format!(
            "token account data is {} bytes, expected at least 165",
            data.len()
        )));
    }
    let amount: [u8; 8] = data[64..72]
        .try_into()
        .map_err(|_| ChainError::Decode("token account amount".into()))?;
    Ok(u64::from_le_bytes(amount))
}

/// Decode an SPL mint's supply (base units).
pub fn mint_supply(data: &[u8]) -> Result<u64, ChainError> {
    let mut slice = data;
    anchor_spl::token::Mint::try_deserialize_unchecked(&mut slice)
        .map(|m| m.supply)
        .map_err(|e| ChainError::Decode(e.to_string()))
}

/// A DAO with its sub-DAOs, as a cranker or a dashboard needs them.
#[derive(Debug, Clone)]
pub struct DaoView {
    /// The DAO's address.
    pub address: Pubkey,
    /// The DAO account.
    pub dao: Dao,
    /// Sub-DAOs in DAO order, with their addresses.
    pub sub_daos: Vec<(Pubkey, SubDao)>,
}

impl DaoView {
    /// Load the DAO of `main_mint` and all its sub-DAOs.
    pub async fn load<C: Chain>(chain: &C, main_mint: &Pubkey) -> Result<Self, ChainError> {
        let address = crate::pda::dao(main_mint);
        let dao: Dao = fetch(chain, &address)
            .await?
            .ok_or_else(|| ChainError::NotFound(format!("DAO {address}")))?;
        let raw = chain.get_multiple_accounts(&dao.sub_daos).await?;
        let mut sub_daos = Vec::with_capacity(raw.len());
        for (key, acct) in dao.sub_daos.iter().zip(raw) {
            let acct = acct.ok_or_else(|| ChainError::NotFound(format!("sub-DAO {key}")))?;
            sub_daos.push((*key, decode::<SubDao>(&acct.data)?));
        }
        Ok(Self {
            address,
            dao,
            sub_daos,
        })
    }

    /// The keys `issue_hour` needs, in DAO order.
    pub fn issue_keys(&self) -> Vec<SubDaoKeys> {
        self.sub_daos
            .iter()
            .map(|(k, s)| SubDaoKeys {
                sub_dao: *k,
                mint: s.mint,
            })
            .collect()
    }

    /// First hour that pays at least one sub-DAO (the program refuses earlier hours).
    pub fn first_issuable_hour(&self) -> u64 {
        self.sub_daos
            .iter()
            .map(|(_, s)| s.genesis_hour)
            .min()
            .unwrap_or(u64::MAX)
            .max(self.dao.genesis_hour)
    }

    /// Sub-DAO by name.
    pub fn sub_dao(&self, name: &str) -> Option<&(Pubkey, SubDao)> {
        self.sub_daos.iter().find(|(_, s)| s.name == name)
    }
}

/// The issued-hour record, if the hour was issued.
pub async fn issued_epoch<C: Chain>(
    chain: &C,
    dao: &Pubkey,
    hour: u64,
) -> Result<Option<DaoEpoch>, ChainError> {
    Ok(
        fetch::<DaoEpoch, C>(chain, &crate::pda::dao_epoch(dao, hour))
            .await?
            .filter(|e| e.issued),
    )
}
