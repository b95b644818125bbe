package feasibility

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

// TestParseRejectsBadSiteFiles: every problem of a bad site file is
// reported at once, each at its line and field.
func TestParseRejectsBadSiteFiles(t *testing.T) {
	doc := `policy: {max_hours_per_day: 26, days_per_week: 8}
shift_patterns: [2x8, 4x8, eight, 2x8]
sites:
  - id: a
    workers: -5
    power: {kwh_per_day: lots}
    stock:
      - {item: ore, quantity: 10, unit: furlongs}
    supply:
      - {item: ore, quantity: 5}
    processes:
      - id: p1
        input: ore
        yield: -0.5
        lines: 2
        rate: 1
        crew: 10
      - id: p2
        input: ore
        output: concentrate
        yield: 0.5
        lines: 1.5
        rate: 0
        crew: 10
        colour: red
  - id: a
    workers: 10
    processes: [{id: p, input: ore, output: concentrate, yield: 0.5, lines: 1, rate: 1, crew: 10}]
  - id: b
    workers: 10
    processes: []
`
	_, err := Parse([]byte(doc), "bad.yaml", plan.YAML)
	var te *tradeplan.Error
	if !asError(err, &te) || te.Code != tradeplan.EInvalid {
		t.Fatalf("err = %v, want EInvalid", err)
	}
	want := []string{
		"bad.yaml:1:29: policy.max_hours_per_day: expected a number of at most 24; found 26",
		"bad.yaml:1:48: policy.days_per_week: expected a number of at most 7; found 8",
		"bad.yaml:2:23: shift_patterns[2]: expected at most 24 hours of shifts a day",
		"bad.yaml:2:28: shift_patterns[3]: expected a shift pattern NxH",
		"bad.yaml:2:35: shift_patterns[4]: repeated shift pattern 2x8",
		"bad.yaml:5:14: sites[1].workers: expected a number of at least 0; found -5",
		"bad.yaml:6:26: sites[1].power.kwh_per_day: expected a number; found the string \"lots\"",
		"bad.yaml:8:41: sites[1].stock[1].unit: unknown unit \"furlongs\"",
		"bad.yaml:10:9: sites[1].supply[1].month: required (or date): when the supply arrives",
		"bad.yaml:12:9: sites[1].processes[1].output: required: a process without an output",
		"bad.yaml:14:16: sites[1].processes[1].yield: expected a number above 0; found -0.5",
		"bad.yaml:22:16: sites[1].processes[2].lines: expected a whole number; found 1.5",
		"bad.yaml:23:15: sites[1].processes[2].rate: expected a number above 0; found 0",
		"bad.yaml:25:9: sites[1].processes[2].colour: unknown field",
		"bad.yaml:26:5: sites[2].id: repeated site id \"a\"",
		"bad.yaml:31:16: sites[3].processes: expected at least one process",
	}
	got := te.Problems
	for i, w := range want {
		if i >= len(got) {
			t.Errorf("missing problem %d: %s", i, w)
			continue
		}
		if s := got[i].String(); !strings.HasPrefix(s, w) {
			t.Errorf("problem %d = %q\n want prefix %q", i, s, w)
		}
	}
	if len(got) > len(want) {
		for _, p := range got[len(want):] {
			t.Errorf("unexpected problem %s", p)
		}
	}
}

func TestParseJSONPlacesProblems(t *testing.T) {
	doc := `{
  "sites": [
    {"id": "a", "workers": 10,
     "processes": [{"id": "p", "input": "ore", "hs": "2611", "yield": -1, "lines": 1, "rate": 1, "crew": 1}]}
  ]
}`
	_, err := Parse([]byte(doc), "bad.json", plan.JSON)
	if err == nil || !strings.Contains(err.Error(), "bad.json:4:") || !strings.Contains(err.Error(), "sites[1].processes[1].yield") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseSyntaxAndShape(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"empty", "", "s.yaml:1:1: empty document"},
		{"not a mapping", "- 1\n", "s.yaml:1:1: expected a mapping with policy, shift_patterns, sites"},
		{"no sites", "policy: {}\n", "s.yaml:1:1: sites: required"},
		{"syntax", "sites: [\n", "s.yaml"},
		{"kwh per tonne of pieces", "sites: [{id: a, workers: 1, processes: [{id: p, input: x, output: y, unit: pcs, yield: 1, lines: 1, rate: 1, crew: 1, kwh_per_tonne: 5}]}]\n", "kwh_per_tonne: the output is counted in pcs"},
		{"no default yield", "sites: [{id: a, workers: 1, processes: [{id: p, input: x, output: y, hs: '9999', lines: 1, rate: 1, crew: 1}]}]\n", "yield: required: no default yield for \"y\" (HS 9999)"},
		{"power without kwh", "sites: [{id: a, workers: 1, power: {kwh_per_day: 5}, processes: [{id: p, input: x, output: y, yield: 1, lines: 1, rate: 1, crew: 1}]}]\n", "kwh_per_tonne: required when the site's power is limited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "s.yaml", plan.YAML)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestExampleSiteFiles: the site files of examples/sites parse.
func TestExampleSiteFiles(t *testing.T) {
	files, _ := filepath.Glob("../examples/sites/*")
	if len(files) < 2 {
		t.Fatalf("%d example site files, want at least 2", len(files))
	}
	for _, f := range files {
		format, ok := plan.FormatFromName(f)
		if !ok {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(b, f, format); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../examples/sites/*.yaml")
	files = append(files, "testdata/hair.yaml")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, false)
		}
	}
	f.Add([]byte(`{"sites":[{"id":"a","workers":1,"processes":[{"id":"p","input":"x","output":"y","yield":1,"lines":1,"rate":1,"crew":1}]}]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := plan.YAML
		if isJSON {
			format = plan.JSON
		}
		s, err := Parse(data, "f", format)
		if err != nil {
			var te *tradeplan.Error
			if !asError(err, &te) || te.Code != tradeplan.EInvalid {
				t.Fatalf("error not EInvalid: %v", err)
			}
			for _, p := range te.Problems {
				if p.Pos.File != "f" {
					t.Fatalf("problem not placed in the file: %v", p)
				}
			}
			return
		}
		// A file that parses describes sites the check can run on: a
		// line for each process, by both solvers, with finite figures.
		p := &tradeplan.Plan{Period: march}
		for _, st := range s.Sites {
			if st.ID == "" || len(st.Processes) == 0 {
				t.Fatalf("site without id or processes: %+v", st)
			}
			for _, pr := range st.Processes {
				if pr.Yield <= 0 || pr.Rate <= 0 || pr.Lines < 1 || pr.Crew < 1 || pr.Availability <= 0 || pr.Availability > 1 {
					t.Fatalf("process out of range: %+v", pr)
				}
				if pr.HS == "" || len(p.Lines) >= 50 {
					continue
				}
				p.Lines = append(p.Lines, tradeplan.Line{Index: len(p.Lines) + 1, Direction: tradeplan.Export, HS: pr.HS,
					Quantity: tradeplan.D(10), Unit: pr.Unit, Source: &tradeplan.Source{Site: st.ID}})
			}
		}
		for _, solver := range []string{Greedy, LP} {
			fs, err := Check(p, nil, s, Options{Solver: solver})
			if err != nil {
				continue // a line matched to another process of another unit
			}
			if _, err := json.Marshal(fs); err != nil {
				t.Fatalf("%s: blocks do not encode: %v", solver, err)
			}
		}
	})
}
