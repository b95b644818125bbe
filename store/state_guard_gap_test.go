package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestChunkGuardEveryNewChunk (redteam, wave 7): a new batch checked only
// the first chunk it fills for an earlier record. With the rows of a batch
// of several chunks deleted by hand and the PostgreSQL sequence reset to
// just below them, into a chunk never recorded, the next batch filled the
// deleted chunks and recorded them again: the deletion became the store's
// own. Every chunk a new batch fills is checked; on SQLite, whose ids
// follow the highest row, the first is the deleted batch's own.
func TestChunkGuardEveryNewChunk(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		batch := func(prefix string, n int) []licensing.DeclarationJSON {
			var ds []licensing.DeclarationJSON
			for i := 1; i <= n; i++ {
				ds = append(ds, f.decl(fmt.Sprintf("%s-%d", prefix, i), f.orgA, "2027-02-10", 0.01, pn))
			}
			return ds
		}
		raw := store.Raw(db)
		exec := func(q string) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		f.mustLoad(t, "a", batch("A", 10)...)
		if db.Engine() == "postgres" {
			// Ids left unused below the next batch: chunks never recorded.
			exec("SELECT setval(pg_get_serial_sequence('declarations', 'id'), 1000)")
		}
		f.mustLoad(t, "b", batch("B", 600)...)
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state before: %+v", res.Problems)
		}
		exec("DELETE FROM declarations WHERE number LIKE 'B-%'")
		if db.Engine() == "postgres" {
			exec("SELECT setval(pg_get_serial_sequence('declarations', 'id'), 768)")
		}
		before := must[store.StateResult](t)(db.VerifyState(ctx))
		if before.OK {
			t.Fatal("rows deleted by hand not reported")
		}
		_, err := f.load(t, "c", batch("C", 1100)...)
		wantCode(t, err, tradeplan.EConflict)
		if !strings.Contains(err.Error(), "declarations[id=") || !strings.Contains(err.Error(), "deleted") {
			t.Fatalf("error does not name a deleted chunk: %v", err)
		}
		after := must[store.StateResult](t)(db.VerifyState(ctx))
		if after.OK || len(after.Problems) != len(before.Problems) {
			t.Fatalf("after the refused batch, verify: %+v; before %+v", after.Problems, before.Problems)
		}
	})
}
