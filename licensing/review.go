package licensing

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// Line statuses, derived from the decisions on a line.
const (
	LinePending  = "pending"
	LineApproved = "approved"
	LineRefused  = "refused"
)

// LineState is one line of a plan version with everything recorded about
// it: the screening, the reviewer's assessed code, compliance decisions and
// the decision.
type LineState struct {
	Line       tradeplan.Line
	Report     *tradeplan.LineReport // nil while the plan is a draft
	Decision   *tradeplan.LineDecision
	Assessment *tradeplan.LineAssessment
	Compliance []tradeplan.ComplianceDecision
}

// Status is pending, approved or refused.
func (s LineState) Status() string {
	switch {
	case s.Decision == nil:
		return LinePending
	case s.Decision.Decision == tradeplan.DecisionApprove:
		return LineApproved
	default:
		return LineRefused
	}
}

// Verdict is the line's screening verdict (clear for an unscreened line).
func (s LineState) Verdict() tradeplan.Verdict {
	if s.Report == nil {
		return tradeplan.Clear
	}
	v := s.Report.Verdict
	for _, f := range s.Report.Findings {
		v = v.Stricter(f.Outcome)
	}
	return v
}

// FindingKey names a finding within its line so that a decision on it
// survives a new screening: the kind with the rule, or the list entry, and
// the position among findings of the same name.
func FindingKey(fs []tradeplan.Finding, i int) string {
	name := func(f tradeplan.Finding) string {
		switch {
		case f.Basis != nil && f.Basis.Rule != "":
			return f.Kind + ":" + f.Basis.Rule
		case f.Match != nil && f.Match.EntryID != "":
			return f.Kind + ":" + f.Match.List + "/" + f.Match.EntryID
		default:
			return f.Kind
		}
	}
	n := name(fs[i])
	k := 0
	for j := 0; j < i; j++ {
		if name(fs[j]) == n {
			k++
		}
	}
	if k > 0 {
		return fmt.Sprintf("%s#%d", n, k+1)
	}
	return n
}

// compliance returns the recorded decision on the finding with key k.
func (s LineState) compliance(k string) *tradeplan.ComplianceDecision {
	var d *tradeplan.ComplianceDecision
	for i := range s.Compliance {
		if s.Compliance[i].Finding == k {
			d = &s.Compliance[i] // the latest wins
		}
	}
	return d
}

// Needs lists what stands between a pending line and approval, in words;
// empty when a reviewer may approve it.
func (s LineState) Needs() []string {
	var out []string
	if s.Report == nil {
		return []string{"the plan must be submitted and screened"}
	}
	for i, f := range s.Report.Findings {
		k := FindingKey(s.Report.Findings, i)
		switch f.Outcome {
		case tradeplan.Prohibited:
			out = append(out, "prohibited: "+findingText(f)+" (can never be approved)")
		case tradeplan.Review:
			d := s.compliance(k)
			switch {
			case d == nil:
				out = append(out, "a compliance officer's decision on "+k+": "+findingText(f))
			case d.Decision == tradeplan.ComplianceUpheld:
				out = append(out, "compliance upheld "+k+": "+d.Reason+" (cannot be approved)")
			}
		}
	}
	return out
}

func findingText(f tradeplan.Finding) string {
	t := f.Summary
	if f.Basis != nil && f.Basis.Citation != "" {
		t = f.Basis.Citation + ": " + t
	}
	return t
}

// Citations returns the citations of the line's findings at or above
// outcome at, without repeats.
func (s LineState) Citations(at tradeplan.Verdict) []string {
	if s.Report == nil {
		return nil
	}
	var out []string
	for _, f := range s.Report.Findings {
		if f.Outcome >= at && f.Basis != nil && f.Basis.Citation != "" && !contains(out, f.Basis.Citation) {
			out = append(out, f.Basis.Citation)
		}
	}
	return out
}

// FindingsError carries the findings that stop a line being approved, for
// the API to show beside the error.
type FindingsError struct {
	Line     int
	Findings []tradeplan.Finding
}

func (e *FindingsError) Error() string {
	var cs []string
	for _, f := range e.Findings {
		cs = append(cs, findingText(f))
	}
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(cs, "; "))
}

// AsFindings returns the findings carried by err, if any.
func AsFindings(err error) (*FindingsError, bool) {
	var fe *FindingsError
	ok := errors.As(err, &fe)
	return fe, ok
}

// prohibitedError is the conflict of approving a line with a prohibited
// finding: each finding becomes a problem with its citation, and the
// findings travel in a FindingsError.
func prohibitedError(line int, fs []tradeplan.Finding) error {
	e := &tradeplan.Error{
		Code:    tradeplan.EConflict,
		Message: fmt.Sprintf("line %d is prohibited and can never be approved", line),
		Err:     &FindingsError{Line: line, Findings: fs},
	}
	for i, f := range fs {
		e.Problems = append(e.Problems, tradeplan.Problem{
			Pos:     tradeplan.Position{Path: fmt.Sprintf("lines[%d].findings[%d]", line, i)},
			Message: "prohibited: " + findingText(f),
		})
	}
	return e
}

