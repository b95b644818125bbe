package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strconv"

	"github.com/tradeplan/tradeplan"
)

// Some tables take rows by the million (a batch of declarations), and a
// digest a row made the audit entry of one batch a list of a million
// digests. Their rows are recorded in chunks instead: the rows whose ids
// fall in [lo, lo+size) are one entry of the state list, named
// "declarations[id=1..256]", whose digest is the SHA-256 of every row of
// the chunk, in id order, each as its row digest would hash it. A row
// changed, inserted or deleted in a chunk changes the chunk's digest, so
// `tradeplan audit verify` still finds it, naming the chunk. A write to any
// row of a chunk records the whole chunk again, read in the transaction.
// Rows recorded one by one before (a database written before chunks) are
// checked one by one until their chunk is first recorded.

// chunkSizes are the tables recorded in chunks, by how many ids a chunk
// spans. Their key is a single integer id, from 1.
var chunkSizes = map[string]int64{"declarations": declChunk}

// declChunk is the ids a chunk of declarations spans: a batch starts a
// chunk of its own (declarationIDs), and a correction records again the
// chunk of each version it supersedes, at most this many rows each.
const declChunk = 256

func chunkSize(table string) int64 { return chunkSizes[table] }

// chunkStart is the first id from id on that starts a chunk of
// declarations: a batch's rows fill chunks of their own, so that loading
// one never records again the rows of another.
func chunkStart(id int64) int64 {
	if lo := chunkLo(declChunk, id); lo != id {
		return lo + declChunk
	}
	return id
}

// chunkLo is the first id of the chunk of size that holds id.
func chunkLo(size, id int64) int64 {
	if id < 1 {
		return id // never written by the store: a chunk of its own
	}
	return (id-1)/size*size + 1
}

// chunkName is the state list's name of a chunk.
func chunkName(table string, lo, size int64) string {
	return table + "[id=" + strconv.FormatInt(lo, 10) + ".." + strconv.FormatInt(lo+size-1, 10) + "]"
}

