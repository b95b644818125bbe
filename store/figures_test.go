package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestMigrationExactFigures builds a database at the schema before
// migration 0150 (figures as floats), writes awkward floats into every
// figure column, migrates, and checks that every figure reads back as the
// shortest decimal of the float it was: nothing lost, no noise added.
func TestMigrationExactFigures(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, eng)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			db.UseCheapPasswordHashing()
			if err := store.MigrateTo(ctx, db, 149); err != nil {
				t.Fatal(err)
			}
			f := newLicFixture(t, db)
			f.svc = preSigningService(f) // the code of that schema signed no permit
			rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselPlan(100000)))
			must[licensing.BulkResult](t)(f.svc.RefuseProhibited(ctx, f.rev, rec.ID, ""))
			_, p, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Reason: "power"})
			if err != nil {
				t.Fatal(err)
			}
			*f.now = lday("2027-02-01")
			must[tradeplan.Crossing](t)(f.svc.SetCrossing(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "open"))
			must[licensing.PermitView](t)(f.svc.UsePermit(ctx, f.provA, p.ID, licensing.UseInput{Quantity: tradeplan.D(10), Value: tradeplan.D(1)}))

			// Floats as the old columns could hold them: a figure as written,
			// float noise from sums, huge and tiny ones, 17 significant digits.
			vals := []float64{222693.7, 77218.69999999995, 0.1 + 0.2, 499995.39999999997, 1e20, 5e-7, 123456789.12345678, 500000}
			raw := store.Raw(db)
			type col struct{ table, column, where string }
			cols := []col{
				{"permits", "quantity", "id = ?"}, {"permits", "val", "id = ?"}, {"permits", "quantity_used", "id = ?"}, {"permits", "value_used", "id = ?"},
				{"permit_caps", "cap_limit", "permit_id = ?"}, {"permit_caps", "quantity", "permit_id = ?"}, {"permit_caps", "used", "permit_id = ?"}, {"permit_caps", "remaining", "permit_id = ?"},
				{"permit_uses", "quantity", "permit_id = ?"}, {"permit_uses", "val", "permit_id = ?"},
				{"line_decisions", "quantity", "permit_id = ?"}, {"line_decisions", "val", "permit_id = ?"},
			}
			want := map[col]float64{}
			for i, c := range cols {
				v := vals[i%len(vals)]
				if c.column == "quantity_used" {
					v = 77218.69999999995 // within the quantity, for the check
				}
				if c.table == "permits" && c.column == "quantity" {
					v = 222693.7
				}
				if _, err := raw.ExecContext(ctx, store.Rebind(db, "UPDATE "+c.table+" SET "+c.column+" = ? WHERE "+c.where), v, p.ID); err != nil {
					t.Fatalf("%s.%s: %v", c.table, c.column, err)
				}
				want[c] = v
			}
			// As the old program would have written them: recorded.
			for _, c := range cols {
				if err := store.RecordState(ctx, db, c.table, c.where, p.ID); err != nil {
					t.Fatal(err)
				}
			}
			db.Close() // as a new program would: cached statements know the old column types
			if db, err = store.Open(ctx, dsn); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			raw = store.Raw(db)
			f.svc = licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen, Clock: func() time.Time { return *f.now }})
			for _, c := range cols {
				var got tradeplan.Decimal
				if err := raw.QueryRowContext(ctx, store.Rebind(db, "SELECT "+c.column+" FROM "+c.table+" WHERE "+c.where), p.ID).Scan(&got); err != nil {
					t.Fatalf("%s.%s: %v", c.table, c.column, err)
				}
				w := want[c]
				if got.String() != strconv.FormatFloat(w, 'f', -1, 64) {
					t.Errorf("%s.%s = %s, want %s", c.table, c.column, got, strconv.FormatFloat(w, 'f', -1, 64))
				}
				if back, _ := strconv.ParseFloat(got.String(), 64); back != w {
					t.Errorf("%s.%s = %s reads back as %v, not the stored %v", c.table, c.column, got, back, w)
				}
			}
			// The store still works on the migrated tables, exactly.
			pv := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.provA, p.ID))
			if pv.QuantityUsed.String() != "77218.69999999995" || pv.Quantity.String() != "222693.7" {
				t.Fatalf("permit after migration: %s of %s", pv.QuantityUsed, pv.Quantity)
			}
			pv = must[licensing.PermitView](t)(f.svc.UsePermit(ctx, f.provA, p.ID, licensing.UseInput{Quantity: tradeplan.MustDecimal("145475.00000000005")}))
			if pv.Status != tradeplan.PermitExhausted || !pv.QuantityUsed.Equal(pv.Quantity) {
				t.Fatalf("the exact balance left should exhaust the permit: %s of %s, %s", pv.QuantityUsed, pv.Quantity, pv.Status)
			}
		})
	}
}

