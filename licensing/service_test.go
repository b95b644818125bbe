package licensing

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// fakeScreen stands in for package screen: seafood (ch. 03, 16) and
// mushrooms and herbs (ch. 07, 12) out of the DPRK are prohibited; refined
// petroleum (2710) into it draws on a 500,000 bbl cap counted on top of
// usage; a line naming partner "Korea Mining" needs review.
func fakeScreen(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
	const capID = "un-dprk/refined-petroleum"
	from, to := day("2027-01-01"), day("2027-12-31")
	var used tradeplan.Decimal
	if usage != nil {
		u, err := usage.CapUsed(ctx, capID, from, to)
		if err != nil {
			return tradeplan.PlanReport{}, err
		}
		used = u
	}
	r := tradeplan.PlanReport{ID: p.ID, AsOf: asOf.Format(time.DateOnly)}
	for i, l := range p.Lines {
		lr := tradeplan.LineReport{Index: i + 1, Description: l.Description, Quantity: l.Quantity, Unit: l.Unit,
			HS: tradeplan.HSAssignment{Code: l.HS, Source: "declared"}, Findings: []tradeplan.Finding{}}
		ch := ""
		if len(l.HS) >= 2 {
			ch = l.HS[:2]
		}
		switch {
		case l.Direction == tradeplan.Export && (ch == "03" || ch == "16"):
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: "goods", Outcome: tradeplan.Prohibited, Summary: "seafood may not be supplied from the DPRK", Basis: &tradeplan.Basis{Rule: "un-dprk/2371-op9", Citation: "UNSCR 2371 (2017) OP9"}})
		case l.Direction == tradeplan.Export && (ch == "07" || ch == "12"):
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: "goods", Outcome: tradeplan.Prohibited, Summary: "food and agricultural products may not be supplied from the DPRK", Basis: &tradeplan.Basis{Rule: "un-dprk/2397-op6", Citation: "UNSCR 2397 (2017) OP6"}})
		case l.Direction == tradeplan.Import && strings.HasPrefix(l.HS, "2710"):
			c := &tradeplan.CapUse{Cap: capID, From: from, To: to, Limit: tradeplan.D(500000), Unit: "bbl", Quantity: l.Quantity, Used: used}
			out := tradeplan.Capped
			if after := used.Add(l.Quantity); after.Cmp(c.Limit) > 0 {
				c.Excess = after.Sub(c.Limit)
				out = tradeplan.Prohibited
			}
			c.Remaining = tradeplan.MaxDecimal(c.Limit.Sub(used).Sub(l.Quantity), tradeplan.Decimal{})
			used = used.Add(l.Quantity)
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: "goods", Outcome: out, Summary: "refined petroleum products within the annual cap", Cap: c, Basis: &tradeplan.Basis{Rule: "un-dprk/2397-op5", Citation: "UNSCR 2397 (2017) OP5"}})
		}
		if l.Partner != nil && l.Partner.Name == "Korea Mining" {
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: "party", Outcome: tradeplan.Review, Summary: "possible match", Match: &tradeplan.Match{List: "un", EntryID: "KPe.001", Query: "korea mining", EntryVersion: "v1", Strength: "possible"}})
		}
		for _, f := range lr.Findings {
			lr.Verdict = lr.Verdict.Stricter(f.Outcome)
		}
		r.Summary.Add(lr.Verdict)
		r.Lines = append(r.Lines, lr)
	}
	return r, nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func actor(id, org int64, role tradeplan.Role, subtree ...int64) tradeplan.Actor {
	return tradeplan.Actor{User: tradeplan.User{ID: id, OrgID: org, Role: role, Email: string(role) + "@example.org"},
		Org: tradeplan.Organisation{ID: org}, Via: "token", Subtree: append([]int64{org}, subtree...)}
}

// The organisation tree of the tests: 1 the authority, 2 the province
// (under 1), 3 another province (under 1).
var (
	admin      = actor(1, 1, tradeplan.RoleAdmin, 2, 3)
	reviewer   = actor(2, 1, tradeplan.RoleReviewer, 2, 3)
	compliance = actor(3, 1, tradeplan.RoleCompliance, 2, 3)
	province   = actor(4, 2, tradeplan.RoleSubmitter)
	other      = actor(5, 3, tradeplan.RoleSubmitter)
	provRev    = actor(6, 2, tradeplan.RoleReviewer)
)

