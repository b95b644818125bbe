package screen

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// TestAttackSecondGoodsInOneDescription (redteam, wave 8): a line declared
// as rice whose description also names a controlled good with no
// separator between them ("rice with tanks", "rice milled Diesel") cleared:
// the words as a whole read as rice, or too weakly as the other good for
// the cross-check, and the list split found one part. A good that the
// lexicon names on its own, under another heading than the declared code,
// is weighed by the rules as the parts of a list are: the line goes to
// review citing the rule of the named good. Descriptions whose other words
// only qualify the goods stay clear.
func TestAttackSecondGoodsInOneDescription(t *testing.T) {
	cls, rs := embedded(t)
	s := New(Config{Classifier: cls, Goods: rs})
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		dir      tradeplan.Direction
		hs, desc string
		want     tradeplan.Verdict
		cites    string // in the findings of a line that is not clear
	}{
		{tradeplan.Import, "100630", "rice with tanks", tradeplan.Review, "2397 (2017) OP7"},
		{tradeplan.Import, "100630", "rice milled Diesel", tradeplan.Review, "2397 (2017) OP5"},
		{tradeplan.Import, "100630", "rice milled diesel", tradeplan.Review, "2397 (2017) OP5"},
		{tradeplan.Import, "100630", "rice containing petrol", tradeplan.Review, "2397 (2017) OP5"},
		{tradeplan.Import, "100630", "rice with trucks", tradeplan.Review, "2397 (2017) OP7"},
		{tradeplan.Import, "", "rice milled diesel", tradeplan.Review, "2397 (2017) OP5"},
		{tradeplan.Export, "950300", "toys with anthracite", tradeplan.Review, "2371 (2017) OP8"},
		// goods named in one word the lexicon now reads alone (lead, wave 8)
		{tradeplan.Import, "100630", "rice with rifles", tradeplan.Review, "2270 (2016) OP6"},
		{tradeplan.Import, "100630", "rice with guns", tradeplan.Review, "2270 (2016) OP6"},
		{tradeplan.Import, "100630", "rice with boats", tradeplan.Review, "2397 (2017) OP7"},
		{tradeplan.Import, "100630", "rice with ships", tradeplan.Review, "2397 (2017) OP7"},
		{tradeplan.Import, "100630", "rice with copper", tradeplan.Review, "2397 (2017) OP7"},
		{tradeplan.Import, "100630", "rice with aluminium", tradeplan.Review, "2397 (2017) OP7"},
		{tradeplan.Import, "100630", "rice with jewellery", tradeplan.Review, "2094 (2013) OP23"},
		{tradeplan.Import, "100630", "rice with diamonds", tradeplan.Review, "2094 (2013) OP23"},
		// the words qualify the goods, naming nothing else
		{tradeplan.Import, "100630", "milled rice", tradeplan.Clear, ""},
		{tradeplan.Import, "100630", "rice with husk", tradeplan.Clear, ""},
		{tradeplan.Import, "100630", "milled rice, long grain, 25 kg bags", tradeplan.Clear, ""},
		{tradeplan.Import, "110100", "wheat flour in bags with handles", tradeplan.Clear, ""},
		{tradeplan.Export, "670420", "human hair wigs, natural black, 20 inch", tradeplan.Clear, ""},
		// off the DPRK routes the rules do not weigh it
		{"", "100630", "rice with tanks", tradeplan.Clear, ""},
	} {
		l := tradeplan.Line{Direction: tc.dir, HS: tc.hs, Description: tc.desc, Quantity: tradeplan.D(1), Unit: "t"}
		switch tc.dir {
		case tradeplan.Import:
			l.Origin, l.Destination = "CN", "KP"
		case tradeplan.Export:
			l.Origin, l.Destination = "KP", "CN"
		default:
			l.Direction, l.Origin, l.Destination = tradeplan.Import, "CN", "VN"
		}
		if tc.dir == tradeplan.Export && tc.hs == "670420" {
			l.Unit = "pcs"
		}
		r := s.Line(&l, day)
		var text []string
		for _, f := range r.Findings {
			text = append(text, string(f.Outcome)+": "+f.Summary)
		}
		if r.Verdict != tc.want {
			t.Errorf("%q declared %q (%s>%s): %s, want %s\n  %s", tc.desc, tc.hs, l.Origin, l.Destination, r.Verdict, tc.want, strings.Join(text, "\n  "))
			continue
		}
		if tc.cites != "" && !strings.Contains(strings.Join(text, "\n"), tc.cites) {
			t.Errorf("%q declared %q: %s, but the rule %s is not cited:\n  %s", tc.desc, tc.hs, r.Verdict, tc.cites, strings.Join(text, "\n  "))
		}
	}
}

// TestAttackGoodsAfterAPurpose (lead, wave 8): a stated purpose (" for
// ...") names what the goods serve, not goods, and its words were cut from
// the goods to the end of the description; goods written after it, past a
// separator, were never weighed: "rice for export, tanks" declared as rice
// cleared. A purpose ends at the next separator of goods.
func TestAttackGoodsAfterAPurpose(t *testing.T) {
	cls, rs := embedded(t)
	s := New(Config{Classifier: cls, Goods: rs})
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		desc  string
		want  tradeplan.Verdict
		cites string
	}{
		{"rice for export, tanks", tradeplan.Review, "2397 (2017) OP7"},
		{"rice, for export; diesel fuel 10 t", tradeplan.Review, "2397 (2017) OP5"},
		{"rice for export with diesel", tradeplan.Review, "2397 (2017) OP5"},
		{"Rice FOR export WITH Diesel", tradeplan.Review, "2397 (2017) OP5"},
		{"rice for the army / trucks", tradeplan.Review, "2397 (2017) OP7"},
		// a purpose alone names no goods; "and" goes on with it (the
		// report's own line: diesel for fishing boats and farm machinery)
		{"diesel fuel for fishing boats and farm machinery", tradeplan.Capped, ""},
		{"rice for export", tradeplan.Clear, ""},
		{"rice for human consumption, 25 kg bags", tradeplan.Clear, ""},
		{"milled rice for food aid", tradeplan.Clear, ""},
	} {
		l := tradeplan.Line{Direction: tradeplan.Import, HS: "100630", Description: tc.desc, Quantity: tradeplan.D(1), Unit: "t", Origin: "CN", Destination: "KP"}
		if strings.HasPrefix(tc.desc, "diesel") {
			l.HS, l.Unit = "271019", "bbl"
		}
		r := s.Line(&l, day)
		var text []string
		for _, f := range r.Findings {
			text = append(text, string(f.Outcome)+": "+f.Summary)
		}
		if r.Verdict != tc.want {
			t.Errorf("%q declared %s: %s, want %s\n  %s", tc.desc, l.HS, r.Verdict, tc.want, strings.Join(text, "\n  "))
			continue
		}
		if tc.cites != "" && !strings.Contains(strings.Join(text, "\n"), tc.cites) {
			t.Errorf("%q declared %s: %s, but the rule %s is not cited:\n  %s", tc.desc, l.HS, r.Verdict, tc.cites, strings.Join(text, "\n  "))
		}
	}
}
