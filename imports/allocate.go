package imports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// capWindow is one window of a sanctions cap.
type capWindow struct {
	cap      string
	from, to time.Time
}

// alloc is the state of one allocation.
type alloc struct {
	places  int32
	orgCap  tradeplan.Decimal // 0: none
	orgGot  map[string]tradeplan.Decimal
	orgNeed map[string]tradeplan.Decimal
	orgFull map[string]bool
	capLeft map[capWindow]tradeplan.Decimal
	capUnit map[capWindow]string
	// lifted: the organisation cap was lifted for a last round (see
	// allocate); capped names the organisations it had stopped.
	lifted bool
	capped map[string]bool
}

// allocate shares the budget among the lines: each tier's reserved share
// plus what the tiers above passed down, pro rata within the tier up to
// each line's verified need, the organisation cap and the sanctions caps;
// what is left after the last tier goes round once more from the top.
func allocate(lines []*line, pol *Policy, r *Result) {
	total := r.Budget.Total
	a := &alloc{places: tradeplan.CurrencyPlaces(r.Currency), orgGot: map[string]tradeplan.Decimal{},
		orgNeed: map[string]tradeplan.Decimal{}, orgFull: map[string]bool{},
		capLeft: map[capWindow]tradeplan.Decimal{}, capUnit: map[capWindow]string{}}
	if pol.OrganisationCap.Sign() > 0 {
		a.orgCap = floorTo(total.Mul(pol.OrganisationCap), a.places)
	}

	// What each cap has left before these lines: what the screening found
	// used before the first of them to draw on it (issued permits).
	for _, l := range lines {
		for _, c := range l.caps {
			k := capWindow{c.Cap, c.From, c.To}
			left := c.Limit.Sub(c.Used)
			if prev, ok := a.capLeft[k]; !ok || left.Cmp(prev) > 0 {
				a.capLeft[k] = tradeplan.MaxDecimal(left, tradeplan.Decimal{})
			}
			a.capUnit[k] = c.Unit
		}
	}

	byTier := sortOut(lines, pol)
	verifyStaple(lines, pol, r)
	for _, l := range lines {
		if l.active {
			a.orgNeed[l.org] = a.orgNeed[l.org].Add(l.Need)
		}
	}

	r.Tiers = make([]TierResult, len(pol.Tiers))
	reserved := tradeplan.Decimal{}
	for i, t := range pol.Tiers {
		tr := &r.Tiers[i]
		tr.Tier, tr.Name, tr.Share, tr.Deferred = t.Number, t.Name, t.Share, t.Defer
		tr.Reserved = floorTo(total.Mul(t.Share), a.places)
		reserved = reserved.Add(tr.Reserved)
		for _, l := range byTier[i+1] {
			tr.Need = tr.Need.Add(l.Need)
		}
	}
	carry := total.Sub(reserved) // the unreserved part starts at the top
	for i := range pol.Tiers {
		tr := &r.Tiers[i]
		tr.FromAbove = carry
		if tr.Deferred {
			continue
		}
		avail := tr.Reserved.Add(carry)
		used := a.fill(byTier[i+1], avail)
		tr.Funded = used
		carry = avail.Sub(used)
		tr.PassedOn = carry
	}
	for i := range pol.Tiers {
		if carry.Sign() == 0 {
			break
		}
		tr := &r.Tiers[i]
		if tr.Deferred {
			continue
		}
		used := a.fill(byTier[i+1], carry)
		tr.Leftover = used
		tr.Funded = tr.Funded.Add(used)
		carry = carry.Sub(used)
	}

	// The cap keeps one organisation from crowding out the others; it is
	// not there to waste money. What is still left once every organisation
	// not at its cap has all it can take (an organisation alone, or the
	// others' needs met) goes round once more from T1 down, pro rata, to
	// the organisations at their cap.
	// Each tier first draws on what is left of its own reserved share, so
	// that lifting the cap never lets a higher tier take a lower one's.
	if carry.Sign() > 0 && a.orgCap.Sign() > 0 && len(a.orgFull) > 0 {
		a.lifted, a.capped = true, a.orgFull
		a.orgFull = map[string]bool{}
		a.orgCap = tradeplan.Decimal{}
		for round := 0; round < 2; round++ {
			for i := range pol.Tiers {
				if carry.Sign() == 0 {
					break
				}
				tr := &r.Tiers[i]
				if tr.Deferred {
					continue
				}
				avail := carry
				if round == 0 {
					avail = tradeplan.MinDecimal(carry, tradeplan.MaxDecimal(tr.Reserved.Sub(tr.Funded), tradeplan.Decimal{}))
				}
				used := a.fill(byTier[i+1], avail)
				tr.Leftover = tr.Leftover.Add(used)
				tr.Funded = tr.Funded.Add(used)
				carry = carry.Sub(used)
			}
		}
		r.Notices = append(r.Notices, fmt.Sprintf("the organisation cap (%s of the budget) was lifted for what no organisation below it could take: shared in a last round among the organisations at the cap", percent(pol.OrganisationCap)))
	}
	r.Budget.Unallocated = carry
	if carry.Sign() > 0 {
		r.Notices = append(r.Notices, fmt.Sprintf("%s %s of the budget is unallocated: no line could take more (needs met, or organisation or sanctions caps reached)", carry, r.Currency))
	}
	for i := range pol.Tiers {
		t := &r.Tiers[i]
		share := fmt.Sprintf("tier %d share %s: %s %s reserved, %s passed down to it", t.Tier, percent(t.Share), t.Reserved, r.Currency, t.FromAbove)
		for _, l := range byTier[i+1] {
			l.outcome(pol, share, a)
		}
	}
	for _, l := range lines {
		if !l.active {
			l.Reason = strings.Join(l.reasons, "; ")
		}
	}
}

