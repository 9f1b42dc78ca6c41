//! Errors of the chain transports, with program error codes mapped back to their enums.

use solana_sdk::{instruction::InstructionError, pubkey::Pubkey, transaction::TransactionError};

/// Anchor's first custom error code; program enums count up from here.
pub const ANCHOR_ERROR_OFFSET: u32 = 6_000;

/// What went wrong talking to the chain.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The transaction executed and failed; it changed nothing.
    #[error("transaction failed: {err}{}", program_error_suffix(.err, .program.as_ref()))]
    Transaction {
        /// The runtime's error.
        err: TransactionError,
        /// Program logs, when the transport returns them.
        logs: Vec<String>,
        /// The program of the failing top-level instruction, when known (set by
        /// [`crate::send::send`]). A custom code is that program's error, or the error of a
        /// program it called.
        program: Option<Pubkey>,
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

/// The name of custom `code` of `program` (Anchor's framework codes below 6000 are shared).
pub fn error_name(program: Option<&Pubkey>, code: u32) -> Option<String> {
    if code < ANCHOR_ERROR_OFFSET {
        use anchor_lang::error::ErrorCode as A;
        let common = [
            A::ConstraintMut,
            A::ConstraintHasOne,
            A::ConstraintSigner,
            A::ConstraintRaw,
            A::ConstraintOwner,
            A::ConstraintSeeds,
            A::ConstraintAddress,
            A::ConstraintTokenMint,
            A::ConstraintTokenOwner,
            A::ConstraintAssociated,
            A::AccountDiscriminatorMismatch,
            A::AccountDidNotDeserialize,
            A::AccountNotEnoughKeys,
            A::AccountNotMutable,
            A::AccountOwnedByWrongProgram,
            A::InvalidProgramId,
            A::AccountNotSigner,
            A::AccountNotInitialized,
        ];
        return find(&common, code).map(|e| format!("{e:?}: {e}"));
    }
    let program = program?;
    if *program == lattice_dao::ID {
        dao_error(code).map(|e| format!("{e:?}: {e}"))
    } else if *program == lattice_data_credits::ID {
        dc_error(code).map(|e| format!("{e:?}: {e}"))
    } else if *program == lattice_registry::ID {
        registry_error(code).map(|e| format!("{e:?}: {e}"))
    } else if *program == lattice_compute::ID {
        crate::compute::compute_error(code).map(|e| format!("{e:?}: {e}"))
    } else if *program == lattice_governance::ID {
        crate::governance::governance_error(code).map(|e| format!("{e:?}: {e}"))
    } else {
        None
    }
}

fn program_error_suffix(err: &TransactionError, program: Option<&Pubkey>) -> String {
    match custom_code(err) {
        Some(code) => match error_name(program, code) {
            Some(name) => format!(" ({name})"),
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

fn find<E: Copy + Into<u32>>(all: &[E], code: u32) -> Option<E> {
    all.iter().copied().find(|e| (*e).into() == code)
}

fn dao_error(code: u32) -> Option<lattice_dao::DaoError> {
    use lattice_dao::DaoError as E;
    find(
        &[
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
            E::DeviceCountUnderflow,
            E::ConversionFrozen,
            E::SlippageExceeded,
            E::ZeroAmount,
            E::InvalidConversionParams,
            E::ConversionReserveEmpty,
            E::WrongMint,
            E::ConversionAlreadyInitialized,
            E::InvalidAuthority,
            E::VeAlreadyEnabled,
            E::InvalidVeHour,
            E::VeNotEnabled,
            E::VeAlreadyRecorded,
            E::VeNotRecorded,
        ],
        code,
    )
}

fn dc_error(code: u32) -> Option<lattice_data_credits::DcError> {
    use lattice_data_credits::DcError as E;
    find(
        &[
            E::Unauthorized,
            E::WrongPriceOwner,
            E::InvalidPriceAccount,
            E::PriceUnverified,
            E::WrongPriceFeed,
            E::PriceStale,
            E::PriceNotPositive,
            E::PriceConfidenceTooWide,
            E::InvalidAmount,
            E::MathOverflow,
            E::CircuitBreakerTripped,
            E::WrongBurnAuthority,
            E::InsufficientDc,
            E::InsufficientMain,
            E::InvalidParameter,
            E::InvalidAuthority,
        ],
        code,
    )
}

fn registry_error(code: u32) -> Option<lattice_registry::RegistryError> {
    use lattice_registry::RegistryError as E;
    find(
        &[
            E::Unauthorized,
            E::InvalidParams,
            E::LocationNotACell,
            E::LocationWrongResolution,
            E::GainOutOfRange,
            E::ElevationOutOfRange,
            E::NotOwner,
            E::InvalidGpuSpecs,
            E::InsufficientStake,
            E::NodeHoldsJob,
            E::UnstakeAlreadyRequested,
            E::UnstakeNotRequested,
            E::CooldownNotOver,
            E::WrongSubDao,
            E::MathOverflow,
            E::DeviceAlreadyRegistered,
            E::NoJobHeld,
            E::InvalidAuthority,
        ],
        code,
    )
}

impl ChainError {
    /// The custom program error code, if the transaction failed with one.
    pub fn custom_code(&self) -> Option<u32> {
        match self {
            ChainError::Transaction { err, .. } => custom_code(err),
            _ => None,
        }
    }

    /// The DAO program error, if the failing instruction was the DAO program's (or unknown).
    pub fn dao_error(&self) -> Option<lattice_dao::DaoError> {
        match self {
            ChainError::Transaction { program, .. }
                if program.is_none_or(|p| p == lattice_dao::ID) =>
            {
                self.custom_code().and_then(dao_error)
            }
            _ => None,
        }
    }

    /// Record which program the failing instruction called (`ixs` as sent).
    pub fn with_program(mut self, ixs: &[solana_sdk::instruction::Instruction]) -> Self {
        if let ChainError::Transaction {
            err: TransactionError::InstructionError(index, _),
            program,
            ..
        } = &mut self
        {
            *program = ixs.get(usize::from(*index)).map(|ix| ix.program_id);
        }
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_by_program() {
        let code = u32::from(lattice_registry::RegistryError::CooldownNotOver);
        let err = ChainError::Transaction {
            err: TransactionError::InstructionError(1, InstructionError::Custom(code)),
            logs: vec![],
            program: None,
        };
        let ixs = [
            solana_sdk::instruction::Instruction::new_with_bytes(lattice_dao::ID, &[], vec![]),
            solana_sdk::instruction::Instruction::new_with_bytes(lattice_registry::ID, &[], vec![]),
        ];
        let err = err.with_program(&ixs);
        assert!(err.to_string().contains("CooldownNotOver"), "{err}");
        assert!(err.dao_error().is_none(), "not the DAO program's error");
        for (program, code, name) in [
            (
                lattice_dao::ID,
                u32::from(lattice_dao::DaoError::VeNotRecorded),
                "VeNotRecorded",
            ),
            (
                lattice_dao::ID,
                u32::from(lattice_dao::DaoError::ConversionFrozen),
                "ConversionFrozen",
            ),
            (
                lattice_data_credits::ID,
                u32::from(lattice_data_credits::DcError::InvalidAuthority),
                "InvalidAuthority",
            ),
            (
                lattice_registry::ID,
                u32::from(lattice_registry::RegistryError::InvalidAuthority),
                "InvalidAuthority",
            ),
        ] {
            let got = error_name(Some(&program), code).unwrap_or_default();
            assert!(got.starts_with(name), "{code}: {got}");
        }
        assert_eq!(
            error_name(None, 2006)
                .as_deref()
                .map(|s| s.starts_with("ConstraintSeeds")),
            Some(true)
        );
    }
}
