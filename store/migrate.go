package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// Migration is one schema change, from store/migrations/ENGINE/NNNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations for an engine, in order.
func Migrations(engine string) ([]Migration, error) {
	dir := "migrations/" + engine
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", engine, err)
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s/%s: name must be NNNN_name.sql", dir, e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s in %s have the same number", prev, e.Name(), dir)
		}
		seen[v] = e.Name()
		b, err := migrationFiles.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// Migrate applies the migrations not yet recorded in schema_migrations, in
// order, each in its own transaction together with its record. It is safe
// to run from several processes at once. It refuses a database that has a
// migration this program does not know (a newer program migrated it).
func (db *DB) Migrate(ctx context.Context) error { return db.migrateTo(ctx, math.MaxInt) }

// migrateTo applies the migrations up to version last (tests of a migration
// start from the schema before it).
func (db *DB) migrateTo(ctx context.Context, last int) error {
	ms, err := Migrations(db.Engine())
	if err != nil {
		return err
	}
	return db.d.withMigrationLock(ctx, db, func() error {
		if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    BIGINT PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`); err != nil {
			return fmt.Errorf("migrate: create schema_migrations: %w", err)
		}
		applied, err := db.AppliedMigrations(ctx)
		if err != nil {
			return err
		}
		known := map[int]bool{}
		for _, m := range ms {
			known[m.Version] = true
		}
		for _, a := range applied {
			if !known[a.Version] {
				return tradeplan.Errorf(tradeplan.EConflict, "migrate: the database has migration %04d_%s, which this program does not know: it was migrated by a newer version", a.Version, a.Name)
			}
		}
		for _, m := range ms {
			if m.Version > last {
				break
			}
			if err := db.applyMigration(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) applyMigration(ctx context.Context, m Migration) error {
	applied := false
	err := db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := db.runMigrationSQL(ctx, tx, m.SQL); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, db.stamp().Format("2006-01-02T15:04:05.000000Z")); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("migrate %s %04d_%s: %w", db.Engine(), m.Version, m.Name, err)
	}
	if applied {
		db.log.InfoContext(ctx, "migration applied", "engine", db.Engine(), "version", m.Version, "name", m.Name)
	}
	return nil
}

// AppliedMigration is a row of schema_migrations.
type AppliedMigration struct {
	Version   int
	Name      string
	AppliedAt string
}

// AppliedMigrations lists the migrations recorded in the database, in order.
// It is empty for a database never migrated.
func (db *DB) AppliedMigrations(ctx context.Context) ([]AppliedMigration, error) {
	rows, err := db.w.QueryContext(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		if strings.Contains(err.Error(), "schema_migrations") {
			return nil, nil
		}
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	defer rows.Close()
	var out []AppliedMigration
	for rows.Next() {
		var a AppliedMigration
		if err := rows.Scan(&a.Version, &a.Name, &a.AppliedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PendingMigrations lists the embedded migrations not yet applied to the
// database, in order.
func (db *DB) PendingMigrations(ctx context.Context) ([]Migration, error) {
	ms, err := Migrations(db.Engine())
	if err != nil {
		return nil, err
	}
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	for _, a := range applied {
		done[a.Version] = true
	}
	var pending []Migration
	for _, m := range ms {
		if !done[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// migrationSteps are the steps of migrations written in Go, named in a
// migration's SQL by a line "-- go: NAME": what SQL cannot say the same on
// both engines (migrate_steps.go).
var migrationSteps = map[string]func(ctx context.Context, tx *Tx) error{
	"pack_declarations": packDeclarations,
}

// runMigrationSQL runs a migration's SQL, and its steps in Go where it
// names them, in order, in tx.
func (db *DB) runMigrationSQL(ctx context.Context, tx *Tx, sqlText string) error {
	part := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := tx.tx.ExecContext(ctx, s)
		return err
	}
	var cur strings.Builder
	for line := range strings.Lines(sqlText) {
		name, ok := strings.CutPrefix(strings.TrimSpace(line), "-- go: ")
		if !ok {
			cur.WriteString(line)
			continue
		}
		step := migrationSteps[strings.TrimSpace(name)]
		if step == nil {
			return fmt.Errorf("no step %q", name)
		}
		if err := part(cur.String()); err != nil {
			return err
		}
		cur.Reset()
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("step %s: %w", name, err)
		}
	}
	return part(cur.String())
}