func dieselLines(qs ...string) *tradeplan.Plan {
	p := &tradeplan.Plan{Organisation: "province"}
	for _, q := range qs {
		p.Lines = append(p.Lines, tradeplan.Line{Direction: tradeplan.Import, Description: "Diesel fuel", HS: "271019", Origin: "CN", Destination: "KP",
			Quantity: tradeplan.MustDecimal(q), Unit: "bbl", Crossing: "namyang-tumen"})
	}
	return p
}

// TestCapFilledExactly: three lines of 222,693.7 + 200,087.6 + 77,218.7 bbl
// fill the 500,000 bbl cap to the barrel; approval takes all three, and one
// smallest unit more (0.001 bbl, screened before the cap filled) is refused,
// on both engines.
func TestCapFilledExactly(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		a := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselLines("222693.7", "200087.6", "77218.7")))
		b := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provB, f.call.ID, 0, dieselLines("0.001")))
		for line := 1; line <= 3; line++ {
			if _, _, err := f.svc.ApproveLine(ctx, f.rev, a.ID, line, licensing.Approval{Reason: "power"}); err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
		}
		used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2027-01-01"), lday("2027-12-31")))
		if used.String() != "500000" {
			t.Fatalf("cap used %s, want exactly 500000", used)
		}
		pd := must[licensing.PlanDetail](t)(f.svc.Plan(ctx, f.rev, a.ID, 0))
		if c := pd.Lines[2].Permit; c == nil {
			t.Fatal("line 3 has no permit")
		}
		_, _, err := f.svc.ApproveLine(ctx, f.rev, b.ID, 1, licensing.Approval{Reason: "power"})
		wantCode(t, err, tradeplan.EConflict)
	})
}