// verifyStaple caps the need of staple food at population x ration x weeks,
// pro rata over the staple lines, when the authority gives those figures.
func verifyStaple(lines []*line, pol *Policy, r *Result) {
	var staple []*line
	total := tradeplan.Decimal{}
	for _, l := range lines {
		if !l.active || !pol.IsStaple(l.HS) {
			continue
		}
		if !pol.Staple.Given() {
			l.reasons = append(l.reasons, "staple food: need not verified (the authority gave no population, ration and weeks)")
			continue
		}
		t, err := tradeplan.ConvertUnit(l.Quantity, l.Unit, "t")
		if err != nil {
			l.reasons = append(l.reasons, fmt.Sprintf("staple food in %s: need not verified (not a weight)", l.Unit))
			continue
		}
		staple = append(staple, l)
		total = total.Add(t)
	}
	if len(staple) == 0 {
		return
	}
	limit := pol.Staple.Tonnes()
	msg := fmt.Sprintf("staple food: %s t verified need (population %s x %s kg a week x %d weeks)", limit, pol.Staple.Population, pol.Staple.RationKgPerWeek, pol.Staple.Weeks)
	if total.Cmp(limit) <= 0 {
		for _, l := range staple {
			l.reasons = append(l.reasons, msg+fmt.Sprintf(", all plans ask %s t: within it", total))
		}
		return
	}
	f := floorQuo(limit, total, fracPlaces)
	places := tradeplan.CurrencyPlaces(r.Currency)
	for _, l := range staple {
		l.Need = floorTo(l.Value.Mul(f), places)
		l.reasons = append(l.reasons, msg+fmt.Sprintf(", all plans ask %s t: need cut to %s", total, percent(f)))
	}
	r.Notices = append(r.Notices, fmt.Sprintf("staple food asked for: %s t, more than the verified need of %s t; each staple line's need is cut to %s", total, limit, percent(f)))
}

// room is what line l may still get: its need, within its caps.
func (l *line) room() tradeplan.Decimal { return l.bound.Sub(l.got) }

// holdCaps sets the bound of each line for one fill: its need, within what
// its sanctions caps have left, holding that part of the caps in the fair
// order.
func (a *alloc) holdCaps(ls []*line) {
	for _, l := range ls {
		l.bound = l.Need
		l.capHold = l.capHold[:0]
		for _, c := range l.caps {
			k := capWindow{c.Cap, c.From, c.To}
			left := a.capLeft[k]
			if c.Quantity.Sign() == 0 {
				l.capHold = append(l.capHold, tradeplan.Decimal{})
				continue
			}
			// The part of the line still unfunded draws c.Quantity x
			// (value not yet funded) / value of the cap.
			rest := c.Quantity.Sub(floorTo(c.Quantity.Mul(floorQuo(l.got, l.Value, fracPlaces)), unitPlaces(c.Unit)))
			hold := tradeplan.MinDecimal(rest, left)
			a.capLeft[k] = left.Sub(hold)
			l.capHold = append(l.capHold, hold)
			if hold.Cmp(rest) < 0 {
				b := l.got.Add(floorTo(l.Value.Mul(floorQuo(hold, c.Quantity, fracPlaces)), a.places))
				if b.Cmp(l.bound) < 0 {
					l.bound = b
				}
				if l.limitBy == "" {
					l.limitBy = fmt.Sprintf("cap %s: %s %s left of %s %s", c.Cap, left, c.Unit, c.Limit, c.Unit)
				}
			}
		}
	}
}

