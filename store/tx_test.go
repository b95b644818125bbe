package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/tradeplan/tradeplan"
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

func TestAuthenticateRehashesWeakerHashes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "rehash.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.UseCheapPasswordHashing()
	org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "A", Kind: tradeplan.OrgAuthority})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, tradeplan.User{OrgID: org.ID, Email: "a@example.org", Role: tradeplan.RoleAdmin}, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	stored := func() string {
		var h string
		if err := db.w.QueryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	cheap := stored()
	db.argon = defaultArgon
	if _, err := db.Authenticate(ctx, "a@example.org", "wrong password!"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if stored() != cheap {
		t.Fatal("rehashed on a failed login")
	}
	if _, err := db.Authenticate(ctx, "a@example.org", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if h := stored(); !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("after login with stronger parameters, hash = %q", h)
	}
	if _, err := db.Authenticate(ctx, "a@example.org", "a long enough password"); err != nil {
		t.Errorf("login after rehash: %v", err)
	}
	if res, err := db.VerifyAudit(ctx); err != nil || !res.OK || res.Entries != 3 {
		t.Errorf("audit after rehash: %+v, %v", res, err)
	}
}
