package imports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Schedule is what enters through which crossing in which week.
type Schedule struct {
	Start      string      `json:"start,omitempty"` // first day of week 1
	Weeks      int         `json:"weeks"`
	AgingWeeks int         `json:"aging_weeks"`
	Slots      []Slot      `json:"slots"` // by crossing, then week
	Waiting    []WaitEntry `json:"waiting,omitempty"`
}

// Slot is one crossing in one week: its capacity and what it carries.
type Slot struct {
	Crossing string            `json:"crossing"`
	Week     int               `json:"week"`
	Closed   bool              `json:"closed,omitempty"`
	Capacity tradeplan.Decimal `json:"capacity_t"`
	Load     tradeplan.Decimal `json:"load_t"`
	Vehicles []VehicleUse      `json:"vehicles,omitempty"`
	Lines    []SlotLine        `json:"lines,omitempty"`
}

// VehicleUse is a slot's use of one kind of conveyance.
type VehicleUse struct {
	Kind     string `json:"kind"`
	Used     int    `json:"used"`
	Capacity int    `json:"capacity"`
}

// SlotLine is a line's part in a slot.
type SlotLine struct {
	Plan   string            `json:"plan"`
	Line   int               `json:"line"`
	Tier   int               `json:"tier"`
	Tonnes tradeplan.Decimal `json:"tonnes"`
}

// Placement is one part of a line entering in a week through a crossing.
type Placement struct {
	Week     int               `json:"week"`
	Crossing string            `json:"crossing"`
	Tonnes   tradeplan.Decimal `json:"tonnes"`
}

// WaitEntry is a funded line, or part of one, that does not enter in the
// period, and why.
type WaitEntry struct {
	Plan   string            `json:"plan"`
	Line   int               `json:"line"`
	Tier   int               `json:"tier"`
	Tonnes tradeplan.Decimal `json:"tonnes"`
	Reason string            `json:"reason"`
}

// ship is a funded line waiting to enter.
type ship struct {
	l        *line
	left     tradeplan.Decimal // tonnes still to enter
	ready    int               // first week it may enter: the week of its need date
	need     int               // its need date's week; weeks+1 for none
	crossing int               // index of its named crossing; -1: any
	size     int               // rank of its load, smallest first
	sizeKey  float64
	// With a currency limit per week: its price a tonne, what of its
	// funded value is still to pay, and whether money stopped it.
	price  tradeplan.Decimal
	unpaid tradeplan.Decimal
	broke  bool
}

// purse is the currency that may still be paid out in the week being
// scheduled, when the authority limits it per week (Options.CurrencyPerWeek):
// goods enter, and are paid for, only as the currency arrives; what a week
// does not spend carries over.
type purse struct {
	on      bool
	perWeek tradeplan.Decimal
	left    tradeplan.Decimal
	places  int32
}

// afford is the tonnes of sh the purse can pay for.
func (p *purse) afford(sh *ship) tradeplan.Decimal {
	if !p.on || sh.price.Sign() == 0 || p.left.Cmp(sh.unpaid) >= 0 {
		return sh.left
	}
	return tradeplan.MinDecimal(sh.left, floorQuo(p.left, sh.price, 3))
}

// pay takes from the purse what x tonnes of sh cost: the rest of its
// value for its last part, else x at its price rounded up to the minor
// unit.
func (p *purse) pay(sh *ship, x tradeplan.Decimal) {
	if !p.on {
		return
	}
	cost := sh.unpaid
	if x.Cmp(sh.left) < 0 {
		cost = tradeplan.MinDecimal(ceilTo(x.Mul(sh.price), p.places), sh.unpaid)
	}
	sh.unpaid = sh.unpaid.Sub(cost)
	p.left = tradeplan.MaxDecimal(p.left.Sub(cost), tradeplan.Decimal{})
}

type slotState struct {
	tonnes   tradeplan.Decimal
	vehicles []int
	full     bool // no room left
}

