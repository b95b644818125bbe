package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/tradeplan/tradeplan/licensing"
)

// postgresDeclarationIDs takes n ids of the identity's sequence at once.
// Intakes hold the intake lock, and nothing else inserts declarations, so
// no other nextval comes between the two calls of the statement.
func (t *licTx) postgresDeclarationIDs(ctx context.Context, n int) (int64, error) {
	var last int64
	err := t.QueryRowContext(ctx, `SELECT setval(pg_get_serial_sequence('declarations', 'id'),
		nextval(pg_get_serial_sequence('declarations', 'id')) + ? - 1)`, n).Scan(&last)
	return last - int64(n) + 1, t.db.dbErr(err, "declaration ids")
}

// copyDeclarations writes the rows with COPY on the transaction's own
// connection: inside the transaction, all or nothing with it.
func (t *licTx) copyDeclarations(ctx context.Context, ds []licensing.Declaration) error {
	if t.conn == nil {
		return fmt.Errorf("copy declarations: no connection")
	}
	return t.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy declarations: driver connection %T", dc)
		}
		_, err := sc.Conn().CopyFrom(ctx, pgx.Identifier{"declarations"}, declInsertColumns, pgx.CopyFromSlice(len(ds), func(i int) ([]any, error) {
			return declRow(&ds[i])
		}))
		return err
	})
}

func (t *licTx) declarationIDs(ctx context.Context, n int) (int64, error) {
	if t.db.d.name() == "postgres" {
		return t.postgresDeclarationIDs(ctx, n)
	}
	return t.sqliteDeclarationIDs(ctx, n)
}
