package server

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// otherServer is a second server over h's database, with a store handle
// of its own (its own memo of plan versions and its own kept reports), as
// another process sharing the database would be; clients of it act as the
// same users.
func otherServer(t *testing.T, h *harness) *harness {
	t.Helper()
	db, err := store.Open(context.Background(), h.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := New(Config{Store: db, Screener: testScreener(t), Parties: fakeParties{}, Logger: testLogger(t), Clock: h.clock.now, InsecureCookies: true})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	registerAPIServer(t, ts.URL)
	o := &harness{t: h.t, db: db, srv: srv, base: ts.URL, clock: h.clock, dsn: h.dsn, orgs: h.orgs, users: h.users, password: h.password}
	return o
}

// as returns c acting on server o.
func (o *harness) as(c *client) *client {
	return &client{h: o, hc: c.hc, bearer: c.bearer}
}

// freshReport computes call id's report as client c's user sees it on a
// server with a store handle of its own, opened for this read: nothing
// decoded or kept before.
func freshReport(t *testing.T, h *harness, c *client, id int64) []byte {
	t.Helper()
	o := otherServer(t, h)
	return callReportJSON(t, o.as(c), id)
}

// TestCallReportFirstReadFollowsChanges: the report after a change reuses
// the decoded plan versions of the reads before it, and is still what a
// server that decoded and kept nothing computes, for every reader (the
// authority's administrator and reviewer, who see every plan and the
// ranking; the province's reviewer, who sees the province's plans; a
// submitter, who sees the standing only), after each kind of change: a
// decision on one plan, the same version's report rewritten by assessing a
// line (a version is not immutable), a new version of one plan, changes
// made through another server over the same database, and a version's row
// edited by SQL by hand. (The report does not read the sanctions lists:
// it rests on each version's report as screened at submission or
// assessment, which a list import does not rewrite.)
func TestCallReportFirstReadFollowsChanges(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			callID, provPlan, agencyPlan := callPassSeed(t, h)
			reviewer := h.token("authority-reviewer")
			province := h.token("province-submitter")
			other := otherServer(t, h)
			readers := map[string]*client{
				"authority-admin": h.token("authority-admin"), "authority-reviewer": reviewer,
				"province-reviewer": h.token("province-reviewer"), "province-submitter": province,
			}
			for _, step := range []struct {
				name   string
				change func()
			}{
				{"a decision on one plan", func() {
					reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/4/approve", provPlan), map[string]string{"reason": "rice"}).want(http.StatusOK)
				}},
				{"a line's code assessed: the current version's report rewritten in place", func() {
					reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/3/assess", provPlan), map[string]string{"hs": "6704.19", "reason": "synthetic wigs"}).want(http.StatusOK)
				}},
				{"a new version of one plan", func() {
					province.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/amend?reason=more+wigs", provPlan), strings.Replace(hairPlan, "quantity: 3, unit: t, value: 75000", "quantity: 4, unit: t, value: 100000", 1), "application/yaml").want(http.StatusOK)
				}},
				{"a decision through another server", func() {
					other.as(reviewer).post(fmt.Sprintf("/api/v1/plans/%d/lines/17/refuse", agencyPlan), map[string]string{"reason": "elsewhere"}).want(http.StatusOK)
				}},
				{"a line assessed through another server", func() {
					other.as(reviewer).post(fmt.Sprintf("/api/v1/plans/%d/lines/13/assess", agencyPlan), map[string]string{"hs": "1102.20", "reason": "maize flour"}).want(http.StatusOK)
				}},
				{"a version's row edited by SQL by hand", func() {
					h.tampered = true
					raw := rawDB(t, h)
					q := "UPDATE plan_versions SET plan = REPLACE(plan, '\"Description\":\"', '\"Description\":\"edited ') WHERE plan_id = ? AND version = (SELECT version FROM plans WHERE id = ?)"
					if eng == "postgres" {
						q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
					}
					if res, err := raw.Exec(q, provPlan, provPlan); err != nil {
						t.Fatal(err)
					} else if n, _ := res.RowsAffected(); n != 1 {
						t.Fatalf("edited %d rows", n)
					}
				}},
			} {
				before := map[string][]byte{}
				for key, c := range readers {
					before[key] = callReportJSON(t, c, callID)
				}
				step.change()
				for key, c := range readers {
					got := callReportJSON(t, c, callID)
					if key != "province-submitter" && string(got) == string(before[key]) {
						t.Errorf("%s: %s reads the report of before the change", step.name, key)
					}
					if want := freshReport(t, h, c, callID); string(got) != string(want) {
						t.Errorf("%s: %s reads a report other than a fresh server computes:\n%s", step.name, key, reportDiff(got, want))
					}
					if again := callReportJSON(t, c, callID); string(again) != string(got) {
						t.Errorf("%s: %s reads two reports:\n%s", step.name, key, reportDiff(again, got))
					}
				}
			}
		})
	}
}

// rawDB opens h's database behind the store.
func rawDB(t *testing.T, h *harness) *sql.DB {
	t.Helper()
	driver, src := "pgx", h.dsn
	if !strings.HasPrefix(h.dsn, "postgres") {
		driver, src = "sqlite", "file:"+h.dsn+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
