package licensing

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

var updateDocs = flag.Bool("update", false, "rewrite the permission tables in docs/workflow.md")

// The organisation tree of the permission tests:
//
//	1 authority
//	  2 province
//	    3 agency
//	  4 site (an office of the authority)
//	5 company (a root: a foreign importer)
//	  6 company (its branch)
var permOrgs = map[int64]tradeplan.Organisation{
	1: {ID: 1, Name: "authority", Kind: tradeplan.OrgAuthority, Country: "KP"},
	2: {ID: 2, ParentID: 1, Name: "province", Kind: tradeplan.OrgProvince, Country: "KP"},
	3: {ID: 3, ParentID: 2, Name: "agency", Kind: tradeplan.OrgAgency, Country: "KP"},
	4: {ID: 4, ParentID: 1, Name: "site", Kind: tradeplan.OrgSite, Country: "KP"},
	5: {ID: 5, Name: "company", Kind: tradeplan.OrgCompany, Country: "CN"},
	6: {ID: 6, ParentID: 5, Name: "branch", Kind: tradeplan.OrgCompany, Country: "CN"},
}

func permLineage(id int64) []tradeplan.Organisation {
	var out []tradeplan.Organisation
	for id != 0 {
		o := permOrgs[id]
		out = append(out, o)
		id = o.ParentID
	}
	return out
}

// below reports whether org is id or under it.
func below(org, id int64) bool {
	for ; org != 0; org = permOrgs[org].ParentID {
		if org == id {
			return true
		}
	}
	return false
}

func permPrincipal(org int64, role tradeplan.Role, delegated bool) Principal {
	var sub []int64
	for id := range permOrgs {
		if below(id, org) {
			sub = append(sub, id)
		}
	}
	slices.Sort(sub)
	p := Principal{Actor: tradeplan.Actor{User: tradeplan.User{ID: 100, OrgID: org, Role: role}, Org: permOrgs[org], Subtree: sub, Via: "token"},
		Lineage: permLineage(org)}
	if delegated {
		p.Delegation = &Delegation{ID: 1, Authority: 1, Office: org}
	}
	return p
}

// ownTree reports, from the tree's shape rather than TreeHead, whether org
// is in the tree of subject: under the subject's highest ancestor below an
// authority (the subject's own subtree when it is an authority).
func ownTree(org, subject int64) bool {
	head := subject
	if permOrgs[subject].Kind != tradeplan.OrgAuthority {
		for p := permOrgs[head].ParentID; p != 0 && permOrgs[p].Kind != tradeplan.OrgAuthority; p = permOrgs[p].ParentID {
			head = p
		}
	}
	return below(org, head)
}

// expected is the permission of one cell, written from the docs' words.
func expected(perm Permission, role tradeplan.Role, org int64, delegated bool, subject int64) bool {
	if !slices.Contains(perm.Roles, role) {
		return false
	}
	authority := permOrgs[org].Kind == tradeplan.OrgAuthority
	independent := subject == 0 || !ownTree(org, subject)
	switch perm.By {
	case ByApplicant:
		if subject == 0 {
			return true
		}
		if role == tradeplan.RoleSubmitter {
			return subject == org
		}
		return below(subject, org)
	case ByMember:
		return subject == 0 || below(subject, org)
	case ByAuthorityItself:
		return authority && independent
	case ByAuthority:
		return (authority || delegated) && independent
	}
	return false
}

// TestAuthorizeEveryCell checks Authorize on every action x role x
// organisation x delegation x subject of the tree.
func TestAuthorizeEveryCell(t *testing.T) {
	cells, allowed := 0, 0
	for _, perm := range Permissions {
		for _, role := range tradeplan.Roles {
			for org := range permOrgs {
				for _, delegated := range []bool{false, true} {
					if delegated && permOrgs[org].Kind == tradeplan.OrgAuthority {
						continue // an authority holds no delegation
					}
					for subject := int64(0); subject <= 6; subject++ {
						var target Target
						if subject != 0 {
							target = On(permLineage(subject))
						}
						err := Authorize(permPrincipal(org, role, delegated), perm.Action, target)
						want := expected(perm, role, org, delegated, subject)
						cells++
						if want {
							allowed++
						}
						if (err == nil) != want {
							t.Errorf("%s by %s of %s (delegated %v) about organisation %d: got %v, want allowed %v",
								perm.Action, role, permOrgs[org].Name, delegated, subject, err, want)
						} else if err != nil && tradeplan.ErrorCode(err) != tradeplan.EForbidden {
							t.Errorf("%s: error code %s", perm.Action, tradeplan.ErrorCode(err))
						}
					}
				}
			}
		}
	}
	t.Logf("%d cells, %d allowed", cells, allowed)
	// The system actor (command line, demo) may do everything.
	for _, perm := range Permissions {
		if err := Authorize(Principal{Actor: tradeplan.SystemActor("test")}, perm.Action, On(permLineage(3))); err != nil {
			t.Errorf("system %s: %v", perm.Action, err)
		}
	}
	if err := Authorize(Principal{Actor: tradeplan.SystemActor("test")}, Action("nonsense"), Target{}); tradeplan.ErrorCode(err) != tradeplan.EInternal {
		t.Errorf("unknown action: %v", err)
	}
}

