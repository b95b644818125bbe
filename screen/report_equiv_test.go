package screen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
)

// Field values that take every branch of the CSV quoting and the text
// padding: separators, quotes, line ends, leading spaces (ASCII and not),
// `\.`, runes of several bytes, invalid UTF-8, long descriptions.
var trickyStrings = []string{
	"", "plain", "a,b", "=HYPERLINK(\"http://x\")", "+1", "-2+3", "-5", "@SUM(1)", "'=1", " =x", "\uff1d1", `say "hi"`, "cr\rlf\n", " leading space", "\tleading tab", "\u00a0nbsp first", "\u2003em space",
	`\.`, `\.x`, "조선 평양 café", "bad \xff\xfe utf-8", "\xffstart", "a\xc3",
	"a description far longer than thirty runes, with a comma", "만수대 창작사 만수대 창작사 만수대 창작사 만수대 창작사",
	"exactly thirty runes long abcd", "thirty-one runes long abcdefghi", "\"", ",", "\n",
}

// syntheticReports are line reports with every field set from the tricky
// strings and fill's values, findings of every kind, caps and decisions.
func syntheticReports(t *testing.T) []tradeplan.LineReport {
	var out []tradeplan.LineReport
	kinds := []string{tradeplan.KindGoods, tradeplan.KindParty, tradeplan.KindVessel, tradeplan.KindClassification, tradeplan.KindFeasibility, "other"}
	for seed := 0; seed < 120; seed++ {
		for _, zero := range []bool{false, true} {
			var r tradeplan.LineReport
			fill(t, reflect.ValueOf(&r).Elem(), seed, zero)
			r.Feasibility = nil // its block is covered by the reports made with sites
			s := func(k int) string { return trickyStrings[(seed*7+k)%len(trickyStrings)] }
			r.Description, r.Pos, r.Origin, r.Destination = s(0), s(1), s(2), s(3)
			r.Direction = tradeplan.Direction(s(4))
			r.Unit, r.Currency, r.HS.Code = s(5), s(6), s(7)
			if seed%3 == 0 {
				r.HS.Source = "classified"
			}
			if seed%5 != 0 {
				r.Quantity = tradeplan.D(float64(seed) * 1.25)
				r.Value = tradeplan.NewDecimal(int64(seed*1000-7), int32(-(seed % 4)))
			}
			if r.Partner != nil {
				r.Partner.Name = s(8)
			}
			r.Index = seed*seed*13 - 40
			r.Verdict = tradeplan.Verdict(seed % 5) // 4: a verdict out of range
			for i := range r.Findings {
				f := &r.Findings[i]
				f.Kind = kinds[(seed+i)%len(kinds)]
				f.Summary = s(9 + i)
				f.Outcome = tradeplan.Verdict((seed + i) % 4)
				if (seed+i)%3 == 0 {
					f.Outcome = r.Verdict
				}
				if f.Basis != nil && seed%4 == 1 {
					f.Basis.Citation = ""
				}
				if f.Match != nil {
					f.Match.Query, f.Match.Name = s(11+i), s(12+i)
				}
				if f.Cap != nil {
					f.Cap.Limit, f.Cap.Used = tradeplan.D(1000), tradeplan.D(float64(seed)*10.5)
					f.Cap.Quantity, f.Cap.Remaining = tradeplan.D(12.5), tradeplan.D(3)
					if seed%2 == 0 {
						f.Cap.Excess = tradeplan.D(9.5)
					}
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// exampleReports screens the example plans with the embedded rules and
// nomenclature, before and after the bans of 2017.
func exampleReports(t *testing.T) []tradeplan.PlanReport {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger})
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no example plans")
	}
	var reps []tradeplan.PlanReport
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Parse(data, f, plan.YAML)
		if err != nil {
			t.Fatal(err)
		}
		for _, asOf := range []time.Time{time.Date(2016, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC)} {
			rep, err := s.Plan(context.Background(), p, Options{AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, rep)
		}
	}
	return reps
}

// writeBoth writes the plans with the writer of format f and with the
// reference writer of before (report_ref_test.go).
func writeBoth(t *testing.T, f Format, color bool, plans []tradeplan.PlanReport, summaryFirst bool) (got, want string) {
	t.Helper()
	var g, w bytes.Buffer
	var ref ReportWriter
	switch f {
	case CSV:
		ref = &refCSVWriter{bw: memory{&w}, w: csv.NewWriter(memory{&w})}
	default:
		ref = &refTextWriter{w: memory{&w}, color: color}
	}
	for _, rw := range []ReportWriter{NewReportWriter(&g, f, color), ref} {
		for i := range plans {
			p := &plans[i]
			h := PlanHeader{ID: p.ID, Organisation: p.Organisation, Country: p.Country, Period: p.Period, File: p.File,
				AsOf: p.AsOf, Lists: p.Lists, Notices: p.Notices, Feasibility: HasFeasibility(p)}
			if summaryFirst {
				sum := p.Summary
				h.Summary = &sum
			}
			if err := rw.BeginPlan(h); err != nil {
				t.Fatal(err)
			}
			for j := range p.Lines {
				if err := rw.Line(&p.Lines[j]); err != nil {
					t.Fatal(err)
				}
			}
			if err := rw.EndPlan(p.Summary); err != nil {
				t.Fatal(err)
			}
		}
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return g.String(), w.String()
}

// TestReportWritersMatchReference holds the CSV and text writers, which
// append into reused buffers, to the bytes the writers before them (on
// encoding/csv and fmt) wrote: real reports of the example plans, and
// synthetic ones with every field tricky, one plan and several, with lists
// or notices, coloured or not.
func TestReportWritersMatchReference(t *testing.T) {
	synth := syntheticReports(t)
	lists := []tradeplan.ListVersion{{Name: "un", Version: "2026-02-27"}, {Name: "ofac, sdn", Version: `"4f2c"`}}
	var many []tradeplan.PlanReport
	for i := 0; i < len(synth); i += 37 {
		p := tradeplan.PlanReport{ID: trickyStrings[i%len(trickyStrings)], Organisation: "Org, \"quoted\"", Country: "KP",
			Period: "2026", File: "f.csv", AsOf: "2026-11-01", Lists: lists, Lines: synth[i:min(i+37, len(synth))]}
		if i%2 == 1 {
			p.Notices = []string{tradeplan.NoListsNotice, " second, notice"}
		}
		for j := range p.Lines {
			p.Summary.Add(p.Lines[j].Verdict)
		}
		many = append(many, p)
	}
	cases := []struct {
		name  string
		plans []tradeplan.PlanReport
	}{
		{"synthetic", many},
		{"synthetic one plan", many[:1]},
		{"examples", exampleReports(t)},
		{"none", nil},
	}
	for _, c := range cases {
		for _, f := range []Format{CSV, Text} {
			for _, color := range []bool{false, true} {
				for _, first := range []bool{false, true} {
					got, want := writeBoth(t, f, color, c.plans, first)
					if got != want {
						t.Errorf("%s, %s, color %v: the report differs from the reference writer's:\n%s", c.name, f, color, firstDiff(got, want))
					}
				}
			}
		}
	}
}

// TestReportWriterBlocks: a report larger than a block reaches the writer
// whole, in blocks of about blockSize bytes.
func TestReportWriterBlocks(t *testing.T) {
	synth := syntheticReports(t)
	var lines []tradeplan.LineReport
	for len(lines) < 20000 {
		lines = append(lines, synth...)
	}
	p := []tradeplan.PlanReport{{ID: "big", AsOf: "2026-11-01", Lines: lines}}
	for _, f := range []Format{CSV, Text} {
		var w countingWriter
		rw := NewReportWriter(&w, f, false)
		h := PlanHeader{ID: "big", AsOf: "2026-11-01"}
		if err := rw.BeginPlan(h); err != nil {
			t.Fatal(err)
		}
		for i := range lines {
			if err := rw.Line(&lines[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := rw.EndPlan(tradeplan.Summary{}); err != nil {
			t.Fatal(err)
		}
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
		_, want := writeBoth(t, f, false, p, false)
		if w.buf.String() != want {
			t.Fatalf("%s: the report written in blocks differs:\n%s", f, firstDiff(w.buf.String(), want))
		}
		if maxWrites := w.buf.Len()/blockSize + 1; w.writes > maxWrites {
			t.Errorf("%s: %d writes for %d bytes, want at most %d", f, w.writes, w.buf.Len(), maxWrites)
		}
	}
}

type countingWriter struct {
	buf    bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.buf.Write(p)
}

// firstDiff shows where two reports first differ.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, strings.LastIndexByte(want[:i], '\n')+1)
	end := func(s string) string {
		if j := strings.IndexByte(s[min(i, len(s)):], '\n'); j >= 0 {
			return s[from : i+j]
		}
		return s[from:]
	}
	return "got:  " + strings.ReplaceAll(end(got), "\x1b", "ESC") + "\nwant: " + strings.ReplaceAll(end(want), "\x1b", "ESC")
}

// FuzzCSVField holds the CSV field writer to encoding/csv's bytes for any
// field, alone and between others.
func FuzzCSVField(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write(tradeplan.CSVRow([]string{s, "x", s}))
		w.Flush()
		var c csvRow
		got := c.appendRow(nil, []string{s, "x", s})
		if string(got) != want.String() {
			t.Fatalf("field %q: got %q, want %q", s, got, want.String())
		}
	})
}

// BenchmarkReportWriters writes the lines of the example plans' reports,
// repeated, as CSV and text, and with the writers of before (the
// reference, encoding/csv and fmt) in the same run.
func BenchmarkReportWriters(b *testing.B) {
	t := &testing.T{}
	plans := exampleReports(t)
	var lines []tradeplan.LineReport
	for len(lines) < 10000 {
		for i := range plans {
			lines = append(lines, plans[i].Lines...)
		}
	}
	h := PlanHeader{ID: "bench", AsOf: "2026-11-01", Notices: []string{tradeplan.NoListsNotice}}
	for _, f := range []Format{CSV, Text} {
		for _, ref := range []bool{false, true} {
			name := string(f)
			if ref {
				name += "-reference"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					var rw ReportWriter
					switch {
					case !ref:
						rw = NewReportWriter(io.Discard, f, false)
					case f == CSV:
						bw := bufio.NewWriterSize(io.Discard, 64<<10)
						rw = &refCSVWriter{bw: bw, w: csv.NewWriter(bw)}
					default:
						rw = &refTextWriter{w: bufio.NewWriterSize(io.Discard, 64<<10)}
					}
					rw.BeginPlan(h)
					for i := range lines {
						rw.Line(&lines[i])
					}
					rw.EndPlan(tradeplan.Summary{})
					rw.Close()
				}
				b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			})
		}
	}
}
