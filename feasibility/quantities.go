package feasibility

import "github.com/tradeplan/tradeplan"

// LineQuantity is what an export line can deliver, for the import
// budget: Quantity of Target in Unit. Assessed is false for a line not
// assessed (prohibited, or without a source site); its Quantity is then 0
// for a prohibited line and its Target otherwise (nothing says it cannot
// be delivered).
type LineQuantity struct {
	Index    int // the line's 1-based index in the plan
	Assessed bool
	Target   float64
	Quantity float64
	Unit     string
}

// Share is the part of the target that can be delivered, in [0, 1].
func (q LineQuantity) Share() float64 {
	if q.Target <= 0 {
		return 0
	}
	return min(1, max(0, q.Quantity/q.Target))
}

// FeasibleQuantities returns each export line's feasible quantity, in
// plan order, given the plan p, its screening report rep and the site
// file: the export-feasibility check (Check, greedy unless opts says
// otherwise) reduced to one figure a line. A prohibited line counts
// nothing. A problem of the plan's lines against the site file is an
// EInvalid error, as from Check.
func FeasibleQuantities(p *tradeplan.Plan, rep *tradeplan.PlanReport, sites *Sites, opts Options) ([]LineQuantity, error) {
	fs, err := Check(p, rep, sites, opts)
	if err != nil {
		return nil, err
	}
	var out []LineQuantity
	for i, f := range fs {
		if f == nil {
			continue
		}
		l := &p.Lines[i]
		q := LineQuantity{Index: l.Index, Assessed: f.Assessed, Target: l.Quantity.Float64(), Unit: l.Unit}
		switch {
		case f.Assessed:
			q.Quantity = f.Quantity
		case rep != nil && rep.Lines[i].Verdict == tradeplan.Prohibited:
			q.Quantity = 0
		default:
			q.Quantity = q.Target
		}
		out = append(out, q)
	}
	return out, nil
}
