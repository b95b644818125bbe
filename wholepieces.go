package tradeplan

import "fmt"

// CheckWhole reports what is wrong with quantity q in a unit that counts
// (pcs, pairs, doz): it must be a whole number of that unit, the unit's own
// precision (Places 0). Half a vase does not cross a border, half a pair is
// one shoe, and a balance left with a fraction of a piece can never be used
// up. A unit of another dimension, or one this package does not know, is
// not its business and gets "".
func CheckWhole(q Decimal, unit string) string {
	u, ok := LookupUnit(unit)
	if !ok || u.Dimension != Count {
		return ""
	}
	if q.Round(0).Cmp(q) != 0 {
		return fmt.Sprintf("must be a whole number of %s (%s counts %s), got %s", u.Symbol, u.Symbol, u.Name+"s", q)
	}
	return ""
}
