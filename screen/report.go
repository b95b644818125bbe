package screen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
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
	switch f {
	case CSV:
		return &csvWriter{out: block{w: w}}
	case JSON:
	default:
		return &textWriter{out: block{w: w}, color: color}
	}
	var bw buffered
	if b, ok := w.(*bytes.Buffer); ok {
		bw = memory{b} // already in memory: a second buffer would copy for nothing
	} else {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	return &jsonWriter{w: bw}
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

// block collects a report's bytes and writes them to w a block at a time:
// the CSV and text writers append every field of a line into it, with no
// string made per field, and w sees one write per blockSize bytes.
type block struct {
	w   io.Writer
	b   []byte
	err error
}

const blockSize = 256 << 10

// full writes the block out once it holds blockSize bytes.
func (k *block) full() error {
	if len(k.b) < blockSize {
		return k.err
	}
	return k.flush()
}

// write appends p to the block; a large p, after the block, is written as
// it is rather than copied (the bytes a stream's workers rendered).
func (k *block) write(p []byte) error {
	if len(p) < blockSize/16 {
		k.b = append(k.b, p...)
		return k.full()
	}
	if k.flush() == nil {
		_, k.err = k.w.Write(p)
	}
	return k.err
}

func (k *block) flush() error {
	if len(k.b) > 0 && k.err == nil {
		_, k.err = k.w.Write(k.b)
	}
	k.b = k.b[:0]
	return k.err
}

// lineRenderer is a ReportWriter whose lines may be rendered on other
// goroutines than the one writing the report (Screener.StreamReport): the
// CSV and text writers, whose line is a function of the plan begun and
// the line's report alone.
type lineRenderer interface {
	// renderer returns a function appending the bytes of a line of the
	// plan begun to b, for one goroutine: each has its own scratch
	// buffers. The plan must not change while it is used.
	renderer() func(b []byte, r *tradeplan.LineReport) []byte
	// rendered writes b, the bytes of whole lines a renderer made, as
	// Line would have written them, in order with the lines Line writes.
	rendered(b []byte) error
}

// CSV: one row per line, plans one after another under one header.
type csvWriter struct {
	out    block
	plan   []byte // the plan's id as a field, with the comma after it
	lists  []byte // a comma, then the plan's lists (or its notices when none) as a field
	header bool
	feas   bool   // the feasibility columns follow
	row    csvRow // renders the lines given to Line
}

// csvRow renders the rows of a plan's lines: the writer's own (Line), or
// one of a goroutine rendering lines for it (renderer), reading the
// writer's plan, lists and columns.
type csvRow struct {
	c   *csvWriter
	tmp []byte // a field being quoted
	// cells are the rendered cells of recent classes of lines, made once a
	// plan has more than cacheAfter lines; lines counts them.
	cells *csvCells
	lines int
}

const cacheAfter = 256

var csvColumns = []string{"plan", "index", "pos", "direction", "description", "origin", "destination",
	"quantity", "unit", "value", "currency", "partner", "hs", "hs_source", "hs_confidence",
	"verdict", "rules", "citations", "findings", "lists"}

func (c *csvWriter) BeginPlan(h PlanHeader) error {
	c.row.c = c
	c.plan = append(c.row.appendField(c.plan[:0], h.ID), ',')
	c.lists = c.row.appendField(append(c.lists[:0], ','), listsText(h))
	c.row.lines = 0
	if c.row.cells != nil {
		c.row.cells.next()
	}
	if !c.header {
		c.header = true
		c.feas = h.Feasibility
		cols := csvColumns
		if c.feas {
			cols = slices.Concat(cols, feasibilityColumns())
		}
		c.out.b = c.row.appendRow(c.out.b, cols)
		return c.out.full()
	}
	return c.out.err
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
	c.out.b = c.row.append(c.out.b, r)
	return c.out.full()
}

func (c *csvWriter) renderer() func([]byte, *tradeplan.LineReport) []byte {
	return (&csvRow{c: c}).append
}

func (c *csvWriter) rendered(b []byte) error { return c.out.write(b) }

// append appends r's row to b.
func (w *csvRow) append(b []byte, r *tradeplan.LineReport) []byte {
	c := w.c
	b = append(b, c.plan...)
	b = strconv.AppendInt(b, int64(r.Index), 10)
	b = append(b, ',')
	cells := w.cells
	if w.lines++; w.lines <= cacheAfter {
		cells = nil // a short report renders each line
	} else if cells == nil {
		cells = &csvCells{gen: 1}
		w.cells = cells
	}
	var head *csvHead
	var hit bool
	if cells != nil {
		head, hit = cells.headSlot(r)
	}
	if hit {
		b = append(b, head.cells...)
	} else {
		start := len(b)
		b = append(w.appendField(b, r.Pos), ',')
		b = append(w.appendField(b, string(r.Direction)), ',')
		b = append(w.appendField(b, r.Description), ',')
		b = append(w.appendField(b, r.Origin), ',')
		b = append(w.appendField(b, r.Destination), ',')
		if head != nil {
			head.set(r, b[start:], cells.gen)
		}
	}
	b = append(appendNum(b, r.Quantity), ',')
	b = append(w.appendField(b, r.Unit), ',')
	b = append(appendNum(b, r.Value), ',')
	var tail *csvTail
	if cells != nil && !c.feas {
		if tail, hit = cells.tailSlot(r); hit {
			return append(b, tail.cells...)
		}
	}
	tailStart := len(b)
	b = append(w.appendField(b, r.Currency), ',')
	if r.Partner != nil {
		b = w.appendField(b, r.Partner.Name)
	}
	b = append(b, ',')
	b = append(w.appendField(b, r.HS.Code), ',')
	b = append(w.appendField(b, r.HS.Source), ',')
	b = appendConfidence(b, r.HS.Confidence)
	b = append(b, ',')
	b = append(b, r.Verdict.String()...)
	b = append(b, ',')

	// rules, citations and findings: each written as it is joined, then
	// quoted in place when it must be.
	start, n := len(b), 0
	for i := range r.Findings {
		if s := r.Findings[i].Rule(); s != "" {
			if n > 0 {
				b = append(b, ';')
			}
			b, n = append(b, s...), n+1
		}
	}
	b = append(w.quoteFrom(b, start), ',')
	start, n = len(b), 0
	for i := range r.Findings {
		if s := r.Findings[i].Citation(); s != "" {
			if n > 0 {
				b = append(b, ';')
			}
			b, n = append(b, s...), n+1
		}
	}
	b = append(w.quoteFrom(b, start), ',')
	start = len(b)
	for i := range r.Findings {
		f := &r.Findings[i]
		if i > 0 {
			b = append(b, " | "...)
		}
		b = append(b, f.Outcome.String()...)
		b = append(b, ": "...)
		b = append(b, f.Summary...)
	}
	b = w.quoteFrom(b, start)
	b = append(b, c.lists...)
	if c.feas {
		for _, f := range r.Feasibility.Row() {
			b = w.appendField(append(b, ','), f)
		}
	}
	b = append(b, '\n')
	if tail != nil {
		tail.set(r, b[tailStart:], cells.gen)
	}
	return b
}

func (c *csvRow) appendRow(b []byte, fields []string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.appendField(b, f)
	}
	return append(b, '\n')
}

