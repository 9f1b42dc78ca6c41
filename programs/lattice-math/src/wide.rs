//! A minimal unsigned 256-bit integer for reward accumulators (two `u128` limbs, checked ops).

/// `hi · 2^128 + lo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct U256 {
    /// High limb.
    pub hi: u128,
    /// Low limb.
    pub lo: u128,
}

const MASK64: u128 = (1 << 64) - 1;

impl U256 {
    /// Zero.
    pub const ZERO: Self = Self { hi: 0, lo: 0 };

    /// From a `u128`.
    pub const fn from_u128(x: u128) -> Self {
        Self { hi: 0, lo: x }
    }

    /// The full product of two `u128`.
    pub fn mul_u128(a: u128, b: u128) -> Self {
        let (a1, a0) = (a >> 64, a & MASK64);
        let (b1, b0) = (b >> 64, b & MASK64);
        // Each partial product of 64-bit halves fits u128.
        let p00 = a0.wrapping_mul(b0);
        let p01 = a0.wrapping_mul(b1);
        let p10 = a1.wrapping_mul(b0);
        let p11 = a1.wrapping_mul(b1);
        // middle = p01 + p10 + (p00 >> 64), with its carry into bit 192.
        let (mid, c1) = p01.overflowing_add(p10);
        let (mid, c2) = mid.overflowing_add(p00 >> 64);
        let carry = u128::from(c1).wrapping_add(u128::from(c2)) << 64;
        let lo = (mid << 64) | (p00 & MASK64);
        let hi = p11.wrapping_add(mid >> 64).wrapping_add(carry);
        Self { hi, lo }
    }

    /// `self + o`, `None` on overflow.
    pub fn checked_add(self, o: Self) -> Option<Self> {
        let (lo, c) = self.lo.overflowing_add(o.lo);
        let hi = self.hi.checked_add(o.hi)?.checked_add(u128::from(c))?;
        Some(Self { hi, lo })
    }

    /// `self − o`, `None` if `o > self`.
    pub fn checked_sub(self, o: Self) -> Option<Self> {
        let (lo, b) = self.lo.overflowing_sub(o.lo);
        let hi = self.hi.checked_sub(o.hi)?.checked_sub(u128::from(b))?;
        Some(Self { hi, lo })
    }

    /// `self × m`, `None` on overflow.
    pub fn checked_mul_u128(self, m: u128) -> Option<Self> {
        let low = Self::mul_u128(self.lo, m);
        let high = Self::mul_u128(self.hi, m);
        if high.hi != 0 {
            return None;
        }
        low.checked_add(Self { hi: high.lo, lo: 0 })
    }

    /// `self >> n` for `n < 256`.
    pub fn shift_right(self, n: u32) -> Self {
        match n {
            0 => self,
            1..=127 => Self {
                hi: self.hi >> n,
                lo: (self.lo >> n) | (self.hi << (128u32.wrapping_sub(n))),
            },
            128..=255 => Self {
                hi: 0,
                lo: self.hi >> (n.wrapping_sub(128)),
            },
            _ => Self::ZERO,
        }
    }

    /// As `u128`, `None` if it does not fit.
    pub fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edges() {
        let max = U256::mul_u128(u128::MAX, u128::MAX);
        // (2^128 − 1)^2 = 2^256 − 2^129 + 1.
        assert_eq!(
            max,
            U256 {
                hi: u128::MAX - 1,
                lo: 1
            }
        );
        assert_eq!(U256::mul_u128(1 << 64, 1 << 64), U256 { hi: 1, lo: 0 });
        assert_eq!(
            U256 { hi: 1, lo: 0 }.shift_right(1),
            U256 {
                hi: 0,
                lo: 1 << 127
            }
        );
        assert_eq!(U256 { hi: 5, lo: 0 }.shift_right(128), U256::from_u128(5));
        assert_eq!(U256::from_u128(1).checked_sub(U256::from_u128(2)), None);
        assert_eq!(
            U256 {
                hi: u128::MAX,
                lo: 0
            }
            .checked_add(U256 { hi: 1, lo: 0 }),
            None
        );
        assert_eq!(
            U256 { hi: 1, lo: 0 }.checked_mul_u128(1 << 127),
            Some(U256 {
                hi: 1 << 127,
                lo: 0
            })
        );
        assert_eq!(U256 { hi: 2, lo: 0 }.checked_mul_u128(1 << 127), None);
    }

    proptest! {
        #[test]
        fn agrees_with_u128_when_it_fits(a in any::<u64>(), b in any::<u64>(), c in any::<u128>(), n in 0u32..128) {
            let p = U256::mul_u128(u128::from(a), u128::from(b));
            prop_assert_eq!(p.to_u128(), Some(u128::from(a) * u128::from(b)));
            prop_assert_eq!(U256::from_u128(c).shift_right(n).to_u128(), Some(c >> n));
        }

        #[test]
        fn ring_laws(a in any::<u128>(), b in any::<u128>(), c in any::<u128>()) {
            // (a·b) + (a·c) = a·(b + c) when b + c fits; subtraction undoes addition.
            let ab = U256::mul_u128(a, b);
            let ac = U256::mul_u128(a, c);
            if let Some(bc) = b.checked_add(c) {
                prop_assert_eq!(ab.checked_add(ac), Some(U256::mul_u128(a, bc)));
            }
            if let Some(s) = ab.checked_add(ac) {
                prop_assert_eq!(s.checked_sub(ac), Some(ab));
            }
            prop_assert_eq!(U256::from_u128(b).checked_mul_u128(a), Some(ab));
            // Shifting by 128 takes the high limb.
            prop_assert_eq!(ab.shift_right(128).to_u128(), Some(ab.hi));
        }
    }
}
