package feasibility

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tradeplan/tradeplan"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// randomSite makes a site of nproc processes drawing on nitem items, with
// workers and power that may or may not bind, and jobs on it.
func randomSite(rng *rand.Rand, nproc, nitem, njobs int, shared bool) (*Site, []*job) {
	st := &Site{ID: "r", Policy: Policy{MaxHoursPerDay: 12, MaxHoursPerWeek: 72, DaysPerWeek: 6, Absence: 0.1}}
	st.Workers = float64(20 + rng.IntN(400))
	if shared {
		st.PowerGiven, st.KWhPerDay = true, float64(500+rng.IntN(20000))
	} else {
		st.Workers = 1e6
		nitem = nproc
	}
	for i := 0; i < nitem; i++ {
		st.Receipts = append(st.Receipts, Receipt{Item: fmt.Sprint("item", i), Quantity: float64(1 + rng.IntN(500)), Stock: true})
	}
	for i := 0; i < nproc; i++ {
		item := i % nitem
		if shared {
			item = rng.IntN(nitem)
		}
		pr := &Process{ID: fmt.Sprint("p", i), Input: fmt.Sprint("item", item), Output: "x", Unit: "t", InputUnit: "t",
			Yield: 0.1 + rng.Float64()*0.9, Lines: 1 + rng.IntN(8), Rate: 0.01 + rng.Float64(), Availability: 0.5 + rng.Float64()/2,
			Crew: 1 + rng.IntN(30), KWhPerOutput: float64(rng.IntN(3000))}
		st.Processes = append(st.Processes, pr)
	}
	st.allow([]Pattern{{1, 8}, {2, 8}, {2, 10}, {3, 8}})
	var jobs []*job
	for i := 0; i < njobs; i++ {
		pr := st.Processes[i%nproc]
		if shared {
			pr = st.Processes[rng.IntN(nproc)]
		}
		out := pr.Rate * pr.Availability * pr.Yield
		jobs = append(jobs, &job{proc: pr, site: st, factor: 1, target: float64(1 + rng.IntN(300)),
			in: 1 / pr.Yield, lh: 1 / out, wh: float64(pr.Crew) / out, kwh: pr.KWhPerOutput})
	}
	return st, jobs
}

// feasibleAt reports whether an allocation keeps within every resource.
func feasibleAt(r *resources, jobs []*job, alloc []float64) error {
	u := newUsage()
	for i, j := range jobs {
		if alloc[i] < -1e-9 || alloc[i] > j.target*(1+1e-9) {
			return fmt.Errorf("line %d: %v outside [0, %v]", i, alloc[i], j.target)
		}
		u.add(j, alloc[i])
	}
	tol := func(x float64) float64 { return 1e-6 * math.Max(1, math.Abs(x)) }
	for k, q := range u.item {
		if q > r.item[k]+tol(r.item[k]) {
			return fmt.Errorf("item %s: %v of %v", k, q, r.item[k])
		}
	}
	for p, h := range u.lineH {
		if c := math.Min(r.lineH[p], r.staffH[p]); h > c+tol(c) {
			return fmt.Errorf("process %s: %v line-hours of %v", p.ID, h, c)
		}
	}
	if u.workerH > r.workerH+tol(r.workerH) {
		return fmt.Errorf("worker-hours %v of %v", u.workerH, r.workerH)
	}
	if u.kwh > r.kwh+tol(r.kwh) {
		return fmt.Errorf("kWh %v of %v", u.kwh, r.kwh)
	}
	return nil
}

