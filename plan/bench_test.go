package plan

import (
	"bytes"
	"encoding/json"
	"os"

	"encoding/csv"
	"github.com/tradeplan/tradeplan"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const benchLines = 1_000_000

var benchData = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := WriteSampleCSV(&b, benchLines, 1); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkCSVReaderRatio alternates a plain encoding/csv read and a
// CSVReader read of the same generated file, so that both see the same
// machine load, and reports the ratio of their times (plan/plain), in wall
// time and in CPU time of the reading thread.
func BenchmarkCSVReaderRatio(b *testing.B) {
	data := benchData()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var plain, planT, plainCPU, planCPU time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), threadCPU()
		if n := readPlain(b, data); n != benchLines+1 {
			b.Fatalf("%d records", n)
		}
		t1, c1 := time.Now(), threadCPU()
		if n := readPlan(b, data); n != benchLines {
			b.Fatalf("%d lines", n)
		}
		plain += t1.Sub(t0)
		planT += time.Since(t1)
		plainCPU += c1 - c0
		planCPU += threadCPU() - c1
	}
	b.ReportMetric(planT.Seconds()/plain.Seconds(), "plan/plain")
	if plainCPU > 0 {
		// The same ratio in CPU time of the reading thread (Linux), which a
		// busy machine disturbs less than wall time.
		b.ReportMetric(planCPU.Seconds()/plainCPU.Seconds(), "plan/plain-cpu")
	}
	b.ReportMetric(float64(benchLines)*float64(b.N)/planT.Seconds(), "plan-lines/s")
	b.ReportMetric(float64(benchLines)*float64(b.N)/plain.Seconds(), "plain-lines/s")
}

