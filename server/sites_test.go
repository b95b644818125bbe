package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// hairSites is worked by hand: 9 t of hair on hand and 4 t more in August,
// a yield of 0.8, lines, workers and power to spare: material binds at
// (9 + 4) x 0.8 = 10.4 t of wigs.
const hairSites = `policy: {max_hours_per_day: 12, max_hours_per_week: 72, days_per_week: 6, absence: 0}
shift_patterns: [1x8, 2x8]
sites:
  - id: hoeryong-hair
    name: Hoeryong hair products factory
    workers: 260
    stock:
      - {item: processed human hair, quantity: 9, unit: t}
    supply:
      - {item: processed human hair, month: 2027-08, quantity: 4, unit: t}
    processes:
      - id: wig-making
        input: processed human hair
        output: wigs and false eyelashes
        hs: "6704"
        yield: 0.8
        lines: 6
        rate: 0.5
        availability: 0.9
        crew: 30
        kwh_per_tonne: 1500
`

const hairPlan = `plan:
  id: province-wigs-2027
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - {direction: export, description: wigs and false eyelashes, hs: "6704.20", quantity: 12, unit: t, value: 300000, currency: USD, crossing: Namyang-Tumen, destination: CN, source: {site: hoeryong-hair}}
  - {direction: export, description: dried clams, hs: "0307.72", quantity: 25, unit: t, value: 150000, currency: USD, crossing: Namyang-Tumen, destination: CN, source: {site: hoeryong-hair}}
  - {direction: export, description: wigs and false eyelashes, hs: "6704.20", quantity: 3, unit: t, value: 75000, currency: USD, crossing: Namyang-Tumen, destination: CN, source: {site: dandong-wigs}}
  - {direction: import, description: milled rice, hs: "1006.30", quantity: 500, unit: t, value: 260000, currency: USD, crossing: Namyang-Tumen, partner: {name: Yanbian Demo Grain, country: CN}}
`

