package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// The organisations and users of an administrator's subtree, managed
// through the account service (tradeplan.AccountService), which checks
// every action: a form offered to the wrong person is still refused.

type orgsView struct {
	Orgs  []tradeplan.Organisation
	Users []tradeplan.User
	Names map[int64]string
	Kinds []string
	Roles []string
	// MinPassword is the fewest characters a password may have.
	MinPassword int
}

func (u *ui) orgsPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	a := q.actor
	if !hasRole(a, "admin") {
		return tradeplan.Errorf(tradeplan.EForbidden, "managing organisations and users is for administrators")
	}
	ctx := tradeplan.WithActor(r.Context(), a)
	orgs, err := u.s.accounts.Orgs(ctx, tradeplan.OrgFilter{Under: &a.Org.ID})
	if err != nil {
		return err
	}
	users, err := u.s.accounts.Users(ctx, tradeplan.UserFilter{OrgUnder: &a.Org.ID})
	if err != nil {
		return err
	}
	v := orgsView{Orgs: orgs, Users: users, Names: map[int64]string{},
		Kinds: []string{"province", "agency", "site", "company"}, Roles: []string{"submitter", "reviewer", "compliance", "admin"},
		MinPassword: tradeplan.MinPasswordLen}
	for _, o := range orgs {
		v.Names[o.ID] = o.Name
	}
	u.render(w, r, http.StatusOK, "orgs", q, page{Title: "Organisations and users", Nav: "orgs", Data: v})
	return nil
}

func formID(r *http.Request, name string) (int64, error) {
	s := strings.TrimSpace(r.PostForm.Get(name))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, &tradeplan.Error{Code: tradeplan.EInvalid, Message: name + ": choose one",
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: name}, Message: "choose one"}}}
	}
	return n, nil
}

func (u *ui) createOrgForm(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	parent, err := formID(r, "parent")
	if err != nil {
		return err
	}
	o, err := u.s.accounts.CreateOrg(r.Context(), tradeplan.Organisation{ParentID: parent, Name: strings.TrimSpace(r.PostForm.Get("name")),
		Kind: tradeplan.OrgKind(r.PostForm.Get("kind")), Country: strings.TrimSpace(r.PostForm.Get("country"))})
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/orgs", "Organisation "+o.Name+" created.")
}

func (u *ui) createUserForm(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	org, err := formID(r, "org")
	if err != nil {
		return err
	}
	nu, err := u.s.accounts.CreateUser(r.Context(), tradeplan.User{OrgID: org, Email: strings.TrimSpace(r.PostForm.Get("email")),
		Name: strings.TrimSpace(r.PostForm.Get("name")), Role: tradeplan.Role(r.PostForm.Get("role"))}, r.PostForm.Get("password"))
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/orgs", "User "+nu.Email+" created.")
}

func (u *ui) setUserDisabled(disabled bool) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		id, err := uiPathID(r, "user")
		if err != nil {
			return err
		}
		us, err := u.s.accounts.SetUserDisabled(r.Context(), id, disabled)
		if err != nil {
			return err
		}
		what := "enabled"
		if disabled {
			what = "disabled"
		}
		return u.redirect(w, r, "/orgs", "User "+us.Email+" "+what+".")
	}
}
