package store

import (
	"context"
	"database/sql"
)

// Raw returns the writer pool, for tests that edit the database behind the
// store's back.
func Raw(db *DB) *sql.DB { return db.w }

// Rebind exposes the placeholder rewriting to tests.
func Rebind(db *DB, q string) string { return db.q(q) }

// MigrateTo applies the migrations up to version last.
func MigrateTo(ctx context.Context, db *DB, last int) error { return db.migrateTo(ctx, last) }
func ClearKeyEncryption(db *DB)                             { db.kek = nil }
