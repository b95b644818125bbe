// Package licensingtest holds the property test of the licence decision,
// for the tests of package licensing's stores: a World of lists and rules
// that change as the test goes, and Run, random sequences of the workflow
// checked against it.
package licensingtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// World is the lists and rules of the property test, changed as the test
// goes (list updates): Screen reads them as they are now.
type World struct {
	mu     sync.Mutex
	listed map[string]bool // partner names listed: a strong match, prohibited
}

func (w *World) isListed(name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.listed[name]
}

func (w *World) List(name string) {
	w.mu.Lock()
	w.listed[name] = true
	w.mu.Unlock()
}

// Cap is the cap of the World on HS 2710 into KP, per calendar year.
var Cap = tradeplan.DecimalInt(500) // bbl of HS 2710 into KP per calendar year

// Screen is the world's rules: seafood exports banned; almonds (0802)
// exports banned from 2027-10-01; porcelain (6911) over 100 a piece
// banned; refined petroleum (2710) imports capped per calendar year, on top
// of usage; a listed partner is a strong match; a partner "Maybe Co" with a
// country is a possible match, decided per country.
func (w *World) Screen(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
	r := tradeplan.PlanReport{ID: p.ID, AsOf: asOf.Format(time.DateOnly)}
	used := map[int]tradeplan.Decimal{}
	for i, l := range p.Lines {
		lr := tradeplan.LineReport{Index: i + 1, Description: l.Description, Quantity: l.Quantity, Unit: l.Unit, Partner: l.Partner,
			HS: tradeplan.HSAssignment{Code: l.HS, Source: "declared"}, Findings: []tradeplan.Finding{}}
		goods := func(out tradeplan.Verdict, rule, summary string) {
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: out, Summary: summary,
				Basis: &tradeplan.Basis{Rule: rule, Citation: rule}})
		}
		switch {
		case l.Direction == tradeplan.Export && strings.HasPrefix(l.HS, "03"):
			goods(tradeplan.Prohibited, "seafood", "seafood from KP")
		case l.Direction == tradeplan.Export && strings.HasPrefix(l.HS, "0802") && !asOf.Before(Day("2027-10-01")):
			goods(tradeplan.Prohibited, "almonds", "almonds from KP from 2027-10-01")
		case l.Direction == tradeplan.Import && strings.HasPrefix(l.HS, "6911") && l.Quantity.Sign() > 0 && l.Value.Cmp(l.Quantity.Mul(tradeplan.DecimalInt(100))) > 0:
			goods(tradeplan.Prohibited, "luxury", "porcelain over 100 a piece")
		case l.Direction == tradeplan.Import && strings.HasPrefix(l.HS, "2710"):
			y := asOf.Year()
			if _, ok := used[y]; !ok && usage != nil {
				u, err := usage.CapUsed(ctx, "refined", Day(fmt.Sprintf("%d-01-01", y)), Day(fmt.Sprintf("%d-12-31", y)))
				if err != nil {
					return r, err
				}
				used[y] = u
			}
			c := &tradeplan.CapUse{Cap: "refined", From: Day(fmt.Sprintf("%d-01-01", y)), To: Day(fmt.Sprintf("%d-12-31", y)),
				Limit: Cap, Unit: "bbl", Used: used[y]}
			if l.Unit == "bbl" {
				c.Quantity = l.Quantity
			}
			out := tradeplan.Capped
			if after := used[y].Add(c.Quantity); after.Cmp(Cap) > 0 {
				c.Excess, out = after.Sub(Cap), tradeplan.Prohibited
			} else if c.Quantity.IsZero() {
				out = tradeplan.Review
			}
			used[y] = used[y].Add(c.Quantity)
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: out, Summary: "refined petroleum cap",
				Cap: c, Basis: &tradeplan.Basis{Rule: "refined", Citation: "refined"}})
		}
		if pt := l.Partner; pt != nil {
			switch {
			case w.isListed(pt.Name):
				lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: tradeplan.KindParty, Outcome: tradeplan.Prohibited, Summary: "listed " + pt.Name,
					Match: &tradeplan.Match{List: "un", EntryID: "E-" + pt.Name, Query: strings.ToLower(pt.Name), EntryVersion: "v1", Score: 0.99, Strength: "strong"}})
			case pt.Name == "Maybe Co":
				score := 0.85
				if pt.Country == "KP" {
					score = 0.9
				}
				lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: tradeplan.KindParty, Outcome: tradeplan.Review, Summary: "possible match Maybe Co",
					Match: &tradeplan.Match{List: "un", EntryID: "E-maybe", Query: "maybe co", EntryVersion: "v1", Score: score, Strength: "possible"}})
			}
		}
		for _, f := range lr.Findings {
			lr.Verdict = lr.Verdict.Stricter(f.Outcome)
		}
		r.Summary.Add(lr.Verdict)
		r.Lines = append(r.Lines, lr)
	}
	return r, nil
}

