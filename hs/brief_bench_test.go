package hs

import "testing"

// BenchmarkClassifyVariedBrief is BenchmarkClassifyVaried through
// AssignBrief: the same descriptions, no evidence written out, as the
// screener's cross-check of a declared code and its weighing of a list's
// parts classify.
func BenchmarkClassifyVariedBrief(b *testing.B) {
	c := defaultClassifier(b)
	descs := variedDescs(4096)
	b.ReportAllocs()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		c.AssignBrief(descs[i%len(descs)], 5)
		i++
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "desc/cpu-s")
	}
}
