package server

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// forEngine runs fn on a fresh harness on every engine.
func forEngine(t *testing.T, fn func(t *testing.T, h *harness), opts ...harnessOption) {
	for _, engine := range storetestEngines(t) {
		t.Run(engine, func(t *testing.T) {
			fn(t, newHarness(t, engine, opts...))
		})
	}
}

func TestOpenEndpoints(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, h *harness) {
		c := h.anon()
		r := c.get("/healthz").want(http.StatusOK)
		if string(bytes.TrimSpace(r.body)) != `{"status":"ok"}` {
			t.Errorf("healthz body %s", r.body)
		}
		for _, hd := range []struct{ name, want string }{
			{"Content-Security-Policy", "default-src 'self'"},
			{"X-Content-Type-Options", "nosniff"},
			{"X-Frame-Options", "DENY"},
			{"Referrer-Policy", "no-referrer"},
		} {
			if got := r.header.Get(hd.name); !strings.Contains(got, hd.want) {
				t.Errorf("header %s = %q, want it to contain %q", hd.name, got, hd.want)
			}
		}
		if got := r.header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("HSTS over plain HTTP: %q", got)
		}
		r = c.get("/api/v1/openapi.json").want(http.StatusOK)
		var doc map[string]any
		r.decode(&doc)
		if doc["openapi"] != "3.1.0" {
			t.Errorf("openapi.json: openapi = %v", doc["openapi"])
		}
	})
}

