package licensing

import (
	"github.com/tradeplan/tradeplan"
)

// CheckUseUnitValue refuses a use of permit p whose value per unit is above
// the value per unit the permit was approved at (its value over its
// quantity). Luxury thresholds are set per piece (tableware over US$100 a
// piece, rugs over US$500 ...): a permit judged at US$50 a piece does not
// license one piece worth US$50,000, even while its value balance would
// allow it. A use at a lower unit value is within the licence. A permit
// approved with no value has no unit value to hold a use to.
//
// This is the use-side check on the permit's stored facts; the approval
// side (reduced approvals re-judged against the rules' thresholds) belongs
// to the licence decision.
//
// The comparison is exact: the use's value against the approved unit value
// times its quantity, rounded up to the currency's minor unit (a third of
// US$100 may be paid as 33.34, never as 33.35).
func CheckUseUnitValue(p tradeplan.Permit, quantity, value tradeplan.Decimal) error {
	if p.Value.Sign() <= 0 || p.Quantity.Sign() <= 0 || quantity.Sign() <= 0 || value.Sign() <= 0 {
		return nil
	}
	places := tradeplan.CurrencyPlaces(p.Currency)
	limit, _ := p.Value.Mul(quantity).QuoRound(p.Quantity, places)
	if limit.Mul(p.Quantity).Cmp(p.Value.Mul(quantity)) < 0 {
		limit = limit.Add(tradeplan.NewDecimal(1, -places))
	}
	if value.Cmp(limit) > 0 {
		approved, _ := p.Value.QuoRound(p.Quantity, places+2)
		asked, _ := value.QuoRound(quantity, places+2)
		return tradeplan.Errorf(tradeplan.EConflict,
			"permit %s: the use is worth %s %s per %s, above the %s %s per %s the permit was approved at; goods of a higher unit value need their own licence",
			p.Number, fnum(asked), p.Currency, p.Unit, fnum(approved), p.Currency, p.Unit)
	}
	return nil
}