// appendField appends s as encoding/csv writes a field.
func (c *csvRow) appendField(b []byte, s string) []byte {
	return c.quoteFrom(append(b, s...), len(b))
}

// quoteFrom quotes b[start:], a field appended as it is, when encoding/csv
// would (FuzzCSVField holds it to that): a field holding a comma, a quote,
// CR or LF, beginning with a space, or `\.`; quotes within are doubled.
func (c *csvRow) quoteFrom(b []byte, start int) []byte {
	b = neutralise(b, start)
	if !csvNeedsQuotes(b[start:]) {
		return b
	}
	c.tmp = append(c.tmp[:0], b[start:]...)
	b = append(b[:start], '"')
	f := c.tmp
	for {
		i := bytes.IndexByte(f, '"')
		if i < 0 {
			break
		}
		b = append(b, f[:i+1]...)
		b = append(b, '"')
		f = f[i+1:]
	}
	b = append(b, f...)
	return append(b, '"')
}

// neutralise puts an apostrophe before b[start:], a field appended as it
// is, when it would start a formula in a spreadsheet (tradeplan.CSVRow):
// a description or a partner's name is the applicant's text.
func neutralise(b []byte, start int) []byte {
	if len(b) == start {
		return b
	}
	if f := b[start]; f < utf8.RuneSelf && (f >= 'a' && f <= 'z' || f >= 'A' && f <= 'Z' || f >= '0' && f <= '9') {
		return b // the common case, and never a formula
	}
	if !tradeplan.CSVFormula(string(b[start:])) {
		return b
	}
	b = append(b, 0)
	copy(b[start+1:], b[start:])
	b[start] = '\''
	return b
}

