package main

import (
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionText: `version` never prints a bare "(devel)": a go install of
// a release prints its module version, a build from a checkout its commit,
// the Makefile's stamp wins, and a build with nothing says how to get one.
func TestVersionText(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "7daf2d1abcdef0123456789"}, {Key: "vcs.time", Value: "2026-12-07T07:15:05Z"}, {Key: "vcs.modified", Value: "true"}}
	for _, c := range []struct {
		name, stamped string
		bi            *debug.BuildInfo
		want          string
	}{
		{"make build", "v0.4.0-3-g7daf2d1", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v0.4.0-3-g7daf2d1"},
		{"go install @version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, "v0.4.0"},
		{"go build in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "(devel) commit 7daf2d1abcde of 2026-12-07T07:15:05Z, with uncommitted changes"},
		{"nothing known", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel): built without version control information"},
	} {
		if got := versionText(c.stamped, c.bi); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestVerbHelp: --help of every verb prints its usage and exits 0; a noun's
// --help shows each verb's usage and flags, not one line.
func TestVerbHelp(t *testing.T) {
	for _, args := range [][]string{{"crossings", "open", "--help"}, {"crossings", "add", "-h"}, {"calls", "list", "--help"}, {"audit", "--help"}, {"users", "--help"}} {
		code, out, errs := wf(t, "", args...)
		all := out + errs
		if code != exitOK || strings.Contains(all, "Usage of") {
			t.Errorf("%v: exit %d, output:\n%s", args, code, all)
		}
		if args[1] == "--help" {
			if n := strings.Count(all, "usage: tradeplan "+args[0]+" "); n < 3 || !strings.Contains(all, "-db string") {
				t.Errorf("%v: %d usage lines, want each verb's with its flags:\n%s", args, n, all)
			}
		}
	}
}

// TestTablesNameOrganisations: the command line's tables name the
// organisations of calls, plans, permits and users, not only their numbers.
func TestTablesNameOrganisations(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tp.db")
	base, out, stop := startServe(t, dsn, "--demo")
	_ = base
	if !strings.Contains(out.String(), "half-year now running") {
		t.Fatalf("demo:\n%s", out.String())
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exit %d", code)
	}
	for _, args := range [][]string{{"calls", "list"}, {"calls", "show", "1"}, {"plans", "list"}, {"users", "list"}} {
		code, got, errs := wf(t, dsn, args...)
		if code != exitOK || !strings.Contains(got, "North Hamgyong Provincial Trade Bureau (") {
			t.Errorf("%v: exit %d, no organisation named:\n%s%s", args, code, got, errs)
		}
	}
}
