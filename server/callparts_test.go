package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// planRevs reads the revisions of call id's submitted plans through h's
// store, as a report's read does.
func planRevs(t *testing.T, h *harness, id int64) map[int64]licensing.PlanRev {
	t.Helper()
	var out map[int64]licensing.PlanRev
	err := h.db.Licensing().View(context.Background(), func(ctx context.Context, tx licensing.Tx) error {
		var err error
		out, err = tx.(licensing.PlanRevTx).CallPlanRevisions(ctx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rawExec runs q on db with ? placeholders, numbered for PostgreSQL.
func rawExec(t *testing.T, db interface {
	Exec(string, ...any) (sql.Result, error)
}, pg bool, q string, args ...any) int64 {
	t.Helper()
	if pg {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	res, err := db.Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	n, _ := res.RowsAffected()
	return n
}

// TestPlanRevisionsFollowEveryChange: a plan's revision moves on every
// change to a row its part of the call's report reads, made by SQL by hand
// on a handle of its own (so by the triggers, not the application), and
// only that plan's; a rolled-back change moves nothing.
func TestPlanRevisionsFollowEveryChange(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			callID, provPlan, agencyPlan := callPassSeed(t, h)
			h.tampered = true
			reviewer := h.token("authority-reviewer")
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/4/approve", provPlan), map[string]string{"reason": "rice"}).want(http.StatusOK)
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/3/assess", provPlan), map[string]string{"hs": "6704.19", "reason": "synthetic wigs"}).want(http.StatusOK)
			raw := rawDB(t, h)
			pg := eng == "postgres"
			prov := h.orgs["province"].ID
			for _, c := range []struct {
				name string
				q    string
				args []any
			}{
				{"the plan's row", "UPDATE plans SET title = title WHERE id = ?", []any{provPlan}},
				{"a version rewritten in place", "UPDATE plan_versions SET plan = plan WHERE plan_id = ?", []any{provPlan}},
				{"a line decision", "UPDATE line_decisions SET reason = reason || '.' WHERE plan_id = ?", []any{provPlan}},
				{"a line assessment", "UPDATE line_assessments SET reason = reason || '.' WHERE plan_id = ?", []any{provPlan}},
				{"a line decision deleted", "DELETE FROM line_decisions WHERE plan_id = ?", []any{provPlan}},
				{"a line assessment deleted", "DELETE FROM line_assessments WHERE plan_id = ?", []any{provPlan}},
				{"a site file of the organisation", "UPDATE site_files SET review_reason = review_reason || '.' WHERE org_id = ?", []any{prov}},
			} {
				before := planRevs(t, h, callID)
				if n := rawExec(t, raw, pg, c.q, c.args...); n == 0 {
					t.Fatalf("%s: no row changed", c.name)
				}
				after := planRevs(t, h, callID)
				if after[provPlan].Rev == before[provPlan].Rev || after[provPlan].Rev == 0 {
					t.Errorf("%s: the plan's revision stayed %d", c.name, after[provPlan].Rev)
				}
				if after[agencyPlan] != before[agencyPlan] {
					t.Errorf("%s: another plan's revision moved: %+v -> %+v", c.name, before[agencyPlan], after[agencyPlan])
				}
			}
			// A compliance decision: the seed has none; one by hand.
			before := planRevs(t, h, callID)
			rawExec(t, raw, pg, `INSERT INTO compliance_decisions (plan_id, version, line_no, finding, decision, reason, decided_by, decided_at)
				SELECT plan_id, version, line_no, 'x', 'cleared', 'by hand', 'sql', created_at FROM (SELECT p.id AS plan_id, p.version, 1 AS line_no, p.created_at FROM plans p WHERE p.id = ?) s`, agencyPlan)
			after := planRevs(t, h, callID)
			if after[agencyPlan].Rev == before[agencyPlan].Rev || after[provPlan] != before[provPlan] {
				t.Errorf("a compliance decision: revisions %+v -> %+v", before, after)
			}

			// Rolled back: nothing moves.
			before = planRevs(t, h, callID)
			tx, err := raw.Begin()
			if err != nil {
				t.Fatal(err)
			}
			rawExec(t, tx, pg, "UPDATE plan_versions SET reason = 'rolled back' WHERE plan_id = ?", provPlan)
			rawExec(t, tx, pg, "UPDATE plans SET title = 'rolled back' WHERE id = ?", agencyPlan)
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if after := planRevs(t, h, callID); after[provPlan] != before[provPlan] || after[agencyPlan] != before[agencyPlan] {
				t.Errorf("a rolled-back change moved a revision: %+v -> %+v", before, after)
			}
			// And the next committed change still moves it past every figure
			// before (a sequence, never used twice).
			rawExec(t, raw, pg, "UPDATE plan_versions SET reason = reason WHERE plan_id = ?", provPlan)
			if after := planRevs(t, h, callID); after[provPlan].Rev <= before[provPlan].Rev {
				t.Errorf("after a rollback the revision went from %d to %d", before[provPlan].Rev, after[provPlan].Rev)
			}
		})
	}
}

// TestCallPartsFollowChanges: the report after a change takes the parts
// of the plans the change did not touch from what earlier reads kept, and
// is still what a server that kept nothing computes, for every reader,
// after changes the application does not see: rows edited and deleted by
// SQL by hand on a handle of its own, a plan taken out of the call and put
// back, a site file's review undone by hand, a change rolled back while
// reports were read, a change through another server, and with readers at
// once. No reader sees a plan its own query does not return: the
// reviewer of the agency (an office below the province) never sees the
// province's plan, however the parts were kept.
func TestCallPartsFollowChanges(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			callID, provPlan, agencyPlan := callPassSeed(t, h)
			h.tampered = true
			reviewer := h.token("authority-reviewer")
			other := otherServer(t, h)
			raw := rawDB(t, h)
			pg := eng == "postgres"
			prov := h.orgs["province"].ID
			h.addUser("agency-reviewer", "agency", tradeplan.RoleReviewer)
			readers := map[string]*client{
				"authority-admin": h.token("authority-admin"), "authority-reviewer": reviewer,
				"province-reviewer": h.token("province-reviewer"), "agency-reviewer": h.token("agency-reviewer"),
			}
			check := func(step string) {
				t.Helper()
				for key, c := range readers {
					got := callReportJSON(t, c, callID)
					if want := freshReport(t, h, c, callID); !bytes.Equal(got, want) {
						t.Errorf("%s: %s reads a report other than a fresh server computes:\n%s", step, key, reportDiff(got, want))
					}
					if key == "agency-reviewer" {
						var r licensing.CallReport
						if err := json.Unmarshal(got, &r); err != nil {
							t.Fatal(err)
						}
						seen := 0
						for _, it := range r.ImportsFirst {
							if it.Plan != agencyPlan {
								t.Errorf("%s: the agency's reviewer sees plan %d of organisation %d", step, it.Plan, it.Organisation)
							}
							seen++
						}
						if r.Imports != nil || r.Totals == nil || seen == 0 && r.Standing.Submitted > 0 {
							t.Errorf("%s: the agency's reviewer reads ranking %v, totals %v, %d import lines", step, r.Imports != nil, r.Totals != nil, seen)
						}
					}
				}
			}
			check("the seed")
			for _, step := range []struct {
				name   string
				change func()
			}{
				{"a line decision deleted by hand", func() {
					rawExec(t, raw, pg, "DELETE FROM line_decisions WHERE plan_id = ? AND line_no = (SELECT MIN(line_no) FROM line_decisions WHERE plan_id = ?)", agencyPlan, agencyPlan)
				}},
				{"a version's lines edited by hand", func() {
					rawExec(t, raw, pg, `UPDATE plan_versions SET plan = REPLACE(plan, '"Description":"', '"Description":"by hand ') WHERE plan_id = ? AND version = (SELECT version FROM plans WHERE id = ?)`, agencyPlan, agencyPlan)
				}},
				{"a site file's acceptance undone by hand", func() {
					rawExec(t, raw, pg, "UPDATE site_files SET status = 'claimed' WHERE org_id = ?", prov)
				}},
				{"a site file accepted again by hand", func() {
					rawExec(t, raw, pg, "UPDATE site_files SET status = 'accepted' WHERE org_id = ?", prov)
				}},
				{"a plan taken back to draft by hand", func() {
					rawExec(t, raw, pg, "UPDATE plans SET status = 'draft' WHERE id = ?", agencyPlan)
				}},
				{"the plan submitted again by hand", func() {
					rawExec(t, raw, pg, "UPDATE plans SET status = 'submitted' WHERE id = ?", agencyPlan)
				}},
				{"a change rolled back while reports were read", func() {
					tx, err := raw.Begin()
					if err != nil {
						t.Fatal(err)
					}
					rawExec(t, tx, pg, "DELETE FROM line_decisions WHERE plan_id = ?", agencyPlan)
					rawExec(t, tx, pg, "UPDATE site_files SET status = 'claimed' WHERE org_id = ?", prov)
					if !pg {
						// SQLite: the writer holds the database; read after.
						if err := tx.Rollback(); err != nil {
							t.Fatal(err)
						}
						return
					}
					for _, c := range readers {
						callReportJSON(t, c, callID)
					}
					if err := tx.Rollback(); err != nil {
						t.Fatal(err)
					}
				}},
				{"a line approved through another server", func() {
					other.as(reviewer).post(fmt.Sprintf("/api/v1/plans/%d/lines/4/approve", provPlan), map[string]string{"reason": "rice"}).want(http.StatusOK)
				}},
				{"a line assessed through this server", func() {
					reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/3/assess", provPlan), map[string]string{"hs": "6704.19", "reason": "synthetic wigs"}).want(http.StatusOK)
				}},
				{"a crossing's capacity, which touches no plan", func() {
					h.token("authority-admin").do(http.MethodPut, "/api/v1/crossings/namyang-tumen/capacity", map[string]any{"tonnes_per_week": 40}, "").want(http.StatusOK)
				}},
			} {
				for _, c := range readers {
					callReportJSON(t, c, callID) // kept before the change
				}
				step.change()
				check(step.name)
			}

			// Readers at once, on a change, each must read the fresh report.
			rawExec(t, raw, pg, "UPDATE line_assessments SET reason = reason || '.' WHERE plan_id = ?", provPlan)
			want := freshReport(t, h, readers["authority-admin"], callID)
			var wg sync.WaitGroup
			got := make([][]byte, 6)
			for i := range got {
				wg.Go(func() { got[i] = callReportJSON(t, readers["authority-admin"], callID) })
			}
			wg.Wait()
			for i, g := range got {
				if !bytes.Equal(g, want) {
					t.Errorf("reader %d at once:\n%s", i, reportDiff(g, want))
				}
			}
		})
	}
}
