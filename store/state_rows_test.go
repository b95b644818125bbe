package store_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestRowGuardRefusesTamperedPermit (redteam, wave 7): a permit changed
// behind the store's back (SQL by hand) is never blessed by the next write
// the application makes to it. Suspending, reinstating, using and
// re-screening the permit each record its row again; each first compares
// the row as stored with the digest the chain last recorded of it, and
// refuses on a mismatch: nothing is written, and `audit verify --state`
// still reports the permit.
func TestRowGuardRefusesTamperedPermit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *declFixture) // legitimate writes before the tampering
		write func(f *declFixture) error
	}{
		{"suspend", nil, func(f *declFixture) error {
			_, err := f.svc.SetPermitStatus(context.Background(), f.admin, f.permit.ID, tradeplan.PermitSuspended, "inquiry")
			return err
		}},
		{"reinstate", func(f *declFixture) {
			must[licensing.PermitView](t)(f.svc.SetPermitStatus(context.Background(), f.admin, f.permit.ID, tradeplan.PermitSuspended, "inquiry"))
		}, func(f *declFixture) error {
			_, err := f.svc.SetPermitStatus(context.Background(), f.admin, f.permit.ID, tradeplan.PermitIssued, "inquiry closed")
			return err
		}},
		{"use", nil, func(f *declFixture) error {
			_, err := f.svc.UsePermit(context.Background(), f.provA, f.permit.ID, licensing.UseInput{Quantity: tradeplan.D(1), Value: tradeplan.D(0.1), Reference: "CD-1"})
			return err
		}},
		{"re-screen", nil, func(f *declFixture) error {
			svc := licensing.NewService(licensing.Config{Store: f.db.Licensing(), Screen: flourBanned, Clock: func() time.Time { return *f.now }})
			_, err := svc.Rescreen(context.Background(), f.compliance, "pack change")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newDeclFixture(t, db)
				if tc.setup != nil {
					tc.setup(f)
				}
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
					t.Fatalf("state before: %+v", res.Problems)
				}
				row := "permits[id=" + strconv.FormatInt(f.permit.ID, 10) + "]"
				if _, err := store.Raw(db).ExecContext(ctx, store.Rebind(db, "UPDATE permits SET quantity = quantity * 1000, val = val * 1000 WHERE id = ?"), f.permit.ID); err != nil {
					t.Fatal(err)
				}
				var status string
				read := func() string {
					t.Helper()
					var s string
					if err := store.Raw(db).QueryRowContext(ctx, store.Rebind(db, "SELECT status || '/' || quantity_used FROM permits WHERE id = ?"), f.permit.ID).Scan(&s); err != nil {
						t.Fatal(err)
					}
					return s
				}
				status = read()
				err := tc.write(f)
				wantCode(t, err, tradeplan.EConflict)
				if !strings.Contains(err.Error(), row) || !strings.Contains(err.Error(), "audit verify") {
					t.Fatalf("error does not name %s and the command: %v", row, err)
				}
				if got := read(); got != status {
					t.Fatalf("permit %s after a refused write; was %s", got, status)
				}
				res := must[store.StateResult](t)(db.VerifyState(ctx))
				if res.OK || len(res.Problems) != 1 || res.Problems[0].Row != row || !strings.Contains(res.Problems[0].Problem, "changed outside the store") {
					t.Fatalf("after the refused write, verify: %+v", res)
				}
				// Restored by hand, the same write goes through.
				if _, err := store.Raw(db).ExecContext(ctx, store.Rebind(db, "UPDATE permits SET quantity = ?, val = ? WHERE id = ?"), f.permit.Quantity.String(), f.permit.Value.String(), f.permit.ID); err != nil {
					t.Fatal(err)
				}
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
					t.Fatalf("restored: %+v", res.Problems)
				}
				if err := tc.write(f); err != nil {
					t.Fatalf("write after the row was restored: %v", err)
				}
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
					t.Fatalf("after the write: %+v", res.Problems)
				}
			})
		})
	}
}

