package store

import "context"

// sqliteDeclarationIDs gives n ids after the highest, from the start of
// the next chunk (declChunk): SQLite runs one write transaction at a time,
// so none is taken meanwhile.
func (t *licTx) sqliteDeclarationIDs(ctx context.Context, n int) (int64, error) {
	var last int64
	err := t.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM declarations").Scan(&last)
	return chunkStart(last + 1), t.db.dbErr(err, "declaration ids")
}
