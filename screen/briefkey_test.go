package screen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
)

// textKeyed hides the classifier's BriefKey: a screener over it remembers
// brief assignments by the exact description, as before BriefKey.
type textKeyed struct{ *hs.Classifier }

func (c textKeyed) BriefKey() {} // not briefKeyer's method: hides it

// TestBriefKeySameReports: a screener that remembers brief assignments by
// BriefKey (descriptions that differ only in unknown numbers share one)
// gives every line the report, every field, of one that remembers them
// by the exact text: lot, batch and invoice numbers, numbers glued to
// words, figures with units, numbers the vocabulary knows, declared codes
// that agree and disagree, lists of goods, on and off DPRK routes, each
// line screened cold and again from the caches.
func TestBriefKeySameReports(t *testing.T) {
	cls, rs := embedded(t)
	keyed := New(Config{Classifier: cls, Goods: rs})
	text := New(Config{Classifier: textKeyed{cls}, Goods: rs})
	if _, ok := text.cfg.Classifier.(briefKeyer); ok {
		t.Fatal("the text-keyed screener still sees BriefKey: the test compares nothing")
	}
	goods := []struct{ hs, desc string }{
		{"030569", "salted pollack"}, {"160510", "packaged crab meat"}, {"071239", "dried pine mushrooms"},
		{"611020", "cotton knitted pullovers"}, {"271019", "diesel fuel"}, {"300431", "insulin, in measured doses"},
		{"950300", "salted pollack"}, {"841370", "crab meat and wigs"}, {"110100", "wheat flour; seafood"},
		{"870323", "motor cars of 1,800 cc"}, {"", "motor cars"}, {"", "diesel generator sets"}, {"850211", "generator"},
		{"", "lead crystal glassware and copper wire"}, {"", "spare parts for trucks"}, {"270111", "anthracite coal"},
	}
	extras := []string{"lot %d", "batch %dB", "invoice %d-17", "No. %d", "model X%d", "%d kW", "%d cc", "type %d", "%d", "in boxes of %d"}
	r := rand.New(rand.NewPCG(13, 2))
	var ls []tradeplan.Line
	for i := range 3000 {
		g := goods[r.IntN(len(goods))]
		route := [][2]string{{"KP", "CN"}, {"CN", "KP"}, {"CN", "VN"}}[i%3]
		n := []int{r.IntN(10), r.IntN(100), r.IntN(1000000)}[r.IntN(3)]
		extra := fmt.Sprintf(extras[r.IntN(len(extras))], n)
		desc := g.desc + ", " + extra
		if r.IntN(3) == 0 {
			desc = extra + " " + g.desc
		}
		ls = append(ls, tradeplan.Line{Origin: route[0], Destination: route[1], HS: g.hs, Description: desc,
			Quantity: tradeplan.D(12), Unit: "t"})
	}
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for round := range 2 { // cold, then from the caches
		for i := range ls {
			want, _ := json.Marshal(text.Line(&ls[i], day))
			got, _ := json.Marshal(keyed.Line(&ls[i], day))
			if string(want) != string(got) {
				t.Fatalf("round %d, line %q (%s, %s>%s):\nkeyed %s\ntext  %s", round, ls[i].Description, ls[i].HS, ls[i].Origin, ls[i].Destination, got, want)
			}
		}
	}
}
