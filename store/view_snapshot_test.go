package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestViewIsOneMoment: every read of one View sees the database at one
// moment, so that a report assembled from many reads (a call's report: its
// plans, permits, caps and crossings) never mixes a state from before a
// commit with one from after it. On PostgreSQL a transaction at the default
// READ COMMITTED would see the commit between its two reads.
func TestViewIsOneMoment(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, eng)
			set := func(pct string) {
				t.Helper()
				p, err := tradeplan.ParseDecimal(pct)
				if err != nil {
					t.Fatal(err)
				}
				err = db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
					return tx.(licensing.DeclarationTx).SetUnitTolerance(ctx, "kg", p, "test", time.Now())
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			set("1")
			err := db.Licensing().View(ctx, func(ctx context.Context, tx licensing.Tx) error {
				dt := tx.(licensing.DeclarationTx)
				first, err := dt.UnitTolerance(ctx, "kg")
				if err != nil {
					return err
				}
				set("2") // committed by another connection between the two reads
				second, err := dt.UnitTolerance(ctx, "kg")
				if err != nil {
					return err
				}
				if first.String() != "1" || second.String() != first.String() {
					t.Errorf("one View read %s, then %s after another transaction's commit: want one moment (1, 1)", first, second)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