// TestAuthRequired checks that every documented endpoint other than the
// open ones answers 401 in the error shape to a request with no credentials,
// a wrong bearer token, a malformed Authorization header or an unknown
// session cookie. It covers the routes other files add too.
func TestAuthRequired(t *testing.T) {
	t.Parallel()
	open := map[string]bool{
		"GET /healthz": true, "GET /api/v1/openapi.json": true, "POST /api/v1/screen": true,
		"POST /api/v1/parties/screen": true, "POST /api/v1/parties/compare": true, "POST /api/v1/login": true,
		// Verifying a permit needs no account (enforce.go).
		"GET /api/v1/verify/{number}": true, "POST /api/v1/verify": true, "GET /api/v1/keys": true,
	}
	h := newHarness(t, "sqlite")
	creds := []struct {
		name string
		hdr  []string
	}{
		{"none", nil},
		{"unknown bearer", []string{"Authorization", "Bearer tpt_notatoken"}},
		{"basic auth", []string{"Authorization", "Basic dXNlcjpwYXNz"}},
		{"empty bearer", []string{"Authorization", "Bearer "}},
		{"unknown session", []string{"Cookie", sessionCookie + "=tps_forged", csrfHeader, "x"}},
	}
	n := 0
	for route := range documentedRoutes(t) {
		if open[route] {
			continue
		}
		n++
		m := routePattern.FindStringSubmatch(route)
		path := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(m[2], "1")
		for _, cr := range creds {
			t.Run(route+"/"+cr.name, func(t *testing.T) {
				h.t = t
				var body any
				ct := ""
				if m[1] != http.MethodGet && m[1] != http.MethodDelete {
					body, ct = "{}", "application/json"
				}
				r := h.anon().do(m[1], path, body, ct, cr.hdr...)
				r.wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
				if r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
	}
	if n < 10 {
		t.Fatalf("only %d protected routes documented", n)
	}
}

func TestLoginSessionTokenLogout(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, h *harness) {
		// Login sets the cookies with the right attributes.
		r := h.anon().post("/api/v1/login", map[string]string{"email": "Province-Admin@Example.org ", "password": h.password}).want(http.StatusOK)
		var sess, csrf *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			switch c.Name {
			case sessionCookie:
				sess = c
			case csrfCookie:
				csrf = c
			}
		}
		if sess == nil || csrf == nil {
			t.Fatalf("login cookies: %v", r.header.Values("Set-Cookie"))
		}
		if !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/" {
			t.Errorf("session cookie attributes: %+v", sess)
		}
		if csrf.HttpOnly || csrf.SameSite != http.SameSiteStrictMode {
			t.Errorf("csrf cookie must be readable and strict: %+v", csrf)
		}
		var lr loginResponse
		r.decode(&lr)
		if lr.CSRFToken != csrf.Value || lr.User.Email != "province-admin@example.org" || lr.Org.ID != h.orgs["province"].ID {
			t.Errorf("login response %s", r.body)
		}
		if bytes.Contains(r.body, []byte(sess.Value)) {
			t.Error("the session token leaks into the body")
		}

		// Wrong passwords and unknown users get the same answer.
		e1 := h.anon().post("/api/v1/login", map[string]string{"email": "province-admin@example.org", "password": "wrong password!"}).wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
		e2 := h.anon().post("/api/v1/login", map[string]string{"email": "nobody@example.org", "password": "wrong password!"}).wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
		if e1.Message != e2.Message {
			t.Errorf("unknown user and wrong password answer differently: %q vs %q", e1.Message, e2.Message)
		}

		// The session works; me says who.
		s := h.session("province-admin")
		var me meResponse
		s.get("/api/v1/me").want(http.StatusOK).decode(&me)
		if me.User.ID != h.users["province-admin"].ID || me.Via != "session" || me.Org.ID != h.orgs["province"].ID {
			t.Errorf("me via session: %+v", me)
		}

		// A token made through the API works as a bearer token, without CSRF.
		var tc tokenCreated
		s.post("/api/v1/tokens", map[string]string{"name": "nightly export"}).want(http.StatusCreated).decode(&tc)
		if !strings.HasPrefix(tc.Secret, tc.Token.Prefix) || tc.Token.UserID != h.users["province-admin"].ID {
			t.Fatalf("token: %+v", tc)
		}
		bearer := &client{h: h, hc: &http.Client{Timeout: 10 * time.Second}, bearer: tc.Secret}
		bearer.get("/api/v1/me").want(http.StatusOK).decode(&me)
		if me.Via != "token" || me.TokenID != tc.Token.ID {
			t.Errorf("me via token: %+v", me)
		}
		bearer.post("/api/v1/orgs", map[string]any{"parent_id": h.orgs["province"].ID, "name": "Rason fishing base 3", "kind": "site"}).want(http.StatusCreated)
		bearer.post("/api/v1/logout", nil).wantError(http.StatusBadRequest, tradeplan.EInvalid)

		// The token list shows it, without the secret.
		r = s.get("/api/v1/tokens").want(http.StatusOK)
		if !bytes.Contains(r.body, []byte(tc.Token.Prefix)) || bytes.Contains(r.body, []byte(tc.Secret)) {
			t.Errorf("token list %s", r.body)
		}
		// Revoked, it stops working.
		s.delete("/api/v1/tokens/" + strconv.FormatInt(tc.Token.ID, 10)).want(http.StatusNoContent)
		bearer.get("/api/v1/me").wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
		s.delete("/api/v1/tokens/"+strconv.FormatInt(tc.Token.ID, 10)).wantError(http.StatusConflict, tradeplan.EConflict)

		// Logout ends the session and clears the cookies.
		s.post("/api/v1/logout", nil).want(http.StatusNoContent)
		s.get("/api/v1/me").wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)

		// Everything above is in the audit log, and the chain verifies.
		var audit struct {
			Entries []tradeplan.AuditEntry `json:"entries"`
		}
		h.session("province-admin").get("/api/v1/audit?limit=1000").want(http.StatusOK).decode(&audit)
		actions := map[string]bool{}
		for _, e := range audit.Entries {
			actions[e.Action] = true
			if e.OrgID != 0 && e.OrgID != h.orgs["province"].ID && e.OrgID != h.orgs["agency"].ID && !h.seenIn("province", e.OrgID) {
				t.Errorf("audit entry %d of organisation %d is outside the province's subtree", e.Seq, e.OrgID)
			}
		}
		for _, want := range []string{"session.create", "session.delete", "token.create", "token.revoke", "org.create"} {
			if !actions[want] {
				t.Errorf("audit log lacks %s; has %v", want, actions)
			}
		}
		var v struct {
			OK      bool  `json:"ok"`
			Entries int64 `json:"entries"`
		}
		h.session("authority-admin").get("/api/v1/audit/verify").want(http.StatusOK).decode(&v)
		if !v.OK || v.Entries < 10 {
			t.Errorf("audit verify: %+v", v)
		}
	})
}

