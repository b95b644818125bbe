package licensing

import (
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
	var t Totals
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
	var out []EntryItem
	for _, it := range items {
		if it.Verdict == tradeplan.Prohibited || it.Status == LineRefused {
			continue
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := rankOf(a.Necessity), rankOf(b.Necessity); ra != rb {
			return ra < rb
		}
		if (a.Status == LineApproved) != (b.Status == LineApproved) {
			return a.Status == LineApproved
		}
		if a.Verdict != b.Verdict {
			return a.Verdict < b.Verdict
		}
		return a.Value.Cmp(b.Value) > 0
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}
