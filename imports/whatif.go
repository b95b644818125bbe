package imports

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/tradeplan/tradeplan"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// WhatIfResult is the ranking solved as a linear programme: what each tier
// and line would get. Its figures come from floating-point arithmetic and
// are rounded down to the currency's minor unit: they compare budgets, and
// are never a licence's ground (Rank's are).
type WhatIfResult struct {
	Currency string            `json:"currency"`
	Budget   tradeplan.Decimal `json:"budget"`
	Tiers    []WhatIfTier      `json:"tiers"`
	Lines    []WhatIfLine      `json:"lines"`
}

// WhatIfTier is what one tier gets in the linear programme.
type WhatIfTier struct {
	Tier   int               `json:"tier"`
	Funded tradeplan.Decimal `json:"funded"`
}

// WhatIfLine is what one line gets, and the tonnes it enters with.
type WhatIfLine struct {
	Plan   string            `json:"plan"`
	Line   int               `json:"line"`
	Tier   int               `json:"tier"`
	Funded tradeplan.Decimal `json:"funded"`
}

// MaxWhatIfVariables bounds the size of the programme (lines x weeks x
// crossings): the simplex is dense.
const MaxWhatIfVariables = 4000

// WhatIf solves the ranking as a linear programme over line x week x
// crossing (line alone without crossings), tier by tier, each tier's result
// fixed before the next: tier t maximises what it funds, entering as early
// as it can, within the budget less what the tiers above used and the
// shares reserved for the tiers below, its lines' verified needs, the
// organisation and sanctions caps, and each crossing's tonnes in each week
// less what the tiers above placed. What is left goes round once more from
// the top, as in Rank.
func WhatIf(entries []Entry, o Options) (*WhatIfResult, error) {
	pol := o.Policy
	if pol == nil {
		pol = DefaultPolicy()
	}
	if o.Currency == "" {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "the budget's currency is required")
	}
	if err := checkInputs(entries, o); err != nil {
		return nil, err
	}
	r := &Result{Currency: o.Currency, Policy: pol.File}
	lines, err := prepare(entries, pol, o, r)
	if err != nil {
		return nil, err
	}
	if err := budget(entries, pol, o, r); err != nil {
		return nil, err
	}
	byTier := sortOut(lines, pol)
	verifyStaple(lines, pol, r)
	m := newModel(lines, pol, o, r, entries)
	if m.nvars > MaxWhatIfVariables {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "the what-if has %d variables (lines x weeks x crossings), more than %d: rank fewer lines or weeks", m.nvars, MaxWhatIfVariables)
	}

	places := tradeplan.CurrencyPlaces(o.Currency)
	total := r.Budget.Total.Float64()
	reserved := make([]float64, len(pol.Tiers)+1)
	sumReserved := 0.0
	for i, t := range pol.Tiers {
		reserved[i+1] = floorTo(r.Budget.Total.Mul(t.Share), places).Float64()
		sumReserved += reserved[i+1]
	}
	carry := total - sumReserved
	funded := make([]float64, len(pol.Tiers)+1)
	for round := 0; round < 4; round++ {
		if round == 2 {
			// As greedy: what is left once the organisations below the
			// cap have all they can take goes to those at it, each tier
			// first within what is left of its own reserved share.
			if !m.orgCap || carry <= 0 {
				break
			}
			m.orgCap = false
		}
		for t := 1; t <= len(pol.Tiers); t++ {
			if round == 2 {
				if pol.tier(t).Defer || len(byTier[t]) == 0 {
					continue
				}
				avail := min(carry, max(reserved[t]-funded[t], 0))
				used, err := m.solveTier(byTier[t], avail)
				if err != nil {
					return nil, fmt.Errorf("what-if, tier %d: %w", t, err)
				}
				funded[t] += used
				carry = max(carry-used, 0)
				continue
			}
			if pol.tier(t).Defer || len(byTier[t]) == 0 {
				if round == 0 && !pol.tier(t).Defer {
					carry += reserved[t]
				}
				continue
			}
			avail := carry
			if round == 0 {
				avail += reserved[t]
			}
			used, err := m.solveTier(byTier[t], avail)
			if err != nil {
				return nil, fmt.Errorf("what-if, tier %d: %w", t, err)
			}
			funded[t] += used
			carry = max(avail-used, 0)
		}
	}
	out := &WhatIfResult{Currency: o.Currency, Budget: r.Budget.Total}
	for t := 1; t <= len(pol.Tiers); t++ {
		out.Tiers = append(out.Tiers, WhatIfTier{Tier: t, Funded: money(funded[t], places)})
	}
	for _, l := range lines {
		if l.active {
			out.Lines = append(out.Lines, WhatIfLine{Plan: l.Plan, Line: l.Line, Tier: l.Tier, Funded: money(m.funded[l], places)})
		}
	}
	return out, nil
}

