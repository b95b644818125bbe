package hs

import (
	"strings"
	"testing"
)

// The goods of the news report the product is built for, and their codes
// (shared/design/un-dprk-goods.md).
func TestClassifyReportGoods(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		name, desc, want string
		alt              string // a code that must be offered as an alternative in doubt
	}{
		{name: "salted pollack", desc: "salted pollack", want: "030569"},
		{name: "packaged crab meat", desc: "packaged crab meat", want: "160510"},
		{name: "dried clams", desc: "dried clams", want: "030779"},
		{name: "dried pine mushrooms", desc: "dried pine mushrooms", want: "071239"},
		{name: "salted pine mushrooms", desc: "salted pine mushrooms", want: "071159", alt: "200390"},
		{name: "medicinal herbs", desc: "medicinal herbs", want: "121190"},
		{name: "frozen pollack", desc: "frozen pollack", want: "030367"},
		{name: "frozen herring", desc: "frozen herring", want: "030351"},
		{name: "frozen sole", desc: "frozen sole", want: "030339"},
		{name: "frozen sandfish", desc: "frozen sandfish", want: "030389"},
		{name: "romanised pollack", desc: "MYEONGTAE frz 10kg ctns", want: "030367"},
		{name: "latin name", desc: "Gadus chalcogrammus, frozen whole round", want: "030367"},
		{name: "fillets decide 0304", desc: "frozen Alaska pollock fillets", want: "030475"},
		{name: "prepared decides 1604", desc: "canned herring in tomato sauce", want: "160412"},
		{name: "misspelt", desc: "frozne herrring", want: "030351"},
		{name: "material decides textiles", desc: "men's T-shirts 100% cotton knitted", want: "610910"},
		{name: "synthetic T-shirts", desc: "T-shirts polyester", want: "610990"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.desc, 3)
			if len(got) == 0 || got[0].Code != tt.want {
				t.Fatalf("Classify(%q) = %+v; want %s first", tt.desc, got, tt.want)
			}
			if len(got[0].Evidence) == 0 || got[0].Title == "" || got[0].Score <= 0 || got[0].Score > 1 {
				t.Fatalf("first candidate lacks evidence, title or a score in (0,1]: %+v", got[0])
			}
			alts := Alternatives(got)
			if tt.alt != "" && !contains(alts, tt.alt) {
				t.Fatalf("Alternatives(%q) = %v; want %s in doubt (candidates %+v)", tt.desc, alts, tt.alt, got)
			}
			if tt.alt == "" && got[0].Score >= Confident && len(alts) > 0 {
				t.Logf("note: %q is confident but has alternatives %v", tt.desc, alts)
			}
		})
	}
}

func TestClassifyEvidenceAndDoubt(t *testing.T) {
	c := defaultClassifier(t)
	got := c.Classify("salted pollack", 3)
	ev := strings.Join(got[0].Evidence, "; ")
	for _, w := range []string{`"salted" = salted`, `"pollack" = pollock`} {
		if !strings.Contains(ev, w) {
			t.Errorf("evidence %q lacks %q", ev, w)
		}
	}
	if got[0].Score < Confident || len(Alternatives(got)) > 0 {
		t.Errorf("salted pollack should be confident with no doubt: %+v", got)
	}
	// a species with no processing state is a guess, not a decision
	if g := c.Classify("pollack", 3); len(g) == 0 || g[0].Score >= Confident {
		t.Errorf("pollack alone should not be confident: %+v", g)
	}
	if g := c.Classify("zzzz qqqq 1234", 3); len(g) != 0 {
		t.Errorf("unknown words gave candidates: %+v", g)
	}
	a, alts := c.Assign("salted pine mushrooms", 3)
	if a.Source != "classified" || a.Code != "071159" || len(alts) == 0 || !strings.Contains(a.Note, "in doubt") {
		t.Errorf("Assign = %+v, %v", a, alts)
	}
}

func TestAlternatives(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		want   int
	}{
		{"one", []float64{0.9}, 0},
		{"close", []float64{0.9, 0.8}, 1},
		{"far", []float64{0.9, 0.7}, 0},
		{"weak pair", []float64{0.3, 0.25}, 0},
		{"two close", []float64{0.6, 0.55, 0.5}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs []candidateT
			for i, s := range tt.scores {
				cs = append(cs, candidateT{Code: string(rune('a' + i)), Score: s})
			}
			if got := Alternatives(cs); len(got) != tt.want {
				t.Fatalf("Alternatives(%v) = %v; want %d", tt.scores, got, tt.want)
			}
		})
	}
}

// The classifier is used from several goroutines at once by the screening.
func TestClassifyConcurrent(t *testing.T) {
	c := defaultClassifier(t)
	want := c.Classify("salted pine mushrooms", 3)
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i := 0; i < 50; i++ {
				got := c.Classify("salted pine mushrooms", 3)
				if len(got) != len(want) || got[0].Code != want[0].Code || got[0].Score != want[0].Score {
					ok = false
				}
				c.Classify("frz alaska pollack fillets", 3)
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent Classify gave a different answer")
		}
	}
}