func csvNeedsQuotes(f []byte) bool {
	if len(f) == 0 {
		return false
	}
	if len(f) == 2 && f[0] == '\\' && f[1] == '.' {
		return true
	}
	for _, c := range f {
		if csvSpecial[c] {
			return true
		}
	}
	if f[0] < utf8.RuneSelf {
		return asciiSpace[f[0]]
	}
	r, _ := utf8.DecodeRune(f)
	return unicode.IsSpace(r)
}

// csvSpecial are the bytes that make a field quoted wherever they are.
var csvSpecial = [256]bool{'\n': true, '\r': true, '"': true, ',': true}

// asciiSpace is unicode.IsSpace for the ASCII bytes.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// appendConfidence appends a confidence with two decimals, as
// strconv.AppendFloat(b, v, 'f', 2, 64) does; 1, a declared code's, the
// commonest by far, without formatting it.
func appendConfidence(b []byte, v float64) []byte {
	if v == 1 {
		return append(b, "1.00"...)
	}
	return strconv.AppendFloat(b, v, 'f', 2, 64)
}

// appendNum appends a figure exactly; zero (not given) as nothing.
func appendNum(b []byte, f tradeplan.Decimal) []byte {
	if f.IsZero() {
		return b
	}
	return f.Append(b)
}

func (c *csvWriter) EndPlan(tradeplan.Summary) error { return c.out.err }

func (c *csvWriter) Close() error { return c.out.flush() }

// Text: an aligned table a line per row, each line that is not clear
// followed by its findings, then the summary.
type textWriter struct {
	out   block
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
	b := t.out.b
	if t.plans > 0 {
		b = append(b, '\n')
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
	b = fmt.Appendf(b, "%s\n%s\n", t.paint(ansiBold, title), strings.Join(meta, ", "))
	if len(h.Notices) > 0 {
		for _, n := range h.Notices {
			b = fmt.Appendf(b, "%s\n", t.paint(ansiRed+ansiBold, "NOTE: "+n))
		}
	} else if len(h.Lists) > 0 {
		b = fmt.Appendf(b, "partners and vessels screened against %s\n", listsText(h))
	}
	b = append(b, '\n')
	t.out.b = fmt.Appendf(b, "%4s  %-6s  %-*s  %-8s  %-5s  %-10s  %s\n", "#", "DIR", descWidth, "GOODS", "HS", "ROUTE", "VERDICT", "BASIS")
	return t.out.full()
}

// upperVerdicts are the verdicts as the text report shows them.
var upperVerdicts = [...]string{"CLEAR", "CAPPED", "REVIEW", "PROHIBITED"}

func (t *textWriter) Line(r *tradeplan.LineReport) error {
	t.out.b = t.appendLine(t.out.b, r)
	return t.out.full()
}

func (t *textWriter) renderer() func([]byte, *tradeplan.LineReport) []byte { return t.appendLine }

func (t *textWriter) rendered(b []byte) error { return t.out.write(b) }

// appendLine appends r's line to b. It reads only t.color: any goroutine
// may call it.
func (t *textWriter) appendLine(b []byte, r *tradeplan.LineReport) []byte {
	// "%4d  %-6s  %s  %-8s  %-5s  %s%s\n" of the index, direction,
	// description cut to descWidth, HS code, route, verdict and basis.
	start := len(b)
	b = strconv.AppendInt(b, int64(r.Index), 10)
	b = padLeft(b, start, 4)
	b = append(b, "  "...)
	start = len(b)
	b = append(b, orDash(string(r.Direction))...)
	b = padRight(b, start, 6)
	b = append(b, "  "...)
	b = appendCut(b, r.Description, descWidth)
	b = append(b, "  "...)
	start = len(b)
	switch {
	case r.HS.Code == "":
		b = append(b, '-')
	case r.HS.Source == "classified":
		b = append(append(b, r.HS.Code...), '*')
	default:
		b = append(b, r.HS.Code...)
	}
	b = padRight(b, start, 8)
	b = append(b, "  "...)
	start = len(b)
	b = append(b, orDash(r.Origin)...)
	b = append(b, '>')
	b = append(b, orDash(r.Destination)...)
	b = padRight(b, start, 5)
	b = append(b, "  "...)
	basis := -1
	for i := range r.Findings {
		if r.Findings[i].Outcome == r.Verdict && r.Verdict != tradeplan.Clear {
			if basis = i; !hasLabel(&r.Findings[i]) {
				basis = -1 // an empty label: no basis, as before
			}
			break
		}
	}
	if t.color {
		b = append(b, t.verdictColor(r.Verdict)...)
	}
	start = len(b)
	if int(r.Verdict) < len(upperVerdicts) {
		b = append(b, upperVerdicts[r.Verdict]...)
	} else {
		b = append(b, strings.ToUpper(r.Verdict.String())...)
	}
	if basis >= 0 {
		b = padRight(b, start, 10)
	}
	if t.color {
		b = append(b, ansiReset...)
	}
	if basis >= 0 {
		b = append(b, "  "...)
		b = appendFindingLabel(b, &r.Findings[basis])
	}
	b = append(b, '\n')
	if r.Verdict != tradeplan.Clear {
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Outcome == tradeplan.Clear && f.Kind != tradeplan.KindClassification {
				continue
			}
			b = append(b, "      "...)
			if t.color {
				b = append(b, ansiDim...)
			}
			start = len(b)
			b = append(b, f.Outcome.String()...)
			b = padRight(b, start, 10)
			b = append(b, ' ')
			start = len(b)
			b = append(b, f.Kind...)
			b = padRight(b, start, 14)
			b = append(b, ' ')
			b = appendFindingText(b, f)
			if t.color {
				b = append(b, ansiReset...)
			}
			b = append(b, '\n')
		}
	}
	return t.appendFeasibility(b, r.Feasibility)
}

