package store_test

import (
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/store"
)

// unListCut is the real UN list without the entries drop says.
func unListCut(t *testing.T, drop func(i int) bool) tradeplan.Dataset {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, shareddata.UNList))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	var out strings.Builder
	at := 0
	for i, sp := range regexp.MustCompile(`(?s)\s*<(INDIVIDUAL|ENTITY)>.*?</(INDIVIDUAL|ENTITY)>`).FindAllStringIndex(text, -1) {
		out.WriteString(text[at:sp[0]])
		if !drop(i) {
			out.WriteString(text[sp[0]:sp[1]])
		}
		at = sp[1]
	}
	out.WriteString(text[at:])
	d := parties.UNDataset("consolidated.xml", []byte(out.String()))
	if err := parties.FinishDataset(&d, time.Now()); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestListImportGuardAtomic: two list imports at once each passed the guard
// (at most 10% of the stored entries lost) against the same stored list,
// and the second replaced the first's list unchecked: 9.5% lost, then 9.5%
// of other entries, 19% of the list gone with no --force. The write now holds
// only while the stored list is the one checked; the other import is
// refused and stores nothing.
func TestListImportGuardAtomic(t *testing.T) {
	full := unListCut(t, func(int) bool { return false })
	a := unListCut(t, func(i int) bool { return i%200 < 19 })   // 9.5%
	b := unListCut(t, func(i int) bool { return i%200 >= 181 }) // 9.5% others: 10.5% of a
	each(t, func(t *testing.T, db *store.DB) {
		if err := db.PutDataset(ctx, full); err != nil {
			t.Fatal(err)
		}
		ca, err := parties.Guard(ctx, db, a, false)
		if err != nil {
			t.Fatalf("guard a: %v", err)
		}
		cb, err := parties.Guard(ctx, db, b, false)
		if err != nil {
			t.Fatalf("guard b: %v", err)
		}
		if err := parties.Put(ctx, db, a, ca); err != nil {
			t.Fatalf("put a: %v", err)
		}
		err = parties.Put(ctx, db, b, cb)
		wantCode(t, err, tradeplan.EConflict)
		if got, _ := db.Dataset(ctx, "list", "un"); got.SHA256 != a.SHA256 {
			t.Fatalf("the stored list is not the first import's")
		}
		// Checked against the list now stored, b loses too much.
		if _, err := parties.Guard(ctx, db, b, false); tradeplan.ErrorCode(err) != tradeplan.EConflict {
			t.Fatalf("b against a: %v", err)
		}

		// At once: both check, then both write; exactly one stores.
		if err := db.PutDataset(ctx, full); err != nil {
			t.Fatal(err)
		}
		var checked, wg sync.WaitGroup
		checked.Add(2)
		errs := make([]error, 2)
		for i, d := range []tradeplan.Dataset{a, b} {
			wg.Go(func() {
				c, err := parties.Guard(ctx, db, d, false)
				checked.Done()
				checked.Wait()
				if err == nil {
					err = parties.Put(ctx, db, d, c)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two imports at once: %v, %v; want exactly one stored", errs[0], errs[1])
		}
	})
}
