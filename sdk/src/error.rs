//! Errors of the chain transports, with program error codes mapped back to their enums.

use solana_sdk::{instruction::InstructionError, transaction::TransactionError};

/// Anchor's first custom error code; program enums count up from here.
pub const ANCHOR_ERROR_OFFSET: u32 = 6_000;

/// What went wrong talking to the chain.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The transaction executed and failed; it changed nothing.
    #[error("transaction failed: {err}{}", program_error_suffix(.err))]
    Transaction {
        /// The runtime's error.
        err: TransactionError,
        /// Program logs, when the transport returns them.
        logs: Vec<String>,
    },
    /// The transport failed (connection, timeout, RPC error); the transaction may or may not
    /// have landed.
    #[error("transport error: {0}")]
    Transport(String),
    /// An account did not decode as the expected type.
    #[error("decode error: {0}")]
    Decode(String),
    /// An expected account does not exist.
    #[error("not found: {0}")]
    NotFound(String),
}

fn program_error_suffix(err: &TransactionError) -> String {
    match custom_code(err) {
        Some(code) => match dao_error(code) {
            Some(e) => format!(" ({e:?}: {e})"),
            None => format!(" (custom program error {code})"),
        },
        None => String::new(),
    }
}

fn custom_code(err: &TransactionError) -> Option<u32> {
    match err {
        TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(*code),
        _ => None,
    }
}

fn dao_error(code: u32) -> Option<lattice_dao::DaoError> {
    use lattice_dao::DaoError as E;
    const ALL: [E; 21] = [
        E::InvalidSchedule,
        E::ScheduleExceedsCap,
        E::InvalidBreaker,
        E::InvalidUtilityWeights,
        E::InvalidBps,
        E::InvalidName,
        E::TooManySubDaos,
        E::Unauthorized,
        E::HourBeforeGenesis,
        E::HourNotOver,
        E::HourAlreadyIssued,
        E::SubDaoAccountMismatch,
        E::CapReached,
        E::SubDaoCapReached,
        E::CircuitBreakerTripped,
        E::SubDaoCircuitBreakerTripped,
        E::MathOverflow,
        E::InvariantViolated,
        E::NoActiveSubDaos,
        E::UnauthorizedCaller,
        E::DeviceCountUnderflow,
    ];
    ALL.into_iter().find(|e| u32::from(*e) == code)
}

impl ChainError {
    /// The custom program error code, if the transaction failed with one.
    pub fn custom_code(&self) -> Option<u32> {
        match self {
            ChainError::Transaction { err, .. } => custom_code(err),
            _ => None,
        }
    }

    /// The DAO program error, if the transaction failed with one.
    pub fn dao_error(&self) -> Option<lattice_dao::DaoError> {
        self.custom_code().and_then(dao_error)
    }

    /// True when retrying the same request may succeed (transport trouble, expired blockhash).
    pub fn is_transient(&self) -> bool {
        match self {
            ChainError::Transport(_) => true,
            ChainError::Transaction { err, .. } => matches!(
                err,
                TransactionError::BlockhashNotFound
                    | TransactionError::WouldExceedMaxBlockCostLimit
            ),
            _ => false,
        }
    }
}
