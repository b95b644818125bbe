package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/imports"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// importsCall opens a call, registers the report's crossings with their
// capacity (Hoeryong-Sanhe stays closed) and has the province submit the
// report's plan and its equipment plan. It returns the call's id and the
// plans' ids.
func importsCall(t *testing.T, h *harness) (callID, planID, equipID int64) {
	t.Helper()
	admin := h.token("authority-admin")
	for _, c := range []struct {
		id, name, kind string
		open           bool
		tonnes         string
		vehicles       []map[string]any
	}{
		{"namyang-tumen", "Namyang-Tumen bridge", "bridge", true, "1200", []map[string]any{{"kind": "trucks", "per_week": 80, "tonnes_each": 20}}},
		{"rason-quanhe", "Rason-Quanhe bridge", "bridge", true, "600", nil},
		{"hoeryong-sanhe", "Hoeryong-Sanhe bridge", "bridge", false, "400", nil},
		{"rajin-port", "Rajin port", "port", true, "3000", []map[string]any{{"kind": "vessel calls", "per_week": 1, "tonnes_each": 3000}}},
	} {
		st := "closed"
		if c.open {
			st = "open"
		}
		admin.post("/api/v1/crossings", map[string]any{"id": c.id, "name": c.name, "kind": c.kind, "countries": []string{"KP", "CN"}, "status": st}).want(http.StatusCreated)
		body := map[string]any{"tonnes_per_week": json.Number(c.tonnes)}
		if c.vehicles != nil {
			body["vehicles"] = c.vehicles
		}
		admin.do(http.MethodPut, "/api/v1/crossings/"+c.id+"/capacity", body, "").want(http.StatusOK)
	}
	var call licensing.CallView
	admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31",
		"organisations": []int64{h.orgs["province"].ID, h.orgs["agency"].ID}}).want(http.StatusCreated).decode(&call)
	// One plan an organisation: the equipment plan through the province's agency.
	h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
	submit := func(key, path string) int64 {
		province := h.token(key)
		doc, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var pd licensing.PlanDetail
		province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), doc, "application/yaml").want(http.StatusCreated).decode(&pd)
		return pd.Plan.ID
	}
	return call.ID, submit("province-submitter", "../examples/nhg-2023-h1.yaml"), submit("agency-submitter", "../examples/imports/nhg-2023-h1-equipment.yaml")
}

func rankedLine(t *testing.T, r *imports.Result, plan int64, line int) *imports.LineResult {
	t.Helper()
	for _, l := range r.Lines {
		if l.Plan == strconv.FormatInt(plan, 10) && l.Line == line {
			return l
		}
	}
	t.Fatalf("no line %d of plan %d in the ranking", line, plan)
	return nil
}