// releaseCaps gives back the part of each cap held for a line that it did
// not use: its draw is c.Quantity x got / value, rounded up.
func (a *alloc) releaseCaps(ls []*line, before map[*line]tradeplan.Decimal) {
	for _, l := range ls {
		for i, c := range l.caps {
			if c.Quantity.Sign() == 0 {
				continue
			}
			k := capWindow{c.Cap, c.From, c.To}
			prev := ceilTo(c.Quantity.Mul(floorQuo(before[l], l.Value, fracPlaces)), unitPlaces(c.Unit))
			now := tradeplan.MinDecimal(c.Quantity, ceilTo(c.Quantity.Mul(ceilQuo(l.got, l.Value, fracPlaces)), unitPlaces(c.Unit)))
			drawn := tradeplan.MaxDecimal(now.Sub(prev), tradeplan.Decimal{})
			unused := l.capHold[i].Sub(drawn)
			if unused.Sign() > 0 {
				a.capLeft[k] = a.capLeft[k].Add(unused)
			}
		}
	}
}

func ceilQuo(a, b tradeplan.Decimal, places int32) tradeplan.Decimal {
	q := floorQuo(a, b, places)
	if q.Mul(b).Cmp(a) < 0 {
		q = q.Add(ulp(places))
	}
	return q
}

// fill hands out up to avail among ls and returns what it handed out.
func (a *alloc) fill(ls []*line, avail tradeplan.Decimal) tradeplan.Decimal {
	if len(ls) == 0 || avail.Sign() <= 0 {
		return tradeplan.Decimal{}
	}
	before := make(map[*line]tradeplan.Decimal, len(ls))
	for _, l := range ls {
		before[l] = l.got
	}
	a.holdCaps(ls)
	used := tradeplan.Decimal{}
	active := make([]*line, 0, len(ls))
	give := make([]tradeplan.Decimal, len(ls))
	for avail.Sign() > 0 {
		active = active[:0]
		demand := tradeplan.Decimal{}
		for _, l := range ls {
			if l.room().Sign() > 0 && !a.orgFull[l.org] {
				active = append(active, l)
				demand = demand.Add(l.room())
			}
		}
		if len(active) == 0 {
			break
		}
		full := demand.Cmp(avail) <= 0
		f := one
		if !full {
			f = floorQuo(avail, demand, fracPlaces)
		}
		give = give[:len(active)]
		orgSum := map[string]tradeplan.Decimal{}
		for i, l := range active {
			g := l.room()
			if !full {
				g = floorTo(g.Mul(f), a.places)
			}
			give[i] = g
			orgSum[l.org] = orgSum[l.org].Add(g)
		}
		limited := false
		if a.orgCap.Sign() > 0 {
			scale := map[string]tradeplan.Decimal{}
			for org, s := range orgSum {
				roomOrg := a.orgCap.Sub(a.orgGot[org])
				if s.Cmp(roomOrg) > 0 {
					scale[org] = floorQuo(roomOrg, s, fracPlaces)
					a.orgFull[org] = true
					limited = true
				}
			}
			if limited {
				for i, l := range active {
					if s, ok := scale[l.org]; ok {
						give[i] = floorTo(give[i].Mul(s), a.places)
					}
				}
			}
		}
		total := tradeplan.Decimal{}
		for i, l := range active {
			l.got = l.got.Add(give[i])
			a.orgGot[l.org] = a.orgGot[l.org].Add(give[i])
			total = total.Add(give[i])
		}
		avail = avail.Sub(total)
		used = used.Add(total)
		if limited {
			// The organisations at their cap drop out; share again.
			continue
		}
		break
	}
	// Rounding down leaves a few minor units: hand them out one by one.
	used = used.Add(a.residue(ls, &avail))
	a.releaseCaps(ls, before)
	return used
}

