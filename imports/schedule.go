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
	waitWhy  string
}

type slotState struct {
	tonnes   tradeplan.Decimal
	vehicles []int
}

// schedule places the funded part of each line into crossing weeks: each
// week, the waiting lines in order of tier (one tier ahead for every
// aging_weeks weeks waited), need date, time waited and the fair order;
// each line as much as its crossing has left.
func schedule(lines []*line, pol *Policy, o Options, entries []Entry) *Schedule {
	cs := o.Crossings
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
	s := &Schedule{Weeks: weeks, AgingWeeks: pol.AgingWeeks}
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
	for _, l := range lines {
		if l.FundedQty.Sign() <= 0 || (l.Status != Funded && l.Status != Partial) {
			continue
		}
		sh := &ship{l: l, ready: 1, need: weeks + 1, crossing: -1}
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
		if l.src.Crossing != "" {
			i, ok := byName[strings.ToLower(l.src.Crossing)]
			if !ok {
				why := fmt.Sprintf("its crossing %q is not in the crossings file %s", l.src.Crossing, cs.File)
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
	slices.SortStableFunc(bySize, func(a, b *ship) int { return a.left.Cmp(b.left) })
	for i, sh := range bySize {
		sh.size = i
	}
	type keyed struct {
		key uint64
		sh  *ship
	}
	order := make([]keyed, 0, len(ships))
	for w := 1; w <= weeks; w++ {
		order = order[:0]
		for _, sh := range ships {
			if sh.left.Sign() > 0 && sh.ready <= w {
				eff := sh.l.Tier
				if pol.AgingWeeks > 0 {
					eff = max(1, eff-(w-sh.ready)/pol.AgingWeeks)
				}
				// tier, need week, longest waiting, smaller load, then the
				// fair order: 7, 10, 10, 20 and 17 bits
				k := uint64(min(eff, 127))<<57 | uint64(min(sh.need, 1023))<<47 | uint64(min(sh.ready, 1023))<<37 |
					uint64(min(sh.size, 1<<20-1))<<17 | sh.l.fair>>47
				order = append(order, keyed{k, sh})
			}
		}
		slices.SortFunc(order, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
		for _, k := range order {
			sh := k.sh
			if sh.crossing >= 0 {
				place(sh, sh.crossing, w, cs, state)
				continue
			}
			for sh.left.Sign() > 0 {
				best, bestT := -1, tradeplan.Decimal{}
				for i := range cs.Crossings {
					if t := room(&cs.Crossings[i], &state[i][w]); t.Cmp(bestT) > 0 {
						best, bestT = i, t
					}
				}
				if best < 0 {
					break
				}
				place(sh, best, w, cs, state)
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
		for _, p := range l.Entries {
			ci := byName[strings.ToLower(p.Crossing)]
			sl := slotAt(ci, p.Week)
			sl.Lines = append(sl.Lines, SlotLine{Plan: l.Plan, Line: l.Line, Tier: l.Tier, Tonnes: p.Tonnes})
			if first == 0 || p.Week < first {
				first = p.Week
			}
			last = max(last, p.Week)
			if !slices.Contains(names, p.Crossing) {
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

// place puts as much of sh as fits into crossing ci in week w.
func place(sh *ship, ci, w int, cs *Crossings, state [][]slotState) {
	c := &cs.Crossings[ci]
	st := &state[ci][w]
	x := tradeplan.MinDecimal(sh.left, room(c, st))
	if x.Sign() <= 0 {
		return
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
}
