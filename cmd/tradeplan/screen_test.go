package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/shareddata"
)

// runCmd runs tradeplan in-process with no database and returns its exit
// status and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "TRADEPLAN_DB" {
			return ""
		}
		return os.Getenv(k)
	}}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func screenJSON(t *testing.T, wantCode int, args ...string) tradeplan.Report {
	t.Helper()
	code, out, errs := runCmd(t, "", append([]string{"screen", "--format", "json"}, args...)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, wantCode, errs)
	}
	var rep tradeplan.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	return rep
}

// The plan of the news report: every export is banned by the UN, and the
// screening must say so on the first screen, citing the paragraph.
func TestScreenReportPlan(t *testing.T) {
	rep := screenJSON(t, exitFindings, "--as-of", "2026-11-01", "../../examples/nhg-2023-h1.yaml")
	if len(rep.Plans) != 1 {
		t.Fatalf("%d plans", len(rep.Plans))
	}
	p := rep.Plans[0]
	cites := map[string]string{
		"salted pollack": "UNSCR 2371 (2017) OP9", "packaged crab meat": "UNSCR 2371 (2017) OP9",
		"dried clams": "UNSCR 2371 (2017) OP9", "frozen pollack": "UNSCR 2371 (2017) OP9",
		"frozen herring": "UNSCR 2371 (2017) OP9", "frozen sole": "UNSCR 2371 (2017) OP9",
		"frozen sandfish": "UNSCR 2371 (2017) OP9", "dried pine mushrooms": "UNSCR 2397 (2017) OP6",
		"salted pine mushrooms": "UNSCR 2397 (2017) OP6", "medicinal herbs": "UNSCR 2397 (2017) OP6",
	}
	exports := 0
	for _, l := range p.Lines {
		if l.Direction != tradeplan.Export {
			continue
		}
		exports++
		want, ok := cites[l.Description]
		if !ok {
			t.Errorf("unexpected export %q", l.Description)
			continue
		}
		if l.Verdict != tradeplan.Prohibited {
			t.Errorf("%s: verdict %s, want prohibited", l.Description, l.Verdict)
		}
		found := false
		for _, f := range l.Findings {
			if f.Kind == tradeplan.KindGoods && f.Citation() == want && f.Outcome == tradeplan.Prohibited {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no prohibited finding citing %s: %+v", l.Description, want, l.Findings)
		}
	}
	if exports != len(cites) {
		t.Errorf("%d exports screened, want %d", exports, len(cites))
	}
	var diesel *tradeplan.LineReport
	for i := range p.Lines {
		if p.Lines[i].HS.Code == "271019" {
			diesel = &p.Lines[i]
		}
	}
	if diesel == nil || diesel.Verdict != tradeplan.Capped {
		t.Fatalf("diesel import not capped: %+v", diesel)
	}
	if c := diesel.Findings[0].Cap; c == nil || c.Limit.Cmp(tradeplan.D(500000)) != 0 || c.Unit != "bbl" || c.Remaining.Cmp(c.Limit) >= 0 {
		t.Errorf("diesel cap use: %+v", diesel.Findings[0].Cap)
	}
	if p.Summary.Prohibited < len(cites) || p.Summary.Lines != len(p.Lines) {
		t.Errorf("summary %+v", p.Summary)
	}
}

// Before resolution 2371 (5 August 2017) seafood from the DPRK was lawful.
func TestScreenAsOf(t *testing.T) {
	rep := screenJSON(t, exitOK, "--as-of", "2017-06-01", "../../examples/nhg-2023-h1.yaml")
	for _, l := range rep.Plans[0].Lines {
		if l.Verdict != tradeplan.Clear {
			t.Errorf("line %d %s: %s on 2017-06-01", l.Index, l.Description, l.Verdict)
		}
	}
}

func TestScreenNoDPRKParty(t *testing.T) {
	rep := screenJSON(t, exitOK, "../../examples/vn-jp-2027.yaml")
	if s := rep.Plans[0].Summary; s.Clear != s.Lines || s.Lines == 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestScreenPartiesFromLists(t *testing.T) {
	un := shareddata.Path(t, shareddata.UNList)
	rep := screenJSON(t, exitFindings, "--lists", un, "../../examples/cn-importer-2027.yaml")
	hit := false
	for _, l := range rep.Plans[0].Lines {
		for _, f := range l.Findings {
			if f.Kind == tradeplan.KindParty && f.List() == "un" && f.EntryID() == "KPe.002" && f.Strength() == "strong" {
				hit = true
				if l.Verdict != tradeplan.Prohibited || f.Explanation == "" {
					t.Errorf("line %d: verdict %s, explanation %q", l.Index, l.Verdict, f.Explanation)
				}
			}
		}
	}
	if !hit {
		t.Error("Korea Ryonbong General Corporation (UN KPe.002) not found as a strong party match")
	}
}

func TestScreenCSVAndStdin(t *testing.T) {
	data, err := os.ReadFile("../../examples/declarations.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"file", "", []string{"../../examples/declarations.csv"}},
		{"stdin sniffed", string(data), []string{"-"}},
		{"stdin forced", string(data), []string{"--input-format", "csv", "-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tc.stdin, append([]string{"screen", "--format", "csv"}, tc.args...)...)
			if code != exitFindings {
				t.Fatalf("exit %d; stderr %s", code, errs)
			}
			rows := strings.Split(strings.TrimSpace(out), "\n")
			if len(rows) != strings.Count(strings.TrimSpace(string(data)), "\n")+1 {
				t.Errorf("%d report rows for %d input rows", len(rows), strings.Count(string(data), "\n"))
			}
			if !strings.Contains(out, ",prohibited,un-dprk/2371-op9,") {
				t.Errorf("no seafood ban in:\n%s", out)
			}
		})
	}
}

// Bad input: every problem at its place, exit 2, and no report at all, even
// when the bad row comes after good ones.
func TestScreenBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var csv strings.Builder
	csv.WriteString("hs,origin,destination,quantity,unit\n")
	for range 600 {
		csv.WriteString("030569,KP,CN,1,t\n")
	}
	csv.WriteString("030569,KP,CN,lots,t\n")
	csv.WriteString("030569,XX,CN,1,t\n")
	badCSV := write("bad.csv", csv.String())
	badYAML := write("bad.yaml", "plan: {id: x, country: KP, period: 2027-H1}\nlines:\n  - direction: export\n    description: salted pollack\n    quantity: 3\n    unit: tonz\n")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"csv rows after good ones", []string{badCSV}, []string{"bad.csv:602:14: quantity", "bad.csv:603:8: origin"}},
		{"yaml unit", []string{badYAML}, []string{"bad.yaml:6:"}},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml"}},
		{"unknown extension", []string{write("plan.txt", "x")}, []string{"--input-format"}},
		{"bad as-of", []string{"--as-of", "June", badYAML}, []string{"--as-of"}},
		{"no files", nil, []string{"no input files"}},
		{"missing database", []string{"--db", filepath.Join(dir, "none.db"), "../../examples/vn-jp-2027.yaml"}, []string{"none.db does not exist"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", append([]string{"screen"}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("a report was printed for bad input:\n%.300s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

// The text report of the news report's plan, as a golden file.
func TestScreenTextGolden(t *testing.T) {
	code, out, errs := runCmd(t, "", "screen", "--as-of", "2026-11-01", "../../examples/nhg-2023-h1.yaml")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden := filepath.Join("testdata", "screen-nhg.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if out != string(want) {
		t.Errorf("text report differs from %s (run go test -update and review the diff):\n%s", golden, out)
	}
}

// The official nomenclature named on the command line is used beside the
// embedded one: every line still screens, and a subheading the official
// text decides is found.
func TestScreenWithHSFile(t *testing.T) {
	hsFile := shareddata.Path(t, shareddata.HS2022)
	rep := screenJSON(t, exitOK, "--hs-file", hsFile, "../../examples/vn-jp-2027.yaml")
	p := rep.Plans[0]
	if p.Summary.Lines == 0 || p.Summary.Clear != p.Summary.Lines {
		t.Errorf("summary %+v", p.Summary)
	}
	code, _, errs := runCmd(t, "", "screen", "--hs-file", "no-such.csv", "../../examples/vn-jp-2027.yaml")
	if code == exitOK || !strings.Contains(errs, "no-such.csv") {
		t.Errorf("missing --hs-file: exit %d, stderr %q", code, errs)
	}
}

// threeDieselLines is the example of issue 23: three imports of diesel that
// fill the 500,000-barrel cap of UNSCR 2397 OP5 exactly (third = 77218.7),
// or cross it by 0.1 barrel (third = 77218.8).
func threeDieselLines(third string) string {
	var b strings.Builder
	b.WriteString("plan:\n  id: diesel\n  organisation: Fuel Bureau\n  country: KP\n  period: 2026\nlines:\n")
	for _, q := range []string{"222693.7", "200087.6", third} {
		b.WriteString("  - direction: import\n    description: diesel fuel\n    hs: \"2710.19\"\n    quantity: " + q +
			"\n    unit: bbl\n    origin: CN\n")
	}
	return b.String()
}

func TestScreenCapFilledExactly(t *testing.T) {
	for _, tc := range []struct {
		third   string
		verdict tradeplan.Verdict
		excess  string
	}{
		{"77218.7", tradeplan.Capped, "0"},
		{"77218.8", tradeplan.Prohibited, "0.1"},
	} {
		t.Run(tc.third, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "diesel.yaml")
			if err := os.WriteFile(path, []byte(threeDieselLines(tc.third)), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCmd(t, "", "screen", "--format", "json", "--as-of", "2026-11-01", path)
			if code != exitOK && code != exitFindings {
				t.Fatalf("exit %d; stderr:\n%s", code, errs)
			}
			var rep tradeplan.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			l := rep.Plans[0].Lines[2]
			if l.Verdict != tc.verdict || l.Findings[0].Cap == nil || l.Findings[0].Cap.Excess.String() != tc.excess {
				t.Fatalf("third line: %s, cap %+v; want %s with excess %s", l.Verdict, l.Findings[0].Cap, tc.verdict, tc.excess)
			}
			if !strings.Contains(out, `"used":422781.3`) || strings.Contains(out, "99999") || strings.Contains(out, "00000000") {
				t.Errorf("the JSON report should carry exact figures:\n%s", out)
			}
			_, text, _ := runCmd(t, "", "screen", "--as-of", "2026-11-01", path)
			if strings.Contains(text, "99999") || strings.Contains(text, "0000000") {
				t.Errorf("float noise in the text report:\n%s", text)
			}
		})
	}
}
