package licensing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

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
	// An empty direction is settled from the route when the plan's country
	// is known (resolveRoute), as a customs line file leaves it.
	if l.Direction != "" && l.Direction != tradeplan.Export && l.Direction != tradeplan.Import {
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
	} else if msg := tradeplan.CheckWhole(l.Quantity, l.Unit); msg != "" {
		ps.Add(at("quantity"), "", "%s", msg)
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
		pr, err := s.authorize(ctx, tx, a, ActWritePlan, org)
		if err != nil {
			return err
		}
		c, err := tx.Call(ctx, in.CallID)
		if err != nil {
			return err
		}
		if !pr.seesCall(c) {
			return errCallNotFound(c.ID)
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
