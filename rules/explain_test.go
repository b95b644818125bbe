package rules

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestExplainNearReasons: Explain says why near rules did not apply.
func TestExplainNearReasons(t *testing.T) {
	tests := []struct {
		name string
		g    tradeplan.GoodsLine
		rule string
		why  string
	}{
		{"wrong direction", ln("0303.67", "CN", "KP"), "2371-op9", "wrong direction"},
		{"not in force", ln("0303.67", "KP", "CN", asOf("2017-06-01")), "2371-op9", "not in force on 2017-06-01"},
		{"superseded", ln("2701.12", "KP", "CN"), "2321-op26", "superseded by un-dprk/2371-op8"},
		{"excluded code", ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(1, "pcs"), val(100, "USD")), "2094-annex-iv-transport", "is excluded"},
		{"below threshold", ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(1, "pcs"), val(100, "USD")), "2270-annex-v-snowmobiles", "not above the threshold"},
		{"other country", ln("0303.67", "CN", "JP"), "2371-op9", "other country"},
		{"description excludes", ln("2709", "RU", "KP", desc("gas condensate")), "2397-op4", "names \"condensate\""},
		{"same chapter, other code", ln("2003.90", "KP", "CN"), "", ""},
		{"other heading in chapter", ln("0106", "KP", "CN", asOf("2017-06-01")), "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := testEngine.Explain(tc.g)
			if tc.rule == "" {
				return
			}
			for _, n := range x.Near {
				if n.Rule == "un-dprk/"+tc.rule {
					if !strings.Contains(n.Why, tc.why) {
						t.Errorf("why %q lacks %q", n.Why, tc.why)
					}
					return
				}
			}
			t.Errorf("rule %s not among near rules: %+v", tc.rule, x.Near)
		})
	}
	t.Run("matched and findings agree with ScreenGoods", func(t *testing.T) {
		g := ln("2709", "RU", "KP", qty(10, "t"))
		x := testEngine.Explain(g)
		if describe(x.Findings) != describe(testEngine.ScreenGoods(g)) {
			t.Errorf("Explain findings differ from ScreenGoods")
		}
		if len(x.Matched) != len(x.Findings) || x.Verdict != tradeplan.Review {
			t.Errorf("matched %d findings %d verdict %s", len(x.Matched), len(x.Findings), x.Verdict)
		}
		var b bytes.Buffer
		if err := x.WriteText(&b); err != nil || !strings.Contains(b.String(), "missing: a goods description naming") {
			t.Errorf("text lacks the missing description:\n%s", b.String())
		}
	})
}

func TestCapWindows(t *testing.T) {
	c, ok := testEngine.Cap("un-dprk/crude")
	if !ok {
		t.Fatal("no crude cap")
	}
	tests := []struct{ day, from, to string }{
		{"2017-12-22", "2017-12-22", "2018-12-21"},
		{"2018-12-21", "2017-12-22", "2018-12-21"},
		{"2018-12-22", "2018-12-22", "2019-12-21"},
		{"2024-02-29", "2023-12-22", "2024-12-21"},
	}
	for _, tc := range tests {
		from, to, ok := c.Window(day0(tc.day))
		if !ok || !from.Equal(day0(tc.from)) || !to.Equal(day0(tc.to)) {
			t.Errorf("%s: window %v-%v %v, want %s-%s", tc.day, from, to, ok, tc.from, tc.to)
		}
	}
	if _, _, ok := c.Window(day0("2017-12-21")); ok {
		t.Error("a day before the start has a window")
	}
	fixed, _ := testEngine.Cap("un-dprk/coal-2016-t")
	if _, _, ok := fixed.Window(day0("2017-01-01")); ok {
		t.Error("a day after a fixed window has a window")
	}
}
