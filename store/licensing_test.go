package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

func lday(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// capScreen stands in for package screen in the store's tests: refined
// petroleum (2710) into the DPRK draws on a 500,000 bbl cap, counted on top
// of what issued permits hold; seafood (ch. 03) out of it is prohibited.
var c500k = tradeplan.D(500000)

func capScreen(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
	const capID = "un-dprk/2397-op5"
	from, to := lday("2027-01-01"), lday("2027-12-31")
	var used tradeplan.Decimal
	if usage != nil { // nil: no permits counted, as on the command line
		var err error
		if used, err = usage.CapUsed(ctx, capID, from, to); err != nil {
			return tradeplan.PlanReport{}, err
		}
	}
	r := tradeplan.PlanReport{ID: p.ID, AsOf: asOf.Format(time.DateOnly)}
	for i, l := range p.Lines {
		lr := tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS, Source: "declared"}}
		switch {
		case strings.HasPrefix(l.HS, "2710"):
			c := &tradeplan.CapUse{Cap: capID, From: from, To: to, Limit: tradeplan.D(500000), Unit: "bbl", Quantity: l.Quantity, Used: used,
				Remaining: tradeplan.MaxDecimal(c500k.Sub(used).Sub(l.Quantity), tradeplan.Decimal{})}
			lr.Verdict = tradeplan.Capped
			if after := used.Add(l.Quantity); after.Cmp(c.Limit) > 0 {
				c.Excess, lr.Verdict = after.Sub(c.Limit), tradeplan.Prohibited
			}
			used = used.Add(l.Quantity)
			lr.Findings = []tradeplan.Finding{{Kind: "goods", Outcome: lr.Verdict, Cap: c, Basis: &tradeplan.Basis{Rule: "un-dprk/2397-op5", Citation: "UNSCR 2397 (2017) OP5"}}}
		case strings.HasPrefix(l.HS, "03"):
			lr.Verdict = tradeplan.Prohibited
			lr.Findings = []tradeplan.Finding{{Kind: "goods", Outcome: tradeplan.Prohibited, Basis: &tradeplan.Basis{Rule: "un-dprk/2371-op9", Citation: "UNSCR 2371 (2017) OP9"}}}
		}
		r.Summary.Add(lr.Verdict)
		r.Lines = append(r.Lines, lr)
	}
	return r, nil
}

type licFixture struct {
	db                    *store.DB
	now                   *time.Time
	svc                   *licensing.Service
	admin, rev            tradeplan.Actor
	provA, provB          tradeplan.Actor
	call                  tradeplan.Call
	authority, orgA, orgB tradeplan.Organisation
}

