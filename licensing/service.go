package licensing

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// ScreenFunc screens a plan as of a day, counting caps on top of what usage
// reports as held by issued permits. The server passes the screen package's
// (*Screener).Plan; tests pass a fake.
type ScreenFunc func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error)

// Config is what a Service needs.
type Config struct {
	Store  Store
	Screen ScreenFunc
	// RuleChanges returns the days within [from, to], after from, on which
	// the screening rules change (tradeplan.RuleCalendar); a licence is
	// judged on each. Nil: the rules are taken not to change between.
	RuleChanges func(from, to time.Time) []time.Time
	// Refresh, when set, brings the screener up to date with the stored
	// lists before a transaction that screens begins (an approval, a
	// permit use): inside it, Screen runs with ctx marked InTransaction
	// and should not open another connection to look (two dozen approvals
	// at once would otherwise hold every pooled connection and wait for
	// one more).
	Refresh func(ctx context.Context)
	Clock   func() time.Time // default time.Now
	// MaxPlanLines is the most lines a plan may have, however it gets
	// them (created, edited, amended, imported, line by line); default
	// DefaultMaxPlanLines, below zero no limit.
	MaxPlanLines int
}

// DefaultMaxPlanLines is the default of Config.MaxPlanLines.
const DefaultMaxPlanLines = 10000

// Service carries out the use cases of the licensing process over a Store:
// every method checks who may act, applies the rules of this package and
// records the change with its audit entry in one transaction.
type Service struct {
	store    Store
	screen   ScreenFunc
	changes  func(from, to time.Time) []time.Time
	refresh  func(ctx context.Context)
	now      func() time.Time
	maxLines int // 0: no limit
}

// NewService returns a Service.
func NewService(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.MaxPlanLines == 0 {
		cfg.MaxPlanLines = DefaultMaxPlanLines
	}
	return &Service{store: cfg.Store, screen: cfg.Screen, changes: cfg.RuleChanges, refresh: cfg.Refresh, now: func() time.Time { return cfg.Clock().UTC() }, maxLines: max(cfg.MaxPlanLines, 0)}
}

// checkLines refuses a plan of n lines when that is more than it may have.
func (s *Service) checkLines(n int) error {
	if s.maxLines > 0 && n > s.maxLines {
		return &tradeplan.Error{Code: tradeplan.EInvalid, Message: fmt.Sprintf("plan: %d lines; a plan has at most %d", n, s.maxLines),
			Problems: tradeplan.Problems{{Pos: tradeplan.Position{Path: "lines"}, Message: fmt.Sprintf("expected at most %d lines in a plan; found %d", s.maxLines, n)}}}
	}
	return nil
}

// CapUsed implements tradeplan.CapUsage over issued permits.
func (s *Service) CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error) {
	var used tradeplan.Decimal
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		used, err = tx.CapUsed(ctx, capID, from, to)
		return err
	})
	return used, err
}

func subject(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

// ---- calls ----

// OpenCall opens a call for plans. Administrators only; the issuer is the
// administrator's organisation unless the system opens it.
func (s *Service) OpenCall(ctx context.Context, a tradeplan.Actor, c tradeplan.Call) (tradeplan.Call, error) {
	if _, err := s.authorizeNoTarget(ctx, a, ActOpenCall); err != nil {
		return tradeplan.Call{}, err
	}
	now := s.now()
	if !a.IsSystem() {
		c.Issuer = a.User.OrgID
	}
	if err := ValidateCall(c, now); err != nil {
		return tradeplan.Call{}, err
	}
	c.ID, c.ClosedAt, c.CreatedBy, c.CreatedAt = 0, nil, a.Label(), now
	if c.Organisations == nil {
		c.Organisations = []int64{}
	}
	c.Guidance = strings.TrimSpace(c.Guidance)
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		c.ID = 0
		// An authority may call on organisations outside its tree (a
		// foreign importer): the plans they submit to its call are then its
		// to decide on, and nothing else of theirs.
		for i, o := range c.Organisations {
			if _, err := tx.OrgLineage(ctx, o); tradeplan.ErrorCode(err) == tradeplan.ENotFound {
				return tradeplan.Errorf(tradeplan.EInvalid, "call: organisations[%d]: there is no organisation %d", i, o)
			} else if err != nil {
				return err
			}
		}
		if err := tx.CreateCall(ctx, &c); err != nil {
			return err
		}
		return tx.Audit(ctx, "call.open", subject("call", c.ID), c.Issuer, nil, c)
	})
	return c, err
}

// CloseCall closes a call before its deadline.
func (s *Service) CloseCall(ctx context.Context, a tradeplan.Actor, id int64) (tradeplan.Call, error) {
	var c tradeplan.Call
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		p, err := s.authorize(ctx, tx, a, ActCloseCall)
		if err != nil {
			return err
		}
		if c, err = tx.Call(ctx, id); err != nil {
			return err
		}
		if !a.CanSee(c.Issuer) && !p.governs(c.Issuer, c.Issuer) {
			return tradeplan.Errorf(tradeplan.ENotFound, "call %d not found", id)
		}
		now := s.now()
		if CallStatus(c, now) == CallClosed {
			return tradeplan.Errorf(tradeplan.EConflict, "call %d is already closed", id)
		}
		before := c
		c.ClosedAt = &now
		if err := tx.UpdateCall(ctx, c); err != nil {
			return err
		}
		return tx.Audit(ctx, "call.close", subject("call", c.ID), c.Issuer, before, c)
	})
	return c, err
}

// CallView is a call with its status.
type CallView struct {
	tradeplan.Call
	Status string `json:"status"`
}

// Calls lists every call, newest first. A call for plans is an order to the
// organisations: every user may read it.
func (s *Service) Calls(ctx context.Context, a tradeplan.Actor) ([]CallView, error) {
	var out []CallView
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		cs, err := tx.Calls(ctx)
		if err != nil {
			return err
		}
		now := s.now()
		for _, c := range cs {
			out = append(out, CallView{Call: c, Status: CallStatus(c, now)})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, err
}

// CallReport is a call with who has submitted, who is late, and the totals
// of the submitted plans, as far as the reader may see them.
type CallReport struct {
	Call     CallView `json:"call"`
	Standing Standing `json:"standing"`
	Totals   *Totals  `json:"totals,omitempty"` // not shown to submitters
	// ImportsFirst is the import lines of the submitted plans in the order
	// they should enter (see EntryOrder); not shown to submitters.
	ImportsFirst []EntryItem `json:"imports_first,omitempty"`
}

// Call reports on one call. Submissions and totals cover only the plans the
// reader may see.
func (s *Service) Call(ctx context.Context, a tradeplan.Actor, id int64) (CallReport, error) {
	var r CallReport
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		c, err := tx.Call(ctx, id)
		if err != nil {
			return err
		}
		now := s.now()
		r.Call = CallView{Call: c, Status: CallStatus(c, now)}
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		plans, err := tx.Plans(ctx, PlanFilter{CallID: id, Orgs: orgs, Issuers: issuers})
		if err != nil {
			return err
		}
		st := CallStanding(c, plans, now)
		var subs []Submission
		for _, sub := range st.Submissions {
			if pr.canSee(sub.Organisation, c.Issuer) {
				subs = append(subs, sub)
			}
		}
		st = recount(st, subs)
		r.Standing = st
		if a.IsSystem() || a.User.Role != tradeplan.RoleSubmitter {
			var vs []tradeplan.PlanVersion
			var items []EntryItem
			for _, p := range plans {
				if p.Status == tradeplan.PlanDraft {
					continue
				}
				v, err := tx.PlanVersion(ctx, p.ID, p.Version)
				if err != nil {
					return err
				}
				vs = append(vs, v)
				sts, err := lineStates(ctx, tx, v)
				if err != nil {
					return err
				}
				items = append(items, entryItems(p, sts)...)
			}
			t := CallTotals(vs)
			r.Totals = &t
			r.ImportsFirst = EntryOrder(items)
		}
		return nil
	})
	return r, err
}

