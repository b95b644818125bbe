package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// twoCapsPack has a rule with notes of its own and two caps, each counting
// a line's tonnes in its own unit: each cap's finding says how the line was
// counted in that cap, and only there (a national code adds a note before
// the caps' own: the findings must not share where their notes grow).
const twoCapsPack = `pack: test-caps
regime: Test caps
instrument: Order
target: KP
rules:
  - id: fuel
    title: Fuel
    citation: {resolution: "7", year: 2020, paragraph: "Art. 1"}
    status: recalled
    status_note: the article number as recalled
    policy: all of heading 2710 counts as fuel
    effective: {from: 2020-01-01}
    flow: to-target
    goods:
      include: ["2710"]
    caps:
      - id: fuel-bbl
        limit: 1000000
        unit: bbl
        period: calendar-year
        conversions:
          - {from: t, factor: 8, note: "8 barrels per tonne"}
      - id: fuel-l
        limit: 100000000
        unit: l
        period: calendar-year
        conversions:
          - {from: t, factor: 1200, note: "1200 litres per tonne"}
    outcome: capped
    summary: Fuel to KP is capped
`

func TestTwoCapsNotes(t *testing.T) {
	pk, probs := parsePack("caps.yaml", []byte(twoCapsPack))
	if len(probs) > 0 {
		t.Fatal(probs.Err("caps.yaml"))
	}
	e, err := New(pk)
	if err != nil {
		t.Fatal(err)
	}
	day := day0("2021-03-01")
	// A national code (cut to HS6, a note before the caps' own) on a line
	// in tonnes.
	for _, code := range []string{"2710.19", "2710.19.4100"} {
		g := ln(code, "CN", "KP", desc("diesel"), qty(10, "t"))
		g.AsOf = day
		fs := e.ScreenGoods(g)
		if len(fs) != 2 {
			t.Fatalf("%s: want a finding per cap;%s", code, describe(fs))
		}
		for _, want := range []struct{ cap, note string }{{"fuel-bbl", "80 bbl"}, {"fuel-l", "12000 l"}} {
			var f *tradeplan.Finding
			for i := range fs {
				if fs[i].Cap != nil && strings.HasSuffix(fs[i].Cap.Cap, "/"+want.cap) {
					f = &fs[i]
				}
			}
			if f == nil {
				t.Fatalf("%s: no finding for cap %s;%s", code, want.cap, describe(fs))
			}
			joined := strings.Join(f.Notes, " | ")
			if !strings.Contains(joined, "counted as "+want.note) {
				t.Errorf("%s, cap %s: notes %q do not say the line was counted as %s", code, want.cap, joined, want.note)
			}
		}
	}
}

func TestEngineChanges(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC)
	ds := e.Changes(from, to)
	if len(ds) == 0 {
		t.Fatal("no rule changes in 2017-2018, the years of 2371, 2375 and 2397")
	}
	for i, d := range ds {
		if !d.After(from) || d.After(to) || (i > 0 && !d.After(ds[i-1])) {
			t.Fatalf("changes %v: %s out of range or order", ds, d)
		}
	}
	if got := e.Changes(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Fatalf("changes in 2030: %v", got)
	}
}
