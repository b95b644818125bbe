package screen

// The CSV and text report writers as they were before they appended into
// reused buffers (issue 13 item 1), kept as the reference the new writers
// must match byte for byte (TestReportWritersMatchReference).

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// CSV: one row per line, plans one after another under one header.
type refCSVWriter struct {
	bw     buffered
	w      *csv.Writer
	plan   string
	lists  string // the plan's lists, or its notices when none
	header bool
	feas   bool // the feasibility columns follow
	row    []string
}

func (c *refCSVWriter) BeginPlan(h PlanHeader) error {
	c.plan = h.ID
	c.lists = refListsText(h)
	if !c.header {
		c.header = true
		c.feas = h.Feasibility
		cols := csvColumns
		if c.feas {
			cols = slices.Concat(cols, refFeasibilityColumns())
		}
		return c.w.Write(cols)
	}
	return nil
}

// refFeasibilityColumns are the CSV columns of the feasibility block, named
// as in the feasibility command's CSV report with "feasibility_" before.
func refFeasibilityColumns() []string {
	cols := slices.Clone(tradeplan.FeasibilityColumns)
	for i := range cols {
		cols[i] = "feasibility_" + cols[i]
	}
	return cols
}

func (c *refCSVWriter) Line(r *tradeplan.LineReport) error {
	var rules, cites, sums []string
	for _, f := range r.Findings {
		if f.Rule() != "" {
			rules = append(rules, f.Rule())
		}
		if f.Citation() != "" {
			cites = append(cites, f.Citation())
		}
		sums = append(sums, f.Outcome.String()+": "+f.Summary)
	}
	partner := ""
	if r.Partner != nil {
		partner = r.Partner.Name
	}
	c.row = append(c.row[:0], c.plan, strconv.Itoa(r.Index), r.Pos, string(r.Direction), r.Description,
		r.Origin, r.Destination, refNum(r.Quantity), r.Unit, refNum(r.Value), r.Currency, partner,
		r.HS.Code, r.HS.Source, strconv.FormatFloat(r.HS.Confidence, 'f', 2, 64),
		r.Verdict.String(), strings.Join(rules, ";"), strings.Join(cites, ";"), strings.Join(sums, " | "), c.lists)
	if c.feas {
		c.row = append(c.row, r.Feasibility.Row()...)
	}
	return c.w.Write(tradeplan.CSVRow(c.row))
}

// refNum writes a figure exactly; zero (not given) as nothing.
func refNum(f tradeplan.Decimal) string {
	if f.IsZero() {
		return ""
	}
	return f.String()
}

func (c *refCSVWriter) EndPlan(tradeplan.Summary) error { return nil }