// padLeft pads b[start:] with spaces before it to width runes, as fmt's
// %4s does; padRight after it, as %-6s does.
func padLeft(b []byte, start, width int) []byte {
	n := width - utf8.RuneCount(b[start:])
	if n <= 0 {
		return b
	}
	b = append(b, spaces[:n]...)
	copy(b[start+n:], b[start:len(b)-n])
	copy(b[start:start+n], spaces)
	return b
}

func padRight(b []byte, start, width int) []byte {
	if n := width - utf8.RuneCount(b[start:]); n > 0 {
		b = append(b, spaces[:n]...)
	}
	return b
}

const spaces = "                                "

// appendCut appends s cut or padded to n runes: cut with "…" last.
func appendCut(b []byte, s string, n int) []byte {
	c := utf8.RuneCountInString(s)
	if c <= n {
		b = append(b, s...)
		for ; c < n; c++ {
			b = append(b, ' ')
		}
		return b
	}
	// The first n-1 runes as []rune(s) would give them: each invalid byte
	// is a rune (U+FFFD once converted).
	for i := 0; i < n-1; i++ {
		r, size := utf8.DecodeRuneInString(s)
		b = utf8.AppendRune(b, r)
		s = s[size:]
	}
	return append(b, "…"...)
}

// hasLabel reports whether findingLabel of f is not empty.
func hasLabel(f *tradeplan.Finding) bool {
	return f.Citation() != "" || (f.Kind == tradeplan.KindParty || f.Kind == tradeplan.KindVessel) && f.Match != nil || f.Summary != ""
}

