package hs

import (
	"reflect"
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

// The classifier is used from several goroutines at once by the screening:
// each call has working memory of its own, and what it returns shares none
// with another call.
func TestClassifyConcurrent(t *testing.T) {
	c := defaultClassifier(t)
	want := make([][]candidateT, len(benchDescs))
	for i, d := range benchDescs {
		want[i] = c.Classify(d, 5)
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i := 0; i < 100; i++ {
				k := (i + 3*g) % len(benchDescs)
				if got := c.Classify(benchDescs[k], 5); !reflect.DeepEqual(got, want[k]) {
					ok = false
				}
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

// The evidence is written out only for the candidates returned, from what
// was kept while scoring: every kind of line, word for word.
func TestClassifyEvidenceText(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		desc string
		want [][]string // by candidate
	}{
		{"Frz Alaska Pollack fillets 10kg", [][]string{
			{`lexicon: "alaska pollack" = pollock, "fillets" = fillet, "frz" = frozen`,
				"subheading text (embedded) 0304.75: alaska, pollock, fillet, frozen, pollack",
				"heading 0304: fillet, frozen, pollock"},
			{"subheading text (embedded) 0304.94: alaska, pollock, fillet, frozen"},
			{`lexicon: "alaska pollack" = pollock, "frz" = frozen`,
				"narrower: 0304.89 explains the same words",
				"heading 0303: frozen, fillet, pollock, pollack, alaska, frz",
				"subheading text (embedded) 0303.67: alaska, pollock, frozen, pollack",
				"refines heading 0303 found by its text"},
		}},
		{"dried pine mushrooms", [][]string{
			{`lexicon: "pine mushrooms" = matsutake (anymushroom), "dried" = dried`,
				"subheading text (embedded) 0712.39: dried, mushroom, matsutake, pine",
				"heading 0712: dried, mushroom, pine, matsutake"},
			{`subheading 0709.55 keyword "pine mushroom"`,
				"subheading 0709.55 of heading 0709: no subheading text is more specific; the residual one"},
			{"subheading text (embedded) 0709.59: mushroom, matsutake",
				"subheading 0709.59 of heading 0709: runner-up within the heading"},
		}},
		{"used dump trucks", [][]string{
			{`lexicon: "dump trucks" = truck (dump truck) (a guess: weight 0.90)`,
				"heading 8704: truck, dump, used",
				"subheading text (embedded) 8704.23: truck, dump"},
			{"subheading text (embedded) 8413.40: truck"},
			{"subheading text (embedded) 8709.90: truck"},
		}},
		{"salt pollak 25kg/box", [][]string{
			{`lexicon: "pollak (read as pollack)" = pollock (fish), "salt" = salted`,
				"subheading text (embedded) 0305.69: salted, pollack",
				"heading 0305: salted, pollack"},
			{"subheading text (embedded) 0305.32: salted, pollock, pollack"},
			{"subheading text (embedded) 0305.53: salted, pollack, pollock"},
		}},
	}
	for _, tt := range tests {
		got := c.Classify(tt.desc, 3)
		var ev [][]string
		for _, cd := range got {
			ev = append(ev, cd.Evidence)
		}
		if !reflect.DeepEqual(ev, tt.want) {
			t.Errorf("Classify(%q) evidence:\n got %q\nwant %q", tt.desc, ev, tt.want)
		}
	}
}

// bestText keeps the best text documents as they come; sortText, which
// sorts them all, is its reference: the candidates must be the same, to the
// order of their evidence.
func TestBestTextIsSortText(t *testing.T) {
	descs := append([]string(nil), benchDescs...)
	for _, c := range loadEval(t) {
		descs = append(descs, c.description)
	}
	check := func(t *testing.T, noms ...*Nomenclature) {
		fast, err := New(noms...)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := New(noms...)
		if err != nil {
			t.Fatal(err)
		}
		ref.sortAll = true
		for _, d := range descs {
			if got, want := fast.Classify(d, 10), ref.Classify(d, 10); !reflect.DeepEqual(got, want) {
				t.Errorf("Classify(%q):\n got %+v\nwant %+v", d, got, want)
			}
		}
	}
	t.Run("embedded", func(t *testing.T) { check(t) })
	t.Run("imported", func(t *testing.T) {
		n22, n17 := loadFull(t)
		check(t, n22, n17)
	})
}
