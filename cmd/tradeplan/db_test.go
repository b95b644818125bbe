package main

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestMain stops the throwaway PostgreSQL cluster that storetest may start
// for the command tests of this package.
func TestMain(m *testing.M) { storetest.Main(m) }

// runStoreCmd runs a command in-process against the database dsn.
func runStoreCmd(t *testing.T, dsn, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string {
		switch k {
		case "TRADEPLAN_DB":
			return dsn
		case "USER":
			return "tester"
		}
		return ""
	}}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestStoreCommands(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			dsn := storetest.DSN(t, eng)
			steps := []struct {
				name   string
				stdin  string
				args   []string
				code   int
				out    string // in stdout
				errOut string // in stderr
			}{
				{name: "unmigrated", args: []string{"orgs", "list"}, code: exitUsage, errOut: "run 'tradeplan migrate'"},
				{name: "migrate", args: []string{"migrate"}, code: exitOK, out: "applied 0001_"},
				{name: "migrate again", args: []string{"migrate"}, code: exitOK, out: "(0 applied now)"},
				{name: "add authority", args: []string{"orgs", "add", "--name", "Ministry", "--kind", "authority", "--country", "kp"}, code: exitOK, out: "organisation 1: Ministry (authority)"},
				{name: "add site", args: []string{"orgs", "add", "--name", "Rajin port", "--kind", "site", "--parent", "1"}, code: exitOK, out: "organisation 2"},
				{name: "bad kind", args: []string{"orgs", "add", "--name", "X", "--kind", "ministry"}, code: exitUsage, errOut: `kind: is "ministry"`},
				{name: "unknown parent", args: []string{"orgs", "add", "--name", "X", "--kind", "site", "--parent", "99"}, code: exitUsage, errOut: "parent organisation 99 not found"},
				{name: "missing flags", args: []string{"orgs", "add", "--name", "X"}, code: exitUsage, errOut: "usage: tradeplan orgs add"},
				{name: "list orgs", args: []string{"orgs", "list"}, code: exitOK, out: "2   1       site"},
				{name: "add user", stdin: "a long enough password\n", args: []string{"users", "add", "--org", "2", "--role", "submitter", "--email", "Bob@Example.org", "--name", "Bob"}, code: exitOK, out: "user 1: bob@example.org (submitter) in organisation 2"},
				{name: "no password", args: []string{"users", "add", "--org", "2", "--role", "submitter", "--email", "eve@example.org"}, code: exitUsage, errOut: "no password on standard input"},
				{name: "short password", stdin: "short\n", args: []string{"users", "add", "--org", "2", "--role", "submitter", "--email", "eve@example.org"}, code: exitUsage, errOut: "too short"},
				{name: "duplicate user", stdin: "a long enough password\n", args: []string{"users", "add", "--org", "1", "--role", "admin", "--email", "bob@example.org"}, code: exitUsage, errOut: "already exists"},
				{name: "list users", args: []string{"users", "list", "--json"}, code: exitOK, out: `"email": "bob@example.org"`},
				{name: "create token", args: []string{"tokens", "create", "--user", "bob@example.org", "--name", "ci"}, code: exitOK, out: "tpt_", errOut: "shown only this once"},
				{name: "token for nobody", args: []string{"tokens", "create", "--user", "nobody@example.org"}, code: exitUsage, errOut: "not found"},
				{name: "list tokens", args: []string{"tokens", "list"}, code: exitOK, out: "ci"},
				{name: "revoke token", args: []string{"tokens", "revoke", "1"}, code: exitOK, out: "token 1 revoked"},
				{name: "revoke unknown token", args: []string{"tokens", "revoke", "42"}, code: exitUsage, errOut: "token 42 not found"},
				{name: "revoke bad id", args: []string{"tokens", "revoke", "abc"}, code: exitUsage, errOut: "not a token ID"},
				{name: "disable user", args: []string{"users", "disable", "bob@example.org"}, code: exitOK, out: "disabled"},
				{name: "audit list", args: []string{"audit", "list"}, code: exitOK, out: "system:cli:tester  token.revoke"},
				{name: "audit list of the site", args: []string{"audit", "list", "--org", "2", "--json"}, code: exitOK, out: `"subject": "user:1"`},
				{name: "audit list of an unknown org", args: []string{"audit", "list", "--org", "99"}, code: exitUsage, errOut: "organisation 99 not found"},
				{name: "audit verify", args: []string{"audit", "verify"}, code: exitOK, out: "audit log intact: 6 entries"},
				{name: "unknown verb", args: []string{"audit", "fix"}, code: exitUsage, errOut: "unknown verb"},
			}
			for _, s := range steps {
				code, out, errOut := runStoreCmd(t, dsn, s.stdin, s.args...)
				if code != s.code || !strings.Contains(out, s.out) || !strings.Contains(errOut, s.errOut) {
					t.Fatalf("%s: tradeplan %s = %d\nstdout: %s\nstderr: %s\nwant %d, stdout with %q, stderr with %q",
						s.name, strings.Join(s.args, " "), code, out, errOut, s.code, s.out, s.errOut)
				}
			}

			// The plaintext token is not stored; a second create prints a new one.
			_, tok1, _ := runStoreCmd(t, dsn, "", "tokens", "create", "--user", "bob@example.org")
			_, tok2, _ := runStoreCmd(t, dsn, "", "tokens", "create", "--user", "bob@example.org")
			if tok1 == tok2 || !strings.HasPrefix(tok1, "tpt_") {
				t.Errorf("tokens %q and %q", tok1, tok2)
			}

			// Tamper with the log behind the store's back: verify exits 1
			// naming the entry.
			driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[eng]
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			stmts := []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"}
			if eng == "postgres" {
				stmts[0] = "DROP TRIGGER audit_log_no_update ON audit_log"
			}
			for _, s := range stmts {
				if _, err := raw.Exec(s); err != nil {
					t.Fatal(err)
				}
			}
			code, out, _ := runStoreCmd(t, dsn, "", "audit", "verify")
			if code != exitFindings || !strings.Contains(out, "BROKEN at entry 3") {
				t.Errorf("audit verify after tampering = %d, %q", code, out)
			}
			code, out, _ = runStoreCmd(t, dsn, "", "audit", "verify", "--json")
			if code != exitFindings || !strings.Contains(out, `"bad_seq": 3`) {
				t.Errorf("audit verify --json after tampering = %d, %q", code, out)
			}
		})
	}
}

func TestRedactDSN(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"password", "postgres://u:secret@db:5432/tp", "postgres://u:xxxxx@db:5432/tp"},
		{"no password", "postgres://u@db/tp", "postgres://u@db/tp"},
		{"file", "./tradeplan.db", "./tradeplan.db"},
	} {
		if got := redactDSN(c.in); got != c.want {
			t.Errorf("%s: redactDSN(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}
