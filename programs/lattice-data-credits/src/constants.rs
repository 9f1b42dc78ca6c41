//! PDA seeds. The SDK and workers import these.

/// `[DATA_CREDITS_SEED, dao]`: the DC configuration, also the DC mint's authority.
pub const DATA_CREDITS_SEED: &[u8] = b"data_credits";
/// `[DC_MINT_SEED, dao]`: the DC mint (Token-2022, NonTransferable, 0 decimals).
pub const DC_MINT_SEED: &[u8] = b"dc_mint";
/// `[SUB_DAO_DC_SEED, sub_dao]`: a sub-DAO's DC settings and totals.
pub const SUB_DAO_DC_SEED: &[u8] = b"sub_dao_dc";
/// `[ESCROW_SEED, sub_dao, payer_key]`: DC delegated to a payer (router, dApp) of a sub-DAO.
pub const ESCROW_SEED: &[u8] = b"dc_escrow";
/// `[USAGE_SEED, sub_dao, hour as u64 little-endian]`: DC burned in one sub-DAO hour.
pub const USAGE_SEED: &[u8] = b"usage";
