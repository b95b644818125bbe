package store

import (
	"context"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Paged lists (licensing.PageTx): filtered, counted and cut in SQL, newest
// first by keyset on the ID, so that every page costs the same.

var _ licensing.PageTx = (*licTx)(nil)

// likeArg is a case-insensitive LIKE pattern for s anywhere, with the
// pattern characters of s taken literally (ESCAPE '\').
func likeArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(s)) + "%"
}

func (t *licTx) PlanPage(ctx context.Context, f licensing.PlanFilter, q licensing.PlanQuery, limit int) ([]tradeplan.PlanRecord, int, error) {
	where, args := " WHERE 1 = 1", []any{}
	if f.CallID != 0 {
		where += " AND call_id = ?"
		args = append(args, f.CallID)
	}
	where, args = inScope(where, args, "org_id", f.Orgs, f.Issuers)
	if q.Org != 0 {
		where += " AND org_id = ?"
		args = append(args, q.Org)
	}
	if q.Status != "" {
		where += " AND status = ?"
		args = append(args, string(q.Status))
	}
	if q.Late {
		where += " AND late = ?"
		args = append(args, true)
	}
	if q.Search != "" {
		where += ` AND LOWER(title) LIKE ? ESCAPE '\'`
		args = append(args, likeArg(q.Search))
	}
	var total int
	if err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM plans"+where, args...).Scan(&total); err != nil {
		return nil, 0, t.db.dbErr(err, "plans")
	}
	if q.Before > 0 {
		where += " AND id < ?"
		args = append(args, q.Before)
	}
	rows, err := t.QueryContext(ctx, "SELECT "+planColumns+" FROM plans"+where+" ORDER BY id DESC LIMIT "+itoa(int64(limit)), args...)
	if err != nil {
		return nil, 0, t.db.dbErr(err, "plans")
	}
	defer rows.Close()
	var out []tradeplan.PlanRecord
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

func (t *licTx) PlanCounts(ctx context.Context, f licensing.PlanFilter) ([]licensing.PlanCount, error) {
	where, args := " WHERE 1 = 1", []any{}
	where, args = inScope(where, args, "org_id", f.Orgs, f.Issuers)
	rows, err := t.QueryContext(ctx, "SELECT call_id, status, COUNT(*) FROM plans"+where+" GROUP BY call_id, status ORDER BY call_id, status", args...)
	if err != nil {
		return nil, t.db.dbErr(err, "plan counts")
	}
	defer rows.Close()
	var out []licensing.PlanCount
	for rows.Next() {
		var c licensing.PlanCount
		if err := rows.Scan(&c.CallID, &c.Status, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// permitWhere is the WHERE clause of the permits f and q select (but for
// q.Before).
func permitWhere(f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (string, []any) {
	where, args := " WHERE 1 = 1", []any{}
	where, args = inScope(where, args, "holder", f.Holders, f.Issuers)
	for _, c := range []struct {
		col string
		v   any
		on  bool
	}{
		{"crossing", f.Crossing, f.Crossing != ""},
		{"plan_id", f.PlanID, f.PlanID != 0},
		{"call_id", f.CallID, f.CallID != 0},
		{"holder", q.Holder, q.Holder != 0},
		{"direction", string(q.Direction), q.Direction != ""},
	} {
		if c.on {
			where += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	// The effective status (licensing.EffectiveStatus): an issued or
	// suspended permit whose last day is before today is expired.
	today := ts(licensing.EndOfDay(now).AddDate(0, 0, -1))
	switch q.Status {
	case "":
	case tradeplan.PermitIssued, tradeplan.PermitSuspended:
		where += " AND status = ? AND valid_to >= ?"
		args = append(args, string(q.Status), today)
	case tradeplan.PermitExpired:
		where += " AND (status = ? OR (status IN (?, ?) AND valid_to < ?))"
		args = append(args, string(q.Status), string(tradeplan.PermitIssued), string(tradeplan.PermitSuspended), today)
	default:
		where += " AND status = ?"
		args = append(args, string(q.Status))
	}
	if q.Search != "" {
		where += ` AND (LOWER(number) LIKE ? ESCAPE '\' OR LOWER(hs) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\')`
		l := likeArg(q.Search)
		args = append(args, l, l, l)
	}
	return where, args
}

func (t *licTx) PermitPage(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time, limit int) ([]tradeplan.Permit, int, error) {
	where, args := permitWhere(f, q, now)
	var total int
	if err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM permits"+where, args...).Scan(&total); err != nil {
		return nil, 0, t.db.dbErr(err, "permits")
	}
	if q.Before > 0 {
		where += " AND id < ?"
		args = append(args, q.Before)
	}
	rows, err := t.QueryContext(ctx, "SELECT "+permitColumns+" FROM permits"+where+" ORDER BY id DESC LIMIT "+itoa(int64(limit)), args...)
	if err != nil {
		return nil, 0, t.db.dbErr(err, "permits")
	}
	var out []tradeplan.Permit
	for rows.Next() {
		p, err := scanPermit(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, t.permitCaps(ctx, out)
}

func (t *licTx) PermitStats(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (licensing.PermitStats, error) {
	where, args := permitWhere(f, q, now)
	today := ts(licensing.EndOfDay(now).AddDate(0, 0, -1))
	// The share used in quarters; "* 1" gives both sides numeric affinity
	// on SQLite, where the figures are exact decimal text.
	rows, err := t.QueryContext(ctx, `SELECT CASE WHEN status IN (?, ?) AND valid_to < ? THEN ? ELSE status END,
		CASE WHEN quantity_used * 1 >= quantity * 1 THEN 4 WHEN quantity_used * 4 < quantity * 1 THEN 0
			WHEN quantity_used * 2 < quantity * 1 THEN 1 WHEN quantity_used * 4 < quantity * 3 THEN 2 ELSE 3 END,
		COUNT(*) FROM permits`+where+` GROUP BY 1, 2`,
		append([]any{string(tradeplan.PermitIssued), string(tradeplan.PermitSuspended), today, string(tradeplan.PermitExpired)}, args...)...)
	if err != nil {
		return licensing.PermitStats{}, t.db.dbErr(err, "permit figures")
	}
	defer rows.Close()
	var st licensing.PermitStats
	for rows.Next() {
		var status tradeplan.PermitStatus
		var bucket, n int
		if err := rows.Scan(&status, &bucket, &n); err != nil {
			return st, err
		}
		st.Add(status, bucket, n)
	}
	return st, rows.Err()
}