func newLicFixture(t testing.TB, db *store.DB) *licFixture {
	ctx := context.Background()
	f := &licFixture{db: db}
	now := lday("2026-12-01")
	f.now = &now
	f.svc = licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen, Clock: func() time.Time { return *f.now }})
	f.authority = must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Trade Ministry", Kind: tradeplan.OrgAuthority}))
	f.orgA = must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "North Hamgyong", Kind: tradeplan.OrgProvince, ParentID: f.authority.ID, Country: "KP"}))
	f.orgB = must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Ryanggang", Kind: tradeplan.OrgProvince, ParentID: f.authority.ID, Country: "KP"}))
	all := []int64{f.authority.ID, f.orgA.ID, f.orgB.ID}
	mk := func(id int64, org tradeplan.Organisation, role tradeplan.Role, sub []int64) tradeplan.Actor {
		return tradeplan.Actor{User: tradeplan.User{ID: id, OrgID: org.ID, Role: role, Email: string(role) + "@x"}, Org: org, Subtree: sub, Via: "token"}
	}
	f.admin = mk(1, f.authority, tradeplan.RoleAdmin, all)
	f.rev = mk(2, f.authority, tradeplan.RoleReviewer, all)
	f.provA = mk(3, f.orgA, tradeplan.RoleSubmitter, []int64{f.orgA.ID})
	f.provB = mk(4, f.orgB, tradeplan.RoleSubmitter, []int64{f.orgB.ID})
	f.call = must[tradeplan.Call](t)(f.svc.OpenCall(ctx, f.admin, tradeplan.Call{Period: "2027-H1", From: lday("2027-01-01"), To: lday("2027-06-30"),
		Deadline: lday("2027-01-01"), Guidance: "necessary imports", Organisations: []int64{f.orgA.ID, f.orgB.ID}, ForbidOwnReview: true}))
	must[tradeplan.Crossing](t)(f.svc.AddCrossing(ctx, f.admin, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen", Kind: "bridge", Countries: []string{"KP", "CN"}}))
	return f
}

func dieselPlan(q float64) *tradeplan.Plan {
	return &tradeplan.Plan{Organisation: "province", Lines: []tradeplan.Line{
		{Direction: tradeplan.Import, Description: "Diesel fuel", HS: "271019", Origin: "CN", Destination: "KP", Quantity: tradeplan.D(q), Unit: "bbl",
			Value: tradeplan.D(q * 80), Currency: "USD", Crossing: "namyang-tumen", Partner: &tradeplan.Party{Name: "Dandong Trading", Country: "CN"}},
		{Direction: tradeplan.Export, Description: "Salted pollack", HS: "030569", Quantity: tradeplan.D(10), Unit: "t", Value: tradeplan.D(10), Currency: "CNY"},
	}}
}

// TestLicensingWorkflowStored runs the workflow on each engine: what the
// service writes reads back equal, and every change is in the audit chain.
func TestLicensingWorkflowStored(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselPlan(100000)))
		if rec.Status != tradeplan.PlanSubmitted || rec.Organisation != f.orgA.ID {
			t.Fatalf("plan %+v", rec)
		}
		_, _, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 2, licensing.Approval{Reason: "x"})
		wantCode(t, err, tradeplan.EConflict)
		if fe, ok := licensing.AsFindings(err); !ok || fe.Findings[0].Citation() != "UNSCR 2371 (2017) OP9" {
			t.Fatalf("findings: %v", err)
		}
		must[licensing.BulkResult](t)(f.svc.RefuseProhibited(ctx, f.rev, rec.ID, ""))
		d, p, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Quantity: ptr(tradeplan.D(80000)), Reason: "power"})
		if err != nil {
			t.Fatal(err)
		}
		if !d.Reduced || p.ID == 0 || len(p.Caps) != 1 || p.Caps[0].Quantity.Cmp(tradeplan.D(80000)) != 0 || p.Partner == nil || p.Partner.Name != "Dandong Trading" {
			t.Fatalf("decision %+v permit %+v", d, p)
		}
		if used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2027-01-01"), lday("2027-12-31"))); used.Cmp(tradeplan.D(80000)) != 0 {
			t.Fatalf("cap used %v", used)
		}
		if used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2029-01-01"), lday("2029-12-31"))); used.Cmp(tradeplan.D(0)) != 0 {
			t.Fatalf("cap used in another window %v", used)
		}
		pd := must[licensing.PlanDetail](t)(f.svc.Plan(ctx, f.provA, rec.ID, 0))
		if pd.Plan.Status != tradeplan.PlanDecided || pd.Lines[0].Status != licensing.LineApproved || pd.Lines[1].Status != licensing.LineRefused ||
			pd.Lines[1].Decision.Citations[0] != "UNSCR 2371 (2017) OP9" || pd.Summary.Capped != 1 {
			t.Fatalf("plan detail %+v", pd)
		}
		_, err = f.svc.Plan(ctx, f.provB, rec.ID, 0)
		wantCode(t, err, tradeplan.ENotFound)

		pv := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.provA, p.ID))
		if pv.Usable || pv.BorderOpen || !pv.Approved {
			t.Fatalf("closed crossing view %+v", pv)
		}
		*f.now = lday("2027-02-01")
		must[tradeplan.Crossing](t)(f.svc.SetCrossing(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "customs open"))
		pv = must[licensing.PermitView](t)(f.svc.UsePermit(ctx, f.provA, p.ID, licensing.UseInput{Quantity: tradeplan.D(80000), Value: tradeplan.D(1), Reference: "CD-7"}))
		if pv.Status != tradeplan.PermitExhausted || pv.QuantityLeft.Cmp(tradeplan.D(0)) != 0 {
			t.Fatalf("after use %+v", pv)
		}
		pv = must[licensing.PermitView](t)(f.svc.Permit(ctx, f.provA, p.ID))
		if len(pv.Uses) != 1 || pv.Uses[0].Reference != "CD-7" {
			t.Fatalf("uses %+v", pv.Uses)
		}
		h := must[licensing.CrossingHistory](t)(f.svc.Crossing(ctx, f.provB, "namyang-tumen"))
		if len(h.Events) != 2 || h.Crossing.Status != tradeplan.CrossingOpen {
			t.Fatalf("history %+v", h)
		}
		rep := must[licensing.CallReport](t)(f.svc.Call(ctx, f.admin, f.call.ID))
		if rep.Standing.Submitted != 1 || rep.Standing.Missing != 1 || len(rep.Totals.Goods) != 2 {
			t.Fatalf("call report %+v", rep)
		}

		// The amendment is a new version with its diff.
		*f.now = lday("2026-12-02")
		rec2 := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provB, f.call.ID, 0, dieselPlan(1000)))
		np := dieselPlan(1000)
		np.Lines = np.Lines[:1]
		v2 := must[tradeplan.PlanVersion](t)(f.svc.AmendPlan(ctx, f.provB, rec2.ID, np, "exports withdrawn"))
		if v2.Version != 2 || len(v2.Diff.Removed) != 1 {
			t.Fatalf("amendment %+v", v2.Diff)
		}
		back := must[tradeplan.PlanDiff](t)(f.svc.PlanDiff(ctx, f.provB, rec2.ID, 1, 2))
		if len(back.Removed) != 1 || len(back.Unchanged) != 1 {
			t.Fatalf("stored diff %+v", back)
		}

		// A revoked permit keeps only the share it used of the cap.
		_, p2, err := f.svc.ApproveLine(ctx, f.rev, rec2.ID, 1, licensing.Approval{Reason: "fuel"})
		if err != nil {
			t.Fatal(err)
		}
		*f.now = lday("2027-02-02")
		must[licensing.PermitView](t)(f.svc.UsePermit(ctx, f.provB, p2.ID, licensing.UseInput{Quantity: tradeplan.D(250), Value: tradeplan.D(1)}))
		if used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2027-01-01"), lday("2027-12-31"))); used.Cmp(tradeplan.D(81000)) != 0 {
			t.Fatalf("cap used with an issued permit %v, want 81000", used)
		}
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, p2.ID, tradeplan.PermitRevoked, "end-user doubts"))
		if used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2027-01-01"), lday("2027-12-31"))); used.Cmp(tradeplan.D(80250)) != 0 {
			t.Fatalf("cap used after revocation %v, want 80250", used)
		}

		if res := must[store.VerifyResult](t)(db.VerifyAudit(ctx)); !res.OK {
			t.Fatalf("audit chain: %+v", res)
		}
		log := must[[]tradeplan.AuditEntry](t)(db.AuditLog(ctx, store.AuditFilter{Limit: 1000}))
		seen := map[string]bool{}
		for _, e := range log {
			seen[e.Action] = true
		}
		for _, a := range []string{"call.open", "crossing.add", "plan.create", "plan.submit", "line.refuse", "line.approve", "permit.issue", "crossing.open", "permit.use", "plan.amend"} {
			if !seen[a] {
				t.Errorf("audit log lacks %s", a)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestConcurrentApprovalsNeverOverdrawACap approves, at the same moment,
// lines of several plans that each fit the cap alone but not together: on
// each engine exactly one approval wins and the cap is never exceeded.
func TestConcurrentApprovalsNeverOverdrawACap(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		var ids []int64
		for i, sub := range []tradeplan.Actor{f.provA, f.provB} {
			rec, err := f.svc.ImportPlan(ctx, sub, f.call.ID, 0, dieselPlan(300000))
			if err != nil {
				t.Fatalf("plan %d: %v", i, err)
			}
			ids = append(ids, rec.ID)
		}
		// A third organisation's plan, to make three contenders.
		orgC := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Chagang", Kind: tradeplan.OrgProvince, ParentID: f.authority.ID, Country: "KP"}))
		subC := tradeplan.Actor{User: tradeplan.User{ID: 9, OrgID: orgC.ID, Role: tradeplan.RoleSubmitter}, Org: orgC, Subtree: []int64{orgC.ID}}
		// The call names A and B only: C answers a call of its own.
		callC := must[tradeplan.Call](t)(f.svc.OpenCall(ctx, tradeplan.SystemActor("test"), tradeplan.Call{Period: "2027-H1", From: lday("2027-01-01"), To: lday("2027-06-30"),
			Deadline: lday("2027-01-01"), Issuer: f.authority.ID, Organisations: []int64{orgC.ID}}))
		rec, err := f.svc.ImportPlan(ctx, subC, callC.ID, 0, dieselPlan(300000))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
		rev := f.rev
		rev.Subtree = append(rev.Subtree, orgC.ID)

		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _, errs[i] = f.svc.ApproveLine(ctx, rev, id, 1, licensing.Approval{Reason: "diesel for the fishing fleet"})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch tradeplan.ErrorCode(err) {
			case "":
				won++
			case tradeplan.EConflict:
				if !strings.Contains(err.Error(), "cap un-dprk/2397-op5") {
					t.Errorf("conflict for another reason: %v", err)
				}
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d approvals took the cap, want exactly 1: %v", won, errs)
		}
		if used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2027-01-01"), lday("2027-12-31"))); used.Cmp(tradeplan.D(300000)) != 0 {
			t.Fatalf("cap used %v, want 300000", used)
		}
		ps := must[[]licensing.PermitView](t)(f.svc.Permits(ctx, tradeplan.SystemActor("test"), licensing.PermitFilter{}))
		if len(ps) != 1 {
			t.Fatalf("%d permits issued, want 1", len(ps))
		}
	})
}
