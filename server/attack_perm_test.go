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
	"github.com/tradeplan/tradeplan/store/storetest"
)

// Attacks on who may do what (issue 12 item 7, issue 24 items 4 to 6), each
// through the API on every engine. Each failed before the permission table
// (licensing/permissions.go) and the checks beside it.

// riceLine is a clear import of the province.
const riceLine = `  - {direction: import, description: milled rice, hs: "1006.30", quantity: 100, unit: t, value: 52000, currency: USD, crossing: Namyang-Tumen, partner: {name: Yanbian Demo Grain, country: CN}}
`

func planDoc(id, org string, lines ...string) string {
	return "plan:\n  id: " + id + "\n  organisation: " + org + "\n  country: KP\n  period: 2027-H2\nlines:\n" + strings.Join(lines, "")
}

// openCall opens a call for 2027-H2 as the authority's administrator.
func (h *harness) openCall(admin *client, body map[string]any) licensing.CallView {
	h.t.Helper()
	req := map[string]any{"period": "2027-H2", "deadline": "2027-04-30"}
	for k, v := range body {
		req[k] = v
	}
	var call licensing.CallView
	admin.post("/api/v1/calls", req).want(http.StatusCreated).decode(&call)
	return call
}

// TestAttackBranchReviewsItself: a company's administrator creates a
// branch, a reviewer of its own and a submitter in the branch; the branch
// submits, and the company's reviewer approves. Only the authority decides.
func TestAttackBranchReviewsItself(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			admin := h.token("authority-admin")
			importerAdmin := h.token("importer-admin")
			call := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["importer"].ID}, "include_offices": true})

			var branch tradeplan.Organisation
			importerAdmin.post("/api/v1/orgs", map[string]any{"parent_id": h.orgs["importer"].ID, "name": "Hunchun branch", "kind": "company", "country": "CN"}).
				want(http.StatusCreated).decode(&branch)
			for _, u := range []struct {
				key  string
				org  int64
				role tradeplan.Role
			}{{"importer-reviewer", h.orgs["importer"].ID, tradeplan.RoleReviewer}, {"importer-compliance", h.orgs["importer"].ID, tradeplan.RoleCompliance},
				{"branch-submitter", branch.ID, tradeplan.RoleSubmitter}, {"branch-reviewer", branch.ID, tradeplan.RoleReviewer}} {
				importerAdmin.post("/api/v1/users", map[string]any{"org_id": u.org, "email": u.key + "@example.org", "name": u.key, "role": u.role, "password": h.password}).
					want(http.StatusCreated)
			}
			var pd licensing.PlanDetail
			doc := "plan:\n  id: branch\n  organisation: Hunchun branch\n  country: CN\n  period: 2027-H2\nlines:\n" +
				"  - {direction: import, description: milled rice, hs: \"1006.30\", quantity: 100, unit: t, value: 52000, currency: USD, origin: KP, destination: CN}\n"
			h.session("branch-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), doc, "application/yaml").
				want(http.StatusCreated).decode(&pd)
			p := fmt.Sprintf("/api/v1/plans/%d", pd.Plan.ID)
			for _, key := range []string{"importer-reviewer", "importer-compliance", "branch-reviewer"} {
				c := h.session(key)
				e := c.post(p+"/lines/1/approve", map[string]any{"reason": "our own rice"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
				if !strings.Contains(e.Message, "authority") {
					t.Errorf("%s: %s", key, e.Message)
				}
				c.post(p+"/approve-clear", map[string]any{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
				c.post(p+"/lines/1/assess", map[string]string{"hs": "1006.30", "reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			}
			// The authority that issued the call decides, though the company
			// is not in its tree.
			var ar approveResponse
			h.token("authority-reviewer").post(p+"/lines/1/approve", map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&ar)
			if ar.Permit.Holder != branch.ID {
				t.Fatalf("permit %+v", ar.Permit)
			}
		})
	}
}

// TestAttackImporterCrossings: the administrator of a Chinese importer (and
// of a permit holder) adds, opens and closes national crossings.
func TestAttackImporterCrossings(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			admin := h.token("authority-admin")
			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			for _, key := range []string{"importer-admin", "province-admin"} {
				c := h.token(key)
				e := c.post("/api/v1/crossings", map[string]any{"id": "hunchun-open", "name": "Our own open crossing", "status": "open"}).
					wantError(http.StatusForbidden, tradeplan.EForbidden)
				if !strings.Contains(e.Message, "authority") {
					t.Errorf("%s: %s", key, e.Message)
				}
				c.post("/api/v1/crossings/namyang-tumen/open", map[string]string{"reason": "we need it"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
				c.post("/api/v1/crossings/namyang-tumen/close", map[string]string{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			}
			var hist licensing.CrossingHistory
			admin.get("/api/v1/crossings/namyang-tumen").want(http.StatusOK).decode(&hist)
			if hist.Crossing.Status != tradeplan.CrossingClosed || len(hist.Events) != 1 {
				t.Fatalf("crossing changed: %+v", hist)
			}
			admin.get("/api/v1/crossings/hunchun-open").wantError(http.StatusNotFound, tradeplan.ENotFound)
			// The web form is neither offered nor taken.
			b := h.browser()
			b.login("importer-admin")
			page := b.get("/crossings").want(http.StatusOK).lacks("Open the crossing")
			b.post("/crossings/namyang-tumen/open", url.Values{csrfField: {page.csrf()}, "reason": {"we need it"}}).want(http.StatusForbidden)
			admin.post("/api/v1/crossings/namyang-tumen/open", map[string]string{"reason": "customs resumed"}).want(http.StatusOK)
		})
	}
}

// TestAttackHolderReinstates: the authority's compliance officer suspends a
// permit; the holder's administrator and compliance officer reinstate it.
// A delegation lets an office of the authority decide, never about its own
// tree, and ends when revoked.
func TestAttackHolderReinstates(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			admin := h.token("authority-admin")
			compliance := h.token("authority-compliance")
			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			call := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["province"].ID}})
			var pd licensing.PlanDetail
			h.token("province-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID),
				planDoc("p", "province", riceLine, riceLine), "application/yaml").want(http.StatusCreated).decode(&pd)
			var bulk licensing.BulkResult
			h.token("authority-reviewer").post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", pd.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&bulk)
			if len(bulk.Permits) != 2 {
				t.Fatalf("permits %+v", bulk.Permits)
			}
			pm := fmt.Sprintf("/api/v1/permits/%d", bulk.Permits[0].ID)
			compliance.post(pm+"/suspend", map[string]string{"reason": "end-user inquiry"}).want(http.StatusOK)
			for _, key := range []string{"province-admin", "province-compliance"} {
				c := h.token(key)
				e := c.post(pm+"/reinstate", map[string]string{"reason": "inquiry closed, says us"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
				if !strings.Contains(e.Message, "authority") {
					t.Errorf("%s: %s", key, e.Message)
				}
				c.post(pm+"/revoke", map[string]string{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
				c.post(fmt.Sprintf("/api/v1/permits/%d/suspend", bulk.Permits[1].ID), map[string]string{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			}
			// The web page offers the holder no reinstatement, and the form is refused.
			b := h.browser()
			b.login("province-admin")
			page := b.get("/permits").want(http.StatusOK).lacks("Reinstate")
			b.post(fmt.Sprintf("/permits/%d/reinstate", bulk.Permits[0].ID), url.Values{csrfField: {page.csrf()}, "reason": {"says us"}}).want(http.StatusForbidden)
			var pv licensing.PermitView
			compliance.get(pm).want(http.StatusOK).decode(&pv)
			if pv.Status != tradeplan.PermitSuspended {
				t.Fatalf("permit %s after the holder's attempts", pv.Status)
			}

			// A customs office of the authority decides once delegated to.
			var office tradeplan.Organisation
			admin.post("/api/v1/orgs", map[string]any{"parent_id": h.orgs["authority"].ID, "name": "Customs office", "kind": "site", "country": "KP"}).
				want(http.StatusCreated).decode(&office)
			admin.post("/api/v1/users", map[string]any{"org_id": office.ID, "email": "customs-compliance@example.org", "name": "customs", "role": "compliance", "password": h.password}).
				want(http.StatusCreated)
			customs := h.session("customs-compliance")
			customs.post(pm+"/reinstate", map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound) // not its tree, not delegated
			h.token("province-admin").post("/api/v1/delegations", map[string]any{"office": office.ID, "reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			admin.post("/api/v1/delegations", map[string]any{"office": office.ID, "reason": ""}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			var d licensing.Delegation
			admin.post("/api/v1/delegations", map[string]any{"office": office.ID, "reason": "border compliance at Namyang"}).want(http.StatusCreated).decode(&d)
			customs.post(pm+"/reinstate", map[string]string{"reason": "inquiry closed"}).want(http.StatusOK)
			// Delegated to the holder itself, it still decides nothing about its own permits.
			admin.post("/api/v1/delegations", map[string]any{"office": h.orgs["province"].ID, "reason": "provincial compliance"}).want(http.StatusCreated)
			h.token("province-compliance").post(pm+"/suspend", map[string]string{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			var ds []licensing.Delegation
			admin.get("/api/v1/delegations").want(http.StatusOK).decode(&ds)
			if len(ds) != 2 {
				t.Fatalf("delegations %+v", ds)
			}
			admin.post(fmt.Sprintf("/api/v1/delegations/%d/revoke", d.ID), map[string]string{"reason": "office closed"}).want(http.StatusOK)
			customs.post(pm+"/suspend", map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)
			var audit struct {
				Entries []tradeplan.AuditEntry `json:"entries"`
			}
			admin.get(fmt.Sprintf("/api/v1/audit?subject=delegation:%d", d.ID)).want(http.StatusOK).decode(&audit)
			if len(audit.Entries) != 2 || audit.Entries[0].Action != "delegation.grant" || audit.Entries[1].Action != "delegation.revoke" {
				t.Fatalf("audit of the delegation: %+v", audit.Entries)
			}
		})
	}
}

// TestAttackPublicScreenDecisions: the anonymous screening endpoint applied a
// stored match decision and showed its officer, date and reason.
func TestAttackPublicScreenDecisions(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withPartyReview(t))
			ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
			err := h.db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
				// A general decision whose facts cover the match (kind, country, score).
				return tx.PutMatchDecision(ctx, tradeplan.MatchDecision{Query: "tanchon demo trading", List: "un", EntryID: "KPe.TEST", EntryVersion: "v1",
					Kind: tradeplan.KindParty, Country: "CN", Score: 0.8, Strength: "possible", Decision: tradeplan.DecisionFalsePositive, Reason: "secret reason of another organisation", By: "user:3 compliance@authority", At: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)})
			})
			if err != nil {
				t.Fatal(err)
			}
			doc := planDoc("probe", "anyone", `  - {direction: import, description: urea fertiliser, hs: "3102.10", quantity: 400, unit: t, value: 140000, currency: USD, partner: {name: Tanchon Demo Trading, country: CN}}
`)
			r := h.anon().do(http.MethodPost, "/api/v1/screen", doc, "application/yaml").want(http.StatusOK)
			body := string(r.body)
			for _, leak := range []string{"secret reason", "compliance@authority", "false-positive", "2027-02-01"} {
				if strings.Contains(body, leak) {
					t.Errorf("public screening shows %q: %s", leak, body)
				}
			}
			var rep struct {
				Plans []tradeplan.PlanReport `json:"plans"`
			}
			r.decode(&rep)
			if len(rep.Plans) != 1 || rep.Plans[0].Lines[0].Verdict != tradeplan.Review {
				t.Fatalf("public screening applied the decision: %s", body)
			}
			// The landing page is public too.
			h.browser().post("/screen", url.Values{"document": {doc}, "format": {"yaml"}}).want(http.StatusOK).lacks("secret reason", "compliance@authority")
		})
	}
}

// TestAttackCallNotNamed: an organisation the call does not name submits
// to it; offices under a named organisation only where the call says so.
func TestAttackCallNotNamed(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
			admin := h.token("authority-admin")
			only := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["province"].ID}})
			doc := planDoc("x", "x", riceLine)
			// Another tree does not learn that the call exists.
			h.token("importer-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", only.ID), doc, "application/yaml").wantError(http.StatusNotFound, tradeplan.ENotFound)
			for _, key := range []string{"agency-submitter"} {
				c := h.token(key)
				e := c.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", only.ID), doc, "application/yaml").wantError(http.StatusForbidden, tradeplan.EForbidden)
				if !strings.Contains(e.Message, fmt.Sprintf("call %d is addressed to", only.ID)) {
					t.Errorf("%s: %s", key, e.Message)
				}
				c.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", only.ID), nil, "").wantError(http.StatusForbidden, tradeplan.EForbidden)
			}
			// An administrator above the agency cannot file for it either.
			h.token("province-admin").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?org=%d", only.ID, h.orgs["agency"].ID), doc, "application/yaml").
				wantError(http.StatusForbidden, tradeplan.EForbidden)
			var plans []tradeplan.PlanRecord
			admin.get(fmt.Sprintf("/api/v1/plans?call=%d", only.ID)).want(http.StatusOK).decode(&plans)
			if len(plans) != 0 {
				t.Fatalf("plans stored: %+v", plans)
			}
			h.token("province-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", only.ID), doc, "application/yaml").want(http.StatusCreated)

			offices := h.openCall(admin, map[string]any{"period": "2027-Q3", "organisations": []int64{h.orgs["province"].ID}, "include_offices": true})
			if !offices.IncludeOffices {
				t.Fatalf("call %+v", offices)
			}
			h.token("agency-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", offices.ID), doc, "application/yaml").want(http.StatusCreated)
			h.token("importer-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", offices.ID), nil, "").wantError(http.StatusNotFound, tradeplan.ENotFound)
		})
	}
}

