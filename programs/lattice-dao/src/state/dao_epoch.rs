use crate::constants::*;
use anchor_lang::prelude::*;

/// One sub-DAO's part of an issued hour.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct SubDaoIssuance {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// Utility score used (fixed point, 10^12 = 100%).
    pub utility_score: u128,
    /// Main-token base units to the treasury.
    pub main_to_treasury: u64,
    /// Main-token base units to the delegator pool.
    pub main_to_delegators: u64,
    /// Sub-DAO token base units to the rewards escrow.
    pub tokens_emitted: u64,
    /// Active devices of the sub-DAO when the hour was issued (the utility score's A input).
    pub active_devices: u64,
}

/// The record of one hour: PDA `[DAO_EPOCH_SEED, dao, hour_le]`. `issued` flips once.
#[account]
#[derive(InitSpace, Debug)]
pub struct DaoEpoch {
    /// The DAO.
    pub dao: Pubkey,
    /// The hour.
    pub hour: u64,
    /// True once the hour has been issued; never reset.
    pub issued: bool,
    /// Unix time of issuance, in seconds.
    pub issued_at: i64,
    /// Main-token base units minted for the hour.
    pub main_emitted: u64,
    /// Per-sub-DAO parts, in DAO order; their main amounts sum to `main_emitted`.
    #[max_len(MAX_SUB_DAOS)]
    pub parts: Vec<SubDaoIssuance>,
    /// Bump of this PDA.
    pub bump: u8,
    /// Space for future fields (e.g. the hour's utility inputs).
    pub reserved: [u8; 64],
}

/// One sub-DAO's utility inputs of one hour: PDA `[SUB_DAO_EPOCH_SEED, sub_dao, hour_le]`,
/// created on the first DC burn of the hour or by `record_ve`, whichever comes first.
/// `issue_hour` reads `dc_burned` as D and, once V is enabled for the sub-DAO, `ve_power` as V.
#[account]
#[derive(InitSpace, Debug)]
pub struct SubDaoEpoch {
    /// The sub-DAO.
    pub sub_dao: Pubkey,
    /// The hour.
    pub hour: u64,
    /// DC burned for usage in the hour (DC).
    pub dc_burned: u64,
    /// DC burned as fees in the hour (DC); recorded, not part of D.
    pub fees_burned: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Vote-escrow power delegated to the sub-DAO at the start of the hour (voting-power units),
    /// recorded by governance (`record_ve`): the utility score's V input.
    pub ve_power: u128,
    /// True once `ve_power` was recorded; never reset.
    pub ve_recorded: bool,
    /// Main-token base units locked in governance when `ve_power` was recorded (the staking
    /// ratio's numerator; the same DAO-wide figure in every sub-DAO's record of the hour).
    pub staked: u64,
    /// Space for future fields.
    pub reserved: [u8; 7],
}

impl SubDaoEpoch {
    /// A fresh record of `sub_dao`'s `hour`: no burn, no V recorded.
    pub fn new(sub_dao: Pubkey, hour: u64, bump: u8) -> Self {
        Self {
            sub_dao,
            hour,
            dc_burned: 0,
            fees_burned: 0,
            bump,
            ve_power: 0,
            ve_recorded: false,
            staked: 0,
            reserved: [0; 7],
        }
    }
}
