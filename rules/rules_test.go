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
		if f.Rule() == "un-dprk/"+rule {
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
		b.WriteString("\n  " + f.Outcome.String() + " " + f.Rule() + " " + f.Kind + ": " + f.Summary)
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
		{name: "arms: artillery to KP", rule: "1718-op8-arms", g: ln("9301.10", "CN", "KP"), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "arms: artillery to KP in 2007", rule: "1718-op8-arms", g: ln("9301.10", "CN", "KP", asOf("2007-01-01")), fires: true, outcome: P, verdict: P},
		{name: "arms: ammunition from KP is 1874's, not a Register category", rule: "1718-op8-arms", g: ln("930621", "KP", "SY"), verdict: P},
		{name: "arms: tanks to KP (8710, policy)", rule: "1718-op8-arms", g: ln("8710", "RU", "KP", asOf("2010-01-01")), fires: true, outcome: P, verdict: P, note: "Register categories"},
		{name: "arms: warship 8906.10 to KP in 2008", rule: "1718-op8-arms", g: ln("8906.10", "RU", "KP", asOf("2008-01-01")), fires: true, outcome: P, verdict: P},
		{name: "arms: combat aircraft named", rule: "1718-op8-arms", g: ln("8802.30", "RU", "KP", desc("MiG-29 fighter aircraft"), asOf("2008-01-01")), fires: true, outcome: P, verdict: P},
		// redteam: parts of a fighter were clear before 2397 OP7 banned all aircraft parts.
		{name: "arms: fighter spare parts in 2016", rule: "1718-op8-arms", g: ln("8803.30", "RU", "KP", desc("parts for MiG-29 fighter aircraft"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "arms: military jet engine parts in 2016", rule: "1718-op8-arms", g: ln("8411.91", "RU", "KP", desc("turbojet parts for military aircraft"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "arms: civil aircraft parts in 2016 are not related materiel", rule: "1718-op8-arms", g: ln("8803.30", "RU", "KP", desc("spare parts for Tu-204 passenger aircraft"), asOf("2016-06-01")), verdict: CL},
		{name: "arms: civil aircraft in 2008 is not a Register category", rule: "1718-op8-arms", g: ln("8802.30", "RU", "KP", desc("Tu-204 passenger aircraft"), asOf("2008-01-01")), verdict: CL},
		{name: "arms: missiles named in 9306.90", rule: "1718-op8-arms", g: ln("9306.90", "KP", "IR", desc("anti-ship missiles"), asOf("2008-01-01")), fires: true, outcome: P, verdict: P},

		// Arms over time: 1718 (Register categories), 1874 (all arms, SALW to the DPRK with notice), 2270 OP6 (all).
		{name: "arms 2008: sporting rifles to KP -> review (Register or not)", rule: "1718-op8-arms-other", g: ln("9303.20", "IT", "KP", asOf("2008-01-01")), fires: true, outcome: R, verdict: R, missing: "Register category"},
		{name: "arms 2008: sights 9013.10 to KP -> review", rule: "1718-op8-arms-other", g: ln("9013.10", "DE", "KP", asOf("2008-01-01")), fires: true, outcome: R, verdict: R},
		{name: "arms 2008: rule not applied to artillery (Register code)", rule: "1718-op8-arms-other", g: ln("9301.10", "CN", "KP", asOf("2008-01-01")), verdict: P},
		{name: "arms 2010: rule ended with 1874", rule: "1718-op8-arms-other", g: ln("9303.20", "IT", "KP", asOf("2010-01-01")), verdict: R},
		{name: "arms 2010: SALW to KP -> review naming the notification", rule: "1874-op10-salw", g: ln("9302", "RU", "KP", asOf("2010-01-01")), fires: true, outcome: R, verdict: R, missing: "at least five days", status: "verified, policy", note: "checked: S/RES/1874 (2009) para. 10"},
		{name: "arms 2015: rifle ammunition to KP -> review", rule: "1874-op10-salw", g: ln("9306.30", "RU", "KP", asOf("2015-12-31")), fires: true, outcome: R, verdict: R},
		{name: "arms 2010: artillery to KP stays prohibited (Register)", rule: "1874-op10-salw", g: ln("9301.10", "RU", "KP", asOf("2010-01-01")), verdict: P},
		{name: "arms 2017: SALW to KP prohibited (2270 OP6)", rule: "1874-op10-salw", g: ln("9302", "RU", "KP", asOf("2017-01-01")), verdict: P},
		{name: "arms 2009-06-11: SALW to KP the day before 1874", rule: "1874-op10-salw", g: ln("9302", "RU", "KP", asOf("2009-06-11")), verdict: R},
		{name: "arms 2010: pistols from KP prohibited (1874 OP9)", rule: "1874-op9", g: ln("9302", "KP", "SY", asOf("2010-01-01")), fires: true, outcome: P, verdict: P},
		{name: "arms 2010: sights from KP prohibited", rule: "1874-op9", g: ln("9013.10", "KP", "SY", asOf("2010-01-01")), fires: true, outcome: P, verdict: P},
		{name: "arms 2008: pistols from KP before 1874 -> review", rule: "1874-op9", g: ln("9302", "KP", "SY", asOf("2008-01-01")), verdict: R},
		{name: "arms 2010: binoculars 9005 are not sights", rule: "1874-op9", g: ln("9005.10", "KP", "SY", asOf("2010-01-01")), verdict: CL},
		{name: "arms 2012: military trucks to KP prohibited (1874 OP10)", rule: "1874-op10", g: ln("8704.22", "RU", "KP", desc("military cargo trucks 6x6"), asOf("2012-01-01")), fires: true, outcome: P, verdict: P, status: "verified, policy"},
		{name: "arms 2012: civilian trucks to KP", rule: "1874-op10", g: ln("8704.22", "CN", "KP", desc("cargo trucks"), asOf("2012-01-01")), verdict: CL},
		{name: "arms 2008: military trucks to KP -> review (related materiel?)", rule: "1718-op8-arms-other", g: ln("8704.22", "RU", "KP", desc("army trucks"), asOf("2008-01-01")), fires: true, outcome: R, verdict: R},
		{name: "arms 2012: military trucks from KP prohibited (1874 OP9)", rule: "1874-op9", g: ln("8704.22", "KP", "SY", desc("military trucks"), asOf("2012-01-01")), fires: true, outcome: P, verdict: P},
		{name: "lists: uranium ore to KP -> review", rule: "1718-op8-lists", g: ln("2612.10", "NA", "KP", asOf("2012-01-01")), fires: true, outcome: R, verdict: R, missing: "Committee's lists"},
		{name: "lists: heavy water from KP -> review", rule: "1718-op8-lists", g: ln("2845.10", "KP", "IR", asOf("2008-01-01")), fires: true, outcome: R, verdict: R},
		{name: "lists: monazite from KP is banned as a rare-earth mineral", rule: "1718-op8-lists", g: ln("2612.20", "KP", "CN", asOf("2017-01-01")), fires: true, outcome: R, verdict: P},
		{name: "lists: turbojets 8411 are not rocket engines", rule: "1718-op8-lists", g: ln("8411.12", "RU", "KP", asOf("2012-01-01")), verdict: CL},
		{name: "lists: before 1718", rule: "1718-op8-lists", g: ln("2612.10", "NA", "KP", asOf("2006-10-13")), verdict: CL},
		{name: "arms 2017: SALW to KP", rule: "2270-op6", g: ln("9302", "RU", "KP", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "arms 2017: sights 9013.10 to KP", rule: "2270-op6", g: ln("9013.10", "DE", "KP", asOf("2017-01-01")), fires: true, outcome: P, verdict: P},
		{name: "arms 2016-03-01: 2270 not yet", rule: "2270-op6", g: ln("9302", "RU", "KP", asOf("2016-03-01")), verdict: R},
		{name: "arms 2017: lasers 9013.20 are not sights", rule: "2270-op6", g: ln("9013.20", "DE", "KP", asOf("2017-01-01")), verdict: CL},
		{name: "arms: rifles between third countries", rule: "1718-op8-arms", g: ln("9301.10", "CN", "JP"), verdict: CL},
		{name: "arms: works trucks 8709 are not arms", rule: "1718-op8-arms", g: ln("8709", "CN", "KP", asOf("2010-01-01")), verdict: CL},
		{name: "arms: before 1718", rule: "1718-op8-arms", g: ln("9301", "CN", "KP", asOf("2006-10-13")), verdict: CL},

		// 1718 OP8(a)(iii): luxury goods, described.
		{name: "luxury: described as luxury to KP", rule: "1718-op8a-iii-luxury", g: ln("6109", "CN", "KP", desc("luxury cotton T-shirts"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury: plain T-shirts to KP", rule: "1718-op8a-iii-luxury", g: ln("6109", "CN", "KP", desc("cotton T-shirts"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury: no description is not evidence", rule: "1718-op8a-iii-luxury", g: ln("6109", "CN", "KP", asOf("2015-01-01")), verdict: CL},

		// The luxury list: HS code and unit value, whatever the description says.
		{name: "luxury list: cognac at US$80 a litre", rule: "1718-lux-drink", g: ln("2208.20", "FR", "KP", desc("cognac"), qty(70, "l"), val(5600, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R, status: "policy", note: "SI 2006/3327"},
		{name: "luxury list: table wine at US$4 a litre", rule: "1718-lux-drink", g: ln("2204.21", "CN", "KP", qty(750, "l"), val(3000, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: spirits without value -> review", rule: "1718-lux-drink", g: ln("2208.30", "GB", "KP", qty(100, "l"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R, missing: "value in USD"},
		{name: "luxury list: cigars at US$15 each", rule: "1718-lux-tobacco", g: ln("2402.10", "CU", "KP", qty(500, "pcs"), val(7500, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: cigarettes at 5 cents a stick", rule: "1718-lux-tobacco", g: ln("2402.20", "CN", "KP", qty(200000, "pcs"), val(10000, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: perfume at US$120", rule: "1718-lux-cosmetics", g: ln("3303", "FR", "KP", qty(10, "pcs"), val(1200, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: soap 3401 is not cosmetics", rule: "1718-lux-cosmetics", g: ln("3401.11", "FR", "KP", qty(10, "pcs"), val(1200, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: leather handbag at US$2,000", rule: "1718-lux-leather-fur", g: ln("4202.21", "IT", "KP", qty(1, "pcs"), val(2000, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: plastic handbag 4202.22", rule: "1718-lux-leather-fur", g: ln("4202.22", "CN", "KP", qty(1, "pcs"), val(2000, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: smartphone at US$900", rule: "1718-lux-electronics", g: ln("8517.13", "KR", "KP", qty(10, "pcs"), val(9000, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: phone at US$80", rule: "1718-lux-electronics", g: ln("8517.12", "CN", "KP", qty(10, "pcs"), val(800, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: steel watch at US$3,000", rule: "1718-lux-watches", g: ln("9102.11", "CH", "KP", qty(2, "pcs"), val(6000, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: steel watch at US$40", rule: "1718-lux-watches", g: ln("9102.11", "CN", "KP", qty(100, "pcs"), val(4000, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: silverware 7114.11", rule: "1718-lux-precious", g: ln("7114.11", "GB", "KP", asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: platinum catalyst gauze 7115.10 is industrial", rule: "1718-lux-precious", g: ln("7115.10", "DE", "KP", asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: paintings", rule: "1718-lux-art", g: ln("9701.10", "FR", "KP", asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: paintings from KP are not luxury imports", rule: "1718-lux-art", g: ln("9701.10", "KP", "FR", asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: grand piano at US$60,000", rule: "1718-lux-instruments", g: ln("9201.20", "DE", "KP", qty(1, "pcs"), val(60000, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: student violin at US$200", rule: "1718-lux-instruments", g: ln("9202.10", "CN", "KP", qty(1, "pcs"), val(200, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: motorcycle at US$20,000", rule: "1718-lux-vehicles", g: ln("8711.50", "US", "KP", qty(1, "pcs"), val(20000, "USD"), asOf("2015-01-01")), fires: true, outcome: R, verdict: R},
		{name: "luxury list: moped at US$800", rule: "1718-lux-vehicles", g: ln("8711.10", "CN", "KP", qty(1, "pcs"), val(800, "USD"), asOf("2015-01-01")), verdict: CL},
		{name: "luxury list: before 1718", rule: "1718-lux-drink", g: ln("2208.20", "FR", "KP", qty(70, "l"), val(5600, "USD"), asOf("2006-10-13")), verdict: CL},

		// 2094 Annex IV.
		{name: "2094: gold jewellery to KP", rule: "2094-annex-iv-jewellery", g: ln("7113.19", "CN", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "2094: pearls to KP", rule: "2094-annex-iv-jewellery", g: ln("7101", "JP", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2094: imitation jewellery 7117 not covered", rule: "2094-annex-iv-jewellery", g: ln("7117.19", "CN", "KP", asOf("2015-01-01")), verdict: CL},
		{name: "2094: industrial diamonds 7102.21 are not gems", rule: "2094-annex-iv-jewellery", g: ln("7102.21", "ZA", "KP", asOf("2015-01-01")), verdict: CL},
		{name: "2094: cut diamonds 7102.39", rule: "2094-annex-iv-jewellery", g: ln("7102.39", "BE", "KP", asOf("2015-01-01")), fires: true, outcome: P, verdict: P},
		{name: "2094: goldsmiths' wares 7114 are not jewellery (luxury list review)", rule: "2094-annex-iv-jewellery", g: ln("7114.19", "IT", "KP", asOf("2015-01-01")), verdict: R},
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
		{name: "2270: pig iron from KP after 2371 is 2371's", rule: "2270-op29-iron", g: ln("7201", "KP", "CN", asOf("2017-09-05")), verdict: P},
		{name: "2270: iron ore 2602 (manganese) not covered", rule: "2270-op29-iron", g: ln("2602", "KP", "CN", asOf("2017-03-01")), verdict: CL},

		// 2270 OP30.
		{name: "2270 OP30: gold from KP", rule: "2270-op30", g: ln("7108.12", "KP", "CN"), fires: true, outcome: P, verdict: P, status: "recalled"},
		{name: "2270 OP30: titanium ore", rule: "2270-op30", g: ln("2614", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2270 OP30: vanadium ore", rule: "2270-op30", g: ln("2615.90", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2270 OP30: rare earth compounds (policy)", rule: "2270-op30", g: ln("2846.10", "KP", "CN"), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "2270 OP30: zirconium ore 2615.10 not covered", rule: "2270-op30", g: ln("2615.10", "KP", "CN", asOf("2017-01-01")), verdict: CL},
		{name: "2270 OP30: gold to KP: wrong direction", rule: "2270-op30", g: ln("7108.12", "CN", "KP"), verdict: CL},
		{name: "2270 OP30: gold coins 7118.90", rule: "2270-op30", g: ln("7118.90", "KP", "CN", desc("gold coins"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 OP30: monazite 2612.20", rule: "2270-op30", g: ln("2612.20", "KP", "CN", desc("monazite concentrate"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P, note: "monazite"},
		{name: "2270 OP30: uranium ore 2612.10 is not a rare-earth mineral (the lists' review only)", rule: "2270-op30", g: ln("2612.10", "KP", "CN", asOf("2016-06-01")), verdict: R},
		{name: "2270 OP30: monazite before 2270 (the lists' review only)", rule: "2270-op30", g: ln("2612.20", "KP", "CN", asOf("2016-03-01")), verdict: R},
		{name: "2270 OP30: coins without a metal -> review, not prohibited", rule: "2270-op30", g: ln("7118.90", "KP", "CN", desc("coins"), asOf("2016-06-01")), verdict: R},
		{name: "2270 OP30 gold forms: gold jewellery 7113.19 -> review", rule: "2270-op30-gold-forms", g: ln("7113.19", "KP", "CN", desc("gold necklaces"), asOf("2016-06-01")), fires: true, outcome: R, verdict: R, missing: "of gold"},
		{name: "2270 OP30 gold forms: coins without description -> review", rule: "2270-op30-gold-forms", g: ln("7118.90", "KP", "CN", asOf("2016-06-01")), fires: true, outcome: R, verdict: R},
		{name: "2270 OP30 gold forms: silver jewellery 7113.11 in 2016-06", rule: "2270-op30-gold-forms", g: ln("7113.11", "KP", "CN", asOf("2016-06-01")), verdict: CL},
		{name: "2270 OP30 gold forms: to KP wrong direction", rule: "2270-op30-gold-forms", g: ln("7113.19", "CN", "KP", asOf("2012-01-01")), verdict: CL},

		// 2270 OP31.
		{name: "2270 OP31: jet fuel to KP", rule: "2270-op31", g: ln("2710.19", "CN", "KP", desc("Jet A-1 kerosene-type jet fuel"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 OP31: aviation gasoline", rule: "2270-op31", g: ln("2710.12", "CN", "KP", desc("aviation gasoline 100LL"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 OP31: no description -> review", rule: "2270-op31", g: ln("2710.19", "CN", "KP", asOf("2016-06-01")), fires: true, outcome: R, verdict: R, missing: "goods description"},
		{name: "2270 OP31: diesel is not aviation fuel", rule: "2270-op31", g: ln("2710.19", "CN", "KP", desc("diesel fuel"), asOf("2016-06-01")), verdict: CL},
		{name: "2270 OP31: return flight exception -> review", rule: "2270-op31", g: ln("2710.19", "CN", "KP", desc("jet fuel"), purpose("return flight of civil passenger aircraft"), asOf("2016-06-01")), fires: true, outcome: R, verdict: R, note: "return-flight"},
		{name: "2270 OP31: jet fuel from KP", rule: "2270-op31", g: ln("2710.19", "KP", "CN", desc("jet fuel"), asOf("2016-06-01")), verdict: CL},

		// 2270 Annex V.
		{name: "2270 V: gold-cased wrist watches 9101", rule: "2270-annex-v", g: ln("9101.11", "CH", "KP", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: 9102 declared with a gold case", rule: "2270-annex-v", g: ln("9102.11", "CH", "KP", desc("wrist watch, 18k gold case"), asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: steel watch 9102 under the luxury floor is clear", rule: "2270-annex-v", g: ln("9102.11", "CN", "KP", desc("stainless steel wrist watches"), qty(100, "pcs"), val(2000, "USD"), asOf("2016-06-01")), verdict: CL},
		{name: "2270 V: steel watch 9102 at US$3,000 -> luxury list review", rule: "2270-annex-v", g: ln("9102.11", "CH", "KP", desc("stainless steel wrist watch"), qty(1, "pcs"), val(3000, "USD"), asOf("2016-06-01")), verdict: R},
		{name: "2270 V: lead crystal stemware", rule: "2270-annex-v", g: ln("7013.22", "CZ", "KP", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: skis", rule: "2270-annex-v", g: ln("9506.11", "AT", "KP", asOf("2016-06-01")), fires: true, outcome: P, verdict: P},
		{name: "2270 V: ordinary drinking glasses", rule: "2270-annex-v", g: ln("7013.37", "CN", "KP", asOf("2016-06-01")), verdict: CL},
		{name: "2270 V: glassware heading only -> review", rule: "2270-annex-v", g: ln("7013", "CN", "KP", asOf("2016-06-01")), fires: true, outcome: R, verdict: R, missing: "6 digits"},
		{name: "2270 V: watches before 2270", rule: "2270-annex-v", g: ln("9101.11", "CH", "KP", asOf("2016-03-01")), verdict: CL},
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
		{name: "2321: coal after 2371: ban, not cap", rule: "2321-op26", g: ln("2701.12", "KP", "CN", asOf("2017-09-05"), qty(1000, "t")), verdict: P},
		{name: "2321: coal cap verified where checked", rule: "2321-op26", g: ln("2701.12", "KP", "CN", asOf("2017-06-01"), qty(1000, "t"), val(50000, "USD")), fires: true, outcome: C, verdict: C, status: "verified, policy", note: "checked: S/RES/2321 (2016) para. 26(b)"},

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
		{name: "2371 OP8: Russian coal through Rajin, no DPRK party -> review", rule: "2371-op8", g: ln("2701.12", "RU", "CN", func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Khasan - Rajin port" }), fires: true, outcome: R, verdict: R, note: "notified to the Committee in advance"},
		{name: "2371 OP8: Russian coal through another DPRK crossing -> review (flow assumed)", rule: "2371-op8", g: ln("2701.12", "RU", "CN", func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Tumangang" }), fires: true, outcome: R, verdict: R, note: "flow assumed"},
		{name: "2371 OP8: Russian coal through Vladivostok is no DPRK matter", rule: "2371-op8", g: ln("2701.12", "RU", "CN", func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Vladivostok" }), verdict: CL},
		{name: "2371 OP8: coal to KP not covered", rule: "2371-op8", g: ln("2701.12", "CN", "KP"), verdict: CL},
		{name: "2371 OP9: frozen fish from KP", rule: "2371-op9", g: ln("0303.67", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP9: fish extracts 1603 (policy)", rule: "2371-op9", g: ln("1603", "KP", "CN"), fires: true, outcome: P, verdict: P, status: "recalled, policy"},
		{name: "2371 OP9: seafood lawful on 2017-06-01", rule: "2371-op9", g: ln("0303.67", "KP", "CN", asOf("2017-06-01")), verdict: CL},
		{name: "2371 OP9: seafood to KP is lawful", rule: "2371-op9", g: ln("0303.67", "CN", "KP"), verdict: CL},
		{name: "2371 OP9: meat preparations 1601 not seafood", rule: "2371-op9", g: ln("1601", "KP", "CN"), verdict: CL},
		{name: "2371 OP10: lead ore", rule: "2371-op10", g: ln("2607", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP10: unwrought lead", rule: "2371-op10", g: ln("7801.10", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2371 OP10: lead ore before 2371", rule: "2371-op10", g: ln("2607", "KP", "CN", asOf("2017-06-01")), verdict: CL},
		{name: "2371 OP10: lead ore in the wind-down -> review", rule: "2371-op10", g: ln("2607", "KP", "CN", asOf("2017-08-20")), fires: true, outcome: R, verdict: R, note: "wind-down to 2017-09-04", missing: "written contract"},
		{name: "2371 OP9: seafood on the last wind-down day -> review", rule: "2371-op9", g: ln("0303.67", "KP", "CN", asOf("2017-09-04")), fires: true, outcome: R, verdict: R, note: "notification"},
		{name: "2371 OP9: seafood the day after the wind-down", rule: "2371-op9", g: ln("0303.67", "KP", "CN", asOf("2017-09-05")), fires: true, outcome: P, verdict: P},
		{name: "2371 OP8: coal in the wind-down -> review", rule: "2371-op8", g: ln("2701.12", "KP", "CN", asOf("2017-08-05")), fires: true, outcome: R, verdict: R, note: "wind-down"},

		// 2375.
		{name: "2375 OP13: condensate to KP", rule: "2375-op13", g: ln("2709", "RU", "KP", desc("gas condensate")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP13: NGLs to KP", rule: "2375-op13", g: ln("2711.19", "RU", "KP", desc("natural gas liquids")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP13: crude oil is not condensate", rule: "2375-op13", g: ln("2709", "CN", "KP", desc("crude petroleum oil"), qty(1000, "t")), verdict: C},
		{name: "2375 OP13: 2709 without description -> review", rule: "2375-op13", g: ln("2709", "CN", "KP", qty(1000, "t")), fires: true, outcome: R, verdict: R, missing: "condensate"},
		{name: "2375 OP14: diesel in November 2017 capped", rule: "2375-op14", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-11-01")), fires: true, outcome: C, verdict: C},
		{name: "2375 OP14: 2017-10-15 against the 500,000 bbl window", rule: "2375-op14", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-10-15")), fires: true, outcome: C, verdict: C},
		{name: "2375 OP14: 2017-09-20 has no allowance", rule: "2375-op14", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-09-20")), verdict: P},
		{name: "2375 OP14 none: 2017-09-20 prohibited", rule: "2375-op14-none", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-09-20")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP14 none: 2017-09-11, adoption day", rule: "2375-op14-none", g: ln("2710.12", "CN", "KP", desc("gasoline"), qty(10, "bbl"), asOf("2017-09-11")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP14 none: 2017-09-10, before adoption", rule: "2375-op14-none", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-09-10")), verdict: CL},
		{name: "2375 OP14 none: 2017-10-01 the allowance opens", rule: "2375-op14-none", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2017-10-01")), verdict: C},
		{name: "2375 OP14: diesel in 2018 is 2397's", rule: "2375-op14", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl"), asOf("2018-06-01")), verdict: C},
		{name: "2375 OP15: crude in October 2017 -> review", rule: "2375-op15", g: ln("2709", "CN", "KP", desc("crude oil"), asOf("2017-10-01")), fires: true, outcome: R, verdict: R},
		{name: "2375 OP15: crude after 2397 is 2397's", rule: "2375-op15", g: ln("2709", "CN", "KP", desc("crude oil"), qty(10, "t"), asOf("2017-12-25")), verdict: C},
		{name: "2375 OP16: apparel from KP", rule: "2375-op16", g: ln("6109.10", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2375 OP16: silk fabrics from KP", rule: "2375-op16", g: ln("5007", "KP", "CN"), fires: true, outcome: P, verdict: P},
		{name: "2375 OP16: apparel to KP", rule: "2375-op16", g: ln("6109.10", "CN", "KP"), verdict: CL},
		{name: "2375 OP16: footwear 64 not textiles", rule: "2375-op16", g: ln("6403", "KP", "CN"), verdict: CL},
		{name: "2375 OP16: apparel before 2375", rule: "2375-op16", g: ln("6109.10", "KP", "CN", asOf("2017-09-10")), verdict: CL},
		{name: "2375 OP16: apparel in the 90-day wind-down -> review", rule: "2375-op16", g: ln("6109.10", "KP", "CN", asOf("2017-12-10")), fires: true, outcome: R, verdict: R, note: "wind-down to 2017-12-10"},
		{name: "2375 OP16: apparel after the wind-down", rule: "2375-op16", g: ln("6109.10", "KP", "CN", asOf("2017-12-11")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP26: exemption cited on rice to KP", rule: "2375-op26", g: ln("1006.30", "CN", "KP", exemption("1718-EX-2023-041")), fires: true, outcome: R, verdict: R},
		{name: "2375 OP26: rice to KP without exemption", rule: "2375-op26", g: ln("1006.30", "CN", "KP"), verdict: CL},

		// 2397.
		{name: "2397 OP4: crude oil capped", rule: "2397-op4", g: ln("2709", "RU", "KP", desc("crude oil"), qty(1000, "t")), fires: true, outcome: C, verdict: C},
		{name: "2397 OP4: crude in litres converts", rule: "2397-op4", g: ln("2709", "RU", "KP", desc("crude oil"), qty(158987.294928, "l")), fires: true, outcome: C, verdict: C},
		{name: "2397 OP4: crude in pieces cannot convert -> review", rule: "2397-op4", g: ln("2709", "RU", "KP", desc("crude oil"), qty(10, "pcs")), fires: true, outcome: R, verdict: R, missing: "quantity in bbl"},
		{name: "2397 OP4: crude from KP not covered", rule: "2397-op4", g: ln("2709", "KP", "CN", desc("crude oil"), qty(10, "t")), verdict: CL},
		{name: "2397 OP5: diesel capped", rule: "2397-op5", g: ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "bbl")), fires: true, outcome: C, verdict: C},
		{name: "2397 OP5: LPG counted against the cap, and reviewed (policy)", rule: "2397-op5", g: ln("2711.12", "CN", "KP", desc("propane"), qty(100, "t")), fires: true, outcome: C, verdict: R, status: "recalled, policy"},
		{name: "2375 OP13 LPG: propane to KP -> review with the question", rule: "2375-op13-lpg", g: ln("2711.12", "CN", "KP", desc("LPG"), qty(100, "t")), fires: true, outcome: R, verdict: R, missing: "gas-processing plant", status: "policy"},
		{name: "2375 OP13 LPG: butane 2711.13 too", rule: "2375-op13-lpg", g: ln("2711.13", "CN", "KP", qty(100, "t")), fires: true, outcome: R, verdict: R},
		{name: "2375 OP13 LPG: ethylene 2711.14 is not LPG", rule: "2375-op13-lpg", g: ln("2711.14", "CN", "KP", desc("ethylene"), qty(100, "t")), verdict: C},
		{name: "2375 OP13 LPG: before 2375", rule: "2375-op13-lpg", g: ln("2711.12", "CN", "KP", qty(100, "t"), asOf("2017-09-10")), verdict: CL},
		// natural gas is no refined petroleum product: LNG (2711.11) is not counted against the cap
		{name: "2397 OP5: LNG is not a refined product", rule: "2397-op5", g: ln("2711.11", "CN", "KP", desc("liquefied natural gas"), qty(100, "t")), verdict: R},
		{name: "2375 OP14: LNG is not a refined product (2017 cap)", rule: "2375-op14", g: ln("2711.11", "CN", "KP", desc("LNG"), qty(100, "t"), asOf("2017-11-01")), verdict: R},
		{name: "2375 OP14: no allowance in September 2017, but LNG is no refined product", rule: "2375-op14-none", g: ln("2711.11", "CN", "KP", desc("LNG"), asOf("2017-09-20")), verdict: R},
		{name: "2397 OP5: natural gas in gaseous state is not a refined product", rule: "2397-op5", g: ln("2711.21", "CN", "KP", desc("natural gas, pipeline"), qty(1000, "t")), verdict: CL},
		{name: "2397 OP5: petroleum bitumen 2713 still counted", rule: "2397-op5", g: ln("2713.20", "CN", "KP", desc("petroleum bitumen"), qty(100, "t")), fires: true, outcome: C, verdict: C},
		// LNG: whether it is a natural gas liquid (2375 OP13) is a reading, named as the question
		{name: "2375 OP13 LNG: review with the question", rule: "2375-op13-lng", g: ln("2711.11", "CN", "KP", desc("LNG"), qty(100, "t")), fires: true, outcome: R, verdict: R, missing: "natural gas liquid", status: "policy"},
		{name: "2375 OP13 LNG: before 2375", rule: "2375-op13-lng", g: ln("2711.11", "CN", "KP", qty(100, "t"), asOf("2017-09-10")), verdict: CL},
		{name: "2375 OP13 LNG: from the DPRK is not covered", rule: "2375-op13-lng", g: ln("2711.11", "KP", "CN", qty(100, "t")), verdict: CL},
		{name: "2375 OP13 LPG: declared NGL stays banned", rule: "2375-op13", g: ln("2711.12", "CN", "KP", desc("natural gas liquids (propane)"), qty(100, "t")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP13 assay: crude or condensate pending -> review", rule: "2375-op13-assay", g: ln("2709", "RU", "KP", desc("crude oil or condensate, assay pending"), qty(1000, "t")), fires: true, outcome: R, verdict: R, missing: "assay"},
		{name: "2375 OP13: crude NGL on 2711 stays banned (crude only matters on 2709)", rule: "2375-op13", g: ln("2711.29", "RU", "KP", desc("crude natural gas liquids"), qty(100, "t")), fires: true, outcome: P, verdict: P},
		{name: "2375 OP13 assay: crude or condensate is not prohibited", rule: "2375-op13", g: ln("2709", "RU", "KP", desc("crude oil or condensate, assay pending"), qty(1000, "t")), verdict: R},
		{name: "2375 OP13 assay: plain crude oil is capped", rule: "2375-op13-assay", g: ln("2709", "RU", "KP", desc("crude oil"), qty(1000, "t")), verdict: C},
		{name: "2375 OP13 assay: before 2375", rule: "2375-op13-assay", g: ln("2709", "RU", "KP", desc("crude oil or condensate"), qty(1000, "t"), asOf("2017-09-01")), verdict: CL},
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
		{name: "2397 OP6: mushrooms in the wind-down -> review", rule: "2397-op6", g: ln("0712.39", "KP", "CN", asOf("2018-01-21")), fires: true, outcome: R, verdict: R, note: "wind-down to 2018-01-21"},
		{name: "2397 OP6: mushrooms after the wind-down", rule: "2397-op6", g: ln("0712.39", "KP", "CN", asOf("2018-01-22")), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: excavator to KP", rule: "2397-op7", g: ln("8429.52", "CN", "KP"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: steel bars to KP", rule: "2397-op7", g: ln("7214", "CN", "KP"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: trucks to KP", rule: "2397-op7", g: ln("8704.22", "CN", "KP"), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: aircraft spare parts -> review", rule: "2397-op7", g: ln("8803.30", "RU", "KP", desc("spare parts for civil passenger aircraft Tu-204")), fires: true, outcome: R, verdict: R, note: "aircraft-spare-parts"},
		{name: "2397 OP7: 8807 parts for Air Koryo -> review", rule: "2397-op7", g: ln("8807.30", "RU", "KP", desc("landing gear assembly"), purpose("maintenance of Air Koryo fleet")), fires: true, outcome: R, verdict: R, note: "aircraft-spare-parts"},
		{name: "2397 OP7: aircraft engine parts for an Il-62 -> review", rule: "2397-op7", g: ln("8411.91", "RU", "KP", desc("turbofan blades for Il-62")), fires: true, outcome: R, verdict: R, note: "aircraft-spare-parts"},
		{name: "2397 OP7: the word aircraft on steel bars stays prohibited", rule: "2397-op7", g: ln("7214.20", "CN", "KP", desc("steel bars for aircraft spare parts, Air Koryo")), fires: true, outcome: P, verdict: P},
		// redteam: naming the airline turned parts of a military aircraft into review.
		{name: "2397 OP7: military aircraft parts naming Air Koryo stay prohibited", rule: "2397-op7", g: ln("8411.91", "RU", "KP", desc("turbojet parts for military aircraft of Air Koryo")), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: fighter parts naming an Il-76 stay prohibited", rule: "2397-op7", g: ln("8803.30", "RU", "KP", desc("parts for MiG-29 fighter"), purpose("Il-76 Air Koryo")), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: MiG-29 parts for Air Koryo stay prohibited", rule: "2397-op7", g: ln("8411.91", "RU", "KP", desc("turbojet blades, MiG-29"), purpose("Air Koryo")), fires: true, outcome: P, verdict: P},
		{name: "2397 OP7: aircraft parts with no airline or type stay prohibited", rule: "2397-op7", g: ln("8803.30", "RU", "KP", desc("aircraft spare parts")), fires: true, outcome: P, verdict: P},
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
				if f.Kind != tradeplan.KindGoods || f.Citation() == "" || f.Resolution() == "" || f.Paragraph() == "" || f.Regime() != "UN DPRK (1718)" || f.Status() == "" || f.Summary == "" || f.Explanation == "" {
					t.Errorf("finding not filled in: %+v", f)
				}
				if tc.status != "" && f.Status() != tc.status {
					t.Errorf("status %q, want %q", f.Status(), tc.status)
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
