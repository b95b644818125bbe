package parties

import "testing"

// BenchmarkSearchOneName is the search of `loadgen -endpoint parties
// -names 1`: one listed entity's name, top 5, as the open endpoint asks.
func BenchmarkSearchOneName(b *testing.B) {
	_, _, ix := realLists(b)
	q := Query{Name: "Korea Mining Development Trading Corporation", Top: 5}
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		ix.Search(q)
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}
