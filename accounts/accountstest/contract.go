package accountstest

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
)

// Store is an accounts.Store whose clock a test can set: package store's
// DB and MemStore.
type Store interface {
	accounts.Store
	SetClock(now func() time.Time)
}

// TestStore runs the contract of an accounts.Store: the same cases on every
// implementation. open returns a fresh, empty store for each case.
func TestStore(t *testing.T, open func(t *testing.T) Store) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, st Store)
	}{
		{"orgs", contractOrgs},
		{"invalid orgs", contractInvalidOrgs},
		{"users", contractUsers},
		{"authenticate", contractAuthenticate},
		{"sessions", contractSessions},
		{"tokens", contractTokens},
		{"audit", contractAudit},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
	}
}

var ctx = tradeplan.WithActor(context.Background(), tradeplan.SystemActor("contract"))

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := tradeplan.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func ok[T any](t *testing.T, what string) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// tree is authority > province > site, and a separate company root.
type tree struct{ authority, province, site, other tradeplan.Organisation }

func makeTree(t *testing.T, st Store) tree {
	t.Helper()
	org := ok[tradeplan.Organisation](t, "create organisation")
	var tr tree
	tr.authority = org(st.CreateOrg(ctx, tradeplan.Organisation{Name: " Ministry ", Kind: tradeplan.OrgAuthority, Country: "kp"}))
	tr.province = org(st.CreateOrg(ctx, tradeplan.Organisation{ParentID: tr.authority.ID, Name: "North Hamgyong", Kind: tradeplan.OrgProvince}))
	tr.site = org(st.CreateOrg(ctx, tradeplan.Organisation{ParentID: tr.province.ID, Name: "Rajin port", Kind: tradeplan.OrgSite}))
	tr.other = org(st.CreateOrg(ctx, tradeplan.Organisation{Name: "Other Trading Co", Kind: tradeplan.OrgCompany, Country: "CN"}))
	return tr
}

