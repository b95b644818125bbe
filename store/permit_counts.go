package store

import (
	"context"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// The permits' counts (table permit_counts, kept by triggers in the
// transaction of every change to a permit, migration 0300): the totals,
// charts and crossings of the web pages read a few hundred summary rows
// instead of counting every permit.

// sparsePermits is the number of matching permits up to which a page is
// read through the filters' indexes and sorted, rather than by walking the
// newest permits until the page is full.
const sparsePermits = 2000

// permitSearcher is a dialect with a trigram index over the permits'
// number, HS code and description: permitSearch returns a condition that
// keeps every permit whose text contains s (and maybe some more; the
// caller matches the text exactly), or "" when the index would not help.
type permitSearcher interface {
	permitSearch(ctx context.Context, t *licTx, s string) (string, []any, error)
}

// permitOrderer is a dialect whose planner needs telling how to read a
// page of permits: permitOrder returns what follows "FROM permits" before
// the WHERE clause, and the ORDER BY, for a selection of few permits
// (sparse: read through the filters' indexes and sort) or of many (walk
// the newest permits until the page is full).
type permitOrderer interface {
	permitOrder(sparse bool) (from, order string)
}

// countable reports whether the summary rows answer f and q exactly: they
// keep no plan, call or text.
func countable(f licensing.PermitFilter, q licensing.PermitQuery) bool {
	return f.PlanID == 0 && f.CallID == 0 && q.Search == ""
}

// countWhere is permitWhere over permit_counts: the scope by holder and
// by the issuer of the permit's call, then the shared columns.
func countWhere(f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (string, []any) {
	where, args := " WHERE n > 0", []any{}
	if f.Issuers == nil {
		where, args = inList(where, args, "holder", f.Holders)
	} else {
		cond := "1 = 0"
		if len(f.Holders) > 0 {
			cond = "holder IN (" + placeholders(len(f.Holders)) + ")"
			for _, id := range f.Holders {
				args = append(args, id)
			}
		}
		if len(f.Issuers) > 0 {
			cond += " OR issuer IN (" + placeholders(len(f.Issuers)) + ")"
			for _, id := range f.Issuers {
				args = append(args, id)
			}
		}
		where += " AND (" + cond + ")"
	}
	return permitColumnsWhere(where, args, f, q, now)
}

// countPermits is how many permits f and q select (countable only).
func (t *licTx) countPermits(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (int, error) {
	where, args := countWhere(f, q, now)
	var n int
	if err := t.QueryRowContext(ctx, "SELECT COALESCE(SUM(n), 0) FROM permit_counts"+where, args...).Scan(&n); err != nil {
		return 0, t.db.dbErr(err, "permit counts")
	}
	return n, nil
}

// countedStats is PermitStats from the summary rows (countable only).
func (t *licTx) countedStats(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (licensing.PermitStats, error) {
	where, args := countWhere(f, q, now)
	today := ts(licensing.EndOfDay(now).AddDate(0, 0, -1))
	eff := "CASE WHEN status IN (?, ?) AND valid_to < ? THEN ? ELSE status END"
	pre := []any{string(tradeplan.PermitIssued), string(tradeplan.PermitSuspended), today, string(tradeplan.PermitExpired)}
	rows, err := t.QueryContext(ctx, "SELECT "+eff+", used, SUM(n) FROM permit_counts"+where+" GROUP BY 1, 2", append(pre, args...)...)
	if err != nil {
		return licensing.PermitStats{}, t.db.dbErr(err, "permit counts")
	}
	defer rows.Close()
	st := licensing.PermitStats{ByStatus: map[tradeplan.PermitStatus]int{}}
	for rows.Next() {
		var status string
		var used, n int
		if err := rows.Scan(&status, &used, &n); err != nil {
			return licensing.PermitStats{}, err
		}
		st.Add(tradeplan.PermitStatus(status), used, n)
	}
	return st, rows.Err()
}