func auditOf(t *testing.T, h *harness, subject string) []tradeplan.AuditEntry {
	t.Helper()
	es, err := h.db.AuditLog(context.Background(), tradeplan.AuditFilter{Subject: subject, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestCallImports is the report's province through the server on each
// engine: the crossings' capacity set and audited, the budget form, and the
// call's ranking: wheat flour, urea and antibiotics funded first, the HS 84
// freezing compressors excluded citing 2397 OP7, none of the banned exports
// in the budget, a closed crossing carrying nothing.
func TestCallImports(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			callID, planID, equipID := importsCall(t, h)
			admin := h.session("authority-admin")

			// Capacity: a property of the crossing, audited before and after.
			var c tradeplan.Crossing
			admin.do(http.MethodPut, "/api/v1/crossings/rason-quanhe/capacity", map[string]any{"tonnes_per_week": 650,
				"vehicles": []map[string]any{{"kind": "trucks", "per_week": 40, "tonnes_each": 20}}}, "").want(http.StatusOK).decode(&c)
			if c.Capacity == nil || !c.Capacity.TonnesPerWeek.Equal(tradeplan.DecimalInt(650)) || len(c.Capacity.Vehicles) != 1 || c.Capacity.SetBy == "" {
				t.Fatalf("capacity %+v", c.Capacity)
			}
			var hist licensing.CrossingHistory
			admin.get("/api/v1/crossings/rason-quanhe").want(http.StatusOK).decode(&hist)
			if hist.Crossing.Capacity == nil || !hist.Crossing.Capacity.TonnesPerWeek.Equal(tradeplan.DecimalInt(650)) {
				t.Fatalf("crossing read back: %+v", hist.Crossing.Capacity)
			}
			es := auditOf(t, h, "crossing:rason-quanhe")
			var caps []tradeplan.AuditEntry
			for _, e := range es {
				if e.Action == "crossing.capacity" {
					caps = append(caps, e)
				}
			}
			if len(caps) != 2 || caps[0].Before != nil || !strings.Contains(string(caps[1].Before), `"tonnes_per_week":600`) ||
				!strings.Contains(string(caps[1].After), `"tonnes_per_week":650`) {
				t.Fatalf("capacity audit: %d entries %+v", len(caps), caps)
			}
			// Bad capacity: every problem at its field; nothing stored.
			e := admin.do(http.MethodPut, "/api/v1/crossings/rason-quanhe/capacity", map[string]any{"tonnes_per_week": 0,
				"vehicles": []map[string]any{{"kind": "camels", "per_week": 0, "tonnes_each": 1}}}, "").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) != 3 {
				t.Errorf("bad capacity problems %+v", e.Problems)
			}
			h.token("province-admin").do(http.MethodPut, "/api/v1/crossings/rason-quanhe/capacity", map[string]any{"tonnes_per_week": 9999}, "").wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("authority-admin").do(http.MethodPut, "/api/v1/crossings/nowhere/capacity", map[string]any{"tonnes_per_week": 1}, "").wantError(http.StatusNotFound, tradeplan.ENotFound)

			// The budget: 6 M USD in hand.
			var b licensing.CallBudget
			admin.do(http.MethodPut, fmt.Sprintf("/api/v1/calls/%d/budget", callID), map[string]any{"version": 0, "currency": "USD", "receipts": 6000000}, "").
				want(http.StatusOK).decode(&b)
			if b.Version != 1 || b.Call != callID {
				t.Fatalf("budget %+v", b)
			}

			var v licensing.ImportsView
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			if v.Ranking == nil || v.Budget == nil || v.Budget.Version != 1 {
				t.Fatalf("imports view: problem %q, budget %+v", v.Problem, v.Budget)
			}
			r := v.Ranking
			for _, w := range []struct {
				line, tier int
			}{{13, 1}, {17, 1}, {16, 2}} { // wheat flour, antibiotics, urea
				l := rankedLine(t, r, planID, w.line)
				if l.Tier != w.tier || l.TierSource != imports.SourceDefault || l.FundedValue.Sign() <= 0 || w.tier == 2 && l.Status != imports.Funded {
					t.Errorf("%s: T%d (%s) %s funded %s: %s", l.Description, l.Tier, l.TierSource, l.Status, l.FundedValue, l.Reason)
				}
			}
			for i, l := range r.Lines[:6] {
				if l.Tier > 2 {
					t.Errorf("ranking[%d] = %s T%d: want T1 and T2 first", i, l.Description, l.Tier)
				}
			}
			for _, x := range []struct {
				plan int64
				line int
			}{{equipID, 1}, {planID, 20}} {
				l := rankedLine(t, r, x.plan, x.line)
				if l.Status != imports.Excluded || l.FundedValue.Sign() != 0 || !strings.Contains(l.Reason, "UNSCR 2397 (2017) OP7") {
					t.Errorf("%s: %s %s, want excluded citing UNSCR 2397 (2017) OP7", l.Description, l.Status, l.Reason)
				}
			}
			// The cigarettes claimed critical stay T5 without an upgrade.
			if l := rankedLine(t, r, equipID, 2); l.Tier != 5 || l.Claim == "" || l.FundedValue.Sign() != 0 {
				t.Errorf("cigarettes claimed critical: T%d claim %q funded %s", l.Tier, l.Claim, l.FundedValue)
			}
			if r.Budget.Exports.Amount.Sign() != 0 || len(r.Budget.Exports.Lines) != 0 || len(r.Budget.NotCounted) != 10 {
				t.Errorf("exports counted %s from %d lines, %d not counted; want none of the banned exports", r.Budget.Exports.Amount, len(r.Budget.Exports.Lines), len(r.Budget.NotCounted))
			}
			if !r.Budget.Total.Equal(tradeplan.DecimalInt(6000000)) {
				t.Errorf("budget total %s", r.Budget.Total)
			}
			// The schedule: the closed crossing carries nothing; the maize
			// through it waits, saying why; no week above its capacity.
			if r.Schedule == nil || len(r.Schedule.Slots) == 0 {
				t.Fatal("no schedule")
			}
			for _, s := range r.Schedule.Slots {
				if s.Load.Cmp(s.Capacity) > 0 {
					t.Errorf("%s week %d carries %s of %s t", s.Crossing, s.Week, s.Load, s.Capacity)
				}
				if s.Crossing == "hoeryong-sanhe" && (!s.Closed || s.Load.Sign() != 0 || len(s.Lines) != 0) {
					t.Errorf("closed crossing carries %+v", s)
				}
			}
			maize := rankedLine(t, r, planID, 14)
			if maize.FundedValue.Sign() > 0 && (len(maize.Entries) != 0 || maize.Waiting == "") {
				t.Errorf("maize through the closed crossing: entries %+v waiting %q", maize.Entries, maize.Waiting)
			}
			flour := rankedLine(t, r, planID, 13)
			if flour.Crossing != "namyang-tumen" || flour.Week == "" {
				t.Errorf("wheat flour enters %q in week %q", flour.Crossing, flour.Week)
			}

			// The call report carries the same ranking for the authority,
			// and none for the applicant.
			var cr licensing.CallReport
			admin.get(fmt.Sprintf("/api/v1/calls/%d", callID)).want(http.StatusOK).decode(&cr)
			if cr.Imports == nil || cr.Imports.Ranking == nil || len(cr.Imports.Ranking.Lines) != len(r.Lines) {
				t.Fatalf("call report imports %+v", cr.Imports)
			}
			var sub licensing.CallReport
			h.token("province-submitter").get(fmt.Sprintf("/api/v1/calls/%d", callID)).want(http.StatusOK).decode(&sub)
			if sub.Imports != nil {
				t.Fatal("the applicant sees the ranking")
			}
			h.token("province-submitter").get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("province-admin").get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).wantError(http.StatusForbidden, tradeplan.EForbidden)
			admin.get("/api/v1/calls/99999/imports").wantError(http.StatusNotFound, tradeplan.ENotFound)

			// Closing a crossing empties it in the schedule.
			admin.post("/api/v1/crossings/namyang-tumen/close", map[string]any{"reason": "flood"}).want(http.StatusOK)
			v = licensing.ImportsView{}
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			for _, s := range v.Ranking.Schedule.Slots {
				if s.Crossing == "namyang-tumen" && s.Load.Sign() != 0 {
					t.Errorf("closed namyang-tumen carries %s t in week %d", s.Load, s.Week)
				}
			}
			if l := rankedLine(t, v.Ranking, planID, 13); len(l.Entries) != 0 || l.Waiting == "" {
				t.Errorf("wheat flour through a closed crossing: %+v, waiting %q", l.Entries, l.Waiting)
			}
		})
	}
}

