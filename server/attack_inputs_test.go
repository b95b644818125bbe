package server

import (
	"bytes"
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

// The attacks of issue 12 on the inputs, items 9 to 11, run on each
// engine: what a hostile applicant sends to make the server work, store or
// answer out of proportion, or fail.

// attackStage is a call open to the province, a crossing, and a submitted
// plan of one clear import line, for the routes that act on them.
type attackStage struct {
	admin, reviewer, submitter *client
	call, plan                 int64
}

func stageAttack(t *testing.T, h *harness) attackStage {
	t.Helper()
	h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
	st := attackStage{admin: h.session("authority-admin"), reviewer: h.token("authority-reviewer"), submitter: h.token("province-submitter")}
	st.admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "countries": []string{"KP", "CN"}}).want(http.StatusCreated)
	var call licensing.CallView
	st.admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31", "organisations": []int64{h.orgs["province"].ID}}).
		want(http.StatusCreated).decode(&call)
	st.call = call.ID
	var pd licensing.PlanDetail
	st.submitter.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), nil, "").want(http.StatusCreated).decode(&pd)
	st.plan = pd.Plan.ID
	return st
}

func attackLines(n int, quantity string) string {
	var b strings.Builder
	b.WriteString("plan: {id: attack, country: KP, period: 2027-H2}\nlines:\n")
	for range n {
		fmt.Fprintf(&b, "  - {direction: import, description: milled rice, hs: \"1006.30\", quantity: %s, unit: t, partner: {name: Dandong Grain Co., country: CN}}\n", quantity)
	}
	return b.String()
}

// TestAttackAmplification is item 9: a document of aliases that expands far
// beyond its size, and plans of more lines than the server takes, on every
// path that reads a plan.
func TestAttackAmplification(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, func(c *Config) { c.MaxPlanLines = 40 })
			st := stageAttack(t, h)
			anon := h.anon()

			// 4,000 aliases of one line with a 2,000-letter description:
			// 30 KB that would be 8 MB of lines.
			var b strings.Builder
			b.WriteString("plan: {id: bomb, country: KP, period: 2027-H2}\nlines:\n")
			fmt.Fprintf(&b, "  - &l {direction: import, description: rice %s, quantity: 1, unit: t, partner: {country: CN}}\n", strings.Repeat("x", 2000))
			for range 4000 {
				b.WriteString("  - *l\n")
			}
			bomb := b.String()
			for _, path := range []string{"/api/v1/screen", fmt.Sprintf("/api/v1/plans/%d", st.plan)} {
				c, method := anon, http.MethodPost
				if path != "/api/v1/screen" {
					c, method = st.submitter, http.MethodPut
				}
				r := c.do(method, path, bomb, "application/yaml")
				e := r.wantError(http.StatusBadRequest, tradeplan.EInvalid)
				if !strings.Contains(r.String(), "alias") {
					t.Errorf("%s: the bomb refused without saying why: %+v", path, e)
				}
				if len(r.body) > 8<<10 {
					t.Errorf("%s: a %d-byte answer to a refused document", path, len(r.body))
				}
			}

			// More lines than the server takes, in each format and on
			// each path; as many is fine.
			csv := func(n int) string {
				var b strings.Builder
				b.WriteString("origin,destination,description,quantity,unit\n")
				for range n {
					b.WriteString("CN,KP,milled rice,10,t\n")
				}
				return b.String()
			}
			anon.do(http.MethodPost, "/api/v1/screen", attackLines(40, "10"), "application/yaml").want(http.StatusOK)
			for _, tc := range []struct{ name, body, ct string }{
				{"yaml", attackLines(41, "10"), "application/yaml"},
				{"csv", csv(41), "text/csv"},
			} {
				r := anon.do(http.MethodPost, "/api/v1/screen", tc.body, tc.ct)
				r.wantError(http.StatusBadRequest, tradeplan.EInvalid)
				if !strings.Contains(r.String(), "at most 40 lines") {
					t.Errorf("screen %s: %s", tc.name, r.body)
				}
				r = st.submitter.do(http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", st.plan), tc.body, tc.ct)
				r.wantError(http.StatusBadRequest, tradeplan.EInvalid)
			}
			st.submitter.do(http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", st.plan), attackLines(40, "10"), "application/yaml").want(http.StatusOK)
			// The 41st line, one at a time.
			line := map[string]any{"direction": "import", "description": "milled rice", "quantity": 1, "unit": "t", "origin": "CN"}
			r := st.submitter.post(fmt.Sprintf("/api/v1/plans/%d/lines", st.plan), line)
			r.wantError(http.StatusBadRequest, tradeplan.EInvalid)
			var pd licensing.PlanDetail
			st.submitter.get(fmt.Sprintf("/api/v1/plans/%d", st.plan)).want(http.StatusOK).decode(&pd)
			if len(pd.Lines) != 40 {
				t.Errorf("plan has %d lines, want 40", len(pd.Lines))
			}
			// A new plan over the limit is not created.
			h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
			st.admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31", "organisations": []int64{h.orgs["agency"].ID}}).want(http.StatusCreated)
			agency := h.token("agency-submitter")
			var calls []licensing.CallView
			agency.get("/api/v1/calls").want(http.StatusOK).decode(&calls)
			for _, c := range calls {
				agency.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", c.ID), attackLines(41, "10"), "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			}
		})
	}
}