func seafoodPlan() *tradeplan.Plan {
	imp := func(desc, hs string, q float64, unit string) tradeplan.Line {
		return tradeplan.Line{Direction: tradeplan.Import, Description: desc, HS: hs, Origin: "CN", Destination: "KP",
			Quantity: tradeplan.D(q), Unit: unit, Value: tradeplan.D(q * 3), Currency: "CNY", Crossing: "namyang-tumen"}
	}
	exp := func(desc, hs string, q float64) tradeplan.Line {
		return tradeplan.Line{Direction: tradeplan.Export, Description: desc, HS: hs, Origin: "KP", Destination: "CN",
			Quantity: tradeplan.D(q), Unit: "t", Value: tradeplan.D(q * 1000), Currency: "CNY", Crossing: "namyang-tumen"}
	}
	return &tradeplan.Plan{Organisation: "North Hamgyong Province", Country: "KP", Lines: []tradeplan.Line{
		exp("Salted pollack", "030569", 120),
		exp("Packaged crab meat", "160510", 30),
		exp("Dried pine mushrooms", "071239", 8),
		exp("Medicinal herbs", "121190", 15),
		imp("Wheat flour", "110100", 2000, "t"),
		imp("Diesel fuel", "271019", 60000, "bbl"),
		imp("Rice", "100630", 3000, "t"),
	}}
}

type fixture struct {
	t     *testing.T
	ctx   context.Context
	svc   *Service
	store *memStore
	clk   *clock
	call  tradeplan.Call
}

// testOrgs is the organisation tree of the tests.
var testOrgs = []tradeplan.Organisation{
	{ID: 1, Name: "authority", Kind: tradeplan.OrgAuthority, Country: "KP"},
	{ID: 2, ParentID: 1, Name: "province", Kind: tradeplan.OrgProvince, Country: "KP"},
	{ID: 3, ParentID: 1, Name: "other province", Kind: tradeplan.OrgProvince, Country: "KP"},
}

func newFixture(t *testing.T, mod func(c *tradeplan.Call)) *fixture {
	f := &fixture{t: t, ctx: context.Background(), store: newMemStore(), clk: &clock{t: day("2026-12-01")}}
	for _, o := range testOrgs {
		f.store.st.orgs[o.ID] = o
	}
	f.svc = NewService(Config{Store: f.store, Screen: fakeScreen, Clock: f.clk.now})
	c := tradeplan.Call{Period: "2027-H1", From: day("2027-01-01"), To: day("2027-06-30"), Deadline: day("2027-01-01"),
		Guidance: "realistic exports and absolutely necessary imports", Organisations: []int64{2, 3}, ForbidOwnReview: true}
	if mod != nil {
		mod(&c)
	}
	var err error
	if f.call, err = f.svc.OpenCall(f.ctx, admin, c); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddCrossing(f.ctx, admin, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen bridge", Kind: "bridge", Countries: []string{"KP", "CN"}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if tradeplan.ErrorCode(err) != code {
		t.Fatalf("err %v, want %s", err, code)
	}
}

