package rules

import (
	"context"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// TestNoDPRKConnection: no UN DPRK rule fires for a line with no DPRK origin,
// destination, partner, vessel or crossing, whatever its code, date or
// description ("Rajin" in a description or purpose is not a route).
func TestNoDPRKConnection(t *testing.T) {
	rng := rand.New(rand.NewSource(1718))
	countries := []string{"CN", "RU", "JP", "KR", "US", "DE", "IR", "SY", "MN", "VN", ""}
	words := []string{"jet fuel", "condensate", "luxury", "statue", "coal", "Rajin", "spare parts for aircraft", "livelihood", "", "used", "frozen pollack"}
	crossings := []string{"", "Dandong", "Vladivostok", "Khasan", "Busan", "spare parts for aircraft"}
	pick := func(s []string) string { return s[rng.Intn(len(s))] }
	for i := 0; i < 20000; i++ {
		hs := ""
		switch rng.Intn(4) {
		case 0:
			hs = randCode(rng, 2)
		case 1:
			hs = randCode(rng, 4)
		default:
			hs = randCode(rng, 6)
		}
		l := &tradeplan.Line{
			Origin: pick(countries), Destination: pick(countries),
			Description: pick(words) + " " + pick(words), Purpose: pick(words), Crossing: pick(crossings),
			Quantity: tradeplan.DecimalInt(int64(rng.Intn(1e6))), Unit: pick([]string{"t", "bbl", "pcs", "kg", ""}),
			Value: tradeplan.DecimalInt(int64(rng.Intn(1e7))), Currency: pick([]string{"USD", "EUR", ""}),
		}
		if rng.Intn(2) == 0 {
			l.Partner = &tradeplan.Party{Name: "X", Country: pick(countries)}
		}
		if rng.Intn(2) == 0 {
			l.Vessel = &tradeplan.Vessel{Name: "V", Flag: pick(countries)}
		}
		if rng.Intn(5) == 0 {
			l.Exemption = "REF-1"
		}
		l.Direction = []tradeplan.Direction{"", tradeplan.Export, tradeplan.Import}[rng.Intn(3)]
		g := tradeplan.GoodsLine{Line: l, HS: hs, AsOf: day0("2016-01-01").AddDate(0, 0, rng.Intn(4000)), Alternatives: []string{randCode(rng, 6)}}
		if fs := testEngine.ScreenGoods(g); len(fs) != 0 {
			t.Fatalf("line %+v (HS %s) has no DPRK link but got findings:%s", *l, hs, describe(fs))
		}
	}
}

func randCode(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	b[0] = byte('0' + rng.Intn(10))
	b[1] = byte('1' + rng.Intn(9))
	for i := 2; i < n; i++ {
		b[i] = byte('0' + rng.Intn(10))
	}
	return string(b)
}

// TestAsOf: the rules in force on the day decide.
func TestAsOf(t *testing.T) {
	t.Run("2017-06-01: seafood lawful, coal capped", func(t *testing.T) {
		fs := testEngine.ScreenGoods(ln("0303.67", "KP", "CN", asOf("2017-06-01")))
		if len(fs) != 0 {
			t.Errorf("seafood on 2017-06-01: want no finding, got%s", describe(fs))
		}
		fs = testEngine.ScreenGoods(ln("2701.12", "KP", "CN", asOf("2017-06-01"), qty(1000, "t"), val(60000, "USD")))
		if v := verdictOf(fs); v != tradeplan.Capped {
			t.Errorf("coal on 2017-06-01: verdict %s, want capped;%s", v, describe(fs))
		}
		for _, f := range fs {
			if f.Citation() != "UNSCR 2321 (2016) OP26" || f.Cap == nil {
				t.Errorf("coal finding %s %v: want the 2321 OP26 cap", f.Citation(), f.Cap)
			}
		}
	})
	t.Run("2016-01-01: nothing of 2270", func(t *testing.T) {
		for _, g := range []tradeplan.GoodsLine{
			ln("2701.12", "KP", "CN", asOf("2016-01-01")), ln("2601.11", "KP", "CN", asOf("2016-01-01")),
			ln("7108.12", "KP", "CN", asOf("2016-01-01")), ln("2710.19", "CN", "KP", desc("jet fuel"), asOf("2016-01-01")),
			ln("9102.11", "CH", "KP", asOf("2016-01-01")),
		} {
			for _, f := range testEngine.ScreenGoods(g) {
				if f.Resolution() == "2270" || f.Resolution() > "2270" {
					t.Errorf("HS %s on 2016-01-01: %s is not yet in force", g.HS, f.Citation())
				}
			}
		}
	})
	t.Run("shipment date wins over as-of", func(t *testing.T) {
		g := ln("0303.67", "KP", "CN", asOf("2024-01-01"))
		g.Line.Date = day0("2017-06-01")
		if fs := testEngine.ScreenGoods(g); len(fs) != 0 {
			t.Errorf("seafood shipped 2017-06-01: want none, got%s", describe(fs))
		}
	})
}

// TestReportGoods: the ten goods of the news report, exported from the DPRK,
// are all prohibited with the right citation (codes from the facts table).
func TestReportGoods(t *testing.T) {
	tests := []struct {
		name, hs, citation string
	}{
		{"salted pollack", "0305.69", "UNSCR 2371 (2017) OP9"},
		{"packaged crab meat", "1605.10", "UNSCR 2371 (2017) OP9"},
		{"dried clams", "0307.79", "UNSCR 2371 (2017) OP9"},
		{"dried pine mushrooms", "0712.39", "UNSCR 2397 (2017) OP6"},
		{"salted pine mushrooms", "0711.59", "UNSCR 2397 (2017) OP6"},
		{"medicinal herbs", "1211.90", "UNSCR 2397 (2017) OP6"},
		{"frozen pollack", "0303.67", "UNSCR 2371 (2017) OP9"},
		{"frozen herring", "0303.51", "UNSCR 2371 (2017) OP9"},
		{"frozen sole", "0303.39", "UNSCR 2371 (2017) OP9"},
		{"frozen sandfish", "0303.89", "UNSCR 2371 (2017) OP9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := ln(tc.hs, "KP", "CN", desc(tc.name), asOf("2023-01-01"))
			fs := testEngine.ScreenGoods(g)
			if v := verdictOf(fs); v != tradeplan.Prohibited {
				t.Fatalf("verdict %s, want prohibited;%s", v, describe(fs))
			}
			if len(fs) != 1 || fs[0].Citation() != tc.citation {
				t.Errorf("want one finding citing %s, got%s", tc.citation, describe(fs))
			}
			// The same goods under an importing plan whose partner is in the DPRK.
			g2 := tradeplan.GoodsLine{Line: &tradeplan.Line{Direction: tradeplan.Import, Destination: "CN", Partner: &tradeplan.Party{Name: "Korea Haegumgang Trading", Country: "KP"}}, HS: tc.hs, AsOf: day0("2023-01-01")}
			if v := verdictOf(testEngine.ScreenGoods(g2)); v != tradeplan.Prohibited {
				t.Errorf("import from a DPRK partner: verdict %s, want prohibited", v)
			}
		})
	}
}

