package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

// TestWrittenDigestsMatchStored: the declarations a batch inserts are
// digested from the values written, not read back; on each engine those
// digests are the ones `audit verify` computes from the rows as stored
// (every kind of column: text, integers, NULLs, JSON, booleans, times), and
// a row of such a batch changed behind the store's back, in any column, is
// still found.
func TestWrittenDigestsMatchStored(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		withParties := f.decl("W-2", f.orgA, "2027-02-11", 2, "")
		withParties.Partner = &tradeplan.Party{Name: "Tumen Grain", Country: "CN"}
		withParties.Vessel = &tradeplan.Vessel{Name: "Kang Da", IMO: "9395317", Flag: "KP"}
		f.mustLoad(t, "w1", f.decl("W-1", f.orgA, "2027-02-10", 1.25, pn), withParties, f.decl("W-3", f.orgB, "2027-02-12", 3, pn))
		// A correction supersedes W-1 (a row of w1, re-read) and inserts its new version.
		f.mustLoad(t, "w2", f.decl("W-1", f.orgA, "2027-02-10", 600, pn))
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state after intake: %+v", res.Problems)
		}
		// Each change to another row: one more problem each time.
		for i, tamper := range []string{
			"UPDATE declarations SET flags = '[]' WHERE number = 'W-1' AND is_current",
			"UPDATE declarations SET version = version + 10 WHERE number = 'W-1' AND NOT is_current",
			"UPDATE declarations SET partner = NULL WHERE number = 'W-2'",
			"UPDATE declarations SET counted = NOT counted WHERE number = 'W-3'",
		} {
			if _, err := store.Raw(db).ExecContext(ctx, tamper); err != nil {
				t.Fatalf("%s: %v", tamper, err)
			}
			res := must[store.StateResult](t)(db.VerifyState(ctx))
			if res.OK || len(res.Problems) != i+1 {
				t.Fatalf("after %s: %+v", tamper, res)
			}
			for _, p := range res.Problems {
				if !strings.HasPrefix(p.Row, "declarations[") || !strings.Contains(p.Problem, "changed outside the store") {
					t.Fatalf("after %s: %+v", tamper, p)
				}
			}
		}
	})
}
