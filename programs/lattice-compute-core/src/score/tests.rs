use super::*;

#[test]
fn counts_mmac_per_second() {
    // 1024³ = 1_073_741_824 MACs in 1 s ≈ 1073 MMAC/s.
    assert_eq!(capacity_score(1024, 1, 1000, 5000), 1073);
    // Twice the chain in the same time doubles the score.
    assert_eq!(capacity_score(1024, 2, 1000, 5000), 2147);
    // Twice as fast doubles the score.
    assert_eq!(capacity_score(1024, 1, 500, 5000), 2147);
}

#[test]
fn zero_after_deadline_and_at_it_counts() {
    assert_eq!(capacity_score(256, 1, 101, 100), 0);
    assert_eq!(capacity_score(256, 1, 100, 100), 167); // 16_777_216 / 100_000
}

#[test]
fn zero_elapsed_counts_as_one_ms() {
    assert_eq!(
        capacity_score(256, 1, 0, 100),
        capacity_score(256, 1, 1, 100)
    );
    assert_eq!(capacity_score(256, 1, 0, 0), 16_777);
}

#[test]
fn invalid_parameters_score_zero() {
    assert_eq!(capacity_score(0, 1, 10, 100), 0);
    assert_eq!(capacity_score(16, 0, 10, 100), 0);
    assert_eq!(capacity_score(131_072, 1, 10, 100), 0);
    assert_eq!(capacity_score(usize::MAX, u32::MAX, 0, u64::MAX), 0);
}

#[test]
fn largest_work_does_not_overflow() {
    // 131_071³ / 1000 ≈ 2.25·10^12 MMAC/s saturates.
    assert_eq!(capacity_score(131_071, 1, 0, 0), u32::MAX);
    assert_eq!(capacity_score(131_071, 1, u64::MAX, u64::MAX), 0);
    assert_eq!(capacity_score(1, 131_071, 1, 1), 131);
}

#[test]
fn monotone_in_elapsed_time() {
    let mut prev = u32::MAX;
    for ms in 0..2000 {
        let s = capacity_score(512, 3, ms, 1500);
        assert!(s <= prev);
        prev = s;
    }
    assert_eq!(prev, 0);
}
