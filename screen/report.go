package screen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// Format is an output format of a screening report.
type Format string

const (
	Text Format = "text"
	JSON Format = "json"
	CSV  Format = "csv"
)

// ParseFormat reads an output format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Text, JSON, CSV:
		return f, nil
	}
	return "", tradeplan.Errorf(tradeplan.EInvalid, "unknown output format %q (want text, json or csv)", s)
}

// PlanHeader is what a report writer needs of a plan before its lines.
type PlanHeader struct {
	ID, Organisation, Country, Period, File, AsOf string
	// Lists and Notices are the report's (see tradeplan.PlanReport).
	Lists   []tradeplan.ListVersion
	Notices []string
	// Summary, when known before the lines (a plan screened whole), is
	// written first; else it follows the lines.
	Summary *tradeplan.Summary
	// Feasibility is set when the lines carry export-feasibility blocks
	// (a report made with a site file): the CSV report then has their
	// columns.
	Feasibility bool
}

// ReportWriter writes a report as it is produced: plans one after another,
// each a header, its lines in order, and its summary. Close ends the report
// and flushes.
type ReportWriter interface {
	BeginPlan(h PlanHeader) error
	Line(r *tradeplan.LineReport) error
	EndPlan(s tradeplan.Summary) error
	Close() error
}

// NewReportWriter returns a writer of format f. color turns on ANSI colours
// in the text format.
func NewReportWriter(w io.Writer, f Format, color bool) ReportWriter {
	var bw buffered
	if b, ok := w.(*bytes.Buffer); ok {
		bw = memory{b} // already in memory: a second buffer would copy for nothing
	} else {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	switch f {
	case JSON:
		return &jsonWriter{w: bw}
	case CSV:
		return &csvWriter{bw: bw, w: csv.NewWriter(bw)}
	default:
		return &textWriter{w: bw, color: color}
	}
}

// buffered is what the report writers write to: a bufio.Writer over the
// caller's writer, or the caller's bytes.Buffer.
type buffered interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
	Flush() error
}

type memory struct{ *bytes.Buffer }

func (memory) Flush() error { return nil }

// WriteReport writes a whole report.
func WriteReport(w io.Writer, f Format, color bool, rep tradeplan.Report) error {
	rw := NewReportWriter(w, f, color)
	for i := range rep.Plans {
		p := &rep.Plans[i]
		sum := p.Summary
		if err := rw.BeginPlan(PlanHeader{ID: p.ID, Organisation: p.Organisation, Country: p.Country,
			Period: p.Period, File: p.File, AsOf: p.AsOf, Lists: p.Lists, Notices: p.Notices, Summary: &sum,
			Feasibility: HasFeasibility(p)}); err != nil {
			return err
		}
		for j := range p.Lines {
			if err := rw.Line(&p.Lines[j]); err != nil {
				return err
			}
		}
		if err := rw.EndPlan(p.Summary); err != nil {
			return err
		}
	}
	return rw.Close()
}

// JSON: {"plans": [{..., "summary": {...}, "lines": [...]}]}, the summary
// after the lines when it was not known in advance.
type jsonWriter struct {
	w          buffered
	line       *[]byte // each line's JSON, reused; from lineBuffers
	plans      int
	lines      int
	sumWritten bool
}

func (j *jsonWriter) BeginPlan(h PlanHeader) error {
	if j.plans == 0 {
		j.w.WriteString(`{"plans":[`)
	} else {
		j.w.WriteString(",")
	}
	j.plans++
	j.lines = 0
	j.w.WriteString("{")
	field := func(k, v string, omit bool) {
		if omit && v == "" {
			return
		}
		b, _ := json.Marshal(v)
		fmt.Fprintf(j.w, "%q:%s,", k, b)
	}
	field("id", h.ID, false)
	field("organisation", h.Organisation, true)
	field("country", h.Country, true)
	field("period", h.Period, true)
	field("file", h.File, true)
	field("as_of", h.AsOf, false)
	lists := h.Lists
	if lists == nil {
		lists = []tradeplan.ListVersion{}
	}
	b, _ := json.Marshal(lists)
	fmt.Fprintf(j.w, `"lists":%s,`, b)
	if len(h.Notices) > 0 {
		b, _ := json.Marshal(h.Notices)
		fmt.Fprintf(j.w, `"notices":%s,`, b)
	}
	j.sumWritten = h.Summary != nil
	if h.Summary != nil {
		b, _ := json.Marshal(h.Summary)
		fmt.Fprintf(j.w, `"summary":%s,`, b)
	}
	_, err := j.w.WriteString(`"lines":[`)
	return err
}

