package screen_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
)

// A customs-style declaration file: declared HS codes, origins,
// destinations, quantities and values; about one line in eight touches the
// DPRK, the rest is ordinary trade. No partner names: the parties
// benchmarks measure name matching.
var benchGoods = []struct {
	hs, unit string
	price    float64 // USD per unit
}{
	{"030367", "kg", 2.1}, {"030569", "kg", 6}, {"160510", "kg", 14}, {"030779", "kg", 9},
	{"071239", "kg", 40}, {"121190", "kg", 11}, {"100630", "t", 520}, {"110100", "t", 380},
	{"271019", "bbl", 95}, {"270900", "bbl", 80}, {"270112", "t", 130}, {"260111", "t", 110},
	{"847130", "pcs", 450}, {"870323", "pcs", 21000}, {"300490", "kg", 60}, {"310210", "t", 350},
	{"610910", "pcs", 3}, {"620342", "pcs", 9}, {"440711", "m3", 240}, {"890190", "pcs", 900000},
	{"710812", "kg", 60000}, {"970310", "pcs", 5000}, {"852872", "pcs", 300}, {"090230", "kg", 7},
	{"200390", "kg", 8}, {"392010", "kg", 1.8}, {"560811", "kg", 5}, {"840991", "pcs", 120},
}

var benchRoutes = [][2]string{
	{"CN", "US"}, {"CN", "DE"}, {"VN", "JP"}, {"KR", "US"}, {"DE", "FR"}, {"US", "MX"}, {"JP", "CN"},
	{"IN", "AE"}, {"BR", "CN"}, {"RU", "CN"}, {"TH", "MY"}, {"NL", "GB"}, {"CN", "RU"}, {"AU", "JP"},
	{"KP", "CN"}, {"CN", "KP"},
}

func benchCSV(lines int) []byte {
	var b bytes.Buffer
	b.Grow(lines * 48)
	if _, err := io.Copy(&b, newLineGenerator(lines)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// lineGenerator is an io.Reader of a generated declaration file, made as it
// is read, so that a benchmark can screen a large file without holding it.
type lineGenerator struct {
	r    *rand.Rand
	left int
	buf  bytes.Buffer
}

func newLineGenerator(lines int) *lineGenerator {
	g := &lineGenerator{r: rand.New(rand.NewPCG(1, 2)), left: lines}
	g.buf.WriteString("hs,origin,destination,quantity,unit,value,currency\n")
	return g
}

func (g *lineGenerator) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && g.left > 0 {
		g.left--
		goods := benchGoods[g.r.IntN(len(benchGoods))]
		rt := benchRoutes[g.r.IntN(len(benchRoutes))]
		q := float64(1 + g.r.IntN(5000))
		fmt.Fprintf(&g.buf, "%s,%s,%s,%s,%s,%s,USD\n", goods.hs, rt[0], rt[1],
			strconv.FormatFloat(q, 'f', -1, 64), goods.unit, strconv.FormatFloat(q*goods.price, 'f', 0, 64))
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	return g.buf.Read(p)
}

var (
	benchOnce sync.Once
	benchData map[int][]byte
)

func benchFile(n int) []byte {
	benchOnce.Do(func() {
		benchData = map[int][]byte{100_000: benchCSV(100_000), 1_000_000: benchCSV(1_000_000)}
	})
	return benchData[n]
}

// peakHeap samples the heap while fn runs and returns its maximum growth
// over the heap before (which holds the input bytes).
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if p := peak.Load(); p > before.HeapAlloc {
		return p - before.HeapAlloc
	}
	return 0
}

// BenchmarkScreenCSV screens a generated declaration file and, in the same
// run, reads the same bytes with encoding/csv alone: the baseline.
func BenchmarkScreenCSV(b *testing.B) {
	rs, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := screen.New(screen.Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger})
	for _, n := range []int{100_000, 1_000_000} {
		data := benchFile(n)
		b.Run(fmt.Sprintf("encoding-csv/lines=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					r := csv.NewReader(bytes.NewReader(data))
					r.ReuseRecord = true
					for {
						_, err := r.Read()
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
					}
				}))
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
		b.Run(fmt.Sprintf("screen/lines=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					cr, err := plan.NewCSVReader(bytes.NewReader(data), "bench.csv")
					if err != nil {
						b.Fatal(err)
					}
					var count int
					sum, err := s.Stream(context.Background(), cr, screen.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
						func(r *tradeplan.LineReport) error { count++; return nil })
					if err != nil {
						b.Fatal(err)
					}
					if count != n || sum.Lines != n || sum.Clear == n {
						b.Fatalf("screened %d of %d lines, summary %+v", count, n, sum)
					}
				}))
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkScreenCSVMemory screens generated files of 100,000 to 3,000,000
// lines made as they are read, so that the heap holds only what the
// screening keeps: the peak must not grow with the number of lines. (It
// does grow up to the garbage collector's first target, which depends on
// the live heap of the loaded rules and nomenclature, not on the lines.)
func BenchmarkScreenCSVMemory(b *testing.B) {
	rs, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := screen.New(screen.Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger})
	for _, n := range []int{100_000, 1_000_000, 3_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					cr, err := plan.NewCSVReader(newLineGenerator(n), "bench.csv")
					if err != nil {
						b.Fatal(err)
					}
					sum, err := s.Stream(context.Background(), cr, screen.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
						func(*tradeplan.LineReport) error { return nil })
					if err != nil || sum.Lines != n {
						b.Fatalf("screened %d of %d lines: %v", sum.Lines, n, err)
					}
				}))
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkPlan screens the news report's plan (20 lines, most described in
// words) with the embedded rules and nomenclature: the work of one request
// to POST /api/v1/screen, less the document parsing.
func BenchmarkPlan(b *testing.B) {
	rs, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open("../examples/nhg-2023-h1.yaml")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	p, err := plan.Read(f, f.Name(), plan.YAML)
	if err != nil {
		b.Fatal(err)
	}
	s := screen.New(screen.Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger, Workers: 1})
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Plan(ctx, p, screen.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
