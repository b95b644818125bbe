package imports

import (
	"testing"

	"github.com/tradeplan/tradeplan"
)

// Where the budget binds and the crossings do not, greedy's pro-rata fill
// is optimal tier by tier: the linear programme must fund each tier and
// the whole exactly as much (to a cent a line, its floating point).
func TestWhatIfAgreesWithGreedyWhereGreedyIsOptimal(t *testing.T) {
	pl := etPlan("p",
		importLine(0, "wheat", "1001.99", "1000", "t", "600000"),
		importLine(0, "medicines", "3004.90", "5", "t", "250000"),
		importLine(0, "urea", "3102.10", "800", "t", "300000"),
		importLine(0, "cranes", "8426.41", "20", "t", "180000"),
		importLine(0, "plastic film", "3920.10", "30", "t", "40000"),
		importLine(0, "cars", "8703.23", "10", "t", "90000"), // deferred
	)
	other := etPlan("q", importLine(0, "maize", "1005.90", "700", "t", "210000"))
	es := []Entry{screenPlan(t, pl), screenPlan(t, other)}
	cs := crossingsDoc(t, `
crossings:
  - {name: Galafi, tonnes_per_week: 5000}
  - {name: Dewele, tonnes_per_week: 5000, closed_weeks: [1]}
`)
	for _, c := range []struct {
		name      string
		receipts  string
		crossings *Crossings
		weeks     int
		orgCap    bool
	}{
		{"tight budget, money only", "900000", nil, 0, false},
		{"tight budget, ample crossings", "900000", cs, 4, false},
		{"budget for all but T1", "1200000", cs, 3, false},
		{"more than enough", "5000000", nil, 0, false},
		{"organisation cap", "1000000", nil, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			pol := oneOrgPolicy()
			if c.orgCap {
				pol.OrganisationCap = d("0.3")
			}
			o := Options{Currency: "USD", Receipts: d(c.receipts), Policy: pol, Crossings: c.crossings, Weeks: c.weeks}
			g, err := Rank(es, o)
			if err != nil {
				t.Fatal(err)
			}
			w, err := WhatIf(es, o)
			if err != nil {
				t.Fatal(err)
			}
			tol := d("0.07") // a cent for each of the seven lines
			for i, tr := range g.Tiers {
				diff := tr.Funded.Sub(w.Tiers[i].Funded)
				if diff.Sign() < 0 {
					diff = diff.Neg()
				}
				if diff.Cmp(tol) > 0 {
					t.Errorf("T%d: greedy %s, LP %s", tr.Tier, tr.Funded, w.Tiers[i].Funded)
				}
			}
			sum := tradeplan.Decimal{}
			for _, l := range w.Lines {
				sum = sum.Add(l.Funded)
			}
			if sum.Cmp(g.Budget.Total) > 0 {
				t.Errorf("LP funds %s, more than the budget %s", sum, g.Budget.Total)
			}
		})
	}
}

// Where crossings bind, the programme never places more than a week can
// carry, and funds no more than greedy.
func TestWhatIfWithinCapacity(t *testing.T) {
	es := []Entry{screenPlan(t, etPlan("p", importLine(0, "wheat", "1001.99", "1000", "t", "600000")))}
	cs := crossingsDoc(t, "crossings: [{name: Galafi, tonnes_per_week: 100}]\n")
	o := Options{Currency: "USD", Receipts: d("10000000"), Policy: oneOrgPolicy(), Crossings: cs, Weeks: 3}
	w, err := WhatIf(es, o)
	if err != nil {
		t.Fatal(err)
	}
	// 3 weeks x 100 t of 1000 t: 30% of 600000.
	if got := w.Lines[0].Funded; got.Cmp(d("180000")) > 0 || got.Cmp(d("179999.9")) < 0 {
		t.Errorf("LP funds %s, want what 300 t are worth: 180000", got)
	}
}