func (r *response) String() string { return string(r.body) }

// TestAttackNonFinite is item 10: quantities and values that are not finite
// or above tradeplan.MaxAmount, on every path that takes one, and sums of
// the largest that stay finite.
func TestAttackNonFinite(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			st := stageAttack(t, h)
			anon := h.anon()
			for _, tc := range []struct{ name, body, ct, path string }{
				{"yaml quantity", attackLines(1, "1.7e308"), "application/yaml", "lines[1].quantity"},
				{"yaml value", strings.Replace(attackLines(1, "1"), "unit: t,", "unit: t, value: 2e15, currency: USD,", 1), "application/yaml", "lines[1].value"},
				{"json quantity", `{"plan": {"id": "x", "country": "KP"}, "lines": [{"direction": "import", "description": "rice", "quantity": 1e16, "unit": "t", "origin": "CN"}]}`, "application/json", "lines[1].quantity"},
				{"csv quantity", "origin,destination,description,quantity,unit\nCN,KP,rice,1.7e308,t\n", "text/csv", "quantity"},
				{"csv value", "origin,destination,description,value,currency\nCN,KP,rice,1e300,USD\n", "text/csv", "value"},
			} {
				for _, c := range []*client{anon, st.submitter} {
					path := "/api/v1/screen"
					if c != anon {
						path = fmt.Sprintf("/api/v1/plans/%d", st.plan)
					}
					method := map[bool]string{true: http.MethodPost, false: http.MethodPut}[c == anon]
					e := c.do(method, path, tc.body, tc.ct).wantError(http.StatusBadRequest, tradeplan.EInvalid)
					if len(e.Problems) != 1 || e.Problems[0].Path != tc.path || !strings.Contains(e.Problems[0].Message, "1e15") && !strings.Contains(e.Problems[0].Message, "too large") {
						t.Errorf("%s %s: %+v", tc.name, path, e)
					}
				}
			}
			// A line added through the API.
			for _, f := range []string{"quantity", "value"} {
				line := map[string]any{"direction": "import", "description": "milled rice", "quantity": 1, "unit": "t", "origin": "CN", "value": 1, "currency": "USD", "crossing": "Namyang-Tumen"}
				line[f] = 1.7e308
				e := st.submitter.post(fmt.Sprintf("/api/v1/plans/%d/lines", st.plan), line).wantError(http.StatusBadRequest, tradeplan.EInvalid)
				if len(e.Problems) != 1 || !strings.HasSuffix(e.Problems[0].Path, f) {
					t.Errorf("add line with %s 1.7e308: %+v", f, e)
				}
			}
			// Two lines of the maximum: the totals of the call stay finite.
			doc := strings.Replace(attackLines(2, "999999999999999"), "unit: t,", "unit: t, value: 999999999999999, currency: USD, crossing: Namyang-Tumen,", -1)
			st.submitter.do(http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", st.plan), doc, "application/yaml").want(http.StatusOK)
			st.submitter.post(fmt.Sprintf("/api/v1/plans/%d/submit", st.plan), nil).want(http.StatusOK)
			st.admin.get(fmt.Sprintf("/api/v1/calls/%d", st.call)).want(http.StatusOK)
			anon.do(http.MethodPost, "/api/v1/screen", doc, "application/yaml").want(http.StatusOK)

			// A reduced approval above the maximum, or not finite (the
			// JSON of the API has no infinity; a form has).
			e := st.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", st.plan), map[string]any{"quantity": 1e300, "reason": "x"}).
				wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) == 0 || e.Problems[0].Path != "quantity" {
				t.Errorf("approval of 1e300: %+v", e)
			}
			br := h.browser()
			br.login("authority-reviewer")
			pg := br.get(fmt.Sprintf("/plans/%d", st.plan)).want(http.StatusOK)
			for _, v := range []string{"Inf", "NaN", "1e300"} {
				br.post(fmt.Sprintf("/plans/%d/lines/1/approve", st.plan), url.Values{"quantity": {v}, "reason": {"x"}, csrfField: {pg.csrf()}}).want(http.StatusBadRequest)
			}
			// A permit's use: approve line 1, open the crossing, then
			// use it with a value of the maximum twice (its value is
			// the maximum: a third use would be over).
			st.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", st.plan), map[string]any{"reason": "rice"}).want(http.StatusOK)
			st.admin.post("/api/v1/crossings/namyang-tumen/open", map[string]any{"reason": "open"}).want(http.StatusOK)
			var permits []licensing.PermitView
			st.submitter.get(fmt.Sprintf("/api/v1/permits?plan=%d", st.plan)).want(http.StatusOK).decode(&permits)
			if len(permits) != 1 {
				t.Fatalf("%d permits", len(permits))
			}
			h.clock.advance(140 * 24 * time.Hour) // into the permit's period
			e = st.submitter.post(fmt.Sprintf("/api/v1/permits/%d/use", permits[0].ID), map[string]any{"quantity": 1, "value": 1.7e308, "reference": "x"}).
				wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) == 0 || e.Problems[0].Path != "value" {
				t.Errorf("use of value 1.7e308: %+v", e)
			}
		})
	}
}

