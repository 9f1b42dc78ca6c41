//! The treasury conversion curve (`lattice_math::conversion`).
//!
//! Invariants: an invalid curve is refused; the fee never exceeds the input; an output is paid
//! strictly below the reserve it comes from and a main→sub output never exceeds the real balance
//! `S`; the product `M × (S + V)` never decreases; a round trip (either direction) never returns
//! more than was put in; more input never yields less output.
#![no_main]

use lattice_math::conversion::{
    quote_to_main, quote_to_sub, ConversionCurve, ConversionError, Quote, Reserves,
};
use lattice_math::wide::U256;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    virtual_reserve: u64,
    fee_bps: u16,
    main: u64,
    sub: u64,
    amount: u64,
    amount2: u64,
    /// Shift the amounts and reserves down so they are comparable more often.
    shift: u8,
}

fn k(r: &Reserves, v: u64) -> U256 {
    U256::mul_u128(u128::from(r.main), u128::from(r.sub) + u128::from(v))
}

fuzz_target!(|inp: Input| {
    let sh = u32::from(inp.shift % 64);
    let curve = ConversionCurve { virtual_reserve: inp.virtual_reserve >> (sh / 2), fee_bps: inp.fee_bps };
    let r = Reserves { main: inp.main >> sh, sub: inp.sub >> sh };
    let (x, y) = (inp.amount >> sh, inp.amount2 >> sh);
    if curve.validate().is_err() {
        assert_eq!(quote_to_main(&curve, &r, x), Err(ConversionError::InvalidCurve));
        assert_eq!(quote_to_sub(&curve, &r, x), Err(ConversionError::InvalidCurve));
        return;
    }
    let v = curve.virtual_reserve;

    // sub -> main
    if let Ok(q) = quote_to_main(&curve, &r, x) {
        check_quote(&q, x, u128::from(r.main));
        let after = Reserves { main: r.main - q.amount_out, sub: r.sub.checked_add(x).unwrap_or(u64::MAX) };
        if r.sub.checked_add(x).is_some() {
            assert!(k(&after, v) >= k(&r, v), "K decreased (to main): {curve:?} {r:?} {x} {q:?}");
            // ... and straight back: never more sub tokens than were sold.
            if let Ok(back) = quote_to_sub(&curve, &after, q.amount_out) {
                assert!(back.amount_out <= x, "round trip profit: {curve:?} {r:?} {x} -> {q:?} -> {back:?}");
            }
        }
        // Monotone in the input.
        if let Ok(q2) = quote_to_main(&curve, &r, y) {
            if x <= y {
                assert!(q.amount_out <= q2.amount_out, "not monotone (to main): {curve:?} {r:?} {x} {y}");
            } else {
                assert!(q2.amount_out <= q.amount_out, "not monotone (to main): {curve:?} {r:?} {x} {y}");
            }
        }
    }

    // main -> sub
    match quote_to_sub(&curve, &r, y) {
        Ok(q) => {
            check_quote(&q, y, u128::from(r.sub) + u128::from(v));
            assert!(q.amount_out <= r.sub, "paid out of the virtual reserve: {curve:?} {r:?} {y} {q:?}");
            if let Some(main_after) = r.main.checked_add(y) {
                let after = Reserves { main: main_after, sub: r.sub - q.amount_out };
                assert!(k(&after, v) >= k(&r, v), "K decreased (to sub): {curve:?} {r:?} {y} {q:?}");
                if let Ok(back) = quote_to_main(&curve, &after, q.amount_out) {
                    assert!(back.amount_out <= y, "round trip profit: {curve:?} {r:?} {y} -> {q:?} -> {back:?}");
                }
            }
            if let Ok(q2) = quote_to_sub(&curve, &r, x) {
                if x <= y {
                    assert!(q2.amount_out <= q.amount_out, "not monotone (to sub): {curve:?} {r:?} {x} {y}");
                } else {
                    assert!(q.amount_out <= q2.amount_out, "not monotone (to sub): {curve:?} {r:?} {x} {y}");
                }
            }
        }
        Err(ConversionError::EmptyReserve) => assert_eq!(r.main, 0),
        Err(_) => {}
    }
});

fn check_quote(q: &Quote, amount_in: u64, reserve: u128) {
    assert_eq!(q.amount_in, amount_in);
    assert!(q.fee <= amount_in);
    assert!(u128::from(q.amount_out) < reserve || (q.amount_out == 0 && reserve == 0), "{q:?} from reserve {reserve}");
}
