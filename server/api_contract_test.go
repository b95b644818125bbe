package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/api"

	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestAPIContractEmptyCallTotals: a call with no plans answers its totals
// as empty arrays, as the document says, never null (a typed client fails
// to decode null into an array).
func TestAPIContractEmptyCallTotals(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			admin := h.session("authority-admin")
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{
				"period": "2027-H2", "deadline": "2027-03-31",
				"organisations": []int64{h.orgs["province"].ID},
			}).want(http.StatusCreated).decode(&call)
			var raw struct {
				Totals map[string]json.RawMessage `json:"totals"`
			}
			admin.get(fmt.Sprintf("/api/v1/calls/%d", call.ID)).want(http.StatusOK).decode(&raw)
			for _, k := range []string{"goods", "crossings"} {
				if got := string(raw.Totals[k]); got != "[]" {
					t.Errorf("totals.%s = %s, want []", k, got)
				}
			}
		})
	}
}

// opSchema returns the JSON schema the document gives operationId's
// request body under media type mt, with $ref resolved one level.
func opSchema(t *testing.T, operationID, mt string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, item := range doc["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			o, ok := op.(map[string]any)
			if !ok || o["operationId"] != operationID {
				continue
			}
			rb, _ := o["requestBody"].(map[string]any)
			content, _ := rb["content"].(map[string]any)
			media, _ := content[mt].(map[string]any)
			s, _ := media["schema"].(map[string]any)
			if ref, ok := s["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				s = doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
			}
			return s
		}
	}
	t.Fatalf("operation %s: no request body %s", operationID, mt)
	return nil
}

// TestAPIContractReasonRequired: the operations whose service refuses a
// blank reason say so in the document (required, minLength 1); the bulk
// refusal of prohibited lines, which gives its own reason, keeps it
// optional. And the server refuses a blank reason as the document says.
func TestAPIContractReasonRequired(t *testing.T) {
	required := []string{"approveClearLines", "refuseLine", "suspendPermit", "reinstatePermit", "revokePermit",
		"openCrossing", "closeCrossing", "revokeDelegation"}
	for _, id := range required {
		s := opSchema(t, id, "application/json")
		req, _ := s["required"].([]any)
		reason, _ := s["properties"].(map[string]any)["reason"].(map[string]any)
		if !slices.Contains(req, any("reason")) || reason["minLength"] != float64(1) {
			t.Errorf("%s: reason not required with minLength 1: %v", id, s)
		}
	}
	if s := opSchema(t, "refuseProhibitedLines", "application/json"); s["required"] != nil {
		t.Errorf("refuseProhibitedLines: reason should stay optional: %v", s)
	}

	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			admin := h.session("authority-admin")
			admin.post("/api/v1/crossings", map[string]any{"id": "rajin-port", "name": "Rajin port", "kind": "port", "countries": []string{"KP", "CN"}}).want(http.StatusCreated)
			admin.post("/api/v1/crossings/rajin-port/open", map[string]any{}).want(http.StatusBadRequest)
			admin.post("/api/v1/crossings/rajin-port/open", map[string]any{"reason": ""}).want(http.StatusBadRequest)
			admin.post("/api/v1/crossings/rajin-port/open", map[string]any{"reason": "order of 1 May"}).want(http.StatusOK)
		})
	}
}

// TestAPIContractPlanMediaTypes: every operation that reads a plan document
// lists every media type the server parses, and no other; a plan sent as
// text/yaml is created.
func TestAPIContractPlanMediaTypes(t *testing.T) {
	candidates := []string{"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/json",
		"text/csv", "text/plain", "application/xml", "application/octet-stream", "application/x-www-form-urlencoded"}
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"createPlan", "editPlan", "amendPlan", "screenPlan"} {
		found := false
		for _, item := range doc["paths"].(map[string]any) {
			for _, op := range item.(map[string]any) {
				o, ok := op.(map[string]any)
				if !ok || o["operationId"] != id {
					continue
				}
				found = true
				content := o["requestBody"].(map[string]any)["content"].(map[string]any)
				for _, mt := range candidates {
					_, accepted := plan.FormatFromContentType(mt)
					if _, listed := content[mt]; accepted != listed {
						t.Errorf("%s: %s accepted by the server %v, listed in the document %v", id, mt, accepted, listed)
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: not in the document", id)
		}
	}

	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			admin := h.session("authority-admin")
			province := h.token("province-submitter")
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{
				"period": "2027-H2", "deadline": "2027-03-31",
				"organisations": []int64{h.orgs["province"].ID},
			}).want(http.StatusCreated).decode(&call)
			doc, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
			if err != nil {
				t.Fatalf("the example plan: %v", err)
			}
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), doc, "text/yaml").want(http.StatusCreated)
		})
	}
}

