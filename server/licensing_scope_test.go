package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// possibleMatches reports any partner named "... Tanchon ..." as a possible
// match that needs a compliance officer.
type possibleMatches struct{}

func (possibleMatches) ScreenParty(p tradeplan.Party) []tradeplan.Finding {
	if !strings.Contains(strings.ToLower(p.Name), "tanchon") {
		return nil
	}
	return []tradeplan.Finding{{Kind: tradeplan.KindParty, Outcome: tradeplan.Review, Summary: "possible match with a designated entity", Match: &tradeplan.Match{List: "un", EntryID: "KPe.TEST", Name: "TANCHON TEST BANK", Query: strings.ToLower(p.Name), EntryVersion: "v1", Score: 0.8, Strength: "possible"}}}
}

func (possibleMatches) ScreenVessel(tradeplan.Vessel) []tradeplan.Finding { return nil }

func withPartyReview(t *testing.T) harnessOption {
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) {
		c.Screener = screen.New(screen.Config{Goods: eng, NewLedger: rules.NewLedger, Parties: possibleMatches{}, Decisions: c.Store})
	}
}

const scopePlan = `plan:
  id: province-2027
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - {direction: import, description: milled rice, hs: "1006.30", quantity: 500, unit: t, value: 260000, currency: USD, crossing: Namyang-Tumen, partner: {name: Yanbian Demo Grain, country: CN}}
  - {direction: import, description: urea fertiliser, hs: "3102.10", quantity: 400, unit: t, value: 140000, currency: USD, crossing: Namyang-Tumen, partner: {name: Tanchon Demo Trading, country: CN}}
  - {direction: export, description: dried clams, hs: "1101.00", quantity: 25, unit: t, value: 150000, currency: USD, crossing: Namyang-Tumen, destination: CN}
`

