package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
	"github.com/tradeplan/tradeplan/accounts/accountstest"
)

// TestAccountsOverFake serves the account endpoints over the in-memory
// accounts store, with no database: the handlers reach accounts through
// tradeplan.AccountService only, and the service decides who may do what.
func TestAccountsOverFake(t *testing.T) {
	mem := accountstest.NewMemStore()
	svc := accounts.NewService(mem)
	ctx := context.Background()
	mustOrg := func(o tradeplan.Organisation) tradeplan.Organisation {
		o, err := svc.CreateOrg(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	authority := mustOrg(tradeplan.Organisation{Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"})
	province := mustOrg(tradeplan.Organisation{ParentID: authority.ID, Name: "Province", Kind: tradeplan.OrgProvince})
	importer := mustOrg(tradeplan.Organisation{Name: "Importer", Kind: tradeplan.OrgCompany, Country: "CN"})
	const password = "correct horse battery staple"
	for _, u := range []tradeplan.User{
		{OrgID: province.ID, Email: "admin@example.org", Role: tradeplan.RoleAdmin},
		{OrgID: province.ID, Email: "submitter@example.org", Role: tradeplan.RoleSubmitter},
	} {
		if _, err := svc.CreateUser(ctx, u, password); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(New(Config{Accounts: svc, Logger: testLogger(t), InsecureCookies: true}))
	defer srv.Close()
	registerAPIServer(t, srv.URL)

	login := func(email string) (cookie *http.Cookie, csrf string) {
		t.Helper()
		resp, err := http.Post(srv.URL+"/api/v1/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var l loginResponse
		if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&l) != nil {
			t.Fatalf("login %s: %s", email, resp.Status)
		}
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				cookie = c
			}
		}
		return cookie, l.CSRFToken
	}
	type session struct {
		cookie *http.Cookie
		csrf   string
	}
	sessions := map[string]session{}
	for _, email := range []string{"admin@example.org", "submitter@example.org"} {
		c, csrf := login(email)
		sessions[email] = session{c, csrf}
	}
	do := func(email, method, path, body string) int {
		t.Helper()
		c, csrf := sessions[email].cookie, sessions[email].csrf
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.AddCookie(c)
		req.Header.Set(csrfHeader, csrf)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	id := strconv.FormatInt
	for _, c := range []struct {
		name, email, method, path, body string
		want                            int
	}{
		{"admin lists its organisations", "admin@example.org", "GET", "/api/v1/orgs", "", 200},
		{"admin reads its parent", "admin@example.org", "GET", "/api/v1/orgs/" + id(authority.ID, 10), "", 404},
		{"admin reads another tree", "admin@example.org", "GET", "/api/v1/orgs/" + id(importer.ID, 10), "", 404},
		{"admin creates a site", "admin@example.org", "POST", "/api/v1/orgs", `{"parent_id":` + id(province.ID, 10) + `,"name":"Port","kind":"site"}`, 201},
		{"submitter creates a site", "submitter@example.org", "POST", "/api/v1/orgs", `{"parent_id":` + id(province.ID, 10) + `,"name":"Dock","kind":"site"}`, 403},
		{"submitter lists users", "submitter@example.org", "GET", "/api/v1/users", "", 403},
		{"admin creates a user in another tree", "admin@example.org", "POST", "/api/v1/users", `{"org_id":` + id(importer.ID, 10) + `,"email":"x@example.org","role":"reviewer"}`, 404},
		{"submitter reads the audit log", "submitter@example.org", "GET", "/api/v1/audit", "", 403},
		{"admin verifies the audit log", "admin@example.org", "GET", "/api/v1/audit/verify", "", 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := do(c.email, c.method, c.path, c.body); got != c.want {
				t.Errorf("%s %s: %d, want %d", c.method, c.path, got, c.want)
			}
		})
	}
	if orgs, err := mem.Orgs(ctx, tradeplan.OrgFilter{ParentID: &province.ID}); err != nil || len(orgs) != 1 || orgs[0].Name != "Port" {
		t.Errorf("organisations under the province: %v, %v; want the port only", orgs, err)
	}
}
