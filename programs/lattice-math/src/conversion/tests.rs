use super::*;
use proptest::prelude::*;

const CURVE: ConversionCurve = ConversionCurve {
    virtual_reserve: 1_000_000,
    fee_bps: 30,
};

#[test]
fn documented_formulas() {
    let r = Reserves {
        main: 500_000,
        sub: 0,
    };
    // fee = ceil(10_000 × 30 / 10_000) = 30; out = floor(500_000 × 9_970 / 1_009_970) = 4_935
    let q = quote_to_main(&CURVE, &r, 10_000).unwrap();
    assert_eq!(q.fee, 30);
    assert_eq!(q.amount_out, 4_935);
    // main → sub with an empty pool pays nothing: the virtual reserve is never paid out.
    assert_eq!(quote_to_sub(&CURVE, &r, 10_000).unwrap().amount_out, 0);
    let r = Reserves {
        main: 500_000,
        sub: 2_000_000,
    };
    // out = floor(3_000_000 × 9_970 / 509_970) = 58_650
    assert_eq!(quote_to_sub(&CURVE, &r, 10_000).unwrap().amount_out, 58_650);
    // The fee rounds up: 1 base unit at 30 bps pays a fee of 1 and buys nothing.
    let q = quote_to_main(&CURVE, &r, 1).unwrap();
    assert_eq!((q.fee, q.amount_out), (1, 0));
}

#[test]
fn refuses_invalid_curves_and_an_empty_treasury() {
    let r = Reserves { main: 10, sub: 10 };
    let zero_v = ConversionCurve {
        virtual_reserve: 0,
        fee_bps: 0,
    };
    assert_eq!(
        quote_to_main(&zero_v, &r, 1),
        Err(ConversionError::InvalidCurve)
    );
    let full_fee = ConversionCurve {
        virtual_reserve: 1,
        fee_bps: 10_000,
    };
    assert_eq!(
        quote_to_sub(&full_fee, &r, 1),
        Err(ConversionError::InvalidCurve)
    );
    assert_eq!(
        quote_to_sub(&CURVE, &Reserves { main: 0, sub: 10 }, 1),
        Err(ConversionError::EmptyReserve)
    );
    // Selling into an empty treasury prices at zero.
    assert_eq!(
        quote_to_main(&CURVE, &Reserves { main: 0, sub: 10 }, 1_000)
            .unwrap()
            .amount_out,
        0
    );
}

#[test]
fn extreme_reserves_report_overflow_instead_of_wrapping() {
    let r = Reserves {
        main: u64::MAX,
        sub: u64::MAX,
    };
    let curve = ConversionCurve {
        virtual_reserve: u64::MAX,
        fee_bps: 0,
    };
    assert_eq!(
        quote_to_sub(&curve, &r, u64::MAX),
        Err(ConversionError::Overflow)
    );
    // u64 × u64 always fits: selling is exact even at the extremes.
    assert!(quote_to_main(&curve, &r, u64::MAX).unwrap().amount_out < u64::MAX);
}

/// Reserves and amounts below 2^60, so `M × (S + V)` is exact in u128.
fn small() -> impl Strategy<Value = u64> {
    0u64..(1 << 60)
}

fn curve() -> impl Strategy<Value = ConversionCurve> {
    (1u64..(1 << 60), 0u16..2_000).prop_map(|(virtual_reserve, fee_bps)| ConversionCurve {
        virtual_reserve,
        fee_bps,
    })
}

fn product(main: u64, sub: u64, v: u64) -> u128 {
    u128::from(main) * (u128::from(sub) + u128::from(v))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    /// Sub → main → sub never returns more sub tokens than it took, and main → sub → main never
    /// returns more main tokens.
    #[test]
    fn round_trip_never_profits(c in curve(), main in 1u64..(1 << 60), sub in small(), amount in small()) {
        let r = Reserves { main, sub };
        let there = quote_to_main(&c, &r, amount).unwrap();
        let after = Reserves { main: main - there.amount_out, sub: sub + amount };
        if after.main > 0 {
            let back = quote_to_sub(&c, &after, there.amount_out).unwrap();
            prop_assert!(back.amount_out <= amount, "{amount} → {} → {}", there.amount_out, back.amount_out);
        }

        let there = quote_to_sub(&c, &r, amount).unwrap();
        let after = Reserves { main: main + amount, sub: sub - there.amount_out };
        let back = quote_to_main(&c, &after, there.amount_out).unwrap();
        prop_assert!(back.amount_out <= amount, "{amount} → {} → {}", there.amount_out, back.amount_out);
    }

    /// An output is below the reserve it is paid from, never touches the virtual reserve, and
    /// the curve's product never decreases.
    #[test]
    fn pools_never_drained_below_the_curve(c in curve(), main in 1u64..(1 << 60), sub in small(), amount in small()) {
        let r = Reserves { main, sub };
        let k = product(main, sub, c.virtual_reserve);

        let q = quote_to_main(&c, &r, amount).unwrap();
        prop_assert!(q.amount_out < main);
        prop_assert!(product(main - q.amount_out, sub + amount, c.virtual_reserve) >= k);

        let q = quote_to_sub(&c, &r, amount).unwrap();
        prop_assert!(q.amount_out <= sub);
        prop_assert!(u128::from(q.amount_out) < u128::from(sub) + u128::from(c.virtual_reserve));
        prop_assert!(product(main + amount, sub - q.amount_out, c.virtual_reserve) >= k);
    }

    /// More input never yields less output, in either direction.
    #[test]
    fn monotone_in_input(c in curve(), main in 1u64..(1 << 60), sub in small(), a in small(), b in small()) {
        let (lo, hi) = (a.min(b), a.max(b));
        let r = Reserves { main, sub };
        prop_assert!(quote_to_main(&c, &r, lo).unwrap().amount_out <= quote_to_main(&c, &r, hi).unwrap().amount_out);
        prop_assert!(quote_to_sub(&c, &r, lo).unwrap().amount_out <= quote_to_sub(&c, &r, hi).unwrap().amount_out);
    }
}
