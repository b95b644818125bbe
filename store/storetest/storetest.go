// Package storetest gives tests a fresh, migrated, empty store on each
// engine: SQLite always, and PostgreSQL whenever one is reachable.
//
// PostgreSQL comes from TRADEPLAN_TEST_POSTGRES (a postgres:// URL of a
// server where the user may create databases) or, failing that, from the
// server binaries initdb and pg_ctl (on the PATH or in
// /usr/lib/postgresql/*/bin): the first test that asks starts one throwaway
// cluster for the test process, listening only on a Unix socket in a
// temporary directory, and Main stops it. Each Open creates a new database.
// When TRADEPLAN_REQUIRE_POSTGRES=1, failing to get PostgreSQL fails the
// test instead of leaving it out.
//
// A test package that uses storetest must call Main from its TestMain:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/store"
)

var mainCalled atomic.Bool

// quiet discards the store's logs in tests.
var quiet = slog.New(slog.DiscardHandler)

// Main runs the tests and then stops the PostgreSQL cluster, if one was
// started. Call it from TestMain. Each of after is given the exit code of
// the run and returns the one to go on with (a summary that can fail it).
func Main(m *testing.M, after ...func(code int) int) {
	mainCalled.Store(true)
	code := m.Run()
	for _, f := range after {
		code = f(code)
	}
	dropTemplate()
	stopCluster()
	os.Exit(code)
}

var (
	pgOnce sync.Once
	pgURL  string // a server URL with a database we may CREATE DATABASE from
	pgErr  error  // why PostgreSQL is not available
)

func requirePostgres() bool { return os.Getenv("TRADEPLAN_REQUIRE_POSTGRES") == "1" }

func postgres(t testing.TB) (string, bool) {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("storetest: call storetest.Main(m) from TestMain so that the PostgreSQL test cluster is stopped")
	}
	pgOnce.Do(func() {
		if u := os.Getenv("TRADEPLAN_TEST_POSTGRES"); u != "" {
			pgURL = u
			return
		}
		pgURL, pgErr = startCluster()
	})
	if pgErr != nil {
		if requirePostgres() {
			t.Fatalf("storetest: PostgreSQL is required (TRADEPLAN_REQUIRE_POSTGRES=1) but unavailable: %v", pgErr)
		}
		return "", false
	}
	return pgURL, true
}

var skipNoted sync.Once

// Engines returns the engines to run store tests on: "sqlite", and
// "postgres" when PostgreSQL is reachable.
func Engines(t testing.TB) []string {
	t.Helper()
	engines := []string{"sqlite"}
	if _, ok := postgres(t); ok {
		engines = append(engines, "postgres")
	} else {
		skipNoted.Do(func() {
			t.Logf("storetest: PostgreSQL tests left out: %v; set TRADEPLAN_TEST_POSTGRES=postgres://... or put initdb and pg_ctl on the PATH (Debian: apt-get install postgresql; they are in /usr/lib/postgresql/VERSION/bin)", pgErr)
		})
	}
	return engines
}

// Open returns a fresh, migrated, empty store on engine ("sqlite" or
// "postgres"), closed (and, on PostgreSQL, dropped) when the test ends.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "tradeplan.db")
	case "postgres":
		u, ok := postgres(t)
		if !ok {
			t.Skipf("storetest: PostgreSQL unavailable: %v", pgErr)
		}
		tmpl, err := migratedTemplate(ctx, u)
		if err != nil {
			t.Fatalf("storetest: %v", err)
		}
		dsn, err = createDatabase(ctx, t, u, tmpl)
		if err != nil {
			t.Fatalf("storetest: %v", err)
		}
	default:
		t.Fatalf("storetest: unknown engine %q", engine)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	db.UseCheapPasswordHashing()
	db.SetLogger(quiet)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate %s: %v", engine, err)
	}
	return db
}

// DSN returns the DSN of a fresh, empty, unmigrated database on engine, for
// tests that open it themselves (the command line, several servers sharing
// one database).
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return filepath.Join(t.TempDir(), "tradeplan.db")
	case "postgres":
		u, ok := postgres(t)
		if !ok {
			t.Skipf("storetest: PostgreSQL unavailable: %v", pgErr)
		}
		dsn, err := createDatabase(context.Background(), t, u, "")
		if err != nil {
			t.Fatalf("storetest: %v", err)
		}
		return dsn
	}
	t.Fatalf("storetest: unknown engine %q", engine)
	return ""
}

func uniqueName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "tradeplan_test_" + time.Now().UTC().Format("150405") + "_" + hex.EncodeToString(b)
}
