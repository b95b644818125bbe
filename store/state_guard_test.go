package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

type tradeplanDecl = licensing.DeclarationJSON

// TestChunkGuardRefusesTamperedNeighbour: a declaration changed behind the
// store's back (SQL by hand) is never absorbed into the digest a later
// write records again for its chunk. Each path that records a chunk of
// declarations again, a correction superseding another declaration of the
// chunk and a balance flag set again on one, first checks the chunk as
// stored against the digest the chain last recorded for it; on a mismatch
// the batch is refused whole, and `audit verify` still names the chunk.
func TestChunkGuardRefusesTamperedNeighbour(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper string
		batch  func(f *declFixture) (string, []tradeplanDecl)
	}{
		{"correction of a neighbour", "packed quantity 0.5 number = 'W-3'",
			func(f *declFixture) (string, []tradeplanDecl) {
				return "fix-5", []tradeplanDecl{f.decl("W-5", f.orgA, "2027-02-10", 2, f.permit.Number)}
			}},
		{"correction of a superseded row's neighbour, flags wiped", "UPDATE declarations SET flags = '[]' WHERE number = 'W-7'",
			func(f *declFixture) (string, []tradeplanDecl) {
				return "fix-1", []tradeplanDecl{f.decl("W-1", f.orgA, "2027-02-10", 3, f.permit.Number)}
			}},
		{"row deleted", "DELETE FROM declarations WHERE number = 'W-300'",
			func(f *declFixture) (string, []tradeplanDecl) {
				return "fix-301", []tradeplanDecl{f.decl("W-301", f.orgA, "2027-02-10", 2, f.permit.Number)}
			}},
		{"balance flag set again", "packed counted NOT number = 'W-9'",
			func(f *declFixture) (string, []tradeplanDecl) {
				// Over the permit's balance: declarations of w1 on it are flagged again.
				return "w3", []tradeplanDecl{f.decl("W-2000", f.orgA, "2027-02-11", 900, f.permit.Number)}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := loadChunks(t, db)
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
					t.Fatalf("state before: %+v", res.Problems)
				}
				if f, ok := strings.CutPrefix(tc.tamper, "packed "); ok { // "packed FIELD VALUE WHERE"
					parts := strings.SplitN(f, " ", 3)
					if err := store.TamperPacked(ctx, db, parts[2], parts[0], parts[1], false); err != nil {
						t.Fatal(err)
					}
				} else if _, err := store.Raw(db).ExecContext(ctx, tc.tamper); err != nil {
					t.Fatal(err)
				}
				before := must[store.StateResult](t)(db.VerifyState(ctx))
				if before.OK || len(before.Problems) != 1 {
					t.Fatalf("after tamper: %+v", before)
				}
				chunk := before.Problems[0].Row
				balance := declared(t, db, f.permit.ID)
				batch, ds := tc.batch(f)
				_, err := f.load(t, batch, ds...)
				wantCode(t, err, tradeplan.EConflict)
				if !strings.Contains(err.Error(), chunk) || !strings.Contains(err.Error(), "audit verify") {
					t.Fatalf("error does not name the chunk %s and the command: %v", chunk, err)
				}
				res := must[store.StateResult](t)(db.VerifyState(ctx))
				if res.OK || len(res.Problems) != 1 || res.Problems[0].Row != chunk || !strings.Contains(res.Problems[0].Problem, "changed outside the store") {
					t.Fatalf("after the refused batch, verify: %+v", res)
				}
				if got := declared(t, db, f.permit.ID); got != balance {
					t.Fatalf("balance %s after a refused batch; want %s", got, balance)
				}
				var n int
				if err := store.Raw(db).QueryRowContext(ctx, store.Rebind(db, "SELECT COUNT(*) FROM declaration_batches WHERE id = ?"), batch).Scan(&n); err != nil || n != 0 {
					t.Fatalf("batch %s recorded (%d, %v): it was refused", batch, n, err)
				}
			})
		})
	}
}

