package feasibility

import (
	"math"
)

// solveLP allocates the lines of one site together: it maximises the
// weighted quantity delivered (so minimises weighted shortfall) subject to
// every line at most its target and the site's shared resources under the
// pattern of r: each input item, each process's line-hours (and the
// line-hours its crews can staff), the site's worker-hours and its power.
// The greedy allocation satisfies the same rows, so the programme's
// shortfall is never above the greedy pass's; with one line per site both
// give the least of the line's own limits. On a solver failure it falls
// back to the greedy allocation.
func solveLP(r *resources, jobs []*job) []float64 {
	g := greedy(r, jobs)
	alloc, err := lpAlloc(r, jobs)
	// The solver's tolerance aside, never report less than the greedy
	// pass delivers.
	if err != nil || shortfall(jobs, alloc) > shortfall(jobs, g)+1e-9 {
		return g
	}
	return alloc
}

// lpAlloc is the linear programme's allocation, as the solver returns it.
func lpAlloc(r *resources, jobs []*job) ([]float64, error) {
	alloc := make([]float64, len(jobs))
	pr := program(r, jobs)
	if len(pr.vars) == 0 {
		return alloc, nil
	}
	y, err := boundedSimplex(pr.cols, pr.b, pr.c, pr.u)
	if err != nil {
		return nil, err
	}
	for v, i := range pr.vars {
		alloc[i] = math.Max(0, math.Min(jobs[i].target, y[v]))
	}
	return alloc, nil
}

// programme is the linear programme of a site's lines: maximise c·x subject to
// cols·x ≤ b and 0 ≤ x ≤ u, x the quantities of the lines vars.
type programme struct {
	vars    []int
	cols    [][]float64
	b, c, u []float64
}

func program(r *resources, jobs []*job) programme {
	n := len(jobs)
	type row struct {
		coef []float64
		rhs  float64
	}
	var rows []row
	addRow := func(rhs float64, c func(j *job) float64) {
		if math.IsInf(rhs, 1) {
			return
		}
		co := make([]float64, n)
		any := false
		for i, j := range jobs {
			co[i] = c(j)
			any = any || co[i] > 0
		}
		if any {
			rows = append(rows, row{co, rhs})
		}
	}
	for k, q := range r.item {
		addRow(q, func(j *job) float64 {
			if itemKey(j.proc.Input) == k {
				return j.in
			}
			return 0
		})
	}
	// An input item no receipt names: nothing of it.
	addRow(0, func(j *job) float64 {
		if _, ok := r.item[itemKey(j.proc.Input)]; !ok {
			return 1
		}
		return 0
	})
	procs := map[*Process]bool{}
	for _, j := range jobs {
		procs[j.proc] = true
	}
	for p := range procs {
		addRow(math.Min(r.lineH[p], r.staffH[p]), func(j *job) float64 {
			if j.proc == p {
				return j.lh
			}
			return 0
		})
	}
	addRow(r.workerH, func(j *job) float64 { return j.wh })
	addRow(r.kwh, func(j *job) float64 { return j.kwh })

	// A row with nothing to give fixes its lines at zero; the others are
	// scaled to a right-hand side of 1.
	fixed := make([]bool, n)
	var keep []row
	for _, rw := range rows {
		if rw.rhs <= 1e-12 {
			for i, c := range rw.coef {
				if c > 0 {
					fixed[i] = true
				}
			}
			continue
		}
		for i := range rw.coef {
			rw.coef[i] /= rw.rhs
		}
		rw.rhs = 1
		keep = append(keep, rw)
	}
	var vars []int
	for i := range jobs {
		if !fixed[i] && jobs[i].target > 0 {
			vars = append(vars, i)
		}
	}
	// A column per line, its bound its target, its weight the weight of
	// its shortfall.
	w := weights(jobs)
	cols := make([][]float64, len(vars))
	b := make([]float64, len(keep))
	c := make([]float64, len(vars))
	u := make([]float64, len(vars))
	for k, rw := range keep {
		b[k] = rw.rhs
	}
	for v, i := range vars {
		cols[v] = make([]float64, len(keep))
		for k, rw := range keep {
			cols[v][k] = rw.coef[i]
		}
		c[v], u[v] = w[i], jobs[i].target
	}
	return programme{vars: vars, cols: cols, b: b, c: c, u: u}
}