// appendFeasibility appends a line's feasibility block, when it has one,
// under it: what can be delivered and what binds, the others' slack, and
// the proposal for the target.
func (t *textWriter) appendFeasibility(b []byte, f *tradeplan.Feasibility) []byte {
	if f == nil {
		return b
	}
	label := fmt.Sprintf("%-10s %-14s ", "feasible", "feasibility")
	if !f.Assessed {
		label = fmt.Sprintf("%-10s %-14s ", "-", "feasibility")
		line := label + f.Reason
		if f.Citation != "" {
			line += " (" + f.Citation + ")"
		}
		return fmt.Appendf(b, "%6s%s\n", "", t.paint(ansiDim, line))
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
	b = fmt.Appendf(b, "%6s%s\n", "", t.paint(ansiDim, line))
	if p := f.Proposal; f.Short() && p != nil {
		prop := "proposal " + p.String()
		if !p.Met {
			prop = "no proposal: " + p.Reason
		}
		b = fmt.Appendf(b, "%6s%s\n", "", t.paint(ansiDim, fmt.Sprintf("%-10s %-14s %s", "", "", prop)))
	}
	if len(f.DefaultsUsed) > 0 {
		b = fmt.Appendf(b, "%6s%s\n", "", t.paint(ansiDim, fmt.Sprintf("%-10s %-14s %d figures from the table of defaults (see the JSON report)", "", "", len(f.DefaultsUsed))))
	}
	return b
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// appendFindingLabel appends the basis of a line's verdict: the finding's
// citation, its list entry, or its summary.
func appendFindingLabel(b []byte, f *tradeplan.Finding) []byte {
	switch {
	case f.Citation() != "":
		return append(b, f.Citation()...)
	case (f.Kind == tradeplan.KindParty || f.Kind == tradeplan.KindVessel) && f.Match != nil:
		// "%s %s %s (%.2f)"
		b = append(b, f.List()...)
		b = append(b, ' ')
		b = append(b, f.EntryID()...)
		b = append(b, ' ')
		b = append(b, f.Name()...)
		b = append(b, " ("...)
		b = appendScore(b, f.Score())
		return append(b, ')')
	}
	return append(b, f.Summary...)
}

// appendScore appends v as fmt's %.2f does.
func appendScore(b []byte, v float64) []byte {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return fmt.Appendf(b, "%.2f", v)
	}
	return strconv.AppendFloat(b, v, 'f', 2, 64)
}

func appendFindingText(b []byte, f *tradeplan.Finding) []byte {
	switch f.Kind {
	case tradeplan.KindParty, tradeplan.KindVessel:
		// "%s %s %q matches %q, score %.2f (%s)"
		b = append(b, f.List()...)
		b = append(b, ' ')
		b = append(b, f.EntryID()...)
		b = append(b, ' ')
		b = strconv.AppendQuote(b, f.Query())
		b = append(b, " matches "...)
		b = strconv.AppendQuote(b, f.Name())
		b = append(b, ", score "...)
		b = appendScore(b, f.Score())
		b = append(b, " ("...)
		b = append(b, f.Strength()...)
		b = append(b, ')')
		if f.Explanation != "" {
			b = append(b, ": "...)
			b = append(b, f.Explanation...)
		}
	default:
		if f.Citation() != "" {
			b = append(b, f.Citation()...)
			if f.Rule() != "" {
				b = append(b, " ["...)
				b = append(b, f.Rule()...)
				b = append(b, ']')
			}
			b = append(b, ": "...)
		}
		b = append(b, f.Summary...)
	}
	if c := f.Cap; c != nil {
		b = append(b, " (cap "...)
		b = append(b, c.Cap...)
		b = append(b, ": limit "...)
		b = c.Limit.Append(b)
		b = append(b, ' ')
		b = append(b, c.Unit...)
		b = append(b, ", used "...)
		b = c.Used.Append(b)
		b = append(b, ", this line "...)
		b = c.Quantity.Append(b)
		b = append(b, ", remaining "...)
		b = c.Remaining.Append(b)
		if c.Excess.Sign() > 0 {
			b = append(b, ", excess "...)
			b = c.Excess.Append(b)
		}
		b = append(b, ')')
	}
	if len(f.Missing) > 0 {
		b = append(b, "; missing: "...)
		for i, m := range f.Missing {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, m...)
		}
	}
	if d := f.Decision(); d != "" {
		b = append(b, "; decision: "...)
		b = append(b, d...)
	}
	if s := f.Status(); s != "" && s != "verified" {
		b = append(b, " ["...)
		b = append(b, s...)
		b = append(b, ']')
	}
	return b
}

func (t *textWriter) EndPlan(s tradeplan.Summary) error {
	t.out.b = fmt.Appendf(t.out.b, "\n%d lines: %s, %s, %s, %s   (* = HS code classified from the description)\n", s.Lines,
		t.paint(ansiRed+ansiBold, fmt.Sprintf("%d prohibited", s.Prohibited)),
		t.paint(ansiCyan, fmt.Sprintf("%d capped", s.Capped)),
		t.paint(ansiYellow, fmt.Sprintf("%d review", s.Review)),
		t.paint(ansiGreen, fmt.Sprintf("%d clear", s.Clear)))
	return t.out.full()
}

func (t *textWriter) Close() error { return t.out.flush() }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