func TestStory(t *testing.T) {
	f := newFixture(t, nil)
	ctx := f.ctx
	rec, err := f.svc.CreatePlan(ctx, province, PlanInput{CallID: f.call.ID, Plan: seafoodPlan()})
	f.must(err)
	if rec.Status != tradeplan.PlanDraft || rec.Organisation != 2 {
		t.Fatalf("created %+v", rec)
	}
	// Standing before submission: the province has a draft, the other province nothing.
	rep, err := f.svc.Call(ctx, admin, f.call.ID)
	f.must(err)
	if rep.Standing.Submitted != 0 || rep.Standing.Missing != 2 {
		t.Fatalf("standing %+v", rep.Standing)
	}
	rec, err = f.svc.SubmitPlan(ctx, province, rec.ID)
	f.must(err)
	if rec.Status != tradeplan.PlanSubmitted || rec.Late {
		t.Fatalf("submitted %+v", rec)
	}
	// Another organisation's submitter does not see it.
	_, err = f.svc.Plan(ctx, other, rec.ID, 0)
	wantCode(t, err, tradeplan.ENotFound)
	_, err = f.svc.AmendPlan(ctx, other, rec.ID, seafoodPlan(), "x")
	wantCode(t, err, tradeplan.ENotFound)

	// Approving a prohibited line: conflict carrying its findings.
	_, _, err = f.svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "foreign currency"})
	wantCode(t, err, tradeplan.EConflict)
	if fe, ok := AsFindings(err); !ok || fe.Findings[0].Citation() != "UNSCR 2371 (2017) OP9" {
		t.Fatalf("no findings with the conflict: %v", err)
	}
	// A reviewer of the province itself may not decide where the call forbids it.
	_, _, err = f.svc.ApproveLine(ctx, provRev, rec.ID, 5, Approval{Reason: "x"})
	wantCode(t, err, tradeplan.EForbidden)
	// A submitter may not decide at all.
	_, err = f.svc.RefuseLine(ctx, province, rec.ID, 1, "x")
	wantCode(t, err, tradeplan.EForbidden)

	refused, err := f.svc.RefuseProhibited(ctx, reviewer, rec.ID, "")
	f.must(err)
	if len(refused.Decisions) != 4 {
		t.Fatalf("refused %d lines, want the 4 exports", len(refused.Decisions))
	}
	for _, d := range refused.Decisions {
		if len(d.Citations) == 0 || !strings.Contains(d.Reason, "UNSCR") {
			t.Fatalf("refusal without citation: %+v", d)
		}
	}
	bulk, err := f.svc.ApproveClear(ctx, reviewer, rec.ID, "necessary imports")
	f.must(err)
	if len(bulk.Permits) != 2 { // flour and rice; diesel is capped and decided alone
		t.Fatalf("bulk approved %d, want 2", len(bulk.Permits))
	}
	d, diesel, err := f.svc.ApproveLine(ctx, reviewer, rec.ID, 6, Approval{Quantity: fp(50000), Reason: "power for the fishing bases"})
	f.must(err)
	if !d.Reduced || diesel.Quantity.Cmp(tradeplan.D(50000)) != 0 || len(diesel.Caps) != 1 || diesel.Caps[0].Quantity.Cmp(tradeplan.D(50000)) != 0 {
		t.Fatalf("diesel %+v %+v", d, diesel)
	}
	if used, _ := f.svc.CapUsed(ctx, "un-dprk/refined-petroleum", day("2027-01-01"), day("2027-12-31")); used.Cmp(tradeplan.D(50000)) != 0 {
		t.Fatalf("cap used %v", used)
	}
	if _, err := ParsePermitNumber(diesel.Number); err != nil || !strings.HasPrefix(diesel.Number, "TP-2027H1-I-") {
		t.Fatalf("number %q: %v", diesel.Number, err)
	}
	pd, err := f.svc.Plan(ctx, province, rec.ID, 0)
	f.must(err)
	if pd.Plan.Status != tradeplan.PlanDecided {
		t.Fatalf("plan status %s", pd.Plan.Status)
	}

	// The border is closed: approved, not usable.
	f.clk.set(day("2027-02-01"))
	pv, err := f.svc.Permit(ctx, province, diesel.ID)
	f.must(err)
	if !pv.Approved || pv.BorderOpen || pv.Usable || !strings.Contains(pv.Reason, "closed") {
		t.Fatalf("closed border view %+v", pv)
	}
	_, err = f.svc.UsePermit(ctx, province, diesel.ID, UseInput{Quantity: tradeplan.D(1000), Value: tradeplan.D(10)})
	wantCode(t, err, tradeplan.EConflict)
	pd, err = f.svc.Plan(ctx, reviewer, rec.ID, 0)
	f.must(err)
	if b := pd.Lines[5].Permit; b == nil || !b.Approved || b.BorderOpen || b.Usable || !strings.Contains(b.Reason, "closed") {
		t.Fatalf("line's permit with the border closed %+v", pd.Lines[5].Permit)
	}
	_, err = f.svc.SetCrossing(ctx, admin, "namyang-tumen", tradeplan.CrossingOpen, "customs resumed")
	f.must(err)
	pd, err = f.svc.Plan(ctx, province, rec.ID, 0)
	f.must(err)
	if b := pd.Lines[5].Permit; b == nil || b.Number != diesel.Number || !b.Approved || !b.BorderOpen || !b.Usable {
		t.Fatalf("line's permit after opening %+v", pd.Lines[5].Permit)
	}
	if pd.Lines[0].Permit != nil {
		t.Fatal("a refused line shows a permit")
	}
	pv, err = f.svc.UsePermit(ctx, province, diesel.ID, UseInput{Quantity: tradeplan.D(1000), Value: tradeplan.D(10), Reference: "CD-1"})
	f.must(err)
	if pv.QuantityLeft.Cmp(tradeplan.D(49000)) != 0 || !pv.Usable || !pv.BorderOpen {
		t.Fatalf("after use %+v", pv)
	}
	_, err = f.svc.UsePermit(ctx, other, diesel.ID, UseInput{Quantity: tradeplan.D(1)})
	wantCode(t, err, tradeplan.ENotFound)
	_, err = f.svc.UsePermit(ctx, province, diesel.ID, UseInput{Quantity: tradeplan.D(49001)})
	wantCode(t, err, tradeplan.EConflict)

	// Revoking releases the unused part of the cap.
	_, err = f.svc.SetPermitStatus(ctx, admin, diesel.ID, tradeplan.PermitRevoked, "false end-user")
	f.must(err)
	if used, _ := f.svc.CapUsed(ctx, "un-dprk/refined-petroleum", day("2027-01-01"), day("2027-12-31")); used.Cmp(tradeplan.D(1000)) != 0 {
		t.Fatalf("cap after revocation %v", used)
	}
	_, err = f.svc.SetPermitStatus(ctx, admin, diesel.ID, tradeplan.PermitIssued, "oops")
	wantCode(t, err, tradeplan.EConflict)

	h, err := f.svc.Crossing(ctx, province, "namyang-tumen")
	f.must(err)
	if len(h.Events) != 2 || h.Events[1].Status != tradeplan.CrossingOpen {
		t.Fatalf("history %+v", h.Events)
	}
	log := strings.Join(f.store.auditLog(), "\n")
	for _, want := range []string{"call.open", "plan.create", "plan.submit", "line.refuse", "line.approve", "permit.issue", "crossing.open", "permit.use", "permit.revoke"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	// Totals and standing.
	rep, err = f.svc.Call(ctx, admin, f.call.ID)
	f.must(err)
	if rep.Standing.Submitted != 1 || rep.Standing.Missing != 1 || rep.Standing.Late != 1 || rep.Totals == nil || len(rep.Totals.Goods) != 7 {
		t.Fatalf("call report %+v", rep)
	}
	rep, err = f.svc.Call(ctx, other, f.call.ID)
	f.must(err)
	if rep.Totals != nil || len(rep.Standing.Submissions) != 1 || rep.Standing.Submissions[0].Organisation != 3 {
		t.Fatalf("a submitter sees others' standing: %+v", rep)
	}
}

