package rules

import "testing"

func TestTerms(t *testing.T) {
	tests := []struct {
		name, text, term string
		want             bool
	}{
		{"plain", "diesel fuel", "diesel", true},
		{"case", "JET FUEL", "jet fuel", true},
		{"punctuation between words", "Jet-fuel, kerosene type", "jet fuel", true},
		{"term with hyphen", "Jet A-1 for airline", "jet a-1", true},
		{"plural", "bronze statues", "statue", true},
		{"word start only", "potting soil", "oil", false},
		{"not inside a word", "premiumluxury", "luxury", false},
		{"space needs a separator", "jetfuel", "jet fuel", false},
		{"en dash", "kerosene\u2013type jet fuel", "kerosene-type jet", true},
		{"non-ASCII word", "Sch\u00f6ne Statuen", "statuen", true},
		{"non-ASCII term text", "\uc870\uac01\uc0c1 statue", "statue", true},
		{"empty text", "", "statue", false},
		{"term at the end", "crude oil", "oil", true},
		{"term longer than text", "jet", "jet fuel", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			terms := normTerms([]string{tc.term})
			if got := hasTerm(screenText(tc.text), terms[0]); got != tc.want {
				t.Errorf("hasTerm(%q, %q) = %v, want %v", tc.text, tc.term, got, tc.want)
			}
		})
	}
}

func FuzzTerms(f *testing.F) {
	f.Add("Jet A-1 kerosene-type jet fuel", "jet fuel")
	f.Add("\u00e9\u00e8 statue\u2013x", "statue")
	f.Fuzz(func(t *testing.T, text, term string) {
		ts := normTerms([]string{term})
		if len(ts) == 0 {
			return
		}
		// The allocation-free matcher agrees with a plain search in the
		// normalised text.
		n := normText(text)
		want := false
		tt := ts[0][:len(ts[0])-1]
		for i := 0; i+len(tt) <= len(n); i++ {
			if n[i:i+len(tt)] == tt {
				want = true
				break
			}
		}
		if got := hasTerm(screenText(text), ts[0]); got != want {
			t.Errorf("hasTerm(%q, %q) = %v, normalised search says %v", text, term, got, want)
		}
	})
}
