package screen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// The pipeline's own mechanics (order, verdicts, caps in order, decisions,
// streams with bad lines) are tested here with small in-test steps; the
// real hs, rules and parties packages are tested end to end in
// cmd/tradeplan.

// chapterRule prohibits exports of one HS chapter from country "KP".
type chapterRule struct{ chapter string }

func (c chapterRule) ScreenGoods(g tradeplan.GoodsLine) []tradeplan.Finding {
	var fs []tradeplan.Finding
	for _, code := range append([]string{g.HS}, g.Alternatives...) {
		if g.Line.Origin == "KP" && strings.HasPrefix(code, c.chapter) {
			fs = append(fs, tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Prohibited, Basis: &tradeplan.Basis{Rule: "test/ch" + c.chapter, Citation: "test " + code}})
		}
	}
	return fs
}

// capRule draws every line's quantity on one cap of 10.
type capRule struct{}

func (capRule) ScreenGoods(g tradeplan.GoodsLine) []tradeplan.Finding {
	return []tradeplan.Finding{{Kind: tradeplan.KindGoods, Outcome: tradeplan.Capped, Cap: &tradeplan.CapUse{Cap: "c", Limit: tradeplan.D(10), Unit: "t", Quantity: g.Line.Quantity}, Basis: &tradeplan.Basis{Rule: "test/cap"}}}
}

type sumLedger struct{ used tradeplan.Decimal }

func (l *sumLedger) Apply(_ context.Context, fs []tradeplan.Finding) error {
	for i := range fs {
		if c := fs[i].Cap; c != nil {
			c.Used = l.used
			l.used = l.used.Add(c.Quantity)
			if l.used.Cmp(c.Limit) > 0 {
				c.Excess = l.used.Sub(c.Limit)
				fs[i].Outcome = tradeplan.Prohibited
			} else {
				c.Remaining = c.Limit.Sub(l.used)
			}
		}
	}
	return nil
}

type codeTable map[string]string // description -> code

func (t codeTable) CheckCode(code string) (tradeplan.HSAssignment, error) {
	if len(code) != 6 {
		return tradeplan.HSAssignment{}, tradeplan.Errorf(tradeplan.EInvalid, "want 6 digits")
	}
	return tradeplan.HSAssignment{Code: code}, nil
}

func (t codeTable) Assign(d string, top int) (tradeplan.HSAssignment, []string) {
	c := t.Classify(d, top)
	if len(c) == 0 {
		return tradeplan.HSAssignment{Source: "none"}, nil
	}
	return tradeplan.HSAssignment{Code: c[0].Code, Source: "classified", Confidence: c[0].Score, Candidates: c}, nil
}

func (t codeTable) Classify(d string, top int) []tradeplan.Candidate {
	if c, ok := t[d]; ok {
		return []tradeplan.Candidate{{Code: c, Level: 6, Score: 0.9, Title: d}}
	}
	return nil
}

type oneParty struct{}

func (oneParty) ScreenParty(p tradeplan.Party) []tradeplan.Finding {
	if p.Name == "Bad Co" {
		return []tradeplan.Finding{{Kind: tradeplan.KindParty, Outcome: tradeplan.Review, Match: &tradeplan.Match{List: "un", EntryID: "KPe.1", Query: "BAD CO", EntryVersion: "v1", Score: 0.8}}}
	}
	return nil
}
func (oneParty) ScreenVessel(tradeplan.Vessel) []tradeplan.Finding { return nil }

type decisions map[string]tradeplan.MatchDecision

func (d decisions) MatchDecision(_ context.Context, q, list, id string) (tradeplan.MatchDecision, bool, error) {
	m, ok := d[q+"|"+list+"|"+id]
	return m, ok, nil
}