// TestPermitBalancesProperty runs random sequences of uses (some beyond the
// balance), suspensions, reinstatements and a final revocation on permits
// approved whole or reduced, on both engines, and after every step checks:
// the sum of a permit's uses equals its used quantity and value, exactly;
// no balance is negative; the cap holds what licensing.CapDraw says.
func TestPermitBalancesProperty(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		rng := rand.New(rand.NewPCG(23, uint64(len(db.Engine()))))
		figure := func(max int64) tradeplan.Decimal { // up to max, in thousandths
			return tradeplan.NewDecimal(1+rng.Int64N(max*1000), -3)
		}
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselLines("1000.5", "333.333", "77218.7")))
		var permits []tradeplan.Permit
		for line := 1; line <= 3; line++ {
			ap := licensing.Approval{Reason: "fuel"}
			if line == 2 { // a reduction: the draw on the cap is proportional, rounded half-even
				q := tradeplan.MustDecimal("111.111")
				ap.Quantity = &q
			}
			_, p, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, line, ap)
			if err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			permits = append(permits, p)
		}
		if got := permits[1].Caps[0].Quantity.String(); got != "111.111" {
			t.Fatalf("reduced draw %s, want 111.111", got)
		}
		*f.now = lday("2027-02-01")
		must[tradeplan.Crossing](t)(f.svc.SetCrossing(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "open"))
		check := func(step string) {
			t.Helper()
			want := tradeplan.Decimal{}
			for _, p := range permits {
				v := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.provA, p.ID))
				var q, val tradeplan.Decimal
				for _, u := range v.Uses {
					q, val = q.Add(u.Quantity), val.Add(u.Value)
				}
				if !q.Equal(v.QuantityUsed) || !val.Equal(v.ValueUsed) {
					t.Fatalf("%s: permit %s uses add up to %s (value %s), used %s (value %s)", step, v.Number, q, val, v.QuantityUsed, v.ValueUsed)
				}
				if v.QuantityLeft.Sign() < 0 || v.ValueLeft.Sign() < 0 || v.QuantityUsed.Cmp(v.Quantity) > 0 {
					t.Fatalf("%s: permit %s balance %s of %s", step, v.Number, v.QuantityLeft, v.Quantity)
				}
				want = want.Add(licensing.CapDraw(v.Permit, v.Caps[0]))
			}
			used := must[tradeplan.Decimal](t)(db.CapUsed(ctx, "un-dprk/2397-op5", lday("2027-01-01"), lday("2027-12-31")))
			if !used.Equal(want) || used.Sign() < 0 {
				t.Fatalf("%s: cap used %s, want %s", step, used, want)
			}
		}
		check("approved")
		for step := 0; step < 60; step++ {
			p := permits[rng.IntN(len(permits))]
			switch k := rng.IntN(10); {
			case k < 7:
				v := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.provA, p.ID))
				q := figure(int64(v.QuantityLeft.Float64()) + 2)
				_, err := f.svc.UsePermit(ctx, f.provA, p.ID, licensing.UseInput{Quantity: q, Value: figure(3)})
				if err == nil && q.Cmp(v.QuantityLeft) > 0 {
					t.Fatalf("step %d: a use of %s on a balance of %s was accepted", step, q, v.QuantityLeft)
				}
				if err != nil && q.Cmp(v.QuantityLeft) <= 0 && v.Status == tradeplan.PermitIssued {
					t.Fatalf("step %d: a use of %s on a balance of %s was refused: %v", step, q, v.QuantityLeft, err)
				}
			case k < 8:
				f.svc.SetPermitStatus(ctx, f.admin, p.ID, tradeplan.PermitSuspended, "inspection")
			default:
				f.svc.SetPermitStatus(ctx, f.admin, p.ID, tradeplan.PermitIssued, "passed")
			}
			check(fmt.Sprintf("step %d", step))
		}
		for _, p := range permits {
			f.svc.SetPermitStatus(ctx, f.admin, p.ID, tradeplan.PermitRevoked, "end")
		}
		check("revoked")
	})
}

// TestMigrationKeepsAuditState: rows recorded in the audit chain while
// figures were floats (a million barrels, whose float text is 1e+06) still
// match their digests once migration 0150 has made them exact decimals.
func TestMigrationKeepsAuditState(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, eng)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			db.UseCheapPasswordHashing()
			if err := store.MigrateTo(ctx, db, 149); err != nil {
				t.Fatal(err)
			}
			f := newLicFixture(t, db)
			f.svc = preSigningService(f) // the code of that schema signed no permit
			p := dieselLines("0.1")
			p.Lines = append(p.Lines, tradeplan.Line{Direction: tradeplan.Import, Description: "milled rice", HS: "100630", Origin: "CN", Destination: "KP",
				Quantity: tradeplan.DecimalInt(2000000), Unit: "t", Value: tradeplan.DecimalInt(1000000), Currency: "USD", Crossing: "namyang-tumen"})
			rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, p))
			for line := 1; line <= 2; line++ {
				if _, _, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, line, licensing.Approval{Reason: "needed"}); err != nil {
					t.Fatalf("line %d: %v", line, err)
				}
			}
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
				t.Fatalf("before the migration: %+v", res.Problems)
			}
			db.Close()
			if db, err = store.Open(ctx, dsn); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK || res.Recorded == 0 {
				t.Fatalf("after the migration: %d rows recorded, problems %+v", res.Recorded, res.Problems)
			}
		})
	}
}