func (j *jsonWriter) Line(r *tradeplan.LineReport) error {
	if j.lines > 0 {
		j.w.WriteByte(',')
	}
	j.lines++
	if r.Findings == nil {
		r.Findings = []tradeplan.Finding{}
	}
	if j.line == nil {
		j.line = lineBuffers.Get().(*[]byte)
	}
	b, err := appendLineJSON((*j.line)[:0], r)
	if err != nil {
		return err
	}
	*j.line = b
	_, err = j.w.Write(b)
	return err
}

// lineBuffers keeps the buffers JSON lines are encoded in from report to
// report.
var lineBuffers = sync.Pool{New: func() any { return new([]byte) }}

func (j *jsonWriter) EndPlan(s tradeplan.Summary) error {
	j.w.WriteString("]")
	if !j.sumWritten {
		b, _ := json.Marshal(s)
		fmt.Fprintf(j.w, `,"summary":%s`, b)
	}
	_, err := j.w.WriteString("}")
	return err
}

func (j *jsonWriter) Close() error {
	if j.plans == 0 {
		j.w.WriteString(`{"plans":[`)
	}
	j.w.WriteString("]}\n")
	if j.line != nil && cap(*j.line) <= 64<<10 {
		lineBuffers.Put(j.line)
	}
	j.line = nil
	return j.w.Flush()
}

// HasFeasibility reports whether any line of a plan's report carries an
// export-feasibility block.
func HasFeasibility(p *tradeplan.PlanReport) bool {
	for i := range p.Lines {
		if p.Lines[i].Feasibility != nil {
			return true
		}
	}
	return false
}

// CSV: one row per line, plans one after another under one header.
type csvWriter struct {
	bw     buffered
	w      *csv.Writer
	plan   string
	lists  string // the plan's lists, or its notices when none
	header bool
	feas   bool // the feasibility columns follow
	row    []string
}

var csvColumns = []string{"plan", "index", "pos", "direction", "description", "origin", "destination",
	"quantity", "unit", "value", "currency", "partner", "hs", "hs_source", "hs_confidence",
	"verdict", "rules", "citations", "findings", "lists"}

func (c *csvWriter) BeginPlan(h PlanHeader) error {
	c.plan = h.ID
	c.lists = listsText(h)
	if !c.header {
		c.header = true
		c.feas = h.Feasibility
		cols := csvColumns
		if c.feas {
			cols = slices.Concat(cols, feasibilityColumns())
		}
		return c.w.Write(cols)
	}
	return nil
}

// feasibilityColumns are the CSV columns of the feasibility block, named
// as in the feasibility command's CSV report with "feasibility_" before.
func feasibilityColumns() []string {
	cols := slices.Clone(tradeplan.FeasibilityColumns)
	for i := range cols {
		cols[i] = "feasibility_" + cols[i]
	}
	return cols
}

func (c *csvWriter) Line(r *tradeplan.LineReport) error {
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
		r.Origin, r.Destination, num(r.Quantity), r.Unit, num(r.Value), r.Currency, partner,
		r.HS.Code, r.HS.Source, strconv.FormatFloat(r.HS.Confidence, 'f', 2, 64),
		r.Verdict.String(), strings.Join(rules, ";"), strings.Join(cites, ";"), strings.Join(sums, " | "), c.lists)
	if c.feas {
		c.row = append(c.row, r.Feasibility.Row()...)
	}
	return c.w.Write(c.row)
}

// num writes a figure exactly; zero (not given) as nothing.
func num(f tradeplan.Decimal) string {
	if f.IsZero() {
		return ""
	}
	return f.String()
}

func (c *csvWriter) EndPlan(tradeplan.Summary) error { return nil }

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// Text: an aligned table a line per row, each line that is not clear
// followed by its findings, then the summary.
type textWriter struct {
	w     buffered
	color bool
	plans int
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) verdictColor(v tradeplan.Verdict) string {
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

const descWidth = 30

func (t *textWriter) BeginPlan(h PlanHeader) error {
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
		fmt.Fprintf(t.w, "partners and vessels screened against %s\n", listsText(h))
	}
	t.w.WriteString("\n")
	_, err := fmt.Fprintf(t.w, "%4s  %-6s  %-*s  %-8s  %-5s  %-10s  %s\n", "#", "DIR", descWidth, "GOODS", "HS", "ROUTE", "VERDICT", "BASIS")
	return err
}

