package main

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestAttackListsImportWholeOrNothing (redteam, wave 6): `tradeplan lists
// import A B` stored each list in its own transaction, so a failure storing
// B (the database refusing it, a concurrent import of B) left A imported
// and B not: the screening ran on a mix the operator never asked for, and
// the command said it failed. One command's lists are now stored in one
// transaction: all or none, on both engines.
func TestAttackListsImportWholeOrNothing(t *testing.T) {
	needLists(t)
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			envs := map[string]string{"TRADEPLAN_DB": dsn}
			if code, _, errs := runWith(t, envs, "", "lists", "status"); code != exitOK {
				t.Fatalf("status: %d %s", code, errs)
			}
			// The database refuses the second list, as a full disk or a
			// constraint would, after the first is written in the command.
			driver, ddl := "sqlite", []string{`CREATE TRIGGER refuse_ofac BEFORE INSERT ON datasets WHEN NEW.name = 'ofac' BEGIN SELECT RAISE(ABORT, 'refused'); END`}
			if engine == "postgres" {
				driver, ddl = "pgx", []string{
					`CREATE FUNCTION refuse_ofac() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'ofac' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`,
					`CREATE TRIGGER refuse_ofac BEFORE INSERT ON datasets FOR EACH ROW EXECUTE FUNCTION refuse_ofac()`}
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			for _, q := range ddl {
				if _, err := raw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			code, out, errs := runWith(t, envs, "", "lists", "import", testUNList, testOFACList)
			if code == exitOK {
				t.Fatalf("import with the second list refused: exit %d %s %s", code, out, errs)
			}
			if strings.Contains(out, "imported un") {
				t.Errorf("said the UN list was imported although the command failed: %s", out)
			}
			var n int
			if err := raw.QueryRow(`SELECT count(*) FROM datasets WHERE kind = 'list'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d lists stored after the command failed on the last: want none", n)
			}
			if !strings.Contains(errs, "nothing imported") {
				t.Errorf("stderr does not say nothing was imported: %s", errs)
			}
		})
	}
}
