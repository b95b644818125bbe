package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestAttackStateIndexForged: an insider with the database edits a permit
// (its quantity times a thousand) and hand-inserts into the index of
// recorded rows (audit_state_rows) an entry with a later seq carrying the
// edited row's digest. The row check of the next write reads the index,
// so it would take the edited row for recorded and write it into the
// chain as the store's own; with the seq the next entry takes, the
// trigger's own entry then even replaces the forged one (SQLite), and
// 'audit verify --state' passes. The write must be refused, and verify
// must report the forged entry.
func TestAttackStateIndexForged(t *testing.T) {
	for _, ahead := range []int64{1, 5} {
		t.Run("seq+"+strconv.FormatInt(ahead, 10), func(t *testing.T) {
			each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newDeclFixture(t, db)
				raw := store.Raw(db)
				row := "permits[id=" + strconv.FormatInt(f.permit.ID, 10) + "]"
				if _, err := raw.ExecContext(ctx, store.Rebind(db, "UPDATE permits SET quantity = quantity * 1000, val = val * 1000 WHERE id = ?"), f.permit.ID); err != nil {
					t.Fatal(err)
				}
				digest := must[string](t)(store.RowDigest(ctx, db, "permits", f.permit.ID))
				var head int64
				if err := raw.QueryRowContext(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&head); err != nil {
					t.Fatal(err)
				}
				if _, err := raw.ExecContext(ctx, store.Rebind(db, "INSERT INTO audit_state_rows (name, seq, digest) VALUES (?, ?, ?)"), row, head+ahead, digest); err != nil {
					t.Fatal(err)
				}
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); res.OK {
					t.Fatalf("verify does not report the forged index entry: %+v", res)
				}
				_, err := f.svc.UsePermit(ctx, f.provA, f.permit.ID, licensing.UseInput{Quantity: tradeplan.D(1500), Value: tradeplan.D(1), Reference: "CD-9"})
				wantCode(t, err, tradeplan.EConflict)
				if !strings.Contains(err.Error(), row) {
					t.Fatalf("error does not name %s: %v", row, err)
				}
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); res.OK {
					t.Fatalf("after the write, verify passes: the edited permit is blessed: %+v", res)
				}
			})
		})
	}
}

// TestAttackStateIndexRollback: the insider deletes the index's last entry
// of a permit (its use) and restores the permit to the state recorded
// before the use (nothing used). The row check reads the index, which now
// says the permit was last recorded unused, so the next use is taken; the
// chain then records the permit as used once less than it was. 'audit
// verify --state' must report the deleted index entry, also after that
// write (when the index's last entry again agrees with the chain's).
func TestAttackStateIndexRollback(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		raw := store.Raw(db)
		row := "permits[id=" + strconv.FormatInt(f.permit.ID, 10) + "]"
		var before [3]any
		read := func() [3]any {
			t.Helper()
			var r [3]any
			if err := raw.QueryRowContext(ctx, store.Rebind(db, "SELECT quantity_used, value_used, updated_at FROM permits WHERE id = ?"), f.permit.ID).Scan(&r[0], &r[1], &r[2]); err != nil {
				t.Fatal(err)
			}
			return r
		}
		before = read()
		recorded := must[string](t)(store.RowDigest(ctx, db, "permits", f.permit.ID))
		use := func(ref string) error {
			_, err := f.svc.UsePermit(ctx, f.provA, f.permit.ID, licensing.UseInput{Quantity: tradeplan.D(1), Value: tradeplan.D(0.1), Reference: ref})
			return err
		}
		if err := use("CD-1"); err != nil {
			t.Fatal(err)
		}
		var last int64
		if err := raw.QueryRowContext(ctx, store.Rebind(db, "SELECT MAX(seq) FROM audit_state_rows WHERE name = ?"), row).Scan(&last); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, store.Rebind(db, "UPDATE permits SET quantity_used = ?, value_used = ?, updated_at = ? WHERE id = ?"), before[0], before[1], before[2], f.permit.ID); err != nil {
			t.Fatal(err)
		}
		if d := must[string](t)(store.RowDigest(ctx, db, "permits", f.permit.ID)); d != recorded {
			t.Fatalf("the permit restored by hand is not the state recorded before its use (%s, want %s)", d, recorded)
		}
		if _, err := raw.ExecContext(ctx, store.Rebind(db, "DELETE FROM audit_state_rows WHERE name = ? AND seq = ?"), row, last); err != nil {
			t.Fatal(err)
		}
		// The row check cannot see this (the index is all it reads); the
		// write goes through or is refused, and either way verify reports.
		_ = use("CD-2")
		res := must[store.StateResult](t)(db.VerifyState(ctx))
		if res.OK {
			t.Fatalf("an index entry deleted by hand, then a write: verify passes (%v used, the chain lost a use)", read())
		}
		found := false
		for _, p := range res.Problems {
			found = found || p.Row == row && strings.Contains(p.Problem, "audit_state_rows")
		}
		if !found {
			t.Fatalf("verify does not name the index entry of %s: %+v", row, res.Problems)
		}
	})
}