// TestLPNeverWorseThanGreedy: on random sites whose lines share stock,
// lines, workers and power, the programme's allocation keeps within every
// resource and its weighted shortfall is never above the greedy pass's;
// on some it is well below (the pass is order-dependent).
func TestLPNeverWorseThanGreedy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	better := 0
	for n := 0; n < 300; n++ {
		st, jobs := randomSite(rng, 1+rng.IntN(4), 1+rng.IntN(3), 2+rng.IntN(10), true)
		for _, pat := range st.Patterns() {
			r := newResources(st, march, pat)
			g := greedy(r, jobs)
			l, err := lpAlloc(r, jobs)
			if err != nil {
				t.Fatalf("instance %d %s: %v", n, pat, err)
			}
			if err := feasibleAt(r, jobs, l); err != nil {
				t.Fatalf("instance %d %s: LP allocation infeasible: %v", n, pat, err)
			}
			if err := feasibleAt(r, jobs, g); err != nil {
				t.Fatalf("instance %d %s: greedy allocation infeasible: %v", n, pat, err)
			}
			sg, sl := shortfall(jobs, g), shortfall(jobs, l)
			if sl > sg+1e-7 {
				t.Fatalf("instance %d %s: LP shortfall %v above greedy %v", n, pat, sl, sg)
			}
			if sl < sg-1e-3 {
				better++
			}
		}
	}
	if better == 0 {
		t.Error("the LP never did better than greedy: the instances share nothing")
	}
	t.Logf("LP strictly better on %d instance-patterns", better)
}

// TestLPEqualsGreedyWhenNothingShared: each line with its own process and
// item, workers to spare and no power limit: both give every line the
// least of its own limits.
func TestLPEqualsGreedyWhenNothingShared(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 200; n++ {
		k := 1 + rng.IntN(8)
		st, jobs := randomSite(rng, k, k, k, false)
		for _, pat := range st.Patterns() {
			r := newResources(st, march, pat)
			g := greedy(r, jobs)
			l, err := lpAlloc(r, jobs)
			if err != nil {
				t.Fatal(err)
			}
			for i := range g {
				if math.Abs(g[i]-l[i]) > 1e-6*math.Max(1, g[i]) {
					t.Fatalf("instance %d %s line %d: greedy %v, LP %v", n, pat, i, g[i], l[i])
				}
			}
		}
	}
}

// TestSharedStockHandWorked: 100 t of ore at yield 0.5 make 50 t, asked
// for by two lines of 50 t and 10 t. In plan order the first takes all 50
// and the second nothing (shortfall 10/10 = 1 of a line); the programme
// gives the second its 10 and the first 40 (shortfall 10/50 = 0.2).
func TestSharedStockHandWorked(t *testing.T) {
	doc := `
policy: {max_hours_per_day: 8, max_hours_per_week: 48, days_per_week: 5}
shift_patterns: [1x8]
sites:
  - id: s
    workers: 1000
    stock: [{item: ore, quantity: 100}]
    processes:
      - {id: w, input: ore, output: tungsten concentrate, hs: "2611", yield: 0.5, lines: 10, rate: 10, crew: 1}
      - {id: m, input: ore, output: molybdenum concentrate, hs: "2613", yield: 0.5, lines: 10, rate: 10, crew: 1}
`
	s := sitesOf(t, doc)
	p := &tradeplan.Plan{Period: march, Lines: []tradeplan.Line{exportLine(1, "s", "261100", 50), exportLine(2, "s", "261390", 10)}}
	want := map[string][2]float64{Greedy: {50, 0}, LP: {40, 10}}
	for solver, w := range want {
		fs, err := Check(p, nil, s, Options{Solver: solver})
		if err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if math.Abs(fs[i].Quantity-w[i]) > 1e-6 || fs[i].Solver != solver {
				t.Errorf("%s line %d: quantity %v (%s), want %v", solver, i+1, fs[i].Quantity, fs[i].Solver, w[i])
			}
		}
		if solver == LP {
			// Given the other line's 10 t, the first can have 40 t of material.
			if got := limit(fs[0], "material"); math.Abs(got-40) > 1e-6 || fs[0].Binding != "material" {
				t.Errorf("LP line 1: material %v binding %s", got, fs[0].Binding)
			}
		}
	}
}

