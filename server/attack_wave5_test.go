package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// TestAttackOutsideWindowCountsOnce: a holder moves the permit's whole
// quantity the day before its window opens, then the whole quantity again
// inside it. The first crossing is flagged outside-validity and still
// counts (the goods crossed on this permit's word), so the second is
// over the balance: a permit covers its quantity once (docs/enforcement.md).
func TestAttackOutsideWindowCountsOnce(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		pm, _, _ := piecesPermit(t, h)
		h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
		compliance := h.token("authority-compliance")
		prov := h.orgs["province"].ID
		head := "declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"
		row := func(num, date string, qty int) string {
			return fmt.Sprintf("%s,%d,%s,%s,CN,KP,691110,porcelain tableware,%d,pcs,%d,USD,Namyang-Tumen\n", num, prov, pm.Number, date, qty, qty*50)
		}
		before := pm.ValidFrom.AddDate(0, 0, -1).Format(time.DateOnly)
		inside := pm.ValidFrom.AddDate(0, 0, 3).Format(time.DateOnly)
		flags := func(batch, csv string) map[string][]string {
			var res licensing.IntakeResult
			compliance.do(http.MethodPost, "/api/v1/declarations?batch="+batch, head+csv, "text/csv").want(http.StatusCreated).decode(&res)
			var ds []licensing.Declaration
			compliance.get("/api/v1/declarations?batch=" + res.Batch).want(http.StatusOK).decode(&ds)
			out := map[string][]string{}
			for _, d := range ds {
				for _, f := range d.Flags {
					out[d.Number] = append(out[d.Number], f.Rule)
				}
			}
			return out
		}
		has := func(fl map[string][]string, num, rule string) bool {
			for _, r := range fl[num] {
				if r == rule {
					return true
				}
			}
			return false
		}
		if fl := flags("early", row("EARLY-1", before, 1000)); !has(fl, "EARLY-1", licensing.FlagOutsideValidity) {
			t.Fatalf("a crossing the day before the window: flags %v", fl)
		}
		if fl := flags("again", row("AGAIN-1", inside, 1000)); !has(fl, "AGAIN-1", licensing.FlagOverBalance) {
			t.Fatalf("the whole quantity again inside the window is not over the balance: flags %v", fl)
		}
	})
}

// otherAuthority adds a second jurisdiction: an authority "other" with an
// administrator and a reviewer, and an agency below it with a submitter.
func otherAuthority(t *testing.T, h *harness) {
	t.Helper()
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
	o, err := h.db.CreateOrg(ctx, tradeplan.Organisation{Name: "Rason Trade Authority", Kind: tradeplan.OrgAuthority, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	h.orgs["other"] = o
	a, err := h.db.CreateOrg(ctx, tradeplan.Organisation{ParentID: o.ID, Name: "Rason Seafood Agency", Kind: tradeplan.OrgAgency, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	h.orgs["other-agency"] = a
	h.addUser("other-admin", "other", tradeplan.RoleAdmin)
	h.addUser("other-reviewer", "other", tradeplan.RoleReviewer)
	h.addUser("other-submitter", "other-agency", tradeplan.RoleSubmitter)
}

// planAtCrossing has org's submitter send a plan of n porcelain lines
// through Namyang-Tumen under a call its authority's admin opens.
func planAtCrossing(t *testing.T, h *harness, admin, submitter, org string, n int) licensing.PlanDetail {
	t.Helper()
	call := h.openCall(h.token(admin), map[string]any{"organisations": []int64{h.orgs[org].ID}})
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("  - {direction: import, description: porcelain tableware lot %d, hs: \"6911.10\", quantity: 100, unit: pcs, value: 5000, currency: USD, crossing: Namyang-Tumen, partner: {name: Jingdezhen Demo Porcelain, country: CN}}\n", i+1))
	}
	var pd licensing.PlanDetail
	h.token(submitter).do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), planDoc("p-"+org, h.orgs[org].Name, lines...),
		"application/yaml").want(http.StatusCreated).decode(&pd)
	return pd
}

// TestAttackCrossingConfirmEveryPermit: closing a crossing stops every
// issued permit naming it, whoever holds it, so the confirmation counts
// every one, not only those of the administrator's jurisdiction, and
// the change is made only if that is still what it affects when it is
// made: a permit issued at the crossing by another authority after the
// confirmation was shown makes the administrator confirm again.
func TestAttackCrossingConfirmEveryPermit(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		otherAuthority(t, h)
		h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
		h.token("authority-admin").post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "status": "open"}).want(http.StatusCreated)
		mine := planAtCrossing(t, h, "authority-admin", "province-submitter", "province", 1)
		theirs := planAtCrossing(t, h, "other-admin", "other-submitter", "other-agency", 2)
		approve := func(reviewer string, plan int64, line int) {
			h.token(reviewer).post(fmt.Sprintf("/api/v1/plans/%d/lines/%d/approve", plan, line), map[string]any{"reason": "tableware"}).want(http.StatusOK)
		}
		approve("authority-reviewer", mine.Plan.ID, 1)
		approve("other-reviewer", theirs.Plan.ID, 1)

		const path = "/crossings/namyang-tumen/close"
		adm := h.browser()
		adm.login("authority-admin")
		csrf := adm.get("/crossings").want(http.StatusOK).csrf()
		conf := adm.post(path, url.Values{"reason": {"flooding"}, csrfField: {csrf}}).want(http.StatusOK)
		tok, n := conf.confirmation()
		if n != "2" {
			t.Fatalf("the confirmation counts %s permits; closing stops 2 (one of another jurisdiction)", n)
		}
		conf.contains("1 of them held outside your jurisdiction")
		// Another authority issues one more at the crossing meanwhile.
		approve("other-reviewer", theirs.Plan.ID, 2)
		adm.post(path, url.Values{"reason": {"flooding"}, "count": {n}, "confirm_token": {tok}, csrfField: {csrf}}).want(http.StatusConflict).contains("Confirm again")
		c, err := h.srv.Licensing().Crossing(context.Background(), tradeplan.SystemActor("test"), "namyang-tumen")
		if err != nil {
			t.Fatal(err)
		}
		if c.Crossing.Status != tradeplan.CrossingOpen {
			t.Fatal("the crossing was closed on a confirmation that counted fewer permits than it stops")
		}
	})
}
