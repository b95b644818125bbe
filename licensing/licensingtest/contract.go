package licensingtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// OpenStore returns a fresh licensing.Store holding one organisation, of
// kind authority, whose ID it returns: the issuer and holder of what the
// contract creates.
type OpenStore func(t *testing.T) (licensing.Store, int64)

// TestCapContract runs the contract of a licensing.Store's caps, the same
// cases on every implementation (the tests' in-memory store and package
// store on both engines): CapUsed holds each permit's draw by the one rule
// of licensing.CapDraw, over the permits whose cap window overlaps the one
// asked for, ends included, and follows a permit's status and use.
func TestCapContract(t *testing.T, open OpenStore) {
	st, org := open(t)
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("contract"))
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	h1From, h1To := day("2027-01-01"), day("2027-06-30")
	h2From, h2To := day("2027-07-01"), day("2027-12-31")
	const capID = "contract-diesel"
	type permit struct {
		status         tradeplan.PermitStatus
		quantity, used string // the permit's, in t
		draw           string // its draw on the cap, in t
		from, to       time.Time
	}
	// Each permit's hold, by the rule: issued or suspended hold their whole
	// draw; revoked, expired or exhausted the share used (draw x used /
	// quantity, to the cap unit's 3 places, half to even); a permit used
	// up holds its whole draw.
	permits := []struct {
		permit
		holds string
	}{
		{permit{tradeplan.PermitIssued, "100", "40", "100", h1From, h1To}, "100"},
		{permit{tradeplan.PermitSuspended, "10", "0", "7.5", h1From, h1To}, "7.5"},
		{permit{tradeplan.PermitRevoked, "120", "30", "60", h1From, h1To}, "15"},
		{permit{tradeplan.PermitExpired, "3", "1", "1", h1From, h1To}, "0.333"},
		{permit{tradeplan.PermitExpired, "8", "1", "0.005", h1From, h1To}, "0.001"}, // 0.000625 -> 0.001
		{permit{tradeplan.PermitExpired, "2", "1", "0.001", h1From, h1To}, "0"},     // 0.0005, half to even
		{permit{tradeplan.PermitExpired, "2", "1", "0.003", h1From, h1To}, "0.002"}, // 0.0015, half to even
		{permit{tradeplan.PermitRevoked, "8", "0", "5", h1From, h1To}, "0"},
		{permit{tradeplan.PermitExhausted, "20", "20", "20", h1From, h1To}, "20"},
		{permit{tradeplan.PermitIssued, "50", "0", "50", h2From, h2To}, "50"},
	}
	var ids []int64
	err := st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		c := tradeplan.Call{Period: "2027", From: h1From, To: h2To, Deadline: day("2026-12-01"), Issuer: org, CreatedBy: "contract", CreatedAt: day("2026-11-01")}
		if err := tx.CreateCall(ctx, &c); err != nil {
			return err
		}
		p := tradeplan.PlanRecord{CallID: c.ID, Organisation: org, Title: "contract", Status: tradeplan.PlanDecided, Version: 1, CreatedBy: "contract",
			CreatedAt: day("2026-11-02"), UpdatedAt: day("2026-11-02")}
		if err := tx.CreatePlan(ctx, &p); err != nil {
			return err
		}
		for i, x := range permits {
			pm := tradeplan.Permit{Number: fmt.Sprintf("TP-CONTRACT-%d", i), Holder: org, CallID: c.ID, PlanID: p.ID, PlanVersion: 1, Line: i + 1,
				Direction: tradeplan.Import, Description: "diesel", HS: "271019", Unit: "t", Currency: "USD",
				Quantity: tradeplan.MustDecimal(x.quantity), Value: tradeplan.MustDecimal("1000"), QuantityUsed: tradeplan.MustDecimal(x.used),
				ValidFrom: x.from, ValidTo: x.to, Status: x.status, IssuedBy: "contract", IssuedAt: day("2026-12-02"), UpdatedAt: day("2026-12-02"),
				Caps: []tradeplan.CapUse{{Cap: capID, From: x.from, To: x.to, Limit: tradeplan.MustDecimal("500"), Unit: "t", Quantity: tradeplan.MustDecimal(x.draw)}}}
			if err := tx.CreatePermit(ctx, &pm); err != nil {
				return err
			}
			ids = append(ids, pm.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create permits: %v", err)
	}
	sum := func(idx ...int) tradeplan.Decimal {
		var d tradeplan.Decimal
		for _, i := range idx {
			d = d.Add(tradeplan.MustDecimal(permits[i].holds))
		}
		return d
	}
	used := func(from, to time.Time) tradeplan.Decimal {
		t.Helper()
		var d tradeplan.Decimal
		err := st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
			if err := tx.LockCap(ctx, capID); err != nil {
				return err
			}
			var err error
			d, err = tx.CapUsed(ctx, capID, from, to)
			return err
		})
		if err != nil {
			t.Fatalf("CapUsed: %v", err)
		}
		return d
	}
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     tradeplan.Decimal
	}{
		{"the first half", h1From, h1To, sum(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"the year", h1From, h2To, sum(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)},
		{"the last day of the first half", h1To, h1To, sum(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"the first day of the second half", h2From, h2From, sum(9)},
		{"the second half", h2From, h2To, sum(9)},
		{"before any window", day("2026-01-01"), day("2026-12-31"), tradeplan.Decimal{}},
	} {
		if got := used(c.from, c.to); got.Cmp(c.want) != 0 {
			t.Errorf("CapUsed over %s = %v, want %v", c.name, got, c.want)
		}
	}
	var other tradeplan.Decimal
	err = st.View(ctx, func(ctx context.Context, tx licensing.Tx) error {
		var err error
		other, err = tx.CapUsed(ctx, "another-cap", h1From, h2To)
		return err
	})
	if err != nil || other.Sign() != 0 {
		t.Errorf("CapUsed of another cap = %v, %v; want 0", other, err)
	}

	// Revoking the issued permit after 40 t of 100 were used: it holds
	// 40% of its draw of 100 t.
	err = st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		p, err := tx.Permit(ctx, ids[0])
		if err != nil {
			return err
		}
		p.Status = tradeplan.PermitRevoked
		return tx.UpdatePermit(ctx, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := used(h1From, h1To), sum(1, 2, 3, 4, 5, 6, 7, 8).Add(tradeplan.MustDecimal("40")); got.Cmp(want) != 0 {
		t.Errorf("CapUsed after revoking a permit used 40 of 100 = %v, want %v", got, want)
	}
	// Nothing left behind by a transaction that failed.
	err = st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		p, err := tx.Permit(ctx, ids[7])
		if err != nil {
			return err
		}
		p.Status = tradeplan.PermitIssued
		if err := tx.UpdatePermit(ctx, p); err != nil {
			return err
		}
		return tradeplan.Errorf(tradeplan.EConflict, "roll back")
	})
	if tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Fatalf("a failing transaction: %v", err)
	}
	if got, want := used(h1From, h1To), sum(1, 2, 3, 4, 5, 6, 7, 8).Add(tradeplan.MustDecimal("40")); got.Cmp(want) != 0 {
		t.Errorf("CapUsed after a rolled back change = %v, want %v", got, want)
	}
}