func money(f float64, places int32) tradeplan.Decimal {
	d, ok := tradeplan.DecimalFromFloat(max(f, 0))
	if !ok {
		return tradeplan.Decimal{}
	}
	return floorTo(d.Round(places+2), places)
}

// model is the state carried from tier to tier.
type model struct {
	o       Options
	weeks   int
	ready   map[*line]int
	tonnes  map[*line]float64 // the line's weight; absent: it is placed by money alone
	slot    [][]float64       // tonnes each crossing can still take each week
	orgLeft map[string]float64
	orgCap  bool
	capLeft map[capWindow]float64
	funded  map[*line]float64
	nvars   int
}

func newModel(lines []*line, pol *Policy, o Options, r *Result, entries []Entry) *model {
	m := &model{o: o, ready: map[*line]int{}, tonnes: map[*line]float64{}, orgLeft: map[string]float64{},
		capLeft: map[capWindow]float64{}, funded: map[*line]float64{}}
	total := r.Budget.Total
	if pol.OrganisationCap.Sign() > 0 {
		m.orgCap = true
		c := floorTo(total.Mul(pol.OrganisationCap), tradeplan.CurrencyPlaces(o.Currency)).Float64()
		for _, l := range lines {
			m.orgLeft[l.org] = c
		}
	}
	for _, l := range lines {
		for _, c := range l.caps {
			k := capWindow{c.Cap, c.From, c.To}
			left := max(c.Limit.Sub(c.Used).Float64(), 0)
			if prev, ok := m.capLeft[k]; !ok || left > prev {
				m.capLeft[k] = left
			}
		}
	}
	cs := o.Crossings
	if cs == nil {
		for _, l := range lines {
			if l.active {
				m.nvars++
			}
		}
		return m
	}
	// The same weeks and need dates as the schedule.
	start, weeks := span(o, entries)
	m.weeks = weeks
	m.slot = make([][]float64, len(cs.Crossings))
	for i := range cs.Crossings {
		c := &cs.Crossings[i]
		m.slot[i] = make([]float64, m.weeks+1)
		for w := 1; w <= m.weeks; w++ {
			if c.Carries(w) {
				room := c.TonnesPerWeek.Float64()
				for _, v := range c.Vehicles {
					room = min(room, v.TonnesEach.Float64()*float64(v.PerWeek))
				}
				m.slot[i][w] = room
			}
		}
	}
	for _, l := range lines {
		if !l.active {
			continue
		}
		t, why := tonnes(l.Quantity, l.Unit, cs)
		if why != "" || t.Sign() == 0 {
			m.nvars++
			continue
		}
		m.tonnes[l] = t.Float64()
		m.ready[l] = 1
		if !l.src.Date.IsZero() && !start.IsZero() {
			w := int(l.src.Date.Sub(start).Hours()/24)/7 + 1
			m.ready[l] = min(max(w, 1), m.weeks)
		}
		m.nvars += len(m.crossingsOf(l)) * (m.weeks - m.ready[l] + 1)
	}
	return m
}

// crossingsOf lists the crossings line l may enter through.
func (m *model) crossingsOf(l *line) []int {
	cs := m.o.Crossings
	if l.src.Crossing == "" {
		out := make([]int, len(cs.Crossings))
		for i := range out {
			out[i] = i
		}
		return out
	}
	for i := range cs.Crossings {
		if strings.EqualFold(cs.Crossings[i].Name, l.src.Crossing) {
			return []int{i}
		}
	}
	return nil
}

// variable is one column: line l, in week w through crossing c (c -1: the
// line by money alone); a unit of it is worth price in money.
type variable struct {
	l     *line
	w, c  int
	price float64
}

