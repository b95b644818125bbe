package imports

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

var week1 = time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)

// etPlan is a plan of lawful imports into Ethiopia for 2027-H1.
func etPlan(id string, lines ...tradeplan.Line) *tradeplan.Plan {
	for i := range lines {
		lines[i].Index = i + 1
		lines[i].Origin, lines[i].Destination = "DJ", "ET"
	}
	return &tradeplan.Plan{ID: id, Organisation: "Ministry of Trade " + id, Country: "ET", Lines: lines,
		Period: tradeplan.Period{Label: "2027-H1", From: week1, To: week1.AddDate(0, 0, 7*26-1)}}
}

func onWeek(l tradeplan.Line, w int) tradeplan.Line {
	l.Date = week1.AddDate(0, 0, 7*(w-1))
	return l
}

func via(l tradeplan.Line, crossing string) tradeplan.Line {
	l.Crossing = crossing
	return l
}

func crossingsDoc(t *testing.T, doc string) *Crossings {
	t.Helper()
	cs, err := ParseCrossings("test-crossings.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestClosedCrossingCarriesNothing(t *testing.T) {
	cs := crossingsDoc(t, `
crossings:
  - {name: Galafi, tonnes_per_week: 1000, closed_weeks: [1, 2]}
  - {name: Dewele, tonnes_per_week: 1000, open: false}
`)
	pl := etPlan("p",
		via(importLine(0, "wheat", "1001.99", "1500", "t", "450000"), "Galafi"),
		via(importLine(0, "medicines", "3004.90", "5", "t", "100000"), "Dewele"),
		importLine(0, "maize", "1005.90", "500", "t", "100000"), // any crossing
		via(importLine(0, "rice", "1006.30", "50", "t", "30000"), "Nowhere"),
	)
	r, err := Rank([]Entry{screenPlan(t, pl)}, Options{Currency: "USD", Receipts: d("10000000"), Policy: oneOrgPolicy(), Crossings: cs})
	if err != nil {
		t.Fatal(err)
	}
	for _, sl := range r.Schedule.Slots {
		if (sl.Crossing == "Dewele" || sl.Week <= 2) && (sl.Load.Sign() != 0 || len(sl.Lines) != 0 || !sl.Closed) {
			t.Errorf("%s week %d: closed, but carries %s t (%v)", sl.Crossing, sl.Week, sl.Load, sl.Lines)
		}
	}
	med := findLine(t, r, "p", 2)
	if med.Week != "" || !strings.Contains(med.Waiting, "Dewele is closed") {
		t.Errorf("medicines through a closed crossing: week %q, waiting %q", med.Week, med.Waiting)
	}
	if l := findLine(t, r, "p", 4); l.Week != "" || !strings.Contains(l.Waiting, `"Nowhere" is not in the crossings file`) {
		t.Errorf("rice through a crossing not in the file: week %q, waiting %q", l.Week, l.Waiting)
	}
	if w := findLine(t, r, "p", 1); w.Week != "3-4" || w.Crossing != "Galafi" {
		t.Errorf("wheat: weeks %q through %q, want 3-4 through Galafi", w.Week, w.Crossing)
	}
}

func TestWeeklyCapacityNeverExceeded(t *testing.T) {
	cs := crossingsDoc(t, `
tonnes_per: {bbl: 0.135, l: 0.00085}
crossings:
  - name: Galafi
    tonnes_per_week: 700
    vehicles: [{kind: trucks, per_week: 30, tonnes_each: 25}]
  - name: Dewele
    tonnes_per_week: 450.5
    closed_weeks: [3]
  - name: Djibouti port
    tonnes_per_week: 2000
    vehicles: [{kind: vessel calls, per_week: 2, tonnes_each: 800}, {kind: containers, per_week: 60, tonnes_each: 21.7}]
`)
	var lines []tradeplan.Line
	goods := []struct{ desc, hs, unit string }{
		{"wheat", "1001.99", "t"}, {"urea", "3102.10", "t"}, {"diesel", "2710.19", "bbl"},
		{"cranes", "8426.41", "kg"}, {"plastic film", "3920.10", "t"}, {"cooking oil", "1507.90", "l"},
	}
	crossings := []string{"", "Galafi", "Dewele", "Djibouti port"}
	for i := 0; i < 120; i++ {
		g := goods[i%len(goods)]
		qty := fmt.Sprint(37 + (i*7919)%900)
		if g.unit == "kg" || g.unit == "l" {
			qty += "000"
		}
		l := via(importLine(0, g.desc, g.hs, qty, g.unit, fmt.Sprint(1000+i*13)), crossings[i%len(crossings)])
		if i%5 == 0 {
			l = onWeek(l, 1+i%20)
		}
		lines = append(lines, l)
	}
	r, err := Rank([]Entry{screenPlan(t, etPlan("p", lines...))}, Options{Currency: "USD", Receipts: d("100000000"), Policy: oneOrgPolicy(), Crossings: cs})
	if err != nil {
		t.Fatal(err)
	}
	each := map[string][]Vehicle{}
	for _, c := range cs.Crossings {
		each[c.Name] = c.Vehicles
	}
	placed := 0
	for _, sl := range r.Schedule.Slots {
		sum := tradeplan.Decimal{}
		vehicles := make([]int, len(each[sl.Crossing]))
		for _, x := range sl.Lines {
			sum = sum.Add(x.Tonnes)
			for j, v := range each[sl.Crossing] {
				n, _ := x.Tonnes.QuoRound(v.TonnesEach, 0)
				if n.Mul(v.TonnesEach).Cmp(x.Tonnes) < 0 {
					n = n.Add(one)
				}
				vehicles[j] += int(n.Float64())
			}
			placed++
		}
		if !sum.Equal(sl.Load) || sl.Load.Cmp(sl.Capacity) > 0 {
			t.Errorf("%s week %d: lines %s t, load %s t, capacity %s t", sl.Crossing, sl.Week, sum, sl.Load, sl.Capacity)
		}
		for j, v := range each[sl.Crossing] {
			if sl.Closed {
				break
			}
			if vehicles[j] > v.PerWeek || sl.Vehicles[j].Used != vehicles[j] {
				t.Errorf("%s week %d: %d %s needed, %d counted, %d a week", sl.Crossing, sl.Week, vehicles[j], v.Kind, sl.Vehicles[j].Used, v.PerWeek)
			}
		}
		if sl.Closed && sl.Load.Sign() != 0 {
			t.Errorf("%s week %d closed, carries %s", sl.Crossing, sl.Week, sl.Load)
		}
	}
	if placed == 0 || len(r.Schedule.Waiting) == 0 {
		t.Errorf("placed %d parts, %d waiting: the test wants both", placed, len(r.Schedule.Waiting))
	}
	// Every line enters through its own crossing, never before its need date.
	for _, l := range r.Lines {
		for _, p := range l.Entries {
			src := lines[l.Line-1]
			if src.Crossing != "" && p.Crossing != src.Crossing {
				t.Errorf("line %d named %s, entered through %s", l.Line, src.Crossing, p.Crossing)
			}
			if !src.Date.IsZero() && week1.AddDate(0, 0, 7*(p.Week-1)).Before(src.Date.AddDate(0, 0, -6)) {
				t.Errorf("line %d needed %s, entered in week %d", l.Line, src.Date.Format(time.DateOnly), p.Week)
			}
		}
	}
}

func TestAgingMovesAWaitingLineAhead(t *testing.T) {
	// One crossing carries 100 t a week. A T4 line (100 t, needed in week
	// 1) waits while a T3 line of 100 t arrives every week for 12 weeks.
	// With aging every 4 weeks, in week 5 it counts as T3 with the earlier
	// need date, and enters; with no aging, it waits until the T3 lines
	// are gone.
	cs := crossingsDoc(t, "crossings: [{name: Galafi, tonnes_per_week: 100}]\n")
	lines := []tradeplan.Line{onWeek(importLine(0, "plastic film", "3920.10", "100", "t", "1000"), 1)}
	for w := 1; w <= 12; w++ {
		lines = append(lines, onWeek(importLine(0, "cranes", "8426.41", "100", "t", "1000"), w))
	}
	e := screenPlan(t, etPlan("p", lines...))
	for _, c := range []struct {
		aging int
		week  string
	}{{4, "5"}, {2, "3"}, {0, "13"}} {
		pol := oneOrgPolicy()
		pol.AgingWeeks = c.aging
		r, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("1000000"), Policy: pol, Crossings: cs})
		if err != nil {
			t.Fatal(err)
		}
		if l := findLine(t, r, "p", 1); l.Tier != 4 || l.Week != c.week {
			t.Errorf("aging %d weeks: the T%d line enters in week %q, want %s", c.aging, l.Tier, l.Week, c.week)
		}
	}
}