func TestClassificationFindings(t *testing.T) {
	t.Run("salted pine mushrooms: 0711.59 banned vs 2003.90 not covered", func(t *testing.T) {
		g := ln("0711.59", "KP", "CN")
		g.Alternatives = []string{"2003.90"}
		fs := testEngine.ScreenGoods(g)
		var cl *tradeplan.Finding
		for i := range fs {
			if fs[i].Kind == tradeplan.KindClassification {
				cl = &fs[i]
			}
		}
		if cl == nil || cl.Outcome != tradeplan.Review {
			t.Fatalf("want a classification review finding;%s", describe(fs))
		}
		for _, w := range []string{"0711.59", "prohibited", "2003.90", "clear", "UNSCR 2397 (2017) OP6"} {
			if !strings.Contains(cl.Summary, w) {
				t.Errorf("summary %q lacks %q", cl.Summary, w)
			}
		}
	})
	t.Run("alternatives with the same outcome add nothing", func(t *testing.T) {
		g := ln("0303.67", "KP", "CN")
		g.Alternatives = []string{"0303.69", "030367"}
		for _, f := range testEngine.ScreenGoods(g) {
			if f.Kind == tradeplan.KindClassification {
				t.Errorf("unexpected classification finding: %s", f.Summary)
			}
		}
	})
	// goods listed in one description ("dried mushrooms, seafood and herbs"):
	// each banned good's rule is cited, though the line is prohibited already
	t.Run("a list of banned goods cites each rule", func(t *testing.T) {
		g := ln("0712.39", "KP", "CN", asOf("2023-01-01"))
		g.Alternatives = []string{"0308.90", "1211.90"}
		fs := testEngine.ScreenGoods(g)
		if len(ruleFindings(fs, "2397-op6")) == 0 || len(ruleFindings(fs, "2371-op9")) == 0 {
			t.Errorf("want 2397 OP6 (mushrooms, herbs) and 2371 OP9 (seafood) cited;%s", describe(fs))
		}
		for _, f := range ruleFindings(fs, "2371-op9") {
			if !anyContains(f.Notes, "HS 0308.90") {
				t.Errorf("2371 OP9 finding does not say it is for the goods read as HS 0308.90: %q", f.Notes)
			}
		}
		// before 2371 (5 August 2017) the seafood was lawful: nothing more is cited
		g.AsOf = day0("2017-06-01")
		if fs := testEngine.ScreenGoods(g); len(ruleFindings(fs, "2371-op9")) != 0 {
			t.Errorf("2371 OP9 cited before its adoption;%s", describe(fs))
		}
	})
	t.Run("no HS code on a DPRK line", func(t *testing.T) {
		fs := testEngine.ScreenGoods(ln("", "KP", "CN", desc("sea cucumbers")))
		if len(fs) != 1 || fs[0].Kind != tradeplan.KindClassification || fs[0].Outcome != tradeplan.Review || !anyContains(fs[0].Missing, "HS code") {
			t.Errorf("want one classification review naming the HS code;%s", describe(fs))
		}
	})
	t.Run("no HS code, no DPRK link", func(t *testing.T) {
		if fs := testEngine.ScreenGoods(ln("", "CN", "JP")); len(fs) != 0 {
			t.Errorf("want none;%s", describe(fs))
		}
	})
	t.Run("invalid HS code", func(t *testing.T) {
		fs := testEngine.ScreenGoods(ln("03A", "KP", "CN"))
		if len(fs) != 1 || fs[0].Outcome != tradeplan.Review || fs[0].Kind != tradeplan.KindClassification {
			t.Errorf("want a classification review;%s", describe(fs))
		}
	})
	t.Run("national code cut to HS6", func(t *testing.T) {
		fs := testEngine.ScreenGoods(ln("0303.67.10.00", "KP", "CN"))
		if verdictOf(fs) != tradeplan.Prohibited || !anyContains(fs[0].Notes, "screened as HS6 0303.67") {
			t.Errorf("want prohibited with a note on the cut;%s", describe(fs))
		}
	})
	t.Run("chapter-only code meets heading rules: review", func(t *testing.T) {
		fs := testEngine.ScreenGoods(ln("16", "KP", "CN"))
		f := ruleFindings(fs, "2371-op9")
		if len(f) != 1 || f[0].Outcome != tradeplan.Review || !anyContains(f[0].Missing, "HS code at 4 digits") {
			t.Errorf("want 2371 OP9 review asking for the heading;%s", describe(fs))
		}
	})
}

