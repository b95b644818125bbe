package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/tradeplan/tradeplan"
)

type postgresDialect struct{}

// migrationLockKey is the advisory lock key held while migrating.
const migrationLockKey = 7_261_830_001

// defaultPoolSize is the most connections one process opens; several
// servers share the server's max_connections (100 by default).
const defaultPoolSize = 20

// openPostgres opens a connection pool. pool_max_conns=N in the URL's query
// sets its size (the parameter is taken out before the URL reaches pgx).
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	size := defaultPoolSize
	if u, err := url.Parse(dsn); err == nil {
		q := u.Query()
		if v := q.Get("pool_max_conns"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return nil, tradeplan.Errorf(tradeplan.EInvalid, "PostgreSQL URL: pool_max_conns is %q, expected a number from 1 to 1000", v)
			}
			size = n
			q.Del("pool_max_conns")
			u.RawQuery = q.Encode()
			dsn = u.String()
		}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	db.SetMaxOpenConns(size)
	db.SetMaxIdleConns(size)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	return newDB(postgresDialect{}, db, db), nil
}

func (postgresDialect) name() string { return "postgres" }

// rebind turns ? into $1, $2, ... outside string literals, quoted
// identifiers and comments.
func (postgresDialect) rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func (postgresDialect) retryable(err error) bool {
	switch pgCode(err) {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

func (postgresDialect) code(err error) string {
	switch pgCode(err) {
	case "23505":
		return tradeplan.EConflict
	case "23503", "23514", "23502":
		return tradeplan.EInvalid
	}
	return ""
}

// Row-locking the one-row head table makes concurrent appends from any
// number of servers take turns.
func (postgresDialect) lockAuditHead() string {
	return "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
}

// Under read committed a row read without a lock may change before the
// transaction writes what it computed from it: the lost update. The lock is
// exclusive even for rows most transactions only rely on (a call, a
// crossing): two shared holders that both go on to change the row deadlock,
// and every write already takes turns on the audit chain's head.
func (postgresDialect) rowLock() string { return " FOR UPDATE" }

// lockCap takes a transaction-scoped advisory lock keyed by the cap's name.
func (postgresDialect) lockCap() string {
	return "SELECT pg_advisory_xact_lock(" + strconv.Itoa(capLockSpace) + ", hashtext(?))"
}

// capLockSpace is the first key of the cap advisory locks, to keep them
// apart from other advisory locks.
const capLockSpace = 2397

// withMigrationLock holds a session advisory lock while fn runs, so that
// servers starting together migrate one at a time. The lock is taken on a
// dedicated connection and released on it.
func (postgresDialect) withMigrationLock(ctx context.Context, db *DB, fn func() error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrationLockKey)); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrationLockKey))
	return fn()
}
