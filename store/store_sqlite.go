package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/tradeplan/tradeplan"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

type sqliteDialect struct{}

// tp_decimal turns a stored figure into the text of its exact decimal
// (migration 0150): a float as the shortest decimal that reads back as it.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("tp_decimal", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if args[0] == nil {
			return nil, nil
		}
		var d tradeplan.Decimal
		if err := d.Scan(args[0]); err != nil {
			return nil, err
		}
		return d.String(), nil
	})
	if err != nil {
		panic(err)
	}
	// tp_lower is strings.ToLower (migration 0450): the permits search's
	// case-insensitivity for every letter, the same on PostgreSQL.
	err = sqlite.RegisterDeterministicScalarFunction("tp_lower", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		default:
			return v, nil
		}
	})
	if err != nil {
		panic(err)
	}
}

// openSQLite opens two pools on the file: a single-connection writer (SQLite
// allows one writer at a time; queuing writers in Go avoids busy errors) and
// a pool of read-only readers, which WAL lets run beside the writer.
func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == ":memory:" || strings.HasPrefix(path, "file:") || strings.Contains(path, "?") {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "SQLite database %q: give a plain file path (an in-memory database cannot be shared by the writer and the readers)", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, tradeplan.Errorf(tradeplan.EInvalid, "SQLite database %s: directory %s does not exist", path, dir)
		}
	}
	// busy_timeout first: setting WAL may itself wait on another process.
	common := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite&_timezone=UTC"
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?"
	// The writer keeps up to 128 MiB of pages (the default is 2 MiB) and
	// its statement journals in memory: a batch of a million declarations
	// updates its indexes at random places, and with the default the pages
	// were written to the WAL before the commit and read back again. Neither
	// changes what a crash leaves: the WAL and synchronous(NORMAL) do.
	writer := "&_pragma=cache_size(-131072)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	w, err := sql.Open("sqlite", base+common+writer)
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	return newDB(sqliteDialect{}, w, r), nil
}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) rebind(q string) string { return q }

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return -1
}

func (sqliteDialect) retryable(err error) bool {
	c := sqliteCode(err)
	return c >= 0 && (c&0xff == sqlite3.SQLITE_BUSY || c&0xff == sqlite3.SQLITE_LOCKED)
}

func (sqliteDialect) code(err error) string {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return tradeplan.EConflict
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return tradeplan.EInvalid
	}
	return ""
}

// The single writer connection already serialises appends.
func (sqliteDialect) lockAuditHead() string {
	return "SELECT seq, hash FROM audit_head WHERE id = 1"
}

// A write transaction takes the database's write lock at BEGIN
// (_txlock=immediate), whichever handle or process runs it, so the rows it
// reads cannot change before it ends.
func (sqliteDialect) rowLock() string { return "" }

// lockCap: the one writer connection with immediate transactions already
// serialises every write transaction, so there is nothing more to take.
func (sqliteDialect) lockCap() string { return "" }

// Migrations run in write transactions that take the database lock at
// BEGIN (_txlock=immediate), so two processes cannot apply the same one: the
// second waits, then sees it recorded.
func (sqliteDialect) withMigrationLock(ctx context.Context, db *DB, fn func() error) error {
	return fn()
}
