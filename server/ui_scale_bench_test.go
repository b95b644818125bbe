package server

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// The pages at scale: 10,000 plans of 20 lines (200,000 lines) and 100,000
// permits, seeded with set-based SQL from one plan and one permit made
// through the service (so that their stored form is real), on both
// engines. Each page is rendered in process, as the signed-in user it is
// for; the time per op is the server's time for the page.
//
//	go test -run '^$' -bench BenchmarkUIScale -benchtime 20x ./server/

const (
	scaleCalls   = 100
	scaleOrgs    = 100 // agencies under the province: scaleCalls x scaleOrgs plans
	scalePermits = 10  // per plan
)

type scaleFixture struct {
	srv     *Server
	cookies map[string]*http.Cookie // by user key
	planID  int64
	callID  int64
	engine  string
	dsn     string
}

func newScaleFixture(b *testing.B, engine string) *scaleFixture {
	b.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(b, engine)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	db.UseCheapPasswordHashing()
	sctx := tradeplan.WithActor(ctx, tradeplan.SystemActor("bench"))
	org := func(parent int64, name string, kind tradeplan.OrgKind) tradeplan.Organisation {
		o, err := db.CreateOrg(sctx, tradeplan.Organisation{ParentID: parent, Name: name, Kind: kind, Country: "KP"})
		if err != nil {
			b.Fatal(err)
		}
		return o
	}
	authority := org(0, "Trade Authority", tradeplan.OrgAuthority)
	province := org(authority.ID, "North Hamgyong Provincial Trade Bureau", tradeplan.OrgProvince)
	const password = "correct horse battery staple"
	for key, u := range map[string]tradeplan.User{
		"authority-admin":      {OrgID: authority.ID, Role: tradeplan.RoleAdmin},
		"authority-reviewer":   {OrgID: authority.ID, Role: tradeplan.RoleReviewer},
		"authority-compliance": {OrgID: authority.ID, Role: tradeplan.RoleCompliance},
		"province-submitter":   {OrgID: province.ID, Role: tradeplan.RoleSubmitter},
	} {
		u.Email, u.Name = key+"@example.org", key
		if _, err := db.CreateUser(sctx, u, password); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	srv := New(Config{Store: db, Screener: testScreener(b), Parties: fakeParties{}, Clock: func() time.Time { return now },
		InsecureCookies: true})
	svc := srv.Licensing()
	sys := tradeplan.SystemActor("bench")
	if _, err := svc.AddCrossing(ctx, sys, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen bridge", Kind: "bridge",
		Countries: []string{"KP", "CN"}}); err != nil {
		b.Fatal(err)
	}
	c, err := CallFromRequest("2027-H2", "2027-03-31", "bench", nil, false, nil)
	if err != nil {
		b.Fatal(err)
	}
	c.Issuer = authority.ID
	if c, err = svc.OpenCall(ctx, sys, c); err != nil {
		b.Fatal(err)
	}
	// The template plan: the four lines of uiWorkDoc five times over.
	head, body, _ := strings.Cut(uiWorkDoc, "lines:\n")
	doc, err := plan.Parse([]byte(head+"lines:\n"+strings.Repeat(body, 5)), "bench.yaml", plan.YAML)
	if err != nil {
		b.Fatal(err)
	}
	rec, err := svc.CreatePlan(ctx, sys, licensing.PlanInput{CallID: c.ID, Organisation: province.ID, Plan: doc})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SubmitPlan(ctx, sys, rec.ID); err != nil {
		b.Fatal(err)
	}
	if _, _, err := svc.ApproveLine(ctx, sys, rec.ID, 4, licensing.Approval{Reason: "bench"}); err != nil {
		b.Fatal(err)
	}
	// One permit draws on a cap (diesel): the cap ledger reads the permits
	// that draw on caps, not every permit.
	if _, _, err := svc.ApproveLine(ctx, sys, rec.ID, 2, licensing.Approval{Reason: "bench"}); err != nil {
		b.Fatal(err)
	}
	ps, err := svc.Permits(ctx, sys, licensing.PermitFilter{PlanID: rec.ID})
	if err != nil || len(ps) != 2 {
		b.Fatalf("template permit: %d, %v", len(ps), err)
	}
	template := ps[0].ID
	for _, p := range ps {
		if len(p.Caps) == 0 {
			template = p.ID
		}
	}
	scaleSeed(b, engine, dsn, province.ID, c.ID, rec.ID, template)

	f := &scaleFixture{srv: srv, cookies: map[string]*http.Cookie{}, planID: rec.ID + 5000, callID: c.ID + 50, engine: engine, dsn: dsn}
	for _, key := range []string{"authority-admin", "authority-reviewer", "authority-compliance", "province-submitter"} {
		l, err := srv.accounts.Login(ctx, key+"@example.org", password, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		f.cookies[key] = &http.Cookie{Name: sessionCookie, Value: l.Token}
	}
	return f
}

// scaleSeed copies the template call, plan (with its stored version) and
// permit in bulk: set-based SQL, the same on both engines.
func scaleSeed(b *testing.B, engine, dsn string, province, callID, planID, permitID int64) {
	b.Helper()
	driver, src := "pgx", dsn
	if engine == "sqlite" {
		driver, src = "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, src)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	ph := func(q string) string {
		if engine != "postgres" {
			return q
		}
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
		return q
	}
	start := time.Now()
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
		  INSERT INTO organisations (parent_id, name, kind, country, created_at)
		  SELECT ?, 'Bench agency ' || s.n, 'agency', 'KP', o.created_at FROM s, organisations o WHERE o.id = ?`,
			[]any{scaleOrgs, province, province}},
		{`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
		  INSERT INTO calls (period, period_from, period_to, deadline, guidance, issuer, organisations, allow_late, forbid_own_review,
		    closed_at, created_by, created_at, include_offices)
		  SELECT period, period_from, period_to, deadline, guidance || ' ' || s.n, issuer, organisations, allow_late, forbid_own_review,
		    closed_at, created_by, created_at, include_offices FROM s, calls WHERE calls.id = ?`,
			[]any{scaleCalls - 1, callID}},
		{`INSERT INTO plans (call_id, org_id, title, status, version, late, created_by, created_at, updated_at, submitted_at)
		  SELECT c.id, o.id, o.name, CASE WHEN (c.id + o.id) % 4 = 0 THEN 'decided' ELSE 'submitted' END, 1, t.late, t.created_by,
		    t.created_at, t.updated_at, t.submitted_at
		  FROM calls c CROSS JOIN organisations o CROSS JOIN plans t
		  WHERE t.id = ? AND o.parent_id = ? AND o.kind = 'agency'`,
			[]any{planID, province}},
		{`INSERT INTO plan_versions (plan_id, version, plan, report, diff, reason, created_by, created_at, submitted_by, submitted_at)
		  SELECT p.id, 1, v.plan, v.report, v.diff, v.reason, v.created_by, v.created_at, v.submitted_by, v.submitted_at
		  FROM plans p CROSS JOIN plan_versions v WHERE v.plan_id = ? AND v.version = 1 AND p.id <> ?`,
			[]any{planID, planID}},
		{`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
		  INSERT INTO permits (number, holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination,
		    partner, crossing, unit, currency, quantity, val, quantity_used, value_used, valid_from, valid_to, status, status_reason,
		    citations, issued_by, issued_at, updated_at)
		  SELECT 'TP-BENCH-' || p.id || '-' || s.n, p.org_id, p.call_id, p.id, 1, s.n, t.direction, t.description, t.hs, t.origin,
		    t.destination, t.partner, t.crossing, t.unit, t.currency, t.quantity, t.val,
		    CASE WHEN s.n % 5 = 4 THEN t.quantity ELSE 0 END, 0, t.valid_from, t.valid_to,
		    CASE s.n % 5 WHEN 1 THEN 'suspended' WHEN 2 THEN 'revoked' WHEN 4 THEN 'exhausted' ELSE 'issued' END, '',
		    t.citations, t.issued_by, t.issued_at, t.updated_at
		  FROM plans p CROSS JOIN s CROSS JOIN permits t WHERE t.id = ? AND p.id <> ?`,
			[]any{scalePermits, permitID, planID}},
	} {
		if _, err := raw.Exec(ph(st.q), st.args...); err != nil {
			b.Fatalf("seed: %v\n%s", err, st.q)
		}
	}
	// The statistics a running database keeps (autovacuum on PostgreSQL).
	if engine == "postgres" {
		raw.Exec("VACUUM ANALYZE")
	} else {
		raw.Exec("ANALYZE")
	}
	var plans, permits int
	raw.QueryRow("SELECT COUNT(*) FROM plans").Scan(&plans)
	raw.QueryRow("SELECT COUNT(*) FROM permits").Scan(&permits)
	b.Logf("%s: seeded %d plans (%d lines), %d permits in %v", engine, plans, plans*20, permits, time.Since(start).Round(time.Millisecond))
}

func BenchmarkUIScale(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			f := newScaleFixture(b, eng)
			pages := []struct{ name, user, path string }{
				{"home-reviewer", "authority-reviewer", "/"},
				{"home-compliance", "authority-compliance", "/"},
				{"home-admin", "authority-admin", "/"},
				{"home-submitter", "province-submitter", "/"},
				{"plans", "authority-reviewer", "/plans"},
				{"plans-page-100", "authority-reviewer", fmt.Sprintf("/plans?before=%d", f.planID)},
				{"plans-search", "authority-reviewer", "/plans?q=agency+7&status=submitted"},
				{"plan", "authority-reviewer", fmt.Sprintf("/plans/%d", f.planID)},
				{"permits", "authority-reviewer", "/permits"},
				{"permits-filtered", "authority-reviewer", "/permits?status=expired&q=rice"},
				{"permits-number", "authority-reviewer", "/permits?q=TP-BENCH-5005-"},
				{"calls", "authority-reviewer", "/calls"},
				{"call", "authority-reviewer", fmt.Sprintf("/calls/%d", f.callID)},
				{"permit-charts", "authority-reviewer", "/permits/charts"},
				{"crossings", "authority-admin", "/crossings"},
				{"caps", "authority-admin", "/caps"},
				{"audit", "authority-admin", "/audit"},
			}
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					for b.Loop() {
						r := httptest.NewRequest(http.MethodGet, p.path, nil)
						r.AddCookie(f.cookies[p.user])
						w := httptest.NewRecorder()
						f.srv.ServeHTTP(w, r)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: status %d: %.500s", p.path, w.Code, w.Body)
						}
					}
				})
			}
		})
	}
}
