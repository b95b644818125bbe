package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// A write to a row of a chunk records the whole chunk again (state_chunks.go),
// and so would vouch for every other row of it: a neighbour changed behind
// the store's back before the write would be absorbed into the new digest
// and never reported. So before a transaction first writes to a chunk that
// it did not create, it checks the chunk as stored against the digest the
// chain last recorded of it (or, for a chunk never recorded, each of its
// rows against its own digest), and refuses the change when they differ:
// the tampered chunk stays reported by `tradeplan audit verify --state`
// until its rows are restored. Every writer of a chunked table goes through
// guardChunks or newChunks: chunkState.add refuses a chunk neither saw.

// guardChunks checks, before the transaction writes them, the chunks of
// table holding the rows that match where.
func (t *licTx) guardChunks(ctx context.Context, table, where string, args ...any) error {
	size := chunkSize(table)
	tbl := stateTableOf(table)
	rows, err := t.QueryContext(ctx, "SELECT "+tbl.key[0]+" FROM "+table+" WHERE "+where, args...)
	if err != nil {
		return t.db.dbErr(err, table)
	}
	var los []int64
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if lo := chunkLo(size, id); !t.state.guarded[table][lo] {
				los = append(los, lo)
			}
		}
		return rows.Err()
	}()
	if err != nil {
		return t.db.dbErr(err, table)
	}
	return t.guardChunkRange(ctx, table, los)
}

// guardChunkRange checks the chunks of table that start at los: each as
// stored must match the digest the chain last recorded of it; a chunk never
// recorded, each of its rows, and no row the chain recorded one by one may
// be missing from it. A chunk the transaction is about to fill (a new
// batch's) so must hold no row and no record: ids given again after rows
// deleted by hand would otherwise record their deletion as the store's.
func (t *licTx) guardChunkRange(ctx context.Context, table string, los []int64) error {
	slices.Sort(los)
	los = slices.Compact(los)
	if len(los) == 0 {
		return nil
	}
	size := chunkSize(table)
	tbl := stateTableOf(table)
	rec, err := t.recordedChunked(ctx, table, los, false)
	if err != nil {
		return fmt.Errorf("check %s against the audit log: %w", table, err)
	}
	// Every chunk with rows is recorded but in a database written before
	// chunks: only then are the rows recorded one by one read.
	if len(rec.chunks) < len(los) {
		var unrecorded []int64
		for _, lo := range los {
			if _, ok := rec.chunks[lo]; !ok {
				unrecorded = append(unrecorded, lo)
			}
		}
		n, err := t.countRows(ctx, table, unrecorded)
		if err != nil {
			return fmt.Errorf("check %s against the audit log: %w", table, err)
		}
		if n > 0 {
			if rec, err = t.recordedChunked(ctx, table, los, true); err != nil {
				return fmt.Errorf("check %s against the audit log: %w", table, err)
			}
		}
	}
	var bad []string
	flag := func(lo int64, why string) {
		bad = append(bad, chunkName(table, lo, size)+" ("+why+")")
	}
	for i := 0; i < len(los); {
		j := i + 1
		for j < len(los) && los[j] == los[j-1]+size && j-i < 64 {
			j++
		}
		from, to := los[i], los[j-1]+size-1
		rows, err := t.QueryContext(ctx, "SELECT * FROM "+table+" WHERE "+tbl.key[0]+" BETWEEN ? AND ? ORDER BY "+tbl.key[0], from, to)
		if err != nil {
			return t.db.dbErr(err, table)
		}
		seen := map[int64]bool{}    // chunks with rows
		present := map[int64]bool{} // rows, of chunks never recorded
		failed := map[int64]bool{}  // one problem a chunk
		err = eachChunk(rows, tbl, size, func(name, digest string, lo int64) {
			if _, ok := rec.chunks[lo]; ok || failed[lo] {
				return
			}
			if id, ok := rowIDOf(table, name); ok {
				present[id] = true
			}
			switch r, ok := rec.rows[name]; {
			case !ok:
				flag(lo, name+" never recorded")
				failed[lo] = true
			case r.digest != digest:
				flag(lo, fmt.Sprintf("%s, audit entry %d", name, r.seq))
				failed[lo] = true
			}
		}, func(lo int64, digest string) {
			seen[lo] = true
			if r, ok := rec.chunks[lo]; ok && r.digest != digest {
				flag(lo, fmt.Sprintf("audit entry %d", r.seq))
			}
		})
		if err != nil {
			return fmt.Errorf("check %s against the audit log: %w", table, err)
		}
		for _, lo := range los[i:j] {
			if r, ok := rec.chunks[lo]; ok {
				if !seen[lo] {
					flag(lo, fmt.Sprintf("audit entry %d, every row deleted", r.seq))
				}
				continue
			}
			for _, id := range rec.rowIDs[lo] {
				if !present[id] && !failed[lo] {
					flag(lo, fmt.Sprintf("%s[id=%d] deleted", table, id))
					failed[lo] = true
				}
			}
		}
		i = j
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		if len(bad) > 5 {
			bad = append(bad[:5], fmt.Sprintf("and %d more", len(bad)-5))
		}
		return tradeplan.Errorf(tradeplan.EConflict,
			"%s changed outside the store since the audit log recorded them: %s; nothing was written, so as not to record the change as the store's own: run 'tradeplan audit verify --state' and restore those rows",
			table, strings.Join(bad, ", "))
	}
	t.newChunks(table, los)
	return nil
}

