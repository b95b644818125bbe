package hs

import (
	"slices"
	"testing"
)

// The index is built with appendNormIDs and stemBytes, descriptions are read
// with normWords and stem: they must agree on every text.
func TestAppendNormIDsAgreesWithNormWords(t *testing.T) {
	c := defaultClassifier(t)
	texts := []string{
		"Frozen Alaska Pollack fillets, PBO", "men's t-shirts", "boxes of matches", "dresses", "berries",
		"glasses", "potatoes", "buses and taxis", "crisis", "soy sauce 18L", "ties", "x", "", "  --  ",
		"Café crème", "명태 myeongtae", "a-very-long-compound-word-that-goes-past-the-sixty-four-byte-buffer-of-the-tokenizer",
	}
	for _, code := range c.base.codes(6)[:400] {
		texts = append(texts, c.base.entries[code].Title)
		texts = append(texts, c.base.entries[code].Keywords...)
	}
	for _, s := range texts {
		var want []int32
		for _, w := range normWords(s) {
			want = append(want, c.wordID(w, false))
		}
		if got := c.appendNormIDs(nil, s, false, keepAll); !slices.Equal(got, want) {
			t.Errorf("appendNormIDs(%q) = %v, normWords gives %v", s, got, want)
		}
	}
	for _, w := range append(slices.Clone(c.words), "ies", "series", "ties", "boxes", "buses", "glasses", "oes", "shoes", "cries") {
		if got := string(stemBytes([]byte(w))); got != stem(w) {
			t.Errorf("stemBytes(%q) = %q, stem gives %q", w, got, stem(w))
		}
	}
}
