package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

// tree creates authority > province > site and a separate company root.
type orgTree struct {
	authority, province, site, other tradeplan.Organisation
}

func makeTree(t *testing.T, db *store.DB) orgTree {
	t.Helper()
	org := must[tradeplan.Organisation](t)
	var tr orgTree
	tr.authority = org(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Ministry of External Economic Relations", Kind: tradeplan.OrgAuthority, Country: "kp"}))
	tr.province = org(db.CreateOrg(ctx, tradeplan.Organisation{ParentID: tr.authority.ID, Name: "North Hamgyong", Kind: tradeplan.OrgProvince}))
	tr.site = org(db.CreateOrg(ctx, tradeplan.Organisation{ParentID: tr.province.ID, Name: "Rajin port", Kind: tradeplan.OrgSite}))
	tr.other = org(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Other Trading Co", Kind: tradeplan.OrgCompany}))
	return tr
}

func TestOrgs(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		tr := makeTree(t, db)
		if tr.authority.ID == 0 || tr.authority.CreatedAt.IsZero() || tr.authority.Country != "KP" {
			t.Fatalf("created organisation = %+v", tr.authority)
		}
		got, err := db.Org(ctx, tr.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != tr.site {
			t.Errorf("Org = %+v, want %+v", got, tr.site)
		}
		_, err = db.Org(ctx, 9999)
		wantCode(t, err, tradeplan.ENotFound)

		sub, err := db.Subtree(ctx, tr.authority.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{tr.authority.ID, tr.province.ID, tr.site.ID}; !equal(sub, want) {
			t.Errorf("Subtree = %v, want %v", sub, want)
		}
		_, err = db.Subtree(ctx, 9999)
		wantCode(t, err, tradeplan.ENotFound)

		for _, c := range []struct {
			name     string
			anc, org int64
			want     bool
		}{
			{"itself", tr.province.ID, tr.province.ID, true},
			{"grandchild", tr.authority.ID, tr.site.ID, true},
			{"parent is not below child", tr.site.ID, tr.province.ID, false},
			{"other tree", tr.authority.ID, tr.other.ID, false},
		} {
			got, err := db.InSubtree(ctx, c.anc, c.org)
			if err != nil || got != c.want {
				t.Errorf("%s: InSubtree(%d, %d) = %v, %v; want %v", c.name, c.anc, c.org, got, err, c.want)
			}
		}

		root := int64(0)
		site := tradeplan.OrgSite
		for _, c := range []struct {
			name string
			f    tradeplan.OrgFilter
			want []int64
		}{
			{"all", tradeplan.OrgFilter{}, []int64{tr.authority.ID, tr.province.ID, tr.site.ID, tr.other.ID}},
			{"under province", tradeplan.OrgFilter{Under: &tr.province.ID}, []int64{tr.province.ID, tr.site.ID}},
			{"roots", tradeplan.OrgFilter{ParentID: &root}, []int64{tr.authority.ID, tr.other.ID}},
			{"children of authority", tradeplan.OrgFilter{ParentID: &tr.authority.ID}, []int64{tr.province.ID}},
			{"sites", tradeplan.OrgFilter{Kind: &site}, []int64{tr.site.ID}},
			{"sites under other", tradeplan.OrgFilter{Kind: &site, Under: &tr.other.ID}, nil},
		} {
			orgs, err := db.Orgs(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var ids []int64
			for _, o := range orgs {
				ids = append(ids, o.ID)
			}
			if !equal(ids, c.want) {
				t.Errorf("%s: Orgs = %v, want %v", c.name, ids, c.want)
			}
		}
	})
}

func TestCreateOrgInvalid(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		tr := makeTree(t, db)
		for _, c := range []struct {
			name     string
			o        tradeplan.Organisation
			code     string
			problems int
		}{
			{"everything wrong", tradeplan.Organisation{Name: " ", Kind: "ministry", Country: "Korea", ParentID: -1}, tradeplan.EInvalid, 4},
			{"unknown parent", tradeplan.Organisation{Name: "X", Kind: tradeplan.OrgSite, ParentID: 9999}, tradeplan.ENotFound, 0},
			{"sibling with the same name", tradeplan.Organisation{Name: "Rajin port", Kind: tradeplan.OrgSite, ParentID: tr.province.ID}, tradeplan.EConflict, 0},
			{"root with the same name", tradeplan.Organisation{Name: "Other Trading Co", Kind: tradeplan.OrgCompany}, tradeplan.EConflict, 0},
		} {
			_, err := db.CreateOrg(ctx, c.o)
			if got := tradeplan.ErrorCode(err); got != c.code {
				t.Errorf("%s: code %q, want %q (%v)", c.name, got, c.code, err)
				continue
			}
			if c.problems > 0 {
				var e *tradeplan.Error
				if !asErr(err, &e) || len(e.Problems) != c.problems {
					t.Errorf("%s: want %d problems, got %v", c.name, c.problems, err)
				}
			}
		}
		// Same name under another parent is fine.
		if _, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "Rajin port", Kind: tradeplan.OrgSite, ParentID: tr.other.ID}); err != nil {
			t.Fatal(err)
		}
		// Nothing half-saved: one audit entry per organisation created.
		entries, err := db.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 5 {
			t.Errorf("audit entries = %d, want 5", len(entries))
		}
	})
}

