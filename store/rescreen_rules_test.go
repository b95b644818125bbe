package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// flourBanned screens like capScreen, and prohibits wheat flour (HS 1101)
// as a rule pack that came to ban it would.
func flourBanned(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
	r, err := capScreen(ctx, p, asOf, usage)
	for i, l := range p.Lines {
		if strings.HasPrefix(l.HS, "1101") {
			r.Lines[i].Verdict = tradeplan.Prohibited
			r.Lines[i].Findings = []tradeplan.Finding{{Kind: "goods", Outcome: tradeplan.Prohibited, Basis: &tradeplan.Basis{Rule: "test/flour", Citation: "Test pack rule 1"}}}
		}
	}
	return r, err
}

// TestRescreenIfRulesChanged: a service whose rule packs are not those the
// last full re-screening used screens every issued permit again and
// records its packs; started again with the same packs it does nothing;
// with packs that ban the permit's goods it suspends the permit, citing
// the change. A compliance officer's re-screening of part of the permits
// records nothing.
func TestRescreenIfRulesChanged(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		svc := func(digest string, screen licensing.ScreenFunc) *licensing.Service {
			return licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: screen, Clock: func() time.Time { return *f.now }, RulesDigest: digest})
		}
		r, ran, err := svc("aaaa", capScreen).RescreenIfRulesChanged(ctx)
		if err != nil || !ran || r.Permits != 1 || r.Hit != 0 || !strings.Contains(r.Reason, "rule packs aaaa") {
			t.Fatalf("first start: %+v ran %v %v", r, ran, err)
		}
		if _, ran, err := svc("aaaa", capScreen).RescreenIfRulesChanged(ctx); err != nil || ran {
			t.Fatalf("same packs: ran %v %v", ran, err)
		}
		// Part of the permits, by an officer: the basis stays.
		must[licensing.RescreenResult](t)(svc("bbbb", flourBanned).Rescreen(ctx, f.compliance, "officer's look"))
		if p := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.compliance, f.permit.ID)); p.Status != tradeplan.PermitSuspended {
			t.Fatalf("the officer's re-screening under the banning pack: permit %s", p.Status)
		}
		r, ran, err = svc("bbbb", flourBanned).RescreenIfRulesChanged(ctx)
		if err != nil || !ran || r.Hit != 1 || !strings.Contains(r.Reason, "rule pack change aaaa to bbbb") {
			t.Fatalf("changed packs: %+v ran %v %v", r, ran, err)
		}
		if _, ran, err := svc("bbbb", flourBanned).RescreenIfRulesChanged(ctx); err != nil || ran {
			t.Fatalf("changed packs, second start: ran %v %v", ran, err)
		}
		if _, ran, err := svc("", flourBanned).RescreenIfRulesChanged(ctx); err != nil || ran {
			t.Fatalf("no digest known: ran %v %v", ran, err)
		}
		n := 0
		for _, e := range must[[]tradeplan.AuditEntry](t)(db.AuditLog(ctx, store.AuditFilter{Limit: 1000})) {
			if e.Action == "rescreen" {
				n++
			}
		}
		if n != 3 {
			t.Fatalf("rescreen audit entries: %d, want 3 (two starts that ran, the officer's)", n)
		}
	})
}

// TestRescreenIfRulesChangedSuspends: the permit issued under packs that
// allowed its goods is suspended when the server starts with packs that
// ban them.
func TestRescreenIfRulesChangedSuspends(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		svc := func(digest string, screen licensing.ScreenFunc) *licensing.Service {
			return licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: screen, Clock: func() time.Time { return *f.now }, RulesDigest: digest})
		}
		if _, _, err := svc("aaaa", capScreen).RescreenIfRulesChanged(ctx); err != nil {
			t.Fatal(err)
		}
		r, ran, err := svc("cccc", flourBanned).RescreenIfRulesChanged(ctx)
		if err != nil || !ran || len(r.Suspended) != 1 || r.Suspended[0] != f.permit.Number || r.Opened != 1 {
			t.Fatalf("%+v ran %v %v", r, ran, err)
		}
		p := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.compliance, f.permit.ID))
		if p.Status != tradeplan.PermitSuspended || !strings.Contains(p.StatusReason, "rule pack change aaaa to cccc") || !strings.Contains(p.StatusReason, "Test pack rule 1") {
			t.Fatalf("permit %s: %q", p.Status, p.StatusReason)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state after re-screening: %+v", res)
		}
	})
}
