// Package store keeps the licensing system's state in SQLite (the default,
// a single file) or PostgreSQL (shared by several servers): organisations,
// users, sessions, API tokens, imported datasets, match decisions and the
// hash-chained audit log. Portable SQL is written once with ? placeholders;
// what differs between the engines lives in store_sqlite.go and
// store_postgres.go.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradeplan/tradeplan"
)

// DB is a handle on the database. It is safe for concurrent use.
type DB struct {
	d dialect
	w *sql.DB // writes: one connection on SQLite
	r *sql.DB // reads: a pool; the same as w on PostgreSQL

	now func() time.Time

	log *slog.Logger

	argon     argonParams
	dummyOnce sync.Once
	dummyHash string // hashed with argon, for unknown users' logins

	rebindMu sync.RWMutex
	rebinds  map[string]string

	// kek encrypts the signing keys' private halves (keyseal.go); nil:
	// stored in the clear.
	kek cipher.AEAD

	// versions keeps decoded plan versions (versionmemo.go).
	versions versionMemo

	// stateIndexed is set once the index of recorded rows (migration
	// 0460) was found: it is never dropped (hasStateIndex).
	stateIndexed atomic.Bool
}

// dialect is what differs between the engines.
type dialect interface {
	name() string
	// rebind rewrites ? placeholders for the engine.
	rebind(q string) string
	// retryable reports whether a transaction that failed with err may be
	// run again: SQLite busy, PostgreSQL serialization failure or deadlock.
	retryable(err error) bool
	// code maps a constraint violation to an error code ("" for others).
	code(err error) string
	// lockAuditHead is the query that reads the chain head (seq, hash) and
	// holds it until the transaction ends.
	lockAuditHead() string
	// rowLock is the clause that holds the rows a SELECT in a write
	// transaction reads until it ends.
	rowLock() string
	// lockCap is the statement, with the cap's name as its one parameter,
	// that holds a cap until the transaction ends; "" when the engine
	// serialises write transactions anyway.
	lockCap() string
	// migrate runs fn holding a lock that keeps other processes from
	// migrating at the same time.
	withMigrationLock(ctx context.Context, db *DB, fn func() error) error
}

// Open opens the database named by dsn: a PostgreSQL URL (postgres:// or
// postgresql://) or else the path of a SQLite file, created if missing. It
// does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "no database: give a SQLite file path or a postgres:// URL")
	}
	var (
		db  *DB
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err = openPostgres(ctx, dsn)
	} else {
		db, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

func newDB(d dialect, w, r *sql.DB) *DB {
	return &DB{d: d, w: w, r: r, now: time.Now, log: slog.Default(), argon: defaultArgon, rebinds: map[string]string{}}
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name() }

// Close closes the database.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ping checks that the database answers, for health checks.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// SetLogger replaces the logger the store reports migrations with
// (default: slog.Default()).
func (db *DB) SetLogger(l *slog.Logger) { db.log = l }

// SetClock replaces the clock the store stamps times with (tests).
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// UseCheapPasswordHashing makes this handle hash new passwords with
// argon2id at minimal cost (64 KiB, one pass), so that tests creating many
// users stay fast under the race detector. Never call it outside tests:
// storetest.Open does.
func (db *DB) UseCheapPasswordHashing() {
	db.argon = argonParams{memory: 64, time: 1, threads: 1, keyLen: 32}
}

// stamp returns the current time as stored: UTC, to the microsecond (the
// precision of PostgreSQL timestamps), so that what is read back equals
// what was written.
func (db *DB) stamp() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

func (db *DB) q(query string) string {
	db.rebindMu.RLock()
	s, ok := db.rebinds[query]
	db.rebindMu.RUnlock()
	if ok {
		return s
	}
	s = db.d.rebind(query)
	db.rebindMu.Lock()
	db.rebinds[query] = s
	db.rebindMu.Unlock()
	return s
}

// query and queryRow read through the reader pool.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, db.q(query), args...)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, db.q(query), args...)
}

