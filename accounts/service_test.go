package accounts_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
	"github.com/tradeplan/tradeplan/accounts/accountstest"
)

// fixture: authority > province > site, and a foreign company root, with
// users of each role in the province and one admin in the company.
type fixture struct {
	svc                       *accounts.Service
	authority, province, site tradeplan.Organisation
	company                   tradeplan.Organisation
	actors                    map[string]tradeplan.Actor
}

const password = "correct horse battery staple"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := accountstest.NewMemStore()
	f := &fixture{svc: accounts.NewService(st), actors: map[string]tradeplan.Actor{}}
	sys := context.Background()
	mk := func(o tradeplan.Organisation) tradeplan.Organisation {
		o, err := f.svc.CreateOrg(sys, o)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.authority = mk(tradeplan.Organisation{Name: "Ministry", Kind: tradeplan.OrgAuthority, Country: "KP"})
	f.province = mk(tradeplan.Organisation{ParentID: f.authority.ID, Name: "Province", Kind: tradeplan.OrgProvince})
	f.site = mk(tradeplan.Organisation{ParentID: f.province.ID, Name: "Port", Kind: tradeplan.OrgSite})
	f.company = mk(tradeplan.Organisation{Name: "Importer", Kind: tradeplan.OrgCompany, Country: "CN"})
	for _, u := range []struct {
		name string
		org  int64
		role tradeplan.Role
	}{
		{"province-admin", f.province.ID, tradeplan.RoleAdmin},
		{"province-compliance", f.province.ID, tradeplan.RoleCompliance},
		{"province-submitter", f.province.ID, tradeplan.RoleSubmitter},
		{"site-admin", f.site.ID, tradeplan.RoleAdmin},
		{"company-admin", f.company.ID, tradeplan.RoleAdmin},
	} {
		usr, err := f.svc.CreateUser(sys, tradeplan.User{OrgID: u.org, Email: u.name + "@example.org", Role: u.role}, password)
		if err != nil {
			t.Fatal(err)
		}
		l, err := f.svc.Login(sys, usr.Email, password, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := f.svc.SessionActor(sys, l.Token)
		if err != nil {
			t.Fatal(err)
		}
		f.actors[u.name] = a
	}
	return f
}

func (f *fixture) as(name string) context.Context {
	return tradeplan.WithActor(context.Background(), f.actors[name])
}

// TestServiceAuthorizes runs every account use case as each kind of user:
// another tree is not found, a missing role is forbidden.
func TestServiceAuthorizes(t *testing.T) {
	f := newFixture(t)
	other := f.actors["company-admin"].User
	own := f.actors["province-submitter"].User
	_, otherTok, err := f.svc.CreateToken(context.Background(), other.ID, "theirs")
	if err != nil {
		t.Fatal(err)
	}
	_, ownTok, err := f.svc.CreateToken(context.Background(), own.ID, "mine")
	if err != nil {
		t.Fatal(err)
	}
	newSite := func(parent int64) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.svc.CreateOrg(ctx, tradeplan.Organisation{ParentID: parent, Name: "New", Kind: tradeplan.OrgSite})
			return err
		}
	}
	newUser := func(org int64) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.svc.CreateUser(ctx, tradeplan.User{OrgID: org, Email: "new@example.org", Role: tradeplan.RoleReviewer}, password)
			return err
		}
	}
	for _, c := range []struct {
		name, as string
		do       func(ctx context.Context) error
		code     string // "" for allowed
	}{
		{"admin creates below its own", "province-admin", newSite(f.site.ID), ""},
		{"admin creates in another tree", "province-admin", newSite(f.company.ID), tradeplan.ENotFound},
		{"admin creates above its own", "site-admin", newSite(f.province.ID), tradeplan.ENotFound},
		{"submitter creates an organisation", "province-submitter", newSite(f.site.ID), tradeplan.EForbidden},
		{"admin creates a root", "province-admin", newSite(0), tradeplan.EInvalid},
		{"admin creates a province under a site", "province-admin", func(ctx context.Context) error {
			_, err := f.svc.CreateOrg(ctx, tradeplan.Organisation{ParentID: f.site.ID, Name: "P", Kind: tradeplan.OrgProvince})
			return err
		}, tradeplan.EInvalid},
		{"admin creates a user below", "province-admin", newUser(f.site.ID), ""},
		{"admin creates a user in another tree", "company-admin", newUser(f.site.ID), tradeplan.ENotFound},
		{"compliance creates a user", "province-compliance", newUser(f.site.ID), tradeplan.EForbidden},
		{"admin reads another tree's organisation", "province-admin", func(ctx context.Context) error {
			_, err := f.svc.Org(ctx, f.authority.ID)
			return err
		}, tradeplan.ENotFound},
		{"submitter lists users", "province-submitter", func(ctx context.Context) error {
			_, err := f.svc.Users(ctx, tradeplan.UserFilter{})
			return err
		}, tradeplan.EForbidden},
		{"admin lists another tree's users", "province-admin", func(ctx context.Context) error {
			_, err := f.svc.Users(ctx, tradeplan.UserFilter{OrgID: &f.company.ID})
			return err
		}, tradeplan.ENotFound},
		{"admin lists users under another tree", "province-admin", func(ctx context.Context) error {
			_, err := f.svc.Users(ctx, tradeplan.UserFilter{OrgUnder: &f.authority.ID})
			return err
		}, tradeplan.ENotFound},
		{"submitter makes a token for itself", "province-submitter", func(ctx context.Context) error {
			_, _, err := f.svc.CreateToken(ctx, own.ID, "x")
			return err
		}, ""},
		{"submitter makes a token for a colleague", "province-submitter", func(ctx context.Context) error {
			_, _, err := f.svc.CreateToken(ctx, f.actors["province-admin"].User.ID, "x")
			return err
		}, tradeplan.EForbidden},
		{"admin makes a token for another tree's user", "province-admin", func(ctx context.Context) error {
			_, _, err := f.svc.CreateToken(ctx, other.ID, "x")
			return err
		}, tradeplan.ENotFound},
		{"admin revokes another tree's token", "province-admin", func(ctx context.Context) error {
			return f.svc.RevokeToken(ctx, otherTok.ID)
		}, tradeplan.ENotFound},
		{"submitter lists another user's tokens", "province-submitter", func(ctx context.Context) error {
			_, err := f.svc.Tokens(ctx, other.ID)
			return err
		}, tradeplan.ENotFound},
		{"admin revokes a token of its subtree", "province-admin", func(ctx context.Context) error {
			return f.svc.RevokeToken(ctx, ownTok.ID)
		}, ""},
		{"a revoked token again", "province-admin", func(ctx context.Context) error {
			return f.svc.RevokeToken(ctx, ownTok.ID)
		}, tradeplan.EConflict},
		{"compliance reads the audit log", "province-compliance", func(ctx context.Context) error {
			_, err := f.svc.AuditLog(ctx, tradeplan.AuditFilter{})
			return err
		}, ""},
		{"submitter reads the audit log", "province-submitter", func(ctx context.Context) error {
			_, err := f.svc.AuditLog(ctx, tradeplan.AuditFilter{})
			return err
		}, tradeplan.EForbidden},
		{"compliance verifies the chain", "province-compliance", func(ctx context.Context) error {
			_, err := f.svc.VerifyAudit(ctx)
			return err
		}, tradeplan.EForbidden},
		{"admin disables another tree's user", "province-admin", func(ctx context.Context) error {
			_, err := f.svc.SetUserDisabled(ctx, other.ID, true)
			return err
		}, tradeplan.ENotFound},
		{"submitter sets a colleague's password", "province-submitter", func(ctx context.Context) error {
			return f.svc.SetPassword(ctx, f.actors["province-admin"].User.ID, "a password of length")
		}, tradeplan.EForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.do(f.as(c.as))
			if got := tradeplan.ErrorCode(err); (err == nil) != (c.code == "") || err != nil && got != c.code {
				t.Fatalf("got %v (code %q), want code %q", err, got, c.code)
			}
		})
	}
}

