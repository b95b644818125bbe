package licensing

import (
	"context"
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
	RulesAsOf  string                // the day the stored screening read the rules at
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
		case f.Rule() != "":
			return f.Kind + ":" + f.Rule()
		case f.EntryID() != "":
			return f.Kind + ":" + f.List() + "/" + f.EntryID()
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

// complianceFor returns the recorded decision that covers finding f (with
// key k) of line l: the latest decision on the key whose facts, for a party
// or vessel match, cover the match now (see tradeplan.MatchFacts.Covers).
// A decision made on other facts, a weaker match or another version of the
// list entry does not: the finding is open again.
func (s LineState) complianceFor(k string, f tradeplan.Finding, l *tradeplan.Line) *tradeplan.ComplianceDecision {
	now, isMatch := tradeplan.FactsOf(f, tradeplan.LineCountry(l, f.Kind))
	var d *tradeplan.ComplianceDecision
	for i := range s.Compliance {
		c := &s.Compliance[i]
		if c.Finding != k {
			continue
		}
		if isMatch && (c.Facts == nil || !c.Facts.Covers(now)) {
			continue
		}
		d = c // the latest wins
	}
	return d
}

// compliance returns the recorded decision covering the i-th finding of the
// line's report.
func (s LineState) compliance(i int) *tradeplan.ComplianceDecision {
	return s.complianceFor(FindingKey(s.Report.Findings, i), s.Report.Findings[i], &s.Line)
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
			d := s.compliance(i)
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
	if f.Citation() != "" {
		t = f.Citation() + ": " + t
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
		if c := f.Citation(); f.Outcome >= at && c != "" && !contains(out, c) {
			out = append(out, c)
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
		d := s.compliance(i)
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
		case tradeplan.CheckWhole(q, s.Line.Unit) != "":
			ps.Add(tradeplan.Position{Path: "quantity"}, "", "%s", tradeplan.CheckWhole(q, s.Line.Unit))
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

// CheckEvidence applies the rule of clearing a doubt about a line's code:
// a classification finding (a code in doubt between a banned and a lawful
// reading, or invalid) is cleared only with the evidence recorded, never by
// a plain "cleared".
func CheckEvidence(f tradeplan.Finding, decision, evidence string) error {
	if f.Kind != tradeplan.KindClassification || decision != tradeplan.ComplianceCleared || strings.TrimSpace(evidence) != "" {
		return nil
	}
	var ps tradeplan.Problems
	ps.Add(tradeplan.Position{Path: "evidence"}, "", "is required to clear a classification finding: record what settles the code (documents, samples, a laboratory report)")
	return ps.Err("decision")
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

// reviewCtx loads what a decision on plan id needs and checks the actor may
// decide on it.
type reviewCtx struct {
	rec    tradeplan.PlanRecord
	call   tradeplan.Call
	ver    tradeplan.PlanVersion
	states []LineState
}

func (s *Service) loadReview(ctx context.Context, tx Tx, a tradeplan.Actor, id int64, what string, roles ...tradeplan.Role) (reviewCtx, error) {
	var r reviewCtx
	var err error
	if r.rec, err = loadPlan(ctx, tx, a, id); err != nil {
		return r, err
	}
	if r.call, err = tx.Call(ctx, r.rec.CallID); err != nil {
		return r, err
	}
	act := ActReviewLine
	if len(roles) == 1 && roles[0] == tradeplan.RoleCompliance {
		act = ActDecideFinding
	}
	if _, err := s.authorize(ctx, tx, a, act, r.rec.Organisation); err != nil {
		return r, err
	}
	if r.rec.Status == tradeplan.PlanDraft {
		return r, tradeplan.Errorf(tradeplan.EConflict, "plan %d is a draft: it has not been submitted", id)
	}
	if r.ver, err = tx.PlanVersion(ctx, id, r.rec.Version); err != nil {
		return r, err
	}
	r.states, err = lineStates(ctx, tx, r.ver)
	return r, err
}

func (r reviewCtx) line(i int) (LineState, error) {
	if i < 1 || i > len(r.states) {
		return LineState{}, tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no line %d", r.rec.ID, i)
	}
	return r.states[i-1], nil
}

var reviewers = []tradeplan.Role{tradeplan.RoleReviewer, tradeplan.RoleCompliance}

// ApproveLine approves one line, in full or reduced, and issues its permit.
func (s *Service) ApproveLine(ctx context.Context, a tradeplan.Actor, id int64, line int, ap Approval) (tradeplan.LineDecision, tradeplan.Permit, error) {
	var d tradeplan.LineDecision
	var p tradeplan.Permit
	ctx = s.beforeScreening(tradeplan.WithActor(ctx, a))
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		r, err := s.loadReview(ctx, tx, a, id, "approving a line", reviewers...)
		if err != nil {
			return err
		}
		st, err := r.line(line)
		if err != nil {
			return err
		}
		d, err = CheckApproval(st, ap)
		if err != nil {
			return err
		}
		d, p, err = s.decide(ctx, tx, a, r, st, d)
		if err != nil {
			return err
		}
		return s.settle(ctx, tx, r, 1)
	})
	return d, p, err
}

func fnum(f tradeplan.Decimal) string { return f.String() }

// settle marks the plan decided once every line of its version is.
func (s *Service) settle(ctx context.Context, tx Tx, r reviewCtx, newly int) error {
	pending := 0
	for _, st := range r.states {
		if st.Decision == nil {
			pending++
		}
	}
	if pending-newly > 0 || r.rec.Status == tradeplan.PlanDecided {
		return nil
	}
	before := r.rec
	r.rec.Status, r.rec.UpdatedAt = tradeplan.PlanDecided, s.now()
	if err := tx.UpdatePlan(ctx, r.rec); err != nil {
		return err
	}
	return tx.Audit(ctx, "plan.decided", subject("plan", r.rec.ID), r.rec.Organisation, before, r.rec)
}

// RefuseLine refuses one line with a reason.
func (s *Service) RefuseLine(ctx context.Context, a tradeplan.Actor, id int64, line int, reason string) (tradeplan.LineDecision, error) {
	var d tradeplan.LineDecision
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		r, err := s.loadReview(ctx, tx, a, id, "refusing a line", reviewers...)
		if err != nil {
			return err
		}
		st, err := r.line(line)
		if err != nil {
			return err
		}
		if d, err = CheckRefusal(st, reason); err != nil {
			return err
		}
		if err := s.refuse(ctx, tx, a, r, &d); err != nil {
			return err
		}
		return s.settle(ctx, tx, r, 1)
	})
	return d, err
}

func (s *Service) refuse(ctx context.Context, tx Tx, a tradeplan.Actor, r reviewCtx, d *tradeplan.LineDecision) error {
	d.PlanID, d.Version, d.By, d.At = r.rec.ID, r.ver.Version, a.Label(), s.now()
	if err := tx.AddDecision(ctx, *d); err != nil {
		return err
	}
	return tx.Audit(ctx, "line.refuse", fmt.Sprintf("plan:%d/line:%d", r.rec.ID, d.Line), r.rec.Organisation, nil, *d)
}

// BulkResult is what a bulk decision did.
type BulkResult struct {
	Decisions []tradeplan.LineDecision `json:"decisions"`
	Permits   []tradeplan.Permit       `json:"permits"`
}

// ApproveClear approves, in one transaction, every pending line whose
// screening is clear, each in full, and issues their permits. Capped,
// review and prohibited lines are left to be decided one by one.
func (s *Service) ApproveClear(ctx context.Context, a tradeplan.Actor, id int64, reason string) (BulkResult, error) {
	res := BulkResult{Decisions: []tradeplan.LineDecision{}, Permits: []tradeplan.Permit{}}
	ctx = s.beforeScreening(tradeplan.WithActor(ctx, a))
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		res = BulkResult{Decisions: []tradeplan.LineDecision{}, Permits: []tradeplan.Permit{}}
		r, err := s.loadReview(ctx, tx, a, id, "approving lines", reviewers...)
		if err != nil {
			return err
		}
		lines := ClearLines(r.states)
		for _, i := range lines {
			st := r.states[i-1]
			d, err := CheckApproval(st, Approval{Reason: reason})
			if err != nil {
				return err
			}
			d, p, err := s.decide(ctx, tx, a, r, st, d)
			if err != nil {
				return err
			}
			res.Decisions = append(res.Decisions, d)
			res.Permits = append(res.Permits, p)
		}
		return s.settle(ctx, tx, r, len(lines))
	})
	return res, err
}

