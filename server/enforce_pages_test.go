package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// TestDeclarationBatchSummaryAndPages: POST /api/v1/declarations answers a
// summary and a link, never the batch's declarations; the link's pages,
// followed by their Link headers, give every declaration of the batch once,
// in date then number order, and only the batch's; a made-up cursor is a
// 400. On each engine.
func TestDeclarationBatchSummaryAndPages(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			compliance := h.token("authority-compliance")
			prov := h.orgs["province"].ID
			var ds []map[string]any
			for i := range 23 {
				// Three days, numbers out of order within each.
				ds = append(ds, map[string]any{"declaration": fmt.Sprintf("P-%02d", (i*7)%23), "declarant": prov, "date": fmt.Sprintf("2027-07-%02d", 10+i%3),
					"origin": "CN", "destination": "KP", "hs": "100630", "crossing": "Namyang-Tumen", "quantity": 1, "unit": "t"})
			}
			compliance.post("/api/v1/declarations", map[string]any{"batch": "other", "declarations": []map[string]any{{"declaration": "O-1", "declarant": prov,
				"date": "2027-07-11", "origin": "CN", "destination": "KP", "hs": "100630", "crossing": "Namyang-Tumen", "quantity": 1, "unit": "t"}}}).want(http.StatusCreated)
			r := compliance.post("/api/v1/declarations", map[string]any{"batch": "paged", "declarations": ds}).want(http.StatusCreated)
			var raw map[string]json.RawMessage
			r.decode(&raw)
			if _, ok := raw["declarations"]; ok {
				t.Fatalf("the answer carries the declarations: %s", r.body)
			}
			var res intakeAnswer
			r.decode(&res)
			if res.Count != 23 || res.Loaded != 23 || res.Flagged != 23 || res.Rules[licensing.FlagNoPermit] != 23 || res.Cases != 23 {
				t.Fatalf("summary: %+v", res)
			}
			var got []licensing.Declaration
			// The link's own pages are of 1,000: ask for pages of 10.
			url, pages := regexp.MustCompile(`limit=\d+`).ReplaceAllString(res.DeclarationsURL, "limit=10"), 0
			for url != "" {
				pages++
				if pages > 5 {
					t.Fatalf("more pages than 23 declarations need")
				}
				var page []licensing.Declaration
				pr := compliance.get(url).want(http.StatusOK)
				pr.decode(&page)
				got = append(got, page...)
				url = ""
				if l := pr.header.Get("Link"); l != "" {
					m := nextLink.FindStringSubmatch(l)
					if m == nil {
						t.Fatalf("Link header %q", l)
					}
					url = m[1]
				} else if len(page) == 10 {
					t.Fatalf("a full page without a Link to the next")
				}
			}
			if len(got) != 23 || pages != 3 {
				t.Fatalf("%d declarations in %d pages", len(got), pages)
			}
			sorted := slices.IsSortedFunc(got, func(a, b licensing.Declaration) int {
				if c := a.Date.Compare(b.Date); c != 0 {
					return c
				}
				if a.Number < b.Number {
					return -1
				}
				return 1
			})
			seen := map[string]bool{}
			for _, d := range got {
				if d.Batch != "paged" || seen[d.Number] {
					t.Fatalf("page holds %s of %s (seen: %v)", d.Number, d.Batch, seen[d.Number])
				}
				seen[d.Number] = true
			}
			if !sorted {
				t.Fatalf("pages not in date then number order")
			}
			compliance.get("/api/v1/declarations?batch=paged&after=bm90LWEtY3Vyc29y").wantError(http.StatusBadRequest, tradeplan.EInvalid)
		})
	}
}

// TestDeclarantNamedThroughAPI: through the API, JSON and CSV alike, a
// declarant is the organisation's name or its id; an unknown name is a 400
// placed at the declaration's declarant field, and nothing loads. On each
// engine.
func TestDeclarantNamedThroughAPI(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			compliance := h.token("authority-compliance")
			decl := func(number string, declarant any) map[string]any {
				return map[string]any{"declaration": number, "declarant": declarant, "date": "2027-07-10", "origin": "CN", "destination": "KP",
					"hs": "100630", "crossing": "Namyang-Tumen", "quantity": 1, "unit": "t"}
			}
			var res intakeAnswer
			compliance.post("/api/v1/declarations", map[string]any{"batch": "named", "declarations": []map[string]any{
				decl("NM-1", "north hamgyong provincial trade bureau"), decl("NM-2", h.orgs["agency"].ID)}}).want(http.StatusCreated).decode(&res)
			var ds []licensing.Declaration
			compliance.get(res.DeclarationsURL).want(http.StatusOK).decode(&ds)
			if len(ds) != 2 || ds[0].Declarant != h.orgs["province"].ID || ds[1].Declarant != h.orgs["agency"].ID {
				t.Fatalf("declarants: %+v", ds)
			}
			e := compliance.post("/api/v1/declarations", map[string]any{"batch": "unknown", "declarations": []map[string]any{
				decl("NM-3", "Chongjin Marine Products Trading Agency"), decl("NM-4", "Nowhere Trading")}}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) != 1 || e.Problems[0].Path != "declarations[1].declarant" || !strings.Contains(e.Problems[0].Message, `"Nowhere Trading"`) {
				t.Fatalf("unknown declarant: %+v", e)
			}
			csv := "declaration,declarant,date,origin,destination,hs,quantity,unit,crossing\nNM-5,Chongjin Marine Products Trading Agency,2027-07-11,CN,KP,100630,1,t,Namyang-Tumen\n"
			compliance.do(http.MethodPost, "/api/v1/declarations?batch=named-csv", csv, "text/csv").want(http.StatusCreated)
			compliance.get("/api/v1/declarations?batch=unknown").want(http.StatusOK).decode(&ds)
			if len(ds) != 0 {
				t.Fatalf("a rejected batch loaded %d", len(ds))
			}
		})
	}
}
