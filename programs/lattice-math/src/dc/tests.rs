use super::*;
use proptest::prelude::*;

const P: DcPricing = DcPricing {
    dc_price_nano_usd: 10_000,
    main_decimals: 6,
    max_conf_bps: 200,
};

/// $2.50 ± $0.01 with Pyth's usual exponent.
const O: OraclePrice = OraclePrice {
    price: 250_000_000,
    conf: 1_000_000,
    exponent: -8,
};

#[test]
fn prices_at_the_lower_bound() {
    // 1 main token at $2.49 buys 249_000 DC at $0.00001.
    assert_eq!(dc_for_main(&P, &O, 1_000_000), Ok(249_000));
    assert_eq!(main_for_dc(&P, &O, 249_000), Ok(1_000_000));
    // Rounds against the caller both ways.
    assert_eq!(main_for_dc(&P, &O, 1), Ok(5)); // 4.016 base units → 5
    assert_eq!(dc_for_main(&P, &O, 4), Err(DcPriceError::ZeroAmount));
    assert_eq!(dc_for_main(&P, &O, 5), Ok(1));
}

#[test]
fn refuses_bad_prices() {
    let neg = OraclePrice { price: -1, ..O };
    assert_eq!(dc_for_main(&P, &neg, 1), Err(DcPriceError::NotPositive));
    let zero = OraclePrice { price: 0, ..O };
    assert_eq!(dc_for_main(&P, &zero, 1), Err(DcPriceError::NotPositive));
    let wide = OraclePrice {
        conf: 5_000_001,
        ..O
    }; // 2.0000004%
    assert_eq!(
        dc_for_main(&P, &wide, 1_000_000),
        Err(DcPriceError::ConfidenceTooWide)
    );
    let edge = OraclePrice {
        conf: 5_000_000,
        ..O
    }; // exactly 2%
    assert!(dc_for_main(&P, &edge, 1_000_000).is_ok());
    let all_conf = DcPricing {
        max_conf_bps: 10_000,
        ..P
    };
    let gone = OraclePrice {
        conf: 250_000_000,
        ..O
    };
    assert_eq!(
        dc_for_main(&all_conf, &gone, 1),
        Err(DcPriceError::NotPositive)
    );
    let huge_exp = OraclePrice { exponent: 40, ..O };
    assert_eq!(dc_for_main(&P, &huge_exp, 1), Err(DcPriceError::Overflow));
    assert_eq!(main_for_dc(&P, &O, 0), Err(DcPriceError::ZeroAmount));
}

fn oracle() -> impl Strategy<Value = OraclePrice> {
    (1i64..=1_000_000_000_000, 0u64..=1_000, -12i32..=0).prop_map(|(price, conf_bps, exponent)| {
        OraclePrice {
            price,
            conf: (price as u64).saturating_mul(conf_bps) / 10_000,
            exponent,
        }
    })
}

fn pricing() -> impl Strategy<Value = DcPricing> {
    (1u64..=1_000_000_000, 0u8..=12).prop_map(|(dc_price_nano_usd, main_decimals)| DcPricing {
        dc_price_nano_usd,
        main_decimals,
        max_conf_bps: 1_000,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// More main burned never yields fewer DC.
    #[test]
    fn dc_is_monotone_in_main(p in pricing(), o in oracle(), a in 0u64..1u64 << 40, b in 0u64..1u64 << 40) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        if let (Ok(x), Ok(y)) = (dc_for_main(&p, &o, lo), dc_for_main(&p, &o, hi)) {
            prop_assert!(x <= y);
        }
        if let (Ok(x), Err(e)) = (dc_for_main(&p, &o, lo), dc_for_main(&p, &o, hi)) {
            prop_assert!(e == DcPriceError::Overflow, "{x} then {e:?}");
        }
    }

    /// Rounding never favours the caller, and the two directions agree within one unit.
    #[test]
    fn round_trips_never_profit(p in pricing(), o in oracle(), m in 1u64..1u64 << 40, d in 1u64..1u64 << 40) {
        if let Ok(dc) = dc_for_main(&p, &o, m) {
            // Buying `dc` back costs at most what was burned...
            let back = main_for_dc(&p, &o, dc).unwrap();
            prop_assert!(back <= m);
            // ...and one more DC would have cost more than `m`.
            if let Ok(next) = main_for_dc(&p, &o, dc + 1) {
                prop_assert!(next > m);
            }
        }
        if let Ok(main) = main_for_dc(&p, &o, d) {
            if let Ok(dc) = dc_for_main(&p, &o, main) {
                prop_assert!(dc >= d);
                // Mint-by-DC and mint-by-main agree within one unit of main.
                if main > 1 {
                    let less = dc_for_main(&p, &o, main - 1).unwrap_or(0);
                    prop_assert!(less < d);
                }
            }
        }
    }
}