func TestPlanVerdicts(t *testing.T) {
	s := New(Config{
		Classifier: codeTable{"salted pollack": "030569", "crab meat": "160510"},
		Goods:      chapterRule{"03"},
		Parties:    oneParty{},
		Workers:    4,
	})
	p := &tradeplan.Plan{ID: "p", Lines: []tradeplan.Line{
		{Index: 1, Origin: "KP", Destination: "CN", Description: "salted pollack"},
		{Index: 2, Origin: "CN", Destination: "KP", Description: "salted pollack"},
		{Index: 3, Origin: "KP", Destination: "CN", HS: "160510", Description: "salted pollack"},
		{Index: 4, Origin: "KP", Destination: "CN", HS: "12"},
		{Index: 5, Origin: "CN", Destination: "RU", Description: "crab meat", Partner: &tradeplan.Party{Name: "Bad Co"}},
		{Index: 6, Origin: "CN", Destination: "RU", Description: "nothing known"},
	}}
	rep, err := s.Plan(context.Background(), p, Options{AsOf: time.Date(2026, 1, 2, 15, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		verdict tradeplan.Verdict
		source  string
		code    string
	}{
		{"classified seafood from KP", tradeplan.Prohibited, "classified", "030569"},
		{"seafood to KP under a from-KP rule", tradeplan.Clear, "classified", "030569"},
		{"declared code contradicted by description", tradeplan.Prohibited, "declared", "160510"},
		{"invalid declared code", tradeplan.Review, "none", ""},
		{"possible party match", tradeplan.Review, "classified", "160510"},
		{"unclassifiable", tradeplan.Clear, "none", ""},
	}
	for i, tc := range tests {
		l := rep.Lines[i]
		if l.Index != i+1 || l.Verdict != tc.verdict || l.HS.Source != tc.source || l.HS.Code != tc.code {
			t.Errorf("%s: got index %d verdict %s hs %s/%s; want %s %s/%s", tc.name, l.Index, l.Verdict, l.HS.Source, l.HS.Code, tc.verdict, tc.source, tc.code)
		}
	}
	want := tradeplan.Summary{Lines: 6, Prohibited: 2, Review: 2, Clear: 2}
	if rep.Summary != want {
		t.Errorf("summary %+v, want %+v", rep.Summary, want)
	}
	if rep.AsOf != "2026-01-02" {
		t.Errorf("as of %q", rep.AsOf)
	}
	if f := rep.Lines[0].Findings[0]; f.Rule() != "test/ch03" {
		t.Errorf("strictest finding not first: %+v", rep.Lines[0].Findings)
	}
}

func TestDecisionsApply(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	line := tradeplan.Line{Index: 1, Origin: "CN", Destination: "RU", HS: "160510", Partner: &tradeplan.Party{Name: "Bad Co"}}
	tests := []struct {
		name string
		d    *tradeplan.MatchDecision
		want tradeplan.Verdict
	}{
		{"no decision", nil, tradeplan.Review},
		{"false positive", decided(tradeplan.DecisionFalsePositive, "v1", "", 0.8, at), tradeplan.Clear},
		{"true match", decided(tradeplan.DecisionTrueMatch, "v1", "", 0.8, at), tradeplan.Prohibited},
		{"entry changed since", decided(tradeplan.DecisionFalsePositive, "v0", "", 0.8, at), tradeplan.Review},
		{"decided for a partner in another country", decided(tradeplan.DecisionFalsePositive, "v1", "CN", 0.8, at), tradeplan.Review},
		{"decided on a weaker match", decided(tradeplan.DecisionFalsePositive, "v1", "", 0.7, at), tradeplan.Review},
		{"recorded without its facts", &tradeplan.MatchDecision{Query: "BAD CO", List: "un", EntryID: "KPe.1", EntryVersion: "v1", Decision: tradeplan.DecisionFalsePositive, By: "a", At: at}, tradeplan.Review},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := decisions{}
			if tc.d != nil {
				ds["BAD CO|un|KPe.1"] = *tc.d
			}
			s := New(Config{Parties: oneParty{}, Decisions: ds})
			rep, err := s.Plan(context.Background(), &tradeplan.Plan{Lines: []tradeplan.Line{line}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Lines[0].Verdict; got != tc.want {
				t.Errorf("verdict %s, want %s (%+v)", got, tc.want, rep.Lines[0].Findings)
			}
		})
	}
}

func decided(d, version, country string, score float64, at time.Time) *tradeplan.MatchDecision {
	return &tradeplan.MatchDecision{Query: "BAD CO", List: "un", EntryID: "KPe.1", EntryVersion: version, Kind: tradeplan.KindParty,
		Country: country, Score: score, Decision: d, By: "a", At: at}
}

// lines is a LineSource over generated lines, with bad lines at given indexes.
type lines struct {
	n, i int
	bad  map[int]bool
}

func (l *lines) Read() (tradeplan.Line, error) {
	if l.i >= l.n {
		return tradeplan.Line{}, io.EOF
	}
	l.i++
	if l.bad[l.i] {
		var ps tradeplan.Problems
		ps.Add(tradeplan.Position{File: "x.csv", Line: l.i + 1, Column: 3}, "quantity", "expected a number")
		return tradeplan.Line{}, ps.Err("x.csv")
	}
	return tradeplan.Line{Index: l.i, Origin: "KP", Destination: "CN", HS: "030569", Quantity: tradeplan.D(1)}, nil
}

func TestStreamOrderAndCaps(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		t.Run(strconv.Itoa(workers), func(t *testing.T) {
			s := New(Config{Goods: capRule{}, NewLedger: func(tradeplan.CapUsage) tradeplan.CapLedger { return &sumLedger{} }, Workers: workers})
			next := 1
			sum, err := s.Stream(context.Background(), &lines{n: 2000}, Options{}, func(r *tradeplan.LineReport) error {
				if r.Index != next {
					t.Fatalf("line %d emitted at position %d", r.Index, next)
				}
				want := tradeplan.Capped
				if next > 10 {
					want = tradeplan.Prohibited
				}
				if r.Verdict != want {
					t.Fatalf("line %d: verdict %s, want %s", r.Index, r.Verdict, want)
				}
				next++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Lines != 2000 || sum.Capped != 10 || sum.Prohibited != 1990 {
				t.Errorf("summary %+v", sum)
			}
		})
	}
}

func TestStreamCollectsAllProblems(t *testing.T) {
	s := New(Config{Workers: 2})
	_, err := s.Stream(context.Background(), &lines{n: 1000, bad: map[int]bool{3: true, 700: true}}, Options{}, func(*tradeplan.LineReport) error { return nil })
	var te *tradeplan.Error
	if !errors.As(err, &te) || te.Code != tradeplan.EInvalid || len(te.Problems) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if got := te.Problems[1].String(); got != "x.csv:701:3: quantity: expected a number" {
		t.Errorf("problem %q", got)
	}
}

func TestStreamEmitError(t *testing.T) {
	s := New(Config{Workers: 2})
	boom := errors.New("disk full")
	n := 0
	_, err := s.Stream(context.Background(), &lines{n: 100000}, Options{}, func(*tradeplan.LineReport) error {
		n++
		if n == 300 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
}

func TestReportWriters(t *testing.T) {
	s := New(Config{Classifier: codeTable{"salted pollack": "030569", "rice, milled": "100630"}, Goods: chapterRule{"03"}})
	p := &tradeplan.Plan{ID: "p1", Organisation: "Org", Country: "KP", Lines: []tradeplan.Line{
		{Index: 1, Direction: tradeplan.Export, Origin: "KP", Destination: "CN", Description: "salted pollack", Quantity: tradeplan.D(3), Unit: "t"},
		{Index: 2, Direction: tradeplan.Import, Origin: "CN", Destination: "KP", HS: "100630", Description: "rice, milled"},
	}}
	pr, err := s.Plan(context.Background(), p, Options{AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	rep := tradeplan.Report{Plans: []tradeplan.PlanReport{pr}}

	var js bytes.Buffer
	if err := WriteReport(&js, JSON, false, rep); err != nil {
		t.Fatal(err)
	}
	var back tradeplan.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON report does not parse: %v\n%s", err, js.String())
	}
	if back.Plans[0].Summary != pr.Summary || back.Plans[0].Lines[0].Verdict != tradeplan.Prohibited || back.Plans[0].Lines[0].HS.Source != "classified" {
		t.Errorf("JSON round trip lost data: %+v", back)
	}

	var txt bytes.Buffer
	if err := WriteReport(&txt, Text, false, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Plan p1 — Org", "PROHIBITED", "030569*", "test 030569", "2 lines: 1 prohibited, 0 capped, 0 review, 1 clear"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, txt.String())
		}
	}
	if strings.Contains(txt.String(), "\x1b[") {
		t.Error("colour codes without colour")
	}

	var cs bytes.Buffer
	if err := WriteReport(&cs, CSV, false, rep); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(cs.String()), "\n")
	if len(rows) != 3 || !strings.HasPrefix(rows[1], "p1,1,,export,salted pollack,KP,CN,3,t,") || !strings.Contains(rows[1], ",prohibited,test/ch03,") {
		t.Errorf("csv report:\n%s", cs.String())
	}
}