// responseHeaders returns the headers the document declares for
// operationID's answer status, with a components/responses $ref resolved.
func responseHeaders(t *testing.T, operationID, status string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, item := range doc["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			o, ok := op.(map[string]any)
			if !ok || o["operationId"] != operationID {
				continue
			}
			r, _ := o["responses"].(map[string]any)[status].(map[string]any)
			if ref, ok := r["$ref"].(string); ok {
				r = doc["components"].(map[string]any)["responses"].(map[string]any)[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
			}
			h, _ := r["headers"].(map[string]any)
			return h
		}
	}
	t.Fatalf("operation %s: not in the document", operationID)
	return nil
}

// TestAPIContractLoginHeaders: the headers a client must read on login are
// in the document, not only in prose: Set-Cookie on success, Retry-After on
// 429; and the server sends them (the 429 side: TestLoginRateLimit).
func TestAPIContractLoginHeaders(t *testing.T) {
	if responseHeaders(t, "login", "200")["Set-Cookie"] == nil {
		t.Error("login 200: Set-Cookie not declared")
	}
	if responseHeaders(t, "login", "429")["Retry-After"] == nil {
		t.Error("login 429: Retry-After not declared")
	}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			r := h.anon().post("/api/v1/login", map[string]string{"email": "authority-admin@example.org", "password": h.password}).want(http.StatusOK)
			var names []string
			for _, c := range (&http.Response{Header: r.header}).Cookies() {
				names = append(names, c.Name)
			}
			for _, want := range []string{sessionCookie, csrfCookie} {
				if !slices.Contains(names, want) {
					t.Errorf("login: Set-Cookie %s missing; got %v", want, names)
				}
			}
		})
	}
}

// TestAPIContractUseBodyFirst: a permit use with a missing, zero or
// negative quantity is 400 at "quantity" whatever the permit's state (not
// yet in its period, crossing closed, suspended) — the body is checked
// before the permit, so the answer does not tell the state.
func TestAPIContractUseBodyFirst(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			st := stageAttack(t, h)
			doc := strings.Replace(attackLines(1, "100"), "unit: t,", "unit: t, value: 100, currency: USD, crossing: Namyang-Tumen,", 1)
			st.submitter.do(http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", st.plan), doc, "application/yaml").want(http.StatusOK)
			st.submitter.post(fmt.Sprintf("/api/v1/plans/%d/submit", st.plan), nil).want(http.StatusOK)
			st.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", st.plan), map[string]any{"reason": "rice"}).want(http.StatusOK)
			var permits []licensing.PermitView
			st.submitter.get(fmt.Sprintf("/api/v1/permits?plan=%d", st.plan)).want(http.StatusOK).decode(&permits)
			if len(permits) != 1 {
				t.Fatalf("%d permits", len(permits))
			}
			use := fmt.Sprintf("/api/v1/permits/%d/use", permits[0].ID)
			bad := []map[string]any{{"reference": "x"}, {"quantity": 0, "reference": "x"}, {"quantity": -1, "reference": "x"}}
			check := func(state string) {
				t.Helper()
				for _, b := range bad {
					e := st.submitter.post(use, b).wantError(http.StatusBadRequest, tradeplan.EInvalid)
					if len(e.Problems) == 0 || e.Problems[0].Path != "quantity" {
						t.Errorf("%s, body %v: %+v", state, b, e)
					}
				}
			}
			check("crossing closed, before the period")
			st.admin.post("/api/v1/crossings/namyang-tumen/open", map[string]any{"reason": "open"}).want(http.StatusOK)
			h.clock.advance(140 * 24 * time.Hour)
			check("usable")
			st.admin.post(fmt.Sprintf("/api/v1/permits/%d/suspend", permits[0].ID), map[string]any{"reason": "inquiry"}).want(http.StatusOK)
			check("suspended")
		})
	}
}

