package feasibility

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// benchSites makes nsites sites of two processes each (two items, workers
// and power that bind some lines) and a plan of nlines export lines spread
// over them in turn.
func benchSites(nsites, nlines int) (*Sites, *tradeplan.Plan) {
	rng := rand.New(rand.NewPCG(7, 7))
	s := &Sites{File: "bench.yaml", Policy: Policy{MaxHoursPerDay: 12, MaxHoursPerWeek: 60, DaysPerWeek: 6, Absence: 0.1},
		Patterns: []Pattern{{1, 8}, {2, 8}, {2, 10}, {3, 8}}}
	for i := 0; i < nsites; i++ {
		st := &Site{ID: fmt.Sprint("site-", i), Policy: s.Policy, Workers: float64(50 + rng.IntN(300)), PowerGiven: true, KWhPerDay: float64(1000 + rng.IntN(9000))}
		for k, hs := range []string{"2611", "6704"} {
			item := fmt.Sprint("input ", k)
			st.Receipts = append(st.Receipts, Receipt{Item: item, Quantity: float64(100 + rng.IntN(1000)), Stock: true},
				Receipt{Item: item, Quantity: float64(rng.IntN(200)), At: march.From.AddDate(0, 0, 10), ShelfDays: 5})
			st.Processes = append(st.Processes, &Process{ID: fmt.Sprint("p", k), Input: item, Output: fmt.Sprint("goods ", k), HS: hs, Unit: "t", InputUnit: "t",
				Yield: 0.2 + rng.Float64()*0.7, Lines: 1 + rng.IntN(6), Rate: 0.05 + rng.Float64(), Availability: 0.8, Crew: 5 + rng.IntN(30), KWhPerOutput: float64(100 + rng.IntN(2000))})
		}
		st.allow(s.Patterns)
		s.Sites = append(s.Sites, st)
	}
	p := &tradeplan.Plan{ID: "bench", Period: march}
	for i := 0; i < nlines; i++ {
		hs := []string{"261100", "670420"}[rng.IntN(2)]
		p.Lines = append(p.Lines, tradeplan.Line{Index: i + 1, Direction: tradeplan.Export, HS: hs, Description: "goods",
			Quantity: tradeplan.D(float64(1 + rng.IntN(100))), Unit: "t", Source: &tradeplan.Source{Site: fmt.Sprint("site-", i%nsites)}})
	}
	return s, p
}

// BenchmarkCheckGreedy: 10,000 export lines over 500 sites, in plan order.
func BenchmarkCheckGreedy(b *testing.B) {
	s, p := benchSites(500, 10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(p, nil, s, Options{Solver: Greedy}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckLPPlan: the same plan with each site's lines solved as a
// linear programme (20 lines a site).
func BenchmarkCheckLPPlan(b *testing.B) {
	s, p := benchSites(500, 10000)
	for b.Loop() {
		if _, err := Check(p, nil, s, Options{Solver: LP}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLP1000: one site's linear programme of 1,000 variables (lines)
// sharing its stock, lines, workers and power.
func BenchmarkLP1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 9))
	st, jobs := randomSite(rng, 8, 4, 1000, true)
	r := newResources(st, march, Pattern{2, 8})
	for b.Loop() {
		if _, err := lpAlloc(r, jobs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLP1000Gonum: the programme of BenchmarkLP1000 solved by
// gonum's lp.Simplex in standard form (a row per line's bound): the
// baseline the bounded simplex replaced.
func BenchmarkLP1000Gonum(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 9))
	st, jobs := randomSite(rng, 8, 4, 1000, true)
	r := newResources(st, march, Pattern{2, 8})
	pr := program(r, jobs)
	b.Logf("%d variables, %d shared-resource rows", len(pr.vars), len(pr.b))
	for b.Loop() {
		if _, err := gonumMax(pr.cols, pr.b, pr.c, pr.u); err != nil {
			b.Fatal(err)
		}
	}
}
