package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Set-based reads and writes of declaration intake: a batch of a million
// declarations reads what it needs in a few large queries and writes its
// rows in bulk (multi-row INSERT on SQLite, COPY on PostgreSQL), instead of
// a round trip per declaration.

// bulkChunk is how many keys one IN list carries: under SQLite's limit of
// 32,766 parameters and PostgreSQL's of 65,535.
const bulkChunk = 5000

func chunked[T any](xs []T, n int, fn func([]T) error) error {
	for len(xs) > 0 {
		k := min(n, len(xs))
		if err := fn(xs[:k]); err != nil {
			return err
		}
		xs = xs[k:]
	}
	return nil
}

// inKeys is a condition that col is one of keys, and its arguments: one
// array on PostgreSQL (a statement of any length, parsed and planned once),
// an IN list on SQLite.
func inKeys[T any](t *licTx, col string, keys []T) (string, []any) {
	if t.db.d.name() == "postgres" {
		return col + " = ANY(?)", []any{keys}
	}
	return col + " IN (" + placeholders(len(keys)) + ")", anys(keys)
}

// keyChunk is how many keys one statement carries (inKeys).
func (t *licTx) keyChunk() int {
	if t.db.d.name() == "postgres" {
		return 100 * bulkChunk
	}
	return bulkChunk
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func (t *licTx) CurrentDeclarations(ctx context.Context, numbers []string) (map[string]licensing.Declaration, error) {
	out := make(map[string]licensing.Declaration, len(numbers))
	err := chunked(numbers, t.keyChunk(), func(ns []string) error {
		where, args := inKeys(t, "number", ns)
		ds, err := t.queryDeclarationsPrepared(ctx, "SELECT "+declColumns+" FROM declarations WHERE is_current AND "+where, args...)
		for _, d := range ds {
			out[d.Number] = d
		}
		return err
	})
	return out, err
}

func (t *licTx) CurrentOnPermits(ctx context.Context, ids []int64) ([]licensing.Declaration, error) {
	var out []licensing.Declaration
	err := chunked(ids, t.keyChunk(), func(c []int64) error {
		where, args := inKeys(t, "permit_id", c)
		ds, err := t.queryDeclarationsPrepared(ctx, "SELECT "+declColumns+" FROM declarations WHERE is_current AND "+where, args...)
		out = append(out, ds...)
		return err
	})
	return out, err
}

// queryPermits reads the permits that rest, the query after "FROM
// permits", selects, without their caps (matching needs none; the other
// readers add them with permitCaps).
func (t *licTx) queryPermits(ctx context.Context, rest string, args ...any) ([]tradeplan.Permit, error) {
	rows, err := t.QueryContext(ctx, "SELECT "+permitColumns+" FROM permits"+rest, args...)
	if err != nil {
		return nil, t.db.dbErr(err, "permits")
	}
	defer rows.Close()
	var out []tradeplan.Permit
	for rows.Next() {
		p, err := scanPermit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *licTx) PermitsForMatching(ctx context.Context, numbers []string, holders, ids []int64) ([]tradeplan.Permit, error) {
	var out []tradeplan.Permit
	have, haveID := map[string]bool{}, map[int64]bool{}
	read := func(where string, args []any) error {
		ps, err := t.queryPermits(ctx, " WHERE "+where+" ORDER BY id", args...)
		for _, p := range ps {
			have[p.Number], haveID[p.ID] = true, true
		}
		out = append(out, ps...)
		return err
	}
	// The holders' permits first: the numbers declared are mostly theirs,
	// and are then not read a second time.
	err := chunked(holders, t.keyChunk(), func(c []int64) error { return read(inKeys(t, "holder", c)) })
	if err != nil {
		return nil, err
	}
	var rest []string
	for _, n := range numbers {
		if !have[n] {
			rest = append(rest, n)
		}
	}
	if err := chunked(rest, t.keyChunk(), func(c []string) error { return read(inKeys(t, "number", c)) }); err != nil {
		return nil, err
	}
	var restIDs []int64
	for _, id := range ids {
		if !haveID[id] {
			restIDs = append(restIDs, id)
		}
	}
	return out, chunked(restIDs, t.keyChunk(), func(c []int64) error { return read(inKeys(t, "id", c)) })
}

func (t *licTx) SupersedeDeclarations(ctx context.Context, numbers []string) error {
	return chunked(numbers, t.keyChunk(), func(ns []string) error {
		where, args := inKeys(t, "number", ns)
		if err := t.guardChunks(ctx, "declarations", where, args...); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, "UPDATE declarations SET is_current = ? WHERE is_current AND "+where, append([]any{false}, args...)...)
		t.touch("declarations", where, args...)
		return t.db.dbErr(err, "declarations")
	})
}

// appendDeclRow appends the columns of d's row to dst, in
// declInsertColumns order, for engine; buf is scratch for the packed
// column.
func appendDeclRow(dst []any, d *licensing.Declaration, engine string, buf []byte) ([]any, []byte, error) {
	var partner, vessel string
	var err error
	if d.Partner != nil {
		if partner, err = jsonText(d.Partner); err != nil {
			return nil, buf, err
		}
	}
	if d.Vessel != nil {
		if vessel, err = jsonText(d.Vessel); err != nil {
			return nil, buf, err
		}
	}
	flags := "[]"
	if len(d.Flags) > 0 {
		if flags, err = flagsJSON(d.Flags); err != nil {
			return nil, buf, err
		}
	}
	buf = appendPackedDeclaration(buf[:0], engine, d, partner, vessel)
	return append(dst, d.ID, d.Number, d.Version, d.Batch, ts(d.Date), d.Declarant, nullInt(d.PermitID), flags, true, string(buf)), buf, nil
}

var declInsertColumns = []string{"id", "number", "version", "batch_id", "day", "declarant", "permit_id", "flags", "is_current", "packed"}

// InsertDeclarations inserts ds as the current versions of their numbers
// (the versions before them superseded already), giving each its id; the
// rows are those of batch. The rows' values are made once, a chunk of
// declChunk at a time, on a goroutine of their own that digests each chunk
// for the audit chain and hands it to the insert: two cores, and a few
// chunks in memory rather than the batch's rows.
func (t *licTx) InsertDeclarations(ctx context.Context, batch string, ds []licensing.Declaration) error {
	if len(ds) == 0 {
		return nil
	}
	first, err := t.declarationIDs(ctx, len(ds))
	if err != nil {
		return err
	}
	// Ids, and so the order of insertion, follow the numbers: the index of
	// current numbers then grows at one end rather than at a random place
	// for every row, and the batch's index by date and number at one place
	// a date. ds keeps its order.
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ds[a].Number, ds[b].Number) })
	for k, i := range order {
		ds[i].ID = first + int64(k)
	}
	if err := t.guardNewChunks(ctx, first, len(ds)); err != nil {
		return err
	}
	nc := len(declInsertColumns)
	hasher, err := t.newChunkHasher("declarations", declInsertColumns)
	if err != nil {
		return err
	}
	chunks := make(chan []any, 8)
	quit := make(chan struct{})
	var made error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(chunks)
		engine := t.db.d.name()
		var buf []byte
		// first starts a chunk (declarationIDs): each group of declChunk is one.
		for start := 0; start < len(order); start += declChunk {
			end := min(len(order), start+declChunk)
			vals := make([]any, 0, (end-start)*nc)
			for _, i := range order[start:end] {
				if vals, buf, made = appendDeclRow(vals, &ds[i], engine, buf); made != nil {
					return
				}
			}
			if made = hasher.add(ds[order[start]].ID, ds[order[end-1]].ID, vals); made != nil {
				return
			}
			select {
			case chunks <- vals:
			case <-quit:
				return
			}
		}
	}()
	t.touchChunks("declarations", func() (writtenChunk, error) {
		wg.Wait()
		return hasher.out, made
	})
	if t.db.d.name() == "postgres" {
		err = t.copyDeclarations(ctx, chunks, nc)
	} else {
		err = t.insertDeclarationRows(ctx, chunks, nc)
	}
	close(quit)
	wg.Wait()
	if err == nil {
		err = made
	}
	if err != nil {
		return t.db.dbErr(err, "declarations")
	}
	return nil
}

