package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
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