// RefuseProhibited refuses, in one transaction, every pending line with a
// prohibited finding, each citing its findings (after reason, if given).
func (s *Service) RefuseProhibited(ctx context.Context, a tradeplan.Actor, id int64, reason string) (BulkResult, error) {
	res := BulkResult{Decisions: []tradeplan.LineDecision{}, Permits: []tradeplan.Permit{}}
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		res = BulkResult{Decisions: []tradeplan.LineDecision{}, Permits: []tradeplan.Permit{}}
		r, err := s.loadReview(ctx, tx, a, id, "refusing lines", reviewers...)
		if err != nil {
			return err
		}
		lines := ProhibitedLines(r.states)
		for _, i := range lines {
			st := r.states[i-1]
			why := ProhibitedReason(st)
			if strings.TrimSpace(reason) != "" {
				why = strings.TrimSpace(reason) + "; " + why
			}
			d, err := CheckRefusal(st, why)
			if err != nil {
				return err
			}
			if err := s.refuse(ctx, tx, a, r, &d); err != nil {
				return err
			}
			res.Decisions = append(res.Decisions, d)
		}
		return s.settle(ctx, tx, r, len(lines))
	})
	return res, err
}

// DecideFinding records a compliance officer's decision on a review finding
// of a line: cleared or upheld, with a reason (see DecideFindingWith).
func (s *Service) DecideFinding(ctx context.Context, a tradeplan.Actor, id int64, line int, key, decision, reason string) (tradeplan.ComplianceDecision, error) {
	return s.DecideFindingWith(ctx, a, id, line, ComplianceInput{Finding: key, Decision: decision, Reason: reason})
}

