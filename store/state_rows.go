package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// A write to a protected row recorded one digest a row (permits, plans,
// users, ...) records the whole row again, and so would vouch for every
// column of it: a column changed behind the store's back just before the
// write (a permit's quantity raised by hand, then the permit used) would be
// absorbed into the new digest and never reported. So every path that
// writes a row that may already exist first checks the row as stored
// against the digest the chain last recorded of it (checkRow), the
// principle state_guard.go applies to chunks, and refuses the change when
// they differ: the row stays reported by `tradeplan audit verify --state`
// until it is restored.

// querier is a transaction that takes portable SQL (Tx, licTx).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// checkRow checks the row of table whose key columns hold key, as tx reads
// it, against the last digest the chain recorded of it: a row must match
// it, a row the chain never recorded must not exist (inserted outside the
// store, or never sealed), and a row the chain recorded must not be gone.
// It returns the row's name. mine, when not nil, says whether the
// transaction itself wrote the row before (and so vouches for it). lock is
// the engine's row lock: the row is read, and held, before the chain, so
// that a write of the store committing meanwhile is seen whole (its row
// and its entry), never half.
func checkRow(ctx context.Context, tx querier, pg bool, lock, table string, key []any, mine func(name string) (bool, error), cached func(name string) (recordedRow, bool)) (string, error) {
	tbl := stateTableOf(table)
	if len(key) != len(tbl.key) {
		panic(fmt.Sprintf("store: %s is keyed by %v, not %d values", table, tbl.key, len(key)))
	}
	conds := make([]string, len(key))
	var name strings.Builder
	name.WriteString(table + "[")
	for i, k := range tbl.key {
		conds[i] = k + " = ?"
		if i > 0 {
			name.WriteByte(' ')
		}
		v, _ := columnText(key[i])
		name.WriteString(k + "=" + v)
	}
	name.WriteByte(']')
	row, digest := name.String(), ""
	rows, err := tx.QueryContext(ctx, "SELECT * FROM "+table+" WHERE "+strings.Join(conds, " AND ")+lock, key...)
	if err != nil {
		return row, fmt.Errorf("check %s against the audit log: %w", row, err)
	}
	found := false
	err = eachRowDigest(rows, tbl, func(r, d string) { row, digest, found = r, d, true })
	if err != nil {
		return row, fmt.Errorf("check %s against the audit log: %w", row, err)
	}
	var rec recordedRow
	ok := false
	if cached != nil {
		rec, ok = cached(row)
	}
	// A row read from the transaction's copy of the chain is read again
	// from the chain when it does not match: the transaction's own entries
	// since, or a change behind the store.
	if !ok || !found || rec.digest != digest {
		if rec, ok, err = lastRecorded(ctx, tx, pg, row); err != nil {
			return row, fmt.Errorf("check %s against the audit log: %w", row, err)
		}
	}
	var why string
	switch {
	case found && !ok:
		why = "never recorded: inserted outside the store, or written before the log covered it and never sealed ('tradeplan audit seal')"
	case found && rec.digest != digest:
		why = fmt.Sprintf("changed since audit entry %d", rec.seq)
	case !found && ok:
		why = fmt.Sprintf("recorded in audit entry %d, deleted since", rec.seq)
	default:
		return row, nil
	}
	if mine != nil {
		if ok, err := mine(row); err != nil || ok {
			return row, err
		}
	}
	return row, tradeplan.Errorf(tradeplan.EConflict,
		"%s changed outside the store (%s); nothing was written, so as not to record the change as the store's own: run 'tradeplan audit verify --state' and restore the row",
		row, why)
}

// lastRecorded is the last digest the chain recorded of the row named row.
// Only the entries whose text may name it are read: the search runs in the
// database. An entry respelt with escapes keeps its hash, and is read.
func lastRecorded(ctx context.Context, tx querier, pg bool, row string) (recordedRow, bool, error) {
	quoted, err := json.Marshal(row)
	if err != nil {
		return recordedRow{}, false, err
	}
	var q *sql.Rows
	if pg {
		q, err = tx.QueryContext(ctx, lastRecordedPostgres, `[{"row":`+string(quoted)+`}]`)
	} else {
		q, err = tx.QueryContext(ctx, "SELECT seq, state FROM audit_log WHERE state LIKE ? ESCAPE '!' OR state LIKE ? ESCAPE '!' ORDER BY seq",
			"%"+likeEscape(string(quoted))+"%", `%\u%`)
	}
	if err != nil {
		return recordedRow{}, false, err
	}
	defer q.Close()
	var out recordedRow
	found := false
	for q.Next() {
		var seq int64
		var state string
		if err := q.Scan(&seq, &state); err != nil {
			return out, false, err
		}
		var ds []tradeplan.RowDigest
		if err := json.Unmarshal([]byte(state), &ds); err != nil {
			return out, false, fmt.Errorf("audit entry %d: state: %w", seq, err)
		}
		for _, d := range ds {
			if d.Row == row {
				out, found = recordedRow{digest: d.Digest, seq: seq}, true
			}
		}
	}
	return out, found, q.Err()
}

