package parties

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestNearKeysSameFindings: an index that remembers each word's near
// spellings screens every name as one that looks them up each time:
// listed names with a letter dropped, doubled or swapped, and made-up
// company names built of repeating words, each name screened twice.
func TestNearKeysSameFindings(t *testing.T) {
	un, ofac, ix := realLists(t)
	plain := NewIndex(un, ofac)
	plain.near = nil
	if ix.near == nil {
		t.Fatal("the index remembers no near spellings: the test compares nothing")
	}
	r := rand.New(rand.NewPCG(17, 3))
	var names []string
	for _, l := range []*ListInfo{un, ofac} {
		for i := 0; i < len(l.Entries); i += 11 {
			n := []rune(l.Entries[i].Name)
			if len(n) < 4 {
				continue
			}
			k := 1 + r.IntN(len(n)-2)
			switch r.IntN(3) {
			case 0:
				n = append(n[:k:k], n[k+1:]...)
			case 1:
				n = append(n[:k:k], append([]rune{n[k]}, n[k:]...)...)
			default:
				n[k], n[k+1] = n[k+1], n[k]
			}
			names = append(names, string(n))
		}
	}
	cities := []string{"Yanji", "Hunchun", "Dandong", "Pyongyang", "Nampo", "Vladivostok"}
	stems := []string{"Rongsheng", "Korea Kwangson", "Tanchon", "Kumsan", "Ryonbong", "Chongchongang", "Namchongang"}
	trades := []string{"Aquatic", "Fuel", "Banking", "Import and Export", "Shipping", "Mining Development"}
	forms := []string{"Co., Ltd.", "Trading Corporation", "General Corporation", "LLC"}
	for i := range 1000 {
		names = append(names, fmt.Sprintf("%s %s %s No. %d %s", cities[r.IntN(len(cities))], stems[r.IntN(len(stems))],
			trades[r.IntN(len(trades))], i, forms[r.IntN(len(forms))]))
	}
	for round := range 2 {
		for _, n := range names {
			p := tradeplan.Party{Name: n, Country: "KP"}
			want, _ := json.Marshal(plain.ScreenParty(p))
			got, _ := json.Marshal(ix.ScreenParty(p))
			if string(want) != string(got) {
				t.Fatalf("round %d, %q:\nremembered %s\nlooked up  %s", round, n, got, want)
			}
		}
	}
}