// TestCallBudget: the form is versioned, audited, refuses a budget above
// what is available without the authority's override and records the
// override; two edits of one version at once: one lands, the other is told.
func TestCallBudget(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			callID, _, _ := importsCall(t, h)
			admin := h.token("authority-admin")
			path := fmt.Sprintf("/api/v1/calls/%d/budget", callID)
			put := func(c *client, body map[string]any) *response { return c.do(http.MethodPut, path, body, "") }

			// Bad fields, all at once; nothing stored.
			e := put(admin, map[string]any{"version": 0, "currency": "dollars", "receipts": -1, "receipts_currency": "CNY", "safety_margin": 2, "override": "x"}).
				wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) < 5 {
				t.Errorf("problems %+v", e.Problems)
			}
			// Receipts in yuan at the authority's rate.
			var b licensing.CallBudget
			put(admin, map[string]any{"version": 0, "currency": "USD", "receipts": 10000000, "receipts_currency": "CNY",
				"rates": map[string]any{"CNY": 0.14}, "rates_as_of": "2027-02-27", "rates_source": "central bank fixing", "reserves": 500000, "reserves_floor": 200000}).
				want(http.StatusOK).decode(&b)
			var v licensing.ImportsView
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			if v.Ranking == nil || !v.Ranking.Budget.Receipts.Amount.Equal(tradeplan.DecimalInt(1400000)) || !v.Ranking.Budget.Reserves.Amount.Equal(tradeplan.DecimalInt(300000)) ||
				!v.Ranking.Budget.Available.Equal(tradeplan.DecimalInt(1700000)) {
				t.Fatalf("budget parts: %+v (%q)", v.Ranking, v.Problem)
			}

			// A stale version is refused.
			put(admin, map[string]any{"version": 0, "currency": "USD", "receipts": 1}).wantError(http.StatusConflict, tradeplan.EConflict)
			// More than is available: refused without the override...
			e = put(admin, map[string]any{"version": 1, "currency": "USD", "receipts": 1000000, "budget": 50000000}).wantError(http.StatusConflict, tradeplan.EConflict)
			if !strings.Contains(e.Message, "override") {
				t.Errorf("refusal %q", e.Message)
			}
			// ... and the budget is the authority's own, not the applicant's
			// nor an office's it delegated its decisions to.
			put(h.token("province-admin"), map[string]any{"version": 1, "currency": "USD", "receipts": 1000000, "budget": 50000000, "override": "ours"}).
				wantError(http.StatusForbidden, tradeplan.EForbidden)
			admin.post("/api/v1/delegations", map[string]any{"office": h.orgs["province"].ID, "reason": "the province reviews for us"}).want(http.StatusCreated)
			put(h.token("province-admin"), map[string]any{"version": 1, "currency": "USD", "receipts": 90000000}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			put(h.token("province-admin"), map[string]any{"version": 1, "currency": "USD", "receipts": 1000000, "budget": 50000000, "override": "ours"}).
				wantError(http.StatusForbidden, tradeplan.EForbidden)
			reason := "donor pledge of 49 M USD confirmed by the finance ministry"
			put(admin, map[string]any{"version": 1, "currency": "USD", "receipts": 1000000, "budget": 50000000, "override": reason}).want(http.StatusOK).decode(&b)
			if b.Version != 2 || b.Override != reason {
				t.Fatalf("override budget %+v", b)
			}
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			if v.Ranking == nil || v.Ranking.Budget.Override != reason || !v.Ranking.Budget.Total.Equal(tradeplan.DecimalInt(50000000)) {
				t.Fatalf("override not applied: %+v (%q)", v.Ranking, v.Problem)
			}
			var found bool
			for _, a := range auditOf(t, h, fmt.Sprintf("call:%d", callID)) {
				if a.Action == "call.budget.override" && strings.Contains(string(a.After), reason) && strings.Contains(string(a.Before), `"version":1`) {
					found = true
				}
			}
			if !found {
				t.Error("the override is not in the audit log with the version before it")
			}

			// Two edits of version 2 at once: exactly one lands.
			for round := 0; round < 3; round++ {
				base := 2 + round
				var wg sync.WaitGroup
				status := make([]int, 2)
				for i := range status {
					wg.Add(1)
					go func() {
						defer wg.Done()
						r := put(h.token("authority-admin"), map[string]any{"version": base, "currency": "USD", "receipts": 1000 * (i + 1)})
						status[i] = r.status
						if r.status != http.StatusOK {
							r.wantError(http.StatusConflict, tradeplan.EConflict)
						}
					}()
				}
				wg.Wait()
				ok := 0
				for _, s := range status {
					if s == http.StatusOK {
						ok++
					}
				}
				if ok != 1 {
					t.Fatalf("round %d: %v: want one edit to land and one to be refused", round, status)
				}
				admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
				if v.Budget.Version != base+1 {
					t.Fatalf("round %d: version %d, want %d", round, v.Budget.Version, base+1)
				}
			}
			// Currency arriving week by week: goods enter only as it does.
			put(admin, map[string]any{"version": 5, "currency": "USD", "receipts": 6000000, "currency_per_week": 0}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			put(admin, map[string]any{"version": 5, "currency": "USD", "receipts": 6000000, "currency_per_week": 20000}).want(http.StatusOK).decode(&b)
			v = licensing.ImportsView{}
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			if b.CurrencyPerWeek == nil || v.Ranking == nil || v.Ranking.Schedule == nil {
				t.Fatalf("currency per week: %+v (%q)", b, v.Problem)
			}
			waits := 0
			for _, w := range v.Ranking.Schedule.Waiting {
				if strings.Contains(w.Reason, "20000 USD a week") {
					waits++
				}
			}
			if waits == 0 {
				t.Errorf("nothing waits for the currency at 20000 USD a week: %+v", v.Ranking.Schedule.Waiting)
			}
			admin.do(http.MethodPut, "/api/v1/calls/99999/budget", map[string]any{"version": 0, "currency": "USD"}, "").wantError(http.StatusNotFound, tradeplan.ENotFound)
			h.token("importer-admin").do(http.MethodPut, path, map[string]any{"version": 5, "currency": "USD"}, "").wantError(http.StatusForbidden, tradeplan.EForbidden)
		})
	}
}

