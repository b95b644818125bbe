package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/imports"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

func netsPlan() *tradeplan.Plan {
	return &tradeplan.Plan{Organisation: "province", Period: tradeplan.Period{Label: "2027-H1", From: lday("2027-01-01"), To: lday("2027-06-30")},
		Lines: []tradeplan.Line{
			{Direction: tradeplan.Import, Description: "fishing nets", HS: "560811", Origin: "CN", Destination: "KP", Quantity: tradeplan.D(40), Unit: "t",
				Value: tradeplan.D(90000), Currency: "USD", Crossing: "Namyang-Tumen", Necessity: tradeplan.Essential},
			{Direction: tradeplan.Export, Description: "Salted pollack", HS: "030569", Quantity: tradeplan.D(10), Unit: "t", Value: tradeplan.D(10), Currency: "USD"},
		}}
}

// TestImportsStored: a crossing's capacity, a call's budget versions and
// tier upgrades read back as written on each engine, every change audited
// and covered by the state check; a closed crossing carries nothing in the
// call's schedule.
func TestImportsStored(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		c := must[tradeplan.Crossing](t)(f.svc.SetCrossingCapacity(ctx, f.admin, "namyang-tumen", tradeplan.CrossingCapacity{TonnesPerWeek: tradeplan.D(100),
			Vehicles: []tradeplan.CapacityVehicle{{Kind: "trucks", PerWeek: 4, TonnesEach: tradeplan.D(20)}}}))
		if c.Capacity == nil || c.Capacity.SetBy == "" {
			t.Fatalf("capacity %+v", c.Capacity)
		}
		_, err := f.svc.SetCrossingCapacity(ctx, f.provA, "namyang-tumen", tradeplan.CrossingCapacity{TonnesPerWeek: tradeplan.D(1)})
		wantCode(t, err, tradeplan.EForbidden)
		_, err = f.svc.SetCrossingCapacity(ctx, f.admin, "nowhere", tradeplan.CrossingCapacity{TonnesPerWeek: tradeplan.D(1)})
		wantCode(t, err, tradeplan.ENotFound)
		cs := must[[]tradeplan.Crossing](t)(f.svc.Crossings(ctx, f.provA))
		if len(cs) != 1 || cs[0].Capacity == nil || !cs[0].Capacity.TonnesPerWeek.Equal(tradeplan.D(100)) || len(cs[0].Capacity.Vehicles) != 1 ||
			!cs[0].Capacity.Vehicles[0].TonnesEach.Equal(tradeplan.D(20)) {
			t.Fatalf("crossings read back %+v", cs)
		}

		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, netsPlan()))
		b := must[licensing.CallBudget](t)(f.svc.SetCallBudget(ctx, f.admin, f.call.ID, licensing.CallBudget{Currency: "usd", Receipts: tradeplan.D(1000000)}))
		if b.Version != 1 || b.Currency != "USD" {
			t.Fatalf("budget %+v", b)
		}
		// The crossing is closed (registered so): it carries nothing and
		// the nets wait, saying why.
		v := must[licensing.ImportsView](t)(f.svc.CallImports(ctx, f.admin, f.call.ID))
		if v.Ranking == nil || v.Ranking.Schedule == nil {
			t.Fatalf("no ranking: %q", v.Problem)
		}
		for _, s := range v.Ranking.Schedule.Slots {
			if s.Crossing == "namyang-tumen" && (!s.Closed || s.Load.Sign() != 0) {
				t.Errorf("closed crossing carries %+v", s)
			}
		}
		nets := v.Ranking.Lines[0]
		if nets.Status != imports.Funded || len(nets.Entries) != 0 || nets.Waiting == "" || nets.Tier != 4 || nets.Claim == "" {
			t.Fatalf("nets through a closed crossing: %+v", nets)
		}
		must[tradeplan.Crossing](t)(f.svc.SetCrossing(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "open for the season"))
		v = must[licensing.ImportsView](t)(f.svc.CallImports(ctx, f.admin, f.call.ID))
		nets = v.Ranking.Lines[0]
		// 40 t at 4 trucks of 20 t, 80 t a week: one week.
		if nets.Week != "1" || nets.Crossing != "namyang-tumen" || nets.Waiting != "" {
			t.Fatalf("nets through the open crossing: week %q crossing %q waiting %q", nets.Week, nets.Crossing, nets.Waiting)
		}

		// Upgrades: the reviewer's counts; the applicant's is refused.
		_, err = f.svc.UpgradeTier(ctx, f.provA, rec.ID, 1, 2, "ours")
		wantCode(t, err, tradeplan.EForbidden)
		u := must[licensing.TierUpgrade](t)(f.svc.UpgradeTier(ctx, f.rev, rec.ID, 1, 2, "nets for the coastal fishing"))
		if u.From != 4 || u.Tier != 2 || u.Version != rec.Version {
			t.Fatalf("upgrade %+v", u)
		}
		v = must[licensing.ImportsView](t)(f.svc.CallImports(ctx, f.admin, f.call.ID))
		if l := v.Ranking.Lines[0]; l.Tier != 2 || l.TierSource != imports.SourceUpgraded {
			t.Fatalf("upgraded nets: T%d %s", l.Tier, l.TierSource)
		}
		_, err = f.svc.CallImports(ctx, f.provA, f.call.ID)
		wantCode(t, err, tradeplan.EForbidden)
		// An upgrade binds the version it was made on: the applicant cannot
		// keep it by amending the line into other goods.
		amended := netsPlan()
		amended.Lines[0].Description, amended.Lines[0].HS = "passenger cars", "870323"
		must[tradeplan.PlanVersion](t)(f.svc.AmendPlan(ctx, f.provA, rec.ID, amended, "other goods"))
		v = must[licensing.ImportsView](t)(f.svc.CallImports(ctx, f.admin, f.call.ID))
		if l := v.Ranking.Lines[0]; l.Tier != 5 || l.TierSource != imports.SourceDefault || l.FundedValue.Sign() != 0 {
			t.Fatalf("amended into cars: T%d %s funded %s", l.Tier, l.TierSource, l.FundedValue)
		}

		// A version written twice is a conflict in the store itself.
		err = db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
			return tx.(licensing.ImportsTx).AddCallBudget(ctx, licensing.CallBudget{Call: f.call.ID, Version: 1, Currency: "USD", SetBy: "x", SetAt: lday("2027-01-01")})
		})
		wantCode(t, err, tradeplan.EConflict)

		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state: %+v", res.Problems)
		}
		for _, subj := range []string{"crossing:namyang-tumen", fmt.Sprintf("call:%d", f.call.ID), fmt.Sprintf("plan:%d:line:1", rec.ID)} {
			es := must[[]tradeplan.AuditEntry](t)(db.AuditLog(ctx, tradeplan.AuditFilter{Subject: subj, Limit: 100}))
			found := false
			for _, e := range es {
				found = found || e.Action == "crossing.capacity" || e.Action == "call.budget" || e.Action == "line.upgrade"
			}
			if !found {
				t.Errorf("no audit entry for %s", subj)
			}
		}
	})
}