// seenIn reports whether org id lies in the subtree of the harness org key.
func (h *harness) seenIn(key string, id int64) bool {
	ok, err := h.db.InSubtree(h.t.Context(), h.orgs[key].ID, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return ok
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, h *harness) {
		s := h.session("province-admin")
		body := map[string]any{"parent_id": h.orgs["province"].ID, "name": "Kimchaek port", "kind": "site"}
		tests := []struct {
			name   string
			hdr    []string
			status int
			code   string
		}{
			{"missing", []string{csrfHeader, ""}, http.StatusForbidden, tradeplan.EForbidden},
			{"wrong", []string{csrfHeader, "not-the-token"}, http.StatusForbidden, tradeplan.EForbidden},
			{"another session's", []string{csrfHeader, h.session("province-admin").csrf}, http.StatusForbidden, tradeplan.EForbidden},
			{"right", nil, http.StatusCreated, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := s.do(http.MethodPost, "/api/v1/orgs", body, "", tt.hdr...)
				if tt.code != "" {
					r.wantError(tt.status, tt.code)
				} else {
					r.want(tt.status)
				}
			})
		}
		// Safe methods need no CSRF token.
		s.do(http.MethodGet, "/api/v1/orgs", nil, "", csrfHeader, "").want(http.StatusOK)
	})
}

