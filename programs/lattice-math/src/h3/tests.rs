use super::*;
use h3o::{CellIndex, LatLng, Resolution};
use proptest::prelude::*;

const PENTAGONS: [u8; 12] = [4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117];

/// A mode-1 index with the given fields; digits past `digits.len()` are 7.
fn build(res: u8, base: u8, digits: &[u64]) -> u64 {
    let mut index = (1u64 << 59) | (u64::from(res) << 52) | (u64::from(base) << 45);
    for level in 1..=15usize {
        let digit = digits.get(level - 1).copied().unwrap_or(7);
        index |= digit << ((15 - level) * 3);
    }
    index
}

/// Replaces digit `level` (1-based) of `index` with `digit`.
fn with_digit(index: u64, level: usize, digit: u64) -> u64 {
    let shift = (15 - level) * 3;
    (index & !(0b111 << shift)) | (digit << shift)
}

fn paris(res: Resolution) -> u64 {
    u64::from(LatLng::new(48.8566, 2.3522).unwrap().to_cell(res))
}

/// What h3o says: a valid cell at resolution `r`.
fn h3o_accepts(index: u64, r: u8) -> bool {
    CellIndex::try_from(index).is_ok_and(|c| u8::from(c.resolution()) == r)
}

#[test]
fn real_cell_validates_only_at_its_resolution() {
    let cell = paris(Resolution::Eight);
    assert_eq!(cell_resolution(cell), 8);
    assert_eq!(validate_cell(cell, 8), Ok(()));
    assert_eq!(validate_cell(cell, 7), Err(H3Error::WrongResolution));
    assert_eq!(validate_cell(cell, 9), Err(H3Error::WrongResolution));
    // An expected resolution above 15 never matches.
    assert_eq!(validate_cell(cell, 16), Err(H3Error::WrongResolution));
    assert_eq!(validate_cell(cell, u8::MAX), Err(H3Error::WrongResolution));
    // A well-known index from the H3 docs.
    assert_eq!(validate_cell(0x08a1_fb46_622d_ffff, 10), Ok(()));
    for r in 0..=15u8 {
        let cell = paris(Resolution::try_from(r).unwrap());
        assert_eq!(validate_cell(cell, r), Ok(()), "resolution {r}");
    }
}

#[test]
fn base_cells_and_pentagons_match_h3o() {
    let mut count = 0;
    for cell in CellIndex::base_cells() {
        let index = u64::from(cell);
        let base = u8::from(cell.base_cell());
        assert_eq!(validate_cell(index, 0), Ok(()));
        assert_eq!(index, build(0, base, &[]));
        assert_eq!(is_pentagon_base_cell(base), cell.is_pentagon(), "{base}");
        assert_eq!(is_pentagon_base_cell(base), PENTAGONS.contains(&base));
        count += 1;
    }
    assert_eq!(count, usize::from(BASE_CELL_COUNT));
    assert!(!is_pentagon_base_cell(BASE_CELL_COUNT));
    assert!(!is_pentagon_base_cell(u8::MAX));
}

#[test]
fn pentagon_cells_validate() {
    for r in 0..=15u8 {
        let res = Resolution::try_from(r).unwrap();
        let mut count = 0;
        for pentagon in res.pentagons() {
            assert_eq!(validate_cell(u64::from(pentagon), r), Ok(()));
            count += 1;
        }
        assert_eq!(count, 12);
    }
    // Base cell 4 at resolution 0, and its centre child at resolution 9.
    assert_eq!(validate_cell(0x0800_9fff_ffff_ffff, 0), Ok(()));
    assert_eq!(validate_cell(build(9, 4, &[0; 9]), 9), Ok(()));
}

#[test]
fn deleted_pentagon_subsequence_is_rejected() {
    for &base in &PENTAGONS {
        // First digit 1.
        let idx = build(1, base, &[1]);
        assert_eq!(
            validate_cell(idx, 1),
            Err(H3Error::DeletedPentagonSubsequence)
        );
        assert!(CellIndex::try_from(idx).is_err());
        // First non-zero digit 1 after leading zeros.
        let idx = build(5, base, &[0, 0, 1, 4, 6]);
        assert_eq!(
            validate_cell(idx, 5),
            Err(H3Error::DeletedPentagonSubsequence)
        );
        assert!(CellIndex::try_from(idx).is_err());
        // A 1 after a non-zero digit is fine.
        let idx = build(3, base, &[0, 2, 1]);
        assert_eq!(validate_cell(idx, 3), Ok(()));
        assert!(CellIndex::try_from(idx).is_ok());
        // All zeros (the pentagon itself) is fine.
        assert_eq!(validate_cell(build(15, base, &[0; 15]), 15), Ok(()));
    }
    // On a hexagon base cell the K axis exists.
    assert_eq!(validate_cell(build(1, 0, &[1]), 1), Ok(()));
    assert_eq!(validate_cell(build(3, 5, &[0, 0, 1]), 3), Ok(()));
}

#[test]
fn edges_and_vertexes_are_not_cells() {
    let cell = CellIndex::try_from(paris(Resolution::Eight)).unwrap();
    let mut seen = 0;
    for edge in cell.edges() {
        assert_eq!(validate_cell(u64::from(edge), 8), Err(H3Error::NotACell));
        seen += 1;
    }
    for vertex in cell.vertexes() {
        assert_eq!(validate_cell(u64::from(vertex), 8), Err(H3Error::NotACell));
        seen += 1;
    }
    assert_eq!(seen, 12);
    assert_eq!(validate_cell(0, 0), Err(H3Error::NotACell));
    // Mode 0 and mode 15 with an otherwise valid layout.
    let good = paris(Resolution::Eight);
    let mode0 = good & !(0b1111 << 59);
    assert_eq!(validate_cell(mode0, 8), Err(H3Error::NotACell));
    assert_eq!(
        validate_cell(good | (0b1111 << 59), 8),
        Err(H3Error::NotACell)
    );
}