// schedule places the funded part of each line into crossing weeks: each
// week, the waiting lines in order of tier (one tier ahead for every
// aging_weeks weeks waited), need date, time waited and the fair order;
// each line as much as its crossing has left.
func schedule(lines []*line, pol *Policy, o Options, entries []Entry) *Schedule {
	cs := o.Crossings
	start, weeks := span(o, entries)
	s := &Schedule{Weeks: weeks, AgingWeeks: pol.AgingWeeks, Slots: []Slot{}}
	if !start.IsZero() {
		s.Start = start.Format(time.DateOnly)
	}
	byName := map[string]int{}
	for i, c := range cs.Crossings {
		byName[strings.ToLower(c.Name)] = i
	}
	state := make([][]slotState, len(cs.Crossings))
	for i, c := range cs.Crossings {
		state[i] = make([]slotState, weeks+1)
		for w := 1; w <= weeks; w++ {
			st := &state[i][w]
			if c.Carries(w) {
				st.tonnes = c.TonnesPerWeek
				st.vehicles = make([]int, len(c.Vehicles))
				for j, v := range c.Vehicles {
					st.vehicles[j] = v.PerWeek
				}
			}
		}
	}

	var ships []*ship
	var slab []ship
	for _, l := range lines {
		if l.FundedQty.Sign() <= 0 || (l.Status != Funded && l.Status != Partial) {
			continue
		}
		if len(slab) == 0 {
			slab = make([]ship, 1024)
		}
		sh := &slab[0]
		slab = slab[1:]
		*sh = ship{l: l, ready: 1, need: weeks + 1, crossing: -1}
		if !l.src.Date.IsZero() && !start.IsZero() {
			w := int(l.src.Date.Sub(start).Hours()/24)/7 + 1
			sh.need = min(max(w, 1), weeks)
			sh.ready = sh.need
		}
		t, why := tonnes(l.FundedQty, l.Unit, cs)
		if why != "" {
			l.Waiting = why
			s.Waiting = append(s.Waiting, WaitEntry{Plan: l.Plan, Line: l.Line, Tier: l.Tier, Reason: why})
			continue
		}
		sh.left = t
		if t.Sign() > 0 && o.CurrencyPerWeek.Sign() > 0 {
			sh.price = floorQuo(l.FundedValue, t, fracPlaces)
			sh.unpaid = l.FundedValue
		}
		if l.src.Crossing != "" {
			i, ok := byName[strings.ToLower(l.src.Crossing)]
			if !ok {
				why := fmt.Sprintf("its crossing %q is not in the crossings file %s", l.src.Crossing, cs.File)
				if cs.File == "" {
					why = fmt.Sprintf("its crossing %q has no capacity on record", l.src.Crossing)
				}
				l.Waiting = why
				s.Waiting = append(s.Waiting, WaitEntry{Plan: l.Plan, Line: l.Line, Tier: l.Tier, Tonnes: t, Reason: why})
				continue
			}
			sh.crossing = i
		}
		ships = append(ships, sh)
	}

	// Among equals the smaller load goes first: it frees the crossing for
	// the most lines soonest.
	bySize := slices.Clone(ships)
	for _, sh := range bySize {
		sh.sizeKey = sh.left.Float64() // an order only: never shown, never compared with a capacity
	}
	slices.SortFunc(bySize, func(a, b *ship) int {
		if c := cmp.Compare(a.sizeKey, b.sizeKey); c != 0 {
			return c
		}
		return cmp.Compare(a.l.fair, b.l.fair)
	})
	for i, sh := range bySize {
		sh.size = i
	}
	// Lines of one tier, ready week and need week stay in one order
	// (smaller load, then the fair order) whatever the week; each week
	// only the groups are put in order, by effective tier, need week and
	// ready week (the longest waiting first).
	type groupKey struct{ tier, ready, need int }
	type group struct {
		groupKey
		eff   int
		ships []*ship
	}
	groups := map[groupKey]*group{}
	var glist []*group
	for _, sh := range ships {
		k := groupKey{sh.l.Tier, sh.ready, sh.need}
		g := groups[k]
		if g == nil {
			g = &group{groupKey: k}
			groups[k] = g
			glist = append(glist, g)
		}
		g.ships = append(g.ships, sh)
	}
	for _, g := range glist {
		slices.SortFunc(g.ships, func(a, b *ship) int {
			if c := cmp.Compare(a.size, b.size); c != 0 {
				return c
			}
			return cmp.Compare(a.l.fair, b.l.fair)
		})
	}
	var order []*group
	money := &purse{on: o.CurrencyPerWeek.Sign() > 0, perWeek: o.CurrencyPerWeek, places: tradeplan.CurrencyPlaces(o.Currency)}
	for w := 1; w <= weeks; w++ {
		money.left = money.left.Add(money.perWeek)
		order = order[:0]
		for _, g := range glist {
			if g.ready > w || len(g.ships) == 0 {
				continue
			}
			g.eff = g.tier
			if pol.AgingWeeks > 0 {
				g.eff = max(1, g.tier-(w-g.ready)/pol.AgingWeeks)
			}
			order = append(order, g)
		}
		slices.SortFunc(order, func(a, b *group) int {
			if c := cmp.Compare(a.eff, b.eff); c != 0 {
				return c
			}
			if c := cmp.Compare(a.need, b.need); c != 0 {
				return c
			}
			if c := cmp.Compare(a.ready, b.ready); c != 0 {
				return c
			}
			return cmp.Compare(a.tier, b.tier)
		})
		// open counts the crossings with room left this week: when none
		// has, the rest of the week's queue waits.
		open := 0
		for i := range cs.Crossings {
			if st := &state[i][w]; room(&cs.Crossings[i], st).Sign() > 0 {
				open++
			} else {
				st.full = true
			}
		}
		for _, g := range order {
			if open == 0 || money.on && money.left.Sign() == 0 {
				break
			}
			// Lines that have entered in full leave their group.
			kept := g.ships[:0]
			for _, sh := range g.ships {
				if sh.left.Sign() > 0 {
					kept = append(kept, sh)
				}
			}
			g.ships = kept
			for _, sh := range g.ships {
				if open == 0 {
					break
				}
				schedulePlace(sh, w, cs, state, &open, money)
			}
		}
	}

	for i, c := range cs.Crossings {
		for w := 1; w <= weeks; w++ {
			sl := Slot{Crossing: c.Name, Week: w, Closed: !c.Carries(w)}
			if !sl.Closed {
				sl.Capacity = c.TonnesPerWeek
				sl.Load = c.TonnesPerWeek.Sub(state[i][w].tonnes)
				for j, v := range c.Vehicles {
					sl.Vehicles = append(sl.Vehicles, VehicleUse{Kind: v.Kind, Used: v.PerWeek - state[i][w].vehicles[j], Capacity: v.PerWeek})
				}
			}
			s.Slots = append(s.Slots, sl)
		}
	}
	slotAt := func(ci, w int) *Slot { return &s.Slots[ci*weeks+w-1] }
	for _, sh := range ships {
		l := sh.l
		first, last := 0, 0
		var names []string
		var nameBuf [4]string
		for _, p := range l.Entries {
			ci := byName[strings.ToLower(p.Crossing)]
			sl := slotAt(ci, p.Week)
			sl.Lines = append(sl.Lines, SlotLine{Plan: l.Plan, Line: l.Line, Tier: l.Tier, Tonnes: p.Tonnes})
			if first == 0 || p.Week < first {
				first = p.Week
			}
			last = max(last, p.Week)
			if !slices.Contains(names, p.Crossing) {
				if names == nil {
					names = nameBuf[:0]
				}
				names = append(names, p.Crossing)
			}
		}
		if first > 0 {
			l.Week = fmt.Sprint(first)
			if last > first {
				l.Week += fmt.Sprintf("-%d", last)
			}
			l.Crossing = strings.Join(names, ", ")
		}
		if sh.left.Sign() > 0 {
			why := "no capacity left in the period"
			if sh.crossing >= 0 {
				c := &cs.Crossings[sh.crossing]
				why += " at " + c.Name
				if !c.Open {
					why = c.Name + " is closed"
				}
			}
			if sh.broke {
				why = fmt.Sprintf("the currency of the period's weeks (%s %s a week) is spent", o.CurrencyPerWeek, o.Currency)
			}
			if sh.ready > 1 {
				why += fmt.Sprintf(" (from week %d, its need date)", sh.ready)
			}
			l.Waiting = fmt.Sprintf("%s t wait: %s", sh.left, why)
			s.Waiting = append(s.Waiting, WaitEntry{Plan: l.Plan, Line: l.Line, Tier: l.Tier, Tonnes: sh.left, Reason: why})
		}
	}
	for _, sh := range ships {
		sh.l.LineResult.Entries = sh.l.Entries
	}
	return s
}