// lastRecordedPostgres finds the last entry whose state list names a row by
// JSON containment, through the index of migration 0460.
const lastRecordedPostgres = `SELECT seq, state FROM audit_log WHERE state IS NOT NULL AND (state::jsonb) @> CAST(? AS jsonb) ORDER BY seq DESC LIMIT 1`

// likeEscape escapes s for a LIKE pattern with ESCAPE '!'.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// guardRow checks, before the transaction writes it, the row of table
// whose key columns hold key (checkRow). A row the transaction already
// wrote, or checked, is its own.
func (t *licTx) guardRow(ctx context.Context, table string, key ...any) error {
	pg := t.db.d.name() == "postgres"
	row, err := checkRow(ctx, t, pg, t.lock(), table, key, func(row string) (bool, error) {
		if t.rows[row] {
			return true, nil
		}
		// Written earlier in the transaction and not yet recorded.
		for _, p := range t.state.pending {
			if p.table != table || p.chunks != nil {
				continue
			}
			rows, err := t.QueryContext(ctx, "SELECT * FROM "+p.table+" WHERE "+p.where, p.args...)
			if err != nil {
				return false, err
			}
			mine := false
			if err := eachRowDigest(rows, stateTableOf(table), func(r, _ string) { mine = mine || r == row }); err != nil {
				return false, err
			}
			if mine {
				return true, nil
			}
		}
		return false, nil
	}, t.recordedCopy(ctx, table))
	if err != nil {
		return err
	}
	if t.rows == nil {
		t.rows = map[string]bool{}
	}
	t.rows[row] = true
	return nil
}

// copyAfter is how many rows of one table a transaction checks one search
// of the chain each before it reads, once, what the chain recorded of the
// whole table (an expiry run, a re-screening that suspends many permits).
const copyAfter = 16

// recordedCopy is what the chain last recorded of each row of table, read
// once for the transaction after its copyAfter-th check of the table; nil
// before. A row it does not match is looked up again (checkRow).
func (t *licTx) recordedCopy(ctx context.Context, table string) func(string) (recordedRow, bool) {
	if t.checks == nil {
		t.checks = map[string]int{}
	}
	t.checks[table]++
	if t.checks[table] <= copyAfter {
		return nil
	}
	if t.copies == nil {
		t.copies = map[string]map[string]recordedRow{}
	}
	c, ok := t.copies[table]
	if !ok {
		var err error
		if c, err = recordedOfTable(ctx, t, table); err != nil {
			c = nil // each row is then looked up on its own
		}
		t.copies[table] = c
	}
	return func(row string) (recordedRow, bool) {
		r, ok := c[row]
		return r, ok
	}
}

// recordedOfTable is the last digest the chain recorded of each row of
// table recorded one by one.
func recordedOfTable(ctx context.Context, tx querier, table string) (map[string]recordedRow, error) {
	q, err := tx.QueryContext(ctx, "SELECT seq, state FROM audit_log WHERE state LIKE ? ESCAPE '!' OR state LIKE ? ESCAPE '!' ORDER BY seq",
		"%"+likeEscape(`"`+table+`[`)+"%", `%\u%`)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	out := map[string]recordedRow{}
	for q.Next() {
		var seq int64
		var state string
		if err := q.Scan(&seq, &state); err != nil {
			return nil, err
		}
		var ds []tradeplan.RowDigest
		if err := json.Unmarshal([]byte(state), &ds); err != nil {
			return nil, fmt.Errorf("audit entry %d: state: %w", seq, err)
		}
		for _, d := range ds {
			if strings.HasPrefix(d.Row, table+"[") {
				out[d.Row] = recordedRow{digest: d.Digest, seq: seq}
			}
		}
	}
	return out, q.Err()
}
