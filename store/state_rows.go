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
func checkRow(ctx context.Context, tx querier, pg bool, lock, table string, key []any, mine func(name string) (bool, error)) (string, error) {
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
	rec, ok, err := lastRecorded(ctx, tx, pg, row)
	if err != nil {
		return row, fmt.Errorf("check %s against the audit log: %w", row, err)
	}
	var why string
	switch {
	case rec.unchained:
		why = fmt.Sprintf("the index of recorded rows (audit_state_rows) says audit entry %d recorded it, and that entry did not record it so", rec.seq)
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

// lastRecorded is the last digest the chain recorded of the row named row:
// one look-up of the index of recorded rows (audit_state_rows, migration
// 0460), which a trigger on the audit log fills from every entry's state
// list and VerifyState checks against the chain. The index is not chained:
// the entry it names is read with it (by its seq, one row) and must have
// recorded the row with that digest, else the result is unchained, so that
// an index entry made up by hand (a later seq carrying the digest of a row
// edited by hand) never vouches for a row, whether or not verify is run.
// An index entry deleted by hand (the row restored to the state an older
// entry recorded) is not seen here: VerifyState reports it. Before that
// migration (a test of an older schema), the entries whose text may name
// the row are read: an entry respelt with escapes keeps its hash, and is
// read.
func lastRecorded(ctx context.Context, tx querier, pg bool, row string) (lastRow, bool, error) {
	var out lastRow
	found := false
	if indexed, err := hasStateIndex(ctx, tx, pg); err != nil {
		return out, false, err
	} else if indexed {
		q, err := tx.QueryContext(ctx, "SELECT r.seq, r.digest, a.state FROM audit_state_rows r LEFT JOIN audit_log a ON a.seq = r.seq WHERE r.name = ? ORDER BY r.seq DESC LIMIT 1", row)
		if err != nil {
			return out, false, err
		}
		var state sql.NullString
		for q.Next() {
			if err := q.Scan(&out.seq, &out.digest, &state); err != nil {
				q.Close()
				return out, false, err
			}
			found = true
		}
		q.Close()
		if err := q.Err(); err != nil || !found {
			return out, found, err
		}
		var ds []tradeplan.RowDigest
		if state.Valid {
			if err := json.Unmarshal([]byte(state.String), &ds); err != nil {
				return out, false, fmt.Errorf("audit entry %d: state: %w", out.seq, err)
			}
		}
		chained := ""
		for _, d := range ds {
			if d.Row == row {
				chained = d.Digest
			}
		}
		out.unchained = chained == "" || chained != out.digest
		return out, true, nil
	}
	quoted, err := json.Marshal(row)
	if err != nil {
		return out, false, err
	}
	q, err := tx.QueryContext(ctx, "SELECT seq, state FROM audit_log WHERE state LIKE ? ESCAPE '!' OR state LIKE ? ESCAPE '!' ORDER BY seq",
		"%"+likeEscape(string(quoted))+"%", `%\u%`)
	if err != nil {
		return out, false, err
	}
	err = eachRecorded(q, func(seq int64, d tradeplan.RowDigest) {
		if d.Row == row {
			out, found = lastRow{recordedRow: recordedRow{digest: d.Digest, seq: seq}}, true
		}
	})
	return out, found, err
}

// lastRow is the last digest the index of recorded rows holds of a row;
// unchained when the audit entry it names did not record it so.
type lastRow struct {
	recordedRow
	unchained bool
}

// hasStateIndex says whether the database has the index of recorded rows
// (migration 0460); a database found with it is not asked again.
func hasStateIndex(ctx context.Context, tx querier, pg bool) (bool, error) {
	owned, _ := tx.(interface{ owner() *DB })
	if owned != nil && owned.owner().stateIndexed.Load() {
		return true, nil
	}
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_state_rows'"
	if pg {
		q = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_state_rows'"
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if n > 0 && owned != nil {
		owned.owner().stateIndexed.Store(true)
	}
	return n > 0, nil
}

// owner is the database the transaction runs on.
func (t *Tx) owner() *DB { return t.db }

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
	})
	if err != nil {
		return err
	}
	if t.rows == nil {
		t.rows = map[string]bool{}
	}
	t.rows[row] = true
	return nil
}
