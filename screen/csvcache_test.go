package screen

import (
	"encoding/csv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestCSVCellsMatchReference holds the CSV writer's cached cells to the
// reference writer on long plans (past cacheAfter) whose lines repeat a
// few reports, the same strings each time, mixed with near copies that
// differ in one thing the row shows (perturbReport), and across plans whose
// lists cells differ.
func TestCSVCellsMatchReference(t *testing.T) {
	base := syntheticReports(t)[:24]
	rng := rand.New(rand.NewPCG(1, 2))
	var plans []tradeplan.PlanReport
	for p := range 4 {
		var lines []tradeplan.LineReport
		for i := range 3000 {
			r := base[rng.IntN(len(base))]
			if rng.IntN(4) == 0 {
				r = perturbReport(r, rng.IntN(perturbations))
			}
			r.Index = i + 1
			lines = append(lines, r)
		}
		pr := tradeplan.PlanReport{ID: "plan" + string(rune('a'+p)), AsOf: "2026-11-01", Lines: lines,
			Lists: []tradeplan.ListVersion{{Name: "un", Version: strings.Repeat("1", p+1)}}}
		if p == 2 {
			pr.Notices = []string{"a notice, " + pr.ID}
		}
		plans = append(plans, pr)
	}
	for _, first := range []bool{false, true} {
		got, want := writeBoth(t, CSV, false, plans, first)
		if got != want {
			t.Fatalf("the report differs from the reference writer's:\n%s", firstDiff(got, want))
		}
	}
	// The cache is used.
	var c csvWriter
	c.BeginPlan(PlanHeader{ID: "x"})
	for i := range plans[0].Lines {
		c.out.b = c.out.b[:0]
		c.Line(&plans[0].Lines[i])
	}
	if c.row.cells == nil {
		t.Fatal("no cells cached past cacheAfter lines")
	}
	n := 0
	for i := range c.row.cells.head {
		if c.row.cells.head[i].gen == c.row.cells.gen {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no head cells cached")
	}
}

var otherBasis = &tradeplan.Basis{Rule: "other/rule", Citation: "Other, citation"}

const perturbations = 18

// perturbReport returns r changed in one thing its CSV row shows (kind 0:
// the same text in new strings, which the row shows the same).
func perturbReport(r tradeplan.LineReport, kind int) tradeplan.LineReport {
	r.Findings = slices.Clone(r.Findings)
	if r.Partner != nil {
		p := *r.Partner
		r.Partner = &p
	}
	switch kind {
	case 0:
		r.Description, r.Currency, r.HS.Code = strings.Clone(r.Description), strings.Clone(r.Currency), strings.Clone(r.HS.Code)
		r.Origin, r.Destination = strings.Clone(r.Origin), strings.Clone(r.Destination)
		for i := range r.Findings {
			r.Findings[i].Summary = strings.Clone(r.Findings[i].Summary)
		}
	case 1:
		r.Description += "x"
	case 2:
		r.Origin += "Q"
	case 3:
		r.HS.Code += "0"
	case 4:
		r.HS.Source += "classified"
	case 5:
		r.HS.Confidence += 0.5
	case 6:
		r.Verdict = (r.Verdict + 1) % 4
	case 7:
		if r.Partner == nil {
			r.Partner = &tradeplan.Party{Name: "x"}
		} else {
			r.Partner = nil
		}
	case 8:
		name := "=other, partner"
		if r.Partner != nil && r.Partner.Name != "" {
			name = strings.Repeat("z", len(r.Partner.Name)) // as long as the name
			if name == r.Partner.Name {
				name = "y" + name[1:]
			}
		}
		r.Partner = &tradeplan.Party{Name: name}
	case 9:
		r.Currency += "E"
	case 10:
		if len(r.Findings) > 0 {
			r.Findings[0].Summary += " changed"
		} else {
			r.Findings = []tradeplan.Finding{{Summary: "s"}}
		}
	case 11:
		if len(r.Findings) > 0 {
			r.Findings[len(r.Findings)-1].Basis = otherBasis
		} else {
			r.Findings = []tradeplan.Finding{{Basis: otherBasis}}
		}
	case 12:
		if len(r.Findings) > 0 {
			r.Findings[0].Outcome = (r.Findings[0].Outcome + 1) % 4
		} else {
			r.Findings = []tradeplan.Finding{{Outcome: tradeplan.Prohibited}}
		}
	case 13:
		r.Findings = append(r.Findings, tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Review, Summary: "one more", Basis: otherBasis})
	case 14:
		if len(r.Findings) > 0 {
			r.Findings = r.Findings[:len(r.Findings)-1]
		} else {
			r.Findings = []tradeplan.Finding{{}}
		}
	case 15:
		r.Pos += "p,1"
	case 16:
		r.Direction += "x"
	case 17:
		r.Destination += "Q"
	}
	return r
}

// TestCSVCellsKey: an entry's cells are used for a line with the same
// strings (the same text in new strings too), and for no line that differs
// in anything its row shows, whatever slot it would be looked up in.
func TestCSVCellsKey(t *testing.T) {
	const gen = 3
	synth := syntheticReports(t)
	changed := make([]int, perturbations)
	for i := range synth[:60] {
		r := &synth[i]
		var h csvHead
		var tl csvTail
		h.set(r, []byte("x"), gen)
		tl.set(r, []byte("x"), gen)
		same := perturbReport(*r, 0)
		if !h.matches(&same, gen) || len(r.Findings) <= maxCachedFindings && !tl.matches(&same, gen) {
			t.Errorf("report %d: the same text in new strings misses", i)
		}
		if h.matches(r, gen+1) || tl.matches(r, gen+1) {
			t.Errorf("report %d: an entry of another plan matches", i)
		}
		rh, rt := rowCells(r)
		for k := 1; k < perturbations; k++ {
			p := perturbReport(*r, k)
			ph, pt := rowCells(&p)
			if ph != rh || pt != rt {
				changed[k]++
			}
			if h.matches(&p, gen) && ph != rh {
				t.Errorf("report %d, change %d: the head matches, but its cells differ", i, k)
			}
			if tl.matches(&p, gen) && pt != rt {
				t.Errorf("report %d, change %d: the tail matches, but its cells differ", i, k)
			}
		}
	}
	for k := 1; k < perturbations; k++ {
		if changed[k] < 40 {
			t.Errorf("change %d changed the row of only %d reports of 60", k, changed[k])
		}
	}
}

// rowCells renders r's row with the reference writer and returns the
// cells the head and the tail cache.
func rowCells(r *tradeplan.LineReport) (head, tail string) {
	var b strings.Builder
	w := &refCSVWriter{bw: nopFlush{&b}, w: csv.NewWriter(&b)}
	w.BeginPlan(PlanHeader{ID: "x"})
	w.Line(r)
	w.w.Flush()
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil || len(rows) != 2 {
		panic(err)
	}
	f := rows[1]
	return strings.Join(f[2:7], "\x00"), strings.Join(f[10:], "\x00")
}

type nopFlush struct{ *strings.Builder }

func (nopFlush) Flush() error { return nil }