// entryItems are the import lines of a plan version, for EntryOrder.
func entryItems(p tradeplan.PlanRecord, sts []LineState) []EntryItem {
	var out []EntryItem
	for _, st := range sts {
		l := st.Line
		if l.Direction != tradeplan.Import {
			continue
		}
		hs := l.HS
		if st.Report != nil && st.Report.HS.Code != "" {
			hs = st.Report.HS.Code
		}
		out = append(out, EntryItem{Plan: p.ID, Organisation: p.Organisation, Line: l.Index, Description: l.Description, HS: hs,
			Quantity: l.Quantity, Unit: l.Unit, Value: l.Value, Currency: l.Currency, Crossing: CrossingSlug(l.Crossing),
			Necessity: l.Necessity, Purpose: l.Purpose, Verdict: st.Verdict(), Status: st.Status()})
	}
	return out
}

// recount counts a standing over the submissions the reader may see.
func recount(st Standing, subs []Submission) Standing {
	out := Standing{Status: st.Status, Submissions: subs}
	if out.Submissions == nil {
		out.Submissions = []Submission{}
	}
	for _, s := range subs {
		switch {
		case s.Status == string(tradeplan.PlanSubmitted) || s.Status == string(tradeplan.PlanDecided):
			out.Submitted++
		case s.Required:
			out.Missing++
		}
		if s.Late {
			out.Late++
		}
	}
	return out
}

// visibleOrgs is the PlanFilter.Orgs of what a may see: nil for all.
func visibleOrgs(a tradeplan.Actor) []int64 {
	switch {
	case a.IsSystem():
		return nil
	case a.User.Role == tradeplan.RoleSubmitter:
		return []int64{a.User.OrgID}
	default:
		if a.Subtree == nil {
			return []int64{}
		}
		return a.Subtree
	}
}

// ---- plans ----

// PlanInput creates a plan: for a call, of an organisation (0: the actor's
// own), with the lines of a parsed document (it may have none yet).
type PlanInput struct {
	CallID       int64
	Organisation int64
	Plan         *tradeplan.Plan
}

// ValidateLine checks a line entered through the API, all problems at once.
// Documents are checked by package plan when read; paths count lines from
// 1, as the plan package does.
func ValidateLine(l tradeplan.Line, path string) tradeplan.Problems {
	var ps tradeplan.Problems
	at := func(f string) tradeplan.Position { return tradeplan.Position{Path: path + "." + f} }
	if l.Direction != tradeplan.Export && l.Direction != tradeplan.Import {
		ps.Add(at("direction"), "", "must be export or import; got %q", l.Direction)
	}
	if strings.TrimSpace(l.Description) == "" {
		ps.Add(at("description"), "", "is required")
	}
	if l.HS != "" && (!isDigits(l.HS) || len(l.HS) < 2 || len(l.HS) > 10) {
		ps.Add(at("hs"), "", "must be 2 to 10 digits; got %q", l.HS)
	}
	if l.Quantity.Sign() <= 0 {
		ps.Add(at("quantity"), "", "must be more than zero; got %s", l.Quantity)
	}
	if u, ok := tradeplan.LookupUnit(l.Unit); !ok {
		ps.Add(at("unit"), "", "unknown unit %q", l.Unit)
	} else if u.Symbol != l.Unit {
		ps.Add(at("unit"), "", "write the canonical symbol %q for %q", u.Symbol, l.Unit)
	}
	if l.Value.Sign() < 0 {
		ps.Add(at("value"), "", "must not be negative; got %s", l.Value)
	}
	for _, t := range lineTexts(l) {
		if msg := tradeplan.CheckText(t.text, t.multiline); msg != "" {
			ps.Add(at(t.field), "", "%s", msg)
		}
	}
	if l.Value.Sign() > 0 && (len(l.Currency) != 3 || strings.ToUpper(l.Currency) != l.Currency) {
		ps.Add(at("currency"), "", "must be an ISO 4217 code such as CNY when a value is given; got %q", l.Currency)
	}
	for _, c := range []struct{ f, v string }{{"origin", l.Origin}, {"destination", l.Destination}} {
		if c.v != "" && (len(c.v) != 2 || strings.ToUpper(c.v) != c.v) {
			ps.Add(at(c.f), "", "must be an ISO 3166 alpha-2 code such as KP; got %q", c.v)
		}
	}
	if l.Necessity != "" && l.Necessity != tradeplan.Critical && l.Necessity != tradeplan.Essential && l.Necessity != tradeplan.Useful {
		ps.Add(at("necessity"), "", "must be critical, essential or useful; got %q", l.Necessity)
	}
	return ps
}

func reindex(p *tradeplan.Plan) {
	for i := range p.Lines {
		p.Lines[i].Index = i + 1
	}
}

// loadPlan reads a plan the actor may see; another organisation's plan is
// not found.
func loadPlan(ctx context.Context, tx Tx, a tradeplan.Actor, id int64) (tradeplan.PlanRecord, error) {
	p, err := tx.Plan(ctx, id)
	if err != nil {
		return p, err
	}
	if CanSeePlan(a, p.Organisation) {
		return p, nil
	}
	// An authority sees the plans submitted to its calls.
	c, err := tx.Call(ctx, p.CallID)
	if err != nil {
		return p, err
	}
	pr, err := loadPrincipal(ctx, tx, a)
	if err != nil {
		return p, err
	}
	if !pr.governs(p.Organisation, c.Issuer) {
		return tradeplan.PlanRecord{}, tradeplan.Errorf(tradeplan.ENotFound, "plan %d not found", id)
	}
	return p, nil
}

