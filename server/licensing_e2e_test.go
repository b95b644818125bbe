package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store/storetest"
)

var (
	fullOnce     sync.Once
	fullScreener *screen.Screener
	fullErr      error
)

// withClassifier screens with the embedded HS classifier as well as the
// goods rules, so that exports written without an HS code are classified
// (packaged crab meat -> 1605.10) and caught.
func withClassifier(t *testing.T) harnessOption {
	fullOnce.Do(func() {
		eng, err := rules.Default()
		if err != nil {
			fullErr = err
			return
		}
		cl, err := hs.Default()
		if err != nil {
			fullErr = err
			return
		}
		fullScreener = screen.New(screen.Config{Classifier: cl, Goods: eng, NewLedger: rules.NewLedger})
	})
	if fullErr != nil {
		t.Fatalf("screener: %v", fullErr)
	}
	return func(c *Config) { c.Screener = fullScreener }
}

func (h *harness) addUser(key, orgKey string, role tradeplan.Role) {
	h.t.Helper()
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
	u, err := h.db.CreateUser(ctx, tradeplan.User{OrgID: h.orgs[orgKey].ID, Email: key + "@example.org", Name: key, Role: role}, h.password)
	if err != nil {
		h.t.Fatalf("user %s: %v", key, err)
	}
	h.users[key] = u
}

// TestLicensingStory is the news report, made safe, over HTTP on each
// engine: a call is opened; the province submits its plan; every export is
// refused as prohibited with its citation; the clear imports are approved
// and become permits; the diesel import draws on the refined-petroleum
// cap; the permits cannot be used while the crossing is closed, and can
// once it opens. And the bad paths.
func TestLicensingStory(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			licensingStory(t, h)
		})
	}
}

