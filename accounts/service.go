// Package accounts is the service of organisations, users, API tokens,
// sessions and the audit log (tradeplan.AccountService): it decides who may
// do what, by the permission table of package licensing, and leaves storage
// to a Store (package store on SQLite or PostgreSQL; accountstest in memory).
// The server and the command line reach accounts through it only.
package accounts

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Store is what the Service needs of storage. Every change appends its
// audit entry in the same transaction, with the actor carried by ctx. The
// contract every implementation keeps is accountstest.TestStore.
type Store interface {
	CreateOrg(ctx context.Context, o tradeplan.Organisation) (tradeplan.Organisation, error)
	Org(ctx context.Context, id int64) (tradeplan.Organisation, error)
	Orgs(ctx context.Context, f tradeplan.OrgFilter) ([]tradeplan.Organisation, error)
	Subtree(ctx context.Context, orgID int64) ([]int64, error)

	CreateUser(ctx context.Context, u tradeplan.User, password string) (tradeplan.User, error)
	User(ctx context.Context, id int64) (tradeplan.User, error)
	UserByEmail(ctx context.Context, email string) (tradeplan.User, error)
	Users(ctx context.Context, f tradeplan.UserFilter) ([]tradeplan.User, error)
	SetUserDisabled(ctx context.Context, id int64, disabled bool) (tradeplan.User, error)
	SetPassword(ctx context.Context, userID int64, password string) error
	Authenticate(ctx context.Context, email, password string) (tradeplan.User, error)

	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token, csrf string, err error)
	SessionUser(ctx context.Context, token string) (tradeplan.Actor, tradeplan.Session, error)
	DeleteSession(ctx context.Context, token string) error

	CreateToken(ctx context.Context, userID int64, name string) (string, tradeplan.APIToken, error)
	Token(ctx context.Context, id int64) (tradeplan.APIToken, error)
	Tokens(ctx context.Context, userID int64) ([]tradeplan.APIToken, error)
	TokenUser(ctx context.Context, token string) (tradeplan.Actor, error)
	RevokeToken(ctx context.Context, id int64) error

	AuditLog(ctx context.Context, f tradeplan.AuditFilter) ([]tradeplan.AuditEntry, error)
	VerifyAudit(ctx context.Context) (tradeplan.AuditVerification, error)
}

// Service implements tradeplan.AccountService over a Store.
type Service struct {
	store Store
}

var _ tradeplan.AccountService = (*Service)(nil)

// NewService returns the service of st.
func NewService(st Store) *Service { return &Service{store: st} }

// actor is who acts in ctx; none is the system.
func actor(ctx context.Context) tradeplan.Actor {
	if a, ok := tradeplan.ActorFrom(ctx); ok {
		return a
	}
	return tradeplan.SystemActor("")
}

// authorize checks act by the permission table, about organisation org (0
// for none). The organisations a user cannot see were answered ENotFound
// before.
func authorize(a tradeplan.Actor, act licensing.Action, org int64) error {
	p := licensing.Principal{Actor: a, Lineage: []tradeplan.Organisation{a.Org}}
	var t licensing.Target
	if org != 0 {
		t = licensing.On([]tradeplan.Organisation{{ID: org}})
	}
	return licensing.Authorize(p, act, t)
}

// visible returns an ENotFound error, worded as what, unless the actor sees
// organisation org.
func visible(a tradeplan.Actor, org int64, what string) error {
	if a.CanSee(org) {
		return nil
	}
	return tradeplan.Errorf(tradeplan.ENotFound, "%s not found", what)
}

func orgWhat(id int64) string { return "organisation " + strconv.FormatInt(id, 10) }

func missing(field, message string) error {
	return &tradeplan.Error{Code: tradeplan.EInvalid, Message: field + ": " + message,
		Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: field}, Message: "missing"}}}
}

// Organisations.

