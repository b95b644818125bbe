package hs

import (
	"strings"
	"testing"
)

// TestCorrectBoundedWork: spelling correction reads a bounded number of
// bytes per word, however long the word: an 80,000-letter word (one
// request's worth, which took 11-17 s of CPU when correct was quadratic in
// the word's length) is no known word's misspelling and is not tried.
func TestCorrectBoundedWork(t *testing.T) {
	c := defaultClassifier(t)
	bound := 3*c.maxFixLen*c.maxFixLen + 4*c.maxFixLen
	for _, n := range []int{5, 12, c.maxFixLen, c.maxFixLen + 1, 1000, 80000} {
		w := strings.Repeat("q", n)
		id, work := c.correctWork(w)
		if id >= 0 {
			t.Errorf("%d q's corrected to %q", n, c.words[id])
		}
		if work > bound {
			t.Errorf("a word of %d letters read %d bytes; at most %d", n, work, bound)
		}
	}
	// A misspelling within the bound is still corrected.
	if id, _ := c.correctWork("pollakc"); id < 0 || c.words[id] != "pollack" {
		t.Errorf("pollakc not corrected to pollack")
	}
	// A long text of unknown words classifies, correcting its first words only.
	long := strings.Repeat("zzyzxq ", 20000) + "salted pollack"
	if cs := c.Classify(long, 1); len(cs) == 0 {
		t.Error("a long description found nothing")
	}
}

// BenchmarkClassifyLongWord classifies a description of one 80,000-letter
// word (see TestCorrectBoundedWork).
func BenchmarkClassifyLongWord(b *testing.B) {
	c := defaultClassifier(b)
	w := strings.Repeat("a", 80000)
	cpu0 := cpuTime()
	for b.Loop() {
		c.Classify(w, 3)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}
