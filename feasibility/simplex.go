package feasibility

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// errSimplex is a linear programme the solver could not finish.
var errSimplex = errors.New("feasibility: the simplex did not converge")

// boundedSimplex maximises c·x subject to A x ≤ b and 0 ≤ x ≤ u, where
// cols[j] is column j of A (m rows: a site's shared resources, a handful),
// b ≥ 0 and u may hold +Inf. It is the primal simplex with bounded
// variables: a variable at its upper bound stays out of the basis, so the
// basis is m x m whatever the number of lines. (gonum's lp.Simplex takes
// the standard form, where every line's bound is a row of its own: its
// basis grows with the lines, and 1,000 lines took 13.7 s; the tests hold
// this solver to its optimum on random programmes.) The m x m systems are
// solved with gonum's LU.
func boundedSimplex(cols [][]float64, b, c, u []float64) ([]float64, error) {
	n, m := len(cols), len(b)
	N := n + m // the lines, then a slack per row
	col := func(j int) []float64 {
		if j < n {
			return cols[j]
		}
		return nil // slack j-n: the unit vector
	}
	colAt := func(j, i int) float64 {
		if j < n {
			return cols[j][i]
		}
		if j-n == i {
			return 1
		}
		return 0
	}
	cost := func(j int) float64 {
		if j < n {
			return c[j]
		}
		return 0
	}
	upper := func(j int) float64 {
		if j < n {
			return u[j]
		}
		return math.Inf(1)
	}
	basic := make([]int, m)
	pos := make([]int, N) // position in the basis, or -1
	atUpper := make([]bool, N)
	x := make([]float64, N)
	for j := range pos {
		pos[j] = -1
	}
	for i := 0; i < m; i++ {
		basic[i] = n + i
		pos[n+i] = i
		x[n+i] = b[i]
	}
	if m == 0 {
		for j := 0; j < n; j++ {
			if c[j] > 0 {
				x[j] = u[j]
			}
		}
		return x[:n], nil
	}
	B := mat.NewDense(m, m, nil)
	var lu mat.LU
	y := mat.NewVecDense(m, nil)
	alpha := mat.NewVecDense(m, nil)
	rhs := mat.NewVecDense(m, nil)
	const eps = 1e-9
	degenerate := 0
	for iter := 0; iter < 50*(N+1); iter++ {
		for i, j := range basic {
			for k := 0; k < m; k++ {
				B.Set(k, i, colAt(j, k))
			}
		}
		lu.Factorize(B)
		// The basic values from the nonbasic ones, afresh each time.
		r := make([]float64, m)
		copy(r, b)
		for j := 0; j < N; j++ {
			if pos[j] >= 0 || x[j] == 0 {
				continue
			}
			if cj := col(j); cj != nil {
				for k, a := range cj {
					r[k] -= a * x[j]
				}
			} else {
				r[j-n] -= x[j]
			}
		}
		rhs.SetVec(0, 0)
		for k := range r {
			rhs.SetVec(k, r[k])
		}
		if err := lu.SolveVecTo(alpha, false, rhs); err != nil {
			return nil, err
		}
		for i, j := range basic {
			x[j] = alpha.AtVec(i)
		}
		for i, j := range basic {
			rhs.SetVec(i, cost(j))
		}
		if err := lu.SolveVecTo(y, true, rhs); err != nil {
			return nil, err
		}
		// Pricing: the largest reduced cost, or the first (Bland's rule,
		// which cannot cycle) after a run of degenerate steps.
		bland := degenerate > 20
		q, best, dir := -1, 0.0, 0.0
		for j := 0; j < N; j++ {
			if pos[j] >= 0 {
				continue
			}
			d := cost(j)
			if cj := col(j); cj != nil {
				for k, a := range cj {
					d -= y.AtVec(k) * a
				}
			} else {
				d -= y.AtVec(j - n)
			}
			var s float64
			switch {
			case !atUpper[j] && d > eps:
				s = 1
			case atUpper[j] && d < -eps:
				s = -1
			default:
				continue
			}
			if math.Abs(d) > best {
				q, best, dir = j, math.Abs(d), s
				if bland {
					break
				}
			}
		}
		if q < 0 {
			return x[:n], nil // optimal
		}
		for k := 0; k < m; k++ {
			rhs.SetVec(k, colAt(q, k))
		}
		if err := lu.SolveVecTo(alpha, false, rhs); err != nil {
			return nil, err
		}
		theta, leave := upper(q), -1
		for i, j := range basic {
			a := dir * alpha.AtVec(i)
			var t float64
			switch {
			case a > eps:
				t = math.Max(0, x[j]) / a
			case a < -eps && !math.IsInf(upper(j), 1):
				t = math.Max(0, upper(j)-x[j]) / -a
			default:
				continue
			}
			if t < theta-1e-12 || leave >= 0 && t <= theta+1e-12 && j < basic[leave] {
				theta, leave = t, i
			}
		}
		if math.IsInf(theta, 1) {
			return nil, errSimplex // unbounded: cannot happen with bounded lines
		}
		if theta < 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		x[q] += dir * theta
		if leave < 0 {
			atUpper[q] = !atUpper[q]
			if atUpper[q] {
				x[q] = upper(q)
			} else {
				x[q] = 0
			}
			continue
		}
		l := basic[leave]
		if dir*alpha.AtVec(leave) > 0 {
			x[l], atUpper[l] = 0, false
		} else {
			x[l], atUpper[l] = upper(l), true
		}
		pos[l] = -1
		basic[leave], pos[q], atUpper[q] = q, leave, false
	}
	return nil, errSimplex
}