// TestServiceScopesLists: a user's lists and audit log hold their subtree
// only, whatever filter they ask for.
func TestServiceScopesLists(t *testing.T) {
	f := newFixture(t)
	ctx := f.as("province-admin")
	orgs, err := f.svc.Orgs(ctx, tradeplan.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(orgs, func(o tradeplan.Organisation) int64 { return o.ID }), []int64{f.province.ID, f.site.ID}; !slices.Equal(got, want) {
		t.Errorf("Orgs = %v, want %v", got, want)
	}
	users, err := f.svc.Users(ctx, tradeplan.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.OrgID != f.province.ID && u.OrgID != f.site.ID {
			t.Errorf("Users holds user %d of organisation %d", u.ID, u.OrgID)
		}
	}
	entries, err := f.svc.AuditLog(ctx, tradeplan.AuditFilter{OrgIDs: []int64{f.company.ID, f.authority.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no entries of the subtree")
	}
	for _, e := range entries {
		if e.OrgID != f.province.ID && e.OrgID != f.site.ID {
			t.Errorf("AuditLog holds entry %d of organisation %d", e.Seq, e.OrgID)
		}
	}
	tail, res, err := f.svc.AuditTail(f.as("province-compliance"), 3)
	if err != nil {
		t.Fatal(err)
	}
	if res != nil || len(tail) != 3 || tail[0].Seq < tail[1].Seq {
		t.Errorf("AuditTail for compliance: %d entries, verification %v; want 3, newest first, and none", len(tail), res)
	}
	if _, res, err := f.svc.AuditTail(ctx, 3); err != nil || res == nil || !res.OK {
		t.Errorf("AuditTail for an admin: verification %v, %v", res, err)
	}
}

func ids[T any](xs []T, id func(T) int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// TestCreateOrgKeepsCountry: a plan's country is its organisation's, and an
// export's origin must be that country, so an administrator who could give a
// new organisation below theirs another country would file the DPRK's coal
// as China's (redteam). A user creates organisations of their tree's country
// only; the system (the operator's command line) may create any.
func TestCreateOrgKeepsCountry(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		actor   string
		parent  int64
		country string
		want    string
	}{
		{"province-admin", f.province.ID, "CN", tradeplan.EInvalid}, // parent has none: the authority's KP counts
		{"site-admin", f.site.ID, "RU", tradeplan.EInvalid},
		{"company-admin", f.company.ID, "KP", tradeplan.EInvalid},
		{"province-admin", f.province.ID, "kp", ""},
		{"province-admin", f.province.ID, "", ""},
		{"company-admin", f.company.ID, "CN", ""},
	} {
		o, err := f.svc.CreateOrg(f.as(c.actor), tradeplan.Organisation{ParentID: c.parent, Name: "Sub " + c.actor + c.country, Kind: tradeplan.OrgCompany, Country: c.country})
		if tradeplan.ErrorCode(err) != c.want {
			t.Errorf("%s creates a %q company under %d: got %v (%+v), want code %q", c.actor, c.country, c.parent, err, o, c.want)
		}
	}
	if _, err := f.svc.CreateOrg(context.Background(), tradeplan.Organisation{ParentID: f.province.ID, Name: "Trade office abroad", Kind: tradeplan.OrgAgency, Country: "CN"}); err != nil {
		t.Errorf("the system creates a foreign office: %v", err)
	}
}