// Actors are who acts in a Run: an administrator and a reviewer and
// compliance officer over both submitting organisations, and one submitter
// of each.
type Actors struct {
	Admin, Reviewer, Compliance tradeplan.Actor
	Submitters                  [2]tradeplan.Actor
}

// NewWorld returns a World with nothing listed.
func NewWorld() *World { return &World{listed: map[string]bool{}} }

// Day parses a day.
func Day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Run is the property of the licence decision: random sequences of
// submissions, amendments, compliance decisions, list updates, approvals
// (full, reduced, bulk) and the passing of days, checking after each step
// that every permit it issued is for goods and parties that the World's
// lists and rules of that moment allow on every day of its validity, and
// that no cap window is exceeded by the permits whose validity overlaps it.
// svc screens with w.Screen; advance moves its clock, which starts on
// 2027-05-01. It returns how many permits were issued.
func Run(t testing.TB, svc *licensing.Service, w *World, advance func(time.Duration), as Actors, seed uint64, steps int) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2397))
	ctx := context.Background()
	admin, reviewer, compliance := as.Admin, as.Reviewer, as.Compliance
	var calls []tradeplan.Call
	for _, c := range []tradeplan.Call{
		{Period: "2027-H2", From: Day("2027-07-01"), To: Day("2027-12-31"), Deadline: Day("2027-09-30")},
		{Period: "2027-10-01/2028-03-31", From: Day("2027-10-01"), To: Day("2028-03-31"), Deadline: Day("2027-09-30")},
	} {
		c.Guidance = "plans"
		oc, err := svc.OpenCall(ctx, admin, c)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, oc)
	}
	submitters := as.Submitters[:]
	partners := []*tradeplan.Party{nil, {Name: "Good Co", Country: "CN"}, {Name: "Maybe Co", Country: "CN"}, {Name: "Maybe Co", Country: "KP"}, {Name: "Later Co", Country: "SG"}}
	randLine := func() tradeplan.Line {
		l := tradeplan.Line{Crossing: "namyang-tumen", Currency: "USD", Partner: partners[rng.IntN(len(partners))]}
		switch rng.IntN(5) {
		case 0:
			l.Direction, l.Description, l.HS, l.Destination, l.Unit = tradeplan.Export, "salted pollack", "030569", "CN", "t"
		case 1:
			l.Direction, l.Description, l.HS, l.Destination, l.Unit = tradeplan.Export, "almonds", "080211", "CN", "t"
		case 2:
			l.Direction, l.Description, l.HS, l.Origin, l.Unit = tradeplan.Import, "porcelain", "691110", "CN", "pcs"
		case 3:
			l.Direction, l.Description, l.HS, l.Origin, l.Unit = tradeplan.Import, "diesel", "271019", "CN", []string{"bbl", "bbl", "pcs"}[rng.IntN(3)]
		default:
			l.Direction, l.Description, l.HS, l.Origin, l.Unit = tradeplan.Import, "rice", "100630", "CN", "t"
		}
		l.Quantity = tradeplan.DecimalInt(int64(1 + rng.IntN(300)))
		l.Value = l.Quantity.Mul(tradeplan.DecimalInt(int64(1 + rng.IntN(150))))
		return l
	}
	randPlan := func() *tradeplan.Plan {
		p := &tradeplan.Plan{Country: "KP"}
		for range 1 + rng.IntN(4) {
			p.Lines = append(p.Lines, randLine())
		}
		return p
	}
	var plans []int64
	randPlanID := func() int64 {
		if len(plans) == 0 {
			return 0
		}
		return plans[rng.IntN(len(plans))]
	}
	issued := map[int64]bool{}
	for step := range steps {
		var what string
		switch op := rng.IntN(12); op {
		case 0, 1:
			what = "submit"
			if rec, err := svc.ImportPlan(ctx, submitters[rng.IntN(2)], calls[rng.IntN(2)].ID, 0, randPlan()); err == nil {
				plans = append(plans, rec.ID)
			}
		case 2:
			what = "amend"
			if id := randPlanID(); id != 0 {
				d, err := svc.Plan(ctx, reviewer, id, 0)
				if err != nil {
					t.Fatal(err)
				}
				p := randPlan()
				for _, s := range submitters {
					if s.User.OrgID == d.Plan.Organisation {
						_, _ = svc.AmendPlan(ctx, s, id, p, "changed")
					}
				}
			}
		case 3:
			what = "decide"
			if id := randPlanID(); id != 0 {
				d, _ := svc.Plan(ctx, reviewer, id, 0)
				for _, l := range d.Lines {
					for _, f := range l.Findings {
						if f.Outcome == tradeplan.Review {
							_, _ = svc.DecideFindingWith(ctx, compliance, id, l.Index, licensing.ComplianceInput{Finding: f.Key, Decision: tradeplan.ComplianceCleared, Reason: "checked", Evidence: "documents"})
						}
					}
				}
			}
		case 4:
			what = "list"
			w.List([]string{"Later Co", "Good Co"}[rng.IntN(2)])
		case 5, 6, 10, 11:
			what = "approve"
			if id := randPlanID(); id != 0 {
				d, _ := svc.Plan(ctx, reviewer, id, 0)
				if len(d.Lines) > 0 {
					l := d.Lines[rng.IntN(len(d.Lines))]
					ap := licensing.Approval{Reason: "ok"}
					if rng.IntN(2) == 0 {
						q := tradeplan.DecimalInt(int64(max(1, rng.IntN(int(l.Quantity.Float64())+1))))
						ap.Quantity = &q
					}
					_, _, _ = svc.ApproveLine(ctx, reviewer, id, l.Index, ap)
				}
			}
		case 7:
			what = "approve-clear"
			if id := randPlanID(); id != 0 {
				_, _ = svc.ApproveClear(ctx, reviewer, id, "clear")
			}
		default:
			what = "days pass"
			advance(time.Duration(rng.IntN(40)) * 24 * time.Hour)
		}
		// The oracle: what this step issued, judged by the world now.
		ps, err := svc.Permits(ctx, admin, licensing.PermitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if issued[p.ID] {
				continue
			}
			issued[p.ID] = true
			for d := p.ValidFrom; !d.After(p.ValidTo); d = d.AddDate(0, 0, 1) {
				l := tradeplan.Line{Direction: p.Direction, Description: p.Description, HS: p.HS, Origin: p.Origin, Destination: p.Destination,
					Quantity: p.Quantity, Unit: p.Unit, Value: p.Value, Currency: p.Currency, Partner: p.Partner}
				r, err := w.Screen(ctx, &tradeplan.Plan{Lines: []tradeplan.Line{l}}, d, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range r.Lines[0].Findings {
					if f.Outcome == tradeplan.Prohibited || (f.Cap != nil && f.Cap.Quantity.IsZero()) {
						t.Fatalf("step %d (%s): permit %s (%s %v %s, valid %s to %s) is for what is banned on %s: %s",
							step, what, p.Number, p.Description, p.Quantity, p.Unit, p.ValidFrom.Format(time.DateOnly), p.ValidTo.Format(time.DateOnly), d.Format(time.DateOnly), f.Summary)
					}
				}
			}
		}
		for _, y := range []int{2027, 2028} {
			var total tradeplan.Decimal
			for _, p := range ps {
				if strings.HasPrefix(p.HS, "2710") && p.ValidFrom.Year() <= y && p.ValidTo.Year() >= y &&
					(p.Status == tradeplan.PermitIssued || p.Status == tradeplan.PermitSuspended) {
					total = total.Add(p.Quantity)
				}
			}
			if total.Cmp(Cap) > 0 {
				t.Fatalf("step %d (%s): %v bbl of permits valid in %d, cap %v", step, what, total, y, Cap)
			}
		}
	}
	return len(issued)
}