func (t *textWriter) Line(r *tradeplan.LineReport) error {
	hs := r.HS.Code
	switch {
	case hs == "":
		hs = "-"
	case r.HS.Source == "classified":
		hs += "*"
	}
	route := orDash(r.Origin) + ">" + orDash(r.Destination)
	basis := ""
	for _, f := range r.Findings {
		if f.Outcome == r.Verdict && r.Verdict != tradeplan.Clear {
			basis = findingLabel(f)
			break
		}
	}
	v := strings.ToUpper(r.Verdict.String())
	if basis != "" {
		v = fmt.Sprintf("%-10s", v)
		basis = "  " + basis
	}
	fmt.Fprintf(t.w, "%4d  %-6s  %s  %-8s  %-5s  %s%s\n", r.Index, orDash(string(r.Direction)),
		pad(r.Description, descWidth), hs, route, t.paint(t.verdictColor(r.Verdict), v), basis)
	if r.Verdict == tradeplan.Clear {
		t.feasibility(r.Feasibility)
		return nil
	}
	for _, f := range r.Findings {
		if f.Outcome == tradeplan.Clear && f.Kind != tradeplan.KindClassification {
			continue
		}
		line := fmt.Sprintf("%-10s %-14s %s", f.Outcome, f.Kind, findingText(f))
		fmt.Fprintf(t.w, "%6s%s\n", "", t.paint(ansiDim, line))
	}
	t.feasibility(r.Feasibility)
	return nil
}

// feasibility writes a line's feasibility block, when it has one, under
// it: what can be delivered and what binds, the others' slack, and the
// proposal for the target.
func (t *textWriter) feasibility(f *tradeplan.Feasibility) {
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
			bind = fmt.Sprintf("%s %s", c.Name, fnum(c.Limit))
			continue
		}
		slack = append(slack, fmt.Sprintf("%s %s", c.Name, fnum(c.Slack)))
	}
	line := fmt.Sprintf("%s%s of %s %s from %s/%s under %s (%s h a day, %s a week); binding %s; slack %s",
		label, fnum(f.Quantity), fnum(f.Target), f.Unit, f.Site, f.Process, f.Pattern, fnum(f.HoursPerWorkerDay), fnum(f.HoursPerWorkerWeek),
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

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func findingLabel(f tradeplan.Finding) string {
	switch {
	case f.Citation() != "":
		return f.Citation()
	case (f.Kind == tradeplan.KindParty || f.Kind == tradeplan.KindVessel) && f.Match != nil:
		return fmt.Sprintf("%s %s %s (%.2f)", f.List(), f.EntryID(), f.Name(), f.Score())
	}
	return f.Summary
}

func findingText(f tradeplan.Finding) string {
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
			f.Cap.Cap, num0(f.Cap.Limit), f.Cap.Unit, num0(f.Cap.Used), num0(f.Cap.Quantity), num0(f.Cap.Remaining))
		if f.Cap.Excess.Sign() > 0 {
			fmt.Fprintf(&b, ", excess %s", num0(f.Cap.Excess))
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

func num0(f tradeplan.Decimal) string { return f.String() }

func (t *textWriter) EndPlan(s tradeplan.Summary) error {
	_, err := fmt.Fprintf(t.w, "\n%d lines: %s, %s, %s, %s   (* = HS code classified from the description)\n", s.Lines,
		t.paint(ansiRed+ansiBold, fmt.Sprintf("%d prohibited", s.Prohibited)),
		t.paint(ansiCyan, fmt.Sprintf("%d capped", s.Capped)),
		t.paint(ansiYellow, fmt.Sprintf("%d review", s.Review)),
		t.paint(ansiGreen, fmt.Sprintf("%d clear", s.Clear)))
	return err
}

func (t *textWriter) Close() error { return t.w.Flush() }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// pad cuts or pads s to n runes.
func pad(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if c > n {
		r := []rune(s)
		return string(r[:n-1]) + "…"
	}
	return s + strings.Repeat(" ", n-c)
}

// listsText is the lists of a report as "un 2026-02-27, ofac 4f2c...", or
// its notices when it has any.
func listsText(h PlanHeader) string {
	if len(h.Notices) > 0 {
		return strings.Join(h.Notices, "; ")
	}
	parts := make([]string, len(h.Lists))
	for i, l := range h.Lists {
		parts[i] = l.Name + " " + l.Version
	}
	return strings.Join(parts, ", ")
}
