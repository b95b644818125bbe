package screen

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
)

// TestStreamReportSameAsLine: a report whose lines the stream's workers
// settle and render (StreamReport) is byte for byte the one written line
// by line in order (Stream with the writer's Line), for a file whose caps
// are crossed part way (the ledger must count them in order), with
// partners on the real lists and a recorded decision on one of their
// matches, and lines of every other kind between; and the workers did
// render most lines.
func TestStreamReportSameAsLine(t *testing.T) {
	ix := realLists(t)
	cls, rs := embedded(t)
	asOf := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	// a decision on the match of a listed partner, taken from its finding
	probe := New(Config{Classifier: cls, Goods: rs, Parties: ix, NewLedger: rules.NewLedger})
	partner := "Korea Mining Development Trading Corporation"
	rep, err := probe.Plan(context.Background(), &tradeplan.Plan{Lines: []tradeplan.Line{{Index: 1, Origin: "CN", Destination: "RU", HS: "160510",
		Partner: &tradeplan.Party{Name: partner}}}}, Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	ds := decisions{}
	for _, f := range rep.Lines[0].Findings {
		if f.Kind == tradeplan.KindParty && f.Match != nil {
			ds[f.Query()+"|"+f.List()+"|"+f.EntryID()] = tradeplan.MatchDecision{Query: f.Query(), List: f.List(), EntryID: f.EntryID(),
				EntryVersion: f.EntryVersion(), Kind: f.Kind, Score: f.Score(), Decision: tradeplan.DecisionTrueMatch, By: "officer", At: asOf}
		}
	}
	if len(ds) == 0 {
		t.Fatalf("%s matches nothing on the lists: %+v", partner, rep.Lines[0].Findings)
	}
	s := New(Config{Classifier: cls, Goods: rs, Parties: ix, Decisions: ds, NewLedger: rules.NewLedger, Workers: 2})

	var in strings.Builder
	in.WriteString("hs,description,origin,destination,quantity,unit,value,currency,partner\n")
	rows := []string{"030569,salted pollack,KP,CN,12,t,100,USD,", ",dried clams,CN,VN,3,kg,9,USD,",
		"271019,gas oil diesel,CN,KP,90000,bbl,3800,USD,", "950300,\"toys, plastic\",DE,FR,1,pcs,2,EUR,\"Toy \"\"Co\"\"\"",
		",salted pollack and toys,CN,KP,2,t,9,USD,", "160510,crab meat,CN,RU,5,kg,70,USD," + partner,
		"847130,laptop computers,CN,US,4,pcs,1800,USD,Acme Ltd"}
	for i := range 3000 {
		in.WriteString(rows[i%len(rows)] + "\n")
	}
	// without the in-order steps, to show that the file exercises them
	plain := New(Config{Classifier: cls, Goods: rs, Parties: ix, Workers: 2})
	for _, f := range []Format{CSV, Text} {
		var want, got, unordered bytes.Buffer
		var sums [3]tradeplan.Summary
		for k, out := range []*bytes.Buffer{&want, &got, &unordered} {
			cr, err := plan.NewCSVReader(strings.NewReader(in.String()), "x.csv")
			if err != nil {
				t.Fatal(err)
			}
			rw := NewReportWriter(out, f, false)
			lists, notices := s.Lists()
			if err := rw.BeginPlan(PlanHeader{ID: "x", File: "x.csv", AsOf: "2027-03-01", Lists: lists, Notices: notices}); err != nil {
				t.Fatal(err)
			}
			switch k {
			case 0:
				sums[k], err = s.Stream(context.Background(), cr, Options{AsOf: asOf}, rw.Line)
			case 1:
				sums[k], err = s.StreamReport(context.Background(), cr, Options{AsOf: asOf}, rw)
			case 2:
				sums[k], err = plain.StreamReport(context.Background(), cr, Options{AsOf: asOf}, rw)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := rw.EndPlan(sums[k]); err != nil {
				t.Fatal(err)
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if got.String() != want.String() {
			t.Fatalf("%s: the report rendered by the workers differs:\n%s", f, firstDiff(got.String(), want.String()))
		}
		if sums[0] != sums[1] {
			t.Errorf("%s: summary %+v, want %+v", f, sums[1], sums[0])
		}
		if sums[2].Prohibited >= sums[0].Prohibited {
			t.Errorf("%s: %d lines prohibited without the cap ledger and the decision, %d with: the file does not exercise them", f, sums[2].Prohibited, sums[0].Prohibited)
		}
	}

	// The workers render what the ordered stage need not see.
	var c countingLines
	cr, err := plan.NewCSVReader(strings.NewReader(in.String()), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	c.csvWriter.out.w = &bytes.Buffer{}
	c.BeginPlan(PlanHeader{ID: "x"})
	if _, err := s.StreamReport(context.Background(), cr, Options{AsOf: asOf}, &c); err != nil {
		t.Fatal(err)
	}
	if c.lines == 0 || c.lines > 3000/len(rows)*3 {
		t.Errorf("%d of 3000 lines written by the ordered stage, want those with a cap or a party match only", c.lines)
	}
}

// countingLines is the CSV writer counting the lines given to Line (not
// rendered by a stream's workers).
type countingLines struct {
	csvWriter
	lines int
}

func (c *countingLines) Line(r *tradeplan.LineReport) error {
	c.lines++
	return c.csvWriter.Line(r)
}