const password = "correct horse battery staple"

func TestUsersAndAuthenticate(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		tr := makeTree(t, db)
		user := must[tradeplan.User](t)
		alice := user(db.CreateUser(ctx, tradeplan.User{OrgID: tr.province.ID, Email: " Alice@Example.ORG ", Name: "Alice", Role: tradeplan.RoleReviewer}, password))
		if alice.ID == 0 || alice.Email != "alice@example.org" || alice.CreatedAt.IsZero() {
			t.Fatalf("CreateUser = %+v", alice)
		}
		bob := user(db.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "bob@example.org", Role: tradeplan.RoleSubmitter}, password))
		user(db.CreateUser(ctx, tradeplan.User{OrgID: tr.other.ID, Email: "carol@example.org", Role: tradeplan.RoleAdmin}, password))

		_, err := db.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "ALICE@example.org", Role: tradeplan.RoleSubmitter}, password)
		wantCode(t, err, tradeplan.EConflict)
		_, err = db.CreateUser(ctx, tradeplan.User{OrgID: 9999, Email: "dave@example.org", Role: tradeplan.RoleSubmitter}, password)
		wantCode(t, err, tradeplan.ENotFound)
		_, err = db.CreateUser(ctx, tradeplan.User{Email: "not an email", Role: "boss"}, "short")
		wantCode(t, err, tradeplan.EInvalid)
		var e *tradeplan.Error
		if asErr(err, &e); len(e.Problems) != 4 {
			t.Errorf("want 4 problems (email, role, org, password), got %v", err)
		}

		if got := user(db.User(ctx, alice.ID)); got != alice {
			t.Errorf("User = %+v, want %+v", got, alice)
		}
		if got := user(db.UserByEmail(ctx, "ALICE@example.org")); got != alice {
			t.Errorf("UserByEmail = %+v, want %+v", got, alice)
		}
		_, err = db.User(ctx, 9999)
		wantCode(t, err, tradeplan.ENotFound)
		_, err = db.UserByEmail(ctx, "nobody@example.org")
		wantCode(t, err, tradeplan.ENotFound)

		users, err := db.Users(ctx, tradeplan.UserFilter{OrgUnder: &tr.authority.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 2 || users[0].ID != alice.ID || users[1].ID != bob.ID {
			t.Errorf("Users under authority = %+v", users)
		}
		role := tradeplan.RoleAdmin
		if users, _ := db.Users(ctx, tradeplan.UserFilter{Role: &role}); len(users) != 1 || users[0].Email != "carol@example.org" {
			t.Errorf("admins = %+v", users)
		}

		// The password is stored as an argon2id PHC string, never in clear
		// (storetest makes hashing cheap; password_test.go checks the
		// production parameters).
		var hash string
		if err := store.Raw(db).QueryRow(store.Rebind(db, "SELECT password_hash FROM users WHERE id = ?"), alice.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(hash, password) {
			t.Errorf("stored hash = %q", hash)
		}

		for _, c := range []struct {
			name, email, password string
			ok                    bool
		}{
			{"right", "alice@example.org", password, true},
			{"email in another case", "ALICE@EXAMPLE.ORG", password, true},
			{"wrong password", "alice@example.org", password + "!", false},
			{"empty password", "alice@example.org", "", false},
			{"unknown user", "mallory@example.org", password, false},
		} {
			u, err := db.Authenticate(ctx, c.email, c.password)
			if c.ok {
				if err != nil || u.ID != alice.ID {
					t.Errorf("%s: Authenticate = %+v, %v", c.name, u, err)
				}
				continue
			}
			wantCode(t, err, tradeplan.EUnauthorized)
			if u.ID != 0 {
				t.Errorf("%s: returned a user with an error", c.name)
			}
		}

		if _, err := db.SetUserDisabled(ctx, alice.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(ctx, "alice@example.org", password)
		wantCode(t, err, tradeplan.EUnauthorized)
		if _, err := db.SetUserDisabled(ctx, alice.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, alice.ID, "another long password"); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(ctx, "alice@example.org", password)
		wantCode(t, err, tradeplan.EUnauthorized)
		if _, err := db.Authenticate(ctx, "alice@example.org", "another long password"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessions(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		tr := makeTree(t, db)
		alice := must[tradeplan.User](t)(db.CreateUser(ctx, tradeplan.User{OrgID: tr.province.ID, Email: "alice@example.org", Role: tradeplan.RoleReviewer}, password))
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })

		token, csrf, err := db.CreateSession(ctx, alice.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < 40 || len(csrf) < 40 || token == csrf {
			t.Fatalf("token %q, csrf %q", token, csrf)
		}
		a, s, err := db.SessionUser(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if a.User.ID != alice.ID || a.Org.ID != tr.province.ID || a.Via != "session" || s.CSRF != csrf || !s.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Errorf("SessionUser = %+v, %+v", a, s)
		}
		if !a.CanSee(tr.site.ID) || !a.CanSee(tr.province.ID) || a.CanSee(tr.authority.ID) || a.CanSee(tr.other.ID) {
			t.Errorf("actor scope %v wrong", a.Subtree)
		}
		var n int
		store.Raw(db).QueryRow(store.Rebind(db, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?"), token).Scan(&n)
		if n != 0 {
			t.Error("session token stored in clear")
		}

		_, _, err = db.SessionUser(ctx, token+"x")
		wantCode(t, err, tradeplan.EUnauthorized)

		now = now.Add(time.Hour)
		_, _, err = db.SessionUser(ctx, token)
		wantCode(t, err, tradeplan.EUnauthorized)

		token2, _, err := db.CreateSession(ctx, alice.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSession(ctx, token2); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(ctx, token2)
		wantCode(t, err, tradeplan.EUnauthorized)
		if err := db.DeleteSession(ctx, token2); err != nil {
			t.Errorf("deleting an ended session: %v", err)
		}

		token3, _, _ := db.CreateSession(ctx, alice.ID, time.Hour)
		if _, err := db.SetUserDisabled(ctx, alice.ID, true); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(ctx, token3)
		wantCode(t, err, tradeplan.EUnauthorized)
		_, _, err = db.CreateSession(ctx, alice.ID, time.Hour)
		wantCode(t, err, tradeplan.EForbidden)
		_, _, err = db.CreateSession(ctx, 9999, time.Hour)
		wantCode(t, err, tradeplan.ENotFound)
	})
}

func TestTokens(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		tr := makeTree(t, db)
		bob := must[tradeplan.User](t)(db.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "bob@example.org", Role: tradeplan.RoleSubmitter}, password))
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })

		plain, tok, err := db.CreateToken(ctx, bob.ID, "nightly upload")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, tok.Prefix) || tok.ID == 0 || tok.Name != "nightly upload" || tok.LastUsedAt != nil {
			t.Fatalf("CreateToken = %q, %+v", plain, tok)
		}
		a, err := db.TokenUser(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		if a.User.ID != bob.ID || a.Via != "token" || a.TokenID != tok.ID || !a.CanSee(tr.site.ID) || a.CanSee(tr.province.ID) {
			t.Errorf("TokenUser = %+v", a)
		}
		got, err := db.Token(ctx, tok.ID)
		if err != nil || got.LastUsedAt == nil || !got.LastUsedAt.Equal(now) {
			t.Errorf("after use: %+v, %v", got, err)
		}
		_, err = db.TokenUser(ctx, "tpt_unknown")
		wantCode(t, err, tradeplan.EUnauthorized)

		var n int
		store.Raw(db).QueryRow(store.Rebind(db, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR prefix = ?"), plain, plain).Scan(&n)
		if n != 0 {
			t.Error("token stored in clear")
		}

		list, err := db.Tokens(ctx, bob.ID)
		if err != nil || len(list) != 1 || list[0].ID != tok.ID {
			t.Errorf("Tokens = %+v, %v", list, err)
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.TokenUser(ctx, plain)
		wantCode(t, err, tradeplan.EUnauthorized)
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		wantCode(t, db.RevokeToken(ctx, 9999), tradeplan.ENotFound)
		_, _, err = db.CreateToken(ctx, 9999, "x")
		wantCode(t, err, tradeplan.ENotFound)

		// A disabled user's tokens stop working.
		plain2, _, _ := db.CreateToken(ctx, bob.ID, "second")
		db.SetUserDisabled(ctx, bob.ID, true)
		_, err = db.TokenUser(ctx, plain2)
		wantCode(t, err, tradeplan.EUnauthorized)
	})
}