// TestBudgetEditsAtOnce: two editors of the same version of a call's budget
// at once, on each engine: one lands, the other is told, never a lost
// update.
func TestBudgetEditsAtOnce(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		for round := 0; round < 5; round++ {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = f.svc.SetCallBudget(ctx, f.admin, f.call.ID, licensing.CallBudget{Version: round, Currency: "USD", Receipts: tradeplan.D(float64(1000 * (i + 1)))})
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case tradeplan.ErrorCode(err) != tradeplan.EConflict:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if ok != 1 {
				t.Fatalf("round %d: %d edits landed (%v), want 1", round, ok, errs)
			}
			v := must[licensing.ImportsView](t)(f.svc.CallImports(ctx, f.admin, f.call.ID))
			if v.Budget == nil || v.Budget.Version != round+1 {
				t.Fatalf("round %d: budget %+v", round, v.Budget)
			}
		}
	})
}

// TestOrganisationCapCountsTheTree: an applicant's offices share its
// organisation cap: an administrator can make offices at will, and each
// would otherwise bring a cap of its own.
func TestOrganisationCapCountsTheTree(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		agency := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Chongjin agency", Kind: tradeplan.OrgAgency, ParentID: f.orgA.ID, Country: "KP"}))
		agencyActor := tradeplan.Actor{User: tradeplan.User{ID: 9, OrgID: agency.ID, Role: tradeplan.RoleSubmitter, Email: "agency@x"}, Org: agency, Subtree: []int64{agency.ID}, Via: "token"}
		call := must[tradeplan.Call](t)(f.svc.OpenCall(ctx, f.admin, tradeplan.Call{Period: "2027-H1", From: lday("2027-01-01"), To: lday("2027-06-30"),
			Deadline: lday("2027-01-01"), Organisations: []int64{f.orgA.ID, agency.ID, f.orgB.ID}}))
		wheat := func() *tradeplan.Plan {
			return &tradeplan.Plan{Organisation: "x", Lines: []tradeplan.Line{{Direction: tradeplan.Import, Description: "wheat", HS: "100199", Origin: "CN", Destination: "KP",
				Quantity: tradeplan.D(1000), Unit: "t", Value: tradeplan.D(400000), Currency: "USD"}}}
		}
		for _, a := range []tradeplan.Actor{f.provA, agencyActor, f.provB} {
			must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, a, call.ID, 0, wheat()))
		}
		must[licensing.CallBudget](t)(f.svc.SetCallBudget(ctx, f.admin, call.ID, licensing.CallBudget{Currency: "USD", Receipts: tradeplan.D(1000000)}))
		v := must[licensing.ImportsView](t)(f.svc.CallImports(ctx, f.admin, call.ID))
		if v.Ranking == nil {
			t.Fatalf("no ranking: %s", v.Problem)
		}
		// The cap is 250,000 for the province's tree (800,000 asked) and for
		// Ryanggang (400,000); the 500,000 left goes to both in proportion
		// to what they still need (550,000 and 150,000). Counted as three
		// organisations, Ryanggang would get 333,333.33.
		for _, l := range v.Ranking.Lines {
			if l.Organisation == "Ryanggang" && (l.FundedValue.Cmp(tradeplan.MustDecimal("357142.85")) < 0 || l.FundedValue.Cmp(tradeplan.MustDecimal("357142.86")) > 0) {
				t.Errorf("Ryanggang funded %s, want 357142.86 to the cent that rounding hands out: %s", l.FundedValue, l.Reason)
			}
			if l.Organisation == "x" {
				t.Errorf("the document's organisation name is shown, not the account's: %+v", l)
			}
		}
	})
}
