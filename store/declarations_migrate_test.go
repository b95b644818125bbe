package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// oldDecls are declarations as intake decided them, for the layouts
// before migration 0480: every kind of field (NULL and JSON partner and
// vessel, flags, counted both ways, a decimal value).
func oldDecls(f *declFixture, batch string, first int, n int) []licensing.Declaration {
	var ds []licensing.Declaration
	for i := first; i < first+n; i++ {
		d := licensing.Declaration{Number: fmt.Sprintf("M-%d", i), Version: 1, Batch: batch, Line: i - first + 2, Date: lday("2027-02-10").AddDate(0, 0, i%3),
			Declarant: f.orgA.ID, Direction: tradeplan.Export, Description: "wheat flour, 25 kg bags", HS: "110100", Origin: "CN", Destination: "KP",
			Crossing: "Namyang-Tumen", PermitNumber: f.permit.Number, PermitID: f.permit.ID, Matched: f.permit.Number,
			Quantity: tradeplan.D(float64(i)), Unit: "t", Value: tradeplan.D(float64(i) * 412.5), Currency: "USD", Counted: true,
			Flags: []licensing.Flag{}, Current: true, LoadedBy: "officer@customs", LoadedAt: lday("2027-03-01").Add(time.Duration(i) * 1500 * time.Microsecond)}
		switch i % 3 {
		case 0:
			d.Partner = &tradeplan.Party{Name: "Tumen Grain", Country: "CN"}
			d.Vessel = &tradeplan.Vessel{Name: "Kang Da", IMO: "9395317", Flag: "KP"}
		case 1:
			d.Counted = false
			d.Flags = []licensing.Flag{{Rule: licensing.FlagOtherHolder, Declaration: d.Number, Permit: f.permit.Number, Message: "another holder's permit"}}
			d.Description = "a field with \"quotes\", 12:34 and a - dash"
		}
		ds = append(ds, d)
	}
	return ds
}

// TestMigrationDeclarationsPacked: declarations written in the layouts
// before migration 0480 (as of 0350 and of 0420), their chunks recorded by
// the audit chain as they stood, are packed by 0480: the audit entries
// recorded before still verify (a row digests as before), every field
// reads back as written, a correction supersedes one and its permit's
// balance follows, and a packed column changed by hand is found.
func TestMigrationDeclarationsPacked(t *testing.T) {
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
			written := oldDecls(f, "m1", 1, 300) // two chunks: one whole, one in part
			if err := store.WriteDeclarationsBefore0480(ctx, db, "m1", written); err != nil {
				t.Fatal(err)
			}
			if err := store.MigrateTo(ctx, db, 470); err != nil {
				t.Fatal(err)
			}
			m2 := oldDecls(f, "m2", 301, 3)
			if err := store.WriteDeclarationsBefore0480(ctx, db, "m2", m2); err != nil {
				t.Fatal(err)
			}
			written = append(written, m2...)
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
				t.Fatalf("state before 0480: %+v", res.Problems)
			}
			db.Close()
			if db, err = store.Open(ctx, dsn); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := store.Raw(db).QueryRowContext(ctx, "SELECT COUNT(*) FROM declarations").Scan(&n); err != nil || n != len(written) {
				t.Fatalf("rows after the migration: %d %v", n, err)
			}
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK || res.Recorded == 0 {
				t.Fatalf("state after the migration: %+v", res)
			}
			if res := must[store.VerifyResult](t)(db.VerifyAudit(ctx)); !res.OK {
				t.Fatalf("audit chain after the migration: %+v", res)
			}
			numbers := make([]string, len(written))
			for i, d := range written {
				numbers[i] = d.Number
			}
			var got map[string]licensing.Declaration
			err = db.Licensing().View(ctx, func(ctx context.Context, tx licensing.Tx) error {
				got, err = tx.(licensing.DeclarationTx).CurrentDeclarations(ctx, numbers)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range written {
				g := got[w.Number]
				if g.LoadedAt.Equal(w.LoadedAt) && g.Date.Equal(w.Date) {
					g.LoadedAt, g.Date = w.LoadedAt, w.Date
				}
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("%s after the migration:\n got %+v\nwant %+v", w.Number, g, w)
				}
			}
			f.db = db
			f.svc = licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen, Clock: func() time.Time { return *f.now }})
			before := must[tradeplan.Decimal](t)(db.PermitDeclared(ctx, f.permit.ID))
			// M-3 (counted, 3 t) corrected to 1 t, M-302 (counted, 302 t) to 2 t.
			r := f.mustLoad(t, "m3", f.decl("M-3", f.orgA, "2027-02-10", 1, f.permit.Number), f.decl("M-302", f.orgA, "2027-02-10", 2, f.permit.Number),
				f.decl("M-900", f.orgA, "2027-02-12", 5, f.permit.Number))
			if r.Corrected != 2 || r.Loaded != 1 {
				t.Fatalf("after the migration: %+v", r)
			}
			want := before.Sub(tradeplan.D(3 + 302)).Add(tradeplan.D(1 + 2 + 5))
			if got := must[tradeplan.Decimal](t)(db.PermitDeclared(ctx, f.permit.ID)); got.Cmp(want) != 0 {
				t.Fatalf("declared total %s; want %s", got, want)
			}
			if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
				t.Fatalf("state after a correction: %+v", res.Problems)
			}
			if err := store.TamperPacked(ctx, db, "number = 'M-2'", "quantity", "0.5", false); err != nil {
				t.Fatal(err)
			}
			res := must[store.StateResult](t)(db.VerifyState(ctx))
			if len(res.Problems) != 1 || res.Problems[0].Row != "declarations[id=1..256]" {
				t.Fatalf("a packed row changed by hand after the migration: %+v", res)
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
		ins := "INSERT INTO declarations (id, number, version, batch_id, day, declarant, packed) " +
			"SELECT 10000, 'S-2', 1, batch_id, day, declarant, packed FROM declarations WHERE number = 'S-1'"
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
		if err := store.TamperPacked(ctx, db, "id = 10000", "hs", "0302", false); err != nil {
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