// ownPlan reads a plan the actor may change as its applicant: a submitter of
// its organisation (or an administrator over it).
func (s *Service) ownPlan(ctx context.Context, tx Tx, a tradeplan.Actor, id int64, what string) (tradeplan.PlanRecord, tradeplan.Call, error) {
	p, err := loadPlan(ctx, tx, a, id)
	if err != nil {
		return p, tradeplan.Call{}, err
	}
	if _, err := s.authorize(ctx, tx, a, ActWritePlan, p.Organisation); err != nil {
		return p, tradeplan.Call{}, err
	}
	c, err := tx.Call(ctx, p.CallID)
	if err != nil {
		return p, c, err
	}
	return p, c, s.checkCallOrg(ctx, tx, c, p.Organisation)
}

// CreatePlan creates a draft plan for a call. One plan per organisation and
// call: later changes are edits of the draft or amendments.
func (s *Service) CreatePlan(ctx context.Context, a tradeplan.Actor, in PlanInput) (tradeplan.PlanRecord, error) {
	org := in.Organisation
	if org == 0 {
		org = a.User.OrgID
	}
	if org == 0 {
		return tradeplan.PlanRecord{}, tradeplan.Errorf(tradeplan.EInvalid, "plan: organisation is required")
	}
	var doc tradeplan.Plan
	if in.Plan != nil {
		doc = *in.Plan
		doc.Lines = append([]tradeplan.Line(nil), in.Plan.Lines...)
	}
	reindex(&doc)
	if err := s.checkLines(len(doc.Lines)); err != nil {
		return tradeplan.PlanRecord{}, err
	}
	var ps tradeplan.Problems
	for i, l := range doc.Lines {
		ps = append(ps, ValidateLine(l, fmt.Sprintf("lines[%d]", i+1))...)
	}
	if err := ps.Err("plan"); err != nil {
		return tradeplan.PlanRecord{}, err
	}
	now := s.now()
	var rec tradeplan.PlanRecord
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := s.authorize(ctx, tx, a, ActWritePlan, org); err != nil {
			return err
		}
		c, err := tx.Call(ctx, in.CallID)
		if err != nil {
			return err
		}
		if err := s.checkCallOrg(ctx, tx, c, org); err != nil {
			return err
		}
		if _, err := AcceptsPlans(c, now); err != nil {
			return err
		}
		existing, err := tx.Plans(ctx, PlanFilter{CallID: c.ID, Orgs: []int64{org}})
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return tradeplan.Errorf(tradeplan.EConflict, "organisation %d already has plan %d for call %d: edit or amend it", org, existing[0].ID, c.ID)
		}
		o, err := tx.Organisation(ctx, org)
		if err != nil {
			return err
		}
		if err := resolvePlan(o, c, &doc); err != nil {
			return err
		}
		doc.Period = c.Span()
		rec = tradeplan.PlanRecord{
			CallID: c.ID, Organisation: org, Title: doc.Organisation, Status: tradeplan.PlanDraft,
			Version: 1, CreatedBy: a.Label(), CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.CreatePlan(ctx, &rec); err != nil {
			return err
		}
		doc.ID = fmt.Sprint(rec.ID)
		v := tradeplan.PlanVersion{PlanID: rec.ID, Version: 1, Plan: doc, CreatedBy: a.Label(), CreatedAt: now}
		if err := tx.PutPlanVersion(ctx, v); err != nil {
			return err
		}
		return tx.Audit(ctx, "plan.create", subject("plan", rec.ID), org, nil, v)
	})
	return rec, err
}

// editDraft applies change to the lines of a draft plan and saves them.
func (s *Service) editDraft(ctx context.Context, a tradeplan.Actor, id int64, action string, change func(p *tradeplan.Plan) error) (tradeplan.PlanVersion, error) {
	var v tradeplan.PlanVersion
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		rec, c, err := s.ownPlan(ctx, tx, a, id, "editing a plan")
		if err != nil {
			return err
		}
		if rec.Status != tradeplan.PlanDraft {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d is %s: only a draft can be edited; amend it instead", id, rec.Status)
		}
		now := s.now()
		if _, err := AcceptsPlans(c, now); err != nil {
			return err
		}
		if v, err = tx.PlanVersion(ctx, id, rec.Version); err != nil {
			return err
		}
		before := v
		p := v.Plan
		p.Lines = append([]tradeplan.Line(nil), v.Plan.Lines...)
		if err := change(&p); err != nil {
			return err
		}
		reindex(&p)
		o, err := tx.Organisation(ctx, rec.Organisation)
		if err != nil {
			return err
		}
		if err := resolvePlan(o, c, &p); err != nil {
			return err
		}
		p.ID, p.Period = fmt.Sprint(id), c.Span()
		v.Plan = p
		if err := tx.PutPlanVersion(ctx, v); err != nil {
			return err
		}
		rec.UpdatedAt = now
		if p.Organisation != "" {
			rec.Title = p.Organisation
		}
		if err := tx.UpdatePlan(ctx, rec); err != nil {
			return err
		}
		return tx.Audit(ctx, action, subject("plan", id), rec.Organisation, before, v)
	})
	return v, err
}

// EditPlan replaces the lines of a draft plan with those of a document.
func (s *Service) EditPlan(ctx context.Context, a tradeplan.Actor, id int64, doc *tradeplan.Plan) (tradeplan.PlanVersion, error) {
	return s.editDraft(ctx, a, id, "plan.edit", func(p *tradeplan.Plan) error {
		if err := s.checkLines(len(doc.Lines)); err != nil {
			return err
		}
		var ps tradeplan.Problems
		for i, l := range doc.Lines {
			ps = append(ps, ValidateLine(l, fmt.Sprintf("lines[%d]", i+1))...)
		}
		if err := ps.Err("plan"); err != nil {
			return err
		}
		p.Lines = append([]tradeplan.Line(nil), doc.Lines...)
		if doc.Organisation != "" {
			p.Organisation = doc.Organisation
		}
		if doc.Country != "" {
			p.Country = doc.Country
		}
		return nil
	})
}

// AddLine appends a line to a draft plan.
func (s *Service) AddLine(ctx context.Context, a tradeplan.Actor, id int64, l tradeplan.Line) (tradeplan.PlanVersion, error) {
	return s.editDraft(ctx, a, id, "plan.line.add", func(p *tradeplan.Plan) error {
		if err := ValidateLine(l, "line").Err("line"); err != nil {
			return err
		}
		if err := s.checkLines(len(p.Lines) + 1); err != nil {
			return err
		}
		p.Lines = append(p.Lines, l)
		return nil
	})
}

// RemoveLine removes line index (1-based) from a draft plan.
func (s *Service) RemoveLine(ctx context.Context, a tradeplan.Actor, id int64, index int) (tradeplan.PlanVersion, error) {
	return s.editDraft(ctx, a, id, "plan.line.remove", func(p *tradeplan.Plan) error {
		if index < 1 || index > len(p.Lines) {
			return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no line %d", id, index)
		}
		p.Lines = append(p.Lines[:index-1], p.Lines[index:]...)
		return nil
	})
}

