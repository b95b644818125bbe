package rules

import (
	"fmt"
	"math/rand"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// benchLines are the lines screened in the benchmarks: the report's goods,
// fuel, machinery, food, and lines with no DPRK link. Each carries the day
// whose rules apply, as the screener hands lines over (it settles that day
// once per plan, see screen.Screener.AsOf): today.
func benchLines() []tradeplan.GoodsLine {
	lines := []tradeplan.GoodsLine{
		ln("0305.69", "KP", "CN", desc("salted pollack")),
		ln("1605.10", "KP", "CN", desc("packaged crab meat")),
		ln("0712.39", "KP", "CN", desc("dried pine mushrooms")),
		ln("1211.90", "KP", "CN", desc("medicinal herbs")),
		ln("2710.19", "CN", "KP", desc("diesel"), qty(1000, "t")),
		ln("2709.00", "RU", "KP", desc("crude oil"), qty(500, "t")),
		ln("8429.52", "CN", "KP", desc("excavator")),
		ln("1006.30", "CN", "KP", desc("rice")),
		ln("6109.10", "CN", "JP", desc("cotton T-shirts")),
		ln("8471.30", "US", "DE", desc("laptops")),
	}
	today := day(time.Now())
	for i := range lines {
		lines[i].AsOf = today
	}
	return lines
}

// generatedPack makes n rules against KP, each on its own 6-digit code, with
// a fixed seed. No generated code shares a heading with a benchmark line, so
// every size gives the same findings and the figures compare the lookup.
func generatedPack(n int) *Pack {
	rng := rand.New(rand.NewSource(int64(n)))
	pk := &Pack{Name: "gen", Regime: "Generated", Instrument: "GEN", Target: "KP"}
	used := map[string]bool{}
	for _, g := range benchLines() {
		used[g.HS[:4]] = true
	}
	for len(pk.Rules) < n {
		code := fmt.Sprintf("%02d%02d%02d", 1+rng.Intn(97), 1+rng.Intn(99), rng.Intn(100))
		if used[code] || used[code[:4]] || code[:2] == "77" {
			continue
		}
		used[code] = true
		i := len(pk.Rules)
		flow := []Flow{FromTarget, ToTarget, BothFlows}[i%3]
		pk.Rules = append(pk.Rules, &Rule{
			ID: fmt.Sprintf("gen/r%d", i), Local: fmt.Sprintf("r%d", i), Pack: pk, Title: "generated",
			Citation: Citation{Resolution: fmt.Sprint(i), Year: 2020, Paragraph: "OP1"},
			Status:   StatusVerified, From: day0("2020-01-01"), Flow: flow,
			Include: []GoodsSpec{{Raw: code, Lo: code, Hi: code}},
			Outcome: tradeplan.Prohibited, Summary: "generated rule",
		})
	}
	return pk
}

var benchEngines = map[int]*Engine{}

// benchEngine builds (once per size) the UN pack plus n generated rules.
func benchEngine(b *testing.B, n int) *Engine {
	if e, ok := benchEngines[n]; ok {
		return e
	}
	defer runtime.GC() // no garbage from the build is collected on the clock
	packs, err := embeddedPacks()
	if err != nil {
		b.Fatal(err)
	}
	if n > 0 {
		packs = append(packs, generatedPack(n))
	}
	e, err := New(packs...)
	if err != nil {
		b.Fatal(err)
	}
	benchEngines[n] = e
	return e
}

// BenchmarkScreenGoods: evaluation of one line with the UN pack, and with
// the UN pack plus 10, 1,000 and 100,000 generated rules. The cost per line
// should not grow with the number of rules.
func BenchmarkScreenGoods(b *testing.B) {
	for _, n := range []int{0, 10, 1000, 100000} {
		name := "un-pack"
		if n > 0 {
			name = fmt.Sprintf("un-pack+%d-rules", n)
		}
		b.Run(name, func(b *testing.B) {
			e := benchEngine(b, n)
			lines := benchLines()
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				e.ScreenGoods(lines[i%len(lines)])
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkScreenGoodsByLine: each line of the mix on its own, UN pack
// only, to see where the mix's cost is: the capped fuel lines, the lines
// with a finding, the DPRK line without one, and the lines with no DPRK
// link at all (the fast path most lines of a real plan take).
func BenchmarkScreenGoodsByLine(b *testing.B) {
	e := benchEngine(b, 0)
	for _, g := range benchLines() {
		b.Run(g.HS+"-"+g.Line.Origin+"-"+g.Line.Destination, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				e.ScreenGoods(g)
			}
		})
	}
}

// BenchmarkScreenGoodsParallel: the same with every core busy, as the screen
// pipeline's worker pool runs it.
func BenchmarkScreenGoodsParallel(b *testing.B) {
	e := benchEngine(b, 0)
	lines := benchLines()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			e.ScreenGoods(lines[i%len(lines)])
			i++
		}
	})
}

// BenchmarkLedger: cap accounting of one capped line.
func BenchmarkLedger(b *testing.B) {
	fs := testEngine.ScreenGoods(ln("2710.19", "CN", "KP", desc("diesel"), qty(1, "bbl")))
	led := NewLedger(nil)
	work := make([]tradeplan.Finding, len(fs))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(work, fs)
		if err := led.Apply(b.Context(), work); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaseline: a map lookup and a string copy, the floor the
// figures above are measured against on the same machine.
func BenchmarkBaseline(b *testing.B) {
	m := map[string]int{"030569": 1, "2710": 2}
	lines := benchLines()
	n := 0
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		n += m[lines[i%len(lines)].HS]
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
	_ = n
}

// TestGeneratedRulesFlat checks the index with 20,000 rules (the benchmark
// goes to 100,000): lines whose
// headings no generated rule has get exactly the UN findings, and a generated
// rule fires for its own code.
func TestGeneratedRulesFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 20,000 rules")
	}
	packs, err := embeddedPacks()
	if err != nil {
		t.Fatal(err)
	}
	gen := generatedPack(20000)
	e, err := New(append(packs, gen)...)
	if err != nil {
		t.Fatal(err)
	}
	r := gen.Rules[12345]
	fs := e.ScreenGoods(ln(r.Include[0].Lo, "KP", "KP"))
	if len(ruleFindingsID(fs, r.ID)) != 1 {
		t.Errorf("generated rule %s on %s did not fire;%s", r.ID, r.Include[0].Lo, describe(fs))
	}
	for _, g := range benchLines() {
		want := describe(testEngine.ScreenGoods(g))
		got := e.ScreenGoods(g)
		var un []tradeplan.Finding
		for _, f := range got {
			if f.Regime() != "Generated" {
				un = append(un, f)
			} else {
				t.Errorf("HS %s: generated rules avoid the benchmark headings, yet %s fired", g.HS, f.Rule())
			}
		}
		if describe(un) != want && g.HS != "" {
			t.Errorf("HS %s: UN findings differ with generated rules loaded:%s\nwant:%s", g.HS, describe(un), want)
		}
	}
}

func ruleFindingsID(fs []tradeplan.Finding, id string) []tradeplan.Finding {
	var out []tradeplan.Finding
	for _, f := range fs {
		if f.Rule() == id {
			out = append(out, f)
		}
	}
	return out
}

// cpuTime is the process's user and system CPU time in nanoseconds. On a
// shared machine wall time per operation swells with the load; CPU time per
// operation much less so (GC workers count too, so it is an upper bound).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