// TestTierUpgrades: a necessity claimed above the goods' tier counts only
// after a reviewer of the authority upgrades the line, with a reason,
// audited; the applicant's tree never upgrades its own lines, whatever the
// role; another organisation's reviewer does not see the plan.
func TestTierUpgrades(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			h.addUser("importer-reviewer", "importer", tradeplan.RoleReviewer)
			callID, planID, equipID := importsCall(t, h)
			reviewer := h.token("authority-reviewer")
			nets := fmt.Sprintf("/api/v1/plans/%d/lines/18/upgrade", planID) // fishing nets, T4, claimed essential
			body := map[string]any{"tier": 2, "reason": "nets for the coastal fishing that feeds the province"}

			// The applicant, in any role, and another tree's reviewer.
			h.token("province-submitter").post(nets, body).wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("province-reviewer").post(nets, body).wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("province-compliance").post(nets, body).wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("province-admin").post(nets, body).wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("importer-reviewer").post(nets, body).wantError(http.StatusNotFound, tradeplan.ENotFound)
			// Bad upgrades.
			reviewer.post(nets, map[string]any{"tier": 2, "reason": " "}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			reviewer.post(nets, map[string]any{"tier": 4, "reason": "same tier"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			reviewer.post(nets, map[string]any{"tier": 0, "reason": "no tier"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/upgrade", planID), body).wantError(http.StatusBadRequest, tradeplan.EInvalid) // an export
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/99/upgrade", planID), body).wantError(http.StatusNotFound, tradeplan.ENotFound)

			var v licensing.ImportsView
			admin := h.token("authority-admin")
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			if l := rankedLine(t, v.Ranking, planID, 18); l.Tier != 4 || l.TierSource != imports.SourceDefault || l.Claim == "" {
				t.Fatalf("nets before the upgrade: T%d %s claim %q", l.Tier, l.TierSource, l.Claim)
			}
			var u licensing.TierUpgrade
			reviewer.post(nets, body).want(http.StatusOK).decode(&u)
			if u.Tier != 2 || u.From != 4 || u.By == "" {
				t.Fatalf("upgrade %+v", u)
			}
			v = licensing.ImportsView{}
			admin.get(fmt.Sprintf("/api/v1/calls/%d/imports", callID)).want(http.StatusOK).decode(&v)
			l := rankedLine(t, v.Ranking, planID, 18)
			if l.Tier != 2 || l.TierSource != imports.SourceUpgraded || !strings.Contains(l.Reason, body["reason"].(string)) {
				t.Fatalf("nets after the upgrade: T%d %s %q", l.Tier, l.TierSource, l.Reason)
			}
			// Cigarettes claimed critical: a reviewer may lift them only
			// with a reason, and no one else at all.
			if l := rankedLine(t, v.Ranking, equipID, 2); l.Tier != 5 {
				t.Fatalf("cigarettes T%d", l.Tier)
			}
			es := auditOf(t, h, fmt.Sprintf("plan:%d:line:18", planID))
			if len(es) != 1 || es[0].Action != "line.upgrade" || es[0].Before != nil || !strings.Contains(string(es[0].After), "coastal fishing") {
				t.Fatalf("upgrade audit %+v", es)
			}
			// Upgrading again records the upgrade it replaces.
			reviewer.post(nets, map[string]any{"tier": 3, "reason": "on reflection, maintenance"}).want(http.StatusOK)
			es = auditOf(t, h, fmt.Sprintf("plan:%d:line:18", planID))
			if len(es) != 2 || !strings.Contains(string(es[1].Before), "coastal fishing") {
				t.Fatalf("second upgrade audit %+v", es)
			}
		})
	}
}

// TestImportsPages: the crossings page sets a capacity; the call page shows
// the ranking, the budget by tier and the weekly load per crossing to the
// authority, takes its budget form and a reviewer's upgrade, and shows
// none of it to the applicant.
func TestImportsPages(t *testing.T) {
	h := newHarness(t, "sqlite", withClassifier(t))
	h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
	callID, planID, _ := importsCall(t, h)
	adm := h.browser()
	adm.login("authority-admin")

	cp := adm.get("/crossings").want(http.StatusOK).contains("Set the weekly capacity", "1\u202f200 t a week", "80 trucks of 20 t")
	checkHTML(t, cp)
	adm.post("/crossings/rason-quanhe/capacity", url.Values{"tonnes_per_week": {"700"}, "containers_per_week": {"30"}, "containers_tonnes_each": {"24"},
		csrfField: {cp.csrf()}}).redirectsTo("/crossings")
	adm.get("/crossings").want(http.StatusOK).contains("700 t a week", "30 containers of 24 t")
	adm.post("/crossings/rason-quanhe/capacity", url.Values{"tonnes_per_week": {"1,5"}, csrfField: {cp.csrf()}}).want(http.StatusBadRequest).contains("tonnes_per_week")

	call := fmt.Sprintf("/calls/%d", callID)
	pg := adm.get(call).want(http.StatusOK).contains("Necessary imports first", "The budget by tier", "Weekly load per crossing", "Save the budget",
		"no budget set for this call")
	checkHTML(t, pg)
	adm.post(call+"/budget", url.Values{"version": {"0"}, "currency": {"USD"}, "receipts": {"6000000"}, "rates": {"CNY=0.14"}, csrfField: {pg.csrf()}}).redirectsTo(call)
	pg = adm.get(call).want(http.StatusOK).contains("Version 1", "6\u202f000\u202f000", "CNY=0.14", "UNSCR 2397 (2017) OP7", "hoeryong-sanhe", "closed")
	// Issue 15's charts, drawn on the server with their figures beside them.
	pg.contains(`aria-labelledby="imports-tiers-t imports-tiers-d"`, "The budget by tier: funded of the need",
		`aria-labelledby="imports-load-0-t imports-load-0-d"`, "Weekly load at ", "carried (t)", "capacity (t)")
	// The same form again, now stale: refused, nothing changed.
	adm.post(call+"/budget", url.Values{"version": {"0"}, "currency": {"USD"}, "receipts": {"1"}, csrfField: {pg.csrf()}}).want(http.StatusConflict)
	adm.post(call+"/budget", url.Values{"version": {"1"}, "currency": {"USD"}, "receipts": {"1000"}, "budget": {"90000000"}, csrfField: {pg.csrf()}}).
		want(http.StatusConflict).contains("override")

	rev := h.browser()
	rev.login("authority-reviewer")
	rp := rev.get(call).want(http.StatusOK).contains("Upgrade the line").lacks("Save the budget")
	rev.post(fmt.Sprintf("/plans/%d/lines/18/upgrade", planID), url.Values{"tier": {"2"}, "reason": {"nets feed the province"}, "call": {fmt.Sprint(callID)},
		csrfField: {rp.csrf()}}).redirectsTo(call)
	rev.get(call).want(http.StatusOK).contains("upgraded from T4", "nets feed the province")

	sub := h.browser()
	sub.login("province-submitter")
	sp := sub.get(call).want(http.StatusOK).lacks("Necessary imports first", "Save the budget")
	sub.post(fmt.Sprintf("/plans/%d/lines/18/upgrade", planID), url.Values{"tier": {"1"}, "reason": {"ours"}, csrfField: {sp.csrf()}}).want(http.StatusForbidden)
	sub.post(call+"/budget", url.Values{"version": {"1"}, "currency": {"USD"}, csrfField: {sp.csrf()}}).want(http.StatusForbidden)
}