func TestFlows(t *testing.T) {
	tests := []struct {
		name    string
		g       tradeplan.GoodsLine
		rule    string
		outcome tradeplan.Verdict
		note    string
	}{
		{"export plan to a DPRK partner: to-target", ln("8429.52", "CN", "", partner("KP", tradeplan.Export)), "2397-op7", tradeplan.Prohibited, ""},
		{"import plan from a DPRK partner: from-target", ln("0303.67", "", "CN", partner("KP", tradeplan.Import)), "2371-op9", tradeplan.Prohibited, ""},
		{"DPRK partner, direction unknown: assumed, review", ln("0303.67", "", "", partner("KP", "")), "2371-op9", tradeplan.Review, "flow assumed"},
		{"Chinese fish on a DPRK-flagged ship: transfer using its flag vessels", ln("0303.67", "CN", "JP", vessel("KP")), "2371-op9", tradeplan.Prohibited, ""},
		{"excavator on a DPRK-flagged ship: supply assumed, review", ln("8429.52", "CN", "RU", vessel("KP")), "2397-op7", tradeplan.Review, "flow assumed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := testEngine.ScreenGoods(tc.g)
			f := ruleFindings(fs, tc.rule)
			if len(f) == 0 || f[0].Outcome != tc.outcome {
				t.Fatalf("want %s from %s;%s", tc.outcome, tc.rule, describe(fs))
			}
			if tc.note != "" && !anyContains(f[0].Notes, tc.note) {
				t.Errorf("notes %q lack %q", f[0].Notes, tc.note)
			}
		})
	}
}