// Tx is a write transaction. Its methods take portable SQL with ?
// placeholders.
type Tx struct {
	tx *sql.Tx
	db *DB
	// conn is the connection tx runs on, for what database/sql cannot
	// say (PostgreSQL's COPY).
	conn *sql.Conn
	// stmts are the statements prepared in tx (prepared), by query.
	stmts map[string]*sql.Stmt
}

// prepared is query prepared once in the transaction, for statements run
// again and again with other arguments (a chunk of thousands of keys): on
// SQLite, parsing such a statement cost more than running it. database/sql
// closes them with the transaction.
func (t *Tx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, t.db.q(query))
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.q(query), args...)
}

func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.q(query), args...)
}

func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.q(query), args...)
}

// insertID runs an INSERT ... RETURNING id and returns the id.
func (t *Tx) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := t.QueryRowContext(ctx, query, args...).Scan(&id)
	return id, err
}

const maxTxAttempts = 8

// beginRead starts a read-only transaction whose reads all see the
// database at one moment: REPEATABLE READ on PostgreSQL (whose default,
// READ COMMITTED, takes a new snapshot each statement, so a report read
// across a commit would mix the two states); on SQLite a read transaction
// keeps the snapshot of its first read until it ends.
func (db *DB) beginRead(ctx context.Context) (*sql.Tx, error) {
	if db.d.name() == "postgres" {
		return db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	}
	return db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// inTx runs fn in a write transaction and commits it, retrying the whole
// transaction when the engine reports a transient conflict (SQLite busy,
// PostgreSQL serialization failure or deadlock). fn must not have effects
// outside the transaction, since it may run more than once.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < maxTxAttempts; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return errors.Join(err, ctx.Err())
			case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
			}
		}
		err = db.tryTx(ctx, fn)
		if err == nil || !db.d.retryable(err) {
			return err
		}
	}
	return err
}

func (db *DB) tryTx(ctx context.Context, fn func(tx *Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer sqlTx.Rollback()
	if err := fn(&Tx{tx: sqlTx, db: db, conn: conn}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// dbErr turns a driver error into a domain error: unique violations are
// EConflict, foreign key and check violations EInvalid, sql.ErrNoRows
// ENotFound; anything else is wrapped as is (internal). what names the
// operation for the message.
func (db *DB) dbErr(err error, what string) error {
	if err == nil {
		return nil
	}
	var te *tradeplan.Error
	if errors.As(err, &te) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &tradeplan.Error{Code: tradeplan.ENotFound, Message: what + ": not found", Err: err}
	}
	switch c := db.d.code(err); c {
	case tradeplan.EConflict:
		return &tradeplan.Error{Code: c, Message: what + ": already exists", Err: err}
	case tradeplan.EInvalid:
		return &tradeplan.Error{Code: c, Message: what + ": refers to something that does not exist or breaks a rule", Err: err}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// nullTime scans a nullable timestamp from either engine.
type nullTime struct {
	Time  time.Time
	Valid bool
}

func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.Time, n.Valid = time.Time{}, false
		return nil
	case time.Time:
		n.Time, n.Valid = x.UTC(), true
		return nil
	case string:
		return n.parse(x)
	case []byte:
		return n.parse(string(x))
	case int64:
		n.Time, n.Valid = time.UnixMicro(x).UTC(), true
		return nil
	}
	return fmt.Errorf("cannot scan %T into a time", v)
}

var timeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
}

func (n *nullTime) parse(s string) error {
	for _, f := range timeFormats {
		if t, err := time.Parse(f, s); err == nil {
			n.Time, n.Valid = t.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("cannot parse time %q", s)
}

func (n nullTime) ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time
	return &t
}

// ptime is a non-null time scanner.
type ptime struct{ t *time.Time }

func (p ptime) Scan(v any) error {
	var n nullTime
	if err := n.Scan(v); err != nil {
		return err
	}
	if !n.Valid {
		return errors.New("unexpected NULL time")
	}
	*p.t = n.Time
	return nil
}

// nullInt maps 0 to NULL, for optional references.
func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// actorOf returns the actor of ctx, or a system actor when there is none.
func actorOf(ctx context.Context) tradeplan.Actor {
	if a, ok := tradeplan.ActorFrom(ctx); ok {
		return a
	}
	return tradeplan.SystemActor("")
}
