package server

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// coldPlans returns n 50-line YAML plans whose descriptions and partner
// names differ in every line of every plan, as `loadgen -bodies N` posts
// them (cmd/loadgen/vary.go, reproduced here: a test cannot import a main
// package): the screener's caches, keyed by the exact text, miss on every
// line.
func coldPlans(n int, seed uint64) [][]byte {
	goods := []struct{ dir, desc, hs, unit, partner, country, crossing string }{
		{"export", "salted pollack", "030569", "t", "Hunchun Donghai Aquatic Products Co., Ltd.", "CN", "Namyang-Tumen"},
		{"export", "packaged crab meat", "160510", "t", "", "", "Rason port"},
		{"export", "dried clams", "030772", "t", "", "", "Rason port"},
		{"export", "dried pine mushrooms", "071239", "t", "", "", "Namyang-Tumen"},
		{"export", "cotton knitted pullovers", "611020", "pcs", "", "", "Sinuiju-Dandong"},
		{"import", "diesel fuel", "271019", "t", "Dandong Fuel Trading Co.", "CN", "Sinuiju-Dandong"},
		{"import", "wheat flour", "110100", "t", "", "", "Sinuiju-Dandong"},
		{"import", "maize seed for sowing", "100510", "t", "", "", "Namyang-Tumen"},
		{"import", "insulin, in measured doses", "300431", "kg", "", "", "Sinuiju-Dandong"},
		{"import", "centrifugal water pumps", "841370", "pcs", "", "", "Namyang-Tumen"},
	}
	grades := []string{"grade A", "grade B", "first quality", "second quality", "standard", "premium", "export grade", "commercial grade"}
	packings := []string{"in cartons", "in bags", "in bulk", "on pallets", "in drums", "in crates", "in bales", "in boxes of 10"}
	cities := []string{"Yanji", "Hunchun", "Dandong", "Tumen", "Shenyang", "Dalian", "Changchun", "Harbin", "Qingdao", "Tianjin", "Vladivostok", "Nakhodka"}
	stems := []string{"Rongsheng", "Hengtai", "Jinhai", "Xinghua", "Huaxin", "Dongfang", "Tianli", "Baoshan", "Yuxiang", "Zhongda", "Primorye", "Vostok"}
	trades := []string{"Aquatic", "Fuel", "Grain", "Machinery", "Textile", "Import and Export", "Logistics", "Agricultural"}
	companies := []string{"Trading", "Industrial", "Commerce", "Supply", "Development"}
	forms := []string{"Co., Ltd.", "Ltd.", "LLC", "Corporation", "Group Co."}
	pick := func(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }
	const lines = 50
	out := make([][]byte, n)
	for body := range out {
		r := rand.New(rand.NewPCG(seed, uint64(body)))
		var b bytes.Buffer
		fmt.Fprintf(&b, "plan: {id: cold-%d, organisation: North Hamgyong Provincial Trade Bureau, country: KP, period: 2027-H1}\nlines:\n", body)
		for i := range lines {
			g := goods[i%len(goods)]
			lot := body*lines + i
			desc := fmt.Sprintf("%s, %s, %s, lot %d", g.desc, pick(r, grades), pick(r, packings), lot)
			fmt.Fprintf(&b, "  - direction: %s\n    description: %s\n    hs: %q\n    quantity: 10\n    unit: %s\n    value: 1000\n    currency: USD\n    crossing: %s\n",
				g.dir, desc, g.hs, g.unit, g.crossing)
			if g.partner != "" {
				partner := fmt.Sprintf("%s %s %s %s No. %d %s", pick(r, cities), pick(r, stems), pick(r, trades), pick(r, companies), lot, pick(r, forms))
				fmt.Fprintf(&b, "    partner: {name: %q, country: %s}\n", partner, g.country)
			}
			if g.dir == "import" {
				b.WriteString("    origin: CN\n    necessity: essential\n")
			} else {
				b.WriteString("    destination: CN\n")
			}
		}
		out[body] = b.Bytes()
	}
	return out
}

// BenchmarkScreenEndpointCold is POST /api/v1/screen with 50-line plans that
// differ in every description and partner (issue 13, cold caches), through
// the whole handler with the access log, without the network. Each
// iteration posts the next plan of a set larger than the screener's caches
// can hold, so every line is classified and every partner searched.
func BenchmarkScreenEndpointCold(b *testing.B) {
	benchScreenBodies(b, coldPlans(4000, 7))
}

// benchScreenBodies posts bodies in turn to POST /api/v1/screen through the
// whole handler with the access log, on every benchmark goroutine, and
// reports the process's CPU a request.
func benchScreenBodies(b *testing.B, bodies [][]byte) {
	sc, ix := benchPipeline(b)
	s := New(Config{Screener: sc, Parties: ix, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ScreenPerIP: Rate{Burst: -1}})
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