func TestCapAcrossPlans(t *testing.T) {
	f := newFixture(t, nil)
	ctx := f.ctx
	diesel := func(q float64) *tradeplan.Plan {
		return &tradeplan.Plan{Lines: []tradeplan.Line{{Direction: tradeplan.Import, Description: "Diesel", HS: "271019",
			Quantity: tradeplan.D(q), Unit: "bbl", Value: tradeplan.D(q), Currency: "USD", Crossing: "namyang-tumen"}}}
	}
	a, err := f.svc.ImportPlan(ctx, province, f.call.ID, 0, diesel(300000))
	f.must(err)
	b, err := f.svc.ImportPlan(ctx, other, 0, 0, &tradeplan.Plan{Period: tradeplan.Period{Label: "2027-H1"}, Lines: diesel(300000).Lines})
	f.must(err)
	_, _, err = f.svc.ApproveLine(ctx, reviewer, a.ID, 1, Approval{Reason: "x"})
	f.must(err)
	// Screened when the cap was empty; at approval only 200,000 are left.
	_, _, err = f.svc.ApproveLine(ctx, reviewer, b.ID, 1, Approval{Reason: "x"})
	wantCode(t, err, tradeplan.EConflict)
	if !strings.Contains(err.Error(), "200000 bbl left of 500000") {
		t.Fatalf("cap message: %v", err)
	}
	// Reduced to what is left, it goes through.
	_, p, err := f.svc.ApproveLine(ctx, reviewer, b.ID, 1, Approval{Quantity: fp(200000), Reason: "the rest of the cap"})
	f.must(err)
	if p.Caps[0].Remaining.Cmp(tradeplan.D(0)) != 0 {
		t.Fatalf("remaining %v", p.Caps[0].Remaining)
	}
}