// TestChunkGuardCleanCorrections: with nothing changed behind the store,
// corrections of declarations in chunks already recorded (twice in a
// row, and of rows of several chunks in one batch) load, move the balance
// and verify clean.
func TestChunkGuardCleanCorrections(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := loadChunks(t, db)
		pn := f.permit.Number
		before := declared(t, db, f.permit.ID)
		f.mustLoad(t, "fix-a", f.decl("W-5", f.orgA, "2027-02-10", 2.25, pn), f.decl("W-401", f.orgA, "2027-02-10", 1.25, pn))
		f.mustLoad(t, "fix-b", f.decl("W-5", f.orgA, "2027-02-10", 1.25, pn), f.decl("W-9", f.orgA, "2027-02-10", 0.25, pn))
		// W-5 back to 1.25, W-9 down by 1 (both counted on the permit: i%4 == 1).
		want := tradeplan.MustDecimal(before).Sub(tradeplan.DecimalInt(1))
		if got := declared(t, db, f.permit.ID); got != want.String() {
			t.Fatalf("balance %s after corrections; want %s (from %s)", got, want, before)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state after clean corrections: %+v", res.Problems)
		}
	})
}

// TestChunkGuardNewBatch: a new batch never records, as chunks of its own,
// ids where rows were deleted or inserted by hand: whether the engine gives
// it those ids again (SQLite: after the highest left) or others (a
// PostgreSQL sequence), the problem `audit verify` reported before the
// batch is still reported after it.
func TestChunkGuardNewBatch(t *testing.T) {
	for _, tc := range []struct{ name, tamper string }{
		{"last chunk deleted", "DELETE FROM declarations WHERE id >= 769"},
		{"row inserted beyond the last", "INSERT INTO declarations (id, number, version, batch_id, day, declarant, packed) " +
			"SELECT 1100, 'X-1', 1, batch_id, day, declarant, packed FROM declarations WHERE number = 'W-601'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := loadChunks(t, db)
				if _, err := store.Raw(db).ExecContext(ctx, tc.tamper); err != nil {
					t.Fatal(err)
				}
				before := must[store.StateResult](t)(db.VerifyState(ctx))
				if before.OK {
					t.Fatalf("after tamper: %+v", before)
				}
				_, err := f.load(t, "w9", f.decl("W-900", f.orgA, "2027-02-11", 1, f.permit.Number), f.decl("W-901", f.orgA, "2027-02-11", 1, f.permit.Number))
				if err != nil {
					wantCode(t, err, tradeplan.EConflict)
				}
				after := must[store.StateResult](t)(db.VerifyState(ctx))
				for _, p := range before.Problems {
					if !slices.ContainsFunc(after.Problems, func(q store.StateProblem) bool { return q.Row == p.Row }) {
						t.Fatalf("%s no longer reported after batch w9 (err %v): %+v", p.Row, err, after.Problems)
					}
				}
			})
		})
	}
}

// TestChunkGuardRowsRecordedOneByOne: a chunk never recorded whose rows were
// recorded one by one (`audit seal`, or a database written before chunks)
// is checked row by row before a correction records it: clean, it loads and
// verifies clean; with a row changed by hand, it is refused and the row is
// still reported.
func TestChunkGuardRowsRecordedOneByOne(t *testing.T) {
	for _, tamper := range []bool{false, true} {
		t.Run(map[bool]string{false: "clean", true: "tampered"}[tamper], func(t *testing.T) {
			each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newDeclFixture(t, db)
				f.mustLoad(t, "s1", f.decl("S-1", f.orgA, "2027-02-10", 1, f.permit.Number))
				raw := store.Raw(db)
				// S-2 and S-3 in a chunk no batch wrote (ids 10000, 10001), sealed.
				for i, n := range []string{"S-2", "S-3"} {
					ins := "INSERT INTO declarations (id, number, version, batch_id, day, declarant, packed) " +
						"SELECT ?, ?, 1, batch_id, day, declarant, packed FROM declarations WHERE number = 'S-1'"
					if _, err := raw.ExecContext(ctx, store.Rebind(db, ins), 10000+i, n); err != nil {
						t.Fatal(err)
					}
				}
				if n := must[int](t)(db.SealState(ctx)); n != 2 {
					t.Fatalf("sealed %d rows; want 2", n)
				}
				if tamper {
					if err := store.TamperPacked(ctx, db, "id = 10001", "hs", "0302", false); err != nil {
						t.Fatal(err)
					}
				}
				_, err := f.load(t, "fix", f.decl("S-2", f.orgA, "2027-02-10", 2, f.permit.Number))
				res := must[store.StateResult](t)(db.VerifyState(ctx))
				if !tamper {
					if err != nil || !res.OK {
						t.Fatalf("correction over rows recorded one by one: %v; state %+v", err, res)
					}
					return
				}
				wantCode(t, err, tradeplan.EConflict)
				if len(res.Problems) != 1 || res.Problems[0].Row != "declarations[id=10001]" {
					t.Fatalf("after the refused correction: %+v", res)
				}
			})
		})
	}
}