// tonnes is a funded quantity's weight in tonnes, or why it has none.
func tonnes(q tradeplan.Decimal, unit string, cs *Crossings) (tradeplan.Decimal, string) {
	u, ok := tradeplan.LookupUnit(unit)
	if !ok {
		return tradeplan.Decimal{}, fmt.Sprintf("unknown unit %q: cannot weigh it", unit)
	}
	if u.Dimension == tradeplan.Mass {
		t, err := tradeplan.ConvertUnit(q, u.Symbol, "t")
		if err != nil {
			return tradeplan.Decimal{}, tradeplan.ErrorMessage(err)
		}
		return t, ""
	}
	f, ok := cs.TonnesPer[u.Symbol]
	if !ok {
		return tradeplan.Decimal{}, fmt.Sprintf("its quantity is in %s, which has no weight: give tonnes_per.%s in the crossings file", u.Symbol, u.Symbol)
	}
	return q.MulRound(f, 3), ""
}

// room is the tonnes crossing c can still take in one slot: its tonnes,
// and its vehicles' loads.
func room(c *Crossing, st *slotState) tradeplan.Decimal {
	t := st.tonnes
	for j, v := range c.Vehicles {
		if st.vehicles == nil {
			return tradeplan.Decimal{}
		}
		t = tradeplan.MinDecimal(t, v.TonnesEach.Mul(tradeplan.DecimalInt(int64(st.vehicles[j]))))
	}
	return t
}