// asOf is the day a plan of call c is screened as of: the first day of the
// call's period, or today once the period has begun.
func asOf(c tradeplan.Call, now time.Time) time.Time {
	if now.Before(c.From) {
		return c.From
	}
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (s *Service) screenPlan(ctx context.Context, c tradeplan.Call, p tradeplan.Plan) (*tradeplan.PlanReport, error) {
	if s.screen == nil {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "no screener configured")
	}
	p.Lines = append([]tradeplan.Line(nil), p.Lines...)
	for i := range p.Lines {
		// A line's date never moves the day the rules are read at: that is
		// the call's, and for a licence the days it can be used.
		p.Lines[i].Date = time.Time{}
	}
	r, err := s.screen(ctx, &p, asOf(c, s.now()), s)
	if err != nil {
		return nil, fmt.Errorf("screen plan %s: %w", p.ID, err)
	}
	if len(r.Lines) != len(p.Lines) {
		return nil, fmt.Errorf("screen plan %s: %d lines reported for %d", p.ID, len(r.Lines), len(p.Lines))
	}
	return &r, nil
}

// SubmitPlan submits a draft: it is screened, and the report is stored with
// it. After the deadline only where the call allows late plans.
func (s *Service) SubmitPlan(ctx context.Context, a tradeplan.Actor, id int64) (tradeplan.PlanRecord, error) {
	var rec tradeplan.PlanRecord
	var call tradeplan.Call
	var v tradeplan.PlanVersion
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if rec, call, err = s.ownPlan(ctx, tx, a, id, "submitting a plan"); err != nil {
			return err
		}
		if rec.Status != tradeplan.PlanDraft {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d is already %s; amend it instead", id, rec.Status)
		}
		if _, err := AcceptsPlans(call, s.now()); err != nil {
			return err
		}
		if v, err = tx.PlanVersion(ctx, id, rec.Version); err != nil {
			return err
		}
		o, err := tx.Organisation(ctx, rec.Organisation)
		if err != nil {
			return err
		}
		return resolvePlan(o, call, &v.Plan)
	})
	if err != nil {
		return rec, err
	}
	if len(v.Plan.Lines) == 0 {
		return rec, tradeplan.Errorf(tradeplan.EInvalid, "plan %d has no lines to submit", id)
	}
	report, err := s.screenPlan(ctx, call, v.Plan)
	if err != nil {
		return rec, err
	}
	ctx = tradeplan.WithActor(ctx, a)
	err = s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		cur, c, err := s.ownPlan(ctx, tx, a, id, "submitting a plan")
		if err != nil {
			return err
		}
		if cur.Status != tradeplan.PlanDraft || !cur.UpdatedAt.Equal(rec.UpdatedAt) {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d changed while it was being screened; submit it again", id)
		}
		now := s.now()
		late, err := AcceptsPlans(c, now)
		if err != nil {
			return err
		}
		v.Report, v.SubmittedBy, v.SubmittedAt = report, a.Label(), &now
		if err := tx.PutPlanVersion(ctx, v); err != nil {
			return err
		}
		before := cur
		cur.Status, cur.Late, cur.SubmittedAt, cur.UpdatedAt = tradeplan.PlanSubmitted, late, &now, now
		if err := tx.UpdatePlan(ctx, cur); err != nil {
			return err
		}
		rec = cur
		return tx.Audit(ctx, "plan.submit", subject("plan", id), cur.Organisation, before,
			map[string]any{"plan": cur, "version": v.Version, "summary": report.Summary})
	})
	return rec, err
}

// AmendPlan replaces a submitted plan's lines with those of a document as a
// new version, screened, with the difference from the previous version.
// Decisions carry over to unchanged lines; a line that has a permit may not
// be changed or removed.
func (s *Service) AmendPlan(ctx context.Context, a tradeplan.Actor, id int64, doc *tradeplan.Plan, reason string) (tradeplan.PlanVersion, error) {
	if strings.TrimSpace(reason) == "" {
		return tradeplan.PlanVersion{}, tradeplan.Errorf(tradeplan.EInvalid, "amendment: reason is required")
	}
	if err := s.checkLines(len(doc.Lines)); err != nil {
		return tradeplan.PlanVersion{}, err
	}
	next := *doc
	next.Lines = append([]tradeplan.Line(nil), doc.Lines...)
	reindex(&next)
	var ps tradeplan.Problems
	for i, l := range next.Lines {
		ps = append(ps, ValidateLine(l, fmt.Sprintf("lines[%d]", i+1))...)
	}
	if len(next.Lines) == 0 {
		ps.Add(tradeplan.Position{Path: "lines"}, "", "an amended plan needs at least one line")
	}
	if err := ps.Err("amendment"); err != nil {
		return tradeplan.PlanVersion{}, err
	}
	var rec tradeplan.PlanRecord
	var call tradeplan.Call
	var cur tradeplan.PlanVersion
	var diff tradeplan.PlanDiff
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if rec, call, err = s.ownPlan(ctx, tx, a, id, "amending a plan"); err != nil {
			return err
		}
		if rec.Status == tradeplan.PlanDraft {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d is a draft: edit it instead", id)
		}
		if _, err := AcceptsPlans(call, s.now()); err != nil {
			return err
		}
		if cur, err = tx.PlanVersion(ctx, id, rec.Version); err != nil {
			return err
		}
		next.ID, next.Period = fmt.Sprint(id), call.Span()
		if next.Organisation == "" {
			next.Organisation = cur.Plan.Organisation
		}
		o, err := tx.Organisation(ctx, rec.Organisation)
		if err != nil {
			return err
		}
		if err := resolvePlan(o, call, &next); err != nil {
			return err
		}
		diff = Diff(cur.Plan, next, cur.Version, cur.Version+1)
		ds, err := tx.Decisions(ctx, id, cur.Version)
		if err != nil {
			return err
		}
		return checkAmendment(ds, diff)
	})
	if err != nil {
		return tradeplan.PlanVersion{}, err
	}
	report, err := s.screenPlan(ctx, call, next)
	if err != nil {
		return tradeplan.PlanVersion{}, err
	}
	var nv tradeplan.PlanVersion
	ctx = tradeplan.WithActor(ctx, a)
	err = s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		r, c, err := s.ownPlan(ctx, tx, a, id, "amending a plan")
		if err != nil {
			return err
		}
		if r.Version != rec.Version || !r.UpdatedAt.Equal(rec.UpdatedAt) {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d changed while the amendment was being screened; amend it again", id)
		}
		now := s.now()
		if _, err := AcceptsPlans(c, now); err != nil {
			return err
		}
		ds, err := tx.Decisions(ctx, id, cur.Version)
		if err != nil {
			return err
		}
		if err := checkAmendment(ds, diff); err != nil {
			return err
		}
		nv = tradeplan.PlanVersion{
			PlanID: id, Version: cur.Version + 1, Plan: next, Report: report, Diff: &diff,
			Reason: strings.TrimSpace(reason), CreatedBy: a.Label(), CreatedAt: now, SubmittedBy: a.Label(), SubmittedAt: &now,
		}
		if err := tx.PutPlanVersion(ctx, nv); err != nil {
			return err
		}
		carried := 0
		for _, d := range ds {
			for _, u := range diff.Unchanged {
				if u[0] != d.Line {
					continue
				}
				nd := d
				nd.Version, nd.Line = nv.Version, u[1]
				if nd.CarriedFrom == 0 {
					nd.CarriedFrom = d.Version
				}
				if err := tx.AddDecision(ctx, nd); err != nil {
					return err
				}
				carried++
			}
		}
		// Compliance decisions stay with the lines they decided while the
		// lines are unchanged; each still covers only the facts it was made on.
		cds, err := tx.ComplianceDecisions(ctx, id, cur.Version)
		if err != nil {
			return err
		}
		for _, cd := range cds {
			for _, u := range diff.Unchanged {
				if u[0] == cd.Line {
					cd.Version, cd.Line = nv.Version, u[1]
					if err := tx.AddComplianceDecision(ctx, cd); err != nil {
						return err
					}
				}
			}
		}
		before := r
		r.Version, r.UpdatedAt = nv.Version, now
		r.Status = tradeplan.PlanSubmitted
		if carried == len(next.Lines) {
			r.Status = tradeplan.PlanDecided
		}
		if next.Organisation != "" {
			r.Title = next.Organisation
		}
		if err := tx.UpdatePlan(ctx, r); err != nil {
			return err
		}
		return tx.Audit(ctx, "plan.amend", subject("plan", id), r.Organisation, before,
			map[string]any{"plan": r, "version": nv.Version, "reason": nv.Reason, "diff": diff, "summary": report.Summary})
	})
	return nv, err
}