// TestAttackUseAboveUnitValue: a permit for porcelain tableware judged at
// US$50 a piece accepted a use of one piece worth US$50,000.
func TestAttackUseAboveUnitValue(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			admin := h.token("authority-admin")
			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "status": "open"}).want(http.StatusCreated)
			call := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["province"].ID}})
			var pd licensing.PlanDetail
			province := h.token("province-submitter")
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), planDoc("p", "province",
				`  - {direction: import, description: porcelain tableware, hs: "6911.10", quantity: 1000, unit: pcs, value: 50000, currency: USD, crossing: Namyang-Tumen, partner: {name: Jingdezhen Demo Porcelain, country: CN}}
`), "application/yaml").want(http.StatusCreated).decode(&pd)
			if pd.Lines[0].Verdict == nil || *pd.Lines[0].Verdict != tradeplan.Clear {
				t.Fatalf("porcelain at US$50 a piece screened %v", pd.Lines[0].Verdict)
			}
			var ar approveResponse
			h.token("authority-reviewer").post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"reason": "tableware"}).want(http.StatusOK).decode(&ar)
			h.clock.advance(140 * 24 * time.Hour) // into the period
			use := fmt.Sprintf("/api/v1/permits/%d/use", ar.Permit.ID)
			e := province.post(use, map[string]any{"quantity": 1, "value": 50000, "reference": "one vase"}).wantError(http.StatusConflict, tradeplan.EConflict)
			if !strings.Contains(e.Message, "per pcs") {
				t.Errorf("unit value refusal: %s", e.Message)
			}
			province.post(use, map[string]any{"quantity": 10, "value": 480, "reference": "ten plates"}).want(http.StatusOK)
			var pv licensing.PermitView
			province.get(fmt.Sprintf("/api/v1/permits/%d", ar.Permit.ID)).want(http.StatusOK).decode(&pv)
			if pv.QuantityUsed.Cmp(tradeplan.D(10)) != 0 || pv.ValueUsed.Cmp(tradeplan.D(480)) != 0 || len(pv.Uses) != 1 {
				t.Fatalf("permit after uses %+v", pv)
			}
		})
	}
}