// TestCheckLPEqualsGreedyAcrossSites: lines on different sites share
// nothing, and the two solvers write the same blocks.
func TestCheckLPEqualsGreedyAcrossSites(t *testing.T) {
	doc := `
policy: {max_hours_per_day: 12, max_hours_per_week: 60, days_per_week: 6, absence: 0.1}
shift_patterns: [1x8, 2x8, 2x10]
sites:
  - {id: a, workers: 50, power: {kwh_per_day: 2000}, stock: [{item: ore, quantity: 300}], processes: [{id: p, input: ore, output: c, hs: "2611", yield: 0.3, lines: 3, rate: 0.5, crew: 8, kwh_per_tonne: 400}]}
  - {id: b, workers: 20, stock: [{item: hair, quantity: 5}], supply: [{item: hair, month: 2027-03, quantity: 2, shelf_days: 10}], processes: [{id: p, input: hair, output: wigs, hs: "6704", yield: 0.8, lines: 4, rate: 0.002, crew: 6}]}
`
	s := sitesOf(t, doc)
	p := &tradeplan.Plan{Period: march, Lines: []tradeplan.Line{exportLine(1, "a", "261100", 80), exportLine(2, "b", "670411", 3)}}
	g, err := Check(p, nil, s, Options{Solver: Greedy})
	if err != nil {
		t.Fatal(err)
	}
	l, err := Check(p, nil, s, Options{Solver: LP})
	if err != nil {
		t.Fatal(err)
	}
	for i := range g {
		a, b := *g[i], *l[i]
		a.Solver, b.Solver = "", ""
		if fmt.Sprint(a.Constraints) != fmt.Sprint(b.Constraints) || a.Quantity != b.Quantity || a.Pattern != b.Pattern || a.Binding != b.Binding {
			t.Errorf("line %d: greedy %+v\nLP %+v", i+1, a, b)
		}
	}
}

// gonumMax solves max c·x, A x ≤ b, 0 ≤ x ≤ u with gonum's lp.Simplex in
// standard form (a row and a slack per bound): the reference the bounded
// simplex is held to.
func gonumMax(cols [][]float64, b, c, u []float64) (float64, error) {
	n, m := len(cols), len(b)
	rows := m + n
	A := mat.NewDense(rows, n+rows, nil)
	rhs := make([]float64, rows)
	cost := make([]float64, n+rows)
	for j := 0; j < n; j++ {
		cost[j] = -c[j]
		for k := 0; k < m; k++ {
			A.Set(k, j, cols[j][k])
		}
		A.Set(m+j, j, 1)
		rhs[m+j] = u[j]
	}
	for k := 0; k < m; k++ {
		rhs[k] = b[k]
	}
	basic := make([]int, rows)
	for i := 0; i < rows; i++ {
		A.Set(i, n+i, 1)
		basic[i] = n + i
	}
	opt, _, err := lp.Simplex(cost, A, rhs, 1e-10, basic)
	return -opt, err
}

// TestBoundedSimplexMatchesGonum: on random programmes with dense and
// sparse columns, bounds that bind and bounds that do not, the bounded
// simplex reaches gonum's optimum and stays within every row and bound.
func TestBoundedSimplexMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 300; n++ {
		nv, m := 1+rng.IntN(25), rng.IntN(6)
		cols := make([][]float64, nv)
		c, u, b := make([]float64, nv), make([]float64, nv), make([]float64, m)
		for k := range b {
			b[k] = float64(rng.IntN(3)) // 0 rows too: the degenerate case
		}
		for j := range cols {
			cols[j] = make([]float64, m)
			for k := range cols[j] {
				if rng.IntN(3) > 0 {
					cols[j][k] = rng.Float64()
				}
			}
			c[j] = rng.Float64() + 0.01
			u[j] = rng.Float64() * 3
		}
		x, err := boundedSimplex(cols, b, c, u)
		if err != nil {
			t.Fatalf("instance %d: %v", n, err)
		}
		got := 0.0
		for j := range x {
			if x[j] < -1e-9 || x[j] > u[j]+1e-9 {
				t.Fatalf("instance %d: x[%d] = %v outside [0, %v]", n, j, x[j], u[j])
			}
			got += c[j] * x[j]
		}
		for k := range b {
			s := 0.0
			for j := range x {
				s += cols[j][k] * x[j]
			}
			if s > b[k]+1e-7 {
				t.Fatalf("instance %d: row %d = %v above %v", n, k, s, b[k])
			}
		}
		want, err := gonumMax(cols, b, c, u)
		if err != nil {
			t.Fatalf("instance %d: gonum: %v", n, err)
		}
		if math.Abs(got-want) > 1e-7*math.Max(1, want) {
			t.Fatalf("instance %d: objective %v, gonum's %v", n, got, want)
		}
	}
}