func checkAmendment(ds []tradeplan.LineDecision, diff tradeplan.PlanDiff) error {
	for _, d := range ds {
		if d.Decision != tradeplan.DecisionApprove {
			continue
		}
		kept := false
		for _, u := range diff.Unchanged {
			kept = kept || u[0] == d.Line
		}
		if !kept {
			return tradeplan.Errorf(tradeplan.EConflict, "line %d is approved (permit %d): an amendment may not change or remove it", d.Line, d.PermitID)
		}
	}
	return nil
}

// ImportPlan stores a parsed plan document for a call and submits it, as
// the demo does with the example plans. callID 0 picks the open call whose
// period has the document's period label; org 0 is the actor's organisation.
func (s *Service) ImportPlan(ctx context.Context, a tradeplan.Actor, callID, org int64, doc *tradeplan.Plan) (tradeplan.PlanRecord, error) {
	if callID == 0 {
		calls, err := s.Calls(ctx, a)
		if err != nil {
			return tradeplan.PlanRecord{}, err
		}
		for _, c := range calls {
			if c.Status == CallOpen && c.Period == doc.Period.Label {
				callID = c.ID
				break
			}
		}
		if callID == 0 {
			return tradeplan.PlanRecord{}, tradeplan.Errorf(tradeplan.ENotFound, "no open call for the period %q of plan %s", doc.Period.Label, doc.File)
		}
	}
	rec, err := s.CreatePlan(ctx, a, PlanInput{CallID: callID, Organisation: org, Plan: doc})
	if err != nil {
		return rec, err
	}
	return s.SubmitPlan(ctx, a, rec.ID)
}

// Plans lists the plans the actor may see, of one call or (callID 0) all.
func (s *Service) Plans(ctx context.Context, a tradeplan.Actor, callID int64) ([]tradeplan.PlanRecord, error) {
	var out []tradeplan.PlanRecord
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		out, err = tx.Plans(ctx, PlanFilter{CallID: callID, Orgs: orgs, Issuers: issuers})
		return err
	})
	if out == nil {
		out = []tradeplan.PlanRecord{}
	}
	return out, err
}

// FindingView is a finding with the key decisions refer to.
type FindingView struct {
	Key string `json:"key"`
	tradeplan.Finding
}

// LineView is one line as reviewers and applicants see it: what was asked,
// the applicant's and the reviewer's HS codes side by side, the screening,
// and the decisions.
type LineView struct {
	Index       int                            `json:"index"`
	Direction   tradeplan.Direction            `json:"direction"`
	Description string                         `json:"description"`
	ApplicantHS string                         `json:"applicant_hs"`
	AssessedHS  string                         `json:"assessed_hs,omitempty"`
	Assessment  *tradeplan.LineAssessment      `json:"assessment,omitempty"`
	Origin      string                         `json:"origin,omitempty"`
	Destination string                         `json:"destination,omitempty"`
	Quantity    tradeplan.Decimal              `json:"quantity"`
	Unit        string                         `json:"unit"`
	Value       tradeplan.Decimal              `json:"value"`
	Currency    string                         `json:"currency,omitempty"`
	Partner     *tradeplan.Party               `json:"partner,omitempty"`
	Vessel      *tradeplan.Vessel              `json:"vessel,omitempty"`
	Crossing    string                         `json:"crossing,omitempty"`
	Necessity   tradeplan.Necessity            `json:"necessity,omitempty"`
	Purpose     string                         `json:"purpose,omitempty"`
	Exemption   string                         `json:"exemption,omitempty"`
	Screened    *tradeplan.HSAssignment        `json:"screened_hs,omitempty"`
	Verdict     *tradeplan.Verdict             `json:"verdict,omitempty"`
	Findings    []FindingView                  `json:"findings"`
	Status      string                         `json:"status"` // pending, approved, refused
	Decision    *tradeplan.LineDecision        `json:"decision,omitempty"`
	Compliance  []tradeplan.ComplianceDecision `json:"compliance"`
	Needs       []string                       `json:"needs"` // what stands between a pending line and approval
	// Permit is the permit an approved line became, with approval and the
	// border shown apart.
	Permit *PermitBrief `json:"permit,omitempty"`

	// Date is the line's own date as written (a shipment date), never the
	// day the rules were read at: RulesAsOf is.
	Date      string `json:"date,omitempty"`
	RulesAsOf string `json:"rules_as_of,omitempty"`
}

// PermitBrief is a permit as a plan's line shows it.
type PermitBrief struct {
	ID         int64                  `json:"id"`
	Number     string                 `json:"number"`
	Status     tradeplan.PermitStatus `json:"status"` // effective now
	Approved   bool                   `json:"approved"`
	Crossing   string                 `json:"crossing"`
	BorderOpen bool                   `json:"border_open"`
	Usable     bool                   `json:"usable"`
	Reason     string                 `json:"reason,omitempty"`
}

