package licensing

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Enforcement cases: every flag of a declaration opens a case, one per
// declaration number and rule, that the authority's compliance officers
// work until they close it with an outcome and a reason. The subject of a
// case does not see it.

// Case statuses.
const (
	CaseOpen          = "open"
	CaseInvestigating = "investigating"
	CaseClosed        = "closed"
)

// Case outcomes.
var CaseOutcomes = []string{"violation", "no-violation", "corrected", "referred"}

// Case is an enforcement case.
type Case struct {
	ID          int64      `json:"id"`
	Declaration string     `json:"declaration"`
	Rule        string     `json:"rule"`
	Permit      string     `json:"permit,omitempty"`
	Subject     int64      `json:"subject"` // the declarant
	Severity    string     `json:"severity"`
	Status      string     `json:"status"`
	Summary     string     `json:"summary"`
	Citations   []string   `json:"citations"`
	Assignee    int64      `json:"assignee,omitempty"` // a user
	Outcome     string     `json:"outcome,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	Notes       []CaseNote `json:"notes"`
	OpenedAt    time.Time  `json:"opened_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
}

// CaseNote is a note on a case.
type CaseNote struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// CaseFilter selects cases. Zero fields do not filter; Subjects nil means
// every organisation.
type CaseFilter struct {
	Status   string
	Assignee int64
	Subjects []int64
}

// CaseTx is what cases need of a transaction beyond Tx.
type CaseTx interface {
	// OpenCase inserts c unless a case of its declaration and rule exists;
	// it reports whether it did.
	OpenCase(ctx context.Context, c *Case) (bool, error)
	Case(ctx context.Context, id int64) (Case, error)
	UpdateCase(ctx context.Context, c Case) error
	Cases(ctx context.Context, f CaseFilter) ([]Case, error)
	// UserOrg returns a user's organisation and role; ENotFound.
	UserOrg(ctx context.Context, userID int64) (int64, tradeplan.Role, error)
}

func caseTx(tx Tx) (CaseTx, error) {
	ct, ok := tx.(CaseTx)
	if !ok {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "the store cannot keep cases")
	}
	return ct, nil
}

// Severity is how grave a flag is: prohibited goods or a listed party are
// critical; trade with no permit of one's own is high; a permit used
// beyond its terms medium; the rest low.
func Severity(rule string) string {
	switch rule {
	case FlagProhibited:
		return "critical"
	case FlagNoPermit, FlagBadPermitNumber, FlagOtherHolder:
		return "high"
	case FlagOverBalance, FlagOutsideValidity, FlagCrossingClosed, FlagPermitStatus, FlagGoodsDiffer:
		return "medium"
	}
	return "low"
}

var severityRank = map[string]int{"critical": 0, "high": 1, "medium": 2, "low": 3}