// ComplianceInput is a compliance officer's decision on a finding.
type ComplianceInput struct {
	Finding  string
	Decision string
	Reason   string
	// Evidence is what a decision clearing a doubt about the
	// classification rests on; required for it.
	Evidence string
	// General makes a decision on a party or vessel match apply to every
	// organisation's lines with the same facts: the authority's only.
	General bool
}

// DecideFindingWith records a compliance officer's decision on a review
// finding of a line. It is bound to that line and, for a party or vessel
// match, to the facts of the match; made General by an authority's officer,
// it is also kept as a match decision that later screenings of any plan
// apply to the same facts.
func (s *Service) DecideFindingWith(ctx context.Context, a tradeplan.Actor, id int64, line int, in ComplianceInput) (tradeplan.ComplianceDecision, error) {
	key, decision, reason := in.Finding, in.Decision, in.Reason
	if in.General && !a.IsSystem() && a.Org.Kind != tradeplan.OrgAuthority {
		return tradeplan.ComplianceDecision{}, tradeplan.Errorf(tradeplan.EForbidden, "only the authority's compliance officers may make a decision general")
	}
	var cd tradeplan.ComplianceDecision
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		r, err := s.loadReview(ctx, tx, a, id, "deciding on a finding", tradeplan.RoleCompliance)
		if err != nil {
			return err
		}
		st, err := r.line(line)
		if err != nil {
			return err
		}
		f, err := CheckCompliance(st, key, decision, reason)
		if err != nil {
			return err
		}
		if err := CheckEvidence(f, decision, in.Evidence); err != nil {
			return err
		}
		now := s.now()
		cd = tradeplan.ComplianceDecision{PlanID: id, Version: r.ver.Version, Line: line, Finding: key, Decision: decision,
			Evidence: strings.TrimSpace(in.Evidence), Reason: strings.TrimSpace(reason), By: a.Label(), At: now}
		facts, isMatch := tradeplan.FactsOf(f, tradeplan.LineCountry(&st.Line, f.Kind))
		if isMatch {
			cd.Facts = &facts
		} else if in.General {
			return tradeplan.Errorf(tradeplan.EInvalid, "finding %s is not a party or vessel match: only a match decision can be general", key)
		}
		m, ok := MatchDecisionFor(f, decision)
		cd.Match = m
		if ok && in.General {
			cd.General = true
			md := tradeplan.MatchDecision{Query: f.Match.Query, List: f.Match.List, EntryID: f.Match.EntryID, EntryVersion: f.Match.EntryVersion,
				Kind: facts.Kind, Country: facts.Country, Score: facts.Score, Strength: facts.Strength,
				Decision: m, Reason: cd.Reason, By: a.Label(), At: now}
			if err := tx.PutMatchDecision(ctx, md); err != nil {
				return err
			}
			if err := tx.Audit(ctx, "match.decide", "match:"+f.Match.List+"/"+f.Match.EntryID, r.rec.Organisation, nil, md); err != nil {
				return err
			}
		}
		if err := tx.AddComplianceDecision(ctx, cd); err != nil {
			return err
		}
		return tx.Audit(ctx, "line.compliance", fmt.Sprintf("plan:%d/line:%d", id, line), r.rec.Organisation, nil, cd)
	})
	return cd, err
}