func briefOf(v PermitView) *PermitBrief {
	return &PermitBrief{ID: v.ID, Number: v.Number, Status: v.Effective, Approved: v.Approved, Crossing: v.Crossing,
		BorderOpen: v.BorderOpen, Usable: v.Usable, Reason: v.Reason}
}

// ViewLine builds the view of one line.
func ViewLine(st LineState) LineView {
	l := st.Line
	v := LineView{
		Index: l.Index, Direction: l.Direction, Description: l.Description, ApplicantHS: l.HS,
		Origin: l.Origin, Destination: l.Destination, Quantity: l.Quantity, Unit: l.Unit,
		Value: l.Value, Currency: l.Currency, Partner: l.Partner, Vessel: l.Vessel, Crossing: l.Crossing,
		Necessity: l.Necessity, Purpose: l.Purpose, Exemption: l.Exemption,
		Findings: []FindingView{}, Status: st.Status(), Decision: st.Decision,
		Compliance: st.Compliance, Needs: []string{},
	}
	if v.Compliance == nil {
		v.Compliance = []tradeplan.ComplianceDecision{}
	}
	if !l.Date.IsZero() {
		v.Date = l.Date.Format(time.DateOnly)
	}
	v.RulesAsOf = st.RulesAsOf
	if st.Assessment != nil {
		v.AssessedHS, v.Assessment = st.Assessment.HS, st.Assessment
	}
	if st.Report != nil {
		hs := st.Report.HS
		verdict := st.Verdict()
		v.Screened, v.Verdict = &hs, &verdict
		for i, f := range st.Report.Findings {
			v.Findings = append(v.Findings, FindingView{Key: FindingKey(st.Report.Findings, i), Finding: f})
		}
	}
	if st.Decision == nil {
		if n := st.Needs(); n != nil {
			v.Needs = n
		}
	}
	return v
}

// PlanDetail is a plan with one version's lines and their state.
type PlanDetail struct {
	Plan       tradeplan.PlanRecord `json:"plan"`
	CallStatus string               `json:"call_status"`
	Version    int                  `json:"version"`
	Versions   []int                `json:"versions"`
	Country    string               `json:"country,omitempty"`
	Period     string               `json:"period"`
	Summary    *tradeplan.Summary   `json:"summary,omitempty"`
	AsOf       string               `json:"as_of,omitempty"`
	// Lists and Notices are the stored report's: the sanctions lists its
	// partners were screened against, and what it could not check.
	Lists   []tradeplan.ListVersion `json:"lists,omitempty"`
	Notices []string                `json:"notices,omitempty"`
	Diff    *tradeplan.PlanDiff     `json:"diff,omitempty"`
	Reason  string                  `json:"reason,omitempty"`
	Lines   []LineView              `json:"lines"`
}

// lineStates assembles the lines of a version with their records.
func lineStates(ctx context.Context, tx Tx, v tradeplan.PlanVersion) ([]LineState, error) {
	ds, err := tx.Decisions(ctx, v.PlanID, v.Version)
	if err != nil {
		return nil, err
	}
	as, err := tx.Assessments(ctx, v.PlanID, v.Version)
	if err != nil {
		return nil, err
	}
	cs, err := tx.ComplianceDecisions(ctx, v.PlanID, v.Version)
	if err != nil {
		return nil, err
	}
	out := make([]LineState, len(v.Plan.Lines))
	for i, l := range v.Plan.Lines {
		l.Index = i + 1
		out[i].Line = l
		if v.Report != nil {
			out[i].RulesAsOf = v.Report.AsOf
		}
		if v.Report != nil && i < len(v.Report.Lines) {
			r := v.Report.Lines[i]
			out[i].Report = &r
		}
	}
	for _, d := range ds {
		if d.Line >= 1 && d.Line <= len(out) {
			d := d
			out[d.Line-1].Decision = &d
		}
	}
	for _, x := range as {
		if x.Line >= 1 && x.Line <= len(out) {
			x := x
			out[x.Line-1].Assessment = &x
		}
	}
	for _, c := range cs {
		if c.Line >= 1 && c.Line <= len(out) {
			out[c.Line-1].Compliance = append(out[c.Line-1].Compliance, c)
		}
	}
	return out, nil
}

// Plan shows a plan: version 0 is the current one.
func (s *Service) Plan(ctx context.Context, a tradeplan.Actor, id int64, version int) (PlanDetail, error) {
	var d PlanDetail
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := loadPlan(ctx, tx, a, id)
		if err != nil {
			return err
		}
		c, err := tx.Call(ctx, rec.CallID)
		if err != nil {
			return err
		}
		if version == 0 {
			version = rec.Version
		}
		if version < 1 || version > rec.Version {
			return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %d (versions 1 to %d)", id, version, rec.Version)
		}
		v, err := tx.PlanVersion(ctx, id, version)
		if err != nil {
			return err
		}
		sts, err := lineStates(ctx, tx, v)
		if err != nil {
			return err
		}
		d = PlanDetail{Plan: rec, CallStatus: CallStatus(c, s.now()), Version: version, Country: v.Plan.Country,
			Period: c.Period, Diff: v.Diff, Reason: v.Reason, Lines: make([]LineView, len(sts))}
		for i := 1; i <= rec.Version; i++ {
			d.Versions = append(d.Versions, i)
		}
		if v.Report != nil {
			sum := v.Report.Summary
			d.Summary, d.AsOf = &sum, v.Report.AsOf
			d.Lists, d.Notices = v.Report.Lists, v.Report.Notices
		}
		permits, err := tx.Permits(ctx, PermitFilter{PlanID: id})
		if err != nil {
			return err
		}
		var cm map[string]tradeplan.Crossing
		if len(permits) > 0 {
			if cm, err = s.crossingMap(ctx, tx); err != nil {
				return err
			}
		}
		byID := map[int64]tradeplan.Permit{}
		for _, p := range permits {
			byID[p.ID] = p
		}
		now := s.now()
		for i, st := range sts {
			d.Lines[i] = ViewLine(st)
			if st.Decision != nil && st.Decision.PermitID != 0 {
				if p, ok := byID[st.Decision.PermitID]; ok {
					d.Lines[i].Permit = briefOf(viewPermit(p, cm, now))
				}
			}
		}
		return nil
	})
	return d, err
}

