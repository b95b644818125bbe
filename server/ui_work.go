package server

// The worklist: what needs the signed-in person now, by role, at the top of
// the first page after sign-in. Every figure comes from the licensing
// service, within what the person may see.

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// workPlans bounds the plans of a reviewer's worklist, and
// workFindingPlans the plans whose lines a compliance officer's worklist
// reads for open findings: the oldest submitted first, as they have waited
// longest. The plans list has the rest (?status=submitted).
const (
	workPlans        = 20
	workFindingPlans = 6
)

type callWork struct {
	Call      licensing.CallView
	Drafts    int
	Submitted int // awaiting decisions on some line
	Decided   int
	DaysLeft  int // to the deadline; negative when past
}

type planWork struct {
	Plan    tradeplan.PlanRecord
	Org     string
	Pending int
	Lines   []lineWork // for compliance: the lines waiting for them
}

type lineWork struct {
	Index       int
	Direction   tradeplan.Direction
	Description string
	Findings    []licensing.FindingView
}

type ageRow struct {
	Name, What, Status string
	Since              time.Time
	Days               int
}

type reminder struct {
	Call     licensing.CallView
	DaysLeft int
	Plan     *tradeplan.PlanRecord // the organisation's plan for it, if any
}

type workView struct {
	Role      string
	Calls     []callWork
	Waiting   []planWork // reviewer: plans with pending lines, oldest first
	Findings  []planWork // compliance: lines with review findings undecided
	Cases     []licensing.Case
	Drafts    []tradeplan.PlanRecord
	Decided   []planWork
	Reminders []reminder
	Crossings []ageRow
	Lists     []ageRow
}

func daysBetween(from, to time.Time) int {
	return int(to.Sub(from).Hours() / 24)
}

