package store

import (
	"runtime"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Digests of rows from the values written rather than read back: a batch of
// a million declarations is digested while it is inserted, on another core,
// instead of read again after. The digest is the one VerifyState computes
// from the row as the driver reads it (TestWrittenDigestsMatchStored, both
// engines), so `tradeplan audit verify` covers these rows as any other.

// touchWritten records that the transaction inserted n rows of table whose
// columns cols hold row(i), with ids id(i), digesting them in the
// background from now; the next audit entry waits for the digests. A row
// changed again later in the transaction is touched again, and that later
// digest is the one recorded. A table recorded in chunks has the chunks
// the rows fill whole digested so; the others are read back.
func (t *licTx) touchWritten(table string, cols []string, n int, id func(i int) int64, row func(i int) ([]any, error)) {
	tbl := stateTableOf(table)
	engine := t.db.d.name()
	if size := chunkSize(table); size > 0 {
		var (
			wg  sync.WaitGroup
			out writtenChunk
			err error
		)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err = writtenChunks(tbl, size, engine, cols, n, id, row)
		}()
		t.state.pending = append(t.state.pending, touched{table: table, chunks: func() (writtenChunk, error) {
			wg.Wait()
			return out, err
		}})
		return
	}
	var (
		wg  sync.WaitGroup
		out []tradeplan.RowDigest
		err error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		out, err = writtenDigests(tbl, engine, cols, n, row)
	}()
	t.state.pending = append(t.state.pending, touched{table: table, digests: func() ([]tradeplan.RowDigest, error) {
		wg.Wait()
		return out, err
	}})
}

// writtenDigests digests n rows given as the values bound to cols, in
// parallel over the cores, each value first made what engine reads back.
func writtenDigests(tbl stateTable, engine string, cols []string, n int, row func(i int) ([]any, error)) ([]tradeplan.RowDigest, error) {
	out := make([]tradeplan.RowDigest, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/1000))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd, err := newRowDigester(tbl, cols)
			if err != nil {
				errs[w] = err
				return
			}
			for i := w; i < n; i += workers {
				vals, err := row(i)
				if err != nil {
					errs[w] = err
					return
				}
				for j, v := range vals {
					vals[j] = storedValue(engine, v)
				}
				out[i].Row, out[i].Digest = rd.digest(vals)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// storedValue is v, a value bound to a statement, as the engine's driver
// reads it back: SQLite keeps a boolean as the integer 1 or 0; both keep a
// time to the microsecond in UTC.
func storedValue(engine string, v any) any {
	switch x := v.(type) {
	case bool:
		if engine == "sqlite" {
			if x {
				return int64(1)
			}
			return int64(0)
		}
	case int:
		return int64(x)
	case time.Time:
		return ts(x)
	}
	return v
}
