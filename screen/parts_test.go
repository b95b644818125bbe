package screen

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// TestPartMemoSameReports: a screener whose part memos have seen thousands
// of lines (the parts of a list repeated in every order, under every code
// and route) reports each line byte for byte as a new screener does, whose
// memos and caches are empty.
func TestPartMemoSameReports(t *testing.T) {
	cls, rs := embedded(t)
	cfg := Config{Classifier: cls, Goods: rs}
	warm := New(cfg)
	parts := []string{"salted pollack", "grade A", "in cartons", "first quality", "wigs", "lead", "copper wire",
		"seafood", "dried mushrooms", "not roasted", "medicinal herbs", "plastic toys", "crab meat", "Lot kxbqaa",
		"lot aaaaab", "diesel", "coal", "textiles", "premium", "in boxes of 10", "without bones", "LEAD",
		"leather gloves", "seaweed", "dried fish", "prepared crab", "coats", "wine", "plates of steel"}
	seps := []string{", ", " and ", "; ", " / ", " & ", " + "}
	codes := []string{"030569", "950300", "271019", "", "611020", "740811", "121120"}
	routes := [][2]string{{"KP", "CN"}, {"CN", "KP"}, {"CN", "VN"}}
	r := rand.New(rand.NewPCG(21, 3))
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	weighed := 0
	for i := range 1500 {
		var b strings.Builder
		for j := range 2 + r.IntN(4) {
			if j > 0 {
				b.WriteString(seps[r.IntN(len(seps))])
			}
			b.WriteString(parts[r.IntN(len(parts))])
		}
		route := routes[i%len(routes)]
		l := tradeplan.Line{Origin: route[0], Destination: route[1], HS: codes[r.IntN(len(codes))],
			Description: b.String(), Quantity: tradeplan.D(12), Unit: "t"}
		got, _ := json.Marshal(warm.Line(&l, day))
		want, _ := json.Marshal(New(cfg).Line(&l, day))
		if string(got) != string(want) {
			t.Fatalf("line %d %q (%s, %s>%s):\nwarm %s\nnew  %s", i, l.Description, l.HS, route[0], route[1], got, want)
		}
		if strings.Contains(string(got), "the description also names") {
			weighed++
		}
	}
	if weighed < 100 {
		t.Errorf("only %d lines had a part weighed: the memo was hardly read", weighed)
	}
}
