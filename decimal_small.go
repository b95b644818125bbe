package tradeplan

import "math/bits"

// Fast paths for figures whose coefficients fit in 64 bits (every figure a
// person writes, and their sums up to 18 digits): the same results as the
// general arithmetic of apd, without its contexts. Screening runs them on
// every capped line, so they are kept free of allocations.

var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// small returns a's sign, coefficient and exponent when the coefficient
// fits in 64 bits.
func (a *Decimal) small() (neg bool, c uint64, e int32, ok bool) {
	if a.d.Coeff.BitLen() > 64 {
		return false, 0, 0, false
	}
	return a.d.Negative, a.d.Coeff.Uint64(), a.d.Exponent, true
}

func fromSmall(neg bool, c uint64, e int32) Decimal {
	var r Decimal
	r.d.Coeff.SetUint64(c)
	r.d.Exponent = e
	r.d.Negative = neg && c != 0
	r.norm()
	return r
}

// scaleUp returns c × 10^k and false on overflow.
func scaleUp(c uint64, k int32) (uint64, bool) {
	if k == 0 || c == 0 {
		return c, true
	}
	if k < 0 || int(k) >= len(pow10u) {
		return 0, false
	}
	hi, lo := bits.Mul64(c, pow10u[k])
	return lo, hi == 0
}

// aligned returns a's and b's coefficients at their common (smaller)
// exponent.
func aligned(a, b *Decimal) (an bool, ac uint64, bn bool, bc uint64, e int32, ok bool) {
	an, ac, ae, ok1 := a.small()
	bn, bc, be, ok2 := b.small()
	if !ok1 || !ok2 {
		return
	}
	e = min(ae, be)
	var oka, okb bool
	ac, oka = scaleUp(ac, ae-e)
	bc, okb = scaleUp(bc, be-e)
	return an, ac, bn, bc, e, oka && okb
}

func addSmall(a, b *Decimal, negB bool) (Decimal, bool) {
	an, ac, bn, bc, e, ok := aligned(a, b)
	if !ok {
		return Decimal{}, false
	}
	if negB {
		bn = !bn
	}
	if an == bn {
		c, carry := bits.Add64(ac, bc, 0)
		if carry != 0 {
			return Decimal{}, false
		}
		return fromSmall(an, c, e), true
	}
	if ac >= bc {
		return fromSmall(an, ac-bc, e), true
	}
	return fromSmall(bn, bc-ac, e), true
}

func cmpSmall(a, b *Decimal) (int, bool) {
	an, ac, bn, bc, _, ok := aligned(a, b)
	if !ok {
		return 0, false
	}
	if ac == 0 && bc == 0 {
		return 0, true
	}
	if an != bn {
		if an {
			return -1, true
		}
		return 1, true
	}
	r := 0
	switch {
	case ac < bc:
		r = -1
	case ac > bc:
		r = 1
	}
	if an {
		r = -r
	}
	return r, true
}

func mulSmall(a, b *Decimal) (Decimal, bool) {
	an, ac, ae, ok1 := a.small()
	bn, bc, be, ok2 := b.small()
	if !ok1 || !ok2 {
		return Decimal{}, false
	}
	hi, lo := bits.Mul64(ac, bc)
	if hi != 0 {
		return Decimal{}, false
	}
	return fromSmall(an != bn, lo, ae+be), true
}

// roundHalfEven divides c by 10^k and rounds half to even.
func roundHalfEven(c uint64, k int32) uint64 {
	if int(k) >= len(pow10u) {
		return 0 // c < 2^64 < 10^20 / 2: below half of 10^k
	}
	p := pow10u[k]
	q, r := c/p, c%p
	if half := p / 2; r > half || r == half && q%2 == 1 {
		q++
	}
	return q
}

func roundSmall(a *Decimal, places int32) (Decimal, bool) {
	n, c, e, ok := a.small()
	if !ok {
		return Decimal{}, false
	}
	return fromSmall(n, roundHalfEven(c, -e-places), -places), true
}

// quoSmall is a / b rounded half-even to places decimals, through a
// 128-bit numerator.
func quoSmall(a, b *Decimal, places int32) (Decimal, bool) {
	an, ac, ae, ok1 := a.small()
	bn, bc, be, ok2 := b.small()
	if !ok1 || !ok2 || bc == 0 {
		return Decimal{}, false
	}
	// a/b = ac/bc × 10^(ae-be); the result in units of 10^-places is
	// ac × 10^(ae-be+places) / bc.
	k := ae - be + places
	if k < 0 || int(k) >= len(pow10u) {
		return Decimal{}, false
	}
	hi, lo := bits.Mul64(ac, pow10u[k])
	if hi >= bc {
		return Decimal{}, false
	}
	q, r := bits.Div64(hi, lo, bc)
	// half-even: compare 2r with bc without overflow.
	if r > bc-r || r == bc-r && q%2 == 1 {
		if q == ^uint64(0) {
			return Decimal{}, false
		}
		q++
	}
	return fromSmall(an != bn, q, -places), true
}