// execChunk runs q with args, prepared once in the transaction when full
// (the statement of a whole chunk, run for chunk after chunk).
func (t *licTx) execChunk(ctx context.Context, q string, full bool, args []any) error {
	if !full {
		_, err := t.ExecContext(ctx, q, args...)
		return err
	}
	st, err := t.prepared(ctx, q)
	if err == nil {
		_, err = st.ExecContext(ctx, args...)
	}
	return err
}

func (t *licTx) PutPermitsDeclared(ctx context.Context, totals map[int64]tradeplan.Decimal, at time.Time) error {
	// In key order: the rows go in at one end of the table rather than at
	// random places.
	ids := make([]int64, 0, len(totals))
	for id := range totals {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	const rows = 1000
	stmt := func(n int) string {
		return "INSERT INTO permit_declared (permit_id, quantity, updated_at) VALUES " + strings.Repeat("(?, ?, ?), ", n-1) + "(?, ?, ?)" +
			" ON CONFLICT (permit_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at"
	}
	at = ts(at)
	args := make([]any, 0, 3*rows)
	return chunked(ids, rows, func(c []int64) error {
		args = args[:0]
		for _, id := range c {
			args = append(args, id, totals[id].String(), at)
		}
		if err := t.execChunk(ctx, stmt(len(c)), len(c) == rows, args); err != nil {
			return t.db.dbErr(err, "permit declared totals")
		}
		t.touch("permit_declared", "permit_id IN ("+placeholders(len(c))+")", anys(c)...)
		return nil
	})
}

// sqliteDeclRows is how many rows one INSERT carries: 10 columns each,
// under SQLite's 32,766 parameters, and whole chunks of declChunk.
const sqliteDeclRows = 12 * declChunk

// insertDeclarationRows inserts the rows of chunks, nc values a row, with
// multi-row INSERTs of one prepared statement.
func (t *licTx) insertDeclarationRows(ctx context.Context, chunks <-chan []any, nc int) error {
	stmt := func(n int) string {
		row := "(" + placeholders(nc) + ")"
		return "INSERT INTO declarations (" + strings.Join(declInsertColumns, ", ") + ") VALUES " + strings.Repeat(row+", ", n-1) + row
	}
	args := make([]any, 0, sqliteDeclRows*nc)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		err := t.execChunk(ctx, stmt(len(args)/nc), len(args)/nc == sqliteDeclRows, args)
		args = args[:0]
		if err != nil {
			return fmt.Errorf("insert declarations: %w", err)
		}
		return nil
	}
	for c := range chunks {
		if len(args)+len(c) > cap(args) {
			if err := flush(); err != nil {
				return err
			}
		}
		args = append(args, c...)
	}
	return flush()
}

func (t *licTx) ScreeningBasis(ctx context.Context) (licensing.ScreeningBasis, error) {
	var b licensing.ScreeningBasis
	err := t.QueryRowContext(ctx, "SELECT rules_digest, reason, screened_at FROM screening_basis WHERE id = 1").Scan(&b.RulesDigest, &b.Reason, ptime{&b.At})
	if err != nil {
		return b, t.notFound(err, "screening basis", 1)
	}
	return b, nil
}

func (t *licTx) PutScreeningBasis(ctx context.Context, b licensing.ScreeningBasis) error {
	_, err := t.ExecContext(ctx, `INSERT INTO screening_basis (id, rules_digest, reason, screened_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET rules_digest = excluded.rules_digest, reason = excluded.reason, screened_at = excluded.screened_at`,
		b.RulesDigest, b.Reason, ts(b.At))
	t.touch("screening_basis", "id = 1")
	return t.db.dbErr(err, "screening basis")
}