// worklist builds the worklist of q's actor.
func (u *ui) worklist(ctx context.Context, a tradeplan.Actor) (*workView, error) {
	svc, err := u.service()
	if err != nil {
		return nil, err
	}
	ctx = tradeplan.WithActor(ctx, a)
	now := u.s.clock()
	v := &workView{Role: string(a.User.Role)}
	names, err := u.orgNames(ctx, a)
	if err != nil {
		return nil, err
	}
	calls, err := svc.Calls(ctx, a)
	if err != nil {
		return nil, err
	}
	counts, err := svc.PlanCounts(ctx, a)
	if err != nil {
		return nil, err
	}
	byCall := map[int64]*callWork{}
	for _, c := range calls {
		if c.Status != licensing.CallOpen && !hasRole(a, "reviewer", "compliance") {
			continue
		}
		cw := &callWork{Call: c, DaysLeft: daysBetween(now, c.Deadline)}
		byCall[c.ID] = cw
	}
	for _, n := range counts {
		cw := byCall[n.CallID]
		if cw == nil {
			continue
		}
		switch n.Status {
		case tradeplan.PlanDraft:
			cw.Drafts += n.N
		case tradeplan.PlanSubmitted:
			cw.Submitted += n.N
		case tradeplan.PlanDecided:
			cw.Decided += n.N
		}
	}
	for _, cw := range byCall {
		if cw.Call.Status == licensing.CallOpen || cw.Submitted > 0 {
			v.Calls = append(v.Calls, *cw)
		}
	}
	sort.Slice(v.Calls, func(i, j int) bool { return v.Calls[i].Call.Deadline.Before(v.Calls[j].Call.Deadline) })

	// The oldest submitted plans first: they have waited longest.
	oldest := licensing.PlanQuery{Status: tradeplan.PlanSubmitted, Oldest: true, Limit: workPlans, Rows: true}
	switch a.User.Role {
	case tradeplan.RoleReviewer:
		pg, err := svc.PlanPage(ctx, a, oldest)
		if err != nil {
			return nil, err
		}
		for _, p := range pg.Plans {
			if n := pg.Rows[p.ID].Pending(); n > 0 {
				v.Waiting = append(v.Waiting, planWork{Plan: p, Org: orgLabel(names, p.Organisation), Pending: n})
			}
		}
	case tradeplan.RoleCompliance:
		oldest.Limit, oldest.Rows = workFindingPlans, false
		pg, err := svc.PlanPage(ctx, a, oldest)
		if err != nil {
			return nil, err
		}
		for _, rec := range pg.Plans {
			d, err := svc.Plan(ctx, a, rec.ID, 0)
			if err != nil {
				return nil, err
			}
			pw := planWork{Plan: rec, Org: orgLabel(names, rec.Organisation)}
			for _, l := range d.Lines {
				if l.Status != licensing.LinePending {
					continue
				}
				var open []licensing.FindingView
				for _, f := range l.Findings {
					if f.Outcome == tradeplan.Review && !decided(l, f.Key) {
						open = append(open, f)
					}
				}
				if len(open) > 0 {
					pw.Lines = append(pw.Lines, lineWork{Index: l.Index, Direction: l.Direction, Description: l.Description, Findings: open})
				}
			}
			if len(pw.Lines) > 0 {
				v.Findings = append(v.Findings, pw)
			}
		}
		cs, err := svc.Cases(ctx, a, licensing.CaseFilter{Status: licensing.CaseOpen})
		if err == nil {
			if len(cs) > 20 {
				cs = cs[:20]
			}
			v.Cases = cs
		} else if tradeplan.ErrorCode(err) != tradeplan.EForbidden && tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return nil, err
		}
	case tradeplan.RoleSubmitter, tradeplan.RoleAdmin:
		own := licensing.PlanQuery{Org: a.User.OrgID, Limit: 200, Rows: true}
		pg, err := svc.PlanPage(ctx, a, own)
		if err != nil {
			return nil, err
		}
		answered := map[int64]*tradeplan.PlanRecord{}
		for i, p := range pg.Plans {
			answered[p.CallID] = &pg.Plans[i]
			switch p.Status {
			case tradeplan.PlanDraft:
				v.Drafts = append(v.Drafts, p)
			case tradeplan.PlanDecided:
				if len(v.Decided) < 10 {
					// Pending counts the approved lines here.
					v.Decided = append(v.Decided, planWork{Plan: p, Org: orgLabel(names, p.Organisation), Pending: pg.Rows[p.ID].Approved})
				}
			}
		}
		for _, c := range calls {
			if c.Status != licensing.CallOpen || !u.callAsks(ctx, c.Call, a) {
				continue
			}
			v.Reminders = append(v.Reminders, reminder{Call: c, DaysLeft: daysBetween(now, c.Deadline), Plan: answered[c.ID]})
		}
		sort.Slice(v.Reminders, func(i, j int) bool { return v.Reminders[i].Call.Deadline.Before(v.Reminders[j].Call.Deadline) })
		if a.User.Role == tradeplan.RoleAdmin {
			cs, err := svc.Crossings(ctx, a)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				v.Crossings = append(v.Crossings, ageRow{Name: c.ID, What: c.Name, Status: string(c.Status), Since: c.Since, Days: daysBetween(c.Since, now)})
			}
			if u.s.store != nil {
				ds, err := u.s.store.Datasets(ctx)
				if err != nil {
					return nil, err
				}
				for _, d := range ds {
					v.Lists = append(v.Lists, ageRow{Name: d.Kind + "/" + d.Name, What: d.Version, Since: d.ImportedAt, Days: daysBetween(d.ImportedAt, now)})
				}
			}
		}
	}
	return v, nil
}

// decided reports whether a compliance decision on the finding key stands
// on the line.
func decided(l licensing.LineView, key string) bool {
	for _, c := range l.Compliance {
		if c.Finding == key {
			return true
		}
	}
	return false
}

// callAsks reports whether the call asks the actor's organisation for a
// plan: it names it (or, with offices included, an organisation above it),
// or names none.
func (u *ui) callAsks(ctx context.Context, c tradeplan.Call, a tradeplan.Actor) bool {
	if len(c.Organisations) == 0 {
		return true
	}
	for _, o := range c.Organisations {
		if o == a.User.OrgID {
			return true
		}
		if c.IncludeOffices && u.s.store != nil {
			if in, err := u.s.store.InSubtree(ctx, o, a.User.OrgID); err == nil && in {
				return true
			}
		}
	}
	return false
}

// workPage is the first page after sign-in: the worklist, then public
// screening.
func (u *ui) workHome(w http.ResponseWriter, r *http.Request, q *uiReq) (*workView, error) {
	if !q.signed {
		return nil, nil
	}
	return u.worklist(r.Context(), q.actor)
}