// TestSiteFilesAPI drives the site file endpoints on each engine: placed
// errors and nothing stored for a bad file; versions; another tree gets
// 404 everywhere; only the authority's reviewers accept; a plan's export
// lines carry their feasibility block, claimed until accepted; the call
// report totals asked, lawful and feasible; the pages show both.
func TestSiteFilesAPI(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			admin := h.token("authority-admin")
			reviewer := h.token("authority-reviewer")
			province := h.session("province-submitter")
			provReviewer := h.token("province-reviewer")
			importer := h.token("importer-submitter")
			importerAdmin := h.token("importer-admin")
			prov := h.orgs["province"].ID
			sites := fmt.Sprintf("/api/v1/orgs/%d/sites", prov)

			// A bad file: every problem at its line, column and path;
			// nothing stored.
			bad := strings.Replace(strings.Replace(hairSites, "yield: 0.8", "yield: -0.8", 1), "        output: wigs and false eyelashes\n", "", 1)
			bad = strings.Replace(bad, "workers: 260", "wrokers: 260", 1)
			e := province.do(http.MethodPut, sites, bad, "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			var got []string
			for _, p := range e.Problems {
				got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Column, p.Path))
			}
			all := strings.Join(got, "; ")
			for _, want := range []string{"6:5 sites[1].wrokers", "sites[1].processes[1].yield"} {
				if !strings.Contains(all, want) {
					t.Errorf("problems %q lack %q", all, want)
				}
			}
			var list struct {
				Organisation int64                `json:"organisation"`
				Versions     []licensing.SiteFile `json:"versions"`
			}
			province.get(sites + "/versions").want(http.StatusOK).decode(&list)
			if len(list.Versions) != 0 {
				t.Fatalf("a refused file was stored: %+v", list)
			}
			province.do(http.MethodPut, sites, hairSites, "text/csv").wantError(http.StatusUnsupportedMediaType, "unsupported_media_type")
			province.get(sites).wantError(http.StatusNotFound, tradeplan.ENotFound)

			var v1 licensing.SiteFile
			province.do(http.MethodPut, sites, hairSites, "application/yaml").want(http.StatusCreated).decode(&v1)
			if v1.Version != 1 || v1.Status != licensing.SitesClaimed || len(v1.Digest) != 64 || v1.Content != "" {
				t.Fatalf("version 1: %+v", v1)
			}

			// Another tree: 404 on every site endpoint, its own id or not.
			for _, c := range []*client{importer, importerAdmin} {
				c.get(sites).wantError(http.StatusNotFound, tradeplan.ENotFound)
				c.get(sites+"/versions").wantError(http.StatusNotFound, tradeplan.ENotFound)
				c.do(http.MethodPut, sites, hairSites, "application/yaml").wantError(http.StatusNotFound, tradeplan.ENotFound)
				c.post(sites+"/versions/1/accept", map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)
				c.post(sites+"/versions/1/reject", map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)
			}
			province.get("/api/v1/orgs/999999/sites").wantError(http.StatusNotFound, tradeplan.ENotFound)
			// The authority: nothing of an organisation outside its tree that
			// submitted nothing to its calls.
			importerSites := fmt.Sprintf("/api/v1/orgs/%d/sites", h.orgs["importer"].ID)
			importer.do(http.MethodPut, importerSites, hairSites, "application/yaml").want(http.StatusCreated)
			reviewer.get(importerSites).wantError(http.StatusNotFound, tradeplan.ENotFound)
			reviewer.post(importerSites+"/versions/1/accept", map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)
			// The province's own reviewer decides nothing about its tree; the
			// authority's reviewer reads but does not upload.
			provReviewer.post(sites+"/versions/1/accept", map[string]string{"reason": "ours"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			reviewer.do(http.MethodPut, sites, hairSites, "application/yaml").wantError(http.StatusForbidden, tradeplan.EForbidden)
			var sv licensing.SiteFileView
			reviewer.get(sites).want(http.StatusOK).decode(&sv)
			if sv.Content != hairSites || sv.Accepted != 0 {
				t.Fatalf("the authority reads %+v", sv)
			}

			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			call := h.openCall(admin, map[string]any{"organisations": []int64{prov}})
			var pd licensing.PlanDetail
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), hairPlan, "application/yaml").want(http.StatusCreated).decode(&pd)
			if pd.Feasibility == nil || pd.Feasibility.Basis != licensing.BasisClaimed {
				t.Fatalf("plan feasibility before review: %+v", pd.Feasibility)
			}
			if f := pd.Lines[0].Feasibility; f == nil || !f.Assessed || f.Counts() || f.Quantity != 10.4 || !strings.Contains(f.Reason, "claimed, not reviewed") {
				t.Fatalf("claimed block: %+v", f)
			}
			if pd.Lines[3].Feasibility != nil {
				t.Fatalf("an import has a feasibility block: %+v", pd.Lines[3].Feasibility)
			}

			// The import budget counts the applicant's unreviewed claims for
			// nothing: its lawful exports at their planned quantity, said so.
			wantCounted(t, reviewer, call.ID, 1, "300000", "counted at its planned quantity: its feasibility is not checked")
			reviewer.post(sites+"/versions/1/accept", map[string]string{"reason": " "}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			var rv licensing.SiteFile
			reviewer.post(sites+"/versions/1/accept", map[string]string{"reason": "stock counted at the factory"}).want(http.StatusOK).decode(&rv)
			if rv.Status != licensing.SitesAccepted || rv.ReviewedBy == "" {
				t.Fatalf("accepted: %+v", rv)
			}
			reviewer.post(sites+"/versions/1/reject", map[string]string{"reason": "changed my mind"}).wantError(http.StatusConflict, tradeplan.EConflict)
			// Accepted, the site file limits what the exports earn: 10.4 of
			// 12 t of wigs count, 300,000 x 10.4 / 12, the share rounded down
			// (never more than can be delivered); the line naming a site
			// that is not in the file counts as planned, not checked.
			wantCounted(t, reviewer, call.ID, 1, "259999.99", "counted at its feasible 10.4 of 12 t")
			wantCounted(t, reviewer, call.ID, 3, "75000", "its feasibility is not checked")
			reviewer.post(sites+"/versions/7/accept", map[string]string{"reason": "x"}).wantError(http.StatusNotFound, tradeplan.ENotFound)

			reviewer.get(fmt.Sprintf("/api/v1/plans/%d", pd.Plan.ID)).want(http.StatusOK).decode(&pd)
			wig := pd.Lines[0].Feasibility
			if !wig.Counts() || wig.Quantity != 10.4 || wig.Target != 12 || wig.Binding != "material" || wig.SiteVersion != 1 || pd.Feasibility.SiteVersion != 1 {
				t.Fatalf("accepted block: %+v / %+v", wig.Feasibility, pd.Feasibility)
			}
			if f := pd.Lines[1].Feasibility; f.Assessed || f.Citation == "" || !strings.Contains(f.Reason, "prohibited") {
				t.Fatalf("prohibited line: %+v", f.Feasibility)
			}
			if f := pd.Lines[2].Feasibility; f.Assessed || !strings.Contains(f.Reason, `unknown site "dandong-wigs"`) {
				t.Fatalf("unknown site: %+v", f.Feasibility)
			}

			var cr licensing.CallReport
			reviewer.get(fmt.Sprintf("/api/v1/calls/%d", call.ID)).want(http.StatusOK).decode(&cr)
			if cr.Feasibility == nil {
				t.Fatal("no feasibility totals")
			}
			totals := map[string]licensing.FeasibilityTotal{}
			for _, g := range cr.Feasibility.Goods {
				totals[g.HS] = g
			}
			if w := totals["670420"]; w.Asked != 15 || w.Lawful != 15 || w.Feasible != 10.4 || w.Short != 1.6 || w.Unverified != 3 {
				t.Fatalf("wig totals: %+v", cr.Feasibility.Goods)
			}
			if c := totals["030772"]; c.Asked != 25 || c.Prohibited != 25 || c.Feasible != 0 {
				t.Fatalf("clam totals: %+v", cr.Feasibility.Goods)
			}

			// A JSON upload is version 2; the versions are listed.
			province.do(http.MethodPut, sites, `{"sites": [{"id": "x", "workers": 10, "processes": [{"id": "p", "input": "hair", "output": "wigs", "hs": "6704", "yield": 1, "lines": 1, "rate": 1, "availability": 1, "crew": 1}]}]}`, "application/json").want(http.StatusCreated)
			reviewer.post(sites+"/versions/2/reject", map[string]string{"reason": "no such site visited"}).want(http.StatusOK).decode(&rv)
			if rv.Status != licensing.SitesRejected || rv.ReviewReason != "no such site visited" {
				t.Fatalf("rejected: %+v", rv)
			}
			province.get(sites + "/versions").want(http.StatusOK).decode(&list)
			if len(list.Versions) != 2 || list.Versions[0].Status != licensing.SitesAccepted || list.Versions[1].Format != "json" || list.Versions[1].Status != licensing.SitesRejected {
				t.Fatalf("versions: %+v", list)
			}

			// The pages: the block beside the export line, the totals on the
			// call.
			b := h.browser()
			b.login("authority-reviewer")
			b.get(fmt.Sprintf("/plans/%d", pd.Plan.ID)).want(http.StatusOK).contains("Can the site deliver it?", "10.4 of 12 t", "material", "Site file version 1, accepted",
				"not assessed: the line is prohibited", "unknown site")
			b.get(fmt.Sprintf("/calls/%d", call.ID)).want(http.StatusOK).contains("Exports: asked, lawful and feasible", "10.4", "1.6")
		})
	}
}

// wantCounted checks what export line n of call's import budget counts
// for, and why.
func wantCounted(t *testing.T, c *client, call int64, n int, counted, why string) {
	t.Helper()
	var iv licensing.ImportsView
	c.get(fmt.Sprintf("/api/v1/calls/%d/imports", call)).want(http.StatusOK).decode(&iv)
	if iv.Ranking == nil {
		t.Fatalf("call %d has no ranking: %s", call, iv.Problem)
	}
	for _, l := range iv.Ranking.Budget.Exports.Lines {
		if l.Line == n {
			if l.Counted.String() != counted || !strings.Contains(l.Reason, why) {
				t.Errorf("export line %d counts %s (%s), want %s (%s)", n, l.Counted, l.Reason, counted, why)
			}
			return
		}
	}
	t.Errorf("export line %d is not counted in the budget: %+v", n, iv.Ranking.Budget)
}