// countRows is how many rows of table the chunks that start at los hold.
func (t *licTx) countRows(ctx context.Context, table string, los []int64) (int64, error) {
	size, key := chunkSize(table), stateTableOf(table).key[0]
	var total int64
	for i := 0; i < len(los); {
		j := i + 1
		for j < len(los) && los[j] == los[j-1]+size && j-i < 64 {
			j++
		}
		var n int64
		err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+key+" BETWEEN ? AND ?", los[i], los[j-1]+size-1).Scan(&n)
		if err != nil {
			return 0, err
		}
		total += n
		i = j
	}
	return total, nil
}

// guardNewChunks checks the chunks n declarations from id first fill:
// each must hold no row and never have been recorded. Ids are given from
// after the highest row (SQLite) or the sequence (PostgreSQL), so rows
// deleted by hand, their ids given again (a sequence reset below them),
// show as a record of a chunk; rows inserted by hand beyond, as rows. Every
// chunk is checked, not only the first: a sequence reset into a chunk never
// recorded, just below deleted ones, fills those next (redteam, wave 7).
func (t *licTx) guardNewChunks(ctx context.Context, first int64, n int) error {
	var los []int64
	for lo := first; lo <= first+int64(n)-1; lo += declChunk {
		los = append(los, lo)
	}
	return t.guardChunkRange(ctx, "declarations", los)
}

// rowIDOf is the id in a row's name, "declarations[id=7]".
func rowIDOf(table, name string) (int64, bool) {
	v, ok := strings.CutPrefix(name, table+"[id=")
	if !ok {
		return 0, false
	}
	v, ok = strings.CutSuffix(v, "]")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil
}

// newChunks records that the transaction may write to the chunks of table
// that start at los: checked (guardChunkRange).
func (t *licTx) newChunks(table string, los []int64) {
	if t.state.guarded == nil {
		t.state.guarded = map[string]map[int64]bool{}
	}
	g := t.state.guarded[table]
	if g == nil {
		g = map[int64]bool{}
		t.state.guarded[table] = g
	}
	for _, lo := range los {
		g[lo] = true
	}
}

// recordedChunks is what the chain last recorded of a chunked table: its
// chunks by first id, its rows recorded one by one by name, and their ids
// by chunk.
type recordedChunks struct {
	chunks map[int64]recordedRow
	rows   map[string]recordedRow
	rowIDs map[int64][]int64
}

// recordedChunked is the last digest the chain recorded of the chunks of
// table that start at los, and, with rows, of every row of the table
// recorded one by one (a database written before chunks, or sealed). The
// chain's own entries are trusted here as `audit verify` trusts them: it
// checks their hashes. Only the entries that may name those chunks are
// read and parsed: the search for their names runs in the database.
func (t *licTx) recordedChunked(ctx context.Context, table string, los []int64, rows bool) (*recordedChunks, error) {
	size := chunkSize(table)
	prefix := table + "["
	// Any JSON spelling of a name holds it as it is or an escape (\u...):
	// an entry respelt behind the store keeps its hash, and is read.
	conds, args := []string{"state LIKE ? ESCAPE '!'"}, []any{`%\u%`}
	if rows || len(los) > 32 {
		conds, args = append(conds, "state LIKE ? ESCAPE '!'"), append(args, "%"+prefix+"%")
	} else {
		for _, lo := range los {
			conds, args = append(conds, "state LIKE ? ESCAPE '!'"), append(args, "%"+prefix+"id="+strconv.FormatInt(lo, 10)+"..%")
		}
	}
	want := map[int64]bool{}
	for _, lo := range los {
		want[lo] = true
	}
	q, err := t.QueryContext(ctx, "SELECT seq, state FROM audit_log WHERE "+strings.Join(conds, " OR ")+" ORDER BY seq", args...)
	if err != nil {
		return nil, err
	}
	out := &recordedChunks{chunks: map[int64]recordedRow{}, rows: map[string]recordedRow{}, rowIDs: map[int64][]int64{}}
	err = eachRecorded(q, func(seq int64, d tradeplan.RowDigest) {
		if !strings.HasPrefix(d.Row, prefix) {
			return
		}
		r := recordedRow{digest: d.Digest, seq: seq}
		if id, ok := rowIDOf(table, d.Row); ok {
			if !rows {
				return
			}
			if _, again := out.rows[d.Row]; !again {
				out.rowIDs[chunkLo(size, id)] = append(out.rowIDs[chunkLo(size, id)], id)
			}
			out.rows[d.Row] = r
			return
		}
		lo, _, ok := strings.Cut(strings.TrimPrefix(d.Row, prefix+"id="), "..")
		if n, err := strconv.ParseInt(lo, 10, 64); ok && err == nil && want[n] {
			out.chunks[n] = r
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