// TestAttackText is item 11: a NUL, another control character or invalid
// UTF-8 in any text of any route that stores or looks up text is refused
// with 400 at its field, on both engines, and nothing is stored.
func TestAttackText(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			st := stageAttack(t, h)
			provAdmin := h.token("province-admin")
			nul := "bad\x00text"
			p := func(f string, a ...any) string { return fmt.Sprintf(f, a...) }
			line := func(field string) map[string]any {
				l := map[string]any{"direction": "import", "description": "milled rice", "hs": "1006.30", "quantity": 1, "unit": "t", "origin": "CN", "crossing": "Namyang-Tumen"}
				switch field {
				case "partner.name":
					l["partner"] = map[string]any{"name": nul, "country": "CN"}
				case "vessel.name":
					l["vessel"] = map[string]any{"name": nul}
				case "":
				default:
					l[field] = nul
				}
				return l
			}
			type route struct {
				name   string
				c      *client
				method string
				path   string
				body   any
				ct     string
				field  string // the path of the problem
			}
			routes := []route{
				{"org name", provAdmin, "POST", "/api/v1/orgs", map[string]any{"parent_id": h.orgs["province"].ID, "name": nul, "kind": "agency", "country": "KP"}, "", "name"},
				{"user name", provAdmin, "POST", "/api/v1/users", map[string]any{"org_id": h.orgs["province"].ID, "email": "x@example.org", "name": nul, "role": "submitter"}, "", "name"},
				{"user email", provAdmin, "POST", "/api/v1/users", map[string]any{"org_id": h.orgs["province"].ID, "email": "x\x00@example.org", "name": "x", "role": "submitter"}, "", "email"},
				{"token name", provAdmin, "POST", "/api/v1/tokens", map[string]any{"name": nul}, "", "name"},
				{"login email", h.anon(), "POST", "/api/v1/login", map[string]any{"email": "x\x00@example.org", "password": "x"}, "", "email"},
				{"call guidance", st.admin, "POST", "/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31", "guidance": nul}, "", "guidance"},
				{"crossing id", st.admin, "POST", "/api/v1/crossings", map[string]any{"id": nul, "name": "x", "kind": "road"}, "", "id"},
				{"crossing name", st.admin, "POST", "/api/v1/crossings", map[string]any{"id": "x-y", "name": nul, "kind": "road"}, "", "name"},
				{"delegation reason", st.admin, "POST", "/api/v1/delegations", map[string]any{"office": h.orgs["province"].ID, "reason": nul}, "", "reason"},
				{"crossing reason", st.admin, "POST", "/api/v1/crossings/namyang-tumen/open", map[string]any{"reason": nul}, "", "reason"},
				{"crossing in path", st.admin, "GET", "/api/v1/crossings/" + url.PathEscape(nul), nil, "", "path"},
				{"line description", st.submitter, "POST", p("/api/v1/plans/%d/lines", st.plan), line("description"), "", "description"},
				{"line partner", st.submitter, "POST", p("/api/v1/plans/%d/lines", st.plan), line("partner.name"), "", "partner.name"},
				{"line vessel", st.submitter, "POST", p("/api/v1/plans/%d/lines", st.plan), line("vessel.name"), "", "vessel.name"},
				{"line crossing", st.submitter, "POST", p("/api/v1/plans/%d/lines", st.plan), line("crossing"), "", "crossing"},
				{"line purpose", st.submitter, "POST", p("/api/v1/plans/%d/lines", st.plan), line("purpose"), "", "purpose"},
				{"json plan", st.submitter, "PUT", p("/api/v1/plans/%d", st.plan),
					`{"plan": {"id": "x", "country": "KP"}, "lines": [{"direction": "import", "description": "rice\u0000", "quantity": 1, "unit": "t", "origin": "CN"}]}`, "application/json", "lines[1].description"},
				{"yaml plan", st.submitter, "PUT", p("/api/v1/plans/%d", st.plan),
					"plan: {id: x, country: KP}\nlines:\n  - {direction: import, description: \"rice\\0\", quantity: 1, unit: t, origin: CN}\n", "application/yaml", "lines[1].description"},
				{"yaml control", st.submitter, "PUT", p("/api/v1/plans/%d", st.plan),
					"plan: {id: x, country: KP}\nlines:\n  - {direction: import, description: rice, quantity: 1, unit: t, origin: CN, partner: {name: \"Dandong\\x01 Co\"}}\n", "application/yaml", "lines[1].partner.name"},
				{"csv plan", st.submitter, "PUT", p("/api/v1/plans/%d", st.plan), "origin,destination,description\nCN,KP,rice\x00\n", "text/csv", "description"},
				{"screen json", h.anon(), "POST", "/api/v1/screen",
					`{"plan": {"id": "x", "country": "KP"}, "lines": [{"direction": "import", "description": "rice", "quantity": 1, "unit": "t", "origin": "CN", "partner": {"name": "a\u0000"}}]}`, "application/json", "lines[1].partner.name"},
				{"parties", h.anon(), "POST", "/api/v1/parties/screen", map[string]any{"names": []string{"ok", nul}}, "", "names[1]"},
			}
			check := func(routes []route) {
				t.Helper()
				for _, rt := range routes {
					r := rt.c.do(rt.method, rt.path, rt.body, rt.ct)
					if r.status != http.StatusBadRequest {
						t.Errorf("%s: %s %s: status %d, want 400; body %.200s", rt.name, rt.method, rt.path, r.status, r.body)
						continue
					}
					e := r.wantError(http.StatusBadRequest, tradeplan.EInvalid)
					found := false
					for _, pr := range e.Problems {
						found = found || strings.HasSuffix(pr.Path, rt.field) || pr.Field == rt.field
					}
					if !found {
						t.Errorf("%s: problems %+v, want one at %s", rt.name, e.Problems, rt.field)
					}
				}
			}
			check(routes)
			// Routes on a submitted plan.
			st.submitter.post(p("/api/v1/plans/%d/lines", st.plan), line("")).want(http.StatusCreated)
			st.submitter.post(p("/api/v1/plans/%d/lines", st.plan), line("")).want(http.StatusCreated)
			st.submitter.post(p("/api/v1/plans/%d/submit", st.plan), nil).want(http.StatusOK)
			check([]route{
				route{"amend reason", st.submitter, "POST", p("/api/v1/plans/%d/amend?reason=%s", st.plan, url.QueryEscape(nul)), attackLines(1, "1"), "application/yaml", "reason"},
				route{"refuse reason", st.reviewer, "POST", p("/api/v1/plans/%d/lines/1/refuse", st.plan), map[string]any{"reason": nul}, "", "reason"},
				route{"assess reason", st.reviewer, "POST", p("/api/v1/plans/%d/lines/1/assess", st.plan), map[string]any{"hs": "1006.30", "reason": nul}, "", "reason"},
				route{"approve-clear reason", st.reviewer, "POST", p("/api/v1/plans/%d/approve-clear", st.plan), map[string]any{"reason": nul}, "", "reason"},
				route{"refuse-prohibited reason", st.reviewer, "POST", p("/api/v1/plans/%d/refuse-prohibited", st.plan), map[string]any{"reason": nul}, "", "reason"},
				route{"approve reason", st.reviewer, "POST", p("/api/v1/plans/%d/lines/2/approve", st.plan), map[string]any{"reason": nul}, "", "reason"},
			})
			// Routes on a permit.
			st.reviewer.post(p("/api/v1/plans/%d/lines/2/approve", st.plan), map[string]any{"reason": "rice"}).want(http.StatusOK)
			st.admin.post("/api/v1/crossings/namyang-tumen/open", map[string]any{"reason": "open"}).want(http.StatusOK)
			var permits []licensing.PermitView
			st.submitter.get(p("/api/v1/permits?plan=%d", st.plan)).want(http.StatusOK).decode(&permits)
			if len(permits) != 1 {
				t.Fatalf("%d permits", len(permits))
			}
			check([]route{
				{"use reference", st.submitter, "POST", p("/api/v1/permits/%d/use", permits[0].ID), map[string]any{"quantity": 0.5, "reference": nul}, "", "reference"},
				{"use crossing", st.submitter, "POST", p("/api/v1/permits/%d/use", permits[0].ID), map[string]any{"quantity": 0.5, "crossing": nul}, "", "crossing"},
				{"suspend reason", st.admin, "POST", p("/api/v1/permits/%d/suspend", permits[0].ID), map[string]any{"reason": nul}, "", "reason"},
			})
			// Invalid UTF-8 in a JSON body is refused at its field, not
			// replaced: raw bytes, which encoding/json would make U+FFFD.
			for _, rt := range []route{
				{"call guidance", st.admin, "POST", "/api/v1/calls", []byte("{\"period\": \"2027-H2\", \"deadline\": \"2027-03-31\", \"guidance\": \"a\xff\"}"), "application/json", "guidance"},
				{"json plan", st.submitter, "PUT", p("/api/v1/plans/%d", st.plan),
					[]byte("{\"plan\": {\"id\": \"x\", \"country\": \"KP\"}, \"lines\": [{\"direction\": \"import\", \"description\": \"rice \xc3\", \"quantity\": 1, \"unit\": \"t\", \"origin\": \"CN\"}]}"), "application/json", "lines[1].description"},
				{"screen json", h.anon(), "POST", "/api/v1/screen",
					[]byte("{\"plan\": {\"id\": \"x\", \"country\": \"KP\"}, \"lines\": [{\"direction\": \"import\", \"description\": \"rice \xed\xa0\x80\", \"quantity\": 1, \"unit\": \"t\", \"origin\": \"CN\"}]}"), "application/json", "lines[1].description"},
			} {
				e := rt.c.do(rt.method, rt.path, rt.body, rt.ct).wantError(http.StatusBadRequest, tradeplan.EInvalid)
				if len(e.Problems) == 0 || !strings.HasSuffix(e.Problems[0].Path, rt.field) || !strings.Contains(e.Problems[0].Message, "UTF-8") {
					t.Errorf("%s: %+v, want invalid UTF-8 at %s", rt.name, e.Problems, rt.field)
				}
			}
			// Nothing of it was stored.
			var calls []licensing.CallView
			st.admin.get("/api/v1/calls").want(http.StatusOK).decode(&calls)
			var orgs struct{ Orgs []tradeplan.Organisation }
			provAdmin.get("/api/v1/orgs").want(http.StatusOK).decode(&orgs)
			for _, o := range orgs.Orgs {
				if strings.Contains(o.Name, "bad") {
					t.Errorf("org %q stored", o.Name)
				}
			}
			if len(calls) != 1 {
				t.Errorf("%d calls, want 1", len(calls))
			}

			// Web forms: the same text refused with 400, the page shown.
			br := h.browser()
			br.login("authority-reviewer")
			pg := br.get(p("/plans/%d", st.plan)).want(http.StatusOK)
			br.post(p("/plans/%d/lines/1/refuse", st.plan), url.Values{"reason": {nul}, csrfField: {pg.csrf()}}).want(http.StatusBadRequest)
			br.post(p("/plans/%d/lines/1/refuse", st.plan), url.Values{"reason": {"a\xffb"}, csrfField: {pg.csrf()}}).want(http.StatusBadRequest)
			// And the line can still be decided with good text.
			var d tradeplan.LineDecision
			st.reviewer.post(p("/api/v1/plans/%d/lines/1/refuse", st.plan), map[string]any{"reason": "not needed\n\tthis half"}).want(http.StatusOK).decode(&d)
			if !bytes.Contains([]byte(d.Reason), []byte("\n\t")) {
				t.Errorf("reason %q lost its line break and tab", d.Reason)
			}
		})
	}
}
