package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestAttackAuditVerifyState (issue 12 item 14): a permit changed from
// revoked to issued with a thousand times the quantity, a deleted use and a
// wiped cap table, each done with SQL behind the application, are reported
// by `tradeplan audit verify --state` with the row, on each engine.
func TestAttackAuditVerifyState(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			ctx := context.Background()
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			permit := issueUsedRevokedPermit(t, db)

			code, out, errs := wf(t, dsn, "audit", "verify", "--state")
			if code != exitOK || !strings.Contains(out, "state intact") {
				t.Fatalf("untouched: exit %d\n%s%s", code, out, errs)
			}

			driver := "sqlite"
			if strings.HasPrefix(dsn, "postgres") {
				driver = "pgx"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			steps := []struct{ sql, row, words string }{
				{fmt.Sprintf("UPDATE permits SET status = 'issued', quantity = quantity * 1000 WHERE id = %d", permit.ID),
					fmt.Sprintf("permits[id=%d]", permit.ID), "changed outside the store"},
				{"DELETE FROM permit_uses", "permit_uses[id=", "deleted outside the store"},
				{"DELETE FROM permit_caps", fmt.Sprintf("permit_caps[permit_id=%d cap=un-dprk/refined]", permit.ID), "deleted outside the store"},
			}
			for _, s := range steps {
				if _, err := raw.ExecContext(ctx, s.sql); err != nil {
					t.Fatalf("%s: %v", s.sql, err)
				}
				code, out, errs := wf(t, dsn, "audit", "verify", "--state")
				if code != exitFindings || !strings.Contains(out, "audit log intact") || !strings.Contains(out, "state TAMPERED") {
					t.Fatalf("after %s: exit %d\n%s%s", s.sql, code, out, errs)
				}
				found := false
				for _, l := range strings.Split(out, "\n") {
					if strings.Contains(l, s.row) && strings.Contains(l, s.words) {
						found = true
					}
				}
				if !found {
					t.Fatalf("after %s: no line names %s as %q:\n%s", s.sql, s.row, s.words, out)
				}
			}
			// Without --state the chain alone still verifies: that is what
			// the flag adds.
			if code, out, _ := wf(t, dsn, "audit", "verify"); code != exitOK {
				t.Fatalf("chain: exit %d %s", code, out)
			}
			// Sealing records rows no entry covers, never tampered ones.
			if _, err := raw.ExecContext(ctx, `INSERT INTO crossings (id, name, kind, countries, status, since, reason, created_at)
				SELECT 'legacy-'||id, name, kind, countries, status, since, reason, created_at FROM crossings`); err != nil {
				t.Fatal(err)
			}
			code, out, _ = wf(t, dsn, "audit", "verify", "--state")
			if code != exitFindings || !strings.Contains(out, "crossings[id=legacy-namyang-tumen]: not recorded") {
				t.Fatalf("unrecorded row: exit %d\n%s", code, out)
			}
			if code, out, errs := wf(t, dsn, "audit", "seal"); code != exitOK || !strings.Contains(out, "1 rows recorded") {
				t.Fatalf("seal: exit %d %s %s", code, out, errs)
			}
			code, out, _ = wf(t, dsn, "audit", "verify", "--state", "--json")
			if code != exitFindings || strings.Contains(out, "legacy-namyang-tumen") || !strings.Contains(out, fmt.Sprintf(`"row": "permits[id=%d]"`, permit.ID)) {
				t.Fatalf("after seal: exit %d\n%s", code, out)
			}
		})
	}
}

// issueUsedRevokedPermit issues a capped diesel permit through the
// licensing service, uses part of it at an open crossing and revokes it.
func issueUsedRevokedPermit(t *testing.T, db *store.DB) tradeplan.Permit {
	t.Helper()
	ctx := context.Background()
	org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "North Hamgyong", Kind: tradeplan.OrgProvince, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	capped := func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, _ tradeplan.CapUsage) (tradeplan.PlanReport, error) {
		r := tradeplan.PlanReport{AsOf: asOf.Format(time.DateOnly)}
		for i, l := range p.Lines {
			c := &tradeplan.CapUse{Cap: "un-dprk/refined", From: asOf, To: asOf.AddDate(1, 0, 0), Limit: tradeplan.D(500000), Unit: "bbl", Quantity: l.Quantity}
			r.Lines = append(r.Lines, tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS},
				Verdict: tradeplan.Capped, Findings: []tradeplan.Finding{{Kind: tradeplan.KindGoods, Outcome: tradeplan.Capped, Cap: c}}})
			r.Summary.Add(tradeplan.Capped)
		}
		return r, nil
	}
	now := time.Now()
	svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capped, Clock: func() time.Time { return now }})
	sys := tradeplan.SystemActor("test")
	if _, err := svc.AddCrossing(ctx, sys, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen", Countries: []string{"KP", "CN"}}); err != nil {
		t.Fatal(err)
	}
	period := licensing.NextHalf(time.Now())
	call, err := svc.OpenCall(ctx, sys, tradeplan.Call{Period: period.Label, From: period.From, To: period.To, Deadline: time.Now().AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.ImportPlan(ctx, sys, call.ID, org.ID, &tradeplan.Plan{Lines: []tradeplan.Line{{Direction: tradeplan.Import,
		Description: "diesel", HS: "271019", Quantity: tradeplan.D(1000), Unit: "bbl", Value: tradeplan.D(80000), Currency: "USD", Crossing: "Namyang-Tumen"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.ApproveLine(ctx, sys, rec.ID, 1, licensing.Approval{Reason: "fuel"})
	if err != nil {
		t.Fatal(err)
	}
	now = period.From.AddDate(0, 0, 10)
	if _, err := svc.SetCrossing(ctx, sys, "namyang-tumen", tradeplan.CrossingOpen, "customs open"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UsePermit(ctx, sys, p.ID, licensing.UseInput{Quantity: tradeplan.D(100), Value: tradeplan.D(8000), Reference: "CD-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetPermitStatus(ctx, sys, p.ID, tradeplan.PermitRevoked, "end-user doubts"); err != nil {
		t.Fatal(err)
	}
	return p
}