// newChunkHash starts the digest of a chunk.
func newChunkHash(table string, lo, size int64) hash.Hash {
	h := sha256.New()
	var n [8]byte
	for _, s := range []string{"tradeplan-chunk-v1", table, strconv.FormatInt(lo, 10), strconv.FormatInt(lo+size-1, 10)} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return h
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// rowID is the integer id among vals, at index i.
func rowID(vals []any, i int) (int64, error) {
	switch x := vals[i].(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	}
	v, _ := columnText(vals[i])
	return strconv.ParseInt(v, 10, 64)
}

// eachChunk reads rows, in id order, and calls chunk with the digest of
// each chunk, and row (when not nil) with each row's name, digest and
// chunk.
func eachChunk(rows *sql.Rows, tbl stateTable, size int64, row func(name, digest string, lo int64), chunk func(lo int64, digest string)) error {
	var h hash.Hash
	var lo int64
	err := eachRow(rows, tbl, func(rd *rowDigester, vals []any) error {
		id, err := rowID(vals, rd.keyIdx[0])
		if err != nil {
			return fmt.Errorf("%s: id: %w", tbl.name, err)
		}
		if l := chunkLo(size, id); h == nil || l != lo {
			if h != nil {
				chunk(lo, hexSum(h))
			}
			h, lo = newChunkHash(tbl.name, l, size), l
		}
		if row != nil {
			name, digest := rd.digest(vals)
			row(name, digest, lo)
		}
		h.Write(rd.encode(vals))
		return nil
	})
	if err != nil {
		return err
	}
	if h != nil {
		chunk(lo, hexSum(h))
	}
	return nil
}

// writtenChunk is what the rows a transaction inserted say of their
// chunks: the digests of the chunks they fill whole, and the chunks they
// fill in part (read back: other rows share them).
type writtenChunk struct {
	full    map[int64]string
	partial []int64
}

// chunkState gathers, over the writes of a transaction to one chunked
// table, which chunks to record and how: from the values written, or read
// in the transaction.
type chunkState struct {
	tbl     stateTable
	size    int64
	written map[int64]string // chunk → digest of the rows written, when nothing changed them after
	read    map[int64]bool   // chunks to read back
}

func newChunkState(table string) *chunkState {
	return &chunkState{tbl: stateTableOf(table), size: chunkSize(table), written: map[int64]string{}, read: map[int64]bool{}}
}

// add takes a touch of the table, in the order they were made.
func (c *chunkState) add(ctx context.Context, t *licTx, p touched) error {
	if p.chunks != nil {
		w, err := p.chunks()
		if err != nil {
			return err
		}
		for lo, d := range w.full {
			if err := c.guarded(t, lo); err != nil {
				return err
			}
			c.written[lo] = d
			delete(c.read, lo)
		}
		for _, lo := range w.partial {
			if err := c.guarded(t, lo); err != nil {
				return err
			}
			c.read[lo] = true
			delete(c.written, lo)
		}
		return nil
	}
	rows, err := t.QueryContext(ctx, "SELECT "+c.tbl.key[0]+" FROM "+c.tbl.name+" WHERE "+p.where, p.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		lo := chunkLo(c.size, id)
		if err := c.guarded(t, lo); err != nil {
			return err
		}
		c.read[lo] = true
		delete(c.written, lo)
	}
	return rows.Err()
}

// guarded refuses to record again a chunk the transaction did not check
// against the chain before writing to it (state_guard.go): a writer that
// forgot to would vouch for rows changed behind the store.
func (c *chunkState) guarded(t *licTx, lo int64) error {
	if !t.state.guarded[c.tbl.name][lo] {
		return fmt.Errorf("%s written without its check against the audit log", chunkName(c.tbl.name, lo, c.size))
	}
	return nil
}

// digests are the chunks' entries of the state list, by first id.
func (c *chunkState) digests(ctx context.Context, t *licTx) ([]tradeplan.RowDigest, error) {
	got := make(map[int64]string, len(c.written)+len(c.read))
	for lo, d := range c.written {
		got[lo] = d
	}
	los := make([]int64, 0, len(c.read))
	for lo := range c.read {
		los = append(los, lo)
	}
	slices.Sort(los)
	// Neighbouring chunks are read in one query.
	for i := 0; i < len(los); {
		j := i + 1
		for j < len(los) && los[j] == los[j-1]+c.size && j-i < 64 {
			j++
		}
		from, to := los[i], los[j-1]+c.size-1
		rows, err := t.QueryContext(ctx, "SELECT * FROM "+c.tbl.name+" WHERE "+c.tbl.key[0]+" BETWEEN ? AND ? ORDER BY "+c.tbl.key[0], from, to)
		if err != nil {
			return nil, err
		}
		if err := eachChunk(rows, c.tbl, c.size, nil, func(lo int64, d string) { got[lo] = d }); err != nil {
			return nil, err
		}
		i = j
	}
	all := make([]int64, 0, len(got))
	for lo := range got {
		all = append(all, lo)
	}
	slices.Sort(all)
	out := make([]tradeplan.RowDigest, len(all))
	for i, lo := range all {
		out[i] = tradeplan.RowDigest{Row: chunkName(c.tbl.name, lo, c.size), Digest: got[lo]}
	}
	return out, nil
}

// verifyChunks checks the rows of a table recorded in chunks: a chunk the
// chain recorded against its digest, as a whole; the rows of a chunk it
// never recorded (written before chunks, or sealed) one by one, with
// checkRow. A row recorded one by one and since in a recorded chunk is
// covered by the chunk: chunks are recorded only after rows one by one.
func verifyChunks(ctx context.Context, tx *sql.Tx, tbl stateTable, size int64, recorded map[string]recordedRow, seen map[string]bool,
	res *StateResult, checkRow func(row, digest string)) error {
	// SELECT * in id order: ORDER BY the key, whatever the column's place.
	rows, err := tx.QueryContext(ctx, "SELECT * FROM "+tbl.name+" ORDER BY "+tbl.key[0])
	if err != nil {
		return err
	}
	row := func(name, digest string, lo int64) {
		if _, ok := recorded[chunkName(tbl.name, lo, size)]; ok {
			res.Rows++
			seen[name] = true
			return
		}
		checkRow(name, digest)
	}
	return eachChunk(rows, tbl, size, row, func(lo int64, digest string) {
		name := chunkName(tbl.name, lo, size)
		r, ok := recorded[name]
		if !ok {
			return
		}
		seen[name] = true
		if r.digest != digest {
			res.Problems = append(res.Problems, StateProblem{Row: name, Seq: r.seq,
				Problem: fmt.Sprintf("changed outside the store: a row of these ids was changed, inserted or deleted since audit entry %d recorded them", r.seq)})
		}
	})
}