func (c *refCSVWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// Text: an aligned table a line per row, each line that is not clear
// followed by its findings, then the summary.
type refTextWriter struct {
	w     buffered
	color bool
	plans int
}

func (t *refTextWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

func (t *refTextWriter) verdictColor(v tradeplan.Verdict) string {
	switch v {
	case tradeplan.Prohibited:
		return ansiRed + ansiBold
	case tradeplan.Review:
		return ansiYellow
	case tradeplan.Capped:
		return ansiCyan
	}
	return ansiGreen
}

const refDescWidth = 30

func (t *refTextWriter) BeginPlan(h PlanHeader) error {
	if t.plans > 0 {
		t.w.WriteString("\n")
	}
	t.plans++
	title := "Plan " + h.ID
	if h.Organisation != "" {
		title += " — " + h.Organisation
	}
	var meta []string
	if h.Country != "" {
		meta = append(meta, "country "+h.Country)
	}
	if h.Period != "" {
		meta = append(meta, "period "+h.Period)
	}
	if h.File != "" {
		meta = append(meta, "file "+h.File)
	}
	meta = append(meta, "rules as of "+h.AsOf)
	fmt.Fprintf(t.w, "%s\n%s\n", t.paint(ansiBold, title), strings.Join(meta, ", "))
	if len(h.Notices) > 0 {
		for _, n := range h.Notices {
			fmt.Fprintf(t.w, "%s\n", t.paint(ansiRed+ansiBold, "NOTE: "+n))
		}
	} else if len(h.Lists) > 0 {
		fmt.Fprintf(t.w, "partners and vessels screened against %s\n", refListsText(h))
	}
	t.w.WriteString("\n")
	_, err := fmt.Fprintf(t.w, "%4s  %-6s  %-*s  %-8s  %-5s  %-10s  %s\n", "#", "DIR", refDescWidth, "GOODS", "HS", "ROUTE", "VERDICT", "BASIS")
	return err
}

func (t *refTextWriter) Line(r *tradeplan.LineReport) error {
	hs := r.HS.Code
	switch {
	case hs == "":
		hs = "-"
	case r.HS.Source == "classified":
		hs += "*"
	}
	route := refOrDash(r.Origin) + ">" + refOrDash(r.Destination)
	basis := ""
	for _, f := range r.Findings {
		if f.Outcome == r.Verdict && r.Verdict != tradeplan.Clear {
			basis = refFindingLabel(f)
			break
		}
	}
	v := strings.ToUpper(r.Verdict.String())
	if basis != "" {
		v = fmt.Sprintf("%-10s", v)
		basis = "  " + basis
	}
	fmt.Fprintf(t.w, "%4d  %-6s  %s  %-8s  %-5s  %s%s\n", r.Index, refOrDash(string(r.Direction)),
		refPad(r.Description, refDescWidth), hs, route, t.paint(t.verdictColor(r.Verdict), v), basis)
	if r.Verdict == tradeplan.Clear {
		t.feasibility(r.Feasibility)
		return nil
	}
	for _, f := range r.Findings {
		if f.Outcome == tradeplan.Clear && f.Kind != tradeplan.KindClassification {
			continue
		}
		line := fmt.Sprintf("%-10s %-14s %s", f.Outcome, f.Kind, refFindingText(f))
		fmt.Fprintf(t.w, "%6s%s\n", "", t.paint(ansiDim, line))
	}
	t.feasibility(r.Feasibility)
	return nil
}

// feasibility writes a line's feasibility block, when it has one, under
// it: what can be delivered and what binds, the others' slack, and the
// proposal for the target.
func (t *refTextWriter) feasibility(f *tradeplan.Feasibility) {
	if f == nil {
		return
	}
	label := fmt.Sprintf("%-10s %-14s ", "feasible", "feasibility")
	if !f.Assessed {
		label = fmt.Sprintf("%-10s %-14s ", "-", "feasibility")
		line := label + f.Reason
		if f.Citation != "" {
			line += " (" + f.Citation + ")"
		}
		fmt.Fprintf(t.w, "%6s%s\n", "", t.paint(ansiDim, line))
		return
	}
	if f.Short() {
		label = fmt.Sprintf("%-10s %-14s ", "short", "feasibility")
	}
	var slack []string
	bind := ""
	for _, c := range f.Constraints {
		if c.Name == f.Binding {
			bind = fmt.Sprintf("%s %s", c.Name, refFnum(c.Limit))
			continue
		}
		slack = append(slack, fmt.Sprintf("%s %s", c.Name, refFnum(c.Slack)))
	}
	line := fmt.Sprintf("%s%s of %s %s from %s/%s under %s (%s h a day, %s a week); binding %s; slack %s",
		label, refFnum(f.Quantity), refFnum(f.Target), f.Unit, f.Site, f.Process, f.Pattern, refFnum(f.HoursPerWorkerDay), refFnum(f.HoursPerWorkerWeek),
		bind, strings.Join(slack, ", "))
	fmt.Fprintf(t.w, "%6s%s\n", "", t.paint(ansiDim, line))
	if p := f.Proposal; f.Short() && p != nil {
		prop := "proposal " + p.String()
		if !p.Met {
			prop = "no proposal: " + p.Reason
		}
		fmt.Fprintf(t.w, "%6s%s\n", "", t.paint(ansiDim, fmt.Sprintf("%-10s %-14s %s", "", "", prop)))
	}
	if len(f.DefaultsUsed) > 0 {
		fmt.Fprintf(t.w, "%6s%s\n", "", t.paint(ansiDim, fmt.Sprintf("%-10s %-14s %d figures from the table of defaults (see the JSON report)", "", "", len(f.DefaultsUsed))))
	}
}

func refFnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func refFindingLabel(f tradeplan.Finding) string {
	switch {
	case f.Citation() != "":
		return f.Citation()
	case (f.Kind == tradeplan.KindParty || f.Kind == tradeplan.KindVessel) && f.Match != nil:
		return fmt.Sprintf("%s %s %s (%.2f)", f.List(), f.EntryID(), f.Name(), f.Score())
	}
	return f.Summary
}

func refFindingText(f tradeplan.Finding) string {
	var b strings.Builder
	switch f.Kind {
	case tradeplan.KindParty, tradeplan.KindVessel:
		fmt.Fprintf(&b, "%s %s %q matches %q, score %.2f (%s)", f.List(), f.EntryID(), f.Query(), f.Name(), f.Score(), f.Strength())
		if f.Explanation != "" {
			b.WriteString(": " + f.Explanation)
		}
	default:
		if f.Citation() != "" {
			b.WriteString(f.Citation())
			if f.Rule() != "" {
				b.WriteString(" [" + f.Rule() + "]")
			}
			b.WriteString(": ")
		}
		b.WriteString(f.Summary)
	}
	if f.Cap != nil {
		fmt.Fprintf(&b, " (cap %s: limit %s %s, used %s, this line %s, remaining %s",
			f.Cap.Cap, refNum0(f.Cap.Limit), f.Cap.Unit, refNum0(f.Cap.Used), refNum0(f.Cap.Quantity), refNum0(f.Cap.Remaining))
		if f.Cap.Excess.Sign() > 0 {
			fmt.Fprintf(&b, ", excess %s", refNum0(f.Cap.Excess))
		}
		b.WriteString(")")
	}
	if len(f.Missing) > 0 {
		b.WriteString("; missing: " + strings.Join(f.Missing, ", "))
	}
	if d := f.Decision(); d != "" {
		b.WriteString("; decision: " + d)
	}
	if s := f.Status(); s != "" && s != "verified" {
		b.WriteString(" [" + s + "]")
	}
	return b.String()
}

func refNum0(f tradeplan.Decimal) string { return f.String() }

func (t *refTextWriter) EndPlan(s tradeplan.Summary) error {
	_, err := fmt.Fprintf(t.w, "\n%d lines: %s, %s, %s, %s   (* = HS code classified from the description)\n", s.Lines,
		t.paint(ansiRed+ansiBold, fmt.Sprintf("%d prohibited", s.Prohibited)),
		t.paint(ansiCyan, fmt.Sprintf("%d capped", s.Capped)),
		t.paint(ansiYellow, fmt.Sprintf("%d review", s.Review)),
		t.paint(ansiGreen, fmt.Sprintf("%d clear", s.Clear)))
	return err
}

func (t *refTextWriter) Close() error { return t.w.Flush() }

func refOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// refPad cuts or pads s to n runes.
func refPad(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if c > n {
		r := []rune(s)
		return string(r[:n-1]) + "…"
	}
	return s + strings.Repeat(" ", n-c)
}

// refListsText is the lists of a report as "un 2026-02-27, ofac 4f2c...", or
// its notices when it has any.
func refListsText(h PlanHeader) string {
	if len(h.Notices) > 0 {
		return strings.Join(h.Notices, "; ")
	}
	parts := make([]string, len(h.Lists))
	for i, l := range h.Lists {
		parts[i] = l.Name + " " + l.Version
	}
	return strings.Join(parts, ", ")
}
