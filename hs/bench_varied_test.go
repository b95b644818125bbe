package hs

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// variedDescs are descriptions as the load generator's differing bodies
// write them (cmd/loadgen -bodies): the goods of a plan with a grade, a
// packing and a lot number, no two alike, so that no cache of whole
// descriptions helps.
func variedDescs(n int) []string {
	goods := []string{"salted pollack", "packaged crab meat", "dried clams", "dried pine mushrooms", "cotton knitted pullovers",
		"diesel fuel", "wheat flour", "maize seed for sowing", "insulin, in measured doses", "centrifugal water pumps"}
	grades := []string{"grade A", "grade B", "first quality", "second quality", "standard", "premium", "export grade", "commercial grade"}
	packings := []string{"in cartons", "in bags", "in bulk", "on pallets", "in drums", "in crates", "in bales", "in boxes of 10"}
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s, %s, %s, lot %d", goods[i%len(goods)], grades[r.IntN(len(grades))], packings[r.IntN(len(packings))], 10000+i)
	}
	return out
}

// BenchmarkClassifyVaried is one core classifying varied descriptions as
// the screener does (Assign, five candidates with their evidence).
func BenchmarkClassifyVaried(b *testing.B) {
	c := defaultClassifier(b)
	descs := variedDescs(4096)
	b.ReportAllocs()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		c.Assign(descs[i%len(descs)], 5)
		i++
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "desc/cpu-s")
	}
}