func TestDeadlineAndDrafts(t *testing.T) {
	f := newFixture(t, nil)
	ctx := f.ctx
	rec, err := f.svc.CreatePlan(ctx, province, PlanInput{CallID: f.call.ID})
	f.must(err)
	_, err = f.svc.SubmitPlan(ctx, province, rec.ID)
	wantCode(t, err, tradeplan.EInvalid) // no lines
	_, err = f.svc.AddLine(ctx, province, rec.ID, tradeplan.Line{Direction: "sideways", Quantity: tradeplan.D(-1), Unit: "tonnes"})
	if e, ok := err.(*tradeplan.Error); !ok || len(e.Problems) != 4 {
		t.Fatalf("want 4 problems: %v", err)
	}
	v, err := f.svc.AddLine(ctx, province, rec.ID, seafoodPlan().Lines[4])
	f.must(err)
	v, err = f.svc.AddLine(ctx, province, rec.ID, seafoodPlan().Lines[6])
	f.must(err)
	v, err = f.svc.RemoveLine(ctx, province, rec.ID, 1)
	f.must(err)
	if len(v.Plan.Lines) != 1 || v.Plan.Lines[0].Description != "Rice" || v.Plan.Lines[0].Index != 1 {
		t.Fatalf("lines %+v", v.Plan.Lines)
	}
	_, err = f.svc.CreatePlan(ctx, province, PlanInput{CallID: f.call.ID})
	wantCode(t, err, tradeplan.EConflict) // one plan per organisation and call
	_, err = f.svc.CreatePlan(ctx, province, PlanInput{CallID: f.call.ID, Organisation: 3})
	wantCode(t, err, tradeplan.EForbidden)

	f.clk.set(day("2027-01-01").Add(time.Second))
	_, err = f.svc.SubmitPlan(ctx, province, rec.ID)
	wantCode(t, err, tradeplan.EConflict)
	if !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("message %v", err)
	}
	_, err = f.svc.CreatePlan(ctx, other, PlanInput{CallID: f.call.ID, Plan: seafoodPlan()})
	wantCode(t, err, tradeplan.EConflict)
	pd, err := f.svc.Plan(ctx, province, rec.ID, 0)
	f.must(err)
	if pd.Plan.Status != tradeplan.PlanDraft {
		t.Fatal("late submission changed the plan")
	}

	late := newFixture(t, func(c *tradeplan.Call) { c.AllowLate = true })
	r2, err := late.svc.CreatePlan(ctx, province, PlanInput{CallID: late.call.ID, Plan: seafoodPlan()})
	late.must(err)
	late.clk.set(day("2027-01-05"))
	r2, err = late.svc.SubmitPlan(ctx, province, r2.ID)
	late.must(err)
	if !r2.Late {
		t.Fatal("a submission after the deadline is marked late")
	}
}

