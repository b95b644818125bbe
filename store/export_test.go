package store

import (
	"context"
	"database/sql"

	"github.com/tradeplan/tradeplan"
)

// Raw returns the writer pool, for tests that edit the database behind the
// store's back.
func Raw(db *DB) *sql.DB { return db.w }

// Rebind exposes the placeholder rewriting to tests.
func Rebind(db *DB, q string) string { return db.q(q) }

// MigrateTo applies the migrations up to version last.
func MigrateTo(ctx context.Context, db *DB, last int) error { return db.migrateTo(ctx, last) }
func ClearKeyEncryption(db *DB)                             { db.kek = nil }

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
