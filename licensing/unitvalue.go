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
func CheckUseUnitValue(p tradeplan.Permit, quantity, value float64) error {
	if !(p.Value > 0) || !(p.Quantity > 0) || !(quantity > 0) || !(value > 0) {
		return nil
	}
	approved := p.Value / p.Quantity
	asked := value / quantity
	if asked > approved && !near(asked, approved) {
		return tradeplan.Errorf(tradeplan.EConflict,
			"permit %s: the use is worth %s %s per %s, above the %s %s per %s the permit was approved at; goods of a higher unit value need their own licence",
			p.Number, fnum(asked), p.Currency, p.Unit, fnum(approved), p.Currency, p.Unit)
	}
	return nil
}
