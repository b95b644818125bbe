package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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

// TestAttackVerifyFieldOracle: anyone may ask whether a printout is
// genuine, but a forger who knows only a permit's number must not learn
// its holder, goods, partner or quantity by posting documents of guessed
// fields and reading which the answer names as changed. Changed fields
// are named only to whoever presents the permit's own signature (a
// printout of the real permit, altered); a document with another
// signature is told apart as not genuine, and nothing more.
func TestAttackVerifyFieldOracle(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		pm, province, _ := piecesPermit(t, h)
		signed := province.get(fmt.Sprintf("/api/v1/permits/%d/signed", pm.ID)).want(http.StatusOK)
		anon := h.anon()
		verify := func(doc string) licensing.Verification {
			return verification(anon.do(http.MethodPost, "/api/v1/verify", doc, "text/plain").want(http.StatusOK))
		}
		// The real printout, one field altered: the field is named.
		if got := verify(strings.Replace(string(signed.body), "quantity: 1000\n", "quantity: 9000\n", 1)); got.Genuine || strings.Join(got.Tampered, ",") != "quantity" {
			t.Fatalf("the real printout with its quantity altered: %+v", got)
		}
		// A forgery: the real fields but for a guessed holder name, under a
		// signature of the forger's own.
		body := string(signed.body)
		i := strings.Index(body, "signature: ")
		if i < 0 {
			t.Fatalf("no signature line: %s", body)
		}
		forge := func(field, value string) licensing.Verification {
			lines := strings.Split(body[:i], "\n")
			for j, l := range lines {
				if strings.HasPrefix(l, field+": ") {
					lines[j] = field + ": " + value
				}
			}
			return verify(strings.Join(lines, "\n") + "signature: " + strings.Repeat("A", 86) + "\n")
		}
		right, wrong := forge("holder-name", h.orgs["province"].Name), forge("holder-name", "Some Other Bureau")
		if right.Genuine || wrong.Genuine {
			t.Fatalf("a forged signature verified: %+v %+v", right, wrong)
		}
		if len(right.Tampered) > 0 || len(wrong.Tampered) > 0 || right.Reason != wrong.Reason || right.Outcome != wrong.Outcome {
			t.Errorf("a forgery learns which guessed fields are the permit's: right guess %+v; wrong guess %+v", right, wrong)
		}
	})
}

// TestAttackCrossingOfAnotherJurisdiction: an administrator of another
// authority may not open, close or set the capacity of a crossing that
// permits of the first authority name: reopening a crossing the first
// authority closed would make its permits usable again on another
// jurisdiction's word. The authority governing every permit at the
// crossing may.
func TestAttackCrossingOfAnotherJurisdiction(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		pm, _, admin := piecesPermit(t, h)
		otherAuthority(t, h)
		other := h.token("other-admin")
		admin.post("/api/v1/crossings/namyang-tumen/close", map[string]any{"reason": "sanctions review"}).want(http.StatusOK)
		other.post("/api/v1/crossings/namyang-tumen/open", map[string]any{"reason": "trade resumes"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
		other.do(http.MethodPut, "/api/v1/crossings/namyang-tumen/capacity", map[string]any{"tonnes_per_week": 1}, "").wantError(http.StatusForbidden, tradeplan.EForbidden)
		var pv licensing.PermitView
		h.token("province-submitter").get(fmt.Sprintf("/api/v1/permits/%d", pm.ID)).want(http.StatusOK).decode(&pv)
		if pv.BorderOpen {
			t.Fatal("another jurisdiction reopened the crossing of the authority's permit")
		}
		// The web form says the same.
		b := h.browser()
		b.login("other-admin")
		csrf := b.get("/crossings").want(http.StatusOK).csrf()
		conf := b.post("/crossings/namyang-tumen/open", url.Values{"reason": {"trade resumes"}, csrfField: {csrf}}).want(http.StatusOK)
		tok, n := conf.confirmation()
		b.post("/crossings/namyang-tumen/open", url.Values{"reason": {"trade resumes"}, "count": {n}, "confirm_token": {tok}, csrfField: {csrf}}).want(http.StatusForbidden)
		// Its own authority reopens it.
		admin.post("/api/v1/crossings/namyang-tumen/open", map[string]any{"reason": "review done"}).want(http.StatusOK)
	})
}