// Approval is a reviewer's approval of a line: the quantity and value
// approved (nil: as requested) and the reason.
type Approval struct {
	Quantity *tradeplan.Decimal
	Value    *tradeplan.Decimal
	Reason   string
}

// CheckApproval applies the rules of approval to a line: it must be
// screened and pending; no finding may be prohibited, ever; every review
// finding needs a compliance officer's decision clearing it; the quantity
// and value approved may not exceed those requested; a reason is required.
// It returns the decision to record (without who and when) or why not.
// Caps are checked by the caller against every issued permit.
func CheckApproval(s LineState, ap Approval) (tradeplan.LineDecision, error) {
	idx := s.Line.Index
	if s.Report == nil {
		return tradeplan.LineDecision{}, tradeplan.Errorf(tradeplan.EConflict, "line %d has not been screened: submit the plan first", idx)
	}
	if s.Decision != nil {
		return tradeplan.LineDecision{}, tradeplan.Errorf(tradeplan.EConflict, "line %d is already %s", idx, s.Status())
	}
	var prohibited []tradeplan.Finding
	for _, f := range s.Report.Findings {
		if f.Outcome == tradeplan.Prohibited {
			prohibited = append(prohibited, f)
		}
	}
	if len(prohibited) > 0 || s.Report.Verdict == tradeplan.Prohibited {
		return tradeplan.LineDecision{}, prohibitedError(idx, prohibited)
	}
	var pending []tradeplan.Finding
	var upheld []string
	for i, f := range s.Report.Findings {
		if f.Outcome != tradeplan.Review {
			continue
		}
		d := s.compliance(FindingKey(s.Report.Findings, i))
		switch {
		case d == nil:
			pending = append(pending, f)
		case d.Decision == tradeplan.ComplianceUpheld:
			upheld = append(upheld, FindingKey(s.Report.Findings, i)+" ("+d.Reason+")")
		}
	}
	if len(upheld) > 0 {
		return tradeplan.LineDecision{}, tradeplan.Errorf(tradeplan.EConflict, "line %d cannot be approved: compliance upheld %s", idx, strings.Join(upheld, ", "))
	}
	if len(pending) > 0 {
		e := tradeplan.Errorf(tradeplan.EConflict, "line %d needs a compliance officer's decision on %d finding(s) first", idx, len(pending))
		e.Err = &FindingsError{Line: idx, Findings: pending}
		return tradeplan.LineDecision{}, e
	}

	var ps tradeplan.Problems
	d := tradeplan.LineDecision{Line: idx, Decision: tradeplan.DecisionApprove, Quantity: s.Line.Quantity, Value: s.Line.Value}
	if ap.Quantity != nil {
		q := *ap.Quantity
		switch {
		case q.Sign() <= 0:
			ps.Add(tradeplan.Position{Path: "quantity"}, "", "must be more than zero; refuse the line instead; got %s", q)
		case q.Cmp(s.Line.Quantity) > 0:
			ps.Add(tradeplan.Position{Path: "quantity"}, "", "may not exceed the %s %s requested; got %s", s.Line.Quantity, s.Line.Unit, q)
		default:
			d.Quantity = q
		}
	}
	if ap.Value != nil {
		v := *ap.Value
		switch {
		case v.Sign() < 0:
			ps.Add(tradeplan.Position{Path: "value"}, "", "must not be negative; got %s", v)
		case v.Cmp(s.Line.Value) > 0:
			ps.Add(tradeplan.Position{Path: "value"}, "", "may not exceed the %s %s requested; got %s", s.Line.Value, s.Line.Currency, v)
		default:
			d.Value = v
		}
	}
	if d.Quantity.Sign() <= 0 && len(ps) == 0 {
		ps.Add(tradeplan.Position{Path: "quantity"}, "", "the line requests no quantity; nothing to approve")
	}
	if strings.TrimSpace(ap.Reason) == "" {
		ps.Add(tradeplan.Position{Path: "reason"}, "", "is required: say why the line is approved")
	}
	if err := ps.Err(fmt.Sprintf("approve line %d", idx)); err != nil {
		return tradeplan.LineDecision{}, err
	}
	d.Reduced = d.Quantity.Cmp(s.Line.Quantity) < 0 || d.Value.Cmp(s.Line.Value) < 0
	d.Reason = strings.TrimSpace(ap.Reason)
	d.Citations = s.Citations(tradeplan.Capped)
	return d, nil
}

