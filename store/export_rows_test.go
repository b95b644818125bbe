package store

import (
	"context"

	"github.com/tradeplan/tradeplan"
)

// RecordState records the rows of table that match where in an audit
// entry, as the store's own write of them would: for tests that write rows
// with SQL to stand for what the store (or an older program) wrote.
func RecordState(ctx context.Context, db *DB, table, where string, args ...any) error {
	return db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT * FROM "+table+" WHERE "+where, args...)
		if err != nil {
			return err
		}
		var state []tradeplan.RowDigest
		err = eachRowDigest(rows, stateTableOf(table), func(r, d string) { state = append(state, tradeplan.RowDigest{Row: r, Digest: d}) })
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{Action: "state.record", Subject: "state", State: state})
		return err
	})
}
