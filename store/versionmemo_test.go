package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// readVersion reads plan id's version n through db.
func readVersion(t *testing.T, db *store.DB, id int64, n int) tradeplan.PlanVersion {
	t.Helper()
	var v tradeplan.PlanVersion
	err := db.Licensing().View(context.Background(), func(ctx context.Context, tx licensing.Tx) error {
		var err error
		v, err = tx.PlanVersion(ctx, id, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// callVersion reads plan id's current version through CallVersions.
func callVersion(t *testing.T, db *store.DB, call, id int64) tradeplan.PlanVersion {
	t.Helper()
	var out tradeplan.PlanVersion
	err := db.Licensing().View(context.Background(), func(ctx context.Context, tx licensing.Tx) error {
		vs, err := tx.(licensing.CallPlansTx).CallVersions(ctx, call)
		for _, v := range vs {
			if v.PlanID == id {
				out = v
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVersionMemo: a plan version read again is decoded from the memo
// (hits), yet every read gives what the row holds now, whoever changed
// it: the service rewriting the row of the same version (as assessing a
// line does), SQL by hand, another handle on the same database, a write
// rolled back; and a reader that changes what it was given changes
// nothing another reader gets.
func TestVersionMemo(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			dsn := storetest.DSN(t, eng)
			db := must[*store.DB](t)(store.Open(context.Background(), dsn))
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			f := newLicFixture(t, db)
			rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselPlan(100000)))
			want := readVersion(t, db, rec.ID, 1)
			if want.Report == nil || len(want.Report.Lines) != 2 || want.Report.Lines[0].Findings[0].Cap == nil || want.Plan.Lines[0].Partner == nil {
				t.Fatalf("the seeded version lacks what the test changes: %+v", want)
			}
			hits0, _, _, _ := store.VersionMemoStats(db)

			// Every part a caller could change, changed in what one read
			// gave: the next reads, from the memo, are as stored.
			for _, read := range []func() tradeplan.PlanVersion{
				func() tradeplan.PlanVersion { return readVersion(t, db, rec.ID, 1) },
				func() tradeplan.PlanVersion { return callVersion(t, db, f.call.ID, rec.ID) },
			} {
				got := read()
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("a read from the memo differs:\n got %+v\nwant %+v", got, want)
				}
				got.Plan.Lines[0].Description = "changed"
				got.Plan.Lines[0].Partner.Name = "changed"
				got.Plan.Lines = append(got.Plan.Lines[:1], tradeplan.Line{Description: "added"})
				got.Report.Lines[0].Findings[0].Cap.Unit = "changed"
				got.Report.Lines[0].Findings[0].Basis.Rule = "changed"
				got.Report.Lines[1].Findings = append(got.Report.Lines[1].Findings[:0], tradeplan.Finding{Kind: "added"})
				got.Report.Lines[0].HS.Code = "changed"
				got.Report.Summary.Lines = 99
				got.Report.Lines = got.Report.Lines[:1]
				if again := read(); !reflect.DeepEqual(again, want) {
					t.Fatalf("a change to what one read gave shows in the next:\n got %+v\nwant %+v", again, want)
				}
			}
			if hits, _, _, _ := store.VersionMemoStats(db); hits < hits0+4 {
				t.Fatalf("the memo was not used: %d hits, %d before", hits, hits0)
			}

			// The row rewritten through the store, in place (same plan and
			// version), as assessing a line rewrites the report.
			changed := readVersion(t, db, rec.ID, 1)
			changed.Report.Lines[0].HS.Code = "271020"
			changed.Report.Lines[0].Verdict = tradeplan.Review
			if err := db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
				return tx.PutPlanVersion(ctx, changed)
			}); err != nil {
				t.Fatal(err)
			}
			if got := readVersion(t, db, rec.ID, 1); !reflect.DeepEqual(got, changed) {
				t.Fatalf("after the row was rewritten: got %+v", got.Report.Lines[0])
			}
			if got := callVersion(t, db, f.call.ID, rec.ID); !reflect.DeepEqual(got, changed) {
				t.Fatalf("CallVersions after the row was rewritten: got %+v", got.Report.Lines[0])
			}

			// A write rolled back leaves what was committed.
			rolled := readVersion(t, db, rec.ID, 1)
			rolled.Plan.Lines[0].Description = "never committed"
			errRollback := errors.New("roll back")
			err := db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
				if err := tx.PutPlanVersion(ctx, rolled); err != nil {
					return err
				}
				if v, err := tx.PlanVersion(ctx, rec.ID, 1); err != nil || v.Plan.Lines[0].Description != "never committed" {
					t.Errorf("inside the transaction: %v %q", err, v.Plan.Lines[0].Description)
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
			if got := readVersion(t, db, rec.ID, 1); !reflect.DeepEqual(got, changed) {
				t.Fatalf("after a rolled-back write: got %q", got.Plan.Lines[0].Description)
			}

			// SQL by hand, behind the store's back.
			byHand := changed
			byHand.Report = &tradeplan.PlanReport{}
			*byHand.Report = *changed.Report
			byHand.Report.AsOf = "2027-02-02"
			text, err := json.Marshal(byHand.Report)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.Raw(db).Exec(store.Rebind(db, "UPDATE plan_versions SET report = ? WHERE plan_id = ? AND version = ?"), string(text), rec.ID, 1); err != nil {
				t.Fatal(err)
			}
			if got := readVersion(t, db, rec.ID, 1); got.Report.AsOf != "2027-02-02" {
				t.Fatalf("after SQL by hand: as of %q", got.Report.AsOf)
			}
			// Recorded, as if the store had written it: the next write
			// refuses a row changed behind its back.
			if err := store.RecordState(ctx, db, "plan_versions", "plan_id = ? AND version = ?", rec.ID, 1); err != nil {
				t.Fatal(err)
			}

			// Another handle on the same database (another server) changes
			// the row; this one reads the change.
			other := must[*store.DB](t)(store.Open(context.Background(), dsn))
			defer other.Close()
			fromOther := readVersion(t, other, rec.ID, 1)
			fromOther.Plan.Lines[0].Description = "from the other server"
			if err := other.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
				return tx.PutPlanVersion(ctx, fromOther)
			}); err != nil {
				t.Fatal(err)
			}
			if got := readVersion(t, db, rec.ID, 1); !reflect.DeepEqual(got, fromOther) {
				t.Fatalf("after another server's change: got %q", got.Plan.Lines[0].Description)
			}
		})
	}
}

