//! Data-credit pricing (`lattice_math::dc`).
//!
//! Invariants: the conservative price is positive, at most the price, and only accepted within
//! the confidence limit; both directions round against the caller, so `main(dc(m)) ≤ m` and
//! `dc(main(d)) ≥ d`; more main tokens never buy fewer DC; zero DC is refused.
#![no_main]

use lattice_math::dc::{
    conservative_price, dc_for_main, main_for_dc, DcPriceError, DcPricing, OraclePrice,
};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    raw: bool,
    dc_price_nano_usd: u64,
    main_decimals: u8,
    max_conf_bps: u16,
    price: i64,
    conf: u64,
    exponent: i32,
    main: u64,
    main2: u64,
    dc: u64,
}

fuzz_target!(|inp: Input| {
    let (p, o) = if inp.raw {
        (
            DcPricing { dc_price_nano_usd: inp.dc_price_nano_usd, main_decimals: inp.main_decimals, max_conf_bps: inp.max_conf_bps },
            OraclePrice { price: inp.price, conf: inp.conf, exponent: inp.exponent },
        )
    } else {
        // Realistic ranges: exponents around -8, decimals up to 12, prices and confidences that
        // usually pass the checks.
        let price = (inp.price.unsigned_abs() % 1_000_000_000_000) as i64;
        (
            DcPricing { dc_price_nano_usd: 1 + inp.dc_price_nano_usd % 1_000_000, main_decimals: inp.main_decimals % 13, max_conf_bps: inp.max_conf_bps % 10_001 },
            OraclePrice { price, conf: inp.conf % (price as u64 / 10 + 1), exponent: -(inp.exponent.rem_euclid(13)) },
        )
    };

    match conservative_price(&p, &o) {
        Ok(low) => {
            assert!(low > 0 && low <= o.price as u128);
            assert!(u128::from(o.conf) * 10_000 <= (o.price as u128) * u128::from(p.max_conf_bps));
        }
        Err(DcPriceError::NotPositive) => {
            assert!(o.price <= 0 || o.conf as u128 >= o.price as u128 || p.max_conf_bps as u128 > 10_000);
        }
        Err(DcPriceError::ConfidenceTooWide) => {
            assert!(u128::from(o.conf) * 10_000 > (o.price as u128) * u128::from(p.max_conf_bps));
        }
        Err(e) => panic!("unexpected {e:?}"),
    }

    assert_eq!(main_for_dc(&p, &o, 0), Err(DcPriceError::ZeroAmount));

    // main -> dc -> main never gives back more than was burned.
    if let Ok(d) = dc_for_main(&p, &o, inp.main) {
        assert!(d > 0);
        if let Ok(m) = main_for_dc(&p, &o, d) {
            assert!(m <= inp.main, "main(dc({})) = main({d}) = {m} > {}: {p:?} {o:?}", inp.main, inp.main);
        }
        // monotone
        if let Ok(d2) = dc_for_main(&p, &o, inp.main2) {
            if inp.main <= inp.main2 { assert!(d <= d2) } else { assert!(d2 <= d) }
        }
    }
    // dc -> main -> dc always buys at least the DC asked for.
    if inp.dc > 0 {
        if let Ok(m) = main_for_dc(&p, &o, inp.dc) {
            match dc_for_main(&p, &o, m) {
                Ok(d) => assert!(d >= inp.dc, "dc(main({})) = dc({m}) = {d} < {}: {p:?} {o:?}", inp.dc, inp.dc),
                Err(DcPriceError::Overflow) => {}
                Err(DcPriceError::ZeroAmount) => panic!("main({}) = {m} buys no DC: {p:?} {o:?}", inp.dc),
                Err(e) => panic!("price accepted one way, refused the other: {e:?}"),
            }
        }
    }
});
