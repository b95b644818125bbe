package tradeplan

import (
	"fmt"
	"strconv"
	"strings"
)

// Feasibility is the export-feasibility block of one export line: whether
// the site named as its source can deliver it in the plan's period, the
// constraint that binds, and what the target would need. The figures are
// in the line's unit (Unit) unless a constraint says otherwise; package
// feasibility computes it, docs/feasibility.md defines every field.
type Feasibility struct {
	// Assessed is false for a line that is not assessed (a prohibited
	// line, an import, a line with no source site); Reason says why and,
	// for a prohibited line, Citation cites the finding.
	Assessed bool   `json:"assessed"`
	Reason   string `json:"reason,omitempty"`
	Citation string `json:"citation,omitempty"`

	Site    string `json:"site,omitempty"`
	Process string `json:"process,omitempty"`
	// Target is what the line asks for; Quantity what the site can
	// deliver of it (never more than Target); Capacity the most the site
	// could make for this line under Pattern, given the other lines.
	Target   float64 `json:"target"`
	Quantity float64 `json:"quantity"`
	Capacity float64 `json:"capacity"`
	Unit     string  `json:"unit,omitempty"`
	// Binding names the constraint that sets Capacity: material,
	// storage, line_hours, labour or power.
	Binding     string       `json:"binding,omitempty"`
	Constraints []Constraint `json:"constraints,omitempty"`
	// Pattern is the shift pattern the figures are for (NxH); the
	// proposal for the target, when the target is short, is Proposal.
	Pattern            string    `json:"pattern,omitempty"`
	HoursPerWorkerDay  float64   `json:"hours_per_worker_day,omitempty"`
	HoursPerWorkerWeek float64   `json:"hours_per_worker_week,omitempty"`
	WorkingDays        int       `json:"working_days,omitempty"`
	Proposal           *Proposal `json:"proposal,omitempty"`
	// ExtraWorkers is the workers the site would need beyond its own for
	// the proposal (0 when none).
	ExtraWorkers int `json:"extra_workers"`
	// DefaultsUsed lists each figure taken from the table of defaults
	// because the site file left it out, with its value and source.
	DefaultsUsed []string `json:"defaults_used,omitempty"`
	// Solver is "greedy" (lines of a site in plan order) or "lp" (the
	// site's lines solved together).
	Solver string `json:"solver,omitempty"`
}

// Constraint is one limit on a line's quantity: Limit is the most it
// allows (in the line's unit), Slack what is left of it beyond the
// quantity delivered; Detail gives the figures it was computed from.
type Constraint struct {
	Name   string  `json:"name"`
	Limit  float64 `json:"limit"`
	Slack  float64 `json:"slack"`
	Detail string  `json:"detail,omitempty"`
}

// Proposal is what a line's target would need: the first allowed shift
// pattern that meets it, with the hours it asks of each worker, and the
// extra workers when it meets it only with more crews. Met is false when
// no pattern the policy allows meets it; Reason then says what stops it.
type Proposal struct {
	Met                bool    `json:"met"`
	Pattern            string  `json:"pattern,omitempty"`
	HoursPerWorkerDay  float64 `json:"hours_per_worker_day,omitempty"`
	HoursPerWorkerWeek float64 `json:"hours_per_worker_week,omitempty"`
	ExtraWorkers       int     `json:"extra_workers"`
	Reason             string  `json:"reason,omitempty"`
}

// Short reports whether an assessed line's target is not met in full.
func (f *Feasibility) Short() bool {
	return f != nil && f.Assessed && f.Quantity < f.Target
}

// FeasibilityColumns name the fields of a block in a CSV report, in the
// order of Row.
var FeasibilityColumns = []string{"assessed", "reason", "citation", "site", "process",
	"target", "quantity", "capacity", "unit", "binding", "pattern", "hours_per_worker_day", "hours_per_worker_week", "working_days",
	"proposal", "extra_workers", "constraints", "defaults_used", "solver"}

// Row is the block as CSV fields, in the order of FeasibilityColumns; all
// empty for no block (an import).
func (f *Feasibility) Row() []string {
	row := make([]string, 0, len(FeasibilityColumns))
	if f == nil {
		return append(row, make([]string, len(FeasibilityColumns))...)
	}
	row = append(row, strconv.FormatBool(f.Assessed), f.Reason, f.Citation, f.Site, f.Process)
	if !f.Assessed {
		return append(row, make([]string, len(FeasibilityColumns)-len(row))...)
	}
	var cons []string
	for _, c := range f.Constraints {
		cons = append(cons, fmt.Sprintf("%s %s (slack %s)", c.Name, ffig(c.Limit), ffig(c.Slack)))
	}
	return append(row, ffig(f.Target), ffig(f.Quantity), ffig(f.Capacity), f.Unit, f.Binding, f.Pattern,
		ffig(f.HoursPerWorkerDay), ffig(f.HoursPerWorkerWeek), strconv.Itoa(f.WorkingDays), f.Proposal.String(),
		strconv.Itoa(f.ExtraWorkers), strings.Join(cons, "; "), strings.Join(f.DefaultsUsed, "; "), f.Solver)
}

// String is the proposal in words: "2x10 (10 h a day, 60 a week per
// worker) with 5 extra workers", or "none: " and why.
func (p *Proposal) String() string {
	switch {
	case p == nil:
		return ""
	case !p.Met:
		return "none: " + p.Reason
	case p.ExtraWorkers > 0:
		return fmt.Sprintf("%s (%s h a day, %s a week per worker) with %d extra workers", p.Pattern, ffig(p.HoursPerWorkerDay), ffig(p.HoursPerWorkerWeek), p.ExtraWorkers)
	}
	return fmt.Sprintf("%s (%s h a day, %s a week per worker)", p.Pattern, ffig(p.HoursPerWorkerDay), ffig(p.HoursPerWorkerWeek))
}

func ffig(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