// TestAuthorizeAttacks names the attacks of issue 12 item 7.
func TestAuthorizeAttacks(t *testing.T) {
	for _, tc := range []struct {
		name      string
		org       int64
		role      tradeplan.Role
		delegated bool
		act       Action
		subject   int64
		allowed   bool
	}{
		{"company reviewer approves its branch's plan", 5, tradeplan.RoleReviewer, false, ActReviewLine, 6, false},
		{"branch reviewer approves its own plan", 6, tradeplan.RoleReviewer, false, ActReviewLine, 6, false},
		{"branch reviewer approves its parent's plan", 6, tradeplan.RoleReviewer, false, ActReviewLine, 5, false},
		{"importer admin adds a crossing", 5, tradeplan.RoleAdmin, false, ActAddCrossing, 0, false},
		{"importer admin opens a crossing", 5, tradeplan.RoleAdmin, false, ActManageCrossing, 0, false},
		{"delegated province admin adds a crossing of its own", 2, tradeplan.RoleAdmin, true, ActAddCrossing, 0, false},
		{"authority admin adds a crossing", 1, tradeplan.RoleAdmin, false, ActAddCrossing, 0, true},
		{"holder's admin reinstates its permit", 2, tradeplan.RoleAdmin, false, ActPermitStatus, 2, false},
		{"holder's compliance reinstates its permit", 2, tradeplan.RoleCompliance, false, ActPermitStatus, 2, false},
		{"province compliance clears its agency's finding", 2, tradeplan.RoleCompliance, false, ActDecideFinding, 3, false},
		{"province delegated decides on its own agency", 2, tradeplan.RoleCompliance, true, ActPermitStatus, 3, false},
		{"agency delegated decides on its province", 3, tradeplan.RoleReviewer, true, ActReviewLine, 2, false},
		{"authority reviewer approves the province's plan", 1, tradeplan.RoleReviewer, false, ActReviewLine, 2, true},
		{"authority reviewer approves the importer's plan", 1, tradeplan.RoleReviewer, false, ActReviewLine, 5, true},
		{"authority reviewer approves the authority's own plan", 1, tradeplan.RoleReviewer, false, ActReviewLine, 1, false},
		{"delegated site's compliance suspends the province's permit", 4, tradeplan.RoleCompliance, true, ActPermitStatus, 2, true},
		{"undelegated site's compliance suspends the province's permit", 4, tradeplan.RoleCompliance, false, ActPermitStatus, 2, false},
		{"delegated site's admin delegates further", 4, tradeplan.RoleAdmin, true, ActDelegate, 0, false},
		{"delegated site's reviewer decides on the authority's own plan", 4, tradeplan.RoleReviewer, true, ActReviewLine, 1, false},
		{"authority admin uses the province's permit", 1, tradeplan.RoleAdmin, false, ActUsePermit, 2, true},
		{"province submitter uses its agency's permit", 2, tradeplan.RoleSubmitter, false, ActUsePermit, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var target Target
			if tc.subject != 0 {
				target = On(permLineage(tc.subject))
			}
			err := Authorize(permPrincipal(tc.org, tc.role, tc.delegated), tc.act, target)
			if (err == nil) != tc.allowed {
				t.Fatalf("got %v, want allowed %v", err, tc.allowed)
			}
		})
	}
}

// permissionDocs renders the tables of docs/workflow.md from Permissions
// and Authorize: the table itself, and role x kind of organisation.
func permissionDocs() string {
	var b strings.Builder
	b.WriteString("| action | what | roles | which organisation |\n|---|---|---|---|\n")
	words := map[Who]string{
		ByAuthority:       "the authority (kind authority) or an office it delegated to; never about its own tree",
		ByAuthorityItself: "an organisation of kind authority, about its own offices",
		ByApplicant:       "the applicant: the subject's own organisation (an admin: or one below it)",
		ByMember:          "the actor's own organisation or one below it",
	}
	for _, p := range Permissions {
		roles := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.Action, p.What, strings.Join(roles, ", "), words[p.By])
	}
	b.WriteString("\nWhat each role may do by the kind of its organisation, about another organisation's tree\n" +
		"(for the applicant's actions: about its own plans and permits):\n\n")
	cols := []struct {
		name      string
		org       int64
		delegated bool
	}{{"authority", 1, false}, {"office with a delegation", 4, true}, {"province, agency, site or company", 5, false}}
	b.WriteString("| role |")
	for _, c := range cols {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|---|---|---|\n")
	for _, role := range tradeplan.Roles {
		b.WriteString("| " + string(role) + " |")
		for _, c := range cols {
			var acts []string
			for _, p := range Permissions {
				subject := int64(2) // another tree than 1, 4 and 5
				if p.By == ByApplicant || p.By == ByMember {
					subject = c.org
				}
				if p.Action == ActDelegate || p.Action == ActOpenCall || p.Action == ActManageCrossing || p.Action == ActExpirePermits {
					subject = 0
				}
				var target Target
				if subject != 0 {
					target = On(permLineage(subject))
				}
				if Authorize(permPrincipal(c.org, role, c.delegated), p.Action, target) == nil {
					acts = append(acts, "`"+string(p.Action)+"`")
				}
			}
			if len(acts) == 0 {
				acts = []string{"nothing"}
			}
			b.WriteString(" " + strings.Join(acts, ", ") + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

const (
	docsBegin = "<!-- permissions: generated by go test ./licensing -run TestPermissionDocs -update -->\n"
	docsEnd   = "<!-- end of permissions -->\n"
)

// TestPermissionDocs keeps the tables of docs/workflow.md equal to the table
// in force.
func TestPermissionDocs(t *testing.T) {
	const path = "../docs/workflow.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, docsBegin), strings.Index(doc, docsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q and %q", path, docsBegin, docsEnd)
	}
	want := doc[:i] + docsBegin + permissionDocs() + docsEnd + doc[j+len(docsEnd):]
	if want == doc {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the permission tables of %s differ from licensing.Permissions; run go test ./licensing -run TestPermissionDocs -update", path)
}