func readPlain(b *testing.B, data []byte) int {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

func readPlan(b *testing.B, data []byte) int {
	r, err := NewCSVReader(bytes.NewReader(data), "bench.csv")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkCSVReader reads a generated 1,000,000-line file with CSVReader
// (plan) and, in the same run, with encoding/csv alone (plain), the floor
// any reader built on it can reach.
func BenchmarkCSVReader(b *testing.B) {
	data := benchData()
	b.Run("plain", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if n := readPlain(b, data); n != benchLines+1 {
				b.Fatalf("%d records", n)
			}
		}
		b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
	b.Run("plan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if n := readPlan(b, data); n != benchLines {
				b.Fatalf("%d lines", n)
			}
		}
		b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
}

// BenchmarkParse parses and validates the report's plan (20 lines) in YAML
// and, converted, in JSON: a plan document screens in milliseconds, and
// reading it is a small part of that.
func BenchmarkParse(b *testing.B) {
	y, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p, err := Parse(y, "nhg.yaml", YAML)
	if err != nil {
		b.Fatal(err)
	}
	j, err := json.Marshal(planDocument(p))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		f    Format
	}{{"yaml", y, YAML}, {"json", j, JSON}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(tc.data, "nhg", tc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// planDocument turns a resolved plan back into the document form, for
// tests that need the same plan in JSON.
func planDocument(p *tradeplan.Plan) map[string]any {
	var lines []map[string]any
	for _, l := range p.Lines {
		m := map[string]any{"direction": string(l.Direction), "origin": l.Origin, "destination": l.Destination}
		if l.Description != "" {
			m["description"] = l.Description
		}
		if l.HS != "" {
			m["hs"] = l.HS
		}
		if l.Unit != "" {
			m["quantity"], m["unit"] = l.Quantity, l.Unit
		}
		if l.Currency != "" {
			m["value"], m["currency"] = l.Value, l.Currency
		}
		if l.Partner != nil {
			m["partner"] = map[string]any{"name": l.Partner.Name, "country": l.Partner.Country}
		}
		if l.Crossing != "" {
			m["crossing"] = l.Crossing
		}
		if l.Necessity != "" {
			m["necessity"] = string(l.Necessity)
		}
		if l.Purpose != "" {
			m["purpose"] = l.Purpose
		}
		if l.Source != nil {
			m["source"] = map[string]any{"site": l.Source.Site}
		}
		if l.Vessel != nil {
			v := map[string]any{"name": l.Vessel.Name}
			if l.Vessel.IMO != "" {
				v["imo"] = l.Vessel.IMO
			}
			if l.Vessel.Flag != "" {
				v["flag"] = l.Vessel.Flag
			}
			m["vessel"] = v
		}
		if l.Exemption != "" {
			m["exemption"] = l.Exemption
		}
		if !l.Date.IsZero() {
			m["date"] = l.Date.Format(dateLayout)
		}
		lines = append(lines, m)
	}
	return map[string]any{
		"plan":  map[string]any{"id": p.ID, "organisation": p.Organisation, "country": p.Country, "period": p.Period.Label},
		"lines": lines,
	}
}

// BenchmarkCSVParts measures the two halves of CSVReader apart, in CPU time
// of the benchmark's thread per line (cpu-ns/line, Linux), which a busy
// machine disturbs less than wall time: splitting rows (encoding/csv and
// the package's splitter) and resolving split rows into lines.
func BenchmarkCSVParts(b *testing.B) {
	data := benchData()[:0]
	{
		full := benchData()
		// The first 200,000 rows are enough here.
		n, cut := 0, 0
		for i, c := range full {
			if c == '\n' {
				n++
				if n == 200_001 {
					cut = i + 1
					break
				}
			}
		}
		data = full[:cut]
	}
	const lines = 200_000
	perLine := func(b *testing.B, cpu time.Duration) {
		if cpu > 0 {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(lines)/float64(b.N), "cpu-ns/line")
		}
	}
	b.Run("split/encoding-csv", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c0 := threadCPU()
		for b.Loop() {
			if n := readPlain(b, data); n != lines+1 {
				b.Fatalf("%d records", n)
			}
		}
		perLine(b, threadCPU()-c0)
	})
	b.Run("split/plan", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c0 := threadCPU()
		for b.Loop() {
			s := newSplitter(bytes.NewReader(data))
			n := 0
			for {
				if _, err := s.read(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != lines+1 {
				b.Fatalf("%d records", n)
			}
		}
		perLine(b, threadCPU()-c0)
	})
	b.Run("resolve", func(b *testing.B) {
		r, err := NewCSVReader(bytes.NewReader(data), "bench.csv")
		if err != nil {
			b.Fatal(err)
		}
		var recs [][]string
		for {
			rec, err := r.r.read()
			if err == io.EOF {
				break
			}
			recs = append(recs, slices.Clone(rec))
		}
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c0 := threadCPU()
		var l tradeplan.Line
		for b.Loop() {
			for _, rec := range recs {
				if err := r.line(rec, &l); err != nil {
					b.Fatal(err)
				}
			}
		}
		perLine(b, threadCPU()-c0)
	})
}

// plan50 is the server benchmark's plan (server/bench_test.go): the
// report's plan with its lines repeated to 50.
func plan50(b *testing.B) []byte {
	src, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s := string(src)
	i := strings.Index(s, "\nlines:\n")
	if i < 0 {
		b.Fatal("example plan: no lines")
	}
	head, body := s[:i], s[i+len("\nlines:\n"):]
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

// BenchmarkParse50 parses the 50-line plan of the server's screening
// benchmark as YAML, and written out as JSON and CSV, as POST
// /api/v1/screen receives them.
func BenchmarkParse50(b *testing.B) {
	y := plan50(b)
	p, err := Parse(y, "plan50.yaml", YAML)
	if err != nil {
		b.Fatal(err)
	}
	docs := map[Format][]byte{YAML: y}
	for _, f := range []Format{JSON, CSV} {
		var buf bytes.Buffer
		if err := Write(&buf, p, f); err != nil {
			b.Fatal(err)
		}
		docs[f] = buf.Bytes()
	}
	for _, f := range []Format{YAML, JSON, CSV} {
		b.Run(string(f), func(b *testing.B) {
			data := docs[f]
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			c0 := threadCPU()
			for b.Loop() {
				if _, err := Parse(data, "plan50", f); err != nil {
					b.Fatal(err)
				}
			}
			if c := threadCPU() - c0; c > 0 {
				b.ReportMetric(float64(c.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkFastRead50 is the fast readers alone (no document parser) on
// BenchmarkParse50's YAML and JSON.
func BenchmarkFastRead50(b *testing.B) {
	y := plan50(b)
	p, err := Parse(y, "plan50.yaml", YAML)
	if err != nil {
		b.Fatal(err)
	}
	var j bytes.Buffer
	if err := Write(&j, p, JSON); err != nil {
		b.Fatal(err)
	}
	b.Run("yaml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st := getScratch()
			if _, ok := fastYAML(y, st); !ok {
				b.Fatal("not taken")
			}
			st.release()
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st := getScratch()
			if _, ok := fastJSON(j.Bytes(), st); !ok {
				b.Fatal("not taken")
			}
			st.release()
		}
	})
}

// BenchmarkAliasBomb reads the document of issue 12 item 9: a line with a
// 1,000-letter description and 200,000 aliases of it (1.4 MB), which
// checkAliases refuses.
func BenchmarkAliasBomb(b *testing.B) {
	doc := aliasDoc(200000, 1000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc, "bomb.yaml", YAML); err == nil {
			b.Fatal("the bomb was read")
		}
	}
}
