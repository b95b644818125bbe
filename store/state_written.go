package store

import (
	"fmt"
	"sync"
	"time"
)

// Digests of rows from the values written rather than read back: a batch of
// a million declarations is digested, chunk by chunk (state_chunks.go), as
// its rows are made for the insert, on another core than the insert's. The
// digest is the one VerifyState computes from the rows as the driver reads
// them (TestWrittenDigestsMatchStored, both engines), so `tradeplan audit
// verify` covers these rows as any other.

// chunkHasher digests the chunks that rows a transaction inserts, into a
// table recorded in chunks, fill whole; the others are read back.
type chunkHasher struct {
	tbl     stateTable
	size    int64
	engine  string
	rd      *rowDigester
	scratch []any
	out     writtenChunk
}

func (t *licTx) newChunkHasher(table string, cols []string) (*chunkHasher, error) {
	tbl := stateTableOf(table)
	rd, err := newRowDigester(tbl, cols)
	if err != nil {
		return nil, err
	}
	return &chunkHasher{tbl: tbl, size: chunkSize(table), engine: t.db.d.name(), rd: rd, scratch: make([]any, len(cols)),
		out: writtenChunk{full: map[int64]string{}}}, nil
}

// add takes the rows of one chunk, vals (the values bound, a row after
// another in id order) with ids from first to last.
func (c *chunkHasher) add(first, last int64, vals []any) error {
	lo := chunkLo(c.size, first)
	if chunkLo(c.size, last) != lo {
		return fmt.Errorf("state of %s: ids %d to %d are not of one chunk", c.tbl.name, first, last)
	}
	nc := len(c.scratch)
	if int64(len(vals)/nc) != c.size {
		c.out.partial = append(c.out.partial, lo)
		return nil
	}
	h := newChunkHash(c.tbl.name, lo, c.size)
	for r := 0; r < len(vals); r += nc {
		for j, v := range vals[r : r+nc] {
			c.scratch[j] = storedValue(c.engine, v)
		}
		h.Write(c.rd.encode(c.scratch))
	}
	c.out.full[lo] = hexSum(h)
	return nil
}

// touchChunks records that the transaction inserted rows of table, whose
// chunks done says once they are digested; the next audit entry waits for
// it. A row changed again later in the transaction is touched again, and
// its chunk is read back.
func (t *licTx) touchChunks(table string, done func() (writtenChunk, error)) {
	stateTableOf(table)
	var (
		once sync.Once
		out  writtenChunk
		err  error
	)
	t.state.pending = append(t.state.pending, touched{table: table, chunks: func() (writtenChunk, error) {
		once.Do(func() { out, err = done() })
		return out, err
	}})
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
