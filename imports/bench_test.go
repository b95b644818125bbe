package imports

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// benchWorld is n import lines of 1,000 organisations over 26 weeks and 20
// crossings, as screening would leave them (clear, HS codes assigned).
func benchWorld(n int) ([]Entry, *Crossings) {
	codes := []string{"100199", "110100", "300490", "310210", "271019", "842641", "392010", "870323", "560811", "150790"}
	cs := &Crossings{File: "bench", TonnesPer: map[string]tradeplan.Decimal{"bbl": tradeplan.MustDecimal("0.135")}}
	for c := 0; c < 20; c++ {
		x := Crossing{Name: "crossing-" + strconv.Itoa(c), Open: c != 7, ClosedWeeks: map[int]bool{}, TonnesPerWeek: tradeplan.DecimalInt(int64(20000 + 1000*c))}
		if c%3 == 0 {
			x.Vehicles = []Vehicle{{Kind: "trucks", PerWeek: 900, TonnesEach: tradeplan.DecimalInt(25)}}
		}
		if c%4 == 0 {
			x.ClosedWeeks[3], x.ClosedWeeks[4] = true, true
		}
		cs.Crossings = append(cs.Crossings, x)
	}
	const orgs = 1000
	per := n / orgs
	var es []Entry
	start := week1
	for o := 0; o < orgs; o++ {
		pl := &tradeplan.Plan{ID: "plan-" + strconv.Itoa(o), Organisation: "Organisation " + strconv.Itoa(o), Country: "ET",
			Period: tradeplan.Period{Label: "2027-H1", From: start, To: start.AddDate(0, 0, 7*26-1)}}
		rep := &tradeplan.PlanReport{ID: pl.ID}
		for i := 0; i < per; i++ {
			k := o*per + i
			code := codes[k%len(codes)]
			unit := "t"
			if code == "271019" {
				unit = "bbl"
			}
			l := tradeplan.Line{Index: i + 1, Direction: tradeplan.Import, Description: "goods " + code, HS: code, Origin: "DJ", Destination: "ET",
				Quantity: tradeplan.DecimalInt(int64(5 + (k*7919)%400)), Unit: unit,
				Value: tradeplan.NewDecimal(int64(100000+(k*104729)%9000000), -2), Currency: "USD"}
			if k%2 == 0 {
				l.Crossing = cs.Crossings[k%20].Name
			}
			if k%5 == 0 {
				l.Date = start.AddDate(0, 0, 7*(k%26))
			}
			pl.Lines = append(pl.Lines, l)
			rep.Lines = append(rep.Lines, tradeplan.LineReport{Index: l.Index, HS: tradeplan.HSAssignment{Code: code, Source: "declared"}})
		}
		es = append(es, Entry{Plan: pl, Report: rep})
	}
	return es, cs
}

// BenchmarkRank100k ranks 100,000 import lines over 26 weeks and 20
// crossings with the greedy allocator and scheduler (docs/benchmarks.md).
func BenchmarkRank100k(b *testing.B) {
	es, cs := benchWorld(100_000)
	o := Options{Currency: "USD", Receipts: tradeplan.MustDecimal("2500000000"), Crossings: cs}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Rank(es, o)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Lines) != 100_000 {
			b.Fatal(fmt.Sprint(len(r.Lines)))
		}
	}
}

// BenchmarkRank100kNoSchedule is the allocation alone, without crossings.
func BenchmarkRank100kNoSchedule(b *testing.B) {
	es, _ := benchWorld(100_000)
	o := Options{Currency: "USD", Receipts: tradeplan.MustDecimal("2500000000")}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Rank(es, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSortByClaim100k is the baseline: what the call report did
// before, a sort of the import lines by claimed necessity, then value.
func BenchmarkSortByClaim100k(b *testing.B) {
	es, _ := benchWorld(100_000)
	rank := map[tradeplan.Necessity]int{tradeplan.Critical: 0, tradeplan.Essential: 1, tradeplan.Useful: 2, "": 3}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var ls []*tradeplan.Line
		for _, e := range es {
			for i := range e.Plan.Lines {
				ls = append(ls, &e.Plan.Lines[i])
			}
		}
		slices.SortStableFunc(ls, func(x, y *tradeplan.Line) int {
			if c := cmp.Compare(rank[x.Necessity], rank[y.Necessity]); c != 0 {
				return c
			}
			return y.Value.Cmp(x.Value)
		})
	}
}
