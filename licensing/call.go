package licensing

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Call statuses.
const (
	CallOpen   = "open"   // before its deadline and not closed by hand
	CallClosed = "closed" // past its deadline, or closed by hand
)

// CallStatus is whether c takes plans at now.
func CallStatus(c tradeplan.Call, now time.Time) string {
	if c.ClosedAt != nil && !now.Before(*c.ClosedAt) {
		return CallClosed
	}
	if !now.Before(c.Deadline) {
		return CallClosed
	}
	return CallOpen
}

// AcceptsPlans returns nil when an organisation may create, edit, submit or
// amend a plan for c at now: the call is open, or it allows late plans and
// was not closed by hand. late says the submission comes after the deadline.
func AcceptsPlans(c tradeplan.Call, now time.Time) (late bool, err error) {
	if c.ClosedAt != nil && !now.Before(*c.ClosedAt) {
		return false, tradeplan.Errorf(tradeplan.EConflict, "call %d was closed on %s", c.ID, c.ClosedAt.UTC().Format(time.RFC3339))
	}
	if now.Before(c.Deadline) {
		return false, nil
	}
	if c.AllowLate {
		return true, nil
	}
	return true, tradeplan.Errorf(tradeplan.EConflict, "call %d for %s closed at its deadline %s; it does not take late plans",
		c.ID, c.Period, c.Deadline.UTC().Format(time.RFC3339))
}

// ParseDeadline reads a deadline: an RFC 3339 instant, or a date meaning
// the end of that day (UTC), when plans stop being taken.
func ParseDeadline(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, tradeplan.Errorf(tradeplan.EInvalid, "deadline: want a date YYYY-MM-DD or an RFC 3339 time, got %q", s)
	}
	return d.AddDate(0, 0, 1), nil
}

// ValidateCall checks a new call's fields, all problems at once.
func ValidateCall(c tradeplan.Call, now time.Time) error {
	var ps tradeplan.Problems
	if strings.TrimSpace(c.Period) == "" || c.From.IsZero() || c.To.IsZero() {
		ps.Add(tradeplan.Position{Path: "period"}, "", "is required: a label such as 2027-H1 with its first and last day")
	} else if c.To.Before(c.From) {
		ps.Add(tradeplan.Position{Path: "period"}, "", "ends (%s) before it starts (%s)", c.To.Format(time.DateOnly), c.From.Format(time.DateOnly))
	}
	if c.Deadline.IsZero() {
		ps.Add(tradeplan.Position{Path: "deadline"}, "", "is required")
	} else if !c.Deadline.After(now) {
		ps.Add(tradeplan.Position{Path: "deadline"}, "", "must be in the future; got %s", c.Deadline.UTC().Format(time.RFC3339))
	}
	seen := map[int64]bool{}
	for i, o := range c.Organisations {
		if o <= 0 {
			ps.Add(tradeplan.Position{Path: "organisations[" + itoa(i) + "]"}, "", "must be an organisation id; got %d", o)
		} else if seen[o] {
			ps.Add(tradeplan.Position{Path: "organisations[" + itoa(i) + "]"}, "", "organisation %d is listed twice", o)
		}
		seen[o] = true
	}
	return ps.Err("call")
}

// Submission is where one organisation stands in a call.
type Submission struct {
	Organisation int64      `json:"organisation"`
	Required     bool       `json:"required"` // named by the call
	Plan         int64      `json:"plan,omitempty"`
	Status       string     `json:"status"` // none, draft, submitted, decided
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
	Late         bool       `json:"late"` // submitted after the deadline, or not submitted by it
}

// Standing is who has submitted to a call and who is late.
type Standing struct {
	Status      string       `json:"status"` // open or closed
	Submissions []Submission `json:"submissions"`
	Submitted   int          `json:"submitted"`
	Late        int          `json:"late"`    // submitted late or missing after the deadline
	Missing     int          `json:"missing"` // required organisations with nothing submitted
}

