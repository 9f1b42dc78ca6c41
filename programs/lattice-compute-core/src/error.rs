//! Error types.

use core::fmt;

/// Invalid challenge or verifier parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamsError {
    /// The matrix size `n` is zero.
    ZeroSize,
    /// The chain length is zero (it must be at least 1).
    ZeroChain,
    /// `n·chain·128·128` exceeds `i32::MAX`: an entry of `C` could overflow int32.
    WorkTooLarge {
        /// Requested matrix size.
        n: usize,
        /// Requested chain length.
        chain: u32,
    },
    /// `rounds` is outside `1..=MAX_ROUNDS`.
    Rounds {
        /// The rejected value.
        rounds: u32,
    },
    /// `r_bits` is outside `1..=64`.
    RBits {
        /// The rejected value.
        r_bits: u32,
    },
    /// `opened_rows` is zero: the committed root would never be checked.
    NoOpenedRows,
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroSize => write!(f, "matrix size n must be at least 1"),
            Self::ZeroChain => write!(f, "chain must be at least 1"),
            Self::WorkTooLarge { n, chain } => write!(
                f,
                "n={n}, chain={chain}: n*chain*16384 exceeds i32::MAX, int32 accumulation could overflow"
            ),
            Self::Rounds { rounds } => write!(
                f,
                "rounds={rounds} outside 1..={}",
                crate::params::MAX_ROUNDS
            ),
            Self::RBits { r_bits } => write!(f, "r_bits={r_bits} outside 1..=64"),
            Self::NoOpenedRows => write!(f, "at least one row must be opened"),
        }
    }
}

impl std::error::Error for ParamsError {}

/// The prover was handed inconsistent inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProveError {
    /// The matrix does not have `n·n` entries (or `n` is zero or does not fit `u32`).
    MatrixLength {
        /// `n·n` (saturated).
        expected: usize,
        /// Entries supplied.
        got: usize,
    },
    /// The query was derived for a different matrix size.
    QuerySize {
        /// The commitment's `n`.
        expected: usize,
        /// The query's `n`.
        got: usize,
    },
}

impl fmt::Display for ProveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MatrixLength { expected, got } => {
                write!(f, "matrix has {got} entries, expected {expected}")
            }
            Self::QuerySize { expected, got } => {
                write!(f, "query is for n={got}, commitment has n={expected}")
            }
        }
    }
}

impl std::error::Error for ProveError {}

/// Why a response (or a full matrix) was rejected. Variants are listed in the order the
/// verifier checks them: cheap structural checks first, then the O(n²·chain) pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The query was derived for a different matrix size than the challenge.
    QuerySize {
        /// The challenge's `n`.
        expected: usize,
        /// The query's `n`.
        got: usize,
    },
    /// `c_times_r` does not hold `rounds·n` entries.
    ProductLength {
        /// `rounds·n`.
        expected: usize,
        /// Entries supplied.
        got: usize,
    },
    /// The number of opened rows differs from the number requested.
    OpenedRowCount {
        /// Rows requested.
        expected: usize,
        /// Rows supplied.
        got: usize,
    },
    /// The `position`-th opened row is not the requested row.
    RowIndex {
        /// Position in the opened-row list.
        position: usize,
        /// Requested row index.
        expected: u32,
        /// Supplied row index.
        got: u32,
    },
    /// An opened row does not have `n` entries.
    RowLength {
        /// Row index.
        index: u32,
        /// `n`.
        expected: usize,
        /// Entries supplied.
        got: usize,
    },
    /// An opened row's Merkle proof does not lead to the committed root.
    MerkleProof {
        /// Row index.
        index: u32,
    },
    /// `c_times_r[round][index] != row_index · r_round` for an opened row.
    InconsistentProduct {
        /// Freivalds round.
        round: usize,
        /// Row index.
        index: u32,
    },
    /// Freivalds: `A·(B·r)` differs from the claimed `C·r` (first differing coordinate).
    Freivalds {
        /// Freivalds round.
        round: usize,
        /// First differing coordinate.
        index: usize,
    },
    /// A full matrix does not have `n·n` entries.
    MatrixLength {
        /// `n·n`.
        expected: usize,
        /// Entries supplied.
        got: usize,
    },
    /// A full matrix does not hash to the committed root.
    RootMismatch,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::QuerySize { expected, got } => {
                write!(f, "query is for n={got}, challenge has n={expected}")
            }
            Self::ProductLength { expected, got } => {
                write!(f, "c_times_r has {got} entries, expected {expected}")
            }
            Self::OpenedRowCount { expected, got } => {
                write!(f, "{got} rows opened, expected {expected}")
            }
            Self::RowIndex {
                position,
                expected,
                got,
            } => write!(
                f,
                "opened row #{position} is row {got}, expected row {expected}"
            ),
            Self::RowLength {
                index,
                expected,
                got,
            } => write!(f, "row {index} has {got} entries, expected {expected}"),
            Self::MerkleProof { index } => write!(f, "Merkle proof of row {index} is invalid"),
            Self::InconsistentProduct { round, index } => write!(
                f,
                "claimed (C·r)[{index}] in round {round} disagrees with opened row {index}"
            ),
            Self::Freivalds { round, index } => {
                write!(
                    f,
                    "Freivalds check failed in round {round} at coordinate {index}"
                )
            }
            Self::MatrixLength { expected, got } => {
                write!(f, "matrix has {got} entries, expected {expected}")
            }
            Self::RootMismatch => write!(f, "matrix does not hash to the committed root"),
        }
    }
}

impl std::error::Error for VerifyError {}
