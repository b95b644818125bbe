package hs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBriefKeySameAnswer checks the promise of BriefKey: descriptions with
// the same key get the same brief assignment. The descriptions are the
// labelled set's and variants of them with numbers added, changed or
// glued to words (lots, invoices, "No. 7", "10kg", "x2"), among them
// numbers the vocabulary knows, on the embedded classifier and on one with
// the imported HS 2022.
func TestBriefKeySameAnswer(t *testing.T) {
	classifiers := testClassifiers(t)
	var descs []string
	for _, e := range loadEval(t) {
		descs = append(descs, e.description)
	}
	descs = append(descs, benchDescs...)
	r := rand.New(rand.NewPCG(13, 1))
	number := func() string {
		switch r.IntN(6) {
		case 0:
			return fmt.Sprint(r.IntN(10)) // one digit: some are known words
		case 1:
			return fmt.Sprint(1900 + r.IntN(200))
		case 2:
			return fmt.Sprintf("%dA", r.IntN(1000))
		case 3:
			return fmt.Sprintf("x%d", r.IntN(20))
		default:
			return fmt.Sprint(r.IntN(1000000))
		}
	}
	variants := func(d string) []string {
		words := strings.Fields(d)
		out := []string{
			d + ", lot " + number(),
			d + ", lot " + number(),
			"invoice " + number() + " " + d,
			d + " No. " + number() + " " + number(),
			d + " " + number() + "kg",
			d + " " + number() + " " + number(),
		}
		if len(words) > 1 {
			i := 1 + r.IntN(len(words)-1)
			mid := strings.Join(words[:i], " ") + " " + number() + " " + strings.Join(words[i:], " ")
			out = append(out, mid, strings.Join(words[:i], " ")+" "+number()+" "+strings.Join(words[i:], " "))
		}
		// every run of digits replaced by another number
		var b strings.Builder
		for i := 0; i < len(d); i++ {
			if d[i] >= '0' && d[i] <= '9' {
				for i+1 < len(d) && d[i+1] >= '0' && d[i+1] <= '9' {
					i++
				}
				b.WriteString(fmt.Sprint(r.IntN(500)))
				continue
			}
			b.WriteByte(d[i])
		}
		return append(out, b.String())
	}
	for _, cl := range classifiers {
		t.Run(cl.name, func(t *testing.T) {
			byKey := map[string]string{}  // key -> the first description with it
			answer := map[string]string{} // key -> its brief answer
			shared := 0
			check := func(d string) {
				a, alts := cl.c.AssignBrief(d, 5)
				got := fmt.Sprintf("%#v %q", a, alts)
				k := cl.c.BriefKey(d)
				if k[0] == '~' && k != cl.c.tokenBriefKey(d) {
					t.Errorf("BriefKey(%q) = %q, from its words %q", d, k, cl.c.tokenBriefKey(d))
				}
				if first, ok := byKey[k]; ok {
					if first != d {
						shared++
					}
					if answer[k] != got {
						t.Errorf("key %q: %q and %q answer differently:\n%s\n%s", k, first, d, answer[k], got)
					}
					return
				}
				byKey[k], answer[k] = d, got
			}
			for _, d := range descs {
				check(d)
				for _, v := range variants(d) {
					check(v)
				}
			}
			if shared == 0 {
				t.Error("no two descriptions shared a key: the test proves nothing")
			}
			t.Logf("%d keys, %d descriptions answered from another's key", len(byKey), shared)
		})
	}
}

func TestBriefKey(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{name: "lot numbers", a: "salted pollack, grade A, lot 48213", b: "Salted pollack grade a lot 90210", same: true},
		{name: "invoice number glued to letters", a: "invoice 17A wheat flour", b: "invoice 2026B wheat flour", same: true},
		{name: "number's place counts", a: "wheat 17 flour", b: "wheat flour 17", same: false},
		{name: "figure and unit", a: "diesel engine 100 kW", b: "diesel engine 200 kW", same: false},
		{name: "words differ", a: "salted pollack, lot 1", b: "salted cod, lot 1", same: false},
		{name: "number against none", a: "salted pollack lot 1", b: "salted pollack lot", same: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := c.BriefKey(tt.a), c.BriefKey(tt.b)
			if (ka == kb) != tt.same {
				t.Errorf("BriefKey(%q) = %q, BriefKey(%q) = %q: same %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.same)
			}
		})
	}
}

// FuzzBriefKey checks that the ASCII reading of a key is the words'.
func FuzzBriefKey(f *testing.F) {
	for _, d := range benchDescs {
		f.Add(d)
	}
	f.Add("men's shirts, lot 17A 'x' it''s")
	c := defaultClassifier(f)
	f.Fuzz(func(t *testing.T, d string) {
		if k, ok := c.asciiBriefKey(d); ok && k != c.tokenBriefKey(d) {
			t.Errorf("asciiBriefKey(%q) = %q, from its words %q", d, k, c.tokenBriefKey(d))
		}
	})
}