func (s *Service) CreateOrg(ctx context.Context, o tradeplan.Organisation) (tradeplan.Organisation, error) {
	a := actor(ctx)
	if !a.IsSystem() {
		if err := authorize(a, licensing.ActCreateOrg, 0); err != nil {
			return tradeplan.Organisation{}, err
		}
		if o.ParentID <= 0 {
			return tradeplan.Organisation{}, missing("parent_id", "missing; an organisation is created under one of yours")
		}
		if err := visible(a, o.ParentID, "parent "+orgWhat(o.ParentID)); err != nil {
			return tradeplan.Organisation{}, err
		}
		if err := authorize(a, licensing.ActCreateOrg, o.ParentID); err != nil {
			return tradeplan.Organisation{}, err
		}
		parent, err := s.store.Org(ctx, o.ParentID)
		if err != nil {
			return tradeplan.Organisation{}, err
		}
		if o.Kind.Valid() && slices.Index(tradeplan.OrgKinds, o.Kind) < slices.Index(tradeplan.OrgKinds, parent.Kind) {
			return tradeplan.Organisation{}, &tradeplan.Error{Code: tradeplan.EInvalid,
				Message:  fmt.Sprintf("kind: a %s cannot be created under a %s", o.Kind, parent.Kind),
				Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "kind"}, Message: fmt.Sprintf("ranks above its parent's kind %s", parent.Kind)}}}
		}
		// A plan's country is its organisation's, and an export leaves that
		// country: a user who chose the country of an organisation below
		// theirs would choose where their goods come from.
		if c := strings.ToUpper(strings.TrimSpace(o.Country)); c != "" {
			tree, err := s.treeCountry(ctx, parent)
			if err != nil {
				return tradeplan.Organisation{}, err
			}
			if tree != "" && c != tree {
				return tradeplan.Organisation{}, &tradeplan.Error{Code: tradeplan.EInvalid,
					Message:  fmt.Sprintf("country: an organisation below %s is of its country %s, not %s", orgWhat(parent.ID), tree, c),
					Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "country"}, Message: fmt.Sprintf("is %s; the tree's country is %s", c, tree)}}}
			}
		}
	}
	return s.store.CreateOrg(ctx, o)
}

// treeCountry is the country of o or of its nearest ancestor that has one.
func (s *Service) treeCountry(ctx context.Context, o tradeplan.Organisation) (string, error) {
	for depth := 0; o.Country == "" && o.ParentID > 0; depth++ {
		if depth > 64 {
			return "", fmt.Errorf("organisation %d: ancestry deeper than 64", o.ID)
		}
		var err error
		if o, err = s.store.Org(ctx, o.ParentID); err != nil {
			return "", err
		}
	}
	return o.Country, nil
}

func (s *Service) Org(ctx context.Context, id int64) (tradeplan.Organisation, error) {
	if err := visible(actor(ctx), id, orgWhat(id)); err != nil {
		return tradeplan.Organisation{}, err
	}
	return s.store.Org(ctx, id)
}

func (s *Service) Orgs(ctx context.Context, f tradeplan.OrgFilter) ([]tradeplan.Organisation, error) {
	a := actor(ctx)
	if !a.IsSystem() {
		if f.Under == nil {
			f.Under = &a.Org.ID
		} else if err := visible(a, *f.Under, orgWhat(*f.Under)); err != nil {
			return nil, err
		}
		if f.ParentID != nil {
			if err := visible(a, *f.ParentID, orgWhat(*f.ParentID)); err != nil {
				return nil, err
			}
		}
	}
	return s.store.Orgs(ctx, f)
}

func (s *Service) Subtree(ctx context.Context, orgID int64) ([]int64, error) {
	if err := visible(actor(ctx), orgID, orgWhat(orgID)); err != nil {
		return nil, err
	}
	return s.store.Subtree(ctx, orgID)
}

// Users.