// CallStanding works out who has submitted to c, from its plans, at now.
func CallStanding(c tradeplan.Call, plans []tradeplan.PlanRecord, now time.Time) Standing {
	st := Standing{Status: CallStatus(c, now)}
	byOrg := map[int64]*Submission{}
	var order []int64
	get := func(org int64, required bool) *Submission {
		if s, ok := byOrg[org]; ok {
			s.Required = s.Required || required
			return s
		}
		s := &Submission{Organisation: org, Required: required, Status: "none"}
		byOrg[org] = s
		order = append(order, org)
		return s
	}
	for _, o := range c.Organisations {
		get(o, true)
	}
	rank := map[string]int{"none": 0, "draft": 1, "submitted": 2, "decided": 3}
	for _, p := range plans {
		if p.CallID != c.ID {
			continue
		}
		s := get(p.Organisation, false)
		if rank[string(p.Status)] < rank[s.Status] {
			continue
		}
		s.Plan, s.Status, s.SubmittedAt = p.ID, string(p.Status), p.SubmittedAt
		s.Late = p.Late
	}
	pastDeadline := !now.Before(c.Deadline)
	for _, org := range order {
		s := byOrg[org]
		submitted := s.Status == string(tradeplan.PlanSubmitted) || s.Status == string(tradeplan.PlanDecided)
		if submitted {
			st.Submitted++
		} else if s.Required {
			st.Missing++
			if pastDeadline {
				s.Late = true
			}
		}
		if s.Late {
			st.Late++
		}
		st.Submissions = append(st.Submissions, *s)
	}
	sort.SliceStable(st.Submissions, func(i, j int) bool { return st.Submissions[i].Organisation < st.Submissions[j].Organisation })
	return st
}

// GoodsTotal sums the lines of submitted plans for one kind of goods.
type GoodsTotal struct {
	Direction tradeplan.Direction `json:"direction"`
	HS        string              `json:"hs"` // the code screened under; "" when none was found
	Unit      string              `json:"unit"`
	Currency  string              `json:"currency"`
	Lines     int                 `json:"lines"`
	Quantity  tradeplan.Decimal   `json:"quantity"`
	Value     tradeplan.Decimal   `json:"value"`
}

// CrossingTotal sums the lines of submitted plans through one crossing.
type CrossingTotal struct {
	Crossing  string              `json:"crossing"` // "" when lines name none
	Direction tradeplan.Direction `json:"direction"`
	Currency  string              `json:"currency"`
	Lines     int                 `json:"lines"`
	Value     tradeplan.Decimal   `json:"value"`
}

// Totals are the sums of a call's submitted plans.
type Totals struct {
	Goods     []GoodsTotal    `json:"goods"`
	Crossings []CrossingTotal `json:"crossings"`
}