// TestScope is the table of endpoint x actor: nobody sees or changes what
// belongs to another organisation (404, never revealing it), and a role
// that may not act gets 403.
func TestScope(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, h *harness) {
		id := func(key string) string { return strconv.FormatInt(h.orgs[key].ID, 10) }
		uid := func(key string) int64 { return h.users[key].ID }
		// A token of the province submitter, to be revoked by others.
		ctx := tradeplan.WithActor(t.Context(), tradeplan.SystemActor("test"))
		_, provTok, err := h.db.CreateToken(ctx, uid("province-submitter"), "provincial robot")
		if err != nil {
			t.Fatal(err)
		}
		_, authTok, err := h.db.CreateToken(ctx, uid("authority-admin"), "authority robot")
		if err != nil {
			t.Fatal(err)
		}
		provTokPath := "/api/v1/tokens/" + strconv.FormatInt(provTok.ID, 10)
		authTokPath := "/api/v1/tokens/" + strconv.FormatInt(authTok.ID, 10)

		tests := []struct {
			name   string
			actor  string
			method string
			path   string
			body   any
			status int
		}{
			// Another tree: 404 for everything of the province.
			{"importer reads province org", "importer-admin", "GET", "/api/v1/orgs/" + id("province"), nil, 404},
			{"importer reads authority org", "importer-admin", "GET", "/api/v1/orgs/" + id("authority"), nil, 404},
			{"importer lists province children", "importer-admin", "GET", "/api/v1/orgs?parent_id=" + id("province"), nil, 404},
			{"importer creates under province", "importer-admin", "POST", "/api/v1/orgs", map[string]any{"parent_id": h.orgs["province"].ID, "name": "X", "kind": "site"}, 404},
			{"importer lists province users", "importer-admin", "GET", "/api/v1/users?org_id=" + id("province"), nil, 404},
			{"importer creates a province user", "importer-admin", "POST", "/api/v1/users", map[string]any{"org_id": h.orgs["province"].ID, "email": "mole@example.org", "role": "admin"}, 404},
			{"importer makes a token for a province user", "importer-admin", "POST", "/api/v1/tokens", map[string]any{"name": "x", "user_id": uid("province-admin")}, 404},
			{"importer revokes a province token", "importer-admin", "DELETE", provTokPath, nil, 404},
			{"importer submitter reads province org", "importer-submitter", "GET", "/api/v1/orgs/" + id("agency"), nil, 404},
			// Up the tree: the province does not see its authority.
			{"province reads its authority", "province-admin", "GET", "/api/v1/orgs/" + id("authority"), nil, 404},
			{"province creates beside itself", "province-admin", "POST", "/api/v1/orgs", map[string]any{"parent_id": h.orgs["authority"].ID, "name": "South Hamgyong", "kind": "province"}, 404},
			{"province revokes the authority's token", "province-admin", "DELETE", authTokPath, nil, 404},
			{"province makes a token for the authority admin", "province-admin", "POST", "/api/v1/tokens", map[string]any{"name": "x", "user_id": uid("authority-admin")}, 404},
			// Unknown ids look the same as hidden ones.
			{"no such org", "province-admin", "GET", "/api/v1/orgs/999999", nil, 404},
			{"malformed org id", "province-admin", "GET", "/api/v1/orgs/abc", nil, 404},
			{"no such token", "province-admin", "DELETE", "/api/v1/tokens/999999", nil, 404},
			// Down the tree: allowed.
			{"authority reads the agency", "authority-admin", "GET", "/api/v1/orgs/" + id("agency"), nil, 200},
			{"province admin reads its agency", "province-admin", "GET", "/api/v1/orgs/" + id("agency"), nil, 200},
			{"province submitter reads its own org", "province-submitter", "GET", "/api/v1/orgs/" + id("province"), nil, 200},
			{"province admin creates a site", "province-admin", "POST", "/api/v1/orgs", map[string]any{"parent_id": h.orgs["agency"].ID, "name": "Chongjin cold store", "kind": "site"}, 201},
			{"province admin creates an authority under itself", "province-admin", "POST", "/api/v1/orgs", map[string]any{"parent_id": h.orgs["province"].ID, "name": "Shadow authority", "kind": "authority"}, 400},
			{"province admin creates a user", "province-admin", "POST", "/api/v1/users", map[string]any{"org_id": h.orgs["agency"].ID, "email": "clerk@example.org", "role": "submitter"}, 201},
			{"province admin lists its users", "province-admin", "GET", "/api/v1/users?org_id=" + id("province"), nil, 200},
			{"authority admin revokes a province token", "authority-admin", "DELETE", provTokPath, nil, 204},
			{"authority admin makes a token for a province user", "authority-admin", "POST", "/api/v1/tokens", map[string]any{"name": "robot", "user_id": uid("province-reviewer")}, 201},
			// Roles that may not act: 403 within their own scope.
			{"submitter creates an org", "province-submitter", "POST", "/api/v1/orgs", map[string]any{"parent_id": h.orgs["province"].ID, "name": "X", "kind": "site"}, 403},
			{"reviewer lists users", "province-reviewer", "GET", "/api/v1/users", nil, 403},
			{"compliance creates a user", "province-compliance", "POST", "/api/v1/users", map[string]any{"org_id": h.orgs["province"].ID, "email": "x@example.org", "role": "admin"}, 403},
			{"submitter reads the audit log", "province-submitter", "GET", "/api/v1/audit", nil, 403},
			{"reviewer reads the audit log", "province-reviewer", "GET", "/api/v1/audit", nil, 403},
			{"compliance verifies the audit chain", "province-compliance", "GET", "/api/v1/audit/verify", nil, 403},
			{"compliance reads the audit log", "province-compliance", "GET", "/api/v1/audit", nil, 200},
			{"reviewer makes a token for the submitter", "province-reviewer", "POST", "/api/v1/tokens", map[string]any{"name": "x", "user_id": uid("province-submitter")}, 403},
		}
		sessions := map[string]*client{}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, ok := sessions[tt.actor]
				if !ok {
					c = h.session(tt.actor)
					sessions[tt.actor] = c
				}
				r := c.do(tt.method, tt.path, tt.body, "")
				if tt.status >= 400 {
					e := r.want(tt.status).apiError()
					if tt.status == 404 && (strings.Contains(e.Message, "Hamgyong") || strings.Contains(e.Message, "Authority") || strings.Contains(e.Message, "@")) {
						t.Errorf("404 reveals something: %q", e.Message)
					}
				} else {
					r.want(tt.status)
				}
			})
		}

		// Lists are scoped: the importer sees only its own tree.
		var orgs struct {
			Orgs []tradeplan.Organisation `json:"orgs"`
		}
		sessions["importer-admin"].get("/api/v1/orgs").want(http.StatusOK).decode(&orgs)
		if len(orgs.Orgs) != 1 || orgs.Orgs[0].ID != h.orgs["importer"].ID {
			t.Errorf("importer sees orgs %+v", orgs.Orgs)
		}
		var users struct {
			Users []tradeplan.User `json:"users"`
		}
		sessions["importer-admin"].get("/api/v1/users").want(http.StatusOK).decode(&users)
		for _, u := range users.Users {
			if u.OrgID != h.orgs["importer"].ID {
				t.Errorf("importer admin sees user %s of org %d", u.Email, u.OrgID)
			}
		}
		var audit struct {
			Entries []tradeplan.AuditEntry `json:"entries"`
		}
		sessions["importer-admin"].get("/api/v1/audit?limit=1000").want(http.StatusOK).decode(&audit)
		for _, e := range audit.Entries {
			if e.OrgID != h.orgs["importer"].ID {
				t.Errorf("importer admin sees audit entry %d (%s) of org %d", e.Seq, e.Action, e.OrgID)
			}
		}
		if len(audit.Entries) == 0 {
			t.Error("importer admin sees no audit entries at all")
		}
		var toks struct {
			Tokens []tradeplan.APIToken `json:"tokens"`
		}
		sessions["importer-admin"].get("/api/v1/tokens").want(http.StatusOK).decode(&toks)
		for _, tk := range toks.Tokens {
			if tk.UserID != uid("importer-admin") {
				t.Errorf("importer admin lists token %d of user %d", tk.ID, tk.UserID)
			}
		}
	})
}

