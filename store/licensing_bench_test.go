package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

func clearScreen(ctx context.Context, p *tradeplan.Plan, asOf time.Time, _ tradeplan.CapUsage) (tradeplan.PlanReport, error) {
	r := tradeplan.PlanReport{AsOf: asOf.Format(time.DateOnly)}
	for i, l := range p.Lines {
		r.Lines = append(r.Lines, tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS}})
		r.Summary.Add(tradeplan.Clear)
	}
	return r, nil
}

func planOf(n int) *tradeplan.Plan {
	p := &tradeplan.Plan{Organisation: "bench"}
	for i := 0; i < n; i++ {
		p.Lines = append(p.Lines, tradeplan.Line{Direction: tradeplan.Import, Description: fmt.Sprintf("goods %d", i), HS: "100630",
			Quantity: tradeplan.D(100), Unit: "t", Value: tradeplan.D(1000), Currency: "USD", Crossing: "namyang-tumen"})
	}
	return p
}

// BenchmarkAddCrossing is the baseline: one row and its audit entry in one
// transaction.
func BenchmarkAddCrossing(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: clearScreen})
			sys := tradeplan.SystemActor("bench")
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := svc.AddCrossing(ctx, sys, tradeplan.Crossing{ID: fmt.Sprintf("c-%d", i), Name: "x"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSubmitApproveClear50 stores and submits a 50-line plan and
// approves every line in one bulk decision: 50 permits, each with its
// decision and audit entries.
func BenchmarkSubmitApproveClear50(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			ctx := context.Background()
			org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "bench", Kind: tradeplan.OrgProvince})
			if err != nil {
				b.Fatal(err)
			}
			svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: clearScreen})
			sys := tradeplan.SystemActor("bench")
			period := licensing.NextHalf(time.Now())
			doc := planOf(50)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				call, err := svc.OpenCall(ctx, sys, tradeplan.Call{Period: period.Label, From: period.From, To: period.To, Deadline: time.Now().AddDate(0, 0, 7)})
				if err != nil {
					b.Fatal(err)
				}
				rec, err := svc.ImportPlan(ctx, sys, call.ID, org.ID, doc)
				if err != nil {
					b.Fatal(err)
				}
				res, err := svc.ApproveClear(ctx, sys, rec.ID, "bench")
				if err != nil || len(res.Permits) != 50 {
					b.Fatalf("%d permits: %v", len(res.Permits), err)
				}
			}
		})
	}
}

// BenchmarkApproveCappedLine approves one line that draws on a cap: the
// cap lock, the recount over every issued permit, and the permit.
func BenchmarkApproveCappedLine(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			ctx := context.Background()
			org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "bench", Kind: tradeplan.OrgProvince})
			if err != nil {
				b.Fatal(err)
			}
			svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen})
			sys := tradeplan.SystemActor("bench")
			period := licensing.NextHalf(time.Now())
			// Plans of 20 one-barrel lines, one call each (one plan per
			// organisation and call), made before the timer starts.
			const per = 20
			var plans []int64
			for len(plans)*per < b.N {
				call, err := svc.OpenCall(ctx, sys, tradeplan.Call{Period: period.Label, From: period.From, To: period.To, Deadline: time.Now().AddDate(0, 0, 7)})
				if err != nil {
					b.Fatal(err)
				}
				doc := &tradeplan.Plan{}
				for i := 0; i < per; i++ {
					doc.Lines = append(doc.Lines, tradeplan.Line{Direction: tradeplan.Import, Description: fmt.Sprintf("diesel %d", i), HS: "271019",
						Quantity: tradeplan.D(1), Unit: "bbl", Value: tradeplan.D(80), Currency: "USD", Crossing: "rajin-port"})
				}
				rec, err := svc.ImportPlan(ctx, sys, call.ID, org.ID, doc)
				if err != nil {
					b.Fatal(err)
				}
				plans = append(plans, rec.ID)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := svc.ApproveLine(ctx, sys, plans[i/per], i%per+1, licensing.Approval{Reason: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
