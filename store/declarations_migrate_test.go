package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestMigrationDeclarationVersions: migration 0420 carries the
// declarations over as they were (their recorded digests still match),
// and intake, corrections and balances go on after it.
func TestMigrationDeclarationVersions(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, eng)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			db.UseCheapPasswordHashing()
			if err := store.MigrateTo(ctx, db, 350); err != nil {
				t.Fatal(err)
			}
			f := newDeclFixture(t, db)
			pn := f.permit.Number
			f.mustLoad(t, "m1", f.decl("M-1", f.orgA, "2027-02-10", 100, pn), f.decl("M-2", f.orgA, "2027-02-11", 50, pn))
			f.mustLoad(t, "m2", f.decl("M-1", f.orgA, "2027-02-10", 120, pn)) // a second version
			db.Close()
			if db, err = store.Open(ctx, dsn); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := store.Raw(db).QueryRowContext(ctx, "SELECT COUNT(*) FROM declarations").Scan(&n); err != nil || n != 3 {
				t.Fatalf("rows after the migration: %d %v", n, err)
			}
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
				t.Fatalf("state after the migration: %+v", res.Problems)
			}
			f.db = db
			f.svc = licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen, Clock: func() time.Time { return *f.now }})
			r := f.mustLoad(t, "m3", f.decl("M-1", f.orgA, "2027-02-10", 10, pn), f.decl("M-3", f.orgA, "2027-02-12", 5, pn))
			if r.Corrected != 1 || r.Loaded != 1 {
				t.Fatalf("after the migration: %+v", r)
			}
			if got := must[tradeplan.Decimal](t)(db.PermitDeclared(ctx, f.permit.ID)); got.String() != "65" {
				t.Fatalf("declared total %s; want 65 (10 + 50 + 5)", got)
			}
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
				t.Fatalf("state after a batch: %+v", res.Problems)
			}
		})
	}
}

// TestChunksOverRowsRecordedOneByOne: a declaration recorded by itself (by
// `audit seal`, or before chunks) is checked by itself until a write
// records its chunk.
func TestChunksOverRowsRecordedOneByOne(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		f.mustLoad(t, "s1", f.decl("S-1", f.orgA, "2027-02-10", 1, f.permit.Number))
		raw := store.Raw(db)
		ins := "INSERT INTO declarations (id, number, version, batch_id, line_no, day, declarant, direction, crossing, quantity, unit, val, loaded_by, loaded_at) " +
			"SELECT 10000, 'S-2', 1, batch_id, 1, day, declarant, direction, crossing, quantity, unit, val, loaded_by, loaded_at FROM declarations WHERE number = 'S-1'"
		if _, err := raw.ExecContext(ctx, ins); err != nil {
			t.Fatal(err)
		}
		res := must[store.StateResult](t)(db.VerifyState(ctx))
		if len(res.Problems) != 1 || res.Problems[0].Row != "declarations[id=10000]" || !strings.Contains(res.Problems[0].Problem, "not recorded") {
			t.Fatalf("a row inserted outside the store: %+v", res)
		}
		if n := must[int](t)(db.SealState(ctx)); n != 1 {
			t.Fatalf("sealed %d rows; want 1", n)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("after the seal: %+v", res)
		}
		if _, err := raw.ExecContext(ctx, "UPDATE declarations SET hs = '0302' WHERE id = 10000"); err != nil {
			t.Fatal(err)
		}
		res = must[store.StateResult](t)(db.VerifyState(ctx))
		if len(res.Problems) != 1 || res.Problems[0].Row != "declarations[id=10000]" || !strings.Contains(res.Problems[0].Problem, "changed outside the store") {
			t.Fatalf("a sealed row changed: %+v", res)
		}
		// The next batch starts after it, in a chunk of its own: the row stays checked by itself.
		f.mustLoad(t, "s2", f.decl("S-3", f.orgA, "2027-02-10", 1, f.permit.Number))
		res = must[store.StateResult](t)(db.VerifyState(ctx))
		if len(res.Problems) != 1 || res.Problems[0].Row != "declarations[id=10000]" {
			t.Fatalf("after the next batch: %+v", res)
		}
	})
}
