package feasibility

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
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
	alloc := make([]float64, n)
	if len(vars) == 0 {
		return alloc, nil
	}
	// Variables y_v = x_v / target_v in [0, 1]; one slack per row.
	nv := len(vars)
	m := nv + len(keep)
	cols := nv + m
	A := mat.NewDense(m, cols, nil)
	b := make([]float64, m)
	c := make([]float64, cols)
	w := weights(jobs)
	for v, i := range vars {
		c[v] = -w[i] * jobs[i].target
		A.Set(v, v, 1) // y_v + s = 1
		A.Set(v, nv+v, 1)
		b[v] = 1
	}
	for k, rw := range keep {
		for v, i := range vars {
			A.Set(nv+k, v, rw.coef[i]*jobs[i].target)
		}
		A.Set(nv+k, nv+nv+k, 1)
		b[nv+k] = 1
	}
	basic := make([]int, m)
	for k := range basic {
		basic[k] = nv + k
	}
	_, y, err := lp.Simplex(c, A, b, 1e-10, basic)
	if err != nil {
		return nil, err
	}
	for v, i := range vars {
		alloc[i] = math.Max(0, math.Min(1, y[v])) * jobs[i].target
	}
	return alloc, nil
}