// TestRowGuardRefusesTamperedAccount: a submitter made an administrator
// with SQL is not blessed by an administrator's next change of the user
// (disabling, enabling, a new password), nor a revived token by its
// revocation; nor is a match decision deleted by hand recorded again as
// the store's own by the next decision on it.
func TestRowGuardRefusesTamperedAccount(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
		auth := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"}))
		sub := must[tradeplan.User](t)(db.CreateUser(ctx, tradeplan.User{OrgID: auth.ID, Email: "sub@example.org", Name: "sub", Role: tradeplan.RoleSubmitter}, "correct horse battery staple"))
		_, tok, err := db.CreateToken(ctx, sub.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		md := tradeplan.MatchDecision{Query: "tanchon 100%_trading", List: "un", EntryID: "KPe.1", EntryVersion: "v1", Decision: tradeplan.DecisionFalsePositive,
			Reason: "other firm", Kind: "entity"}
		if err := db.PutMatchDecision(ctx, md); err != nil {
			t.Fatal(err)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state before: %+v", res.Problems)
		}
		raw := store.Raw(db)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, store.Rebind(db, q), args...); err != nil {
				t.Fatal(err)
			}
		}
		exec("UPDATE users SET role = 'admin' WHERE id = ?", sub.ID)
		_, err = db.SetUserDisabled(ctx, sub.ID, true)
		wantCode(t, err, tradeplan.EConflict)
		wantCode(t, db.SetPassword(ctx, sub.ID, "another long pass phrase"), tradeplan.EConflict)
		exec("UPDATE api_tokens SET revoked_at = NULL WHERE id = ?", tok.ID)
		wantCode(t, db.RevokeToken(ctx, tok.ID), tradeplan.EConflict)
		exec("DELETE FROM match_decisions")
		md.Decision = tradeplan.DecisionTrueMatch
		wantCode(t, db.PutMatchDecision(ctx, md), tradeplan.EConflict)
		res := must[store.StateResult](t)(db.VerifyState(ctx))
		if len(res.Problems) != 3 {
			t.Fatalf("after the refused writes, verify: %+v", res.Problems)
		}
		var role string
		if err := raw.QueryRowContext(ctx, store.Rebind(db, "SELECT role FROM users WHERE id = ?"), sub.ID).Scan(&role); err != nil || role != "admin" {
			t.Fatalf("role %q %v", role, err)
		}
	})
}

// TestRowGuardConcurrentWrites: writes of the store itself, two and more
// at once on one permit (uses, suspensions and reinstatements), each see
// the other's row and audit entry whole: none is taken for a change behind
// the store, and the state verifies after, on both engines.
func TestRowGuardConcurrentWrites(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		start := make(chan struct{})
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var err error
				switch i % 4 {
				case 0, 1:
					_, err = f.svc.UsePermit(ctx, f.provA, f.permit.ID, licensing.UseInput{Quantity: tradeplan.D(0.5), Value: tradeplan.D(0.05), Reference: "CD-" + strconv.Itoa(i)})
				case 2:
					_, err = f.svc.SetPermitStatus(ctx, f.admin, f.permit.ID, tradeplan.PermitSuspended, "inquiry")
				case 3:
					_, err = f.svc.SetPermitStatus(ctx, f.admin, f.permit.ID, tradeplan.PermitIssued, "inquiry closed")
				}
				if err != nil && strings.Contains(err.Error(), "outside the store") {
					errs <- err
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("a write of the store taken for a change behind it: %v", err)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("after writes at once: %+v", res.Problems)
		}
	})
}

// TestAttackUsesAtOnceNeverOverdraw (redteam, wave 7): six uses of 60% of
// a permit's quantity sent at the same moment: exactly one is recorded,
// the others refused, and the balance never goes below zero, on both
// engines.
func TestAttackUsesAtOnceNeverOverdraw(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		q := f.permit.Quantity.Mul(tradeplan.MustDecimal("0.6"))
		var wg sync.WaitGroup
		errs := make([]error, 6)
		start := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.svc.UsePermit(ctx, f.provA, f.permit.ID, licensing.UseInput{Quantity: q, Reference: "CD-" + strconv.Itoa(i)})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else if c := tradeplan.ErrorCode(err); c != tradeplan.EConflict && c != tradeplan.EInvalid {
				t.Errorf("unexpected error: %v", err)
			}
		}
		p := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.provA, f.permit.ID))
		if won != 1 || p.QuantityUsed.Cmp(q) != 0 {
			t.Fatalf("%d uses recorded, %s used of %s; want 1 and %s: %v", won, p.QuantityUsed, p.Quantity, q, errs)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("after uses at once: %+v", res.Problems)
		}
	})
}

// TestRowGuardManyRowsOneTransaction: an expiry run writing many permits
// in one transaction reads the chain's record of the permits once, not a
// search a permit, and still refuses a permit changed behind the store
// among them (the twentieth); restored, the run expires them all.
func TestRowGuardManyRowsOneTransaction(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		ps := issueFlour(t, f, f.provA, 24)
		*f.now = ps[0].ValidTo.AddDate(0, 0, 2)
		victim := ps[19]
		if _, err := store.Raw(db).ExecContext(ctx, store.Rebind(db, "UPDATE permits SET status_reason = 'by hand' WHERE id = ?"), victim.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.ExpirePermits(ctx, f.admin)
		wantCode(t, err, tradeplan.EConflict)
		if !strings.Contains(err.Error(), "permits[id="+strconv.FormatInt(victim.ID, 10)+"]") {
			t.Fatalf("error does not name the permit: %v", err)
		}
		if _, err := store.Raw(db).ExecContext(ctx, store.Rebind(db, "UPDATE permits SET status_reason = ? WHERE id = ?"), victim.StatusReason, victim.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.ExpirePermits(ctx, f.admin); err != nil || n != len(ps) {
			t.Fatalf("expired %d of %d: %v", n, len(ps), err)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("after the expiry: %+v", res.Problems)
		}
	})
}