// CallTotals sums the current versions of submitted plans by goods (HS code
// and unit) and by crossing. Quantities in different units and values in
// different currencies are never added together.
func CallTotals(versions []tradeplan.PlanVersion) Totals {
	type gk struct {
		dir                tradeplan.Direction
		hs, unit, currency string
	}
	type ck struct {
		crossing, currency string
		dir                tradeplan.Direction
	}
	goods := map[gk]*GoodsTotal{}
	cross := map[ck]*CrossingTotal{}
	for _, v := range versions {
		for i, l := range v.Plan.Lines {
			hs := l.HS
			if v.Report != nil && i < len(v.Report.Lines) && v.Report.Lines[i].HS.Code != "" {
				hs = v.Report.Lines[i].HS.Code
			}
			k := gk{l.Direction, hs, l.Unit, l.Currency}
			g := goods[k]
			if g == nil {
				g = &GoodsTotal{Direction: l.Direction, HS: hs, Unit: l.Unit, Currency: l.Currency}
				goods[k] = g
			}
			g.Lines++
			g.Quantity = g.Quantity.Add(l.Quantity)
			g.Value = g.Value.Add(l.Value)
			c := ck{CrossingSlug(l.Crossing), l.Currency, l.Direction}
			ct := cross[c]
			if ct == nil {
				ct = &CrossingTotal{Crossing: c.crossing, Direction: l.Direction, Currency: l.Currency}
				cross[c] = ct
			}
			ct.Lines++
			ct.Value = ct.Value.Add(l.Value)
		}
	}
	t := Totals{Goods: []GoodsTotal{}, Crossings: []CrossingTotal{}} // [] not null in JSON
	for _, g := range goods {
		t.Goods = append(t.Goods, *g)
	}
	for _, c := range cross {
		t.Crossings = append(t.Crossings, *c)
	}
	sort.Slice(t.Goods, func(i, j int) bool {
		a, b := t.Goods[i], t.Goods[j]
		if a.Direction != b.Direction {
			return a.Direction < b.Direction
		}
		if a.HS != b.HS {
			return a.HS < b.HS
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		return a.Currency < b.Currency
	})
	sort.Slice(t.Crossings, func(i, j int) bool {
		a, b := t.Crossings[i], t.Crossings[j]
		if a.Crossing != b.Crossing {
			return a.Crossing < b.Crossing
		}
		if a.Direction != b.Direction {
			return a.Direction < b.Direction
		}
		return a.Currency < b.Currency
	})
	return t
}

func itoa(i int) string { return strconv.Itoa(i) }

// EntryItem is one import line of a submitted plan in the order imports
// should enter: what the call asks authorities to decide first.
type EntryItem struct {
	Rank         int                 `json:"rank"`
	Plan         int64               `json:"plan"`
	Organisation int64               `json:"organisation"`
	Line         int                 `json:"line"`
	Description  string              `json:"description"`
	HS           string              `json:"hs"`
	Quantity     tradeplan.Decimal   `json:"quantity"`
	Unit         string              `json:"unit"`
	Value        tradeplan.Decimal   `json:"value"`
	Currency     string              `json:"currency"`
	Crossing     string              `json:"crossing"`
	Necessity    tradeplan.Necessity `json:"necessity"`
	Purpose      string              `json:"purpose,omitempty"`
	Verdict      tradeplan.Verdict   `json:"verdict"`
	Status       string              `json:"status"` // pending, approved, refused
}

var necessityRank = map[tradeplan.Necessity]int{tradeplan.Critical: 0, tradeplan.Essential: 1, tradeplan.Useful: 2}

func rankOf(n tradeplan.Necessity) int {
	if r, ok := necessityRank[n]; ok {
		return r
	}
	return 3 // not stated
}

// EntryOrder ranks import lines for entry: prohibited and refused lines
// never enter and are left out; the rest by necessity (critical, essential,
// useful, not stated), approved before pending, clear before capped before
// review, then by value, largest first. Ties keep their input order.
func EntryOrder(items []EntryItem) []EntryItem {
	keep := make([]int, 0, len(items))
	for i, it := range items {
		if it.Verdict == tradeplan.Prohibited || it.Status == LineRefused {
			continue
		}
		keep = append(keep, i)
	}
	if len(keep) == 0 {
		return nil
	}
	entryOrderIndex(items, keep)
	out := make([]EntryItem, len(keep))
	for r, i := range keep {
		out[r] = items[i]
		out[r].Rank = r + 1
	}
	return out
}

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
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		now := s.now()
		for _, c := range cs {
			if !pr.seesCall(c) {
				continue
			}
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
	// Feasibility totals the export lines: asked, lawful and feasible
	// (sites_assess.go); not shown to submitters.
	Feasibility *CallFeasibility `json:"feasibility,omitempty"`
	// Imports is the ranking of the call's imports (CallImports), for the
	// authority that issued the call.
	Imports *ImportsView `json:"imports,omitempty"`
}

// Call reports on one call. Submissions and totals cover only the plans the
// reader may see.
func (s *Service) Call(ctx context.Context, a tradeplan.Actor, id int64) (CallReport, error) {
	return s.callReport(ctx, a, id, false)
}

// callReport is Call; standingOnly leaves out everything but the call and
// its standing.
func (s *Service) callReport(ctx context.Context, a tradeplan.Actor, id int64, standingOnly bool) (CallReport, error) {
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
		if !pr.seesCall(c) {
			return errCallNotFound(id)
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
		wantParts := a.IsSystem() || a.User.Role != tradeplan.RoleSubmitter
		// (A store without the ranking's inputs, as a test's, reports without it.)
		_, ranks := tx.(ImportsTx)
		wantImports := ranks && pr.governs(c.Issuer, c.Issuer) && Authorize(pr, ActReadImports, Target{}) == nil
		if standingOnly || !wantParts && !wantImports {
			return nil
		}
		// The stamp first: what is read after it is at least as new.
		stamp, err := callStamp(ctx, tx, id)
		if err != nil {
			return err
		}
		kept := s.reports.get(id, stamp)
		keys := submittedKeys(plans)
		pass := newCallPass(c)
		pass.kept = &s.parts
		if wantParts {
			if kept.parts == nil || !sameKeys(kept.plans, keys) {
				parts, err := pass.parts(ctx, tx, plans)
				if err != nil {
					return err
				}
				kept.parts, kept.plans = &parts, keys
			}
			r.Totals, r.ImportsFirst, r.Feasibility = kept.parts.Totals, kept.parts.ImportsFirst, kept.parts.Feasibility
		}
		if wantImports {
			if kept.imports == nil {
				iv, err := s.callImports(ctx, tx, c, pass)
				if err != nil {
					return err
				}
				kept.imports = &iv
			}
			r.Imports = kept.imports
		}
		if err := pass.keep(ctx, tx); err != nil {
			return err
		}
		s.reports.put(id, kept)
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
