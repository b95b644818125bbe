package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set by the Makefile (-ldflags "-X main.version=...", from git
// describe); otherwise it comes from the build information.
var version string

func runVersion(ctx context.Context, e *env, args []string) int {
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(e.stdout, "tradeplan", versionText(version, bi))
	return exitOK
}

// versionText says which tradeplan this is: the version stamped by the
// Makefile; else the module version `go install ...@vX.Y.Z` records; else
// the commit a build from a git checkout records (vcs.revision, with
// "modified" when the tree had changes); else "(devel)" with how to tell.
func versionText(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return "(devel): no build information"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "(devel): built without version control information; build with 'make build' or install a release with 'go install github.com/tradeplan/tradeplan/cmd/tradeplan@latest'"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "(devel) commit " + rev
	if at != "" {
		v += " of " + at
	}
	if modified == "true" {
		v += ", with uncommitted changes"
	}
	return v
}