// openCases opens a case for every flag of the declarations of dss that has none, in the
// intake's transaction, and returns how many it opened.
func openCases(ctx context.Context, tx Tx, now time.Time, dss ...[]Declaration) (int, error) {
	ct, ok := tx.(CaseTx)
	if !ok {
		return 0, nil
	}
	n := 0
	for _, ds := range dss {
		for i := range ds {
			n1, err := openDeclarationCases(ctx, tx, ct, &ds[i], now)
			n += n1
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// openDeclarationCases opens the cases of d's flags not open already.
func openDeclarationCases(ctx context.Context, tx Tx, ct CaseTx, d *Declaration, now time.Time) (int, error) {
	n := 0
	for _, f := range d.Flags {
		c := Case{Declaration: d.Number, Rule: f.Rule, Permit: f.Permit, Subject: d.Declarant, Severity: Severity(f.Rule), Status: CaseOpen,
			Summary: f.Message, Citations: f.Citations, Notes: []CaseNote{}, OpenedAt: now, UpdatedAt: now}
		if f.Figures != "" {
			c.Summary += " (" + f.Figures + ")"
		}
		opened, err := ct.OpenCase(ctx, &c)
		if err != nil {
			return n, err
		}
		if !opened {
			continue
		}
		n++
		if err := tx.Audit(ctx, "case.open", subject("case", c.ID), c.Subject, nil, c); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Cases is the compliance queue: the cases of the organisations the
// actor's authority governs, most severe and oldest first.
func (s *Service) Cases(ctx context.Context, a tradeplan.Actor, f CaseFilter) ([]Case, error) {
	var out []Case
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := s.authorize(ctx, tx, a, ActManageCases)
		if err != nil {
			return err
		}
		ct, err := caseTx(tx)
		if err != nil {
			return err
		}
		if !a.IsSystem() {
			f.Subjects = pr.Jurisdiction
		}
		if out, err = ct.Cases(ctx, f); err != nil {
			return err
		}
		if !a.IsSystem() {
			// Never a case about the actor's own tree.
			out = slices.DeleteFunc(out, func(c Case) bool { return s.ownTree(ctx, tx, pr, c.Subject) })
		}
		return nil
	})
	slices.SortStableFunc(out, func(x, y Case) int {
		if d := severityRank[x.Severity] - severityRank[y.Severity]; d != 0 {
			return d
		}
		return x.OpenedAt.Compare(y.OpenedAt)
	})
	if out == nil {
		out = []Case{}
	}
	return out, err
}

func (s *Service) ownTree(ctx context.Context, tx Tx, pr Principal, org int64) bool {
	l, err := tx.OrgLineage(ctx, org)
	return err != nil || Authorize(pr, ActManageCases, On(l)) != nil
}

// loadCase reads a case the actor may work on; another authority's, or one
// about the actor's own tree, is not found.
func (s *Service) loadCase(ctx context.Context, tx Tx, a tradeplan.Actor, id int64) (Case, CaseTx, error) {
	pr, err := s.authorize(ctx, tx, a, ActManageCases)
	if err != nil {
		return Case{}, nil, err
	}
	ct, err := caseTx(tx)
	if err != nil {
		return Case{}, nil, err
	}
	c, err := ct.Case(ctx, id)
	if err != nil {
		return c, ct, err
	}
	if !pr.governs(c.Subject, c.Subject) || !a.IsSystem() && s.ownTree(ctx, tx, pr, c.Subject) {
		return Case{}, ct, tradeplan.Errorf(tradeplan.ENotFound, "case %d not found", id)
	}
	return c, ct, nil
}

// CaseByID shows one case.
func (s *Service) CaseByID(ctx context.Context, a tradeplan.Actor, id int64) (Case, error) {
	var c Case
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		c, _, err = s.loadCase(ctx, tx, a, id)
		return err
	})
	return c, err
}

// CaseChange is a change to a case: any of assign (a user id; -1 to
// unassign), investigate, a note, or a close with an outcome and a reason.
type CaseChange struct {
	Assignee    int64
	Investigate bool
	Note        string
	Close       bool
	Outcome     string
	Reason      string
}

// ChangeCase applies a change, audited. A closed case changes no more; a
// case is closed only with one of CaseOutcomes and a reason; an assignee is
// a compliance officer of the actor's authority.
func (s *Service) ChangeCase(ctx context.Context, a tradeplan.Actor, id int64, ch CaseChange) (Case, error) {
	var c Case
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		var ct CaseTx
		var err error
		if c, ct, err = s.loadCase(ctx, tx, a, id); err != nil {
			return err
		}
		if c.Status == CaseClosed {
			return tradeplan.Errorf(tradeplan.EConflict, "case %d was closed on %s (%s): it changes no more", id, c.ClosedAt.Format(time.DateOnly), c.Outcome)
		}
		before := c
		now := s.now()
		action := ""
		switch {
		case ch.Close:
			var ps tradeplan.Problems
			if !slices.Contains(CaseOutcomes, ch.Outcome) {
				ps.Add(tradeplan.Position{Path: "outcome"}, "", "expected one of %s; found %q", strings.Join(CaseOutcomes, ", "), ch.Outcome)
			}
			if strings.TrimSpace(ch.Reason) == "" {
				ps.Add(tradeplan.Position{Path: "reason"}, "", "a case is closed with a reason")
			}
			if err := ps.Err("close case"); err != nil {
				return err
			}
			c.Status, c.Outcome, c.Reason, c.ClosedAt, action = CaseClosed, ch.Outcome, strings.TrimSpace(ch.Reason), &now, "case.close"
		case ch.Assignee != 0:
			if ch.Assignee < 0 {
				c.Assignee = 0
			} else {
				org, role, err := ct.UserOrg(ctx, ch.Assignee)
				if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
					return tradeplan.Errorf(tradeplan.EInvalid, "assign case: there is no user %d", ch.Assignee)
				} else if err != nil {
					return err
				}
				// The assignee must be able to work on the case: a compliance
				// officer of the same authority, outside the subject's tree.
				pr, err := loadPrincipal(ctx, tx, a)
				if err != nil {
					return err
				}
				ap, err := loadPrincipal(ctx, tx, tradeplan.Actor{User: tradeplan.User{ID: ch.Assignee, OrgID: org, Role: role}})
				if err != nil {
					return err
				}
				subj, err := tx.OrgLineage(ctx, c.Subject)
				if err != nil {
					return err
				}
				if Authorize(ap, ActManageCases, On(subj)) != nil || !a.IsSystem() && ap.Authority() != pr.Authority() {
					return tradeplan.Errorf(tradeplan.EInvalid, "assign case: user %d is not a compliance officer of this authority who may work on it", ch.Assignee)
				}
				c.Assignee = ch.Assignee
			}
			action = "case.assign"
		case ch.Investigate:
			if c.Status == CaseInvestigating {
				return tradeplan.Errorf(tradeplan.EConflict, "case %d is already being investigated", id)
			}
			c.Status, action = CaseInvestigating, "case.investigate"
		case strings.TrimSpace(ch.Note) != "":
			action = "case.note"
		default:
			return tradeplan.Errorf(tradeplan.EInvalid, "case change: nothing to change")
		}
		if n := strings.TrimSpace(ch.Note); n != "" {
			c.Notes = append(c.Notes, CaseNote{Text: n, By: a.Label(), At: now})
		}
		c.UpdatedAt = now
		if err := ct.UpdateCase(ctx, c); err != nil {
			return err
		}
		return tx.Audit(ctx, action, subject("case", c.ID), c.Subject, before, c)
	})
	return c, err
}