func TestExemptionNeverClears(t *testing.T) {
	for _, hs := range []string{"0303.67", "8429.52", "2710.19"} {
		g := ln(hs, "KP", "KP", exemption("1718/EX/2024/3"), desc("diesel"), qty(10, "bbl"))
		fs := testEngine.ScreenGoods(g)
		if v := verdictOf(fs); v != tradeplan.Review {
			t.Errorf("HS %s with an exemption: verdict %s, want review;%s", hs, v, describe(fs))
		}
		if len(ruleFindings(fs, "2375-op26")) != 1 {
			t.Errorf("HS %s: want the exemption procedure finding;%s", hs, describe(fs))
		}
	}
}

// TestLedger: the diesel import capped within 500,000 bbl per 12 months, a
// line crossing it prohibited for the excess.
func TestLedger(t *testing.T) {
	plan := []tradeplan.GoodsLine{
		ln("2710.19", "CN", "KP", desc("diesel"), qty(300000, "bbl"), asOf("2024-03-01")),
		ln("2710.19", "CN", "KP", desc("diesel"), qty(150000, "bbl"), asOf("2024-03-01")),
		ln("2710.19", "CN", "KP", desc("diesel"), qty(10000, "t"), asOf("2024-03-01")),  // 85,000 bbl: 470,000 used before, so 55,000 beyond
		ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2024-03-01")), // all beyond
	}
	want := []struct {
		outcome                 tradeplan.Verdict
		used, remaining, excess float64
	}{
		{tradeplan.Capped, 20000, 180000, 0},
		{tradeplan.Capped, 320000, 30000, 0},
		{tradeplan.Prohibited, 470000, 0, 55000},
		{tradeplan.Prohibited, 555000, 0, 1000},
	}
	led := NewLedger(fixedUsage{"un-dprk/refined": 20000})
	for i, g := range plan {
		fs := testEngine.ScreenGoods(g)
		if err := led.Apply(context.Background(), fs); err != nil {
			t.Fatal(err)
		}
		f := ruleFindings(fs, "2397-op5")
		if len(f) != 1 || f[0].Cap == nil {
			t.Fatalf("line %d: want one capped finding;%s", i+1, describe(fs))
		}
		c := f[0].Cap
		if c.From != day0("2024-01-01") || c.To != day0("2024-12-31") || c.Limit.Cmp(tradeplan.D(500000)) != 0 || c.Unit != "bbl" {
			t.Errorf("line %d: cap window %v-%v limit %v %s", i+1, c.From, c.To, c.Limit, c.Unit)
		}
		w := want[i]
		if f[0].Outcome != w.outcome || !near(c.Used, w.used) || !near(c.Remaining, w.remaining) || !near(c.Excess, w.excess) {
			t.Errorf("line %d: %s used %v remaining %v excess %v; want %s %v %v %v", i+1, f[0].Outcome, c.Used, c.Remaining, c.Excess, w.outcome, w.used, w.remaining, w.excess)
		}
		if w.excess > 0 && !anyContains(f[0].Notes, "beyond it are prohibited") {
			t.Errorf("line %d: notes should say how much is beyond the cap: %q", i+1, f[0].Notes)
		}
	}
	t.Run("windows are separate", func(t *testing.T) {
		led := NewLedger(nil)
		for _, d := range []string{"2024-06-01", "2025-06-01"} {
			fs := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel"), qty(400000, "bbl"), asOf(d)))
			if err := led.Apply(context.Background(), fs); err != nil {
				t.Fatal(err)
			}
			if v := verdictOf(fs); v != tradeplan.Capped {
				t.Errorf("%s: %s, want capped (a new 12-month window)", d, v)
			}
		}
	})
	t.Run("crude in tonnes converts with the resolution's ratio", func(t *testing.T) {
		fs := testEngine.ScreenGoods(ln("2709", "RU", "KP", desc("crude oil"), qty(525000, "t"), asOf("2018-03-01")))
		f := ruleFindings(fs, "2397-op4")
		if len(f) != 1 || !near(f[0].Cap.Quantity, 4000000) {
			t.Fatalf("525,000 t should be 4,000,000 bbl;%s", describe(fs))
		}
		if f[0].Cap.From != day0("2017-12-22") || f[0].Cap.To != day0("2018-12-21") {
			t.Errorf("rolling window %v - %v, want 2017-12-22 - 2018-12-21", f[0].Cap.From, f[0].Cap.To)
		}
		led := NewLedger(nil)
		if err := led.Apply(context.Background(), fs); err != nil {
			t.Fatal(err)
		}
		if f := ruleFindings(fs, "2397-op4"); f[0].Outcome != tradeplan.Capped || f[0].Cap.Remaining.Cmp(tradeplan.D(1)) > 0 {
			t.Errorf("exactly the cap: %s remaining %v", f[0].Outcome, f[0].Cap.Remaining)
		}
	})
	t.Run("coal: whichever of tonnes and dollars is lower binds", func(t *testing.T) {
		led := NewLedger(nil)
		fs := testEngine.ScreenGoods(ln("2701.12", "KP", "CN", qty(100000, "t"), val(500000000, "USD"), asOf("2017-03-01")))
		if err := led.Apply(context.Background(), fs); err != nil {
			t.Fatal(err)
		}
		if v := verdictOf(fs); v != tradeplan.Prohibited {
			t.Errorf("US$500m of coal crosses the US$400,870,018 cap: %s;%s", v, describe(fs))
		}
	})
	t.Run("usage error is reported", func(t *testing.T) {
		led := NewLedger(failingUsage{})
		fs := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel"), qty(1, "bbl")))
		if err := led.Apply(context.Background(), fs); err == nil {
			t.Error("want the usage error")
		}
	})
}