// PlanDiff compares two versions of a plan.
func (s *Service) PlanDiff(ctx context.Context, a tradeplan.Actor, id int64, from, to int) (tradeplan.PlanDiff, error) {
	var d tradeplan.PlanDiff
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := loadPlan(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if to == 0 {
			to = rec.Version
		}
		if from == 0 {
			from = to - 1
		}
		for _, n := range []int{from, to} {
			if n < 1 || n > rec.Version {
				return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %d (versions 1 to %d)", id, n, rec.Version)
			}
		}
		a, err := tx.PlanVersion(ctx, id, from)
		if err != nil {
			return err
		}
		b, err := tx.PlanVersion(ctx, id, to)
		if err != nil {
			return err
		}
		d = Diff(a.Plan, b.Plan, from, to)
		return nil
	})
	return d, err
}

// ---- review ----

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

// ---- permits ----

// PermitView is a permit as shown: approval and the border are separate.
// Approved says the permit stands (issued); BorderOpen says whether its
// crossing is open now; Usable says whether goods may cross under it now,
// and Reason why not.
type PermitView struct {
	tradeplan.Permit
	Effective      tradeplan.PermitStatus   `json:"effective_status"`
	Approved       bool                     `json:"approved"`
	CrossingStatus tradeplan.CrossingStatus `json:"crossing_status,omitempty"`
	BorderOpen     bool                     `json:"border_open"`
	Usable         bool                     `json:"usable"`
	Reason         string                   `json:"reason,omitempty"`
	QuantityLeft   tradeplan.Decimal        `json:"quantity_left"`
	ValueLeft      tradeplan.Decimal        `json:"value_left"`
	Uses           []tradeplan.PermitUse    `json:"uses,omitempty"`
}

func viewPermit(p tradeplan.Permit, crossings map[string]tradeplan.Crossing, now time.Time) PermitView {
	v := PermitView{Permit: p, Effective: EffectiveStatus(p, now), QuantityLeft: p.QuantityLeft(), ValueLeft: p.ValueLeft()}
	v.Approved = v.Effective == tradeplan.PermitIssued
	c, ok := crossings[p.Crossing]
	if ok {
		v.CrossingStatus = c.Status
		v.BorderOpen = c.Status == tradeplan.CrossingOpen
	} else {
		c = tradeplan.Crossing{ID: p.Crossing, Status: tradeplan.CrossingClosed, Reason: "no such crossing is registered"}
		if p.Crossing == "" {
			c.Reason = "the permit names no crossing"
		}
	}
	v.Usable, v.Reason = Usable(p, c, now)
	return v
}

func (s *Service) crossingMap(ctx context.Context, tx Tx) (map[string]tradeplan.Crossing, error) {
	cs, err := tx.Crossings(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]tradeplan.Crossing, len(cs))
	for _, c := range cs {
		m[c.ID] = c
	}
	return m, nil
}

// Permits lists the permits the actor may see.
func (s *Service) Permits(ctx context.Context, a tradeplan.Actor, f PermitFilter) ([]PermitView, error) {
	out := []PermitView{}
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		want := f.Holders
		if issuers == nil {
			f.Holders = intersect(f.Holders, orgs)
		} else {
			f.Holders, f.Issuers = orgs, issuers
		}
		ps, err := tx.Permits(ctx, f)
		if err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		for _, p := range ps {
			if issuers != nil && want != nil && !contains(want, p.Holder) {
				continue
			}
			out = append(out, viewPermit(p, cm, now))
		}
		return nil
	})
	return out, err
}

// intersect combines a requested filter with the visible set (nil: all).
func intersect(want, visible []int64) []int64 {
	if visible == nil {
		return want
	}
	if want == nil {
		return visible
	}
	out := []int64{}
	for _, w := range want {
		if contains(visible, w) {
			out = append(out, w)
		}
	}
	return out
}

func loadPermit(ctx context.Context, tx Tx, a tradeplan.Actor, id int64) (tradeplan.Permit, error) {
	p, err := tx.Permit(ctx, id)
	if err != nil {
		return p, err
	}
	if CanSeePlan(a, p.Holder) {
		return p, nil
	}
	// An authority sees the permits issued under its calls.
	c, err := tx.Call(ctx, p.CallID)
	if err != nil {
		return p, err
	}
	pr, err := loadPrincipal(ctx, tx, a)
	if err != nil {
		return p, err
	}
	if !pr.governs(p.Holder, c.Issuer) {
		return tradeplan.Permit{}, tradeplan.Errorf(tradeplan.ENotFound, "permit %d not found", id)
	}
	return p, nil
}

// Permit shows one permit with its uses.
func (s *Service) Permit(ctx context.Context, a tradeplan.Actor, id int64) (PermitView, error) {
	var v PermitView
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		if err != nil {
			return err
		}
		v = viewPermit(p, cm, s.now())
		if v.Uses, err = tx.PermitUses(ctx, id); err != nil {
			return err
		}
		if v.Uses == nil {
			v.Uses = []tradeplan.PermitUse{}
		}
		return nil
	})
	return v, err
}

// SetPermitStatus suspends, reinstates (issued) or revokes a permit, with a
// reason. Administrators and compliance officers over its holder only.
func (s *Service) SetPermitStatus(ctx context.Context, a tradeplan.Actor, id int64, to tradeplan.PermitStatus, reason string) (PermitView, error) {
	verb := map[tradeplan.PermitStatus]string{tradeplan.PermitSuspended: "suspend", tradeplan.PermitIssued: "reinstate", tradeplan.PermitRevoked: "revoke"}[to]
	if verb == "" {
		return PermitView{}, tradeplan.Errorf(tradeplan.EInvalid, "a permit can be set to suspended, issued or revoked by hand; got %q", to)
	}
	var v PermitView
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		// Another organisation's permit is not found, whatever the role.
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActPermitStatus, p.Holder); err != nil {
			return err
		}
		if strings.TrimSpace(reason) == "" {
			return tradeplan.Errorf(tradeplan.EInvalid, "%s permit: reason is required", verb)
		}
		now := s.now()
		if EffectiveStatus(p, now) == tradeplan.PermitExpired && to != tradeplan.PermitRevoked {
			return tradeplan.Errorf(tradeplan.EConflict, "permit %s expired on %s", p.Number, p.ValidTo.Format(time.DateOnly))
		}
		before := p
		if err := Transition(&p, to, strings.TrimSpace(reason), now); err != nil {
			return err
		}
		if err := tx.UpdatePermit(ctx, p); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "permit."+verb, subject("permit", p.ID), p.Holder, before, p); err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		v = viewPermit(p, cm, now)
		return err
	})
	return v, err
}

// UseInput is goods crossing under a permit.
type UseInput struct {
	Quantity  tradeplan.Decimal
	Value     tradeplan.Decimal
	Crossing  string // "" for the permit's own crossing
	Reference string
}

