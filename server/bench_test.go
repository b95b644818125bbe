package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
)

// plan50 builds a 50-line plan from the lines of the report's example plan,
// repeated in order.
func plan50(b *testing.B) []byte {
	src, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		b.Skipf("example plan not found: %v", err)
	}
	head, body, ok := strings.Cut(string(src), "\nlines:\n")
	if !ok {
		b.Fatal("example plan: no lines")
	}
	var items []string
	for _, it := range strings.Split(body, "\n  - ")[1:] {
		items = append(items, "  - "+strings.TrimRight(it, "\n")+"\n")
	}
	var out strings.Builder
	out.WriteString(head + "\nlines:\n")
	for i := 0; i < 50; i++ {
		out.WriteString(items[i%len(items)])
	}
	return []byte(out.String())
}

var (
	benchOnce     sync.Once
	benchScreener *screen.Screener
	benchParties  *parties.Index
)

// benchPipeline is the screener `tradeplan serve` runs: the embedded rules
// and nomenclature, and the UN and OFAC lists when the shared data is there.
func benchPipeline(b *testing.B) (*screen.Screener, *parties.Index) {
	benchOnce.Do(func() {
		re, err := rules.Default()
		if err != nil {
			b.Fatal(err)
		}
		cls, err := hs.FromDatasets()
		if err != nil {
			b.Fatal(err)
		}
		cfg := screen.Config{Goods: re, NewLedger: rules.NewLedger, Classifier: cls}
		un, ofac := shareddata.Join(shareddata.UNList), shareddata.Join(shareddata.OFACList)
		if _, err := os.Stat(un); err == nil {
			if benchParties, err = parties.LoadFiles(un, ofac); err != nil {
				b.Fatal(err)
			}
			cfg.Parties = benchParties
		}
		benchScreener = screen.New(cfg)
	})
	if benchParties == nil {
		b.Log("sanctions lists not found in ../shared/data: partners are not screened")
	}
	return benchScreener, benchParties
}

func benchPost(b *testing.B, h http.Handler, path, ct string, body []byte) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	defer func() {
		// CPU time per request holds on a busy machine, where wall time
		// per request measures the neighbours.
		b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
	}()
	b.RunParallel(func(pb *testing.PB) {
		w := &discard{}
		for pb.Next() {
			r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			r.Header.Set("Content-Type", ct)
			w.reset()
			h.ServeHTTP(w, r)
			if w.code != http.StatusOK {
				b.Fatalf("status %d: %s", w.code, w.first)
			}
		}
	})
}

// discard is a ResponseWriter that keeps only the status and the first
// bytes of the body, as a network connection would not keep the body
// (httptest.ResponseRecorder's growing buffer would be counted against the
// server otherwise).
type discard struct {
	header http.Header
	code   int
	first  []byte
}

func (d *discard) reset() {
	d.header, d.code, d.first = http.Header{}, 0, d.first[:0]
}

func (d *discard) Header() http.Header { return d.header }

func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}

func (d *discard) Write(p []byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	if len(d.first) < 512 {
		d.first = append(d.first, p[:min(len(p), 512-len(d.first))]...)
	}
	return len(p), nil
}

// BenchmarkScreenEndpoint is POST /api/v1/screen with a 50-line plan, as
// YAML, JSON and CSV, through the whole handler (middleware, parsing, the
// full pipeline, the JSON report), without the network. The baseline is the
// same YAML plan through a pipeline that screens nothing, in the same run.
func BenchmarkScreenEndpoint(b *testing.B) {
	body := plan50(b)
	sc, ix := benchPipeline(b)
	s := New(Config{Screener: sc, Parties: ix, ScreenPerIP: Rate{Burst: -1}})
	p, err := plan.Parse(body, "plan50.yaml", plan.YAML)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name, ct string
		format   plan.Format
	}{{"yaml", "application/yaml", plan.YAML}, {"json", "application/json", plan.JSON}, {"csv", "text/csv", plan.CSV}} {
		doc := body
		if f.format != plan.YAML {
			var buf bytes.Buffer
			if err := plan.Write(&buf, p, f.format); err != nil {
				b.Fatal(err)
			}
			doc = buf.Bytes()
		}
		b.Run(f.name, func(b *testing.B) { benchPost(b, s, "/api/v1/screen?as_of=2023-01-15", f.ct, doc) })
	}
	noop := New(Config{Screener: screen.New(screen.Config{})})
	b.Run("yaml-parse-only-pipeline", func(b *testing.B) { benchPost(b, noop, "/api/v1/screen?as_of=2023-01-15", "application/yaml", body) })
}

// BenchmarkPartiesEndpoint is POST /api/v1/parties/screen with 10 names.
func BenchmarkPartiesEndpoint(b *testing.B) {
	_, ix := benchPipeline(b)
	if ix == nil {
		b.Skip("sanctions lists not found in ../shared/data")
	}
	s := New(Config{Parties: ix, ScreenPerIP: Rate{Burst: -1}})
	body := []byte(`{"names": ["Korea Mining Development Trading Corporation", "Tanchon Commercial Bank", "Hunchun Donghai Aquatic Products Co., Ltd.", "Kim Jong Sik", "Ocean Maritime Management Company", "Dandong Fuel Trading Co.", "Chong Chon Gang Shipping", "Liaoning Hongxiang Industrial Development", "Green Pine Associated Corporation", "Shenyang Agricultural Supplies Ltd."], "top": 5}`)
	benchPost(b, s, "/api/v1/parties/screen", "application/json", body)
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScreenHTTP is BenchmarkScreenEndpoint/yaml over a loopback
// connection: the server's HTTP handling and the client's share the CPU,
// as with cmd/loadgen.
func BenchmarkScreenHTTP(b *testing.B) {
	body := plan50(b)
	sc, ix := benchPipeline(b)
	ts := httptest.NewServer(New(Config{Screener: sc, Parties: ix, ScreenPerIP: Rate{Burst: -1}}))
	defer ts.Close()
	client := ts.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(ts.URL+"/api/v1/screen?as_of=2023-01-15", "application/yaml", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || n == 0 {
				b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
			}
		}
	})
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkPartiesEndpointOneName is POST /api/v1/parties/screen with one
// name, as a screening client sends them (issue 13 item 3): the request's
// own overhead against its one search. The access log goes to a discarding
// writer through the handler `tradeplan serve` uses.
func BenchmarkPartiesEndpointOneName(b *testing.B) {
	_, ix := benchPipeline(b)
	if ix == nil {
		b.Skip("sanctions lists not found in ../shared/data")
	}
	s := New(Config{Parties: ix, ScreenPerIP: Rate{Burst: -1}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	body := []byte(`{"names": ["Hunchun Donghai Aquatic Products Co., Ltd."]}`)
	benchPost(b, s, "/api/v1/parties/screen", "application/json", body)
}
