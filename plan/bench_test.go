package plan

import (
	"bytes"
	"encoding/csv"
	"io"
	"sync"
	"testing"
)

const benchLines = 1_000_000

var benchData = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := WriteSampleCSV(&b, benchLines, 1); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkCSVReader reads a generated 1,000,000-line file with CSVReader
// (plan) and, in the same run, with encoding/csv alone (plain), the floor
// any reader built on it can reach.
func BenchmarkCSVReader(b *testing.B) {
	data := benchData()
	b.Run("plain", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r := csv.NewReader(bytes.NewReader(data))
			r.ReuseRecord = true
			n := 0
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != benchLines+1 {
				b.Fatalf("%d records", n)
			}
		}
		b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
	b.Run("plan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r, err := NewCSVReader(bytes.NewReader(data), "bench.csv")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != benchLines {
				b.Fatalf("%d lines", n)
			}
		}
		b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
}
