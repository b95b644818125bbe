package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestSitesCommand: upload, versions, show, accept on each engine; a bad
// file refused with its problems placed and nothing stored; a second
// review refused.
func TestSitesCommand(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			dsn := storetest.DSN(t, eng)
			bad := filepath.Join(t.TempDir(), "bad.yaml")
			if err := os.WriteFile(bad, []byte("sites:\n  - id: x\n    workerz: 3\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			good := filepath.Join("..", "..", "examples", "sites", "vn-camau.yaml")
			steps := []struct {
				args      []string
				code      int
				out, errs string
			}{
				{[]string{"migrate"}, exitOK, "", ""},
				{[]string{"orgs", "add", "--name", "Authority", "--kind", "authority", "--country", "vn"}, exitOK, "organisation 1", ""},
				{[]string{"orgs", "add", "--name", "Ca Mau exporter", "--kind", "company", "--parent", "1", "--country", "vn"}, exitOK, "organisation 2", ""},
				{[]string{"sites", "upload", "--org", "2", bad}, exitUsage, "", "sites-org2.yaml:3:5: sites[1].workerz: unknown field"},
				{[]string{"sites", "versions", "--org", "2"}, exitOK, "VERSION", ""},
				{[]string{"sites", "upload", "--org", "2", good}, exitOK, "site file version 1 of organisation 2 stored (camau-plant", ""},
				{[]string{"sites", "upload", "--org", "9", good}, exitUsage, "", "organisation 9 has no site file"},
				{[]string{"sites", "accept", "--org", "2", "--version", "1"}, exitUsage, "", "want --version N and --reason TEXT"},
				{[]string{"sites", "accept", "--org", "2", "--version", "1", "--reason", "plant visited"}, exitOK, "accepted", ""},
				{[]string{"sites", "reject", "--org", "2", "--version", "1", "--reason", "again"}, exitUsage, "", "already accepted"},
				{[]string{"sites", "versions", "--org", "2"}, exitOK, "1        accepted", ""},
				{[]string{"sites", "show", "--org", "2", "--json"}, exitOK, `"accepted_version": 1`, ""},
			}
			for _, s := range steps {
				code, out, errs := runStoreCmd(t, dsn, "", s.args...)
				if code != s.code || !strings.Contains(out, s.out) || !strings.Contains(errs, s.errs) {
					t.Fatalf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s", s.args, code, s.code, out, errs)
				}
			}
			if _, out, _ := runStoreCmd(t, dsn, "", "sites", "versions", "--org", "2"); strings.Count(out, "\n") != 2 {
				t.Fatalf("the refused file was stored:\n%s", out)
			}
		})
	}
}