// TestAPIContractStatedRules: the rules the server enforces are in the
// document, so a generated model refuses what the server refuses; and a
// party name is capped at 300 characters, as the document's maxLength
// counts, not 300 bytes (a 300-letter Korean name is accepted).
func TestAPIContractStatedRules(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	prop := func(schema, path string) map[string]any {
		var cur any = doc.Components.Schemas[schema]
		for _, k := range strings.Split(path, ".") {
			m, _ := cur.(map[string]any)
			if k == "items" {
				cur = m["items"]
				continue
			}
			props, _ := m["properties"].(map[string]any)
			cur = props[k]
		}
		m, _ := cur.(map[string]any)
		return m
	}
	for _, c := range []struct {
		schema, path, key string
		want              any
	}{
		{"PartiesScreenRequest", "names.items", "maxLength", float64(maxPartyNameLen)},
		{"PartiesComparePair", "name1", "maxLength", float64(maxPartyNameLen)},
		{"PartiesComparePair", "name2", "maxLength", float64(maxPartyNameLen)},
		{"UseRequest", "quantity", "exclusiveMinimum", float64(0)},
		{"UseRequest", "value", "minimum", float64(0)},
		{"UserCreate", "password", "minLength", float64(tradeplan.MinPasswordLen)},
		{"UserCreate", "email", "format", "email"},
		{"LineCreate", "partner", "additionalProperties", false},
		{"LineCreate", "vessel", "additionalProperties", false},
	} {
		if got := prop(c.schema, c.path)[c.key]; got != c.want {
			t.Errorf("%s.%s: %s = %v, want %v", c.schema, c.path, c.key, got, c.want)
		}
	}

	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			c := h.token("province-submitter")
			name := strings.Repeat("김", maxPartyNameLen) // 900 bytes
			c.post("/api/v1/parties/screen", map[string]any{"names": []string{name}}).want(http.StatusOK)
			c.post("/api/v1/parties/compare", map[string]any{"name1": name, "name2": name}).want(http.StatusOK)
			e := c.post("/api/v1/parties/screen", map[string]any{"names": []string{name + "김"}}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) == 0 || e.Problems[0].Path != "names[0]" {
				t.Errorf("301 characters: %+v", e)
			}
			c.post("/api/v1/parties/compare", map[string]any{"name1": name + "김", "name2": "x"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		})
	}
}

// statusesFromMiddleware are the error statuses any operation can answer,
// whatever its handler: 400 (a query parameter it does not take, or text
// that is not valid UTF-8, both checked before or at the handler's start),
// 413 (the body limit, checked before routing), 500; plus 401 where a
// caller must be known, 403 where an unsafe method needs the CSRF token,
// 415 where a body is read, and 429 (with Retry-After) where a rate limit
// applies: login and the open permit verification.
func statusesFromMiddleware(method, operationID string, secured, body bool) []string {
	want := []string{"400", "413", "500"}
	if secured {
		want = append(want, "401")
		if method != "get" {
			want = append(want, "403")
		}
	}
	if body {
		want = append(want, "415")
	}
	if operationID == "login" || operationID == "verifyPermitNumber" || operationID == "verifySignedPermit" {
		want = append(want, "429")
	}
	return want
}