// UsePermit draws on a permit's balance for goods crossing now. It is
// refused unless the permit is usable at that crossing now: issued, within
// its window, with a balance, and the crossing open.
func (s *Service) UsePermit(ctx context.Context, a tradeplan.Actor, id int64, in UseInput) (PermitView, error) {
	if err := in.check(); err != nil {
		return PermitView{}, err
	}
	var v PermitView
	ctx = s.beforeScreening(tradeplan.WithActor(ctx, a))
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActUsePermit, p.Holder); err != nil {
			return err
		}
		cid := CrossingSlug(in.Crossing)
		if cid == "" {
			cid = p.Crossing
		}
		if cid == "" {
			return tradeplan.Errorf(tradeplan.EInvalid, "permit use: crossing is required: permit %s names none", p.Number)
		}
		c, err := tx.Crossing(ctx, cid)
		if err != nil {
			return err
		}
		now := s.now()
		if ok, why := Usable(p, c, now); !ok {
			return tradeplan.Errorf(tradeplan.EConflict, "permit %s cannot be used now: %s", p.Number, why)
		}
		if err := CheckUseUnitValue(p, in.Quantity, in.Value); err != nil {
			return err
		}
		// The goods at this use's quantity and value, under the rules of
		// today: a value per piece above a luxury threshold (a permit
		// approved with no value has no approved unit value to hold it to),
		// or a ban that came into force since the permit was issued.
		if err := s.CheckUnitValue(ctx, p, in.Quantity, in.Value, now); err != nil {
			return err
		}
		before := p
		if err := Draw(&p, in.Quantity, in.Value, now); err != nil {
			return err
		}
		u := tradeplan.PermitUse{PermitID: p.ID, Quantity: in.Quantity, Value: in.Value, Crossing: cid,
			Reference: strings.TrimSpace(in.Reference), By: a.Label(), At: now}
		if err := tx.AddPermitUse(ctx, &u); err != nil {
			return err
		}
		if err := tx.UpdatePermit(ctx, p); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "permit.use", subject("permit", p.ID), p.Holder, before, map[string]any{"permit": p, "use": u}); err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		v = viewPermit(p, cm, now)
		v.Uses = []tradeplan.PermitUse{u}
		return err
	})
	return v, err
}

// ExpirePermits records as expired every issued or suspended permit whose
// window has passed, and returns how many.
func (s *Service) ExpirePermits(ctx context.Context, a tradeplan.Actor) (int, error) {
	n := 0
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		n = 0
		pr, err := s.authorize(ctx, tx, a, ActExpirePermits)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		ps, err := tx.Permits(ctx, PermitFilter{Holders: orgs, Issuers: issuers})
		if err != nil {
			return err
		}
		now := s.now()
		for _, p := range ps {
			if p.Status == tradeplan.PermitExpired || EffectiveStatus(p, now) != tradeplan.PermitExpired {
				continue
			}
			// Read again holding the row: a use or a revocation may have
			// changed it since the list was read.
			if p, err = tx.Permit(ctx, p.ID); err != nil {
				return err
			}
			if p.Status == tradeplan.PermitExpired || EffectiveStatus(p, now) != tradeplan.PermitExpired {
				continue
			}
			before := p
			if err := Transition(&p, tradeplan.PermitExpired, "validity window ended "+p.ValidTo.Format(time.DateOnly), now); err != nil {
				return err
			}
			if err := tx.UpdatePermit(ctx, p); err != nil {
				return err
			}
			if err := tx.Audit(ctx, "permit.expire", subject("permit", p.ID), p.Holder, before, p); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// ---- crossings ----

// AddCrossing registers a crossing, closed unless c.Status says open.
func (s *Service) AddCrossing(ctx context.Context, a tradeplan.Actor, c tradeplan.Crossing) (tradeplan.Crossing, error) {
	if c.Status == "" {
		c.Status = tradeplan.CrossingClosed
	}
	if c.Countries == nil {
		c.Countries = []string{}
	}
	if err := ValidateCrossing(c); err != nil {
		return c, err
	}
	now := s.now()
	c.Since, c.CreatedAt = now, now
	if c.Reason == "" {
		c.Reason = "registered"
	}
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := s.authorize(ctx, tx, a, ActAddCrossing); err != nil {
			return err
		}
		if _, err := tx.Crossing(ctx, c.ID); err == nil {
			return tradeplan.Errorf(tradeplan.EConflict, "crossing %s already exists", c.ID)
		} else if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		if err := tx.CreateCrossing(ctx, c); err != nil {
			return err
		}
		if err := tx.AddCrossingEvent(ctx, tradeplan.CrossingEvent{Crossing: c.ID, Status: c.Status, Reason: c.Reason, By: a.Label(), At: now}); err != nil {
			return err
		}
		return tx.Audit(ctx, "crossing.add", "crossing:"+c.ID, 0, nil, c)
	})
	return c, err
}

// SetCrossing opens or closes a crossing, with a reason, recording it in the
// crossing's history.
func (s *Service) SetCrossing(ctx context.Context, a tradeplan.Actor, id string, to tradeplan.CrossingStatus, reason string) (tradeplan.Crossing, error) {
	if strings.TrimSpace(reason) == "" {
		return tradeplan.Crossing{}, tradeplan.Errorf(tradeplan.EInvalid, "crossing %s: reason is required", id)
	}
	var c tradeplan.Crossing
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		holders, err := crossingHolders(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActManageCrossing, holders...); err != nil {
			return err
		}
		if c, err = tx.Crossing(ctx, id); err != nil {
			return err
		}
		before := c
		e, err := SetCrossingStatus(&c, to, strings.TrimSpace(reason), a.Label(), s.now())
		if err != nil {
			return err
		}
		if err := tx.UpdateCrossing(ctx, c); err != nil {
			return err
		}
		if err := tx.AddCrossingEvent(ctx, e); err != nil {
			return err
		}
		action := "crossing.close"
		if to == tradeplan.CrossingOpen {
			action = "crossing.open"
		}
		return tx.Audit(ctx, action, "crossing:"+c.ID, 0, before, c)
	})
	return c, err
}

// Crossings lists every crossing. Border status is public to every user.
func (s *Service) Crossings(ctx context.Context, a tradeplan.Actor) ([]tradeplan.Crossing, error) {
	out := []tradeplan.Crossing{}
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		cs, err := tx.Crossings(ctx)
		out = append(out, cs...)
		return err
	})
	return out, err
}

// CrossingHistory is a crossing with every change of its status, oldest
// first.
type CrossingHistory struct {
	Crossing tradeplan.Crossing        `json:"crossing"`
	Events   []tradeplan.CrossingEvent `json:"events"`
}

// Crossing shows one crossing and its history.
func (s *Service) Crossing(ctx context.Context, a tradeplan.Actor, id string) (CrossingHistory, error) {
	var h CrossingHistory
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if h.Crossing, err = tx.Crossing(ctx, id); err != nil {
			return err
		}
		h.Events, err = tx.CrossingEvents(ctx, id)
		if h.Events == nil {
			h.Events = []tradeplan.CrossingEvent{}
		}
		return err
	})
	return h, err
}
