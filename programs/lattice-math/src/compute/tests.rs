use super::*;
use proptest::prelude::*;

#[test]
fn escrow_is_price_times_duration_and_refuses_overflow() {
    assert_eq!(escrow_amount(5, 3_600), Ok(18_000));
    assert_eq!(escrow_amount(0, 3_600), Ok(0));
    assert_eq!(escrow_amount(u64::MAX, 2), Err(ComputeMathError::Overflow));
    assert_eq!(escrow_amount(u64::MAX, 1), Ok(u64::MAX));
}

#[test]
fn settles_the_time_used_and_refunds_the_rest() {
    // 10 DC/s, 1 hour escrowed, 15 minutes used.
    let escrow = escrow_amount(10, 3_600).unwrap();
    assert_eq!(
        settle(10, 900, escrow),
        Ok(Settlement {
            burned: 9_000,
            refunded: 27_000
        })
    );
    // The whole duration burns the whole escrow.
    assert_eq!(
        settle(10, 3_600, escrow),
        Ok(Settlement {
            burned: 36_000,
            refunded: 0
        })
    );
    // A burn above the escrow is refused, never clamped.
    assert_eq!(
        settle(10, 3_601, escrow),
        Err(ComputeMathError::ExceedsEscrow)
    );
    assert_eq!(settle(u64::MAX, 2, escrow), Err(ComputeMathError::Overflow));
    assert_eq!(
        full_refund(escrow),
        Settlement {
            burned: 0,
            refunded: escrow
        }
    );
}

#[test]
fn used_time_is_clamped_to_one_second_and_the_maximum() {
    assert_eq!(used_secs(100, 100, 60), 1, "a same-second result bills 1 s");
    assert_eq!(
        used_secs(100, 90, 60),
        1,
        "a clock before the claim bills 1 s"
    );
    assert_eq!(used_secs(100, 130, 60), 30);
    assert_eq!(used_secs(100, 160, 60), 60);
    assert_eq!(used_secs(100, 1_000, 60), 60);
    assert_eq!(used_secs(i64::MIN, i64::MAX, 60), 60);
    assert_eq!(used_secs(0, 10, 0), 1, "a zero maximum still bills 1 s");
}

#[test]
fn deadline_is_checked() {
    assert_eq!(deadline(1_000, 60), Some(1_060));
    assert_eq!(deadline(i64::MAX, 1), None);
    assert_eq!(deadline(0, u64::MAX), None);
}

#[test]
fn slash_is_a_floor_share_of_the_stake() {
    assert_eq!(slash_amount(1_000_000, 500), 50_000);
    assert_eq!(slash_amount(999, 5_000), 499);
    assert_eq!(slash_amount(1_000, 0), 0);
    assert_eq!(slash_amount(1_000, 10_000), 1_000);
    assert_eq!(
        slash_amount(1_000, u16::MAX),
        1_000,
        "bps above 100% cap at the stake"
    );
    assert_eq!(slash_amount(u64::MAX, 10_000), u64::MAX);
    assert_eq!(slash_amount(0, 10_000), 0);
}

#[test]
fn fault_subjects_are_the_documented_hashes() {
    use sha2::{Digest, Sha256};
    let market = [7u8; 32];
    let mut h = Sha256::new();
    h.update(b"lattice-compute/fault/job/v1");
    h.update(market);
    h.update(42u64.to_le_bytes());
    let expected: [u8; 32] = h.finalize().into();
    assert_eq!(job_fault_subject(&market, 42), expected);

    let node = [9u8; 32];
    let mut h = Sha256::new();
    h.update(b"lattice-compute/fault/capacity/v1");
    h.update(node);
    h.update(493_000u64.to_le_bytes());
    let expected: [u8; 32] = h.finalize().into();
    assert_eq!(capacity_fault_subject(&node, 493_000), expected);

    // Domain separation: the same bytes as a job and as a capacity proof differ.
    assert_ne!(
        job_fault_subject(&node, 1),
        capacity_fault_subject(&node, 1)
    );
    assert_ne!(job_fault_subject(&market, 1), job_fault_subject(&market, 2));
}

proptest! {
    /// burned + refunded == escrow, and neither exceeds the escrow, for any job that fits.
    #[test]
    fn settlement_conserves_the_escrow(
        price in 1u64..=1_000_000,
        max_duration in 1u64..=2_592_000,
        claimed_at in 0i64..=4_000_000_000,
        elapsed in -100i64..=3_000_000,
    ) {
        let escrow = escrow_amount(price, max_duration).unwrap();
        let used = used_secs(claimed_at, claimed_at + elapsed, max_duration);
        prop_assert!((1..=max_duration).contains(&used));
        let s = settle(price, used, escrow).unwrap();
        prop_assert_eq!(s.burned + s.refunded, escrow);
        prop_assert!(s.burned <= escrow && s.refunded <= escrow);
        prop_assert_eq!(s.burned, price * used);
    }

    /// Any split either conserves the escrow or is refused; it never pays out more.
    #[test]
    fn settle_never_exceeds_the_escrow(price in any::<u64>(), used in any::<u64>(), escrow in any::<u64>()) {
        match settle(price, used, escrow) {
            Ok(s) => {
                prop_assert_eq!(u128::from(s.burned) + u128::from(s.refunded), u128::from(escrow));
                prop_assert_eq!(u128::from(s.burned), u128::from(price) * u128::from(used));
            }
            Err(ComputeMathError::Overflow) => {
                prop_assert!(u128::from(price) * u128::from(used) > u128::from(u64::MAX));
            }
            Err(ComputeMathError::ExceedsEscrow) => {
                prop_assert!(u128::from(price) * u128::from(used) > u128::from(escrow));
            }
        }
    }

    /// slash ≤ stake, monotone in bps, and exact at 0 and 100%.
    #[test]
    fn slash_never_exceeds_the_stake(stake in any::<u64>(), bps in any::<u16>(), more in any::<u16>()) {
        let s = slash_amount(stake, bps);
        prop_assert!(s <= stake);
        prop_assert!(slash_amount(stake, bps.saturating_add(more)) >= s);
        prop_assert_eq!(
            u128::from(s),
            u128::from(stake) * u128::from(bps.min(10_000)) / 10_000
        );
    }
}
