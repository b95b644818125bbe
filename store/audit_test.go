package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

// seedAudit makes n organisations, so n audit entries.
func seedAudit(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := range n {
		if _, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: fmt.Sprintf("Org %d", i+1), Kind: tradeplan.OrgCompany}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditRecordsChanges(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		tr := makeTree(t, db)
		u, err := db.CreateUser(ctx, tradeplan.User{OrgID: tr.site.ID, Email: "bob@example.org", Role: tradeplan.RoleSubmitter}, password)
		if err != nil {
			t.Fatal(err)
		}
		actor, err := db.Actor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		actor.Via = "session"
		uctx := tradeplan.WithActor(context.Background(), actor)
		_, tok, err := db.CreateToken(uctx, u.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(uctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		entries, err := db.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprintf("%d %s %s %s org=%d", e.Seq, e.Actor, e.Action, e.Subject, e.OrgID))
		}
		want := []string{
			fmt.Sprintf("1 system:test org.create org:%d org=%d", tr.authority.ID, tr.authority.ID),
			fmt.Sprintf("2 system:test org.create org:%d org=%d", tr.province.ID, tr.province.ID),
			fmt.Sprintf("3 system:test org.create org:%d org=%d", tr.site.ID, tr.site.ID),
			fmt.Sprintf("4 system:test org.create org:%d org=%d", tr.other.ID, tr.other.ID),
			fmt.Sprintf("5 system:test user.create user:%d org=%d", u.ID, tr.site.ID),
			fmt.Sprintf("6 user:%d bob@example.org token.create token:%d org=%d", u.ID, tok.ID, tr.site.ID),
			fmt.Sprintf("7 user:%d bob@example.org token.revoke token:%d org=%d", u.ID, tok.ID, tr.site.ID),
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// The user record is in After, without the password.
		if strings.Contains(string(entries[4].After), "argon2") || !strings.Contains(string(entries[4].After), `"email":"bob@example.org"`) {
			t.Errorf("user.create after = %s", entries[4].After)
		}
		var before, after tradeplan.APIToken
		if json.Unmarshal(entries[6].Before, &before) != nil || json.Unmarshal(entries[6].After, &after) != nil || before.RevokedAt != nil || after.RevokedAt == nil {
			t.Errorf("token.revoke before %s after %s", entries[6].Before, entries[6].After)
		}
		for i, e := range entries {
			if e.Hash != e.ComputeHash() || (i > 0 && e.PrevHash != entries[i-1].Hash) || (i == 0 && e.PrevHash != "") {
				t.Errorf("entry %d breaks the chain", e.Seq)
			}
		}
		// Scoped listing.
		scoped, _ := db.AuditLog(ctx, store.AuditFilter{OrgIDs: []int64{tr.site.ID}})
		if len(scoped) != 4 {
			t.Errorf("entries of the site = %d, want 4", len(scoped))
		}
		page, _ := db.AuditLog(ctx, store.AuditFilter{AfterSeq: 5, Limit: 1})
		if len(page) != 1 || page[0].Seq != 6 {
			t.Errorf("page after 5 = %+v", page)
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil || !res.OK || res.Entries != 7 || res.HeadSeq != 7 {
			t.Errorf("VerifyAudit = %+v, %v", res, err)
		}
	})
}

func TestAuditIsAppendOnly(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		seedAudit(t, db, 2)
		raw := store.Raw(db)
		if _, err := raw.Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"); err == nil {
			t.Error("UPDATE of audit_log succeeded")
		}
		if _, err := raw.Exec("DELETE FROM audit_log WHERE seq = 1"); err == nil {
			t.Error("DELETE from audit_log succeeded")
		}
	})
}