// TestAPIContractErrorStatuses: every operation declares each error status
// the middleware and the shared checks can answer it, and every error
// answer is the one shared Error shape. Then some of them, live: an unknown
// query parameter is 400 and an oversized body 413 on operations that had
// not declared them.
func TestAPIContractErrorStatuses(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	responses := doc["components"].(map[string]any)["responses"].(map[string]any)
	n := 0
	for path, item := range doc["paths"].(map[string]any) {
		for m, op := range item.(map[string]any) {
			o, ok := op.(map[string]any)
			if !ok || !slices.Contains(methods, m) {
				continue
			}
			n++
			id, _ := o["operationId"].(string)
			sec, hasSec := o["security"].([]any)
			secured := !hasSec || len(sec) > 0
			_, body := o["requestBody"]
			declared := o["responses"].(map[string]any)
			for _, s := range statusesFromMiddleware(m, id, secured, body) {
				if declared[s] == nil {
					t.Errorf("%s %s (%s): status %s not declared", strings.ToUpper(m), path, id, s)
				}
			}
			for s, r := range declared {
				if s[0] != '4' && s[0] != '5' {
					continue
				}
				ref, _ := r.(map[string]any)["$ref"].(string)
				name := strings.TrimPrefix(ref, "#/components/responses/")
				shared, _ := responses[name].(map[string]any)
				schema, _ := shared["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
				if schema["$ref"] != "#/components/schemas/Error" {
					t.Errorf("%s (%s): %s is not the shared Error shape: %v", id, path, s, r)
				}
				if hdrs, _ := shared["headers"].(map[string]any); s == "429" && hdrs["Retry-After"] == nil {
					t.Errorf("%s (%s): 429 without Retry-After", id, path)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no operations")
	}

	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			c := h.token("authority-admin")
			for _, p := range []string{"/healthz?x=1", "/api/v1/openapi.json?x=1", "/api/v1/me?x=1",
				fmt.Sprintf("/api/v1/orgs/%d?x=1", h.orgs["authority"].ID), "/api/v1/tokens?x=1", "/api/v1/audit/verify?x=1"} {
				c.get(p).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			}
			big := strings.Repeat("x", 65<<10)
			for _, p := range []string{"/healthz", "/api/v1/me", "/api/v1/calls"} {
				c.do(http.MethodGet, p, big, "text/plain").wantError(http.StatusRequestEntityTooLarge, ETooLarge)
			}
		})
	}
}

// TestAPIContractLineFileDirection: a line file of customs records (the
// bulk CSV that /screen takes, examples/declarations.csv) may leave
// direction empty, as docs/plan-format.md says, on every path that reads
// it: screening, creating, editing and amending a plan. A plan settles it
// from the route against the plan's country; a line whose route does not
// touch that country is refused at its direction, and nothing is saved.
func TestAPIContractLineFileDirection(t *testing.T) {
	const header = "date,origin,destination,hs,description,quantity,unit,value,currency,partner,partner_country,crossing,direction\n"
	const rows = "2027-07-09,KP,CN,030569,salted pollack,42.5,t,61000,USD,Tumen Riverbank Seafood Co.,CN,Namyang-Tumen,\n" +
		"2027-07-11,CN,KP,100630,milled rice,800,t,416000,USD,Yanbian Grain Trading Co.,CN,Namyang-Tumen,\n" +
		"2027-07-12,CN,KP,100630,milled rice,10,t,5200,USD,Yanbian Grain Trading Co.,CN,Namyang-Tumen,import\n"
	const stray = "2027-07-14,CN,RU,100630,milled rice,5,t,2600,USD,Yanbian Grain Trading Co.,CN,Namyang-Tumen,\n"
	example, err := os.ReadFile("../examples/declarations.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			st := stageAttack(t, h)
			h.anon().do(http.MethodPost, "/api/v1/screen", string(example), "text/csv").want(http.StatusOK)
			h.anon().do(http.MethodPost, "/api/v1/screen", header+rows+stray, "text/csv").want(http.StatusOK)

			plan := fmt.Sprintf("/api/v1/plans/%d", st.plan)
			wantDirections := func(want ...tradeplan.Direction) {
				t.Helper()
				var pd licensing.PlanDetail
				st.submitter.get(plan).want(http.StatusOK).decode(&pd)
				var got []tradeplan.Direction
				for _, l := range pd.Lines {
					got = append(got, l.Direction)
				}
				if !slices.Equal(got, want) {
					t.Errorf("directions %v, want %v", got, want)
				}
			}
			e := st.submitter.do(http.MethodPut, plan, header+rows+stray, "text/csv").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) != 1 || e.Problems[0].Path != "lines[4].direction" || !strings.Contains(e.Problems[0].Message, "KP") {
				t.Errorf("stray line: %+v", e)
			}
			wantDirections()
			st.submitter.do(http.MethodPut, plan, header+rows, "text/csv").want(http.StatusOK)
			wantDirections(tradeplan.Export, tradeplan.Import, tradeplan.Import)
			// A line added through the API follows the same rule.
			line := map[string]any{"description": "milled rice", "quantity": 1, "unit": "t", "origin": "CN", "destination": "KP", "partner": map[string]any{"name": "Yanbian Grain Trading Co.", "country": "CN"}}
			st.submitter.post(plan+"/lines", line).want(http.StatusCreated)
			line["destination"] = "RU"
			e = st.submitter.post(plan+"/lines", line).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) != 1 || e.Problems[0].Path != "lines[5].direction" {
				t.Errorf("stray line added: %+v", e)
			}
			wantDirections(tradeplan.Export, tradeplan.Import, tradeplan.Import, tradeplan.Import)
			st.submitter.delete(plan + "/lines/4").want(http.StatusOK)

			// Creating: another organisation's plan, from the same file.
			var call licensing.CallView
			st.admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-03-31", "organisations": []int64{h.orgs["agency"].ID}}).
				want(http.StatusCreated).decode(&call)
			h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
			agency := h.token("agency-submitter")
			create := fmt.Sprintf("/api/v1/calls/%d/plans", call.ID)
			agency.do(http.MethodPost, create, header+stray, "text/csv").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			var pd licensing.PlanDetail
			agency.do(http.MethodPost, create, header+rows, "text/csv").want(http.StatusCreated).decode(&pd)
			if len(pd.Lines) != 3 || pd.Lines[0].Direction != tradeplan.Export || pd.Lines[1].Direction != tradeplan.Import {
				t.Errorf("created: %+v", pd.Lines)
			}

			// Amending a submitted plan.
			st.submitter.post(plan+"/submit", nil).want(http.StatusOK)
			st.submitter.do(http.MethodPost, plan+"/amend?reason=stray", header+rows+stray, "text/csv").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			st.submitter.do(http.MethodPost, plan+"/amend?reason=fewer", header+rows[:strings.LastIndex(rows[:len(rows)-1], "\n")+1], "text/csv").want(http.StatusOK)
			wantDirections(tradeplan.Export, tradeplan.Import)
		})
	}
}

