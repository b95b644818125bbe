package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

func ricePlan(n int) *tradeplan.Plan {
	p := &tradeplan.Plan{Organisation: "province"}
	for i := range n {
		p.Lines = append(p.Lines, tradeplan.Line{Direction: tradeplan.Import, Description: fmt.Sprintf("Milled rice, lot %d", i+1), HS: "100630",
			Origin: "CN", Destination: "KP", Quantity: tradeplan.D(100), Unit: "t", Value: tradeplan.D(50000), Currency: "USD", Crossing: "namyang-tumen"})
	}
	return p
}

// checkPermitCounts: the summary rows (permit_counts) hold what counting
// every permit gives, and the service's totals and charts, read from them,
// are what reading every permit the actor may see gives.
func checkPermitCounts(t *testing.T, db *store.DB, f *licFixture, when string) {
	t.Helper()
	ctx := context.Background()
	raw := store.Raw(db)
	used := "CASE WHEN quantity_used = 0 THEN 0 WHEN quantity_used = quantity THEN 2 ELSE 1 END"
	if !strings.Contains(store.Rebind(db, "?"), "$") {
		used = "CASE WHEN quantity_used = '0' THEN 0 WHEN quantity_used = quantity THEN 2 ELSE 1 END"
	}
	read := func(q string) []string {
		rows, err := raw.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var issuer, holder, used, n int64
			var crossing, direction, status string
			var validTo any
			if err := rows.Scan(&issuer, &holder, &crossing, &direction, &status, &validTo, &used, &n); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(issuer, holder, crossing, direction, status, validTo, used, n))
		}
		return out
	}
	want := read(`SELECT COALESCE(c.issuer, 0), p.holder, p.crossing, p.direction, p.status, p.valid_to, ` + strings.ReplaceAll(used, "quantity", "p.quantity") + `, COUNT(*)
		FROM permits p LEFT JOIN calls c ON c.id = p.call_id GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`)
	got := read(`SELECT issuer, holder, crossing, direction, status, valid_to, used, n FROM permit_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: permit_counts\n%v\nwant (counted)\n%v", when, got, want)
	}
	now := *f.now
	for _, a := range []tradeplan.Actor{f.rev, f.provA, f.provB} {
		all := must[[]licensing.PermitView](t)(f.svc.Permits(ctx, a, licensing.PermitFilter{}))
		for _, q := range []licensing.PermitQuery{{}, {Status: tradeplan.PermitIssued}, {Status: tradeplan.PermitExpired},
			{Status: tradeplan.PermitSuspended}, {Crossing: "namyang-tumen", Status: tradeplan.PermitIssued}, {Holder: f.orgA.ID},
			{Direction: tradeplan.Export}} {
			var wantSt licensing.PermitStats
			for _, p := range all {
				eff := licensing.EffectiveStatus(p.Permit, now)
				if (q.Status == "" || eff == q.Status) && (q.Crossing == "" || p.Crossing == q.Crossing) &&
					(q.Holder == 0 || p.Holder == q.Holder) && (q.Direction == "" || p.Direction == q.Direction) {
					wantSt.Add(eff, licensing.UsedState(p.Permit), 1)
				}
			}
			st := must[licensing.PermitStats](t)(f.svc.PermitStats(ctx, a, q))
			if st.Total != wantSt.Total || st.Used != wantSt.Used {
				t.Errorf("%s: %s %+v: stats %+v, want %+v", when, a.Org.Name, q, st, wantSt)
			}
			for _, s := range licensing.PermitStatuses {
				if st.ByStatus[s] != wantSt.ByStatus[s] {
					t.Errorf("%s: %s %+v: %s %d, want %d", when, a.Org.Name, q, s, st.ByStatus[s], wantSt.ByStatus[s])
				}
			}
			pg := must[licensing.PermitPage](t)(f.svc.PermitPage(ctx, a, q))
			if pg.Total != wantSt.Total || pg.More {
				t.Errorf("%s: %s %+v: page total %d (more %v), want %d", when, a.Org.Name, q, pg.Total, pg.More, wantSt.Total)
			}
		}
	}
}

// TestPermitCountsFollowEveryChange: the summary rows the pages count
// from follow every change of a permit, through the service, through any
// SQL statement, and with two requests at once, on both engines; and each
// reader counts only the permits it may see.
func TestPermitCountsFollowEveryChange(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		checkPermitCounts(t, db, f, "empty")
		var permits []tradeplan.Permit
		for _, sub := range []tradeplan.Actor{f.provA, f.provB} {
			rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, sub, f.call.ID, 0, ricePlan(4)))
			for line := 1; line <= 4; line++ {
				_, p, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, line, licensing.Approval{Reason: "food"})
				if err != nil {
					t.Fatal(err)
				}
				permits = append(permits, p)
			}
		}
		checkPermitCounts(t, db, f, "issued")
		// One organisation never counts another's permits.
		for _, c := range []struct {
			a    tradeplan.Actor
			want int
		}{{f.rev, 8}, {f.provA, 4}, {f.provB, 4}} {
			if st := must[licensing.PermitStats](t)(f.svc.PermitStats(ctx, c.a, licensing.PermitQuery{})); st.Total != c.want {
				t.Errorf("%s counts %d permits, want %d", c.a.Org.Name, st.Total, c.want)
			}
		}
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, permits[0].ID, tradeplan.PermitSuspended, "inspection"))
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, permits[5].ID, tradeplan.PermitRevoked, "fraud"))
		checkPermitCounts(t, db, f, "suspended and revoked")
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, permits[0].ID, tradeplan.PermitIssued, "cleared"))
		checkPermitCounts(t, db, f, "reinstated")

		// Any statement, not only the store's: some used, all used.
		raw := store.Raw(db)
		for _, st := range []string{
			fmt.Sprintf("UPDATE permits SET quantity_used = '40' WHERE id = %d", permits[1].ID),
			fmt.Sprintf("UPDATE permits SET quantity_used = quantity, status = 'exhausted' WHERE id = %d", permits[2].ID),
			fmt.Sprintf("UPDATE permits SET crossing = 'sinuiju-dandong' WHERE id = %d", permits[6].ID),
		} {
			if _, err := raw.ExecContext(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		checkPermitCounts(t, db, f, "used and moved by SQL")
		// Recorded, as if the store had written them: the service's
		// later writes refuse permits changed behind its back.
		if err := store.RecordState(ctx, db, "permits", "id IN (?, ?, ?)", permits[1].ID, permits[2].ID, permits[6].ID); err != nil {
			t.Fatal(err)
		}

		// Two requests at once on permits that share a summary row: every
		// change is counted once.
		for round := range 4 {
			to := tradeplan.PermitSuspended
			if round%2 == 1 {
				to = tradeplan.PermitIssued
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			start := make(chan struct{})
			for i, id := range []int64{permits[3].ID, permits[7].ID} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = f.svc.SetPermitStatus(ctx, f.admin, id, to, "at once")
				}()
			}
			close(start)
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			checkPermitCounts(t, db, f, fmt.Sprintf("two at once, round %d", round))
		}

		// Past the last day: expired without a write, then written.
		*f.now = permits[0].ValidTo.AddDate(0, 0, 2)
		checkPermitCounts(t, db, f, "past the last day")
		if _, err := f.svc.ExpirePermits(ctx, f.admin); err != nil {
			t.Fatal(err)
		}
		checkPermitCounts(t, db, f, "expired")
		*f.now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	})
}

// TestPermitSearchKeepsItsMeaning: the list's text search, narrowed by the
// engine's trigram index, finds what matching each field finds: any part
// of the number, HS code or description, whatever the case of any letter (TestPermitSearchAnyCase), the pattern
// characters taken literally, in the reader's scope only; a text found in
// many permits is counted to licensing.CountCap ("more than").
func TestPermitSearchKeepsItsMeaning(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		plan := ricePlan(5)
		for i, d := range []string{"Milled RICE 100% polished", "rice_bran oil", `Maize "yellow" dent`, "Würzburg Ölmühle seed", "ice cream machines"} {
			plan.Lines[i].Description = d
		}
		plan.Lines[4].HS = "841869"
		var mine []tradeplan.Permit
		for _, sub := range []tradeplan.Actor{f.provA, f.provB} {
			rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, sub, f.call.ID, 0, plan))
			for line := 1; line <= 5; line++ {
				_, p, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, line, licensing.Approval{Reason: "food"})
				if err != nil {
					t.Fatal(err)
				}
				if sub.Org.ID == f.orgA.ID {
					mine = append(mine, p)
				}
			}
		}
		// Many more of orgB's last permit, by SQL: a text in thousands of
		// permits ("cream") besides rare ones.
		q := `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2500)
		  INSERT INTO permits (number, holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination,
		    partner, crossing, unit, currency, quantity, val, quantity_used, value_used, valid_from, valid_to, status, status_reason,
		    citations, issued_by, issued_at, updated_at)
		  SELECT t.number || '-COPY-' || s.n, t.holder, t.call_id, t.plan_id, t.plan_version, t.line_no, t.direction, t.description, t.hs,
		    t.origin, t.destination, t.partner, t.crossing, t.unit, t.currency, t.quantity, t.val, t.quantity_used, t.value_used, t.valid_from,
		    t.valid_to, t.status, t.status_reason, t.citations, t.issued_by, t.issued_at, t.updated_at
		  FROM s CROSS JOIN permits t WHERE t.id = (SELECT MAX(id) FROM permits)`
		if _, err := store.Raw(db).ExecContext(ctx, store.Rebind(db, q)); err != nil {
			t.Fatal(err)
		}
		checkPermitCounts(t, db, f, "copied")
		for _, a := range []tradeplan.Actor{f.rev, f.provA} {
			all := must[[]licensing.PermitView](t)(f.svc.Permits(ctx, a, licensing.PermitFilter{}))
			for _, term := range []string{"rice", "RICE", "100%", "0%", "e_b", "_", `"yellow"`, "würz", "lmühle", "ic", "ice", "cream",
				"1006.30", "0063", mine[2].Number, strings.ToLower(mine[2].Number[3:]), "COPY-17", "no such text", "ice cream machines",
				// FTS5 query syntax is text like any other (redteam2).
				`holder:1`, `description:rice`, `{number hs}:rice`, `ric*`, `rice OR maize`, `NEAR(rice bran)`, `NEAR(rice bran, 2)`,
				`-rice`, `"`, `""`, `"""`, `^ric`, `rice AND`, `AND`, `(rice)`, `'`, `\`, `*`, `ice"`, `"ice`} {
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
				pq := licensing.PermitQuery{Search: term, Limit: 500}
				pg := must[licensing.PermitPage](t)(f.svc.PermitPage(ctx, a, pq))
				total, more := pg.Total, pg.More
				for {
					for _, p := range pg.Permits {
						got = append(got, p.ID)
					}
					if pg.Next == 0 {
						break
					}
					pq.Before = pg.Next
					pg = must[licensing.PermitPage](t)(f.svc.PermitPage(ctx, a, pq))
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: search %q: %d permits %v, want %d %v", a.Org.Name, term, len(got), head(got), len(want), head(want))
				}
				if wantMore := len(want) > licensing.CountCap; more != wantMore || (!more && total != len(want)) || (more && total != licensing.CountCap) {
					t.Errorf("%s: search %q: total %d more %v, want %d", a.Org.Name, term, total, more, len(want))
				}
			}
		}
	})
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }
