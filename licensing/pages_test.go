package licensing

import (
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestPagesInMemory: the paged lists of a store without PageTx (filtered
// and cut in memory) keep to the actor's scope, filter, count every match
// and page by keyset without losing or repeating a row. The SQL of the
// real stores is tested through the pages (server/ui_work_test.go).
func TestPagesInMemory(t *testing.T) {
	f := newFixture(t, nil)
	p1, err := f.svc.CreatePlan(f.ctx, province, PlanInput{CallID: f.call.ID, Plan: seafoodPlan()})
	f.must(err)
	_, err = f.svc.SubmitPlan(f.ctx, province, p1.ID)
	f.must(err)
	p2, err := f.svc.CreatePlan(f.ctx, other, PlanInput{CallID: f.call.ID, Plan: seafoodPlan()})
	f.must(err)

	for _, tc := range []struct {
		name  string
		actor tradeplan.Actor
		q     PlanQuery
		want  []int64
	}{
		{"authority sees both, newest first", reviewer, PlanQuery{}, []int64{p2.ID, p1.ID}},
		{"oldest first", reviewer, PlanQuery{Oldest: true}, []int64{p1.ID, p2.ID}},
		{"submitter sees its own", province, PlanQuery{}, []int64{p1.ID}},
		{"another's org filter finds nothing", province, PlanQuery{Org: 3}, nil},
		{"status", reviewer, PlanQuery{Status: tradeplan.PlanDraft}, []int64{p2.ID}},
		{"page of one", reviewer, PlanQuery{Limit: 1}, []int64{p2.ID}},
		{"the next page", reviewer, PlanQuery{Limit: 1, Before: p2.ID}, []int64{p1.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := f.svc.PlanPage(f.ctx, tc.actor, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, p := range pg.Plans {
				got = append(got, p.ID)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("plans %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("plans %v, want %v", got, tc.want)
				}
			}
		})
	}
	pg, err := f.svc.PlanPage(f.ctx, reviewer, PlanQuery{Limit: 1, Rows: true})
	f.must(err)
	if pg.Total != 2 || pg.Next != p2.ID || pg.Rows[p2.ID].Lines == 0 || pg.Rows[p2.ID].Summary != nil {
		t.Errorf("page: total %d next %d rows %+v", pg.Total, pg.Next, pg.Rows)
	}
	counts, err := f.svc.PlanCounts(f.ctx, province)
	f.must(err)
	if len(counts) != 1 || counts[0].N != 1 || counts[0].Status != tradeplan.PlanSubmitted {
		t.Errorf("a submitter's counts %+v, want its one submitted plan", counts)
	}
	if _, err := f.svc.PlanDocument(f.ctx, other, p1.ID, 0); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
		t.Errorf("another organisation's document: %v, want not found", err)
	}
	doc, err := f.svc.PlanDocument(f.ctx, province, p1.ID, 1)
	if err != nil || len(doc.Plan.Lines) != len(seafoodPlan().Lines) {
		t.Errorf("own document: %v", err)
	}
	st, err := f.svc.PermitStats(f.ctx, province, PermitQuery{})
	f.must(err)
	if st.Total != 0 {
		t.Errorf("no permits yet, stats %+v", st)
	}
}