// TestLicensingScopeAndReview drives the rest of the workflow's endpoints:
// nobody of another organisation reads or changes a plan or a permit; a
// possible party match waits for compliance; an assessed code screens a
// line again; an amendment is a new version with its difference; drafts are
// edited line by line.
func TestLicensingScopeAndReview(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withPartyReview(t))
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
			admin := h.token("authority-admin")
			reviewer := h.token("authority-reviewer")
			compliance := h.token("authority-compliance")
			provCompliance := h.token("province-compliance")
			province := h.session("province-submitter")
			agency := h.token("agency-submitter")
			importer := h.token("importer-submitter")
			importerAdmin := h.token("importer-admin")

			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-04-30", "organisations": []int64{h.orgs["province"].ID}, "include_offices": true}).want(http.StatusCreated).decode(&call)
			var pd licensing.PlanDetail
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), scopePlan, "application/yaml").want(http.StatusCreated).decode(&pd)
			id := pd.Plan.ID
			var ar approveResponse
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", id), map[string]any{"quantity": 400, "reason": "rice, reduced to the ration need"}).want(http.StatusOK).decode(&ar)
			if !ar.Decision.Reduced || ar.Permit.Quantity.Cmp(tradeplan.D(400)) != 0 || ar.Permit.Value.Cmp(tradeplan.D(260000)) != 0 {
				t.Fatalf("reduced approval %+v", ar)
			}

			// Another organisation: every plan and permit endpoint is 404.
			p, pm := fmt.Sprintf("/api/v1/plans/%d", id), fmt.Sprintf("/api/v1/permits/%d", ar.Permit.ID)
			reason := map[string]string{"reason": "x"}
			for _, c := range []*client{importer, importerAdmin} {
				for _, rq := range []struct {
					method, path string
					body         any
					ct           string
				}{
					{"GET", p, nil, ""}, {"GET", p + "/diff", nil, ""}, {"PUT", p, scopePlan, "application/yaml"},
					{"POST", p + "/lines", map[string]any{"direction": "import", "description": "x", "quantity": 1, "unit": "t"}, ""},
					{"DELETE", p + "/lines/1", nil, ""}, {"POST", p + "/submit", nil, ""},
					{"POST", p + "/amend?reason=x", scopePlan, "application/yaml"},
					{"POST", p + "/approve-clear", reason, ""}, {"POST", p + "/refuse-prohibited", reason, ""},
					{"POST", p + "/lines/2/approve", reason, ""}, {"POST", p + "/lines/2/refuse", reason, ""},
					{"POST", p + "/lines/2/assess", map[string]string{"hs": "310210", "reason": "x"}, ""},
					{"POST", p + "/lines/2/compliance", map[string]string{"finding": "party:un/KPe.TEST", "decision": "cleared", "reason": "x"}, ""},
					{"GET", pm, nil, ""}, {"POST", pm + "/suspend", reason, ""}, {"POST", pm + "/reinstate", reason, ""},
					{"POST", pm + "/revoke", reason, ""}, {"POST", pm + "/use", map[string]any{"quantity": 1}, ""},
				} {
					c.do(rq.method, rq.path, rq.body, rq.ct).wantError(http.StatusNotFound, tradeplan.ENotFound)
				}
			}
			var none []licensing.PermitView
			importerAdmin.get("/api/v1/permits").want(http.StatusOK).decode(&none)
			if len(none) != 0 {
				t.Fatalf("another organisation sees %d permits", len(none))
			}

			// The possible party match waits for a compliance officer.
			e := reviewer.post(p+"/lines/2/approve", map[string]any{"reason": "fertiliser"}).wantError(http.StatusConflict, tradeplan.EConflict)
			if !strings.Contains(e.Message, "compliance officer") {
				t.Fatalf("approval before compliance: %+v", e)
			}
			reviewer.post(p+"/lines/2/compliance", map[string]string{"finding": "party:un/KPe.TEST", "decision": "cleared", "reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			provCompliance.post(p+"/lines/2/compliance", map[string]string{"finding": "party:un/KPe.TEST", "decision": "cleared", "reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			compliance.post(p+"/lines/2/compliance", map[string]string{"finding": "party:un/KPe.NONE", "decision": "cleared", "reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)
			var cd tradeplan.ComplianceDecision
			compliance.post(p+"/lines/2/compliance", map[string]string{"finding": "party:un/KPe.TEST", "decision": "cleared",
				"reason": "a different company: registered in Hunchun, no link to the designated bank"}).want(http.StatusOK).decode(&cd)
			if cd.Match != tradeplan.DecisionFalsePositive {
				t.Fatalf("compliance decision %+v", cd)
			}
			if md, ok, err := h.db.MatchDecision(t.Context(), "tanchon demo trading", "un", "KPe.TEST"); err != nil || !ok || md.Decision != tradeplan.DecisionFalsePositive {
				t.Fatalf("match decision stored: %+v %v %v", md, ok, err)
			}
			reviewer.post(p+"/lines/2/approve", map[string]any{"reason": "fertiliser for spring planting"}).want(http.StatusOK)

			// The applicant declared flour for dried clams; the reviewer's code catches it.
			var lv licensing.LineView
			reviewer.post(p+"/lines/3/assess", map[string]string{"hs": "0307.79", "reason": "dried clams are molluscs of heading 0307"}).want(http.StatusOK).decode(&lv)
			if lv.ApplicantHS != "110100" || lv.AssessedHS != "030779" || lv.Verdict == nil || *lv.Verdict != tradeplan.Prohibited {
				t.Fatalf("assessed line %+v", lv)
			}
			reviewer.post(p+"/lines/3/approve", map[string]any{"reason": "x"}).wantError(http.StatusConflict, tradeplan.EConflict)

			// An amendment: the clams withdrawn, maize added; approved lines unchanged.
			amended := strings.Replace(scopePlan, "  - {direction: export, description: dried clams", "  - {direction: import, description: maize, hs: \"1005.90\", quantity: 300, unit: t, value: 84000, currency: USD, crossing: Namyang-Tumen, origin: CN}\n  #", 1)
			province.do(http.MethodPost, p+"/amend", amended, "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid) // no reason
			province.do(http.MethodPost, p+"/amend?reason=clams+withdrawn", amended, "application/yaml").want(http.StatusOK).decode(&pd)
			if pd.Version != 2 || pd.Diff == nil || len(pd.Diff.Added) != 1 || len(pd.Diff.Removed) != 1 || pd.Lines[0].Status != licensing.LineApproved {
				t.Fatalf("amended %+v", pd)
			}
			var diff tradeplan.PlanDiff
			reviewer.get(p + "/diff?from=1&to=2").want(http.StatusOK).decode(&diff)
			if len(diff.Unchanged) != 2 {
				t.Fatalf("diff %+v", diff)
			}
			changed := strings.Replace(scopePlan, "quantity: 500", "quantity: 600", 1)
			e = province.do(http.MethodPost, p+"/amend?reason=more+rice", changed, "application/yaml").wantError(http.StatusConflict, tradeplan.EConflict)
			if !strings.Contains(e.Message, "approved") {
				t.Fatalf("changing an approved line: %+v", e)
			}

			// Suspension by a compliance officer; reinstatement; revocation is final.
			var pv licensing.PermitView
			compliance.post(pm+"/suspend", map[string]string{"reason": "end-user inquiry"}).want(http.StatusOK).decode(&pv)
			if pv.Approved || pv.Status != tradeplan.PermitSuspended {
				t.Fatalf("suspended %+v", pv)
			}
			province.post(pm+"/reinstate", reason).wantError(http.StatusForbidden, tradeplan.EForbidden)
			admin.post(pm+"/reinstate", map[string]string{"reason": "inquiry closed"}).want(http.StatusOK)
			admin.post(pm+"/revoke", map[string]string{"reason": "false end-user"}).want(http.StatusOK)
			admin.post(pm+"/reinstate", map[string]string{"reason": "x"}).wantError(http.StatusConflict, tradeplan.EConflict)

			// A draft built line by line.
			var draft licensing.PlanDetail
			agency.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), nil, "").want(http.StatusCreated).decode(&draft)
			dp := fmt.Sprintf("/api/v1/plans/%d", draft.Plan.ID)
			e = agency.post(dp+"/lines", map[string]any{"direction": "sideways", "description": "", "quantity": -1, "unit": "furlongs"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) != 4 {
				t.Fatalf("want 4 problems: %+v", e.Problems)
			}
			agency.post(dp+"/lines", map[string]any{"direction": "import", "description": "nets", "hs": "5608.11", "quantity": 2, "unit": "tonnes", "value": 9000, "currency": "usd"}).want(http.StatusCreated)
			agency.post(dp+"/lines", map[string]any{"direction": "import", "description": "rope", "quantity": 1, "unit": "t"}).want(http.StatusCreated).decode(&draft)
			if len(draft.Lines) != 2 || draft.Lines[0].Unit != "t" || draft.Lines[0].Currency != "USD" {
				t.Fatalf("draft lines %+v", draft.Lines)
			}
			agency.delete(dp + "/lines/2").want(http.StatusOK).decode(&draft)
			agency.do(http.MethodPut, dp, scopePlan, "application/yaml").want(http.StatusOK).decode(&draft)
			if len(draft.Lines) != 3 || draft.Plan.Status != tradeplan.PlanDraft {
				t.Fatalf("edited draft %+v", draft.Plan)
			}
			csvPlan := "date,origin,destination,hs,description,quantity,unit,value,currency,partner,partner_country,vessel_name,vessel_imo,crossing,direction\n" +
				",CN,KP,100630,milled rice,800,t,416000,USD,Yanbian Demo Grain Trading Co.,CN,,,Namyang-Tumen,import\n" +
				",CN,KP,560811,fishing nets,20,t,120000,USD,Hunchun Demo Fishing Gear Co.,CN,,,Namyang-Tumen,import\n"
			agency.do(http.MethodPut, dp, csvPlan, "text/csv").want(http.StatusOK).decode(&draft)
			if len(draft.Lines) != 2 || draft.Lines[1].ApplicantHS != "560811" {
				t.Fatalf("CSV upload %+v", draft.Lines)
			}
			jsonPlan := `{"plan": {"id": "agency-2027", "organisation": "Chongjin agency", "country": "KP", "period": "2027-H2"},
				"lines": [{"direction": "import", "description": "urea fertiliser", "hs": "3102.10", "quantity": 40, "unit": "t",
				"value": 14000, "currency": "USD", "origin": "CN", "crossing": "Namyang-Tumen"}]}`
			agency.do(http.MethodPut, dp, jsonPlan, "application/json").want(http.StatusOK).decode(&draft)
			if len(draft.Lines) != 1 || draft.Lines[0].ApplicantHS != "310210" || draft.Plan.Title != "Chongjin agency" {
				t.Fatalf("JSON upload %+v", draft)
			}
			agency.do(http.MethodPut, dp, "plan: [", "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			province.get(dp).wantError(http.StatusNotFound, tradeplan.ENotFound)
			var plans []tradeplan.PlanRecord
			reviewer.get(fmt.Sprintf("/api/v1/plans?call=%d", call.ID)).want(http.StatusOK).decode(&plans)
			if len(plans) != 2 {
				t.Fatalf("reviewer sees %d plans", len(plans))
			}
			admin.post(fmt.Sprintf("/api/v1/calls/%d/close", call.ID), nil).want(http.StatusOK)
			agency.post(dp+"/submit", nil).wantError(http.StatusConflict, tradeplan.EConflict)
		})
	}
}
