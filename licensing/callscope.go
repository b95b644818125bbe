package licensing

import (
	"slices"

	"github.com/tradeplan/tradeplan"
)

// seesCall reports whether p may know that call c exists: a call that
// names no organisation is open to all; else it is the business of the
// authority that issued it (its users and the offices it delegated to),
// of the organisations it takes plans from (CallTakes), of those above
// an organisation it names and of the offices under one. Anyone else gets the answer a missing
// call gets (errCallNotFound): who an authority asks for plans, and how
// many have answered, is not another tree's to read.
func (p Principal) seesCall(c tradeplan.Call) bool {
	if p.Actor.IsSystem() || len(c.Organisations) == 0 {
		return true
	}
	if len(p.Lineage) > 0 && p.Lineage[0].ID == c.Issuer {
		return true
	}
	if _, ok := slices.BinarySearch(p.Jurisdiction, c.Issuer); ok {
		return true
	}
	if CallTakes(c, p.Lineage) == nil {
		return true
	}
	for _, o := range p.Lineage {
		if slices.Contains(c.Organisations, o.ID) {
			return true // under a named organisation: it may know, if not submit
		}
	}
	for _, o := range c.Organisations {
		if CanSeePlan(p.Actor, o) {
			return true
		}
	}
	return false
}

// errCallNotFound is the answer to a call that does not exist, or that the
// reader may not see (seesCall), in the words of the store's.
func errCallNotFound(id int64) error {
	return tradeplan.Errorf(tradeplan.ENotFound, "call %d not found", id)
}
