package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestPermitSearchAnyCase (redteam, wave 5): the permits list's search is
// case-insensitive for every letter, not only A-Z: "ÉTOILE", "ПОЛЛОК" and
// "ÖLMÜHLE" find what "étoile", "поллок" and "ölmühle" find, on both
// engines, whether the engine's trigram index narrows the search or not.
// Its meaning is matching each field with strings.ToLower on both sides.
func TestPermitSearchAnyCase(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		descs := []string{"Étoile brand canned fish", "Поллок мороженый (ПОЛЛОК)", "Würzburg Ölmühle seed", "ΟΔΟΣ κοσαβ ΚΟΣΑΒ",
			"İSTANBUL carpet, 5 \u212a weight", "ǅemal Ǆ dish", "Ⴀ Ა ꭰ Ꭰ", "plain rice"}
		plan := ricePlan(len(descs))
		for i, d := range descs {
			plan.Lines[i].Description = d
		}
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, plan))
		for line := 1; line <= len(descs); line++ {
			if _, _, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, line, licensing.Approval{Reason: "food"}); err != nil {
				t.Fatal(err)
			}
		}
		all := must[[]licensing.PermitView](t)(f.svc.Permits(ctx, f.rev, licensing.PermitFilter{}))
		for _, term := range []string{"ÉTOILE", "étoile", "Étoile", "ПОЛЛОК", "поллок", "Поллок", "ЛЛО", "ÖLMÜHLE", "ölmühle", "LMÜ",
			"ΟΔΟΣ", "οδοσ", "οσ", "ΚΟΣΑ", "istanbul", "İSTANBUL", "\u212a weight", "k weight", "ǆemal", "ǅEMAL", "ǆ dish", "ⴀ", "ა ꭰ", "Ꭰ Ꭰ",
			"RICE", "no such text"} {
			var want []int64
			for _, p := range all {
				for _, s := range []string{p.Number, p.HS, p.Description} {
					if strings.Contains(strings.ToLower(s), strings.ToLower(term)) {
						want = append(want, p.ID)
						break
					}
				}
			}
			slices.Reverse(want)
			var got []int64
			for _, p := range must[licensing.PermitPage](t)(f.svc.PermitPage(ctx, f.rev, licensing.PermitQuery{Search: term, Limit: 500})).Permits {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("search %q: permits %v, want %v", term, got, want)
			}
		}
	})
}

// TestTpLowerIsGoToLower: PostgreSQL's tp_lower (migration 0450) maps
// exactly the characters Go's unicode tables lower, to what they give.
func TestTpLowerIsGoToLower(t *testing.T) {
	var from, to []rune
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l != r && utf8.ValidRune(r) {
			from, to = append(from, r), append(to, l)
		}
	}
	ms := must[[]store.Migration](t)(store.Migrations("postgres"))
	i := slices.IndexFunc(ms, func(m store.Migration) bool { return m.Version == 450 })
	if i < 0 {
		t.Fatal("no migration 0450")
	}
	for _, want := range []string{"'[" + string(from) + "]'", "'" + string(from) + "', '" + string(to) + "'"} {
		if !strings.Contains(ms[i].SQL, want) {
			t.Errorf("migration 0450 lacks %.60q...: regenerate its lists from Go's unicode tables", want)
		}
	}
}

// TestCrossingConfirmedInItsTransaction (redteam, wave 5): a crossing
// change confirmed for one set of permits is not made once another permit
// has been issued at the crossing (or one ended), on both engines; with
// the impact as it is now, it is.
func TestCrossingConfirmedInItsTransaction(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, ricePlan(2)))
		if _, _, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Reason: "food"}); err != nil {
			t.Fatal(err)
		}
		shown := must[licensing.CrossingImpact](t)(f.svc.CrossingImpact(ctx, f.admin, "namyang-tumen"))
		if shown.Count != 1 {
			t.Fatalf("impact %+v, want 1 permit", shown)
		}
		if _, _, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 2, licensing.Approval{Reason: "food"}); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.SetCrossingConfirmed(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "customs resumes", shown.Digest)
		wantCode(t, err, tradeplan.EConflict)
		if !errors.Is(err, licensing.ErrCrossingImpactChanged) {
			t.Fatalf("err %v, want the impact changed", err)
		}
		if c := must[licensing.CrossingHistory](t)(f.svc.Crossing(ctx, f.admin, "namyang-tumen")); c.Crossing.Status == tradeplan.CrossingOpen {
			t.Fatal("opened on a stale confirmation")
		}
		now := must[licensing.CrossingImpact](t)(f.svc.CrossingImpact(ctx, f.admin, "namyang-tumen"))
		if now.Count != 2 {
			t.Fatalf("impact %+v, want 2", now)
		}
		must[tradeplan.Crossing](t)(f.svc.SetCrossingConfirmed(ctx, f.admin, "namyang-tumen", tradeplan.CrossingOpen, "customs resumes", now.Digest))
		// A reviewer may not learn the impact.
		_, err = f.svc.CrossingImpact(ctx, f.rev, "namyang-tumen")
		wantCode(t, err, tradeplan.EForbidden)
	})
}
