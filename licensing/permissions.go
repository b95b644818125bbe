package licensing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Who may do what in the licensing process: one table, one function. Every
// use case of the Service calls Authorize before it changes anything; the
// HTTP handlers, the web pages and the command line decide nothing of it.
//
// Deciding belongs to the authority: an organisation of kind authority, or
// an office it delegates to by an explicit, audited grant (a Delegation).
// Applying belongs to the applicant: the organisation whose plan or permit
// it is. Nobody decides about their own tree: an organisation that submits
// plans or holds permits, and everyone in its tree, decides nothing about
// those plans, permits or the crossings they use.

// Action is a thing done in the licensing process that the permission table
// governs.
type Action string

const (
	ActOpenCall       Action = "call.open"
	ActCloseCall      Action = "call.close"
	ActWritePlan      Action = "plan.write"      // create, edit, submit, amend, import
	ActReviewLine     Action = "line.review"     // approve, refuse, bulk decisions, assess a code
	ActDecideFinding  Action = "finding.decide"  // compliance decisions, match decisions
	ActPermitStatus   Action = "permit.status"   // suspend, reinstate, revoke
	ActExpirePermits  Action = "permit.expire"   // record the expiry of permits past their window
	ActUsePermit      Action = "permit.use"      // goods crossing under a permit
	ActAddCrossing    Action = "crossing.add"    // register a new crossing
	ActManageCrossing Action = "crossing.manage" // open, close
	ActDelegate       Action = "authority.delegate"

	// Enforcement.
	ActRotateKeys         Action = "keys.rotate"         // retire the key that signs permits and make a new one
	ActImportDeclarations Action = "declarations.import" // load customs declarations
	ActSetTolerance       Action = "tolerance.set"       // the tolerance per unit over a permit's quantity
	ActManageCases        Action = "case.manage"         // the queue of enforcement cases: read, assign, note, close
	ActRescreen           Action = "permit.rescreen"     // screen issued permits and open cases again after a list update

	// The accounts (package accounts) are governed by the same table.
	ActCreateOrg    Action = "org.create"   // an organisation below one's own
	ActManageUsers  Action = "user.manage"  // list and create users
	ActOthersTokens Action = "token.others" // create or revoke another user's API token
	ActReadAudit    Action = "audit.read"
	ActVerifyAudit  Action = "audit.verify" // walk the whole chain

	// Site files: the applicant's claim of its stock, lines, workers and
	// power, and the authority's review that makes it count.
	ActWriteSites  Action = "sites.write"  // upload a new version
	ActReviewSites Action = "sites.review" // accept or reject a version
	// Necessary imports first (imports.go).
	ActCrossingCapacity Action = "crossing.capacity" // a crossing's weekly capacity
	ActReadImports      Action = "imports.read"      // a call's import ranking, budget and schedule
	ActSetBudget        Action = "imports.budget"    // a call's foreign-currency budget
	ActOverrideBudget   Action = "imports.override"  // a budget above what receipts, exports and reserves give
	ActUpgradeTier      Action = "line.upgrade"      // an import line's tier above its goods' default
)

// Who is which organisations may take an action, whatever the role.
type Who string

const (
	// ByAuthority: an organisation of kind authority, or an office holding a
	// delegation from one, and never about a subject of its own tree.
	ByAuthority Who = "authority"
	// ByAuthorityItself: an organisation of kind authority only; an office's
	// delegation does not pass on.
	ByAuthorityItself Who = "authority itself"
	// ByApplicant: the subject's own organisation (administrators: and the
	// organisations below theirs).
	ByApplicant Who = "applicant"
	// ByMember: the actor's own organisation or one below it, whatever its
	// kind.
	ByMember Who = "member"
)

// Permission is one row of the table.
type Permission struct {
	Action Action
	What   string // the action in words, for errors and the docs
	Roles  []tradeplan.Role
	By     Who
}

// Permissions is the table of role x organisation x action, in the order
// docs/workflow.md shows it.
var Permissions = []Permission{
	{ActOpenCall, "opening a call", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthority},
	{ActCloseCall, "closing a call", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthority},
	{ActWritePlan, "creating, editing, submitting or amending a plan", []tradeplan.Role{tradeplan.RoleSubmitter, tradeplan.RoleAdmin}, ByApplicant},
	{ActReviewLine, "deciding on a plan's lines", []tradeplan.Role{tradeplan.RoleReviewer, tradeplan.RoleCompliance}, ByAuthority},
	{ActDecideFinding, "deciding on a finding", []tradeplan.Role{tradeplan.RoleCompliance}, ByAuthority},
	{ActPermitStatus, "suspending, reinstating or revoking a permit", []tradeplan.Role{tradeplan.RoleCompliance, tradeplan.RoleAdmin}, ByAuthority},
	{ActExpirePermits, "expiring permits", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthority},
	{ActUsePermit, "using a permit", []tradeplan.Role{tradeplan.RoleSubmitter, tradeplan.RoleAdmin}, ByApplicant},
	// A crossing is a fact of the national border, not of one plan: an
	// office that plans could otherwise register one of its own to use.
	{ActAddCrossing, "adding a crossing", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthorityItself},
	{ActManageCrossing, "opening or closing a crossing", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthority},
	{ActDelegate, "delegating the authority's decisions to an office", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthorityItself},
	// The key that makes permits genuine is the authority's own.
	{ActRotateKeys, "rotating the key that signs permits", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthorityItself},
	// What crossed is reported by customs, part of the authority.
	{ActImportDeclarations, "loading customs declarations", []tradeplan.Role{tradeplan.RoleCompliance, tradeplan.RoleAdmin}, ByAuthority},
	{ActSetTolerance, "setting the tolerance over a permit's quantity", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthorityItself},
	{ActManageCases, "working on enforcement cases", []tradeplan.Role{tradeplan.RoleCompliance}, ByAuthority},
	{ActRescreen, "screening permits and cases again", []tradeplan.Role{tradeplan.RoleCompliance, tradeplan.RoleAdmin}, ByAuthority},
	{ActCreateOrg, "creating an organisation", []tradeplan.Role{tradeplan.RoleAdmin}, ByMember},
	{ActManageUsers, "listing or creating users", []tradeplan.Role{tradeplan.RoleAdmin}, ByMember},
	{ActOthersTokens, "creating or revoking another user's API token", []tradeplan.Role{tradeplan.RoleAdmin}, ByMember},
	{ActReadAudit, "reading the audit log", []tradeplan.Role{tradeplan.RoleAdmin, tradeplan.RoleCompliance}, ByMember},
	{ActVerifyAudit, "verifying the audit chain", []tradeplan.Role{tradeplan.RoleAdmin}, ByMember},
	{ActWriteSites, "uploading a site file", []tradeplan.Role{tradeplan.RoleSubmitter, tradeplan.RoleAdmin}, ByApplicant},
	// A site file raises what a plan's exports are assessed as able to
	// deliver: the applicant cannot vouch for its own claim.
	{ActReviewSites, "accepting or rejecting a site file", []tradeplan.Role{tradeplan.RoleReviewer, tradeplan.RoleCompliance}, ByAuthority},
	{ActCrossingCapacity, "setting a crossing's weekly capacity", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthority},
	{ActReadImports, "reading a call's import ranking", []tradeplan.Role{tradeplan.RoleReviewer, tradeplan.RoleCompliance, tradeplan.RoleAdmin}, ByAuthority},
	// The country's currency is the authority's own: an office it delegates
	// to may submit plans of its own to the call.
	{ActSetBudget, "setting a call's import budget", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthorityItself},
	// Allocating currency that does not exist is the authority's own call.
	{ActOverrideBudget, "stating a budget above what is available", []tradeplan.Role{tradeplan.RoleAdmin}, ByAuthorityItself},
	// A necessity claimed by the applicant counts once a reviewer agrees.
	{ActUpgradeTier, "upgrading an import line's tier", []tradeplan.Role{tradeplan.RoleReviewer, tradeplan.RoleCompliance}, ByAuthority},
}

// PermissionFor returns the row of an action.
func PermissionFor(act Action) (Permission, bool) {
	i := slices.IndexFunc(Permissions, func(p Permission) bool { return p.Action == act })
	if i < 0 {
		return Permission{}, false
	}
	return Permissions[i], true
}

// Delegation is an authority's grant to one of its offices (an organisation
// of any kind) to decide in its name: review, compliance, permits' status,
// crossings and calls, for the subjects the authority itself may decide on.
// It is made and revoked by the authority's administrator, and audited.
type Delegation struct {
	ID        int64      `json:"id"`
	Authority int64      `json:"authority"` // the organisation of kind authority that grants
	Office    int64      `json:"office"`    // the organisation that decides in its name
	Reason    string     `json:"reason"`
	GrantedBy string     `json:"granted_by"`
	GrantedAt time.Time  `json:"granted_at"`
	RevokedBy string     `json:"revoked_by,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Principal is an actor with what Authorize needs to know of its
// organisation: its lineage and the delegation it holds, if any.
type Principal struct {
	Actor tradeplan.Actor
	// Lineage is the actor's organisation first, then its ancestors up to
	// the root.
	Lineage []tradeplan.Organisation
	// Delegation is the active delegation the actor's organisation holds;
	// nil when it holds none.
	Delegation *Delegation
	// Jurisdiction is the subtree of the authority the principal exercises
	// (see Authority), ascending: the plans and permits of these
	// organisations, and of calls they issued, are its to decide on.
	Jurisdiction []int64
}

// Authority is the organisation whose authority the principal exercises: its
// own when of kind authority, else the one that delegated to it; 0 for
// none. The system actor exercises every authority (-1).
func (p Principal) Authority() int64 {
	switch {
	case p.Actor.IsSystem():
		return -1
	case len(p.Lineage) > 0 && p.Lineage[0].Kind == tradeplan.OrgAuthority:
		return p.Lineage[0].ID
	case p.Delegation != nil:
		return p.Delegation.Authority
	}
	return 0
}

// Target is what an action is about: the organisations whose plans,
// permits or crossings it decides on, each as a lineage (the organisation
// first, then its ancestors). None for an action about no organisation.
type Target struct {
	Subjects [][]tradeplan.Organisation
}

// On is a Target about one organisation's lineage.
func On(lineage []tradeplan.Organisation) Target {
	if len(lineage) == 0 {
		return Target{}
	}
	return Target{Subjects: [][]tradeplan.Organisation{lineage}}
}

// TreeHead is the top of a subject's own tree: walking up from the subject,
// the last organisation before one of kind authority (the subject itself
// when it is an authority). Everyone at or below it is in the subject's
// tree and decides nothing about it.
func TreeHead(lineage []tradeplan.Organisation) tradeplan.Organisation {
	if len(lineage) == 0 {
		return tradeplan.Organisation{}
	}
	head := lineage[0]
	if head.Kind == tradeplan.OrgAuthority {
		return head
	}
	for _, o := range lineage[1:] {
		if o.Kind == tradeplan.OrgAuthority {
			break
		}
		head = o
	}
	return head
}

// Authorize returns nil when p may take act on t, else an EForbidden error
// that says why. It is the one place that decides who may do what.
func Authorize(p Principal, act Action, t Target) error {
	perm, ok := PermissionFor(act)
	if !ok {
		return tradeplan.Errorf(tradeplan.EInternal, "no permission for action %q", act)
	}
	a := p.Actor
	if a.IsSystem() {
		return nil
	}
	if !slices.Contains(perm.Roles, a.User.Role) {
		names := make([]string, len(perm.Roles))
		for i, r := range perm.Roles {
			names[i] = string(r)
		}
		return tradeplan.Errorf(tradeplan.EForbidden, "%s needs the role %s; you are %s", perm.What, strings.Join(names, " or "), a.User.Role)
	}
	own := orgLabel(p.Lineage, a.User.OrgID)
	switch perm.By {
	case ByApplicant:
		for _, s := range t.Subjects {
			if len(s) == 0 {
				continue
			}
			org := s[0].ID
			if a.User.Role == tradeplan.RoleSubmitter && org != a.User.OrgID || !a.CanSee(org) {
				return tradeplan.Errorf(tradeplan.EForbidden, "%s is for the organisation itself: %s is not %s", perm.What, own, orgLabel(s, org))
			}
		}
		return nil
	case ByMember:
		for _, s := range t.Subjects {
			if len(s) > 0 && !a.CanSee(s[0].ID) {
				return tradeplan.Errorf(tradeplan.EForbidden, "%s is for the organisation's own tree: %s is not below %s", perm.What, orgLabel(s, s[0].ID), own)
			}
		}
		return nil
	case ByAuthorityItself:
		if len(p.Lineage) == 0 || p.Lineage[0].Kind != tradeplan.OrgAuthority {
			return tradeplan.Errorf(tradeplan.EForbidden, "%s belongs to an authority itself: %s is not of kind authority", perm.What, own)
		}
	case ByAuthority:
		if p.Authority() == 0 {
			return tradeplan.Errorf(tradeplan.EForbidden, "%s belongs to the authority: %s is not of kind authority and holds no delegation from one", perm.What, own)
		}
	}
	for _, s := range t.Subjects {
		head := TreeHead(s)
		if head.ID == 0 {
			continue
		}
		if slices.ContainsFunc(p.Lineage, func(o tradeplan.Organisation) bool { return o.ID == head.ID }) {
			return tradeplan.Errorf(tradeplan.EForbidden, "%s: %s is in the tree of %s, whose plans and permits it concerns; an organisation decides nothing about its own tree",
				perm.What, own, orgLabel(s, s[0].ID))
		}
	}
	return nil
}

func orgLabel(lineage []tradeplan.Organisation, id int64) string {
	if len(lineage) > 0 && lineage[0].ID == id {
		o := lineage[0]
		if o.Name != "" {
			return fmt.Sprintf("organisation %d (%s, %s)", o.ID, o.Name, o.Kind)
		}
		if o.Kind != "" {
			return fmt.Sprintf("organisation %d (%s)", o.ID, o.Kind)
		}
	}
	return fmt.Sprintf("organisation %d", id)
}
