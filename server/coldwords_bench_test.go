package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync/atomic"
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
	sc, ix := benchPipeline(b)
	s := New(Config{Screener: sc, Parties: ix, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ScreenPerIP: Rate{Burst: -1}})
	bodies := coldWordPlans(4000, 8)
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		w := &discard{}
		for pb.Next() {
			body := bodies[int(next.Add(1))%len(bodies)]
			r := httptest.NewRequest(http.MethodPost, "/api/v1/screen", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/yaml")
			w.reset()
			s.ServeHTTP(w, r)
			if w.code != http.StatusOK {
				b.Fatalf("status %d: %s", w.code, w.first)
			}
		}
	})
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}
