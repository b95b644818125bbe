package screen

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// fullOnly hides the classifier's AssignBrief: a screener over it takes
// every assignment with its evidence, as before assignBrief.
type fullOnly struct{ tradeplan.Classifier }

// TestAssignBriefSameReports: a screener that cross-checks declared codes
// and weighs a list's parts without the candidates' evidence gives every
// line the report, every field, of one that always writes the evidence
// out: lines whose words agree with the code, contradict it, read weakly,
// or name other goods in a list, on and off DPRK routes, and the load
// generator's varied descriptions.
func TestAssignBriefSameReports(t *testing.T) {
	cls, rs := embedded(t)
	brief := New(Config{Classifier: cls, Goods: rs})
	full := New(Config{Classifier: fullOnly{cls}, Goods: rs})
	if _, ok := brief.cfg.Classifier.(briefAssigner); !ok {
		t.Fatal("hs.Classifier has no AssignBrief: the test compares nothing")
	}
	ls := memoLines(t)
	goods := []struct{ hs, desc string }{
		{"030569", "salted pollack"}, {"160510", "packaged crab meat"}, {"071239", "dried pine mushrooms"},
		{"611020", "cotton knitted pullovers"}, {"271019", "diesel fuel"}, {"300431", "insulin, in measured doses"},
		{"950300", "salted pollack"}, {"841370", "crab meat and wigs"}, {"110100", "wheat flour; seafood"},
		{"870323", "motor cars of 1,800 cc"}, {"", "motor cars of 1,800 cc"},
	}
	grades := []string{"grade A", "premium", "export grade", "not roasted", "lead", "seafood"}
	packings := []string{"in cartons", "in bags", "in drums", "in boxes of 10", "on pallets"}
	for i := range 400 {
		g := goods[i%len(goods)]
		route := [][2]string{{"KP", "CN"}, {"CN", "KP"}, {"CN", "VN"}}[i%3]
		ls = append(ls, tradeplan.Line{Origin: route[0], Destination: route[1], HS: g.hs,
			Description: fmt.Sprintf("%s, %s, %s, lot %d", g.desc, grades[i%len(grades)], packings[i%len(packings)], 48000+i),
			Quantity:    tradeplan.D(12), Unit: "t"})
	}
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	differ := 0
	for round := range 2 { // cold, then from the caches
		for i := range ls {
			want := full.Line(&ls[i], day)
			got := brief.Line(&ls[i], day)
			wj, _ := json.Marshal(want)
			gj, _ := json.Marshal(got)
			if string(wj) != string(gj) {
				t.Fatalf("round %d, line %q (%s, %s>%s):\nbrief %s\nfull  %s", round, ls[i].Description, ls[i].HS, ls[i].Origin, ls[i].Destination, gj, wj)
			}
			for _, f := range got.Findings {
				if f.Kind == tradeplan.KindClassification && f.Explanation != "" {
					differ++
				}
			}
		}
	}
	if differ == 0 {
		t.Fatal("no line's words disagreed with its code: the evidence path was not compared")
	}
}