func (s *Service) CreateUser(ctx context.Context, u tradeplan.User, password string) (tradeplan.User, error) {
	a := actor(ctx)
	if !a.IsSystem() {
		if err := authorize(a, licensing.ActManageUsers, 0); err != nil {
			return tradeplan.User{}, err
		}
		if u.OrgID <= 0 {
			return tradeplan.User{}, missing("org_id", "missing")
		}
		if err := visible(a, u.OrgID, orgWhat(u.OrgID)); err != nil {
			return tradeplan.User{}, err
		}
		if err := authorize(a, licensing.ActManageUsers, u.OrgID); err != nil {
			return tradeplan.User{}, err
		}
	}
	return s.store.CreateUser(ctx, u, password)
}

// user returns a user the actor sees; one outside its subtree is ENotFound,
// as a user that does not exist.
func (s *Service) user(ctx context.Context, a tradeplan.Actor, id int64) (tradeplan.User, error) {
	notFound := tradeplan.Errorf(tradeplan.ENotFound, "user %d not found", id)
	u, err := s.store.User(ctx, id)
	if err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return tradeplan.User{}, notFound
		}
		return tradeplan.User{}, err
	}
	if !a.CanSee(u.OrgID) {
		return tradeplan.User{}, notFound
	}
	return u, nil
}

func (s *Service) User(ctx context.Context, id int64) (tradeplan.User, error) {
	return s.user(ctx, actor(ctx), id)
}

func (s *Service) UserByEmail(ctx context.Context, email string) (tradeplan.User, error) {
	a := actor(ctx)
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil {
		return tradeplan.User{}, err
	}
	if !a.CanSee(u.OrgID) {
		return tradeplan.User{}, tradeplan.Errorf(tradeplan.ENotFound, "user %s not found", email)
	}
	return u, nil
}

func (s *Service) Users(ctx context.Context, f tradeplan.UserFilter) ([]tradeplan.User, error) {
	a := actor(ctx)
	if !a.IsSystem() {
		if err := authorize(a, licensing.ActManageUsers, 0); err != nil {
			return nil, err
		}
		if f.OrgUnder == nil {
			f.OrgUnder = &a.Org.ID
		} else if err := visible(a, *f.OrgUnder, orgWhat(*f.OrgUnder)); err != nil {
			return nil, err
		}
		if f.OrgID != nil {
			if err := visible(a, *f.OrgID, orgWhat(*f.OrgID)); err != nil {
				return nil, err
			}
		}
	}
	return s.store.Users(ctx, f)
}

func (s *Service) SetUserDisabled(ctx context.Context, id int64, disabled bool) (tradeplan.User, error) {
	a := actor(ctx)
	u, err := s.user(ctx, a, id)
	if err != nil {
		return tradeplan.User{}, err
	}
	if err := authorize(a, licensing.ActManageUsers, u.OrgID); err != nil {
		return tradeplan.User{}, err
	}
	return s.store.SetUserDisabled(ctx, id, disabled)
}

// SetPassword replaces a user's password: the system's, or a user's own.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	a := actor(ctx)
	if !a.IsSystem() && a.User.ID != userID {
		u, err := s.user(ctx, a, userID)
		if err != nil {
			return err
		}
		if err := authorize(a, licensing.ActManageUsers, u.OrgID); err != nil {
			return err
		}
	}
	return s.store.SetPassword(ctx, userID, password)
}

// API tokens.

// tokenOwner checks that the actor may manage the tokens of user id: their
// own, or, for an administrator, those of a user of their subtree.
func (s *Service) tokenOwner(ctx context.Context, a tradeplan.Actor, id int64) error {
	if a.IsSystem() || id == a.User.ID {
		return nil
	}
	u, err := s.user(ctx, a, id)
	if err != nil {
		return err
	}
	return authorize(a, licensing.ActOthersTokens, u.OrgID)
}