func ids[T any](xs []T, id func(T) int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func orgID(o tradeplan.Organisation) int64 { return o.ID }
func userID(u tradeplan.User) int64        { return u.ID }

func contractOrgs(t *testing.T, st Store) {
	tr := makeTree(t, st)
	if a := tr.authority; a.ID == 0 || a.Name != "Ministry" || a.Country != "KP" || a.CreatedAt.IsZero() || a.CreatedAt.Location() != time.UTC {
		t.Errorf("created organisation = %+v: want an ID, the name trimmed, the country upper-case, a UTC time", a)
	}
	got := ok[tradeplan.Organisation](t, "Org")(st.Org(ctx, tr.site.ID))
	if !got.CreatedAt.Equal(tr.site.CreatedAt) {
		t.Errorf("Org created at %v, want %v", got.CreatedAt, tr.site.CreatedAt)
	}
	got.CreatedAt = tr.site.CreatedAt
	if got != tr.site {
		t.Errorf("Org = %+v, want %+v", got, tr.site)
	}
	_, err := st.Org(ctx, 9999)
	wantCode(t, "Org(9999)", err, tradeplan.ENotFound)

	sub := ok[[]int64](t, "Subtree")(st.Subtree(ctx, tr.authority.ID))
	if want := []int64{tr.authority.ID, tr.province.ID, tr.site.ID}; !slices.Equal(sub, want) {
		t.Errorf("Subtree = %v, want %v", sub, want)
	}
	_, err = st.Subtree(ctx, 9999)
	wantCode(t, "Subtree(9999)", err, tradeplan.ENotFound)

	root, site, missing := int64(0), tradeplan.OrgSite, int64(9999)
	for _, c := range []struct {
		name string
		f    tradeplan.OrgFilter
		want []int64
	}{
		{"all", tradeplan.OrgFilter{}, []int64{tr.authority.ID, tr.province.ID, tr.site.ID, tr.other.ID}},
		{"under province", tradeplan.OrgFilter{Under: &tr.province.ID}, []int64{tr.province.ID, tr.site.ID}},
		{"roots", tradeplan.OrgFilter{ParentID: &root}, []int64{tr.authority.ID, tr.other.ID}},
		{"children of authority", tradeplan.OrgFilter{ParentID: &tr.authority.ID}, []int64{tr.province.ID}},
		{"sites under authority", tradeplan.OrgFilter{Under: &tr.authority.ID, Kind: &site}, []int64{tr.site.ID}},
		{"children of a site", tradeplan.OrgFilter{ParentID: &tr.site.ID}, []int64{}},
	} {
		got := ok[[]tradeplan.Organisation](t, c.name)(st.Orgs(ctx, c.f))
		if got == nil || !slices.Equal(ids(got, orgID), c.want) {
			t.Errorf("Orgs %s = %v, want %v (not nil)", c.name, ids(got, orgID), c.want)
		}
	}
	_, err = st.Orgs(ctx, tradeplan.OrgFilter{Under: &missing})
	wantCode(t, "Orgs under a missing organisation", err, tradeplan.ENotFound)

	_, err = st.CreateOrg(ctx, tradeplan.Organisation{ParentID: tr.authority.ID, Name: "North Hamgyong", Kind: tradeplan.OrgProvince})
	wantCode(t, "a sibling of the same name", err, tradeplan.EConflict)
	_, err = st.CreateOrg(ctx, tradeplan.Organisation{ParentID: tr.site.ID, Name: "North Hamgyong", Kind: tradeplan.OrgSite})
	if err != nil {
		t.Errorf("the same name under another parent: %v", err)
	}
}

func contractInvalidOrgs(t *testing.T, st Store) {
	for _, c := range []struct {
		name   string
		o      tradeplan.Organisation
		code   string
		fields []string
	}{
		{"empty name", tradeplan.Organisation{Name: "  ", Kind: tradeplan.OrgCompany}, tradeplan.EInvalid, []string{"name"}},
		{"unknown kind", tradeplan.Organisation{Name: "X", Kind: "ministry"}, tradeplan.EInvalid, []string{"kind"}},
		{"bad country", tradeplan.Organisation{Name: "X", Kind: tradeplan.OrgCompany, Country: "PRK"}, tradeplan.EInvalid, []string{"country"}},
		{"everything wrong", tradeplan.Organisation{Kind: "x", Country: "1", ParentID: -1}, tradeplan.EInvalid, []string{"name", "kind", "country", "parent"}},
		{"missing parent", tradeplan.Organisation{Name: "X", Kind: tradeplan.OrgSite, ParentID: 9999}, tradeplan.ENotFound, nil},
	} {
		_, err := st.CreateOrg(ctx, c.o)
		wantCode(t, c.name, err, c.code)
		var te *tradeplan.Error
		if c.fields != nil && errors.As(err, &te) {
			var fields []string
			for _, p := range te.Problems {
				fields = append(fields, p.Field)
			}
			if !slices.Equal(fields, c.fields) {
				t.Errorf("%s: problems in %v, want %v", c.name, fields, c.fields)
			}
		}
	}
	if got := ok[[]tradeplan.Organisation](t, "Orgs")(st.Orgs(ctx, tradeplan.OrgFilter{})); len(got) != 0 {
		t.Errorf("invalid organisations were saved: %v", got)
	}
	if got := ok[[]tradeplan.AuditEntry](t, "AuditLog")(st.AuditLog(ctx, tradeplan.AuditFilter{})); len(got) != 0 {
		t.Errorf("invalid organisations were audited: %v", got)
	}
}

const password = "correct horse battery staple"

func contractUsers(t *testing.T, st Store) {
	tr := makeTree(t, st)
	user := ok[tradeplan.User](t, "create user")
	admin := user(st.CreateUser(ctx, tradeplan.User{OrgID: tr.authority.ID, Email: " Admin@Example.ORG ", Name: " Ann ", Role: tradeplan.RoleAdmin}, password))
	if admin.ID == 0 || admin.Email != "admin@example.org" || admin.Name != "Ann" || admin.CreatedAt.IsZero() || admin.Disabled {
		t.Errorf("created user = %+v: want an ID, the email lower-case, the name trimmed", admin)
	}
	sub := user(st.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "sub@example.org", Role: tradeplan.RoleSubmitter}, password))
	other := user(st.CreateUser(ctx, tradeplan.User{OrgID: tr.other.ID, Email: "other@example.org", Role: tradeplan.RoleSubmitter}, password))

	_, err := st.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "ADMIN@example.org", Role: tradeplan.RoleReviewer}, password)
	wantCode(t, "an email taken in other case", err, tradeplan.EConflict)
	_, err = st.CreateUser(ctx, tradeplan.User{OrgID: 9999, Email: "x@example.org", Role: tradeplan.RoleReviewer}, password)
	wantCode(t, "a missing organisation", err, tradeplan.ENotFound)
	for _, c := range []struct {
		name     string
		u        tradeplan.User
		password string
	}{
		{"bad email", tradeplan.User{OrgID: tr.site.ID, Email: "not an address", Role: tradeplan.RoleReviewer}, password},
		{"unknown role", tradeplan.User{OrgID: tr.site.ID, Email: "x@example.org", Role: "boss"}, password},
		{"no organisation", tradeplan.User{Email: "x@example.org", Role: tradeplan.RoleReviewer}, password},
		{"short password", tradeplan.User{OrgID: tr.site.ID, Email: "x@example.org", Role: tradeplan.RoleReviewer}, "short"},
		{"long password", tradeplan.User{OrgID: tr.site.ID, Email: "x@example.org", Role: tradeplan.RoleReviewer}, strings.Repeat("p", 1025)},
	} {
		_, err := st.CreateUser(ctx, c.u, c.password)
		wantCode(t, c.name, err, tradeplan.EInvalid)
	}

	got := user(st.User(ctx, sub.ID))
	if got.Email != sub.Email || got.OrgID != sub.OrgID || got.Role != sub.Role {
		t.Errorf("User = %+v, want %+v", got, sub)
	}
	if got := user(st.UserByEmail(ctx, "  SUB@example.org")); got.ID != sub.ID {
		t.Errorf("UserByEmail = %+v, want user %d", got, sub.ID)
	}
	_, err = st.User(ctx, 9999)
	wantCode(t, "User(9999)", err, tradeplan.ENotFound)
	_, err = st.UserByEmail(ctx, "nobody@example.org")
	wantCode(t, "UserByEmail(nobody)", err, tradeplan.ENotFound)

	submitter := tradeplan.RoleSubmitter
	for _, c := range []struct {
		name string
		f    tradeplan.UserFilter
		want []int64
	}{
		{"all", tradeplan.UserFilter{}, []int64{admin.ID, sub.ID, other.ID}},
		{"under authority", tradeplan.UserFilter{OrgUnder: &tr.authority.ID}, []int64{admin.ID, sub.ID}},
		{"of the site", tradeplan.UserFilter{OrgID: &tr.site.ID}, []int64{sub.ID}},
		{"submitters", tradeplan.UserFilter{Role: &submitter}, []int64{sub.ID, other.ID}},
		{"of the province", tradeplan.UserFilter{OrgID: &tr.province.ID}, []int64{}},
	} {
		got := ok[[]tradeplan.User](t, c.name)(st.Users(ctx, c.f))
		if got == nil || !slices.Equal(ids(got, userID), c.want) {
			t.Errorf("Users %s = %v, want %v (not nil)", c.name, ids(got, userID), c.want)
		}
	}

	if got := user(st.SetUserDisabled(ctx, sub.ID, true)); !got.Disabled {
		t.Errorf("SetUserDisabled(true) = %+v", got)
	}
	if got := user(st.User(ctx, sub.ID)); !got.Disabled {
		t.Errorf("a disabled user reads %+v", got)
	}
	if got := user(st.SetUserDisabled(ctx, sub.ID, false)); got.Disabled {
		t.Errorf("SetUserDisabled(false) = %+v", got)
	}
	_, err = st.SetUserDisabled(ctx, 9999, true)
	wantCode(t, "SetUserDisabled(9999)", err, tradeplan.ENotFound)
	wantCode(t, "SetPassword short", st.SetPassword(ctx, sub.ID, "short"), tradeplan.EInvalid)
	wantCode(t, "SetPassword(9999)", st.SetPassword(ctx, 9999, password+"!"), tradeplan.ENotFound)
}

