//! Account sizes (rent is what holders and crankers pay): fixed here so a layout change is a
//! visible decision.

#![allow(clippy::arithmetic_side_effects)]

use anchor_lang::Space;
use lattice_governance::{Governance, Position, SubDaoVe, VeHour, VoteRecord};

/// Rent-exempt minimum of `data` bytes at the default rent (3 480 lamports per byte-year, 2 years).
fn rent(data: usize) -> u64 {
    ((data as u64) + 128) * 3_480 * 2
}

#[test]
fn account_sizes_and_rent() {
    let sizes = [
        ("Governance", 8 + Governance::INIT_SPACE),
        ("Position", 8 + Position::INIT_SPACE),
        ("SubDaoVe", 8 + SubDaoVe::INIT_SPACE),
        ("VeHour", 8 + VeHour::INIT_SPACE),
        ("VoteRecord", 8 + VoteRecord::INIT_SPACE),
    ];
    for (name, size) in sizes {
        println!("{name:<11} {size:>5} bytes  {:>9} lamports", rent(size));
    }
    assert_eq!(8 + Position::INIT_SPACE, 1_110);
    assert_eq!(8 + VeHour::INIT_SPACE, 162);
    assert_eq!(8 + VoteRecord::INIT_SPACE, 90);
}
