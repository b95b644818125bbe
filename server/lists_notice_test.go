package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestNoListsNoticeEverywhere (issue 12 item 13): with no sanctions list
// loaded, the web report page, the /api/v1/screen answer, a stored plan's
// report (API and page) each say that partners and vessels were NOT
// screened.
func TestNoListsNoticeEverywhere(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			h := newHarness(t, eng) // testScreener has no lists
			b := h.browser()
			b.post("/screen", url.Values{"document": {uiPlanYAML}}).want(http.StatusOK).
				contains("Screening report", "NOT screened")

			var rep tradeplan.Report
			h.anon().do(http.MethodPost, "/api/v1/screen", uiPlanYAML, "application/yaml").want(http.StatusOK).decode(&rep)
			if len(rep.Plans) != 1 || len(rep.Plans[0].Lists) != 0 || len(rep.Plans[0].Notices) != 1 ||
				!strings.Contains(rep.Plans[0].Notices[0], "NOT screened") {
				t.Fatalf("/api/v1/screen answer: %+v", rep.Plans)
			}

			call := uiSeed(t, h)
			p, err := plan.Parse([]byte(uiPlanYAML), "plan.yaml", plan.YAML)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := h.srv.Licensing().ImportPlan(context.Background(), tradeplan.SystemActor("test"), call.Call.ID, h.orgs["province"].ID, p)
			if err != nil {
				t.Fatal(err)
			}
			var detail struct {
				AsOf    string   `json:"as_of"`
				Notices []string `json:"notices"`
			}
			h.session("province-submitter").get(fmt.Sprintf("/api/v1/plans/%d", rec.ID)).want(http.StatusOK).decode(&detail)
			if detail.AsOf == "" || len(detail.Notices) != 1 || !strings.Contains(detail.Notices[0], "NOT screened") {
				t.Fatalf("stored plan detail: %+v", detail)
			}
			b.login("province-submitter")
			b.get(fmt.Sprintf("/plans/%d", rec.ID)).want(http.StatusOK).contains("NOT screened")
		})
	}
}

// checkState fails the test when a licensing row the test wrote through
// the server is not what the audit chain recorded: every write of the
// licensing store must be covered (issue 12 item 14).
func (h *harness) checkState() {
	if h.t.Failed() || h.tampered || h.db.Ping(context.Background()) != nil {
		return // the test broke the database on purpose
	}
	res, err := h.db.VerifyState(context.Background())
	if err != nil {
		h.t.Errorf("verify state: %v", err)
		return
	}
	for _, p := range res.Problems {
		h.t.Errorf("state %s: %s", p.Row, p.Problem)
	}
}
