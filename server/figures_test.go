package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

func dieselPlanYAML(id string, qs ...string) string {
	var b strings.Builder
	b.WriteString("plan:\n  id: " + id + "\n  organisation: x\n  country: KP\n  period: 2027-H2\nlines:\n")
	for _, q := range qs {
		b.WriteString("  - {direction: import, description: diesel fuel, hs: \"2710.19\", quantity: " + q +
			", unit: bbl, origin: CN, crossing: Rajin port, partner: {name: Demo Fuel Co., country: CN}}\n")
	}
	return b.String()
}

// TestFiguresExactAPI is the example of issue 23 over HTTP on each engine:
// screening (POST /api/v1/screen) and approval agree that 222,693.7 +
// 200,087.6 + 77,218.7 bbl fill the 500,000 bbl cap exactly, and that one
// smallest unit more is beyond it; answers carry no float noise, and a
// decimal comma is refused at the field.
func TestFiguresExactAPI(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
			o, err := h.db.CreateOrg(tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test")),
				tradeplan.Organisation{ParentID: h.orgs["authority"].ID, Name: "Rason", Kind: tradeplan.OrgProvince, Country: "KP"})
			if err != nil {
				t.Fatal(err)
			}
			h.orgs["rason"] = o
			h.addUser("rason-submitter", "rason", tradeplan.RoleSubmitter)
			admin := h.session("authority-admin")
			reviewer := h.token("authority-reviewer")
			province := h.token("province-submitter")
			agency := h.token("agency-submitter")

			for _, tc := range []struct {
				third, verdict, excess string
			}{{"77218.7", "capped", ""}, {"77218.8", "prohibited", `"excess":0.1`}} {
				r := h.anon().do(http.MethodPost, "/api/v1/screen?as_of=2027-03-01", dieselPlanYAML("p", "222693.7", "200087.6", tc.third), "application/yaml").want(http.StatusOK)
				var rep tradeplan.Report
				r.decode(&rep)
				l := rep.Plans[0].Lines[2]
				if string(l.Verdict.String()) != tc.verdict || l.Findings[0].Cap == nil || l.Findings[0].Cap.Used.String() != "422781.3" {
					t.Errorf("screen, third line %s: %s %+v", tc.third, l.Verdict, l.Findings[0].Cap)
				}
				body := string(r.body)
				if tc.excess != "" && !strings.Contains(body, tc.excess) || strings.Contains(body, "99999") || strings.Contains(body, "0000000") {
					t.Errorf("screen answer without exact figures:\n%s", body)
				}
			}

			admin.post("/api/v1/crossings", map[string]any{"id": "rajin-port", "name": "Rajin port", "kind": "port", "countries": []string{"KP", "CN"}}).want(http.StatusCreated)
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31",
				"organisations": []int64{h.orgs["province"].ID, h.orgs["agency"].ID, h.orgs["rason"].ID}}).want(http.StatusCreated).decode(&call)
			var a, b licensing.PlanDetail
			agency.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), dieselPlanYAML("a", "222693.7", "200087.6", "77218.7"), "application/yaml").
				want(http.StatusCreated).decode(&a)
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), dieselPlanYAML("b", "0.001"), "application/yaml").
				want(http.StatusCreated).decode(&b)
			if a.Lines[2].Verdict == nil || *a.Lines[2].Verdict != tradeplan.Capped {
				t.Fatalf("third line screened %v, want capped", a.Lines[2].Verdict)
			}
			var ar approveResponse
			for line := 1; line <= 3; line++ {
				reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/%d/approve", a.Plan.ID, line), map[string]any{"reason": "fuel"}).want(http.StatusOK).decode(&ar)
			}
			if c := ar.Permit.Caps; len(c) != 1 || c[0].Quantity.String() != "77218.7" || !c[0].Remaining.IsZero() || c[0].Used.String() != "422781.3" {
				t.Fatalf("the third permit's draw: %+v", ar.Permit.Caps)
			}
			e := reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", b.Plan.ID), map[string]any{"reason": "fuel"}).wantError(http.StatusConflict, tradeplan.EConflict)
			if !strings.Contains(e.Message, "0 bbl left") {
				t.Errorf("one smallest unit over: %+v", e)
			}

			// A decimal comma in a figure, as a string or in the JSON itself, is refused.
			var draft licensing.PlanDetail
			importer := h.token("rason-submitter")
			importer.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), nil, "").want(http.StatusCreated).decode(&draft)
			path := fmt.Sprintf("/api/v1/plans/%d/lines", draft.Plan.ID)
			e = importer.post(path, map[string]any{"direction": "import", "description": "rice", "quantity": "1,5", "unit": "t", "origin": "CN"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if !strings.Contains(e.Message, "quantity") || !strings.Contains(e.Message, "use a point: 1.5") {
				t.Errorf("a comma in a string: %+v", e)
			}
			e = importer.post(path, map[string]any{"direction": "import", "description": "rice", "quantity": 0.1234567, "unit": "t", "origin": "CN"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if !strings.Contains(e.Message, "quantity") || !strings.Contains(e.Message, "too many decimals") {
				t.Errorf("seven decimals: %+v", e)
			}
			e = importer.do(http.MethodPost, path, `{"direction": "import", "description": "rice", "quantity": 1,5, "unit": "t", "origin": "CN"}`, "application/json").
				wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if !strings.Contains(e.Message, "use a point: 1.5") {
				t.Errorf("a comma in a JSON number: %+v", e)
			}
		})
	}
}
