package main

import (
	"flag"
	"strings"
	"testing"
)

// update rewrites the golden files of the command tests: go test -update.
var update = flag.Bool("update", false, "rewrite golden files")

func TestUnknownCommandSuggests(t *testing.T) {
	code, _, errs := runCmd(t, "", "screan")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if want := `did you mean "screen"?`; !strings.Contains(errs, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errs)
	}
}
