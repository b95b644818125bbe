package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

// openStore opens the database named by dsn, or when dsn is "" by
// TRADEPLAN_DB, or else ./tradeplan.db. It does not migrate: when the
// database lacks migrations it says to run 'tradeplan migrate'.
func openStore(ctx context.Context, e *env, dsn string) (*store.DB, error) {
	if dsn == "" {
		dsn = defaultDSN(e)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pending, err := db.PendingMigrations(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if len(pending) > 0 {
		db.Close()
		return nil, tradeplan.Errorf(tradeplan.EConflict, "the database %s lacks %d migration(s): run 'tradeplan migrate' first", redactDSN(dsn), len(pending))
	}
	return db, nil
}

// openMigrated opens the database named by dsn (or the default) and applies
// any pending migrations, so that a fresh database file works at once: for
// the commands that import data or serve.
func openMigrated(ctx context.Context, e *env, dsn string) (*store.DB, error) {
	if dsn == "" {
		dsn = defaultDSN(e)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	// The signing keys' private halves are encrypted with the key named by
	// TRADEPLAN_KEY_FILE or TRADEPLAN_KEY, when one is (docs/enforcement.md).
	kek, err := store.KeyEncryptionKeyFrom(e.getenv)
	if err == nil && kek != nil {
		if err = db.SetKeyEncryptionKey(kek); err == nil {
			_, err = db.SealSigningKeys(ctx)
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	return db, nil
}

// openExisting opens the database named by dsn, by TRADEPLAN_DB, or
// ./tradeplan.db, for commands that only read what was imported into it
// (lists, nomenclatures, decisions). Such commands never create one: when
// the database is a SQLite file that does not exist, it returns nil, nil,
// or an ENotFound error when dsn named it on the command line.
func openExisting(ctx context.Context, e *env, dsn string) (*store.DB, error) {
	named := dsn != ""
	if !named {
		dsn = defaultDSN(e)
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		if _, err := os.Stat(dsn); err != nil {
			if named {
				return nil, tradeplan.Errorf(tradeplan.ENotFound, "database %s does not exist (import lists or nomenclatures into it first)", dsn)
			}
			return nil, nil
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// redactDSN hides a PostgreSQL password in messages.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				return dsn[:i+3] + rest[:colon] + ":xxxxx" + rest[at:]
			}
		}
	}
	return dsn
}

// dbFlag adds --db to a command's flags.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database: a SQLite file or a postgres:// URL (default $TRADEPLAN_DB or ./tradeplan.db)")
}

// cliActorContext marks changes made from the command line in the audit log.
func cliActorContext(ctx context.Context, e *env) context.Context {
	name := "cli"
	if u := e.getenv("USER"); u != "" {
		name += ":" + u
	}
	return tradeplan.WithActor(ctx, tradeplan.SystemActor(name))
}

// dbFlags returns a flag set that reports to e.stderr.
func dbFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: tradeplan %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// dbParse parses args; it returns -1 to go on, or the exit status.
func dbParse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if !flagText(fs) {
		return exitUsage
	}
	return -1
}

// flagText checks the text of the flags set, as the server checks the
// text of requests (tradeplan.CheckText): what they give is stored. Only
// --guidance and --reason may hold line breaks. It reports false after
// saying what is wrong.
func flagText(fs *flag.FlagSet) bool {
	ok := true
	fs.Visit(func(f *flag.Flag) {
		if msg := tradeplan.CheckText(f.Value.String(), f.Name == "guidance" || f.Name == "reason"); msg != "" && ok {
			fmt.Fprintf(fs.Output(), "tradeplan %s: --%s: %s\n", fs.Name(), f.Name, msg)
			ok = false
		}
	})
	return ok
}

// dbFail reports err on stderr and returns the exit status for its code.
func dbFail(e *env, what string, err error) int {
	fmt.Fprintf(e.stderr, "tradeplan %s: %v\n", what, err)
	switch tradeplan.ErrorCode(err) {
	case tradeplan.EInvalid, tradeplan.ENotFound, tradeplan.EConflict, tradeplan.EForbidden, tradeplan.EUnauthorized:
		return exitUsage
	}
	return exitFailure
}

func dbJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// verb is one verb of a command with verbs ("tradeplan orgs add").
type verb struct {
	name string
	run  func(ctx context.Context, e *env, args []string) int
}

// runVerb runs the verb args[0] of "tradeplan NOUN": usage without a verb
// (on standard output for -h), a usage error for an unknown one.
func runVerb(ctx context.Context, e *env, noun string, args []string, verbs []verb) int {
	names := make([]string, len(verbs))
	for i, v := range verbs {
		names[i] = v.name
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		w, code := e.stderr, exitUsage
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			w, code = e.stdout, exitOK
		}
		fmt.Fprintf(w, "usage: tradeplan %s %s [flags]\n", noun, strings.Join(names, "|"))
		if code == exitOK {
			// The whole help: each verb's usage and flags, as its own
			// --help prints them (a verb reads --help before anything else).
			help := *e
			help.stdout, help.stderr = w, w
			for _, v := range verbs {
				fmt.Fprintln(w)
				v.run(ctx, &help, []string{"--help"})
			}
		}
		return code
	}
	for _, v := range verbs {
		if v.name == args[0] {
			return v.run(ctx, e, args[1:])
		}
	}
	expected := strings.Join(names, ", ")
	if n := len(names); n > 1 {
		expected = strings.Join(names[:n-1], ", ") + " or " + names[n-1]
	}
	fmt.Fprintf(e.stderr, "tradeplan %s: unknown verb %q: expected %s\n", noun, args[0], expected)
	return exitUsage
}
