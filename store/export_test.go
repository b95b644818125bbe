package store

import "database/sql"

// Raw returns the writer pool, for tests that edit the database behind the
// store's back.
func Raw(db *DB) *sql.DB { return db.w }

// Rebind exposes the placeholder rewriting to tests.
func Rebind(db *DB, q string) string { return db.q(q) }
