package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestInTxRetriesTransientFailures(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "tx.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Classify errors as PostgreSQL would, on a SQLite connection: fn runs
	// no SQL, so only the retry logic is exercised.
	db.d = retryDialect{db.d}
	for _, c := range []struct {
		name     string
		errs     []error // what fn returns on each attempt
		attempts int
		wantErr  bool
	}{
		{"success", []error{nil}, 1, false},
		{"serialization failure then success", []error{&pgconn.PgError{Code: "40001"}, nil}, 2, false},
		{"deadlock twice then success", []error{&pgconn.PgError{Code: "40P01"}, &pgconn.PgError{Code: "40P01"}, nil}, 3, false},
		{"permanent error", []error{errors.New("boom")}, 1, true},
		{"unique violation is not retried", []error{&pgconn.PgError{Code: "23505"}}, 1, true},
		{"gives up", repeat(&pgconn.PgError{Code: "40001"}, maxTxAttempts), maxTxAttempts, true},
	} {
		n := 0
		err := db.inTx(context.Background(), func(tx *Tx) error {
			n++
			return c.errs[n-1]
		})
		if n != c.attempts || (err != nil) != c.wantErr {
			t.Errorf("%s: %d attempts, err %v; want %d attempts, error %v", c.name, n, err, c.attempts, c.wantErr)
		}
	}
}

func repeat(err error, n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

type retryDialect struct{ dialect }

func (retryDialect) retryable(err error) bool { return postgresDialect{}.retryable(err) }

func TestPostgresPoolSizeParameter(t *testing.T) {
	_, err := Open(context.Background(), "postgres://u@localhost/db?pool_max_conns=lots")
	if err == nil || !strings.Contains(err.Error(), "pool_max_conns") {
		t.Errorf("bad pool_max_conns: %v", err)
	}
}
