package server

import (
	"regexp"
	"strconv"
	"testing"
)

// lotNumber is the lot number coldPlans writes at the end of a description.
var lotNumber = regexp.MustCompile(`, lot ([0-9]+)\n`)

// coldWordPlans are coldPlans with each lot number written as a made-up
// word of six letters ("lot 48213" -> "lot kxbqaa"): a word the classifier
// does not know and tries to correct, so descriptions differ in their
// words, not only in a number, and none shares a classification with
// another (hs.Classifier.BriefKey keys those that differ only in numbers).
func coldWordPlans(n int, seed uint64) [][]byte {
	out := coldPlans(n, seed)
	for i, b := range out {
		out[i] = lotNumber.ReplaceAllFunc(b, func(m []byte) []byte {
			k, _ := strconv.Atoi(string(lotNumber.FindSubmatch(m)[1]))
			w := []byte(", lot ")
			for range 6 {
				w = append(w, byte('a'+k%26))
				k /= 26
			}
			return append(w, '\n')
		})
	}
	return out
}

// BenchmarkScreenEndpointColdWords is BenchmarkScreenEndpointCold with
// descriptions that differ in a word (coldWordPlans): every description's
// classification is new.
func BenchmarkScreenEndpointColdWords(b *testing.B) {
	benchScreenBodies(b, coldWordPlans(4000, 8))
}
