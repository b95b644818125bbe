package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// benchPermits issues n more permits to province A like the fixture's one,
// written directly (no screening, no signing), and returns their numbers.
func benchPermits(b *testing.B, db *store.DB, f *declFixture, n int) []string {
	ctx := context.Background()
	out := make([]string, 0, n)
	err := db.Licensing().Update(tradeplan.WithActor(ctx, tradeplan.SystemActor("bench")), func(ctx context.Context, tx licensing.Tx) error {
		for i := 0; i < n; i++ {
			p := f.permit
			p.ID, p.Caps, p.Number = 0, nil, licensing.FormatPermitNumber("2027H1", tradeplan.Import, int64(1000+i))
			if err := tx.CreatePermit(ctx, &p); err != nil {
				return err
			}
			out = append(out, p.Number)
		}
		return tx.Audit(ctx, "bench.permits", "bench", f.orgA.ID, nil, n)
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkDeclarationIntake loads batches of 1,000 declarations, each
// naming one of 1,000 permits, on each engine: per op, one batch.
func BenchmarkDeclarationIntake(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			f := newDeclFixture(b, db)
			numbers := benchPermits(b, db, f, 1000)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				js := make([]licensing.DeclarationJSON, 1000)
				for j := range js {
					js[j] = f.decl(fmt.Sprintf("B%d-%d", i, j), f.orgA, "2027-02-10", 0.01, numbers[j])
				}
				in, err := licensing.DeclarationsFromJSON(js)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.svc.ImportDeclarations(context.Background(), f.compliance, fmt.Sprintf("bench-%d", i), in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*1000), "µs/declaration")
		})
	}
}

// BenchmarkRescreen screens 1,000 issued permits again.
func BenchmarkRescreen(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			f := newDeclFixture(b, db)
			benchPermits(b, db, f, 999)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := f.svc.Rescreen(context.Background(), f.compliance, fmt.Sprintf("bench %d", i))
				if err != nil || r.Permits != 1000 {
					b.Fatalf("%+v %v", r, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*1000), "µs/permit")
		})
	}
}