// TestVersionMemoBounded: the memo holds at most its bounds, the versions
// read longest ago dropped first, and what it dropped reads as stored.
func TestVersionMemoBounded(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		f := newLicFixture(t, db)
		var ids []int64
		for _, a := range []tradeplan.Actor{f.provA, f.provB} {
			rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, a, f.call.ID, 0, dieselPlan(100)))
			ids = append(ids, rec.ID)
		}
		store.LimitVersionMemo(db, 1<<20, 1)
		first := readVersion(t, db, ids[0], 1)
		second := readVersion(t, db, ids[1], 1)
		if _, _, n, text := store.VersionMemoStats(db); n != 1 || text == 0 {
			t.Fatalf("memo holds %d versions (%d bytes), bound 1", n, text)
		}
		_, misses, _, _ := store.VersionMemoStats(db)
		if got := readVersion(t, db, ids[0], 1); !reflect.DeepEqual(got, first) {
			t.Fatalf("a dropped version reads %+v", got)
		}
		if _, m, _, _ := store.VersionMemoStats(db); m != misses+1 {
			t.Fatalf("the dropped version was not decoded again: %d misses, %d before", m, misses)
		}
		// A version larger than a quarter of the text bound is never kept:
		// each read decodes it.
		store.LimitVersionMemo(db, 64, 100)
		for range 2 {
			_, before, _, _ := store.VersionMemoStats(db)
			if got := readVersion(t, db, ids[1], 1); !reflect.DeepEqual(got, second) {
				t.Fatalf("a version too large to keep reads %+v", got)
			}
			if _, m, _, _ := store.VersionMemoStats(db); m != before+1 {
				t.Fatalf("a version too large to keep was not decoded: %d misses, %d before", m, before)
			}
		}
	})
}

// TestVersionMemoConcurrent: readers at once, each changing what it was
// given, while a writer rewrites the row between two states: every read
// is one of the two (run with -race).
func TestVersionMemoConcurrent(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		f := newLicFixture(t, db)
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselPlan(100)))
		a := readVersion(t, db, rec.ID, 1)
		b := readVersion(t, db, rec.ID, 1)
		b.Plan.Lines[0].Description = "state b"
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			defer close(done)
			for i := range 20 {
				v := a
				if i%2 == 0 {
					v = b
				}
				if err := db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error { return tx.PutPlanVersion(ctx, v) }); err != nil {
					t.Error(err)
					return
				}
			}
		})
		for range 4 {
			wg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					got := readVersion(t, db, rec.ID, 1)
					if !reflect.DeepEqual(got, a) && !reflect.DeepEqual(got, b) {
						t.Errorf("a read is neither state: %q", got.Plan.Lines[0].Description)
						return
					}
					got.Plan.Lines[0].Description = "changed by a reader"
					got.Report.Lines[0].Findings[0].Cap.Unit = "changed by a reader"
				}
			})
		}
		wg.Wait()
	})
}
