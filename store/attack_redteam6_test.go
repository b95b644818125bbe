package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/store"
)

// TestAttackReinstateSerialisedWithCrossing (redteam, wave 6): reinstating
// a suspended permit makes it count at its crossing, so it takes the
// crossing's row like issuing does. An administrator's confirmed change of
// the crossing, holding that row, makes the reinstatement wait (PostgreSQL:
// observed as a lock wait of the reinstating session); and a confirmation
// shown before a reinstatement is stale after it, on both engines.
func TestAttackReinstateSerialisedWithCrossing(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		f := newLicFixture(t, db)
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(bg, f.provA, f.call.ID, 0, ricePlan(1)))
		_, p, err := f.svc.ApproveLine(bg, f.rev, rec.ID, 1, licensing.Approval{Reason: "food"})
		if err != nil {
			t.Fatal(err)
		}
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(bg, f.admin, p.ID, tradeplan.PermitSuspended, "inquiry"))
		shown := must[licensing.CrossingImpact](t)(f.svc.CrossingImpact(bg, f.admin, "namyang-tumen"))
		if shown.Count != 0 {
			t.Fatalf("impact %+v with the only permit suspended", shown)
		}
		if db.Engine() == "postgres" {
			// The crossing's row held as SetCrossingConfirmed holds it while
			// it checks the digest.
			raw := store.Raw(db)
			hold, err := raw.BeginTx(bg, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer hold.Rollback()
			if _, err := hold.ExecContext(bg, "SELECT id FROM crossings WHERE id = $1 FOR UPDATE", "namyang-tumen"); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := f.svc.SetPermitStatus(bg, f.admin, p.ID, tradeplan.PermitIssued, "inquiry closed")
				done <- err
			}()
			for waiting := false; !waiting; {
				select {
				case err := <-done:
					t.Fatalf("permit reinstated (err %v) while the crossing's row was held: not serialised with a confirmed crossing change", err)
				default:
				}
				var n int
				if err := raw.QueryRowContext(bg, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
					AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				waiting = n > 0
				time.Sleep(5 * time.Millisecond)
			}
			if err := hold.Rollback(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		} else {
			must[licensing.PermitView](t)(f.svc.SetPermitStatus(bg, f.admin, p.ID, tradeplan.PermitIssued, "inquiry closed"))
		}
		_, err = f.svc.SetCrossingConfirmed(bg, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "customs resumes", shown.Digest)
		wantCode(t, err, tradeplan.EConflict)
		if !errors.Is(err, licensing.ErrCrossingImpactChanged) {
			t.Fatalf("err %v, want the impact changed", err)
		}
		if now := must[licensing.CrossingImpact](t)(f.svc.CrossingImpact(bg, f.admin, "namyang-tumen")); now.Count != 1 {
			t.Fatalf("impact %+v after reinstating, want 1", now)
		}
	})
}

// TestAttackPutDatasetsWholeOrNothing (redteam, wave 6): several lists
// stored in one step, the last checked against a stored version that has
// changed since (another import at the same time), store none: the first
// list is not left replaced while the command fails.
func TestAttackPutDatasetsWholeOrNothing(t *testing.T) {
	full := unListCut(t, func(int) bool { return false })
	a := unListCut(t, func(i int) bool { return i%200 < 19 })
	each(t, func(t *testing.T, db *store.DB) {
		ofac := must[tradeplan.Dataset](t)(parties.ReadDataset(shareddata.Path(t, shareddata.OFACList)))
		other := ofac
		other.SHA256 = "another import's"
		if err := db.PutDataset(ctx, full); err != nil {
			t.Fatal(err)
		}
		ca := must[parties.ListChange](t)(parties.Guard(ctx, db, a, false))
		co := must[parties.ListChange](t)(parties.Guard(ctx, db, ofac, false))
		// Another import stores an OFAC list after the check.
		if err := db.PutDataset(ctx, other); err != nil {
			t.Fatal(err)
		}
		err := parties.PutAll(ctx, db, []tradeplan.Dataset{a, ofac}, []parties.ListChange{ca, co})
		wantCode(t, err, tradeplan.EConflict)
		if got, _ := db.Dataset(ctx, "list", "un"); got.SHA256 != full.SHA256 {
			t.Fatalf("the UN list was replaced although the import failed on the OFAC list")
		}
		// Checked again, both go in together.
		ca = must[parties.ListChange](t)(parties.Guard(ctx, db, a, false))
		co = must[parties.ListChange](t)(parties.Guard(ctx, db, ofac, true))
		if err := parties.PutAll(ctx, db, []tradeplan.Dataset{a, ofac}, []parties.ListChange{ca, co}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Dataset(ctx, "list", "un"); got.SHA256 != a.SHA256 {
			t.Fatal("the UN list is not the import's")
		}
		if got, _ := db.Dataset(ctx, "list", "ofac"); got.SHA256 != ofac.SHA256 {
			t.Fatal("the OFAC list is not the import's")
		}
	})
}

// TestAttackReinstateProhibited (redteam, wave 6): a permit the
// re-screening suspended because its goods are now banned was reinstated by
// a compliance officer with a reason, and then used: a reinstatement made
// usable again what no approval could license today. Reinstating now
// screens what remains of the permit as the re-screening does, and is
// refused while it is prohibited; once it is not, it goes through. Both
// engines.
func TestAttackReinstateProhibited(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		f := newDeclFixture(t, db)
		banned := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: flourBanned, Clock: func() time.Time { return *f.now }})
		must[licensing.RescreenResult](t)(banned.Rescreen(bg, f.compliance, "rule pack change"))
		if p := must[licensing.PermitView](t)(banned.Permit(bg, f.compliance, f.permit.ID)); p.Status != tradeplan.PermitSuspended {
			t.Fatalf("permit %s after the re-screening, want suspended", p.Status)
		}
		_, err := banned.SetPermitStatus(bg, f.compliance, f.permit.ID, tradeplan.PermitIssued, "the holder insists")
		wantCode(t, err, tradeplan.EConflict)
		if !strings.Contains(err.Error(), "Test pack rule 1") {
			t.Errorf("the refusal does not cite the rule: %v", err)
		}
		if p := must[licensing.PermitView](t)(banned.Permit(bg, f.compliance, f.permit.ID)); p.Status != tradeplan.PermitSuspended {
			t.Fatalf("permit %s after a refused reinstatement", p.Status)
		}
		// The ban lifted: the officer may reinstate it.
		if p := must[licensing.PermitView](t)(f.svc.SetPermitStatus(bg, f.compliance, f.permit.ID, tradeplan.PermitIssued, "ban lifted")); p.Status != tradeplan.PermitIssued {
			t.Fatalf("permit %s after reinstating", p.Status)
		}
	})
}