#[test]
fn bad_base_cells_are_rejected() {
    for base in [122u8, 123, 127] {
        assert_eq!(
            validate_cell(build(0, base, &[]), 0),
            Err(H3Error::InvalidBaseCell)
        );
        assert_eq!(
            validate_cell(build(4, base, &[1, 2, 3, 4]), 4),
            Err(H3Error::InvalidBaseCell)
        );
    }
    assert_eq!(validate_cell(build(0, 121, &[]), 0), Ok(()));
}

#[test]
fn reserved_bits_are_rejected() {
    let good = paris(Resolution::Eight);
    assert_eq!(
        validate_cell(good | (1 << 63), 8),
        Err(H3Error::ReservedBits)
    );
    for bit in 56..=58 {
        assert_eq!(
            validate_cell(good | (1 << bit), 8),
            Err(H3Error::ReservedBits)
        );
    }
}

#[test]
fn bad_digits_are_rejected() {
    let good = paris(Resolution::Eight);
    // An unused digit inside the resolution.
    for level in 1..=8 {
        assert_eq!(
            validate_cell(with_digit(good, level, 7), 8),
            Err(H3Error::InvalidDigit),
            "level {level}"
        );
    }
    // A used digit past the resolution.
    for level in 9..=15 {
        for digit in 0..=6 {
            assert_eq!(
                validate_cell(with_digit(good, level, digit), 8),
                Err(H3Error::InvalidDigit),
                "level {level} digit {digit}"
            );
        }
    }
    // Every used digit value inside the resolution is fine (Paris is on a hexagon base cell).
    for digit in 0..=6 {
        assert_eq!(validate_cell(with_digit(good, 8, digit), 8), Ok(()));
    }
}

fn resolution() -> impl Strategy<Value = u8> {
    prop_oneof![9 => 0u8..=15, 1 => 16u8..=u8::MAX]
}

/// Indexes close to valid cells: each field is usually right and sometimes wrong.
fn near_cell() -> impl Strategy<Value = u64> {
    (
        prop::bool::weighted(0.05),
        prop_oneof![8 => Just(1u64), 1 => 0u64..16],
        prop_oneof![8 => Just(0u64), 1 => 0u64..8],
        0u64..=15,
        prop_oneof![
            2 => 0u64..128,
            1 => prop::sample::select(PENTAGONS.to_vec()).prop_map(u64::from),
        ],
        prop::array::uniform15(prop_oneof![
            4 => Just(0u64),
            2 => Just(1u64),
            6 => 0u64..7,
            1 => Just(7u64),
        ]),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(reserved, mode, mdep, res, base, digits, clean_tail)| {
            let mut index = (u64::from(reserved) << 63)
                | (mode << 59)
                | (mdep << 56)
                | (res << 52)
                | (base << 45);
            for (i, &d) in digits.iter().enumerate() {
                let level = i as u64 + 1;
                let d = if level > res && clean_tail { 7 } else { d };
                index |= d << ((15 - level) * 3);
            }
            index
        })
}

fn lat_lng() -> impl Strategy<Value = LatLng> {
    (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(lat, lng)| LatLng::new(lat, lng).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn agrees_with_h3o_on_arbitrary_u64(x in any::<u64>(), r in resolution()) {
        prop_assert_eq!(validate_cell(x, r).is_ok(), h3o_accepts(x, r));
        // Also at the index's own resolution, where only validity decides.
        let own = cell_resolution(x);
        prop_assert_eq!(validate_cell(x, own).is_ok(), CellIndex::try_from(x).is_ok());
    }

    #[test]
    fn agrees_with_h3o_near_valid_cells(x in near_cell(), r in resolution()) {
        prop_assert_eq!(validate_cell(x, r).is_ok(), h3o_accepts(x, r));
        let own = cell_resolution(x);
        prop_assert_eq!(validate_cell(x, own).is_ok(), CellIndex::try_from(x).is_ok());
    }

    #[test]
    fn agrees_with_h3o_on_one_bit_flips(ll in lat_lng(), r in 0u8..=15, bit in 0u32..64) {
        let cell = u64::from(ll.to_cell(Resolution::try_from(r).unwrap()));
        let x = cell ^ (1u64 << bit);
        prop_assert_eq!(validate_cell(x, r).is_ok(), h3o_accepts(x, r));
        let own = cell_resolution(x);
        prop_assert_eq!(validate_cell(x, own).is_ok(), CellIndex::try_from(x).is_ok());
    }

    #[test]
    fn cells_from_lat_lng_validate(ll in lat_lng(), r in 0u8..=15) {
        let cell = ll.to_cell(Resolution::try_from(r).unwrap());
        let x = u64::from(cell);
        prop_assert_eq!(cell_resolution(x), r);
        prop_assert_eq!(validate_cell(x, r), Ok(()));
        if r > 0 {
            prop_assert_eq!(validate_cell(x, r - 1), Err(H3Error::WrongResolution));
        }
        // Children and parent of a valid cell are valid at their own resolutions.
        if let Some(parent) = cell.parent(Resolution::Zero) {
            prop_assert_eq!(validate_cell(u64::from(parent), 0), Ok(()));
        }
        if r < 15 {
            for child in cell.children(Resolution::try_from(r + 1).unwrap()) {
                prop_assert_eq!(validate_cell(u64::from(child), r + 1), Ok(()));
            }
        }
    }
}
