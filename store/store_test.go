package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// each runs f as a subtest on every engine, with a fresh store.
func each(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			f(t, storetest.Open(t, eng))
		})
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tradeplan.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

var ctx = tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))

func TestOpenEngine(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		if db.Engine() != "sqlite" && db.Engine() != "postgres" {
			t.Fatalf("Engine() = %q", db.Engine())
		}
	})
}

func TestOpenEmptyDSN(t *testing.T) {
	_, err := store.Open(context.Background(), "")
	wantCode(t, err, tradeplan.EInvalid)
	if errors.Is(err, nil) {
		t.Fatal("no error")
	}
}

func TestPostgresPoolSize(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		if eng != "postgres" {
			continue
		}
		dsn := storetest.DSN(t, eng)
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		db, err := store.Open(context.Background(), dsn+sep+"pool_max_conns=3")
		if err != nil {
			t.Fatalf("pool_max_conns=3: %v", err)
		}
		defer db.Close()
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}