// place puts as much of sh as fits into crossing ci in week w, and reports
// whether that filled the crossing's week.
func place(sh *ship, ci, w int, cs *Crossings, state [][]slotState, money *purse) bool {
	c := &cs.Crossings[ci]
	st := &state[ci][w]
	r := room(c, st)
	if r.Sign() <= 0 {
		st.full = true
		return true
	}
	x := tradeplan.MinDecimal(r, sh.left)
	if money.on {
		x = tradeplan.MinDecimal(r, money.afford(sh))
		sh.broke = x.Cmp(sh.left) < 0 && x.Cmp(r) < 0
		if x.Sign() <= 0 {
			return false
		}
		money.pay(sh, x)
	}
	st.tonnes = st.tonnes.Sub(x)
	for j, v := range c.Vehicles {
		n, _ := x.QuoRound(v.TonnesEach, 0)
		if n.Mul(v.TonnesEach).Cmp(x) < 0 {
			n = n.Add(one)
		}
		st.vehicles[j] -= int(n.Float64())
	}
	sh.left = sh.left.Sub(x)
	sh.l.Entries = append(sh.l.Entries, Placement{Week: w, Crossing: c.Name, Tonnes: x})
	if room(c, st).Sign() <= 0 {
		st.full = true
		return true
	}
	return false
}

// schedulePlace puts as much of sh into week w as its crossing, or the
// crossings with the most room when it names none, can take; open counts
// the crossings with room left.
func schedulePlace(sh *ship, w int, cs *Crossings, state [][]slotState, open *int, money *purse) {
	if sh.crossing >= 0 {
		if !state[sh.crossing][w].full && place(sh, sh.crossing, w, cs, state, money) {
			*open--
		}
		return
	}
	for sh.left.Sign() > 0 && *open > 0 {
		if money.on && money.afford(sh).Sign() <= 0 {
			sh.broke = true
			return
		}
		best, bestT := -1, tradeplan.Decimal{}
		for i := range cs.Crossings {
			if st := &state[i][w]; !st.full {
				if t := room(&cs.Crossings[i], st); t.Cmp(bestT) > 0 {
					best, bestT = i, t
				}
			}
		}
		if best < 0 {
			return
		}
		if place(sh, best, w, cs, state, money) {
			*open--
		}
	}
}

// span is the schedule's first day and number of weeks: as the options
// say, else from the plans' periods, else 26 weeks.
func span(o Options, entries []Entry) (time.Time, int) {
	start, weeks := o.Start, o.Weeks
	if start.IsZero() || weeks == 0 {
		var from, to time.Time
		for _, e := range entries {
			p := e.Plan.Period
			if p.From.IsZero() {
				continue
			}
			if from.IsZero() || p.From.Before(from) {
				from = p.From
			}
			if p.To.After(to) {
				to = p.To
			}
		}
		if start.IsZero() {
			start = from
		}
		if weeks == 0 && !from.IsZero() {
			weeks = int(to.Sub(start).Hours()/24)/7 + 1
		}
		if weeks == 0 {
			weeks = 26
		}
	}
	return start, weeks
}
