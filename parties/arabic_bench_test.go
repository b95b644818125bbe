package parties

import "testing"

// arabicQueries are names written in Arabic script, as an applicant may
// give them: they are found through their consonants (consonantKeys).
var arabicQueries = []Query{
	{Name: "علي فدوي"},
	{Name: "أسامة بن لادن"},
	{Name: "أيمن الظواهري"},
	{Name: "أبو محمد العدناني"},
	{Name: "محمد علي"},
	{Name: "شركة الوفاق للتجارة"},
}

func BenchmarkSearchArabic(b *testing.B) {
	_, _, ix := realLists(b)
	i := 0
	c0 := cpuTime()
	for b.Loop() {
		ix.Search(arabicQueries[i%len(arabicQueries)])
		i++
	}
	cpu := float64(cpuTime()-c0) / float64(b.N)
	b.ReportMetric(cpu, "cpu-ns/op")
	b.ReportMetric(1e9/cpu, "queries/cpu-s")
}
