package tradeplan

import (
	"context"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgKind is the kind of an organisation in the tree: an authority at the
// top, provinces and agencies under it, sites (ports, crossings, plants) and
// companies at the bottom.
type OrgKind string

const (
	OrgAuthority OrgKind = "authority"
	OrgProvince  OrgKind = "province"
	OrgAgency    OrgKind = "agency"
	OrgSite      OrgKind = "site"
	OrgCompany   OrgKind = "company"
)

// OrgKinds lists the kinds in order from the top of a tree down.
var OrgKinds = []OrgKind{OrgAuthority, OrgProvince, OrgAgency, OrgSite, OrgCompany}

// Valid reports whether k is one of OrgKinds.
func (k OrgKind) Valid() bool { return slices.Contains(OrgKinds, k) }

// Organisation is a node of the organisation tree. A user of an organisation
// sees it and everything below it.
type Organisation struct {
	ID        int64     `json:"id"`
	ParentID  int64     `json:"parent_id,omitempty"` // 0 for a root
	Name      string    `json:"name"`
	Kind      OrgKind   `json:"kind"`
	Country   string    `json:"country,omitempty"` // ISO 3166 alpha-2
	CreatedAt time.Time `json:"created_at"`
}

// OrgFilter selects organisations. Nil fields do not filter.
type OrgFilter struct {
	Under    *int64   // the organisation and its whole subtree
	ParentID *int64   // direct children of
	Kind     *OrgKind // of this kind
}

// Role is what a user may do within their organisation's subtree.
type Role string

const (
	RoleSubmitter  Role = "submitter"  // drafts and submits plans
	RoleReviewer   Role = "reviewer"   // reviews submitted plans
	RoleCompliance Role = "compliance" // compliance officer: decides matches, issues permits
	RoleAdmin      Role = "admin"      // manages organisations, users and tokens
)

// Roles lists every role.
var Roles = []Role{RoleSubmitter, RoleReviewer, RoleCompliance, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a person with an account, scoped to one organisation and its
// subtree.
type User struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	Email     string    `json:"email"` // stored lower-case; unique
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled"`
}

// UserFilter selects users. Nil fields do not filter.
type UserFilter struct {
	OrgUnder *int64 // users of the organisation and its subtree
	OrgID    *int64 // users of exactly this organisation
	Role     *Role
}

// APIToken is a bearer token for automation. Only a hash of the token is
// stored; its plaintext is shown once, when created. Prefix is the start of
// the plaintext, to recognise a token in a list.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Session is a browser session. Its token lives in a cookie and only its
// hash is stored; CSRF is the value a state-changing request must echo in a
// header or form field.
type Session struct {
	UserID    int64     `json:"user_id"`
	CSRF      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Actor is who performs a request: an authenticated user with their
// organisation and its subtree, or the system (the command line, the demo
// seeder) when User.ID is 0.
type Actor struct {
	User    User         `json:"user"`
	Org     Organisation `json:"org"`
	Subtree []int64      `json:"-"`                  // IDs of Org and every organisation below it, ascending
	Via     string       `json:"via"`                // "session", "token" or "system"
	TokenID int64        `json:"token_id,omitempty"` // the API token used, for Via "token"
	System  string       `json:"system,omitempty"`   // the system actor's name, for Via "system"
}

// SystemActor is an actor for changes made outside any user's session: the
// command line, migrations, the demo seeder. name says which.
func SystemActor(name string) Actor { return Actor{Via: "system", System: name} }

// IsSystem reports whether a is a system actor.
func (a Actor) IsSystem() bool { return a.User.ID == 0 }

// CanSee reports whether organisation orgID is within the actor's subtree.
// A system actor sees everything.
func (a Actor) CanSee(orgID int64) bool {
	if a.IsSystem() {
		return true
	}
	_, ok := slices.BinarySearch(a.Subtree, orgID)
	return ok
}

// Label names the actor in the audit log: "user:ID email" or "system:NAME".
func (a Actor) Label() string {
	if a.IsSystem() {
		if a.System == "" {
			return "system"
		}
		return "system:" + a.System
	}
	return "user:" + strconv.FormatInt(a.User.ID, 10) + " " + a.User.Email
}

type actorKey struct{}

// WithActor returns a context that carries a. The store records it in the
// audit log of every change made with that context.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// MinPasswordLen is the fewest characters a password may have; it may have
// at most 1024 bytes.
const MinPasswordLen = 10

// NormaliseEmail is an email as stored and compared: trimmed, lower-case.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckNewOrg trims o's name, upper-cases its country and checks its fields,
// every problem at once (EInvalid), before it is created.
func CheckNewOrg(o *Organisation) error {
	o.Name = strings.TrimSpace(o.Name)
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	var ps Problems
	if o.Name == "" {
		ps.Add(Position{}, "name", "is empty")
	}
	if !o.Kind.Valid() {
		kinds := make([]string, len(OrgKinds))
		for i, k := range OrgKinds {
			kinds[i] = string(k)
		}
		ps.Add(Position{}, "kind", "is %q, expected one of %s", o.Kind, strings.Join(kinds, ", "))
	}
	if c := o.Country; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		ps.Add(Position{}, "country", "is %q, expected an ISO 3166 alpha-2 code such as KP", o.Country)
	}
	if o.ParentID < 0 {
		ps.Add(Position{}, "parent", "is %d, expected an organisation ID", o.ParentID)
	}
	return ps.Err("organisation")
}

// CheckNewUser normalises u's email and name and checks u and its password,
// every problem at once (EInvalid), before it is created.
func CheckNewUser(u *User, password string) error {
	u.Email = NormaliseEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	var ps Problems
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		ps.Add(Position{}, "email", "is %q, expected an address such as name@example.org", u.Email)
	}
	if !u.Role.Valid() {
		ps.Add(Position{}, "role", "is %q, expected one of submitter, reviewer, compliance, admin", u.Role)
	}
	if u.OrgID <= 0 {
		ps.Add(Position{}, "org", "is missing: a user belongs to an organisation")
	}
	if utf8.RuneCountInString(password) < MinPasswordLen {
		ps.Add(Position{}, "password", "is too short: at least %d characters", MinPasswordLen)
	}
	if len(password) > 1024 {
		ps.Add(Position{}, "password", "is too long: at most 1024 bytes")
	}
	return ps.Err("user")
}

// CheckPassword checks a new password's length (EInvalid).
func CheckPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen || len(password) > 1024 {
		return Errorf(EInvalid, "password: at least %d characters and at most 1024 bytes", MinPasswordLen)
	}
	return nil
}