func TestCreateUserPasswordAndLogin(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, h *harness) {
		s := h.session("province-admin")
		var uc userCreated
		s.post("/api/v1/users", map[string]any{"org_id": h.orgs["agency"].ID, "email": "New.Clerk@example.org", "name": "New Clerk", "role": "submitter"}).
			want(http.StatusCreated).decode(&uc)
		if len(uc.Password) < 20 || uc.User.Email != "new.clerk@example.org" {
			t.Fatalf("created %+v", uc)
		}
		h.anon().post("/api/v1/login", map[string]string{"email": "new.clerk@example.org", "password": uc.Password}).want(http.StatusOK)
		// A given password is not echoed.
		r := s.post("/api/v1/users", map[string]any{"org_id": h.orgs["agency"].ID, "email": "second@example.org", "role": "reviewer", "password": "a long enough password"}).want(http.StatusCreated)
		if bytes.Contains(r.body, []byte("a long enough password")) {
			t.Error("password echoed")
		}
		// Duplicates conflict; bad roles and short passwords are invalid.
		s.post("/api/v1/users", map[string]any{"org_id": h.orgs["agency"].ID, "email": "second@example.org", "role": "reviewer"}).wantError(http.StatusConflict, tradeplan.EConflict)
		e := s.post("/api/v1/users", map[string]any{"org_id": h.orgs["agency"].ID, "email": "not-an-email", "role": "king", "password": "short"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		if len(e.Problems) != 3 {
			t.Errorf("want 3 problems (email, role, password), got %+v", e.Problems)
		}
	})
}

