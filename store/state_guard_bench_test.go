package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// BenchmarkCorrections loads TRADEPLAN_BENCH_DECLARATIONS declarations
// (default 100,000) against TRADEPLAN_BENCH_PERMITS permits (default
// 10,000), then times one batch correcting every 100th of them: a
// thousand chunks recorded again, each first checked against the audit
// chain (state_guard.go). Per op, the correction batch.
func BenchmarkCorrections(b *testing.B) {
	nd, np := benchEnv("TRADEPLAN_BENCH_DECLARATIONS", 100000), benchEnv("TRADEPLAN_BENCH_PERMITS", 10000)
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			var fixes int
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, eng)
				f := newDeclFixture(b, db)
				numbers := copyPermits(b, db, f, np)
				js := make([]licensing.DeclarationJSON, 0, nd)
				var fix []licensing.DeclarationJSON
				for j := 0; j < nd; j++ {
					d := f.decl(fmt.Sprintf("R%d", j), f.orgA, fmt.Sprintf("2027-02-%02d", 10+j%10), 0.001*float64(1+j%1000), numbers[j%np])
					js = append(js, d)
					if j%100 == 0 {
						d.Quantity = d.Quantity.Add(d.Quantity)
						fix = append(fix, d)
					}
				}
				for k, batch := range [][]licensing.DeclarationJSON{js, fix} {
					in, err := licensing.DeclarationsFromJSON(batch)
					if err != nil {
						b.Fatal(err)
					}
					c0 := cpuTime()
					if k == 1 {
						b.StartTimer()
					}
					if _, err := f.svc.ImportDeclarations(context.Background(), f.compliance, fmt.Sprintf("c-%d", k), in); err != nil {
						b.Fatal(err)
					}
					if k == 1 {
						cpu += cpuTime() - c0
						fixes += len(batch)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(fixes), "µs/correction")
			b.ReportMetric(float64(cpu.Microseconds())/float64(fixes), "cpu-µs/correction")
		})
	}
}
