//! PDA seeds. The SDK and workers import these.

/// `[DATA_CREDITS_SEED, dao]`: the DC configuration, also the DC mint's authority. Defined by
/// the DAO program, which accepts this PDA's signature on `track_dc_burn`.
pub use lattice_dao::constants::DATA_CREDITS_SEED;
/// `[DC_MINT_SEED, dao]`: the DC mint (Token-2022, NonTransferable, 0 decimals).
pub const DC_MINT_SEED: &[u8] = b"dc_mint";
/// `[SUB_DAO_DC_SEED, sub_dao]`: a sub-DAO's DC settings and totals.
pub const SUB_DAO_DC_SEED: &[u8] = b"sub_dao_dc";
/// `[ESCROW_SEED, sub_dao, payer_key]`: DC delegated to a payer (router, dApp) of a sub-DAO.
pub const ESCROW_SEED: &[u8] = b"dc_escrow";
/// `[DC_HOUR_SEED, data_credits, hour_le]`: the DC minted and main burned in one hour.
pub const DC_HOUR_SEED: &[u8] = b"dc_hour";