// TestBadRequests: malformed and unexpected input is a 4xx in the one error
// shape, never a 500.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "sqlite")
	s := h.session("province-admin")
	orgBody := fmt.Sprintf(`{"parent_id": %d, "name": "Site", "kind": "site"}`, h.orgs["province"].ID)
	big := `{"names": ["` + strings.Repeat("a", 70<<10) + `"]}`
	tests := []struct {
		name   string
		c      *client
		method string
		path   string
		body   string
		ct     string
		status int
		code   string
		inMsg  string
	}{
		{"malformed JSON", s, "POST", "/api/v1/orgs", `{"parent_id": 1,`, "application/json", 400, "invalid", "malformed JSON"},
		{"syntax error", s, "POST", "/api/v1/orgs", `{"parent_id": 1 "name": "x"}`, "application/json", 400, "invalid", "malformed JSON at byte"},
		{"empty body", s, "POST", "/api/v1/orgs", ``, "application/json", 400, "invalid", "empty body"},
		{"trailing data", s, "POST", "/api/v1/orgs", orgBody + ` {}`, "application/json", 400, "invalid", "after the JSON value"},
		{"unknown field", s, "POST", "/api/v1/orgs", `{"parent_id": 1, "name": "x", "kind": "site", "owner": "me"}`, "application/json", 400, "invalid", `unknown field "owner"`},
		{"wrong type", s, "POST", "/api/v1/orgs", `{"parent_id": "one", "name": "x", "kind": "site"}`, "application/json", 400, "invalid", "parent_id"},
		{"array body", s, "POST", "/api/v1/orgs", `[1, 2]`, "application/json", 400, "invalid", ""},
		{"no content type", s, "POST", "/api/v1/orgs", orgBody, "", 415, "unsupported_media_type", "application/json"},
		{"form content type", s, "POST", "/api/v1/orgs", orgBody, "application/x-www-form-urlencoded", 415, "unsupported_media_type", ""},
		{"text content type", h.anon(), "POST", "/api/v1/login", `{"email": "a@b.c", "password": "x"}`, "text/plain", 415, "unsupported_media_type", ""},
		{"json with charset is fine", s, "POST", "/api/v1/orgs", orgBody, "application/json; charset=utf-8", 201, "", ""},
		{"oversized body", h.anon(), "POST", "/api/v1/parties/screen", big, "application/json", 413, "too_large", "limit"},
		{"oversized plan", h.anon(), "POST", "/api/v1/screen", strings.Repeat("# padding\n", 7<<10), "application/yaml", 413, "too_large", ""},
		{"unknown query parameter", s, "GET", "/api/v1/orgs?parnet_id=1", "", "", 400, "invalid", "parnet_id"},
		{"query on an endpoint with none", s, "GET", "/api/v1/me?debug=1", "", "", 400, "invalid", "debug"},
		{"repeated query parameter", s, "GET", "/api/v1/audit?limit=1&limit=2", "", "", 400, "invalid", "2 times"},
		{"bad integer", s, "GET", "/api/v1/audit?limit=lots", "", "", 400, "invalid", "limit"},
		{"limit out of range", s, "GET", "/api/v1/audit?limit=5000", "", "", 400, "invalid", "limit"},
		{"bad kind", s, "GET", "/api/v1/orgs?kind=empire", "", "", 400, "invalid", "kind"},
		{"login without password", h.anon(), "POST", "/api/v1/login", `{"email": "a@example.org"}`, "application/json", 400, "invalid", ""},
		{"unknown path", s, "GET", "/api/v1/nothing", "", "", 404, "not_found", "no such endpoint"},
		{"wrong method", s, "PUT", "/api/v1/orgs", orgBody, "application/json", 405, "method_not_allowed", "GET"},
		{"screen: wrong content type", h.anon(), "POST", "/api/v1/screen", "plan: {}", "text/plain", 415, "unsupported_media_type", "application/yaml"},
		{"screen: bad as_of", h.anon(), "POST", "/api/v1/screen?as_of=tomorrow", "plan: {}", "application/yaml", 400, "invalid", "as_of"},
		{"screen: unknown parameter", h.anon(), "POST", "/api/v1/screen?asof=2027-01-01", "plan: {}", "application/yaml", 400, "invalid", "asof"},
		{"screen: empty", h.anon(), "POST", "/api/v1/screen", "  \n", "application/yaml", 400, "invalid", "empty body"},
		{"parties: no names", h.anon(), "POST", "/api/v1/parties/screen", `{"names": []}`, "application/json", 400, "invalid", ""},
		{"parties: top too high", h.anon(), "POST", "/api/v1/parties/screen", `{"names": ["x"], "top": 1000}`, "application/json", 400, "invalid", ""},
		{"parties: unknown field", h.anon(), "POST", "/api/v1/parties/screen", `{"name": "x"}`, "application/json", 400, "invalid", "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			r := tt.c.do(tt.method, tt.path, tt.body, tt.ct)
			if tt.code == "" {
				r.want(tt.status)
				return
			}
			e := r.wantError(tt.status, tt.code)
			if !strings.Contains(e.Message, tt.inMsg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.inMsg)
			}
			if tt.status == 405 && r.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

// examplePlan is a part of the plan of the report: banned exports, a
// capped import and a clear one.
const examplePlan = `plan: {id: nhg-test, organisation: North Hamgyong Provincial Trade Bureau, country: KP, period: 2023-H1}
lines:
  - direction: export
    description: salted pollack
    hs: "030569"
    quantity: 300
    unit: t
    value: 420000
    currency: USD
    partner: {name: "Hunchun Donghai Aquatic Products Co., Ltd.", country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: wheat flour
    hs: "110100"
    quantity: 1000
    unit: t
    value: 350000
    currency: USD
    necessity: critical
    partner: {name: Tanchon Trading, country: CN}
`

func TestScreenEndpoint(t *testing.T) {
	h := newHarness(t, "sqlite")
	c := h.anon()
	r := c.do("POST", "/api/v1/screen?as_of=2023-01-15", examplePlan, "application/yaml").want(http.StatusOK)
	var rep tradeplan.Report
	r.decode(&rep)
	if len(rep.Plans) != 1 || len(rep.Plans[0].Lines) != 2 {
		t.Fatalf("report %s", r.body)
	}
	p := rep.Plans[0]
	if p.AsOf != "2023-01-15" || p.ID != "nhg-test" {
		t.Errorf("plan header: id %q as_of %q", p.ID, p.AsOf)
	}
	pollack := p.Lines[0]
	if pollack.Verdict != tradeplan.Prohibited {
		t.Errorf("salted pollack: verdict %s, want prohibited", pollack.Verdict)
	}
	cited := false
	for _, f := range pollack.Findings {
		if f.Resolution() == "2371" {
			cited = true
		}
	}
	if !cited {
		t.Errorf("salted pollack: no finding cites resolution 2371: %+v", pollack.Findings)
	}

	// The body is exactly what `tradeplan screen --format json` writes for
	// the same plan.
	pl, err := plan.Parse([]byte(examplePlan), "request.yaml", plan.YAML)
	if err != nil {
		t.Fatal(err)
	}
	want, err := testScreener(t).Plan(t.Context(), pl, screen.Options{AsOf: time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := screen.WriteReport(&buf, screen.JSON, false, tradeplan.Report{Plans: []tradeplan.PlanReport{want}}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), r.body) {
		t.Errorf("API report differs from the command's JSON:\napi: %s\ncli: %s", r.body, buf.Bytes())
	}

	// The same plan as JSON and as CSV lines.
	jr := c.do("POST", "/api/v1/screen?as_of=2023-01-15", jsonPlan, "application/json").want(http.StatusOK)
	var jrep tradeplan.Report
	jr.decode(&jrep)
	if len(jrep.Plans) != 1 || jrep.Plans[0].Lines[0].Verdict != tradeplan.Prohibited {
		t.Errorf("JSON plan: %s", jr.body)
	}
	csvPlan := "direction,description,hs,origin,destination,quantity,unit,value,currency\nexport,dried clams,030772,KP,CN,25,t,90000,USD\n"
	cr := c.do("POST", "/api/v1/screen", csvPlan, "text/csv; charset=utf-8").want(http.StatusOK)
	var crep tradeplan.Report
	cr.decode(&crep)
	if len(crep.Plans) != 1 || len(crep.Plans[0].Lines) != 1 || crep.Plans[0].Lines[0].Verdict != tradeplan.Prohibited {
		t.Errorf("CSV plan: %s", cr.body)
	}

	// A document with problems: every problem, with its line and path.
	bad := "plan: {id: x, country: KP, period: 2027-H1}\nlines:\n  - direction: exprot\n    description: coal\n    quantity: lots\n    unit: t\n"
	e := c.do("POST", "/api/v1/screen", bad, "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
	if len(e.Problems) < 2 {
		t.Fatalf("want at least 2 problems, got %+v", e.Problems)
	}
	for _, p := range e.Problems {
		if p.Line == 0 || p.Message == "" {
			t.Errorf("problem without a line or message: %+v", p)
		}
	}

	// Nothing was stored: the audit log has only the seeding.
	entries, err := h.db.AuditLog(t.Context(), storeAuditAll())
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if !strings.HasPrefix(en.Action, "org.") && !strings.HasPrefix(en.Action, "user.") && !strings.HasPrefix(en.Action, "session.") {
			t.Errorf("screening left an audit entry: %s %s", en.Action, en.Subject)
		}
	}
}

func TestPartiesScreenEndpoint(t *testing.T) {
	h := newHarness(t, "sqlite")
	var resp partiesResponse
	h.anon().post("/api/v1/parties/screen", map[string]any{"names": []string{"Tanchon Commercial Bank", "Shenyang Agricultural Supplies"}, "top": 3}).
		want(http.StatusOK).decode(&resp)
	if len(resp.Results) != 2 || resp.Results[0].Query != "Tanchon Commercial Bank" || len(resp.Results[0].Matches) != 1 || len(resp.Results[1].Matches) != 0 {
		t.Fatalf("parties response %+v", resp)
	}
	if resp.Results[1].Matches == nil {
		t.Error("no matches must be [] not null")
	}

	// Without lists loaded, the endpoint says so.
	h2 := newHarness(t, "sqlite", func(c *Config) { c.Parties = nil })
	h2.anon().post("/api/v1/parties/screen", map[string]any{"names": []string{"x"}}).wantError(http.StatusNotFound, tradeplan.ENotFound)
}

// jsonPlan is examplePlan written as JSON.
const jsonPlan = `{"plan": {"id": "nhg-test", "organisation": "North Hamgyong Provincial Trade Bureau", "country": "KP", "period": "2023-H1"},
 "lines": [
  {"direction": "export", "description": "salted pollack", "hs": "030569", "quantity": 300, "unit": "t", "value": 420000, "currency": "USD",
   "partner": {"name": "Hunchun Donghai Aquatic Products Co., Ltd.", "country": "CN"}, "crossing": "Namyang-Tumen"},
  {"direction": "import", "description": "wheat flour", "hs": "110100", "quantity": 1000, "unit": "t", "value": 350000, "currency": "USD",
   "necessity": "critical", "partner": {"name": "Tanchon Trading", "country": "CN"}}]}`

func storetestEngines(t *testing.T) []string { return storetest.Engines(t) }

func storeAuditAll() store.AuditFilter { return store.AuditFilter{Limit: 1000} }

// TestPartiesScreenRealList screens through the HTTP layer against the real
// UN list: a listed DPRK bank is a strong match with its reference number.
func TestPartiesScreenRealList(t *testing.T) {
	t.Parallel()
	path := shareddata.Path(t, shareddata.UNList)
	ix, err := parties.LoadFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, "sqlite", func(c *Config) { c.Parties = ix })
	var resp partiesResponse
	h.anon().post("/api/v1/parties/screen", map[string]any{"names": []string{"Korea Mining Development Trading Corporation", "Shenyang Agricultural Supplies Ltd."}}).
		want(http.StatusOK).decode(&resp)
	if len(resp.Results) != 2 {
		t.Fatalf("results %+v", resp)
	}
	got := resp.Results[0]
	if len(got.Matches) == 0 || got.Matches[0].ID != "KPe.001" || got.Matches[0].Strength != "strong" || got.Matches[0].Explanation == "" {
		t.Errorf("KOMID: %+v", got.Matches)
	}
	for _, m := range resp.Results[1].Matches {
		if m.Strength == "strong" {
			t.Errorf("an ordinary company is a strong match: %+v", m)
		}
	}
}