func near(a tradeplan.Decimal, b float64) bool {
	d := a.Sub(tradeplan.D(b))
	return tradeplan.MaxDecimal(d, d.Neg()).Cmp(tradeplan.D(0.01)) <= 0
}

type fixedUsage map[string]float64

func (u fixedUsage) CapUsed(_ context.Context, id string, _, _ time.Time) (tradeplan.Decimal, error) {
	return tradeplan.D(u[id]), nil
}

type failingUsage struct{}

func (failingUsage) CapUsed(context.Context, string, time.Time, time.Time) (tradeplan.Decimal, error) {
	return tradeplan.Decimal{}, tradeplan.Errorf(tradeplan.EInternal, "database down")
}

// TestConcurrent: ScreenGoods from many goroutines gives the same answers
// (run with -race).
func TestConcurrent(t *testing.T) {
	lines := []tradeplan.GoodsLine{
		ln("0303.67", "KP", "CN"), ln("2709", "RU", "KP"), ln("8703.10", "CA", "KP", qty(1, "pcs"), val(5000, "USD")),
		ln("0711.59", "KP", "CN", desc("salted pine mushrooms")),
	}
	want := make([]string, len(lines))
	for i, g := range lines {
		want[i] = describe(testEngine.ScreenGoods(g))
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				i := n % len(lines)
				if got := describe(testEngine.ScreenGoods(lines[i])); got != want[i] {
					t.Errorf("line %d: %s != %s", i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestLedgerEdges(t *testing.T) {
	ctx := context.Background()
	t.Run("a review line crossing the cap stays review, with a note", func(t *testing.T) {
		led := NewLedger(fixedUsage{"un-dprk/refined": 499000})
		fs := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel"), qty(5000, "bbl"), exemption("1718/EX/9")))
		if err := led.Apply(ctx, fs); err != nil {
			t.Fatal(err)
		}
		f := ruleFindings(fs, "2397-op5")
		if len(f) != 1 || f[0].Outcome != tradeplan.Review || !near(f[0].Cap.Excess, 4000) || !anyContains(f[0].Notes, "crosses cap") {
			t.Errorf("want review with 4000 bbl excess noted;%s %+v", describe(fs), f[0].Cap)
		}
	})
	t.Run("two findings of one line on one cap draw once", func(t *testing.T) {
		led := NewLedger(nil)
		fs := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl")))
		second := fs[0]
		cu := *fs[0].Cap
		second.Cap = &cu
		fs = append(fs, second)
		if err := led.Apply(ctx, fs); err != nil {
			t.Fatal(err)
		}
		if !fs[0].Cap.Used.IsZero() || !fs[1].Cap.Used.IsZero() || !near(fs[1].Cap.Remaining, 499000) {
			t.Errorf("second finding drew again: %+v %+v", fs[0].Cap, fs[1].Cap)
		}
		next := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl")))
		if err := led.Apply(ctx, next); err != nil {
			t.Fatal(err)
		}
		if !near(next[0].Cap.Used, 1000) {
			t.Errorf("next line: used %v, want 1000", next[0].Cap.Used)
		}
	})
	t.Run("a line with no quantity draws nothing and stays review", func(t *testing.T) {
		led := NewLedger(nil)
		fs := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel")))
		if err := led.Apply(ctx, fs); err != nil {
			t.Fatal(err)
		}
		if fs[0].Outcome != tradeplan.Review || !fs[0].Cap.Quantity.IsZero() || fs[0].Cap.Remaining.Cmp(tradeplan.D(500000)) != 0 {
			t.Errorf("got %s %+v", fs[0].Outcome, fs[0].Cap)
		}
	})
}

// TestLedgerFillsCapExactly is the example of issue 23: 222,693.7 +
// 200,087.6 + 77,218.7 bbl fill the 500,000 bbl cap of 2397 OP5 exactly, so
// the third line is capped with nothing left; 0.1 bbl more is prohibited
// with an excess of exactly 0.1.
func TestLedgerFillsCapExactly(t *testing.T) {
	for _, tc := range []struct {
		third   string
		outcome tradeplan.Verdict
		excess  string
		left    string
	}{
		{"77218.7", tradeplan.Capped, "0", "0"},
		{"77218.8", tradeplan.Prohibited, "0.1", "0"},
		{"77218.6", tradeplan.Capped, "0", "0.1"},
	} {
		led := NewLedger(nil)
		var last []tradeplan.Finding
		for _, q := range []string{"222693.7", "200087.6", tc.third} {
			g := ln("2710.19", "CN", "KP", desc("diesel"), asOf("2024-03-01"))
			g.Line.Quantity, g.Line.Unit = tradeplan.MustDecimal(q), "bbl"
			last = testEngine.ScreenGoods(g)
			if err := led.Apply(context.Background(), last); err != nil {
				t.Fatal(err)
			}
		}
		f := ruleFindings(last, "2397-op5")
		if len(f) != 1 {
			t.Fatalf("want one finding;%s", describe(last))
		}
		c := f[0].Cap
		if f[0].Outcome != tc.outcome || c.Excess.String() != tc.excess || c.Remaining.String() != tc.left || c.Used.String() != "422781.3" {
			t.Errorf("third line %s: %s used %s excess %s remaining %s; want %s excess %s remaining %s", tc.third, f[0].Outcome, c.Used, c.Excess, c.Remaining, tc.outcome, tc.excess, tc.left)
		}
		for _, n := range f[0].Notes {
			if strings.Contains(n, "0000000") || strings.Contains(n, "9999999") {
				t.Errorf("float noise in a note: %q", n)
			}
		}
	}
}

// TestThroughDPRK: a line whose crossing names a DPRK port or border
// crossing relates to the DPRK whatever its origin and destination; both
// flows are assumed, so nothing is prohibited on that ground alone, and a
// line with no such crossing stays clear.
func TestThroughDPRK(t *testing.T) {
	for _, cr := range []string{"Rajin", "Rason port", "Khasan-Najin railway", "Dandong - Sinuiju bridge", "NAMPO"} {
		for _, hs := range []string{"2701.12", "0303.67", "8429.52", "9302"} {
			g := ln(hs, "RU", "CN", func(g *tradeplan.GoodsLine) { g.Line.Crossing = cr })
			fs := testEngine.ScreenGoods(g)
			if len(fs) == 0 {
				t.Errorf("HS %s through %q: no finding", hs, cr)
			}
			for _, f := range fs {
				if f.Outcome == tradeplan.Prohibited {
					t.Errorf("HS %s through %q: prohibited on an assumed flow:%s", hs, cr, describe(fs))
				}
			}
		}
	}
	g := ln("2701.12", "RU", "CN", func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Rajin" })
	x := testEngine.Explain(g)
	if x.Verdict != tradeplan.Review {
		t.Errorf("Russian coal through Rajin: verdict %s, want review", x.Verdict)
	}
	// A place name is a whole word: Namyangju (South Korea), "manpower",
	// "Hyesanbridge" and Rasonable are no DPRK places; Namyang, Manpo and
	// "Rajin-Sonbong" are.
	for _, tt := range []struct {
		crossing string
		through  bool
	}{
		{"Namyangju logistics hub", false},
		{"Manpower Logistics yard, Incheon", false},
		{"Rasonable Freight terminal", false},
		{"Wonsanbay Terminal, Vladivostok", false},
		{"Namyang", true},
		{"Manpo-Ji'an bridge", true},
		{"Rajin-Sonbong", true},
		{"NAMP'O", true},
	} {
		fs := testEngine.ScreenGoods(ln("2701.12", "RU", "CN", func(g *tradeplan.GoodsLine) { g.Line.Crossing = tt.crossing }))
		if got := len(fs) > 0; got != tt.through {
			t.Errorf("Russian coal to China via %q: through the DPRK %v, want %v:%s", tt.crossing, got, tt.through, describe(fs))
		}
	}
	// Goods into or out of the DPRK keep their established flow: a crossing
	// adds no assumed flow the other way.
	fs := testEngine.ScreenGoods(ln("8429.52", "CN", "KP", func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Sinuiju" }))
	if len(ruleFindings(fs, "2397-op6")) != 0 || len(ruleFindings(fs, "2397-op7")) == 0 {
		t.Errorf("excavator to KP via Sinuiju: want 2397 OP7 only, got%s", describe(fs))
	}
}