// solveTier solves one tier with avail money and fixes its result.
func (m *model) solveTier(ls []*line, avail float64) (float64, error) {
	if avail <= 0 {
		return 0, nil
	}
	var vars []variable
	for _, l := range ls {
		value := l.Value.Float64()
		t, ok := m.tonnes[l]
		if !ok {
			vars = append(vars, variable{l: l, w: 0, c: -1, price: 1})
			continue
		}
		for _, c := range m.crossingsOf(l) {
			for w := m.ready[l]; w <= m.weeks; w++ {
				if m.slot[c][w] > 0 {
					vars = append(vars, variable{l: l, w: w, c: c, price: value / t})
				}
			}
		}
	}
	if len(vars) == 0 {
		return 0, nil
	}
	scale := avail // money in units of what the tier may use, for the simplex's sake
	var g [][]float64
	var h []float64
	row := func(coef func(v variable) float64, bound float64) {
		r := make([]float64, len(vars))
		any := false
		for j, v := range vars {
			if c := coef(v); c != 0 {
				r[j], any = c, true
			}
		}
		if any {
			g = append(g, r)
			h = append(h, max(bound, 0))
		}
	}
	row(func(v variable) float64 { return v.price / scale }, avail/scale)
	for _, l := range ls {
		need := l.Need.Float64() - m.funded[l]
		row(func(v variable) float64 {
			if v.l == l {
				return v.price / scale
			}
			return 0
		}, need/scale)
	}
	if m.orgCap {
		seen := map[string]bool{}
		for _, l := range ls {
			if seen[l.org] {
				continue
			}
			seen[l.org] = true
			org := l.org
			row(func(v variable) float64 {
				if v.l.org == org {
					return v.price / scale
				}
				return 0
			}, m.orgLeft[org]/scale)
		}
	}
	for k, left := range m.capLeft {
		row(func(v variable) float64 {
			for _, c := range v.l.caps {
				if (capWindow{c.Cap, c.From, c.To}) == k && v.l.Value.Sign() > 0 {
					return c.Quantity.Float64() / v.l.Value.Float64() * v.price
				}
			}
			return 0
		}, left)
	}
	if m.o.Crossings != nil {
		for c := range m.slot {
			for w := 1; w <= m.weeks; w++ {
				cc, ww := c, w
				row(func(v variable) float64 {
					if v.c == cc && v.w == ww {
						return 1
					}
					return 0
				}, m.slot[c][w])
			}
		}
	}
	// Standard form: G x + s = h, x, s >= 0; the slacks are a feasible
	// first basis since h >= 0.
	nx, nr := len(vars), len(g)
	a := mat.NewDense(nr, nx+nr, nil)
	cost := make([]float64, nx+nr)
	basic := make([]int, nr)
	for i := range g {
		for j, x := range g[i] {
			a.Set(i, j, x)
		}
		a.Set(i, nx+i, 1)
		basic[i] = nx + i
	}
	for j, v := range vars {
		// most money first; among equals, the earlier week
		cost[j] = -v.price/scale + 1e-9*float64(v.w)*v.price/scale
	}
	_, x, err := lp.Simplex(cost, a, h, 1e-10, basic)
	if err != nil {
		if errors.Is(err, lp.ErrInfeasible) {
			return 0, tradeplan.Errorf(tradeplan.EInternal, "the what-if has no solution: %v", err)
		}
		return 0, err
	}
	used := 0.0
	for j, v := range vars {
		q := max(x[j], 0)
		if q < 1e-12 {
			continue
		}
		money := q * v.price
		used += money
		m.funded[v.l] += money
		if m.orgCap {
			m.orgLeft[v.l.org] -= money
		}
		for _, c := range v.l.caps {
			k := capWindow{c.Cap, c.From, c.To}
			if v.l.Value.Sign() > 0 {
				m.capLeft[k] -= c.Quantity.Float64() / v.l.Value.Float64() * money
			}
		}
		if v.c >= 0 {
			m.slot[v.c][v.w] = max(m.slot[v.c][v.w]-q, 0)
		}
	}
	if math.IsNaN(used) {
		return 0, tradeplan.Errorf(tradeplan.EInternal, "the what-if did not converge")
	}
	return min(used, avail), nil
}