func TestAmendment(t *testing.T) {
	f := newFixture(t, nil)
	ctx := f.ctx
	rec, err := f.svc.ImportPlan(ctx, province, f.call.ID, 0, seafoodPlan())
	f.must(err)
	_, err = f.svc.EditPlan(ctx, province, rec.ID, seafoodPlan())
	wantCode(t, err, tradeplan.EConflict) // not a draft any more
	_, _, err = f.svc.ApproveLine(ctx, reviewer, rec.ID, 5, Approval{Reason: "flour"})
	f.must(err)
	_, err = f.svc.RefuseLine(ctx, reviewer, rec.ID, 1, "banned")
	f.must(err)

	// Changing the approved flour line is refused.
	p := seafoodPlan()
	p.Lines[4].Quantity = tradeplan.D(2500)
	_, err = f.svc.AmendPlan(ctx, province, rec.ID, p, "more flour")
	wantCode(t, err, tradeplan.EConflict)

	// Dropping the exports and adding a line is fine; decisions carry over.
	p = seafoodPlan()
	p.Lines = append(p.Lines[4:], tradeplan.Line{Direction: tradeplan.Import, Description: "Fertiliser", HS: "310210",
		Quantity: tradeplan.D(500), Unit: "t", Value: tradeplan.D(100), Currency: "CNY", Crossing: "namyang-tumen"})
	v2, err := f.svc.AmendPlan(ctx, province, rec.ID, p, "exports withdrawn: banned")
	f.must(err)
	if v2.Version != 2 || len(v2.Diff.Removed) != 4 || len(v2.Diff.Added) != 1 || len(v2.Diff.Unchanged) != 3 {
		t.Fatalf("diff %+v", v2.Diff)
	}
	pd, err := f.svc.Plan(ctx, reviewer, rec.ID, 0)
	f.must(err)
	if pd.Version != 2 || pd.Lines[0].Status != LineApproved || pd.Lines[0].Decision.CarriedFrom != 1 || pd.Lines[3].Status != LinePending {
		t.Fatalf("amended plan %+v", pd.Lines)
	}
	d, err := f.svc.PlanDiff(ctx, province, rec.ID, 1, 2)
	f.must(err)
	if len(d.Added) != 1 {
		t.Fatalf("diff %+v", d)
	}
}

func TestComplianceAndAssessment(t *testing.T) {
	f := newFixture(t, func(c *tradeplan.Call) { c.ForbidOwnReview = false })
	ctx := f.ctx
	p := &tradeplan.Plan{Lines: []tradeplan.Line{{Direction: tradeplan.Import, Description: "Trucks", HS: "870410",
		Quantity: tradeplan.D(5), Unit: "pcs", Value: tradeplan.D(50), Currency: "CNY", Partner: &tradeplan.Party{Name: "Korea Mining"}, Crossing: "namyang-tumen"},
		{Direction: tradeplan.Export, Description: "Dried clams", HS: "110100", Quantity: tradeplan.D(5), Unit: "t", Value: tradeplan.D(5), Currency: "CNY"}}}
	rec, err := f.svc.ImportPlan(ctx, province, f.call.ID, 0, p)
	f.must(err)
	_, _, err = f.svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "x"})
	wantCode(t, err, tradeplan.EConflict)
	_, err = f.svc.DecideFinding(ctx, reviewer, rec.ID, 1, "party:un/KPe.001", tradeplan.ComplianceCleared, "x")
	wantCode(t, err, tradeplan.EForbidden)
	cd, err := f.svc.DecideFinding(ctx, compliance, rec.ID, 1, "party:un/KPe.001", tradeplan.ComplianceCleared, "a different company: address and registration differ")
	f.must(err)
	// Bound to the line and its facts, not a general match decision.
	if cd.Facts == nil || cd.Facts.Query != "korea mining" || cd.General || len(f.store.st.matches) != 0 {
		t.Fatalf("compliance decision %+v, %d general match decisions", cd, len(f.store.st.matches))
	}
	_, _, err = f.svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "trucks for the harvest"})
	f.must(err)

	// The applicant declared flour for dried clams; the reviewer assesses 0307.79.
	lv, err := f.svc.AssessLine(ctx, reviewer, rec.ID, 2, "0307.79", "dried clams are molluscs of heading 0307")
	f.must(err)
	if lv.ApplicantHS != "110100" || lv.AssessedHS != "030779" || lv.Verdict == nil || *lv.Verdict != tradeplan.Prohibited {
		t.Fatalf("assessed %+v", lv)
	}
	_, _, err = f.svc.ApproveLine(ctx, reviewer, rec.ID, 2, Approval{Reason: "x"})
	wantCode(t, err, tradeplan.EConflict)
}

