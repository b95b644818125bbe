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

// chunkOf is the state list's name of the chunk of declarations holding id
// (chunks of 256 ids).
func chunkOf(id int64) string {
	lo := (id-1)/256*256 + 1
	return fmt.Sprintf("declarations[id=%d..%d]", lo, lo+255)
}

// loadChunks loads, as batch w1, 600 declarations of every kind of column
// (text, integers, NULLs, JSON, booleans, times): two chunks of 256 whole,
// digested from the values written, and one in part, read back. Then w2
// corrects W-1 (a row of the first chunk, read again) and adds a row in a
// chunk of its own.
func loadChunks(t *testing.T, db *store.DB) *declFixture {
	f := newDeclFixture(t, db)
	pn := f.permit.Number
	var ds []licensing.DeclarationJSON
	for i := 1; i <= 600; i++ {
		d := f.decl(fmt.Sprintf("W-%d", i), f.orgA, fmt.Sprintf("2027-02-%02d", 10+i%5), 1.25, pn)
		switch i % 4 {
		case 1:
			d.Partner = &tradeplan.Party{Name: "Tumen Grain", Country: "CN"}
			d.Vessel = &tradeplan.Vessel{Name: "Kang Da", IMO: "9395317", Flag: "KP"}
		case 2:
			d.Permit = ""
		case 3:
			d.Declarant = licensing.DeclarantID(f.orgB.ID) // another holder's permit: flagged, not counted
		}
		ds = append(ds, d)
	}
	f.mustLoad(t, "w1", ds...)
	// Before anything reads the chunks again: the digests from the values written.
	if res := must[store.StateResult](t)(db.VerifyState(context.Background())); !res.OK {
		t.Fatalf("state after w1: %+v", res.Problems)
	}
	f.mustLoad(t, "w2", f.decl("W-1", f.orgA, "2027-02-10", 600, pn), f.decl("W-601", f.orgA, "2027-02-10", 1, pn))
	return f
}

// TestWrittenDigestsMatchStored: the declarations a batch inserts are
// recorded in the audit chain by chunks of 256 ids, those they fill whole
// digested from the values written, not read back. On each engine those
// digests are the ones `audit verify` computes from the rows as stored,
// and a row changed behind the store's back, in any column, is found in
// its chunk, and only there.
func TestWrittenDigestsMatchStored(t *testing.T) {
	// A tamper "packed FIELD VALUE" rewrites, well formed, one field of the
	// packed column (a column of its own before migration 0480); "NULL" is
	// NULL, "NOT" the other boolean.
	for _, tc := range []struct{ name, tamper, where string }{
		{"flags", "UPDATE declarations SET flags = '[]' WHERE %s", "number = 'W-3'"},
		{"version of a superseded row", "UPDATE declarations SET version = version + 10 WHERE %s", "number = 'W-1' AND NOT is_current"},
		{"partner", "packed partner NULL", "number = 'W-301'"},
		{"counted", "packed counted NOT", "number = 'W-300'"},
		{"current", "UPDATE declarations SET is_current = NOT is_current WHERE %s", "number = 'W-500'"},
		{"quantity of the correction", "packed quantity 6", "number = 'W-1' AND is_current"},
		{"a row of the partly filled chunk", "packed hs 110190", "number = 'W-600'"},
		{"loaded at", "packed loaded_at 2027-03-01T00:00:01Z", "number = 'W-2'"},
		{"line", "packed line_no 7", "number = 'W-4'"},
		{"vessel inside the packed column, by SQL", "UPDATE declarations SET packed = replace(packed, 'Kang Da', 'Kong Da') WHERE %s", "number = 'W-5'"},
		{"a byte after the packed fields", "UPDATE declarations SET packed = packed || '-' WHERE %s", "number = 'W-6'"},
		{"a packed length written with a leading zero", "UPDATE declarations SET packed = '0' || packed WHERE %s", "number = 'W-7'"},
		{"packed column emptied", "UPDATE declarations SET packed = '' WHERE %s", "number = 'W-8'"},
		{"deleted", "DELETE FROM declarations WHERE %s", "number = 'W-257'"},
		{"inserted", "INSERT INTO declarations (id, number, version, batch_id, day, declarant, packed) " +
			"SELECT id + 1, 'X-1', 1, batch_id, day, declarant, packed FROM declarations WHERE %s", "number = 'W-601'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				loadChunks(t, db)
				if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
					t.Fatalf("state after intake: %+v", res.Problems)
				}
				var id int64
				if err := store.Raw(db).QueryRowContext(ctx, "SELECT id FROM declarations WHERE "+tc.where).Scan(&id); err != nil {
					t.Fatal(err)
				}
				q := fmt.Sprintf(tc.tamper, tc.where)
				if f, ok := strings.CutPrefix(tc.tamper, "packed "); ok {
					field, value, _ := strings.Cut(f, " ")
					if err := store.TamperPacked(ctx, db, tc.where, field, value, value == "NULL"); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				} else if _, err := store.Raw(db).ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				res := must[store.StateResult](t)(db.VerifyState(ctx))
				if res.OK || len(res.Problems) != 1 || res.Problems[0].Row != chunkOf(id) || !strings.Contains(res.Problems[0].Problem, "changed outside the store") {
					t.Fatalf("after %s (row %d): %+v", q, id, res)
				}
			})
		})
	}
}

// TestChunksRecordedAgain: a correction, a flag changed on a declaration of
// another batch and a later batch record the chunks they write again, so
// that verify finds nothing after them; each batch's rows start a chunk
// of their own.
func TestChunksRecordedAgain(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := loadChunks(t, db)
		// w2's first row starts the chunk after w1's last: the 600 rows of w1 end at id 600.
		var id int64
		if err := store.Raw(db).QueryRowContext(ctx, store.Rebind(db, "SELECT id FROM declarations WHERE number = 'W-1' AND is_current")).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id != 769 {
			t.Fatalf("the correction of W-1 has id %d; want 769, the first of a chunk after batch w1's", id)
		}
		// Over the permit's balance: the declarations of w1 standing on it are flagged again.
		f.mustLoad(t, "w3", f.decl("W-2000", f.orgA, "2027-02-11", 900, f.permit.Number))
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state: %+v", res.Problems)
		}
		es := must[[]tradeplan.AuditEntry](t)(db.AuditLog(ctx, store.AuditFilter{Action: "declarations.import", Newest: true, Limit: 1}))
		if len(es) != 1 {
			t.Fatalf("entries: %+v", es)
		}
		for _, d := range es[0].State {
			if strings.HasPrefix(d.Row, "declarations[") && !strings.Contains(d.Row, "..") {
				t.Fatalf("a declaration recorded by itself: %+v", d)
			}
		}
	})
}
