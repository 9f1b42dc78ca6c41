//! Validation of H3 cell indexes, the form in which a hotspot asserts its location.
//!
//! An H3 index is a `u64` with this bit layout (bit 63 is the most significant):
//!
//! ```text
//!  63  62..59  58..56  55..52  51..45  44..42  41..39  ...  5..3   2..0
//! ┌───┬───────┬───────┬───────┬───────┬───────┬───────┬─────┬──────┬──────┐
//! │ 0 │ mode  │ mdep  │  res  │ base  │  d1   │  d2   │ ... │ d14  │ d15  │
//! └───┴───────┴───────┴───────┴───────┴───────┴───────┴─────┴──────┴──────┘
//! ```
//!
//! - bit 63 is reserved and always 0;
//! - bits 59–62 are the index mode: 1 for a cell, 2 for a directed edge, 4 for a vertex, …;
//! - bits 56–58 are mode-dependent (an edge's direction, a vertex's number) and are 0 for a cell;
//! - bits 52–55 are the resolution, 0..=15;
//! - bits 45–51 are the base cell, 0..=121 (122 base cells);
//! - bits 0–44 are fifteen 3-bit digits `d1..d15`, `d1` the most significant. For a cell at
//!   resolution `r`, digits `d1..=dr` are directions in 0..=6 and every digit after `dr` is the
//!   "unused" pattern 7.
//!
//! Twelve base cells are pentagons (4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117). A pentagon
//! has no K-axis child: within a pentagon base cell the first non-zero digit can never be 1 (the
//! deleted K-axis subsequence). Indexes that would name such a cell are invalid.
//!
//! [`validate_cell`] accepts exactly the valid cell indexes at a given resolution. It uses only
//! masks and shifts by constants: no allocation, no floating point, no external crate, so it
//! runs on SBF as-is.

/// The finest H3 resolution.
pub const MAX_RESOLUTION: u8 = 15;

/// The number of H3 base cells; valid base cells are `0..BASE_CELL_COUNT`.
pub const BASE_CELL_COUNT: u8 = 122;

/// Index mode of a cell.
const MODE_CELL: u64 = 1;

/// Bit 63: reserved, always 0.
const RESERVED_BIT: u64 = 1 << 63;
/// Bits 59–62: the index mode.
const MODE_OFFSET: u32 = 59;
const MODE_MASK: u64 = 0b1111;
/// Bits 56–58: mode-dependent, 0 for a cell.
const MODE_DEPENDENT_OFFSET: u32 = 56;
const MODE_DEPENDENT_MASK: u64 = 0b111;
/// Bits 52–55: the resolution.
const RESOLUTION_OFFSET: u32 = 52;
const RESOLUTION_MASK: u64 = 0b1111;
/// Bits 45–51: the base cell.
const BASE_CELL_OFFSET: u32 = 45;
const BASE_CELL_MASK: u64 = 0b111_1111;
/// Shifting left by this moves digit `d1` to bits 61–63.
const DIGITS_TO_TOP: u32 = 19; // 64 - 45
/// Shifting right by this reads the 3-bit digit at bits 61–63.
const TOP_DIGIT_OFFSET: u32 = 61;
/// The digit of an unused resolution.
const UNUSED_DIGIT: u64 = 0b111;
/// The largest digit of a used resolution (the IJ direction).
const MAX_DIGIT: u64 = 6;
/// The deleted digit of a pentagon (the K axis).
const K_AXIS_DIGIT: u64 = 1;

/// The pentagon base cells, one bit each: 4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117.
const PENTAGON_BASE_CELLS: u128 = (1 << 4)
    | (1 << 14)
    | (1 << 24)
    | (1 << 38)
    | (1 << 49)
    | (1 << 58)
    | (1 << 63)
    | (1 << 72)
    | (1 << 83)
    | (1 << 97)
    | (1 << 107)
    | (1 << 117);

/// Why an index is not a valid H3 cell at the expected resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum H3Error {
    /// The mode is not 1: the index is a directed edge, a vertex, or no H3 index at all.
    NotACell,
    /// The reserved bit 63, or the mode-dependent bits 56–58 of a cell, are not 0.
    ReservedBits,
    /// The cell's resolution is not the expected one (an expected resolution above 15 never
    /// matches).
    WrongResolution,
    /// The base cell is 122 or more.
    InvalidBaseCell,
    /// A digit within the resolution is 7, or a digit past the resolution is not 7.
    InvalidDigit,
    /// A pentagon cell whose first non-zero digit is 1: the deleted K-axis subsequence.
    DeletedPentagonSubsequence,
}

/// The resolution field (bits 52–55) of an index, whether or not it is valid.
pub fn cell_resolution(index: u64) -> u8 {
    field(index, RESOLUTION_OFFSET, RESOLUTION_MASK)
}

/// Whether `base_cell` is one of the twelve pentagon base cells.
pub fn is_pentagon_base_cell(base_cell: u8) -> bool {
    base_cell < BASE_CELL_COUNT && PENTAGON_BASE_CELLS & (1u128 << base_cell) != 0
}

/// Accepts `index` if and only if it is a valid H3 cell index at `resolution`.
///
/// The checks run in this order, and the first failure is returned: reserved bit 63
/// ([`H3Error::ReservedBits`]), mode ([`H3Error::NotACell`]), mode-dependent bits
/// ([`H3Error::ReservedBits`]), resolution ([`H3Error::WrongResolution`]), base cell
/// ([`H3Error::InvalidBaseCell`]), digits ([`H3Error::InvalidDigit`]), pentagon rule
/// ([`H3Error::DeletedPentagonSubsequence`]).
pub fn validate_cell(index: u64, resolution: u8) -> Result<(), H3Error> {
    if index & RESERVED_BIT != 0 {
        return Err(H3Error::ReservedBits);
    }
    if (index >> MODE_OFFSET) & MODE_MASK != MODE_CELL {
        return Err(H3Error::NotACell);
    }
    if (index >> MODE_DEPENDENT_OFFSET) & MODE_DEPENDENT_MASK != 0 {
        return Err(H3Error::ReservedBits);
    }
    let res = cell_resolution(index);
    if res != resolution {
        return Err(H3Error::WrongResolution);
    }
    let base_cell = field(index, BASE_CELL_OFFSET, BASE_CELL_MASK);
    if base_cell >= BASE_CELL_COUNT {
        return Err(H3Error::InvalidBaseCell);
    }

    // Walk the digits from d1 to d15, each brought in turn to the top three bits.
    let pentagon = is_pentagon_base_cell(base_cell);
    let mut deleted = false;
    let mut all_zero_so_far = true;
    let mut rest = index << DIGITS_TO_TOP;
    for level in 1..=MAX_RESOLUTION {
        let digit = rest >> TOP_DIGIT_OFFSET;
        rest <<= 3;
        if level <= res {
            if digit > MAX_DIGIT {
                return Err(H3Error::InvalidDigit);
            }
            if all_zero_so_far && digit != 0 {
                all_zero_so_far = false;
                deleted = pentagon && digit == K_AXIS_DIGIT;
            }
        } else if digit != UNUSED_DIGIT {
            return Err(H3Error::InvalidDigit);
        }
    }
    if deleted {
        return Err(H3Error::DeletedPentagonSubsequence);
    }
    Ok(())
}

/// The field of `index` at `offset` under `mask`; every mask used here fits in a `u8`.
fn field(index: u64, offset: u32, mask: u64) -> u8 {
    // `mask` is at most 7 bits wide, so the value always fits.
    u8::try_from((index >> offset) & mask).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests;