func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (string, tradeplan.APIToken, error) {
	if err := s.tokenOwner(ctx, actor(ctx), userID); err != nil {
		return "", tradeplan.APIToken{}, err
	}
	return s.store.CreateToken(ctx, userID, name)
}

func (s *Service) Tokens(ctx context.Context, userID int64) ([]tradeplan.APIToken, error) {
	a := actor(ctx)
	if userID == 0 && !a.IsSystem() {
		userID = a.User.ID
	}
	if err := s.tokenOwner(ctx, a, userID); err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, userID)
}

func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	a := actor(ctx)
	notFound := tradeplan.Errorf(tradeplan.ENotFound, "token %d not found", id)
	t, err := s.store.Token(ctx, id)
	if err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return notFound
		}
		return err
	}
	if err := s.tokenOwner(ctx, a, t.UserID); err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return notFound
		}
		return err
	}
	if t.RevokedAt != nil {
		return tradeplan.Errorf(tradeplan.EConflict, "token %d is already revoked", id)
	}
	return s.store.RevokeToken(ctx, id)
}

// Login and sessions.

func (s *Service) Login(ctx context.Context, email, password string, ttl time.Duration) (tradeplan.Login, error) {
	u, err := s.store.Authenticate(ctx, email, password)
	if err != nil {
		return tradeplan.Login{}, err
	}
	ctx = tradeplan.WithActor(ctx, tradeplan.Actor{User: u, Via: "session"})
	token, csrf, err := s.store.CreateSession(ctx, u.ID, ttl)
	if err != nil {
		return tradeplan.Login{}, err
	}
	org, err := s.store.Org(ctx, u.OrgID)
	if err != nil {
		return tradeplan.Login{}, err
	}
	return tradeplan.Login{User: u, Org: org, Token: token, CSRF: csrf}, nil
}

func (s *Service) Logout(ctx context.Context, sessionToken string) error {
	return s.store.DeleteSession(ctx, sessionToken)
}

func (s *Service) SessionActor(ctx context.Context, sessionToken string) (tradeplan.Actor, tradeplan.Session, error) {
	return s.store.SessionUser(ctx, sessionToken)
}

func (s *Service) TokenActor(ctx context.Context, token string) (tradeplan.Actor, error) {
	return s.store.TokenUser(ctx, token)
}

// The audit log.

func (s *Service) AuditLog(ctx context.Context, f tradeplan.AuditFilter) ([]tradeplan.AuditEntry, error) {
	a := actor(ctx)
	if !a.IsSystem() {
		if err := authorize(a, licensing.ActReadAudit, 0); err != nil {
			return nil, err
		}
		f.OrgIDs = a.Subtree
	}
	return s.store.AuditLog(ctx, f)
}

func (s *Service) AuditTail(ctx context.Context, n int) ([]tradeplan.AuditEntry, *tradeplan.AuditVerification, error) {
	a := actor(ctx)
	if err := authorize(a, licensing.ActReadAudit, 0); err != nil {
		return nil, nil, err
	}
	res, err := s.store.VerifyAudit(ctx)
	if err != nil {
		return nil, nil, err
	}
	f := tradeplan.AuditFilter{AfterSeq: max(0, res.HeadSeq-5*int64(n)), Limit: 5 * n}
	if !a.IsSystem() {
		f.OrgIDs = a.Subtree
	}
	entries, err := s.store.AuditLog(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	if len(entries) > n {
		entries = entries[len(entries)-n:]
	}
	slices.Reverse(entries)
	if authorize(a, licensing.ActVerifyAudit, 0) != nil {
		return entries, nil, nil
	}
	return entries, &res, nil
}

func (s *Service) VerifyAudit(ctx context.Context) (tradeplan.AuditVerification, error) {
	if err := authorize(actor(ctx), licensing.ActVerifyAudit, 0); err != nil {
		return tradeplan.AuditVerification{}, err
	}
	return s.store.VerifyAudit(ctx)
}
