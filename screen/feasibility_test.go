package screen

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestReportFeasibilityBlock: with blocks, the text report shows each
// under its line (a prohibited line's with its citation, a short line's
// with its proposal) and the CSV report their columns; without, neither
// changes.
func TestReportFeasibilityBlock(t *testing.T) {
	rep := tradeplan.Report{Plans: []tradeplan.PlanReport{{ID: "p", AsOf: "2026-11-01", Lines: []tradeplan.LineReport{
		{Index: 1, Direction: tradeplan.Export, Description: "frozen pollack", Verdict: tradeplan.Prohibited,
			Feasibility: &tradeplan.Feasibility{Reason: "not assessed: the line is prohibited", Citation: "UNSCR 2371 (2017) OP9"}},
		{Index: 2, Direction: tradeplan.Export, Description: "watch movements", Verdict: tradeplan.Clear,
			Feasibility: &tradeplan.Feasibility{Assessed: true, Site: "w", Process: "m", Target: 100, Quantity: 80, Capacity: 80, Unit: "pcs",
				Binding: "labour", Pattern: "1x8", HoursPerWorkerDay: 8, HoursPerWorkerWeek: 48,
				Constraints: []tradeplan.Constraint{{Name: "material", Limit: 500, Slack: 420}, {Name: "labour", Limit: 80}},
				Proposal:    &tradeplan.Proposal{Met: true, Pattern: "1x8", HoursPerWorkerDay: 8, HoursPerWorkerWeek: 48, ExtraWorkers: 5}, ExtraWorkers: 5}},
		{Index: 3, Direction: tradeplan.Import, Description: "rice", Verdict: tradeplan.Clear},
	}}}}
	var text bytes.Buffer
	if err := WriteReport(&text, Text, false, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"-          feasibility    not assessed: the line is prohibited (UNSCR 2371 (2017) OP9)",
		"short      feasibility    80 of 100 pcs from w/m under 1x8 (8 h a day, 48 a week); binding labour 80; slack material 420",
		"proposal 1x8 (8 h a day, 48 a week per worker) with 5 extra workers",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	var csv bytes.Buffer
	if err := WriteReport(&csv, CSV, false, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if !strings.Contains(lines[0], ",lists,feasibility_assessed,") || !strings.Contains(lines[2], ",true,,,w,m,100,80,80,pcs,labour,1x8,") || !strings.HasSuffix(lines[3], ",,,,,,,,,,,,,,,,,,,") {
		t.Errorf("CSV report:\n%s", csv.String())
	}
	for i := range rep.Plans[0].Lines {
		rep.Plans[0].Lines[i].Feasibility = nil
	}
	csv.Reset()
	WriteReport(&csv, CSV, false, rep)
	if strings.Contains(csv.String(), "feasibility") {
		t.Errorf("CSV without blocks has their columns:\n%s", csv.String())
	}
}