func contractAuthenticate(t *testing.T, st Store) {
	tr := makeTree(t, st)
	u := ok[tradeplan.User](t, "create user")(st.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "sub@example.org", Role: tradeplan.RoleSubmitter}, password))
	if got := ok[tradeplan.User](t, "Authenticate")(st.Authenticate(ctx, " SUB@example.org", password)); got.ID != u.ID {
		t.Errorf("Authenticate = %+v, want user %d", got, u.ID)
	}
	var first string
	for _, c := range []struct{ name, email, password string }{
		{"wrong password", "sub@example.org", password + "x"},
		{"unknown email", "nobody@example.org", password},
		{"overlong password", "sub@example.org", strings.Repeat("p", 1025)},
	} {
		_, err := st.Authenticate(ctx, c.email, c.password)
		wantCode(t, c.name, err, tradeplan.EUnauthorized)
		if first == "" {
			first = err.Error()
		} else if err.Error() != first {
			t.Errorf("%s: %q, want the same answer as every failed login, %q", c.name, err, first)
		}
	}
	ok[tradeplan.User](t, "disable")(st.SetUserDisabled(ctx, u.ID, true))
	_, err := st.Authenticate(ctx, "sub@example.org", password)
	wantCode(t, "disabled user", err, tradeplan.EUnauthorized)
	ok[tradeplan.User](t, "enable")(st.SetUserDisabled(ctx, u.ID, false))
	if err := st.SetPassword(ctx, u.ID, "a new password of some length"); err != nil {
		t.Fatal(err)
	}
	_, err = st.Authenticate(ctx, "sub@example.org", password)
	wantCode(t, "the old password", err, tradeplan.EUnauthorized)
	ok[tradeplan.User](t, "the new password")(st.Authenticate(ctx, "sub@example.org", "a new password of some length"))
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock(st Store) *clock {
	c := &clock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	st.SetClock(c.now)
	return c
}