// With a currency limit per week, goods enter only as the currency
// arrives: what enters by each week costs no more than the weeks so far
// have brought, the rest waits saying why, and the crossings' room is not
// what stops it.
func TestCurrencyPerWeek(t *testing.T) {
	es := []Entry{screenPlan(t, etPlan("p",
		importLine(0, "wheat", "1001.99", "1000", "t", "300000"),
		importLine(0, "urea", "3102.10", "500", "t", "100000"),
	))}
	cs := crossingsDoc(t, "crossings: [{name: Galafi, tonnes_per_week: 100000}]\n")
	o := Options{Currency: "USD", Receipts: d("1000000"), Policy: oneOrgPolicy(), Crossings: cs, Weeks: 6, CurrencyPerWeek: d("60000")}
	r, err := Rank(es, o)
	if err != nil {
		t.Fatal(err)
	}
	paid := make([]tradeplan.Decimal, 7)
	for _, l := range r.Lines {
		if l.Status != Funded {
			t.Fatalf("%s %s: the budget covers every line", l.Description, l.Status)
		}
		for _, e := range l.Entries {
			price := l.FundedValue.Mul(e.Tonnes)
			q, _ := price.QuoRound(l.FundedQty, 2)
			paid[e.Week] = paid[e.Week].Add(q)
		}
	}
	cum := tradeplan.Decimal{}
	for w := 1; w <= 6; w++ {
		cum = cum.Add(paid[w])
		if limit := d("60000").Mul(tradeplan.DecimalInt(int64(w))); cum.Cmp(limit.Add(d("0.05"))) > 0 {
			t.Errorf("by week %d: %s paid, more than the %s arrived", w, cum, limit)
		}
	}
	// 360,000 arrives in six weeks of the 400,000 funded: wheat (T1) first,
	// whole, in weeks 1-5; the urea from week 6, 300 t of its 500 t, and
	// the rest waits for the currency.
	wheat, urea := findLine(t, r, "p", 1), findLine(t, r, "p", 2)
	if wheat.Waiting != "" || wheat.Week != "1-5" {
		t.Errorf("wheat: week %q waiting %q; want weeks 1-5, all of it", wheat.Week, wheat.Waiting)
	}
	if urea.Week != "6" || !strings.Contains(urea.Waiting, "200 t wait: the currency") {
		t.Errorf("urea week %q waiting %q: want 300 t in week 6 and the currency to say why the rest waits", urea.Week, urea.Waiting)
	}
	// Without the limit everything enters in week 1.
	o.CurrencyPerWeek = tradeplan.Decimal{}
	r, err = Rank(es, o)
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "p", 2); l.Week != "1" || l.Waiting != "" {
		t.Errorf("no limit: urea week %q waiting %q", l.Week, l.Waiting)
	}
}
