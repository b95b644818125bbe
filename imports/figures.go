package imports

import "github.com/tradeplan/tradeplan"

// ulp is one unit in the last of places decimals.
func ulp(places int32) tradeplan.Decimal { return tradeplan.NewDecimal(1, -places) }

// floorTo rounds d (at least 0) down to places decimals: money handed out
// is never rounded up past what there is.
func floorTo(d tradeplan.Decimal, places int32) tradeplan.Decimal {
	r := d.Round(places)
	if r.Cmp(d) > 0 {
		r = r.Sub(ulp(places))
	}
	return r
}

// ceilTo rounds d (at least 0) up to places decimals: a draw on a cap is
// never rounded down below what was used.
func ceilTo(d tradeplan.Decimal, places int32) tradeplan.Decimal {
	r := d.Round(places)
	if r.Cmp(d) < 0 {
		r = r.Add(ulp(places))
	}
	return r
}

// floorQuo is a / b rounded down to places decimals; 0 when b is 0.
func floorQuo(a, b tradeplan.Decimal, places int32) tradeplan.Decimal {
	q, ok := a.QuoRound(b, places)
	if !ok {
		return tradeplan.Decimal{}
	}
	if q.Mul(b).Cmp(a) > 0 {
		q = q.Sub(ulp(places))
	}
	return q
}

// fracPlaces is the precision of the fractions the allocator scales by.
const fracPlaces = 9

// percent writes a share as a percentage with at most two decimals.
func percent(f tradeplan.Decimal) string {
	return f.Mul(tradeplan.DecimalInt(100)).Round(2).String() + "%"
}

var one = tradeplan.DecimalInt(1)