// CheckRefusal applies the rules of refusal: the line must be pending and a
// reason is required. The decision cites the findings it rests on.
func CheckRefusal(s LineState, reason string) (tradeplan.LineDecision, error) {
	idx := s.Line.Index
	if s.Report == nil {
		return tradeplan.LineDecision{}, tradeplan.Errorf(tradeplan.EConflict, "line %d has not been screened: submit the plan first", idx)
	}
	if s.Decision != nil {
		return tradeplan.LineDecision{}, tradeplan.Errorf(tradeplan.EConflict, "line %d is already %s", idx, s.Status())
	}
	if strings.TrimSpace(reason) == "" {
		var ps tradeplan.Problems
		ps.Add(tradeplan.Position{Path: "reason"}, "", "is required: say why the line is refused")
		return tradeplan.LineDecision{}, ps.Err(fmt.Sprintf("refuse line %d", idx))
	}
	return tradeplan.LineDecision{
		Line: idx, Decision: tradeplan.DecisionRefuse, Reason: strings.TrimSpace(reason),
		Citations: s.Citations(tradeplan.Capped),
	}, nil
}

// ProhibitedReason is the reason a bulk refusal gives for a prohibited line:
// its citations and summaries.
func ProhibitedReason(s LineState) string {
	var parts []string
	if s.Report != nil {
		for _, f := range s.Report.Findings {
			if f.Outcome == tradeplan.Prohibited {
				parts = append(parts, findingText(f))
			}
		}
	}
	return "prohibited: " + strings.Join(parts, "; ")
}

// CheckCompliance applies the rules of a compliance decision on the finding
// with key k: the line must be pending, the finding must be one that needs a
// person (review), and the decision cleared or upheld with a reason. For a
// party or vessel match the match decision (false-positive or true-match)
// follows from it. It returns the finding decided on.
func CheckCompliance(s LineState, k, decision, reason string) (tradeplan.Finding, error) {
	idx := s.Line.Index
	if s.Report == nil {
		return tradeplan.Finding{}, tradeplan.Errorf(tradeplan.EConflict, "line %d has not been screened: submit the plan first", idx)
	}
	if s.Decision != nil {
		return tradeplan.Finding{}, tradeplan.Errorf(tradeplan.EConflict, "line %d is already %s", idx, s.Status())
	}
	var ps tradeplan.Problems
	if decision != tradeplan.ComplianceCleared && decision != tradeplan.ComplianceUpheld {
		ps.Add(tradeplan.Position{Path: "decision"}, "", "must be cleared or upheld; got %q", decision)
	}
	if strings.TrimSpace(reason) == "" {
		ps.Add(tradeplan.Position{Path: "reason"}, "", "is required: say what was checked")
	}
	var keys []string
	for i, f := range s.Report.Findings {
		key := FindingKey(s.Report.Findings, i)
		if key != k {
			keys = append(keys, key)
			continue
		}
		if f.Outcome != tradeplan.Review {
			if f.Outcome == tradeplan.Prohibited {
				return f, tradeplan.Errorf(tradeplan.EConflict, "finding %s of line %d is prohibited: no decision can clear it", k, idx)
			}
			return f, tradeplan.Errorf(tradeplan.EConflict, "finding %s of line %d is %s: it needs no decision", k, idx, f.Outcome)
		}
		if err := ps.Err(fmt.Sprintf("decision on line %d", idx)); err != nil {
			return f, err
		}
		return f, nil
	}
	return tradeplan.Finding{}, tradeplan.Errorf(tradeplan.ENotFound, "line %d has no finding %q (it has: %s)", idx, k, strings.Join(keys, ", "))
}

// MatchDecisionFor is the match decision implied by a compliance decision
// on a party or vessel finding; ok is false for other kinds.
func MatchDecisionFor(f tradeplan.Finding, decision string) (string, bool) {
	if f.Kind != tradeplan.KindParty && f.Kind != tradeplan.KindVessel || f.Match == nil {
		return "", false
	}
	if decision == tradeplan.ComplianceCleared {
		return tradeplan.DecisionFalsePositive, true
	}
	return tradeplan.DecisionTrueMatch, true
}

// ClearLines returns the indexes of lines that bulk approval takes: pending,
// screened, and clear (no finding above clear at all: capped, review and
// prohibited lines are decided one by one).
func ClearLines(states []LineState) []int {
	var out []int
	for _, s := range states {
		if s.Report != nil && s.Decision == nil && s.Verdict() == tradeplan.Clear {
			out = append(out, s.Line.Index)
		}
	}
	return out
}

// ProhibitedLines returns the indexes of pending lines with a prohibited
// finding.
func ProhibitedLines(states []LineState) []int {
	var out []int
	for _, s := range states {
		if s.Report != nil && s.Decision == nil && s.Verdict() == tradeplan.Prohibited {
			out = append(out, s.Line.Index)
		}
	}
	return out
}

// CanSeePlan reports whether a may see a plan of organisation org: a
// submitter their own organisation's only, other roles their subtree.
func CanSeePlan(a tradeplan.Actor, org int64) bool {
	if a.IsSystem() {
		return true
	}
	if a.User.Role == tradeplan.RoleSubmitter {
		return a.User.OrgID == org
	}
	return a.CanSee(org)
}
