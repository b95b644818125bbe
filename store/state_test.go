package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// stateFixture runs the workflow up to a used, exhausted permit and a
// revoked one, so that every protected table has rows.
func stateFixture(t *testing.T, db *store.DB) (p1, p2 tradeplan.Permit, planID int64) {
	t.Helper()
	ctx := context.Background()
	f := newLicFixture(t, db)
	rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselPlan(100000)))
	must[licensing.BulkResult](t)(f.svc.RefuseProhibited(ctx, f.rev, rec.ID, ""))
	_, p1, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Quantity: ptr(tradeplan.D(80000)), Reason: "power"})
	if err != nil {
		t.Fatal(err)
	}
	rec2 := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provB, f.call.ID, 0, dieselPlan(1000)))
	_, p2, err = f.svc.ApproveLine(ctx, f.rev, rec2.ID, 1, licensing.Approval{Reason: "fuel"})
	if err != nil {
		t.Fatal(err)
	}
	*f.now = lday("2027-02-01")
	must[tradeplan.Crossing](t)(f.svc.SetCrossing(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "customs open"))
	must[licensing.PermitView](t)(f.svc.UsePermit(ctx, f.provA, p1.ID, licensing.UseInput{Quantity: tradeplan.D(80000), Value: tradeplan.D(1), Reference: "CD-7"}))
	must[licensing.PermitView](t)(f.svc.UsePermit(ctx, f.provB, p2.ID, licensing.UseInput{Quantity: tradeplan.D(250), Value: tradeplan.D(1)}))
	must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, p2.ID, tradeplan.PermitRevoked, "end-user doubts"))
	return p1, p2, rec.ID
}

// TestAttackTamperOutsideAuditTable (issue 12 item 14): rows of the state
// the audit log protects, changed, deleted or inserted with SQL behind the
// store's back, are each reported by VerifyState with the row, while the
// chain itself still verifies.
func TestAttackTamperOutsideAuditTable(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p1, p2, planID := stateFixture(t, db)
		res := must[store.StateResult](t)(db.VerifyState(ctx))
		if !res.OK || len(res.Problems) != 0 || res.Rows == 0 {
			t.Fatalf("untouched state: %+v", res)
		}
		raw := store.Raw(db)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, store.Rebind(db, q), args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		id := func(v int64) string { return strconv.FormatInt(v, 10) }
		steps := []struct {
			name  string
			sql   string
			args  []any
			row   string // a row each step must report
			words string
		}{
			{"revoked permit reissued a thousandfold", "UPDATE permits SET status = 'issued', quantity = quantity * 1000 WHERE id = ?", []any{p2.ID},
				"permits[id=" + id(p2.ID) + "]", "changed outside the store"},
			{"a use deleted", "DELETE FROM permit_uses WHERE permit_id = ?", []any{p1.ID},
				"permit_uses[id=", "deleted outside the store"},
			{"the cap table wiped", "DELETE FROM permit_caps", nil,
				"permit_caps[permit_id=" + id(p1.ID) + " cap=un-dprk/2397-op5]", "deleted outside the store"},
			{"a refusal turned into an approval", "UPDATE line_decisions SET decision = 'approve' WHERE plan_id = ? AND line_no = 2", []any{planID},
				"line_decisions[plan_id=" + id(planID) + " version=1 line_no=2]", "changed outside the store"},
			{"a plan's status", "UPDATE plans SET status = 'submitted' WHERE id = ?", []any{planID},
				"plans[id=" + id(planID) + "]", "changed outside the store"},
			{"a permit inserted", `INSERT INTO permits (number, holder, call_id, plan_id, plan_version, line_no, direction, description,
				hs, origin, destination, partner, crossing, unit, currency, quantity, val, quantity_used, value_used, valid_from, valid_to,
				status, status_reason, citations, issued_by, issued_at, updated_at)
				SELECT 'TP-FORGED', holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination, partner,
				crossing, unit, currency, quantity, val, 0, 0, valid_from, valid_to, 'issued', '', citations, issued_by, issued_at, updated_at
				FROM permits WHERE id = ?`, []any{p1.ID},
				"permits[id=", "not recorded in the audit log"},
		}
		seen := 0
		for _, s := range steps {
			exec(s.sql, s.args...)
			res := must[store.StateResult](t)(db.VerifyState(ctx))
			if res.OK {
				t.Fatalf("%s: state verified OK after tampering", s.name)
			}
			found := false
			for _, p := range res.Problems {
				if strings.HasPrefix(p.Row, s.row) && strings.Contains(p.Problem, s.words) {
					found = true
				}
			}
			if !found {
				t.Fatalf("%s: no problem for %s (%q) among %+v", s.name, s.row, s.words, res.Problems)
			}
			if len(res.Problems) <= seen {
				t.Fatalf("%s: %d problems, had %d before", s.name, len(res.Problems), seen)
			}
			seen = len(res.Problems)
		}
		// The chain itself was not touched: only the state check sees it.
		if res := must[store.VerifyResult](t)(db.VerifyAudit(ctx)); !res.OK {
			t.Fatalf("audit chain: %+v", res)
		}
	})
}