// dropGuards removes the append-only triggers, as someone with full access
// to the database could.
func dropGuards(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if db.Engine() == "postgres" {
		stmts = []string{"DROP TRIGGER audit_log_no_update ON audit_log"}
	}
	for _, s := range stmts {
		if _, err := store.Raw(db).Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

type tamperCase struct {
	name    string
	tamper  []string // SQL run directly on the database
	rehash  int64    // recompute the hash of this entry after tampering (0: none)
	wantBad int64
	want    string // in the problem
}

func TestVerifyAuditDetectsTampering(t *testing.T) {
	const n = 5
	cases := []tamperCase{
		{name: "edit the actor", tamper: []string{"UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"}, wantBad: 3, want: "altered"},
		{name: "edit the after state", tamper: []string{`UPDATE audit_log SET after = REPLACE(after, 'Org 2', 'Org X') WHERE seq = 2`}, wantBad: 2, want: "altered"},
		{name: "edit the organisation", tamper: []string{"UPDATE audit_log SET org_id = org_id + 1 WHERE seq = 4"}, wantBad: 4, want: "altered"},
		{name: "edit and rehash", tamper: []string{"UPDATE audit_log SET action = 'org.delete' WHERE seq = 2"}, rehash: 2, wantBad: 3, want: "does not follow"},
		{name: "delete one in the middle", tamper: []string{"DELETE FROM audit_log WHERE seq = 3"}, wantBad: 3, want: "missing"},
		{name: "delete the first", tamper: []string{"DELETE FROM audit_log WHERE seq = 1"}, wantBad: 1, want: "missing"},
		{name: "delete the last", tamper: []string{"DELETE FROM audit_log WHERE seq = 5"}, wantBad: 5, want: "missing"},
		{name: "delete everything", tamper: []string{"DELETE FROM audit_log"}, wantBad: 1, want: "missing"},
		{name: "swap two entries", tamper: []string{
			"UPDATE audit_log SET seq = -1 WHERE seq = 2",
			"UPDATE audit_log SET seq = 2 WHERE seq = 3",
			"UPDATE audit_log SET seq = 3 WHERE seq = -1",
		}, wantBad: 2, want: "does not follow"},
		{name: "renumber after a deletion", tamper: []string{
			"DELETE FROM audit_log WHERE seq = 2",
			"UPDATE audit_log SET seq = seq - 1 WHERE seq > 2",
			"UPDATE audit_head SET seq = 4",
		}, wantBad: 2, want: "does not follow"},
		{name: "move the head back", tamper: []string{"UPDATE audit_head SET seq = 4"}, wantBad: 5, want: "beyond the chain head"},
		{name: "forge the head hash", tamper: []string{"UPDATE audit_head SET hash = 'beef'"}, wantBad: 5, want: "chain head"},
	}
	// One database per engine; each case starts from a fresh chain of n
	// entries.
	each(t, func(t *testing.T, db *store.DB) {
		// Each case's organisations go under their own parent, so names
		// repeat.
		parents := make([]int64, len(cases))
		for i := range cases {
			p, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: fmt.Sprint("Case ", i), Kind: tradeplan.OrgAuthority})
			if err != nil {
				t.Fatal(err)
			}
			parents[i] = p.ID
		}
		dropGuards(t, db)
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				for _, s := range []string{"DELETE FROM audit_log", "UPDATE audit_head SET seq = 0, hash = ''"} {
					if _, err := store.Raw(db).Exec(s); err != nil {
						t.Fatal(err)
					}
				}
				for j := range n {
					if _, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: fmt.Sprintf("Org %d", j+1), Kind: tradeplan.OrgCompany, ParentID: parents[i]}); err != nil {
						t.Fatal(err)
					}
				}
				if res, err := db.VerifyAudit(ctx); err != nil || !res.OK {
					t.Fatalf("before tampering: %+v, %v", res, err)
				}
				for _, s := range c.tamper {
					if _, err := store.Raw(db).Exec(s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
				if c.rehash != 0 {
					rehash(t, db, c.rehash)
				}
				res, err := db.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if res.OK || res.BadSeq != c.wantBad || !strings.Contains(res.Problem, c.want) {
					t.Errorf("VerifyAudit = %+v; want entry %d bad, %q", res, c.wantBad, c.want)
				}
			})
		}
	})
}

// rehash recomputes an entry's hash from its (tampered) content, as a
// forger who knows the scheme would.
func rehash(t *testing.T, db *store.DB, seq int64) {
	t.Helper()
	entries, err := db.AuditLog(ctx, store.AuditFilter{AfterSeq: seq - 1, Limit: 1})
	if err != nil || len(entries) != 1 {
		t.Fatalf("read entry %d: %v", seq, err)
	}
	if _, err := store.Raw(db).Exec(store.Rebind(db, "UPDATE audit_log SET hash = ? WHERE seq = ?"), entries[0].ComputeHash(), seq); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentAuditAppends(t *testing.T) {
	for _, eng := range storetestEngines(t) {
		t.Run(eng, func(t *testing.T) {
			dsn := storetestDSN(t, eng)
			// Several handles on one database, as several servers would have.
			var dbs []*store.DB
			for range 3 {
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 3)
			for _, db := range dbs {
				wg.Go(func() { errs <- db.Migrate(context.Background()) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("concurrent migrate: %v", err)
				}
			}
			const workers, each = 8, 10
			errc := make(chan error, workers*each)
			for w := range workers {
				db := dbs[w%len(dbs)]
				wg.Go(func() {
					for i := range each {
						_, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: fmt.Sprintf("w%d-%d", w, i), Kind: tradeplan.OrgCompany})
						errc <- err
					}
				})
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				if err != nil {
					t.Fatal(err)
				}
			}
			res, err := dbs[0].VerifyAudit(ctx)
			if err != nil || !res.OK || res.Entries != workers*each {
				t.Fatalf("VerifyAudit after concurrent appends = %+v, %v", res, err)
			}
		})
	}
}

func TestMigrateIdempotent(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		seedAudit(t, db, 1)
		for range 2 {
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		applied, err := db.AppliedMigrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := store.Migrations(db.Engine())
		if len(applied) != len(ms) || len(ms) == 0 {
			t.Fatalf("applied %d migrations, have %d", len(applied), len(ms))
		}
		for i := range ms {
			if applied[i].Version != ms[i].Version || applied[i].Name != ms[i].Name {
				t.Errorf("applied[%d] = %+v, want %d %s", i, applied[i], ms[i].Version, ms[i].Name)
			}
		}
		if orgs, _ := db.Orgs(ctx, tradeplan.OrgFilter{}); len(orgs) != 1 {
			t.Errorf("data lost on re-migrating: %d organisations", len(orgs))
		}
		// A database migrated by a newer program is refused.
		if _, err := store.Raw(db).Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')"); err != nil {
			t.Fatal(err)
		}
		err = db.Migrate(ctx)
		wantCode(t, err, tradeplan.EConflict)
	})
}

func TestMigrationsMatchAcrossEngines(t *testing.T) {
	lite, err := store.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: SQLite %04d_%s, PostgreSQL %04d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}
