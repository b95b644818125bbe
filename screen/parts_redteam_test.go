package screen

import (
	"slices"
	"testing"
)

// TestGoodsPartsBrackets (redteam, wave 7): goods named in brackets or
// after "plus", "also", "as well as", "along with" or "together with" are
// goods of their own, weighed against the declared code: "rice (and also 2
// trucks)" declared as rice cleared, while "rice and trucks" was sent to
// review.
func TestGoodsPartsBrackets(t *testing.T) {
	for _, tc := range []struct {
		desc string
		want []string // among the parts
	}{
		{"rice (and also 2 trucks)", []string{"rice", "2 trucks"}},
		{"rice [also trucks]", []string{"rice", "trucks"}},
		{"rice {plus trucks}", []string{"rice", "trucks"}},
		{"rice plus trucks", []string{"rice", "trucks"}},
		{"rice, also trucks", []string{"rice", "trucks"}},
		{"rice as well as trucks", []string{"rice", "trucks"}},
		{"rice along with trucks", []string{"rice", "trucks"}},
		{"rice together with trucks", []string{"rice", "trucks"}},
		{"rice（and trucks）", []string{"rice", "trucks"}},
		{"plastic toys and salted pollack", []string{"plastic toys", "salted pollack"}},
	} {
		got := goodsParts(tc.desc)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("goodsParts(%q) = %q: no part %q", tc.desc, got, w)
			}
		}
	}
	// A bracket alone holds an attribute, not goods.
	for _, d := range []string{"insulin (human)", "rice (milled)", "maize (corn)"} {
		if got := goodsParts(d); len(got) != 1 {
			t.Errorf("goodsParts(%q) = %q, want one part", d, got)
		}
	}
}
