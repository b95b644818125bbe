package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// badHairSites is hairSites with a negative yield: a problem placed at its
// line and column.
var badHairSites = strings.Replace(hairSites, "yield: 0.8", "yield: -0.8", 1)

// yieldLine is the line of the yield in hairSites.
func yieldLine(t *testing.T) int {
	for i, l := range strings.Split(hairSites, "\n") {
		if strings.Contains(l, "yield:") {
			return i + 1
		}
	}
	t.Fatal("no yield in hairSites")
	return 0
}

// TestUISiteFiles: the site file pages with the API's permissions, each
// role in turn: the applicant uploads (a bad file is shown again with its
// problems at line and column, nothing stored) and sees its versions but
// is never offered the review and is refused it; its own tree's reviewer
// reads but cannot review; another tree gets 404 on every page and form;
// the authority's reviewer and compliance officer accept or reject with a
// reason.
func TestUISiteFiles(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			uiAddUser(t, h, "authority-reviewer", "authority", tradeplan.RoleReviewer)
			uiAddUser(t, h, "authority-compliance", "authority", tradeplan.RoleCompliance)
			svc, sys := h.srv.Licensing(), tradeplan.SystemActor("test")
			prov := h.orgs["province"].ID
			versions := fmt.Sprintf("/orgs/%d/sites", prov)
			v1 := versions + "/1"
			stored := func() []licensing.SiteFile {
				t.Helper()
				vs, err := svc.SiteVersions(context.Background(), sys, prov)
				if err != nil {
					t.Fatal(err)
				}
				return vs
			}

			sub := h.browser()
			sub.login("province-submitter")
			idx := sub.get("/sites").want(http.StatusOK)
			checkHTML(t, idx)
			idx.contains("<h1>Site files</h1>", "North Hamgyong Provincial Trade Bureau", `href="`+versions+`"`)
			vp := sub.get(versions).want(http.StatusOK)
			checkHTML(t, vp)
			vp.contains("No site file uploaded yet", `action="`+versions+`"`)

			// A bad file: every problem at its line and column, beside the
			// form, the text kept, nothing stored.
			bad := sub.postFile(versions, url.Values{csrfField: {vp.csrf()}, "format": {"auto"}}, "file", "sites.yaml", badHairSites).want(http.StatusBadRequest)
			checkHTML(t, bad)
			bad.contains("<h1>Site files of North Hamgyong Provincial Trade Bureau</h1>", fmt.Sprintf("line %d, column", yieldLine(t)),
				"site 1, process 1, yield: expected a number above 0", "nothing was stored", "yield: -0.8").lacks("sites-org")
			if len(stored()) != 0 {
				t.Fatal("a bad site file was stored")
			}
			sub.post(versions, url.Values{csrfField: {vp.csrf()}, "document": {"sites: ["}}).want(http.StatusBadRequest).contains("line 1")
			sub.post(versions, url.Values{csrfField: {vp.csrf()}, "document": {"a,b,c\n1,2,3\n"}}).want(http.StatusBadRequest).contains("a site file is YAML or JSON")

			// A good one: version 1, claimed; the applicant is not offered
			// the review and is refused it.
			sub.postFile(versions, url.Values{csrfField: {vp.csrf()}}, "file", "sites.yaml", hairSites).redirectsTo(v1)
			p1 := sub.get(v1).want(http.StatusOK)
			checkHTML(t, p1)
			p1.contains("claimed", "Hoeryong hair products factory", "wig-making", "6704", "province-submitter@example.org").lacks("sites-accept", "sites-reject", "user:")
			sub.post(v1+"/accept", url.Values{"reason": {"mine"}, csrfField: {p1.csrf()}}).want(http.StatusForbidden)

			// A plan assessed against it links the reviewer to it.
			call := uiSeed(t, h)
			var pd licensing.PlanDetail
			h.session("province-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.Call.ID), hairPlan, "application/yaml").
				want(http.StatusCreated).decode(&pd)

			// The province's own reviewer reads it and is refused the review.
			prev := h.browser()
			prev.login("province-reviewer")
			prev.get(v1).want(http.StatusOK).lacks("sites-accept")
			prev.post(v1+"/accept", url.Values{"reason": {"ours"}, csrfField: {prev.get(versions).csrf()}}).want(http.StatusForbidden)

			// Another tree: 404 everywhere, and not in its index.
			imp := h.browser()
			imp.login("importer-admin")
			ic := imp.get("/sites").want(http.StatusOK).lacks("North Hamgyong").csrf()
			imp.get(versions).want(http.StatusNotFound).lacks("hoeryong")
			imp.get(v1).want(http.StatusNotFound).lacks("hoeryong")
			imp.postFile(versions, url.Values{csrfField: {ic}}, "file", "sites.yaml", badHairSites).want(http.StatusNotFound).lacks("yield")
			imp.post(v1+"/accept", url.Values{"reason": {"x"}, csrfField: {ic}}).want(http.StatusNotFound)
			if vs := stored(); len(vs) != 1 || vs[0].Status != licensing.SitesClaimed {
				t.Fatalf("after the refusals: %+v", vs)
			}

			// The authority's reviewer: the index says what waits; a review
			// without a reason is shown again beside the form; then accepted.
			rev := h.browser()
			rev.login("authority-reviewer")
			ri := rev.get("/sites").want(http.StatusOK)
			ri.contains("North Hamgyong Provincial Trade Bureau", "version 1")
			rev.get(fmt.Sprintf("/plans/%d", pd.Plan.ID)).want(http.StatusOK).contains(`href="`+v1+`"`, "Site file version 1: review it")
			rp := rev.get(v1).want(http.StatusOK)
			checkHTML(t, rp)
			rp.contains(`id="sites-accept"`, `id="sites-reject"`)
			noReason := rev.post(v1+"/accept", url.Values{"reason": {"  "}, csrfField: {rp.csrf()}}).want(http.StatusBadRequest)
			checkHTML(t, noReason)
			noReason.contains("<h1>Site file version 1", "reason", `id="sites-accept"`)
			rev.post(v1+"/accept", url.Values{"reason": {"inspected on 2027-03-02"}, csrfField: {rp.csrf()}}).redirectsTo(v1)
			rev.get(v1).want(http.StatusOK).contains("accepted", "inspected on 2027-03-02").lacks(`id="sites-accept"`)
			rev.post(v1+"/reject", url.Values{"reason": {"twice"}, csrfField: {rp.csrf()}}).want(http.StatusConflict).contains("already accepted")

			// The compliance officer rejects the next version.
			sub.post(versions, url.Values{csrfField: {vp.csrf()}, "document": {hairSites}}).redirectsTo(versions + "/2")
			co := h.browser()
			co.login("authority-compliance")
			cp := co.get(versions + "/2").want(http.StatusOK).contains(`id="sites-reject"`)
			co.post(versions+"/2/reject", url.Values{"reason": {"stock not borne out"}, csrfField: {cp.csrf()}}).redirectsTo(versions + "/2")
			sub.get(versions).want(http.StatusOK).contains("rejected", "stock not borne out", "accepted", "inspected on 2027-03-02")
		})
	}
}

func TestSitePathWords(t *testing.T) {
	for in, want := range map[string]string{
		"sites[1].processes[2].yield": "site 1, process 2, yield",
		"sites[3].wrokers":            "site 3, wrokers",
		"shift_patterns[2]":           "shift pattern 2",
		"policy.max_hours_per_day":    "policy, max hours per day",
		"sites[1].stock[2].unit":      "site 1, stock item 2, unit",
		"":                            "",
	} {
		if got := sitePathWords(in); got != want {
			t.Errorf("sitePathWords(%q) = %q, want %q", in, got, want)
		}
	}
}