func TestPermitStatusRoles(t *testing.T) {
	f := newFixture(t, nil)
	ctx := f.ctx
	rec, err := f.svc.ImportPlan(ctx, province, f.call.ID, 0, seafoodPlan())
	f.must(err)
	res, err := f.svc.ApproveClear(ctx, reviewer, rec.ID, "ok")
	f.must(err)
	id := res.Permits[0].ID
	_, err = f.svc.SetPermitStatus(ctx, province, id, tradeplan.PermitSuspended, "x")
	wantCode(t, err, tradeplan.EForbidden)
	_, err = f.svc.SetPermitStatus(ctx, admin, id, tradeplan.PermitSuspended, "")
	wantCode(t, err, tradeplan.EInvalid)
	v, err := f.svc.SetPermitStatus(ctx, compliance, id, tradeplan.PermitSuspended, "inquiry")
	f.must(err)
	if v.Approved || v.Usable {
		t.Fatalf("suspended %+v", v)
	}
	v, err = f.svc.SetPermitStatus(ctx, admin, id, tradeplan.PermitIssued, "cleared")
	f.must(err)
	ps, err := f.svc.Permits(ctx, other, PermitFilter{})
	f.must(err)
	if len(ps) != 0 {
		t.Fatal("another organisation sees permits")
	}
	ps, err = f.svc.Permits(ctx, province, PermitFilter{})
	f.must(err)
	if len(ps) != 2 {
		t.Fatalf("own permits %d", len(ps))
	}
	f.clk.set(day("2027-07-01"))
	n, err := f.svc.ExpirePermits(ctx, admin)
	f.must(err)
	if n != 2 {
		t.Fatalf("expired %d", n)
	}
}

func TestNextHalf(t *testing.T) {
	for in, want := range map[string]string{"2026-11-29": "2027-H1", "2027-01-01": "2027-H2", "2027-06-30": "2027-H2", "2027-07-01": "2028-H1"} {
		p := NextHalf(day(in))
		if p.Label != want || !p.From.Before(p.To) || !p.From.After(day(in)) {
			t.Errorf("NextHalf(%s) = %+v, want %s", in, p, want)
		}
	}
}

func TestSeedDemo(t *testing.T) {
	f := &fixture{t: t, ctx: context.Background(), store: newMemStore(), clk: &clock{t: day("2026-11-29")}}
	for _, o := range testOrgs {
		f.store.st.orgs[o.ID] = o
	}
	f.svc = NewService(Config{Store: f.store, Screen: fakeScreen, Clock: f.clk.now})
	p := seafoodPlan()
	p.Lines[0].Crossing = "Rajin port"
	d, err := f.svc.SeedDemo(f.ctx, 1, []DemoPlan{{Organisation: 2, Plan: p}})
	f.must(err)
	if d.Call.Period != "2027-H1" || len(d.Plans) != 1 || d.Plans[0].Status != tradeplan.PlanSubmitted || len(d.Crossings) != 2 {
		t.Fatalf("demo %+v", d)
	}
	for _, c := range d.Crossings {
		if c.Status != tradeplan.CrossingClosed {
			t.Fatalf("crossing %s open", c.ID)
		}
	}
	pd, err := f.svc.Plan(f.ctx, province, d.Plans[0].ID, 0)
	f.must(err)
	if pd.Summary.Prohibited != 4 {
		t.Fatalf("demo plan summary %+v", pd.Summary)
	}
	// Seeding again adds no crossing twice; the plan exists, so it is a conflict.
	_, err = f.svc.SeedDemo(f.ctx, 1, []DemoPlan{{Organisation: 2, Plan: p}})
	if err != nil && !strings.Contains(err.Error(), "already has plan") {
		t.Fatalf("second seeding: %v", err)
	}
}
