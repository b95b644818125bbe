package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func day0(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var testEngine = func() *Engine {
	e, err := Default()
	if err != nil {
		panic(err)
	}
	return e
}()

// ln builds a line: HS code, origin, destination, and options.
func ln(hs, from, to string, opts ...func(*tradeplan.GoodsLine)) tradeplan.GoodsLine {
	g := tradeplan.GoodsLine{Line: &tradeplan.Line{Index: 1, Origin: from, Destination: to}, HS: hs, AsOf: day0("2024-01-01")}
	for _, o := range opts {
		o(&g)
	}
	return g
}

func asOf(s string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.AsOf = day0(s) }
}
func desc(s string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.Line.Description = s }
}
func qty(q float64, u string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.Line.Quantity, g.Line.Unit = tradeplan.D(q), u }
}
func val(v float64, cur string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.Line.Value, g.Line.Currency = tradeplan.D(v), cur }
}
func exemption(ref string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.Line.Exemption = ref }
}
func purpose(s string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.Line.Purpose = s }
}
func vessel(flag string) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) { g.Line.Vessel = &tradeplan.Vessel{Name: "TEST", Flag: flag} }
}
func partner(cc string, d tradeplan.Direction) func(*tradeplan.GoodsLine) {
	return func(g *tradeplan.GoodsLine) {
		g.Line.Partner = &tradeplan.Party{Name: "Partner", Country: cc}
		g.Line.Direction = d
	}
}

func ruleFindings(fs []tradeplan.Finding, rule string) []tradeplan.Finding {
	var out []tradeplan.Finding
	for _, f := range fs {
		if f.Rule == "un-dprk/"+rule {
			out = append(out, f)
		}
	}
	return out
}

func verdictOf(fs []tradeplan.Finding) tradeplan.Verdict {
	v := tradeplan.Clear
	for _, f := range fs {
		v = v.Stricter(f.Outcome)
	}
	return v
}

func describe(fs []tradeplan.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\n  " + f.Outcome.String() + " " + f.Rule + " " + f.Kind + ": " + f.Summary)
		for _, m := range f.Missing {
			b.WriteString(" [missing " + m + "]")
		}
	}
	return b.String()
}

