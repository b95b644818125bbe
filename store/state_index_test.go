package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestStateIndexFollowsChain: the index of recorded rows that a
// write's row check reads (migration 0460, filled by a trigger on the audit
// log) is filled from the entries written before the migration, follows
// every entry after it, and an index entry deleted by hand (which would let
// a permit restored to an older recorded state be taken for its last) is
// reported by 'audit verify --state'.
func TestStateIndexFollowsChain(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) { testStateIndexFollowsChain(t, eng) })
	}
}

func testStateIndexFollowsChain(t *testing.T, eng string) {
	ctx := context.Background()
	dsn := storetest.DSN(t, eng)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.UseCheapPasswordHashing()
	if err := store.MigrateTo(ctx, db, 451); err != nil {
		t.Fatal(err)
	}
	f := newLicFixture(t, db)
	rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, dieselPlan(100)))
	_, permit, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Reason: "needed"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = store.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f.svc = licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen, Clock: func() time.Time { return *f.now }})
	row := "permits[id=" + strconv.FormatInt(permit.ID, 10) + "]"
	var indexed int
	if err := store.Raw(db).QueryRowContext(ctx, store.Rebind(db, "SELECT COUNT(*) FROM audit_state_rows WHERE name = ?"), row).Scan(&indexed); err != nil || indexed == 0 {
		t.Fatalf("the permit recorded before the migration is indexed %d times (%v)", indexed, err)
	}
	// Two writes after the migration: each is checked against the index
	// (a permit the index missed would be refused as never recorded).
	for _, to := range []tradeplan.PermitStatus{tradeplan.PermitSuspended, tradeplan.PermitIssued} {
		if _, err := f.svc.SetPermitStatus(ctx, f.admin, permit.ID, to, "inspection"); err != nil {
			t.Fatalf("%s after the migration: %v", to, err)
		}
	}
	if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
		t.Fatalf("state after the writes: %+v", res.Problems)
	}
	// The index's last entry of the permit deleted by hand: reported.
	if _, err := store.Raw(db).ExecContext(ctx, store.Rebind(db, "DELETE FROM audit_state_rows WHERE name = ? AND seq = (SELECT MAX(seq) FROM audit_state_rows WHERE name = ?)"), row, row); err != nil {
		t.Fatal(err)
	}
	res := must[store.StateResult](t)(db.VerifyState(ctx))
	if res.OK || len(res.Problems) != 1 || res.Problems[0].Row != row || !strings.Contains(res.Problems[0].Problem, "audit_state_rows") {
		t.Fatalf("an index entry deleted by hand: %+v", res.Problems)
	}
}
