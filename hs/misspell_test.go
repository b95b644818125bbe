package hs

import (
	"math/rand/v2"
	"testing"
)

// correctRef is correct as it was before the filters: every deletion looked
// up in the maps.
func (c *Classifier) correctRef(w string) int32 {
	if len(w) < 5 || len(w) > c.maxFixLen || hasDigit(w) {
		return -1
	}
	deletes := c.misspelt().deletes
	if id, found := deletes[deletionHash(w, -1)]; found && oneEdit(w, c.words[id]) {
		return id
	}
	for i := 0; i < len(w); i++ {
		if id, found := c.vocab[w[:i]+w[i+1:]]; found {
			return id
		}
		if id, found := deletes[deletionHash(w, i)]; found && oneEdit(w, c.words[id]) {
			return id
		}
	}
	return -1
}

// TestCorrectFiltered: with the filters in front of the maps, every word is
// corrected as the maps alone correct it: each known word with a letter
// dropped, added, changed or two swapped at every place, and made-up words.
func TestCorrectFiltered(t *testing.T) {
	classifiers := testClassifiers(t)
	for _, tc := range classifiers {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			m := c.misspelt()
			for h := range m.deletes {
				if !m.deleted.has(h) {
					t.Fatalf("deletion %x not in its filter", h)
				}
			}
			for _, w := range c.words {
				if !m.known.has(deletionHash(w, -1)) {
					t.Fatalf("word %q not in its filter", w)
				}
			}
			r := rand.New(rand.NewPCG(5, 8))
			tried, fixed := 0, 0
			try := func(w string) {
				tried++
				got, want := c.correct(w), c.correctRef(w)
				if got != want {
					t.Errorf("%q corrected to %q, want %q", w, wordOf(c, got), wordOf(c, want))
				}
				if got >= 0 {
					fixed++
				}
			}
			letter := func() string { return string(rune('a' + r.IntN(26))) }
			for _, w := range c.words {
				if len(w) < 4 || hasDigit(w) {
					continue
				}
				for i := 0; i <= len(w); i++ {
					try(w[:i] + letter() + w[i:])
					if i < len(w) {
						try(w[:i] + w[i+1:])
						try(w[:i] + letter() + w[i+1:])
					}
					if i+1 < len(w) {
						try(w[:i] + w[i+1:i+2] + w[i:i+1] + w[i+2:])
					}
				}
			}
			for range 20000 {
				b := make([]byte, 5+r.IntN(10))
				for i := range b {
					b[i] = byte('a' + r.IntN(26))
				}
				try(string(b))
			}
			if fixed < tried/2 {
				t.Errorf("only %d of %d words corrected", fixed, tried)
			}
			t.Logf("%d words tried, %d corrected", tried, fixed)
		})
	}
}