// residue hands out the minor units that rounding down left, one at a
// time, in the fair order: the organisation least funded for its need
// first, equals in an order no name can buy.
func (a *alloc) residue(active []*line, avail *tradeplan.Decimal) tradeplan.Decimal {
	u := ulp(a.places)
	if avail.Sign() <= 0 {
		return tradeplan.Decimal{}
	}
	type orgFrac struct {
		org  string
		frac tradeplan.Decimal
		fair uint64
	}
	var orgs []orgFrac
	seen := map[string]bool{}
	for _, l := range active {
		if !seen[l.org] {
			seen[l.org] = true
			orgs = append(orgs, orgFrac{l.org, floorQuo(a.orgGot[l.org], a.orgNeed[l.org], fracPlaces), fairHash(l.org)})
		}
	}
	slices.SortFunc(orgs, func(x, y orgFrac) int {
		if c := x.frac.Cmp(y.frac); c != 0 {
			return c
		}
		return cmp.Compare(x.fair, y.fair)
	})
	rank := make(map[string]int, len(orgs))
	for i, o := range orgs {
		rank[o.org] = i
	}
	type keyed struct {
		org  int
		fair uint64
		l    *line
	}
	order := make([]keyed, len(active))
	for i, l := range active {
		order[i] = keyed{rank[l.org], l.fair, l}
	}
	slices.SortFunc(order, func(x, y keyed) int {
		if c := cmp.Compare(x.org, y.org); c != 0 {
			return c
		}
		return cmp.Compare(x.fair, y.fair)
	})
	given := tradeplan.Decimal{}
	for progress := true; progress && avail.Sign() > 0; {
		progress = false
		for _, k := range order {
			l := k.l
			if avail.Sign() <= 0 {
				break
			}
			if l.room().Sign() <= 0 || (a.orgCap.Sign() > 0 && a.orgGot[l.org].Add(u).Cmp(a.orgCap) > 0) {
				continue
			}
			l.got = l.got.Add(u)
			a.orgGot[l.org] = a.orgGot[l.org].Add(u)
			*avail = avail.Sub(u)
			given = given.Add(u)
			progress = true
		}
	}
	return given
}

// outcome writes a funded or cut line's status and reasons.
func (l *line) outcome(pol *Policy, share string, a *alloc) {
	l.FundedValue = l.got
	if l.got.Cmp(l.Value) >= 0 {
		l.FundedQty = l.Quantity
	} else {
		l.FundedQty = floorTo(l.Quantity.Mul(floorQuo(l.got, l.Value, fracPlaces)), max(l.Quantity.Places(), unitPlaces(l.Unit)))
	}
	l.reasons = append(l.reasons, share)
	switch {
	case l.got.Cmp(l.Value) >= 0:
		l.Status = Funded
	case l.got.Sign() == 0:
		l.Status = Deferred
	default:
		l.Status = Partial
	}
	if l.got.Cmp(l.Value) < 0 {
		switch {
		case l.Need.Cmp(l.Value) < 0 && l.got.Cmp(l.Need) >= 0:
			l.reasons = append(l.reasons, fmt.Sprintf("funded up to its verified need %s %s", l.Need, l.Currency))
		case a.orgFull[l.org]:
			l.reasons = append(l.reasons, fmt.Sprintf("organisation cap reached: %s %s (%s of the budget) across all its plans", a.orgCap, l.Currency, percent(pol.OrganisationCap)))
		case a.capped[l.org]:
			l.reasons = append(l.reasons, fmt.Sprintf("organisation cap (%s of the budget) reached across all its plans; lifted for what no other organisation could take, and the tier's money ran out", percent(pol.OrganisationCap)))
		case strings.HasPrefix(l.limitBy, "cap ") && l.got.Cmp(l.bound) >= 0:
			l.reasons = append(l.reasons, "funded only within what is left of "+l.limitBy+" ("+strings.Join(l.Citations, "; ")+")")
		case l.got.Sign() == 0:
			l.reasons = append(l.reasons, "nothing left for it: the budget went to higher tiers")
		default:
			l.reasons = append(l.reasons, "cut pro rata: "+l.got.String()+" of its need "+l.Need.String()+"; the tier's money ran out")
		}
	}
	l.Reason = strings.Join(l.reasons, "; ")
}

func unitPlaces(u string) int32 {
	if x, ok := tradeplan.LookupUnit(u); ok {
		return x.Places
	}
	return 3
}

// sortOut decides which lines take part in the allocation, by tier, and
// why the others do not.
func sortOut(lines []*line, pol *Policy) [][]*line {
	byTier := make([][]*line, len(pol.Tiers)+1)
	for _, l := range lines {
		switch {
		case l.Verdict == tradeplan.Prohibited:
			l.Status = Excluded
			l.reasons = append(l.reasons, "prohibited: "+strings.Join(l.Citations, "; "))
		case l.Verdict == tradeplan.Review:
			l.Status = Held
			l.reasons = append(l.reasons, "held until review decides: "+strings.Join(l.Citations, "; "))
		case pol.tier(l.Tier).Defer:
			l.Status = Deferred
			l.reasons = append(l.reasons, fmt.Sprintf("tier %d is deferred this period", l.Tier))
		case l.Value.Sign() == 0:
			l.Status = Held
			l.reasons = append(l.reasons, "no value: the line cannot be fitted into the budget")
		default:
			l.active = true
			l.Need = l.Value
			byTier[l.Tier] = append(byTier[l.Tier], l)
		}
	}
	return byTier
}
