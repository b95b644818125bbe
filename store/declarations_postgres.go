package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresDeclarationIDs takes n ids of the identity's sequence at once,
// from the start of the next chunk (declChunk). Intakes hold the intake
// lock, and nothing else inserts declarations, so no other nextval comes
// between the two statements.
func (t *licTx) postgresDeclarationIDs(ctx context.Context, n int) (int64, error) {
	var next int64
	if err := t.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('declarations', 'id'))`).Scan(&next); err != nil {
		return 0, t.db.dbErr(err, "declaration ids")
	}
	first := chunkStart(next)
	_, err := t.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('declarations', 'id'), ?)`, first+int64(n)-1)
	return first, t.db.dbErr(err, "declaration ids")
}

// copyDeclarations writes the rows of chunks, nc values a row, with COPY on
// the transaction's own connection: inside the transaction, all or nothing
// with it.
func (t *licTx) copyDeclarations(ctx context.Context, chunks <-chan []any, nc int) error {
	if t.conn == nil {
		return fmt.Errorf("copy declarations: no connection")
	}
	return t.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy declarations: driver connection %T", dc)
		}
		_, err := sc.Conn().CopyFrom(ctx, pgx.Identifier{"declarations"}, declInsertColumns, &chunkRows{chunks: chunks, nc: nc})
		return err
	})
}

// chunkRows is a COPY's source of rows from chunks of nc values a row.
type chunkRows struct {
	chunks   <-chan []any
	nc       int
	cur, row []any
}

func (c *chunkRows) Next() bool {
	for len(c.cur) == 0 {
		v, ok := <-c.chunks
		if !ok {
			return false
		}
		c.cur = v
	}
	c.row, c.cur = c.cur[:c.nc], c.cur[c.nc:]
	return true
}

func (c *chunkRows) Values() ([]any, error) { return c.row, nil }
func (c *chunkRows) Err() error             { return nil }

func (t *licTx) declarationIDs(ctx context.Context, n int) (int64, error) {
	if t.db.d.name() == "postgres" {
		return t.postgresDeclarationIDs(ctx, n)
	}
	return t.sqliteDeclarationIDs(ctx, n)
}
