package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
		where += ` AND tp_lower(title) LIKE ? ESCAPE '\'`
		args = append(args, likeArg(q.Search))
	}
	var total int
	if err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM plans"+where, args...).Scan(&total); err != nil {
		return nil, 0, t.db.dbErr(err, "plans")
	}
	order := " ORDER BY id DESC"
	if q.Oldest {
		order = " ORDER BY id"
	} else if q.Before > 0 {
		where += " AND id < ?"
		args = append(args, q.Before)
	}
	rows, err := t.QueryContext(ctx, "SELECT "+planColumns+" FROM plans"+where+order+" LIMIT "+itoa(int64(limit)), args...)
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
// q.Before). A text search of three characters or more is narrowed first
// by the engine's trigram index (permitSearch), then matched as before.
func (t *licTx) permitWhere(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (string, []any, error) {
	where, args := " WHERE 1 = 1", []any{}
	where, args = inScope(where, args, "holder", f.Holders, f.Issuers)
	for _, c := range []struct {
		col string
		v   any
		on  bool
	}{
		{"plan_id", f.PlanID, f.PlanID != 0},
		{"call_id", f.CallID, f.CallID != 0},
	} {
		if c.on {
			where += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	where, args = permitColumnsWhere(where, args, f, q, now)
	if q.Search != "" {
		if s, ok := t.db.d.(permitSearcher); ok {
			cond, cargs, err := s.permitSearch(ctx, t, q.Search)
			if err != nil {
				return "", nil, err
			}
			where += cond
			args = append(args, cargs...)
		}
		where += ` AND (tp_lower(number) LIKE ? ESCAPE '\' OR tp_lower(hs) LIKE ? ESCAPE '\' OR tp_lower(description) LIKE ? ESCAPE '\')`
		l := likeArg(q.Search)
		args = append(args, l, l, l)
	}
	return where, args, nil
}

// permitColumnsWhere appends the filters on the columns permits and
// permit_counts share: crossing, holder, direction and the effective
// status.
func permitColumnsWhere(where string, args []any, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (string, []any) {
	for _, c := range []struct {
		col string
		v   any
		on  bool
	}{
		{"crossing", f.Crossing, f.Crossing != ""},
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
	return where, args
}

func (t *licTx) PermitPage(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time, limit int) ([]tradeplan.Permit, int, error) {
	where, args, err := t.permitWhere(ctx, f, q, now)
	if err != nil {
		return nil, 0, err
	}
	var total int
	sparse := false
	if countable(f, q) {
		if total, err = t.countPermits(ctx, f, q, now); err != nil {
			return nil, 0, err
		}
		sparse = total <= sparsePermits
	} else {
		// Counted up to one past the cap: the page says "more than".
		if err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM permits"+where+" LIMIT "+itoa(licensing.CountCap+1)+") s",
			args...).Scan(&total); err != nil {
			return nil, 0, t.db.dbErr(err, "permits")
		}
		sparse = total <= licensing.CountCap
	}
	if q.Before > 0 {
		where += " AND id < ?"
		args = append(args, q.Before)
	}
	from, order := "", " ORDER BY id DESC"
	if o, ok := t.db.d.(permitOrderer); ok {
		from, order = o.permitOrder(sparse)
	}
	out, err := t.queryPermits(ctx, from+where+order+" LIMIT "+itoa(int64(limit)), args...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, t.permitCaps(ctx, out)
}

func (t *licTx) PermitStats(ctx context.Context, f licensing.PermitFilter, q licensing.PermitQuery, now time.Time) (licensing.PermitStats, error) {
	if countable(f, q) {
		return t.countedStats(ctx, f, q, now)
	}
	where, args, err := t.permitWhere(ctx, f, q, now)
	if err != nil {
		return licensing.PermitStats{}, err
	}
	today := ts(licensing.EndOfDay(now).AddDate(0, 0, -1))
	// One pass without sorting and without arithmetic on the figures: a
	// sum per status and per state of use (none, some, all).
	eff := "(CASE WHEN status IN (?, ?) AND valid_to < ? THEN ? ELSE status END)"
	var cols []string
	var pre []any
	for _, st := range licensing.PermitStatuses {
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+eff+" = ? THEN 1 ELSE 0 END), 0)")
		pre = append(pre, string(tradeplan.PermitIssued), string(tradeplan.PermitSuspended), today, string(tradeplan.PermitExpired), string(st))
	}
	cols = append(cols, "COALESCE(SUM(CASE WHEN quantity_used = ? THEN 1 ELSE 0 END), 0)",
		"COALESCE(SUM(CASE WHEN quantity_used = quantity THEN 1 ELSE 0 END), 0)")
	pre = append(pre, "0")
	n := make([]int, len(cols))
	dest := make([]any, len(cols))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := t.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM permits"+where, append(pre, args...)...).Scan(dest...); err != nil {
		return licensing.PermitStats{}, t.db.dbErr(err, "permit figures")
	}
	var st licensing.PermitStats
	st.ByStatus = map[tradeplan.PermitStatus]int{}
	for i, s := range licensing.PermitStatuses {
		st.ByStatus[s] = n[i]
		st.Total += n[i]
	}
	none, all := n[len(n)-2], n[len(n)-1]
	st.Used = [3]int{none, st.Total - none - all, all}
	return st, nil
}

// PlanRows reads the figures of the plans' list rows in two queries,
// without reading their documents or reports in full.
func (t *licTx) PlanRows(ctx context.Context, plans []tradeplan.PlanRecord) (map[int64]licensing.PlanRow, error) {
	out := make(map[int64]licensing.PlanRow, len(plans))
	if len(plans) == 0 {
		return out, nil
	}
	cols, ok := t.db.d.(interface{ planRowColumns() string })
	if !ok {
		return nil, fmt.Errorf("plan rows: no JSON columns for %s", t.db.d.name())
	}
	cond := make([]string, len(plans))
	args := make([]any, 0, 2*len(plans))
	for i, p := range plans {
		cond[i] = "(v.plan_id = ? AND v.version = ?)"
		args = append(args, p.ID, p.Version)
	}
	rows, err := t.QueryContext(ctx, "SELECT v.plan_id, "+cols.planRowColumns()+" FROM plan_rows v WHERE "+strings.Join(cond, " OR "), args...)
	if err != nil {
		return nil, t.db.dbErr(err, "plan rows")
	}
	for rows.Next() {
		var id int64
		var sum sql.NullString
		var lines sql.NullInt64
		if err := rows.Scan(&id, &sum, &lines); err != nil {
			rows.Close()
			return nil, err
		}
		r := licensing.PlanRow{Lines: int(lines.Int64)}
		if sum.Valid && sum.String != "" && sum.String != "null" {
			r.Summary = new(tradeplan.Summary)
			if err := json.Unmarshal([]byte(sum.String), r.Summary); err != nil {
				rows.Close()
				return nil, fmt.Errorf("plan %d summary: %w", id, err)
			}
		}
		out[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cond = cond[:0]
	args = args[:0]
	for _, p := range plans {
		cond = append(cond, "(plan_id = ? AND version = ?)")
		args = append(args, p.ID, p.Version)
	}
	rows, err = t.QueryContext(ctx, "SELECT plan_id, decision, COUNT(*) FROM line_decisions WHERE "+strings.Join(cond, " OR ")+" GROUP BY plan_id, decision", args...)
	if err != nil {
		return nil, t.db.dbErr(err, "plan rows")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d string
		var n int
		if err := rows.Scan(&id, &d, &n); err != nil {
			return nil, err
		}
		r := out[id]
		if d == "approve" {
			r.Approved += n
		} else {
			r.Refused += n
		}
		out[id] = r
	}
	return out, rows.Err()
}

var _ licensing.CapTx = (*licTx)(nil)

// CapPermits reads the permits that draw on some cap, with their draws.
func (t *licTx) CapPermits(ctx context.Context) ([]tradeplan.Permit, error) {
	out, err := t.queryPermits(ctx, " WHERE id IN (SELECT permit_id FROM permit_caps) ORDER BY id")
	if err != nil {
		return nil, err
	}
	return out, t.permitCaps(ctx, out)
}