func label(u tradeplan.User) string      { return tradeplan.Actor{User: u}.Label() }
func tokenID(t tradeplan.APIToken) int64 { return t.ID }

func contractSessions(t *testing.T, st Store) {
	clk := newClock(st)
	tr := makeTree(t, st)
	u := ok[tradeplan.User](t, "create user")(st.CreateUser(ctx, tradeplan.User{OrgID: tr.province.ID, Email: "rev@example.org", Role: tradeplan.RoleReviewer}, password))

	_, _, err := st.CreateSession(ctx, u.ID, 0)
	wantCode(t, "no lifetime", err, tradeplan.EInvalid)
	_, _, err = st.CreateSession(ctx, 9999, time.Hour)
	wantCode(t, "a missing user", err, tradeplan.ENotFound)

	token, csrf, err := st.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "tps_") || csrf == "" || csrf == token {
		t.Errorf("session token %q, csrf %q", token, csrf)
	}
	a, s, err := st.SessionUser(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if a.User.ID != u.ID || a.Org.ID != tr.province.ID || a.Org.Name != tr.province.Name || a.Via != "session" ||
		!slices.Equal(a.Subtree, []int64{tr.province.ID, tr.site.ID}) {
		t.Errorf("SessionUser actor = %+v", a)
	}
	if s.UserID != u.ID || s.CSRF != csrf || !s.ExpiresAt.Equal(clk.now().Add(time.Hour)) {
		t.Errorf("SessionUser session = %+v, want user %d, csrf %q, expiring %v", s, u.ID, csrf, clk.now().Add(time.Hour))
	}
	_, _, err = st.SessionUser(ctx, token+"x")
	wantCode(t, "an unknown session", err, tradeplan.EUnauthorized)

	clk.add(time.Hour)
	_, _, err = st.SessionUser(ctx, token)
	wantCode(t, "an expired session", err, tradeplan.EUnauthorized)

	token, _, err = st.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, _, err = st.SessionUser(ctx, token)
	wantCode(t, "after logout", err, tradeplan.EUnauthorized)
	if err := st.DeleteSession(ctx, token); err != nil {
		t.Errorf("ending an ended session: %v", err)
	}

	for _, end := range []struct {
		name string
		do   func() error
	}{
		{"disabling the user", func() error { _, err := st.SetUserDisabled(ctx, u.ID, true); return err }},
		{"a new password", func() error { return st.SetPassword(ctx, u.ID, "another password entirely") }},
	} {
		token, _, err := st.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := end.do(); err != nil {
			t.Fatal(err)
		}
		ok[tradeplan.User](t, "enable")(st.SetUserDisabled(ctx, u.ID, false))
		_, _, err = st.SessionUser(ctx, token)
		wantCode(t, "a session after "+end.name, err, tradeplan.EUnauthorized)
	}
	ok[tradeplan.User](t, "disable")(st.SetUserDisabled(ctx, u.ID, true))
	_, _, err = st.CreateSession(ctx, u.ID, time.Hour)
	wantCode(t, "a session of a disabled user", err, tradeplan.EForbidden)
}

func contractTokens(t *testing.T, st Store) {
	clk := newClock(st)
	tr := makeTree(t, st)
	user := ok[tradeplan.User](t, "create user")
	u := user(st.CreateUser(ctx, tradeplan.User{OrgID: tr.authority.ID, Email: "bot@example.org", Role: tradeplan.RoleAdmin}, password))
	v := user(st.CreateUser(ctx, tradeplan.User{OrgID: tr.other.ID, Email: "other@example.org", Role: tradeplan.RoleSubmitter}, password))

	plain, tok, err := st.CreateToken(ctx, u.ID, "  nightly import ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plain, "tpt_") || tok.Prefix != plain[:12] || tok.Name != "nightly import" || tok.UserID != u.ID ||
		tok.ID == 0 || tok.CreatedAt.IsZero() || tok.LastUsedAt != nil || tok.RevokedAt != nil {
		t.Errorf("CreateToken = %q, %+v", plain, tok)
	}
	_, tok2, err := st.CreateToken(ctx, v.ID, "other")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = st.CreateToken(ctx, 9999, "x")
	wantCode(t, "a token of a missing user", err, tradeplan.ENotFound)

	a, err := st.TokenUser(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if a.User.ID != u.ID || a.Via != "token" || a.TokenID != tok.ID || a.Org.ID != tr.authority.ID ||
		!slices.Equal(a.Subtree, []int64{tr.authority.ID, tr.province.ID, tr.site.ID}) {
		t.Errorf("TokenUser = %+v", a)
	}
	got := ok[tradeplan.APIToken](t, "Token")(st.Token(ctx, tok.ID))
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(clk.now()) {
		t.Errorf("last used %v, want %v", got.LastUsedAt, clk.now())
	}
	clk.add(30 * time.Second)
	ok[tradeplan.Actor](t, "TokenUser")(st.TokenUser(ctx, plain))
	if got := ok[tradeplan.APIToken](t, "Token")(st.Token(ctx, tok.ID)); !got.LastUsedAt.Equal(clk.now().Add(-30 * time.Second)) {
		t.Errorf("last used %v after a use within a minute, want it unchanged", got.LastUsedAt)
	}
	_, err = st.Token(ctx, 9999)
	wantCode(t, "Token(9999)", err, tradeplan.ENotFound)
	_, err = st.TokenUser(ctx, plain+"x")
	wantCode(t, "an unknown token", err, tradeplan.EUnauthorized)

	for _, c := range []struct {
		name string
		user int64
		want []int64
	}{
		{"every user's", 0, []int64{tok.ID, tok2.ID}},
		{"one user's", v.ID, []int64{tok2.ID}},
		{"a user with none", 9999, []int64{}},
	} {
		got := ok[[]tradeplan.APIToken](t, c.name)(st.Tokens(ctx, c.user))
		if got == nil || !slices.Equal(ids(got, tokenID), c.want) {
			t.Errorf("Tokens %s = %v, want %v (not nil)", c.name, ids(got, tokenID), c.want)
		}
	}

	ok[tradeplan.User](t, "disable")(st.SetUserDisabled(ctx, u.ID, true))
	_, err = st.TokenUser(ctx, plain)
	wantCode(t, "the token of a disabled user", err, tradeplan.EUnauthorized)
	ok[tradeplan.User](t, "enable")(st.SetUserDisabled(ctx, u.ID, false))
	ok[tradeplan.Actor](t, "TokenUser after re-enabling")(st.TokenUser(ctx, plain))

	if err := st.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = st.TokenUser(ctx, plain)
	wantCode(t, "a revoked token", err, tradeplan.EUnauthorized)
	if got := ok[tradeplan.APIToken](t, "Token")(st.Token(ctx, tok.ID)); got.RevokedAt == nil || !got.RevokedAt.Equal(clk.now()) {
		t.Errorf("revoked at %v, want %v", got.RevokedAt, clk.now())
	}
	if err := st.RevokeToken(ctx, tok.ID); err != nil {
		t.Errorf("revoking a revoked token: %v", err)
	}
	wantCode(t, "RevokeToken(9999)", st.RevokeToken(ctx, 9999), tradeplan.ENotFound)
}

func contractAudit(t *testing.T, st Store) {
	tr := makeTree(t, st)
	alice := tradeplan.WithActor(context.Background(), tradeplan.Actor{User: tradeplan.User{ID: 42, Email: "alice@example.org"}, Via: "session"})
	u := ok[tradeplan.User](t, "create user")(st.CreateUser(alice, tradeplan.User{OrgID: tr.site.ID, Email: "sub@example.org", Role: tradeplan.RoleSubmitter}, password))
	_, tok, err := st.CreateToken(ctx, u.ID, "t")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	token, _, err := st.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	ok[tradeplan.User](t, "disable")(st.SetUserDisabled(ctx, u.ID, true))
	ok[tradeplan.User](t, "disable again")(st.SetUserDisabled(ctx, u.ID, true))
	// Failures change nothing and record nothing.
	st.CreateOrg(ctx, tradeplan.Organisation{Name: "", Kind: tradeplan.OrgSite})
	st.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "SUB@example.org", Role: tradeplan.RoleSubmitter}, password)

	all := ok[[]tradeplan.AuditEntry](t, "AuditLog")(st.AuditLog(ctx, tradeplan.AuditFilter{}))
	type row struct {
		action, subject, actor string
		org                    int64
	}
	var got []row
	for _, e := range all {
		got = append(got, row{e.Action, e.Subject, e.Actor, e.OrgID})
	}
	us, ts := "user:"+itoa(u.ID), "token:"+itoa(tok.ID)
	want := []row{
		{"org.create", "org:" + itoa(tr.authority.ID), "system:contract", tr.authority.ID},
		{"org.create", "org:" + itoa(tr.province.ID), "system:contract", tr.province.ID},
		{"org.create", "org:" + itoa(tr.site.ID), "system:contract", tr.site.ID},
		{"org.create", "org:" + itoa(tr.other.ID), "system:contract", tr.other.ID},
		{"user.create", us, "user:42 alice@example.org", tr.site.ID},
		{"token.create", ts, "system:contract", tr.site.ID},
		{"token.revoke", ts, "system:contract", tr.site.ID},
		{"session.create", us, label(u), tr.site.ID},
		{"session.delete", us, label(tradeplan.User{ID: u.ID, Email: u.Email}), tr.site.ID},
		{"user.disable", us, "system:contract", tr.site.ID},
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
	for i, e := range all {
		if e.Seq != int64(i)+1 || e.Hash == "" || e.Hash != e.ComputeHash() || (i > 0 && e.PrevHash != all[i-1].Hash) || e.At.IsZero() {
			t.Errorf("entry %d is not chained: %+v", i+1, e)
		}
	}
	if len(all) == len(want) {
		if e := all[4]; len(e.Before) != 0 || !strings.Contains(string(e.After), `"email":"sub@example.org"`) {
			t.Errorf("user.create before %s, after %s", e.Before, e.After)
		}
		if e := all[6]; !strings.Contains(string(e.Before), `"id":`+itoa(tok.ID)) || !strings.Contains(string(e.After), `"revoked_at"`) || strings.Contains(string(e.Before), `"revoked_at"`) {
			t.Errorf("token.revoke before %s, after %s", e.Before, e.After)
		}
	}

	for _, c := range []struct {
		name string
		f    tradeplan.AuditFilter
		want []int64
	}{
		{"after 8", tradeplan.AuditFilter{AfterSeq: 8}, []int64{9, 10}},
		{"limit 2", tradeplan.AuditFilter{Limit: 2}, []int64{1, 2}},
		{"after 3, limit 2", tradeplan.AuditFilter{AfterSeq: 3, Limit: 2}, []int64{4, 5}},
		{"of the token", tradeplan.AuditFilter{Subject: ts}, []int64{6, 7}},
		{"of the province and the other root", tradeplan.AuditFilter{OrgIDs: []int64{tr.province.ID, tr.other.ID}}, []int64{2, 4}},
		{"of no organisation", tradeplan.AuditFilter{OrgIDs: []int64{}}, []int64{}},
	} {
		got := ok[[]tradeplan.AuditEntry](t, c.name)(st.AuditLog(ctx, c.f))
		if got == nil || !slices.Equal(ids(got, func(e tradeplan.AuditEntry) int64 { return e.Seq }), c.want) {
			t.Errorf("AuditLog %s = %v, want %v (not nil)", c.name, ids(got, func(e tradeplan.AuditEntry) int64 { return e.Seq }), c.want)
		}
	}
	res := ok[tradeplan.AuditVerification](t, "VerifyAudit")(st.VerifyAudit(ctx))
	if !res.OK || res.Entries != int64(len(all)) || res.HeadSeq != int64(len(all)) || len(all) == 0 || res.HeadHash != all[len(all)-1].Hash {
		t.Errorf("VerifyAudit = %+v after %d entries", res, len(all))
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