func licensingStory(t *testing.T, h *harness) {
	h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
	h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
	h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
	admin := h.session("authority-admin")
	reviewer := h.token("authority-reviewer")
	provReviewer := h.token("province-reviewer")
	province := h.token("province-submitter")
	agency := h.token("agency-submitter")
	importer := h.token("importer-submitter")
	importerAdmin := h.token("importer-admin")

	// Crossings, closed as the order says: approval is not the border opening.
	for _, c := range []struct{ id, name, kind string }{
		{"namyang-tumen", "Namyang-Tumen bridge", "bridge"}, {"rason-quanhe", "Rason-Quanhe bridge", "bridge"},
		{"hoeryong-sanhe", "Hoeryong-Sanhe bridge", "bridge"}, {"rajin-port", "Rajin port", "port"},
	} {
		admin.post("/api/v1/crossings", map[string]any{"id": c.id, "name": c.name, "kind": c.kind, "countries": []string{"KP", "CN"}}).want(http.StatusCreated)
	}
	province.post("/api/v1/crossings", map[string]any{"id": "x", "name": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)

	// The call: plans for the second half of 2027 by the end of March.
	var call licensing.CallView
	admin.post("/api/v1/calls", map[string]any{
		"period": "2027-H2", "deadline": "2027-03-31", "guidance": "realistic exports and absolutely necessary imports; say which imports must enter first",
		"organisations": []int64{h.orgs["province"].ID, h.orgs["agency"].ID, h.orgs["importer"].ID},
	}).want(http.StatusCreated).decode(&call)
	if call.Status != licensing.CallOpen || !call.ForbidOwnReview || call.Period != "2027-H2" {
		t.Fatalf("call %+v", call)
	}
	province.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
	admin.post("/api/v1/calls", map[string]any{"period": "2027-H9", "deadline": "yesterday"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)

	// A draft of the importer, to be submitted too late.
	var late licensing.PlanDetail
	importer.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), nil, "").want(http.StatusCreated).decode(&late)
	importer.post(fmt.Sprintf("/api/v1/plans/%d/lines", late.Plan.ID), map[string]any{
		"direction": "import", "description": "milled rice", "hs": "1006.30", "quantity": 100, "unit": "tonnes", "value": 50000, "currency": "usd", "crossing": "Namyang-Tumen",
	}).want(http.StatusCreated)

	// The province submits the plan of the report.
	doc, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		t.Fatalf("the example plan: %v", err)
	}
	var pd licensing.PlanDetail
	province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), doc, "application/yaml").want(http.StatusCreated).decode(&pd)
	planID := pd.Plan.ID
	if pd.Plan.Status != tradeplan.PlanSubmitted || len(pd.Lines) != 20 || pd.Summary == nil {
		t.Fatalf("submitted plan: status %s, %d lines", pd.Plan.Status, len(pd.Lines))
	}
	exports, dieselLine := 0, 0
	for _, l := range pd.Lines {
		if l.Direction == tradeplan.Export {
			exports++
			if l.Verdict == nil || *l.Verdict != tradeplan.Prohibited {
				t.Errorf("export %d %q is %v, want prohibited", l.Index, l.Description, l.Verdict)
			}
		}
		if strings.HasPrefix(l.ApplicantHS, "2710") {
			dieselLine = l.Index
		}
	}
	if exports != 10 || dieselLine == 0 {
		t.Fatalf("%d exports, diesel line %d", exports, dieselLine)
	}

	// The agency asks for most of the cap before the province's diesel is approved.
	var ag licensing.PlanDetail
	agencyPlan := "plan:\n  id: chongjin-2027-h2\n  organisation: Chongjin agency\n  country: KP\n  period: 2027-H2\nlines:\n" +
		"  - {direction: import, description: diesel fuel, hs: \"2710.19\", quantity: 490000, unit: bbl, value: 40000000, currency: USD, crossing: Rajin port, partner: {name: Demo Fuel Co., country: CN}}\n"
	agency.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), agencyPlan, "application/yaml").want(http.StatusCreated).decode(&ag)
	if ag.Lines[0].Verdict == nil || *ag.Lines[0].Verdict != tradeplan.Capped {
		t.Fatalf("agency diesel is %v, want capped", ag.Lines[0].Verdict)
	}

	// Another organisation's plan is not found, whatever the verb.
	importer.get(fmt.Sprintf("/api/v1/plans/%d", planID)).wantError(http.StatusNotFound, tradeplan.ENotFound)
	importer.post(fmt.Sprintf("/api/v1/plans/%d/submit", planID), nil).wantError(http.StatusNotFound, tradeplan.ENotFound)
	importer.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/amend?reason=x", planID), doc, "application/yaml").wantError(http.StatusNotFound, tradeplan.ENotFound)
	importerAdmin.post(fmt.Sprintf("/api/v1/plans/%d/lines/12/refuse", planID), map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)
	agency.get(fmt.Sprintf("/api/v1/plans/%d", planID)).wantError(http.StatusNotFound, tradeplan.ENotFound)
	var mine []tradeplan.PlanRecord
	importer.get("/api/v1/plans").want(http.StatusOK).decode(&mine)
	if len(mine) != 1 || mine[0].ID != late.Plan.ID {
		t.Fatalf("importer sees plans %+v", mine)
	}

	// A prohibited line can never be approved: 409 with its findings.
	e := reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", planID), map[string]any{"reason": "foreign currency"}).wantError(http.StatusConflict, tradeplan.EConflict)
	findings, _ := e.Details["findings"].([]any)
	if len(findings) == 0 || !strings.Contains(fmt.Sprint(findings), "UNSCR 2371 (2017) OP9") {
		t.Fatalf("409 without the findings: %+v", e)
	}
	// The province's own reviewer may not decide on the province's plan.
	provReviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/12/approve", planID), map[string]any{"reason": "rice"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
	// A submitter may not decide at all.
	province.post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", planID), map[string]any{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)

	// Every export refused as prohibited, with its citation.
	var refused licensing.BulkResult
	reviewer.post(fmt.Sprintf("/api/v1/plans/%d/refuse-prohibited", planID), map[string]any{"reason": "UN sanctions"}).want(http.StatusOK).decode(&refused)
	refusedExports := 0
	for _, d := range refused.Decisions {
		l := pd.Lines[d.Line-1]
		if l.Direction == tradeplan.Export {
			refusedExports++
		}
		if len(d.Citations) == 0 || !strings.Contains(d.Reason, "UNSCR") {
			t.Errorf("line %d refused without citation: %+v", d.Line, d)
		}
	}
	if refusedExports != 10 {
		t.Fatalf("refused %d exports, want 10", refusedExports)
	}

	// The clear imports approved and become permits.
	var bulk licensing.BulkResult
	reviewer.post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", planID), map[string]any{"reason": "necessary imports"}).want(http.StatusOK).decode(&bulk)
	if len(bulk.Permits) < 6 {
		t.Fatalf("%d permits from the clear imports", len(bulk.Permits))
	}
	for _, p := range bulk.Permits {
		if p.Direction != tradeplan.Import || p.Status != tradeplan.PermitIssued {
			t.Errorf("permit %+v", p)
		}
		if _, err := licensing.ParsePermitNumber(p.Number); err != nil {
			t.Errorf("permit number: %v", err)
		}
	}

	// The diesel import takes its share of the refined-petroleum cap.
	var ar approveResponse
	reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/%d/approve", planID, dieselLine), map[string]any{"reason": "fuel for the fishing fleet"}).want(http.StatusOK).decode(&ar)
	if len(ar.Permit.Caps) != 1 || ar.Permit.Caps[0].Quantity.Cmp(tradeplan.D(12000)) != 0 || ar.Permit.Crossing != "rajin-port" {
		t.Fatalf("diesel permit %+v", ar.Permit)
	}
	capID := ar.Permit.Caps[0].Cap
	if used, err := h.db.CapUsed(context.Background(), capID, ar.Permit.Caps[0].From, ar.Permit.Caps[0].To); err != nil || used.Cmp(tradeplan.D(12000)) != 0 {
		t.Fatalf("cap %s used %v %v", capID, used, err)
	}
	// Approving past the cap: the agency's line fitted when screened, not now.
	e = reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", ag.Plan.ID), map[string]any{"reason": "fuel"}).wantError(http.StatusConflict, tradeplan.EConflict)
	if !strings.Contains(e.Message, "cap "+capID) || !strings.Contains(e.Message, "488000 bbl left") {
		t.Fatalf("cap conflict: %+v", e)
	}

	// The province's plan is decided, except what needs a person.
	var after licensing.PlanDetail
	province.get(fmt.Sprintf("/api/v1/plans/%d", planID)).want(http.StatusOK).decode(&after)
	for _, l := range after.Lines {
		if l.Status == licensing.LinePending && len(l.Needs) == 0 {
			t.Errorf("pending line %d with nothing needed", l.Index)
		}
	}

	// Submitting after the deadline.
	h.clock.advance(31 * 24 * time.Hour)
	importer.post(fmt.Sprintf("/api/v1/plans/%d/submit", late.Plan.ID), nil).wantError(http.StatusConflict, tradeplan.EConflict)
	var cr licensing.CallReport
	admin.get(fmt.Sprintf("/api/v1/calls/%d", call.ID)).want(http.StatusOK).decode(&cr)
	if cr.Call.Status != licensing.CallClosed || cr.Standing.Submitted != 2 || cr.Totals == nil || len(cr.Totals.Goods) == 0 {
		t.Fatalf("call report %+v", cr)
	}
	// What must enter first: critical imports, approved before pending; the
	// banned engine parts and refused lines never.
	if len(cr.ImportsFirst) == 0 || cr.ImportsFirst[0].Necessity != tradeplan.Critical || cr.ImportsFirst[0].Status != licensing.LineApproved {
		t.Fatalf("imports first %+v", cr.ImportsFirst)
	}
	for _, it := range cr.ImportsFirst {
		if it.Verdict == tradeplan.Prohibited || it.Status == licensing.LineRefused {
			t.Fatalf("a line that never enters is queued: %+v", it)
		}
	}
	var subReport licensing.CallReport
	province.get(fmt.Sprintf("/api/v1/calls/%d", call.ID)).want(http.StatusOK).decode(&subReport)
	if subReport.Totals != nil || subReport.ImportsFirst != nil || len(subReport.Standing.Submissions) != 1 {
		t.Fatalf("a submitter sees others' totals or standing: %+v", subReport)
	}

	// In the period, with the crossing closed: approved, not usable.
	h.clock.advance(100 * 24 * time.Hour) // mid July
	var pv licensing.PermitView
	province.get(fmt.Sprintf("/api/v1/permits/%d", ar.Permit.ID)).want(http.StatusOK).decode(&pv)
	if !pv.Approved || pv.BorderOpen || pv.Usable || !strings.Contains(pv.Reason, "closed") {
		t.Fatalf("permit with the border closed: %+v", pv)
	}
	e = province.post(fmt.Sprintf("/api/v1/permits/%d/use", ar.Permit.ID), map[string]any{"quantity": 3000, "value": 280000, "reference": "CD-2027-0001"}).wantError(http.StatusConflict, tradeplan.EConflict)
	if !strings.Contains(e.Message, "rajin-port is closed") {
		t.Fatalf("use refused for %q", e.Message)
	}
	importer.post(fmt.Sprintf("/api/v1/permits/%d/use", ar.Permit.ID), map[string]any{"quantity": 1}).wantError(http.StatusNotFound, tradeplan.ENotFound)

	// The border opens: now it can be used.
	admin.post("/api/v1/crossings/rajin-port/open", map[string]string{"reason": "customs resumed"}).want(http.StatusOK)
	province.post(fmt.Sprintf("/api/v1/permits/%d/use", ar.Permit.ID), map[string]any{"quantity": 3000, "value": 280000, "reference": "CD-2027-0001"}).want(http.StatusOK).decode(&pv)
	if pv.QuantityLeft.Cmp(tradeplan.D(9000)) != 0 || !pv.BorderOpen || !pv.Usable {
		t.Fatalf("after use %+v", pv)
	}
	var hist licensing.CrossingHistory
	importer.get("/api/v1/crossings/rajin-port").want(http.StatusOK).decode(&hist)
	if len(hist.Events) != 2 || hist.Events[1].Status != tradeplan.CrossingOpen {
		t.Fatalf("history %+v", hist)
	}
	var list []licensing.PermitView
	importer.get("/api/v1/permits").want(http.StatusOK).decode(&list)
	if len(list) != 0 {
		t.Fatalf("the importer sees %d permits of others", len(list))
	}
	province.get("/api/v1/permits?status=issued").want(http.StatusOK).decode(&list)
	if len(list) != len(bulk.Permits)+1 {
		t.Fatalf("province permits %d", len(list))
	}
	province.get("/api/v1/permits?status=bogus").wantError(http.StatusBadRequest, tradeplan.EInvalid)

	var v struct {
		OK bool `json:"ok"`
	}
	admin.get("/api/v1/audit/verify").want(http.StatusOK).decode(&v)
	if !v.OK {
		t.Fatal("audit chain broken")
	}
}