// AssessLine records the reviewer's HS code for a pending line, beside the
// applicant's, and screens the line again under it.
func (s *Service) AssessLine(ctx context.Context, a tradeplan.Actor, id int64, line int, hs, reason string) (LineView, error) {
	hs = strings.NewReplacer(".", "", " ", "").Replace(hs)
	var ps tradeplan.Problems
	if !isDigits(hs) || len(hs) < 4 || len(hs) > 10 {
		ps.Add(tradeplan.Position{Path: "hs"}, "", "must be 4 to 10 digits; got %q", hs)
	}
	if strings.TrimSpace(reason) == "" {
		ps.Add(tradeplan.Position{Path: "reason"}, "", "is required: say why the code is assessed")
	}
	if err := ps.Err("assessment"); err != nil {
		return LineView{}, err
	}
	var r reviewCtx
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if r, err = s.loadReview(ctx, tx, a, id, "assessing a line", reviewers...); err != nil {
			return err
		}
		st, err := r.line(line)
		if err != nil {
			return err
		}
		if st.Decision != nil {
			return tradeplan.Errorf(tradeplan.EConflict, "line %d is already %s", line, st.Status())
		}
		return nil
	})
	if err != nil {
		return LineView{}, err
	}
	p := r.ver.Plan
	p.Lines = append([]tradeplan.Line(nil), p.Lines...)
	p.Lines[line-1].HS = hs
	rep, err := s.screenPlan(ctx, r.call, p)
	if err != nil {
		return LineView{}, err
	}
	var view LineView
	ctx = tradeplan.WithActor(ctx, a)
	err = s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		r2, err := s.loadReview(ctx, tx, a, id, "assessing a line", reviewers...)
		if err != nil {
			return err
		}
		st, err := r2.line(line)
		if err != nil {
			return err
		}
		if r2.ver.Version != r.ver.Version || st.Decision != nil {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d line %d changed while it was being screened; assess it again", id, line)
		}
		v := r2.ver
		report := *v.Report
		report.Lines = append([]tradeplan.LineReport(nil), v.Report.Lines...)
		report.Lines[line-1] = rep.Lines[line-1]
		report.Summary = tradeplan.Summary{}
		for _, l := range report.Lines {
			report.Summary.Add(l.Verdict)
		}
		v.Report = &report
		if err := tx.PutPlanVersion(ctx, v); err != nil {
			return err
		}
		as := tradeplan.LineAssessment{PlanID: id, Version: v.Version, Line: line, HS: hs, Reason: strings.TrimSpace(reason), By: a.Label(), At: s.now()}
		if err := tx.PutAssessment(ctx, as); err != nil {
			return err
		}
		st.Report, st.Assessment = &report.Lines[line-1], &as
		view = ViewLine(st)
		return tx.Audit(ctx, "line.assess", fmt.Sprintf("plan:%d/line:%d", id, line), r2.rec.Organisation,
			map[string]any{"hs": st.Line.HS, "report": r2.states[line-1].Report}, map[string]any{"assessment": as, "report": report.Lines[line-1]})
	})
	return view, err
}