// TestAPIContractLogoutWithToken: logout ends a browser session. Called
// with a bearer token it revokes nothing, says so (400, the token's id and
// how to revoke it), and the token keeps working until it is revoked.
func TestAPIContractLogoutWithToken(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			bearer := h.token("province-admin")
			var me meResponse
			bearer.get("/api/v1/me").want(http.StatusOK).decode(&me)
			e := bearer.post("/api/v1/logout", nil).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			revoke := fmt.Sprintf("DELETE /api/v1/tokens/%d", me.TokenID)
			if !strings.Contains(e.Message, "stays valid") || e.Details["token_id"] != float64(me.TokenID) || e.Details["revoke"] != revoke {
				t.Errorf("logout with a token: %+v", e)
			}
			bearer.get("/api/v1/me").want(http.StatusOK)
			bearer.delete(fmt.Sprintf("/api/v1/tokens/%d", me.TokenID)).want(http.StatusNoContent)
			bearer.get("/api/v1/me").wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)

			// A session's logout still ends it.
			s := h.session("province-admin")
			s.post("/api/v1/logout", nil).want(http.StatusNoContent)
			s.get("/api/v1/me").wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
		})
	}
}

// TestAPIContractEmptyLists: every list the API answers is [] when there
// is nothing to list, never null (a typed client fails to decode null into
// an array). Each GET of the document without path parameters is called on
// a fresh database by an administrator of the authority and of a company,
// and the validator checks each answer against its schema.
func TestAPIContractEmptyLists(t *testing.T) {
	spec, err := apiSpec()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for path, item := range spec.doc.Paths.Map() {
		if item.Get != nil && !strings.Contains(path, "{") {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	if len(paths) < 15 {
		t.Fatalf("only %d GET operations without path parameters: %v", len(paths), paths)
	}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			for _, who := range []string{"authority-admin", "authority-compliance", "importer-admin"} {
				c := h.token(who)
				for _, p := range paths {
					r := c.get(p)
					if r.status == http.StatusForbidden {
						r.apiError() // a role this user lacks
						continue
					}
					if r.status != http.StatusOK {
						t.Errorf("%s: GET %s: %d %s", who, p, r.status, r.body)
					}
					if p != "/api/v1/openapi.json" && strings.Contains(string(r.body), "null") {
						t.Errorf("%s: GET %s: %s", who, p, r.body)
					}
				}
			}
		})
	}
}