// TestRules: every rule with cases taken from its paragraph's wording. rule
// is the rule under test; fires says whether it must produce a finding, with
// outcome; verdict is the line's strictest outcome over all rules.
func TestRules(t *testing.T) {
	P, C, R, CL := tradeplan.Prohibited, tradeplan.Capped, tradeplan.Review, tradeplan.Clear
	tests := []struct {
		name    string
		rule    string
		g       tradeplan.GoodsLine
		fires   bool
		outcome tradeplan.Verdict
		verdict tradeplan.Verdict
		missing string // a substring of a Missing entry of the rule's finding
		note    string // a substring of a note of the rule's finding
		status  string
	}{
		// 1718 OP8: arms both ways.
		{name: "arms: rifles to KP", rule: "1718-op8-arms", g: ln("9301.10", "CN", "KP"), fires: true, outcome: P, verdict: P, status: "verified, policy"},
		{name: "arms: ammunition from KP", rule: "1718-op8-arms", g: ln("930621", "KP", "SY"), fires: true, outcome: P, verdict: P},
		{name: "arms: tanks to KP (8710, policy)", rule: "1718-op8-arms", g: ln("8710", "RU", "KP", asOf("2010-01-01")), fires: true, outcome: P, verdict: P, note: "named among the arms"},
		{name: "arms: rifles between third countries", rule: "1718-op8-arms", g: ln("9301.10", "CN", "JP"), verdict: CL},
		{name: "arms: works trucks 8709 are not arms", rule: "1718-op8-arms", g: ln("8709", "CN", "KP", asOf("2010-01-01")), verdict: CL},
		{name: "arms: before 1718", rule: "1718-op8-arms", g: ln("9301", "CN", "KP", asOf("2006-10-13")), verdict: CL},

		// 1718 OP8(a)(iii): luxury goods, described.
		{name: "luxury: described as luxury to KP", rule: "1718-op8a-iii-luxury", g: ln("6109", "CN", "KP", desc("luxury cotton T-shirts"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury: plain T-shirts to KP", rule: "1718-op8a-iii-luxury", g: ln("6109", "CN", "KP", desc("cotton T-shirts"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury: no description is not evidence", rule: "1718-op8a-iii-luxury", g: ln("6109", "CN", "KP", asOf("2015-01-01")), verdict: CL},

		// 2094 Annex IV.
		{name: "2094: gold jewellery to KP", rule: "2094-annex-iv-jewellery", g: ln("7113.19", "CN", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "2094: pearls to KP", rule: "2094-annex-iv-jewellery", g: ln("7101", "JP", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2094: imitation jewellery 7117 not covered", rule: "2094-annex-iv-jewellery", g: ln("7117.19", "CN", "KP", asOf("2015-01-01")), verdict: CL},
		{name: "2094: jewellery from KP: wrong direction", rule: "2094-annex-iv-jewellery", g: ln("7113.19", "KP", "CN", asOf("2015-01-01")), verdict: CL},
		{name: "2094: yacht to KP", rule: "2094-annex-iv-transport", g: ln("8903.92", "IT", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2094: luxury car to KP", rule: "2094-annex-iv-transport", g: ln("8703.23", "DE", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2094: car before 2094", rule: "2094-annex-iv-transport", g: ln("8703.23", "DE", "KP", asOf("2013-03-06")), verdict: CL},
		{name: "2094: snowmobile excluded from automobiles", rule: "2094-annex-iv-transport", g: ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(1, "pcs"), val(1500, "USD")), verdict: CL},

		// 2270 OP29.
		{name: "2270: coal from KP in 2016", rule: "2270-op29-coal", g: ln("2701.12", "KP", "CN", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270: coal from KP before 2270", rule: "2270-op29-coal", g: ln("2701.12", "KP", "CN", asOf("2016-01-01")), verdict: CL},
		{name: "2270: coal to KP: wrong direction", rule: "2270-op29-coal", g: ln("2701.12", "CN", "KP", asOf("2016-06-01")), verdict: CL},
		{name: "2270: Rajin transit of Russian coal on a DPRK ship", rule: "2270-op29-coal", g: ln("2701.12", "RU", "CN", vessel("KP"), desc("coal in transit via Rajin port"), asOf("2016-06-01")), fires: true, outcome: R, verdict: R, note: "rajin-transit"},
		{name: "2270: livelihood claim", rule: "2270-op29-coal", g: ln("2701", "KP", "CN", purpose("livelihood of miners"), asOf("2016-06-01")), fires: true, outcome: R, verdict: R, note: "livelihood"},
		{name: "2270: iron ore from KP in 2017", rule: "2270-op29-iron", g: ln("2601.11", "KP", "CN", asOf("2017-03-01")), fires: true, outcome: P, verdict: P},
		{name: "2270: pig iron from KP after 2371 is 2371's", rule: "2270-op29-iron", g: ln("7201", "KP", "CN", asOf("2017-09-01")), verdict: P},
		{name: "2270: iron ore 2602 (manganese) not covered", rule: "2270-op29-iron", g: ln("2602", "KP", "CN", asOf("2017-03-01")), verdict: CL},

		// 2270 OP30.
		{name: "2270 OP30: gold from KP", rule: "2270-op30", g: ln("7108.12", "KP", "CN"), fires: true, outcome: P, verdict: P, status: "recalled"},
		{name: "2270 OP30: titanium ore", rule: "2270-op30", g: ln("2614", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2270 OP30: vanadium ore", rule: "2270-op30", g: ln("2615.90", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2270 OP30: rare earth compounds (policy)", rule: "2270-op30", g: ln("2846.10", "KP", "CN"), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "2270 OP30: zirconium ore 2615.10 not covered", rule: "2270-op30", g: ln("2615.10", "KP", "CN", asOf("2017-01-01")), verdict: CL},
		{name: "2270 OP30: gold to KP: wrong direction", rule: "2270-op30", g: ln("7108.12", "CN", "KP"), verdict: CL},

		// 2270 OP31.
		{name: "2270 OP31: jet fuel to KP", rule: "2270-op31", g: ln("2710.19", "CN", "KP", desc("Jet A-1 kerosene-type jet fuel"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 OP31: aviation gasoline", rule: "2270-op31", g: ln("2710.12", "CN", "KP", desc("aviation gasoline 100LL"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 OP31: no description -> review", rule: "2270-op31", g: ln("2710.19", "CN", "KP", asOf("2016-06-01")), fires: true, outcome: R, verdict: R, missing: "goods description"},
		{name: "2270 OP31: diesel is not aviation fuel", rule: "2270-op31", g: ln("2710.19", "CN", "KP", desc("diesel fuel"), asOf("2016-06-01")), verdict: CL},
		{name: "2270 OP31: return flight exception -> review", rule: "2270-op31", g: ln("2710.19", "CN", "KP", desc("jet fuel"), purpose("return flight of civil passenger aircraft"), asOf("2016-06-01")), fires: true, outcome: R, verdict: R, note: "return-flight"},
		{name: "2270 OP31: jet fuel from KP", rule: "2270-op31", g: ln("2710.19", "KP", "CN", desc("jet fuel"), asOf("2016-06-01")), verdict: CL},

		// 2270 Annex V.
		{name: "2270 V: wrist watches", rule: "2270-annex-v", g: ln("9102.11", "CH", "KP", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: lead crystal stemware", rule: "2270-annex-v", g: ln("7013.22", "CZ", "KP", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: skis", rule: "2270-annex-v", g: ln("9506.11", "AT", "KP", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: ordinary drinking glasses", rule: "2270-annex-v", g: ln("7013.37", "CN", "KP", asOf("2016-06-01")), verdict: CL},
		{name: "2270 V: glassware heading only -> review", rule: "2270-annex-v", g: ln("7013", "CN", "KP", asOf("2016-06-01")), fires: true, outcome: R, verdict: R, missing: "6 digits"},
		{name: "2270 V: watches before 2270", rule: "2270-annex-v", g: ln("9102.11", "CH", "KP", asOf("2016-03-01")), verdict: CL},
		{name: "2270 V: snowmobile over US$2,000", rule: "2270-annex-v-snowmobiles", g: ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(2, "pcs"), val(9000, "USD")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: snowmobile under US$2,000", rule: "2270-annex-v-snowmobiles", g: ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(2, "pcs"), val(3000, "USD")), verdict: CL},
		{name: "2270 V: snowmobile without value -> review", rule: "2270-annex-v-snowmobiles", g: ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(2, "pcs")), fires: true, outcome: R, verdict: R, missing: "value in USD"},
		{name: "2270 V: snowmobile value in EUR -> review", rule: "2270-annex-v-snowmobiles", g: ln("8703.10", "CA", "KP", asOf("2016-06-01"), qty(2, "pcs"), val(9000, "EUR")), fires: true, outcome: R, verdict: R, missing: "currency given: EUR"},

		// 2321 OP26.
		{name: "2321: coal in December 2016 capped", rule: "2321-op26-2016", g: ln("2701.12", "KP", "CN", asOf("2016-12-10"), qty(1000, "t"), val(50000, "USD")), fires: true, outcome: C, verdict: C},
		{name: "2321: December 2016 cap ends with the year", rule: "2321-op26-2016", g: ln("2701.12", "KP", "CN", asOf("2017-01-02"), qty(1000, "t"), val(50000, "USD")), verdict: C},
		{name: "2321: coal in 2017 capped, not banned", rule: "2321-op26", g: ln("2701.12", "KP", "CN", asOf("2017-06-01"), qty(1000, "t"), val(50000, "USD")), fires: true, outcome: C, verdict: C},
		{name: "2321: coal cap without value -> review", rule: "2321-op26", g: ln("2701.12", "KP", "CN", asOf("2017-06-01"), qty(1000, "t")), fires: true, outcome: R, verdict: R, missing: "value in USD"},
		{name: "2321: coal to KP is not capped", rule: "2321-op26", g: ln("2701.12", "CN", "KP", asOf("2017-06-01"), qty(1000, "t")), verdict: CL},
		{name: "2321: coal after 2371: ban, not cap", rule: "2321-op26", g: ln("2701.12", "KP", "CN", asOf("2017-08-05"), qty(1000, "t")), verdict: P},

		// 2321 OP28.
		{name: "2321 OP28: copper cathodes from KP", rule: "2321-op28", g: ln("7403.11", "KP", "CN", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP28: zinc ore from KP", rule: "2321-op28", g: ln("2608", "KP", "CN", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP28: silver ore 2616.10", rule: "2321-op28", g: ln("2616.10", "KP", "CN", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP28: copper before 2321", rule: "2321-op28", g: ln("7403.11", "KP", "CN", asOf("2016-06-01")), verdict: CL},
		{name: "2321 OP28: copper to KP in 2017 (before 2397)", rule: "2321-op28", g: ln("7403.11", "CN", "KP", asOf("2017-01-01")), verdict: CL},

		// 2321 OP29.
		{name: "2321 OP29: sculpture 9703 from KP", rule: "2321-op29", g: ln("9703", "KP", "NA", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP29: ceramic statuette named", rule: "2321-op29", g: ln("6913.10", "KP", "CN", desc("porcelain statuettes"), asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP29: ceramic vase is not a statue", rule: "2321-op29", g: ln("6913.10", "KP", "CN", desc("porcelain vases"), asOf("2017-01-01")), verdict: CL},
		{name: "2321 OP29: ornamental ceramics without description", rule: "2321-op29", g: ln("6913.10", "KP", "CN", asOf("2017-01-01")), verdict: CL},
		{name: "2321 OP29: statue to KP", rule: "2321-op29", g: ln("9703", "FR", "KP", asOf("2017-01-01")), verdict: CL},

		// 2321 OP30.
		{name: "2321 OP30: new helicopter to KP", rule: "2321-op30", g: ln("8802.12", "RU", "KP", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP30: new cargo vessel to KP", rule: "2321-op30", g: ln("8901.90", "CN", "KP", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2321 OP30: used vessel not covered in 2017", rule: "2321-op30", g: ln("8902", "CN", "KP", desc("used fishing vessel"), asOf("2017-01-01")), verdict: CL},
		{name: "2321 OP30: aeroplane 8802.30 not covered", rule: "2321-op30", g: ln("8802.30", "RU", "KP", asOf("2017-01-01")), verdict: CL},
		{name: "2321 OP30: Committee approval cited -> review", rule: "2321-op30", g: ln("8802.12", "RU", "KP", exemption("1718/2017/APPROVAL-7"), asOf("2017-01-01")), fires: true, outcome: R, verdict: R, note: "exemption"},

		// 2321 annex.
		{name: "2321 annex: rugs at US$1,500 each", rule: "2321-annex-rugs", g: ln("5701.10", "IR", "KP", asOf("2017-01-01"), qty(2, "pcs"), val(3000, "USD")), fires: true, outcome: P, verdict: P},
		{name: "2321 annex: rugs at US$300 each", rule: "2321-annex-rugs", g: ln("5701.10", "IR", "KP", asOf("2017-01-01"), qty(2, "pcs"), val(600, "USD")), verdict: CL},
		{name: "2321 annex: rugs in square metres -> review", rule: "2321-annex-rugs", g: ln("5701.10", "IR", "KP", asOf("2017-01-01"), qty(20, "m2"), val(6000, "USD")), fires: true, outcome: R, verdict: R, missing: "quantity in pcs"},
		{name: "2321 annex: porcelain tableware at US$250 a piece", rule: "2321-annex-tableware", g: ln("6911.10", "GB", "KP", asOf("2017-01-01"), qty(2, "pcs"), val(500, "USD")), fires: true, outcome: P, verdict: P},
		{name: "2321 annex: porcelain tableware at US$50 a piece", rule: "2321-annex-tableware", g: ln("6911.10", "CN", "KP", asOf("2017-01-01"), qty(10, "pcs"), val(500, "USD")), verdict: CL},

		// 2371.
		{name: "2371 OP8: coal from KP", rule: "2371-op8", g: ln("2701.12", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP8: iron ore from KP", rule: "2371-op8", g: ln("2601.11", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP8: Mongolian coal via Rajin -> review", rule: "2371-op8", g: ln("2701.12", "MN", "CN", partner("KP", tradeplan.Import), func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Rajin port" }), fires: true, outcome: R, verdict: R, note: "rajin-transit"},
		{name: "2371 OP8: DPRK coal claiming Rajin stays banned", rule: "2371-op8", g: ln("2701.12", "KP", "CN", desc("coal shipped via Rajin")), fires: true, outcome: P, verdict: P},
		{name: "2371 OP8: coal to KP not covered", rule: "2371-op8", g: ln("2701.12", "CN", "KP"), verdict: CL},
		{name: "2371 OP9: frozen fish from KP", rule: "2371-op9", g: ln("0303.67", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP9: fish extracts 1603 (policy)", rule: "2371-op9", g: ln("1603", "KP", "CN"), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "2371 OP9: seafood lawful on 2017-06-01", rule: "2371-op9", g: ln("0303.67", "KP", "CN", asOf("2017-06-01")), verdict: CL},
		{name: "2371 OP9: seafood to KP is lawful", rule: "2371-op9", g: ln("0303.67", "CN", "KP"), verdict: CL},
		{name: "2371 OP9: meat preparations 1601 not seafood", rule: "2371-op9", g: ln("1601", "KP", "CN"), verdict: CL},
		{name: "2371 OP10: lead ore", rule: "2371-op10", g: ln("2607", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP10: unwrought lead", rule: "2371-op10", g: ln("7801.10", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP10: lead ore before 2371", rule: "2371-op10", g: ln("2607", "KP", "CN", asOf("2017-06-01")), verdict: CL},

		// 2375.
		{name: "2375 OP13: condensate to KP", rule: "2375-op13", g: ln("2709", "RU", "KP", desc("gas condensate")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP13: NGLs to KP", rule: "2375-op13", g: ln("2711.19", "RU", "KP", desc("natural gas liquids")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP13: crude oil is not condensate", rule: "2375-op13", g: ln("2709", "CN", "KP", desc("crude petroleum oil"), qty(1000, "t")), verdict: C},
		{name: "2375 OP13: 2709 without description -> review", rule: "2375-op13", g: ln("2709", "CN", "KP", qty(1000, "t")), fires: true, outcome: R, verdict: R, missing: "condensate"},
		{name: "2375 OP14: diesel in November 2017 capped", rule: "2375-op14", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-11-01")), fires: true, outcome: C, verdict: C},
		{name: "2375 OP14: diesel in 2018 is 2397's", rule: "2375-op14", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2018-06-01")), verdict: C},
		{name: "2375 OP15: crude in October 2017 -> review", rule: "2375-op15", g: ln("2709", "CN", "KP", desc("crude oil"), asOf("2017-10-01")), fires: true, outcome: R, verdict: R},
		{name: "2375 OP15: crude after 2397 is 2397's", rule: "2375-op15", g: ln("2709", "CN", "KP", desc("crude oil"), qty(10, "t"), asOf("2017-12-25")), verdict: C},
		{name: "2375 OP16: apparel from KP", rule: "2375-op16", g: ln("6109.10", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2375 OP16: silk fabrics from KP", rule: "2375-op16", g: ln("5007", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2375 OP16: apparel to KP", rule: "2375-op16", g: ln("6109.10", "CN", "KP"), verdict: CL},
		{name: "2375 OP16: footwear 64 not textiles", rule: "2375-op16", g: ln("6403", "KP", "CN"), verdict: CL},
		{name: "2375 OP16: apparel before 2375", rule: "2375-op16", g: ln("6109.10", "KP", "CN", asOf("2017-09-10")), verdict: CL},
		{name: "2375 OP26: exemption cited on rice to KP", rule: "2375-op26", g: ln("1006.30", "CN", "KP", exemption("1718-EX-2023-041")), fires: true, outcome: R, verdict: R},
		{name: "2375 OP26: rice to KP without exemption", rule: "2375-op26", g: ln("1006.30", "CN", "KP"), verdict: CL},

		// 2397.
		{name: "2397 OP4: crude oil capped", rule: "2397-op4", g: ln("2709", "RU", "KP", desc("crude oil"), qty(1000, "t")), fires: true, outcome: C, verdict: C},
		{name: "2397 OP4: crude in litres converts", rule: "2397-op4", g: ln("2709", "RU", "KP", desc("crude oil"), qty(158987.294928, "l")), fires: true, outcome: C, verdict: C},
		{name: "2397 OP4: crude in pieces cannot convert -> review", rule: "2397-op4", g: ln("2709", "RU", "KP", desc("crude oil"), qty(10, "pcs")), fires: true, outcome: R, verdict: R, missing: "quantity in bbl"},
		{name: "2397 OP4: crude from KP not covered", rule: "2397-op4", g: ln("2709", "KP", "CN", desc("crude oil"), qty(10, "t")), verdict: CL},
		{name: "2397 OP5: diesel capped", rule: "2397-op5", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl")), fires: true, outcome: C, verdict: C},
		{name: "2397 OP5: LPG counted (policy)", rule: "2397-op5", g: ln("2711.12", "CN", "KP", desc("propane"), qty(100, "t")), fires: true, outcome: C, verdict: C, status: "verified, policy"},
		{name: "2397 OP5: diesel without quantity -> review", rule: "2397-op5", g: ln("2710.19", "CN", "KP", desc("diesel")), fires: true, outcome: R, verdict: R, missing: "quantity in bbl"},
		{name: "2397 OP5: cap begins in 2018", rule: "2397-op5", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-12-25")), verdict: C},
		{name: "2397 OP5: fuel from KP not covered", rule: "2397-op5", g: ln("2710.19", "KP", "CN", desc("diesel"), qty(1000, "bbl")), verdict: CL},
		{name: "2397 OP6: dried mushrooms from KP", rule: "2397-op6", g: ln("0712.39", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP6: medicinal herbs", rule: "2397-op6", g: ln("1211.90", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP6: machinery from KP", rule: "2397-op6", g: ln("8429.52", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP6: magnesia (chapter 25)", rule: "2397-op6", g: ln("2519.90", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP6: rice 1006 not covered", rule: "2397-op6", g: ln("1006.30", "KP", "CN"), verdict: CL},
		{name: "2397 OP6: wheat flour 1101 not covered", rule: "2397-op6", g: ln("1101", "KP", "CN"), verdict: CL},
		{name: "2397 OP6: ready-to-eat mushrooms 2003.90 not covered", rule: "2397-op6", g: ln("2003.90", "KP", "CN"), verdict: CL},
		{name: "2397 OP6: vegetables to KP lawful", rule: "2397-op6", g: ln("0712.39", "CN", "KP"), verdict: CL},
		{name: "2397 OP6: mushrooms before 2397", rule: "2397-op6", g: ln("0712.39", "KP", "CN", asOf("2017-12-21")), verdict: CL},
		{name: "2397 OP7: excavator to KP", rule: "2397-op7", g: ln("8429.52", "CN", "KP"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: steel bars to KP", rule: "2397-op7", g: ln("7214", "CN", "KP"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: trucks to KP", rule: "2397-op7", g: ln("8704.22", "CN", "KP"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: aircraft spare parts -> review", rule: "2397-op7", g: ln("8803.30", "RU", "KP", desc("spare parts for civil passenger aircraft Tu-204")), fires: true, outcome: R, verdict: R, note: "aircraft-spare-parts"},
		{name: "2397 OP7: plastics 39 not covered", rule: "2397-op7", g: ln("3923", "CN", "KP"), verdict: CL},
		{name: "2397 OP7: machinery from KP is OP6's", rule: "2397-op7", g: ln("8429.52", "KP", "CN"), verdict: P},
		{name: "2397 OP14: used vessel to KP", rule: "2397-op14", g: ln("8902", "CN", "KP", desc("used fishing vessel")), fires: true, outcome: P, verdict: P},
		{name: "2397 OP14: used vessel before 2397", rule: "2397-op14", g: ln("8902", "CN", "KP", desc("used fishing vessel"), asOf("2017-12-21")), verdict: CL},
		{name: "2397 OP14: vessel from KP is OP6's", rule: "2397-op14", g: ln("8902", "KP", "CN"), verdict: P},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := testEngine.Rule("un-dprk/" + tc.rule); err != nil {
				t.Fatal(err)
			}
			fs := testEngine.ScreenGoods(tc.g)
			got := ruleFindings(fs, tc.rule)
			if tc.fires != (len(got) > 0) {
				t.Fatalf("rule %s fired=%v, want %v; findings:%s", tc.rule, len(got) > 0, tc.fires, describe(fs))
			}
			if tc.fires {
				seen[tc.rule+"+"] = true
				o := verdictOf(got)
				if o != tc.outcome {
					t.Errorf("rule %s outcome %s, want %s; findings:%s", tc.rule, o, tc.outcome, describe(fs))
				}
				f := got[0]
				if f.Kind != tradeplan.KindGoods || f.Citation == "" || f.Resolution == "" || f.Paragraph == "" || f.Regime != "UN DPRK (1718)" || f.Status == "" || f.Summary == "" || f.Explanation == "" {
					t.Errorf("finding not filled in: %+v", f)
				}
				if tc.status != "" && f.Status != tc.status {
					t.Errorf("status %q, want %q", f.Status, tc.status)
				}
				var missing, notes []string
				for _, f := range got {
					missing = append(missing, f.Missing...)
					notes = append(notes, f.Notes...)
				}
				if tc.missing != "" && !anyContains(missing, tc.missing) {
					t.Errorf("missing %q, want an entry with %q", missing, tc.missing)
				}
				if tc.note != "" && !anyContains(notes, tc.note) {
					t.Errorf("notes %q, want one with %q", notes, tc.note)
				}
			} else {
				seen[tc.rule+"-"] = true
			}
			if v := verdictOf(fs); v != tc.verdict {
				t.Errorf("verdict %s, want %s; findings:%s", v, tc.verdict, describe(fs))
			}
		})
	}
	for _, r := range testEngine.Rules() {
		if !seen[r.Local+"+"] || !seen[r.Local+"-"] {
			t.Errorf("rule %s needs a positive and a negative case (have +%v -%v)", r.ID, seen[r.Local+"+"], seen[r.Local+"-"])
		}
	}
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
