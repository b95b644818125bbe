//go:build !race

// (The race detector makes sync.Pool drop what it is given.)

package hs

import "testing"

// Once its working memory is warm, Classify allocates only what it returns:
// the words of the description, the candidates, and their evidence (one
// text and the lines cut from it).
func TestClassifyAllocs(t *testing.T) {
	c := defaultClassifier(t)
	for _, d := range benchDescs {
		c.Classify(d, 3) // warm: the misspelling index is made on first use
	}
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		c.Classify(benchDescs[i%len(benchDescs)], 3)
		i++
	})
	if allocs > 4 {
		t.Errorf("Classify: %v allocations a description; want at most 4", allocs)
	}
}
