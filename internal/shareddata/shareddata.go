// Package shareddata finds, for tests, the reference data that lives in the
// shared data folder beside the repository (../shared/data from the module
// root; see its README): the official HS nomenclatures and the UN and OFAC
// lists. That data is never copied into the repository. A test that needs
// it calls Path or Read, which skip the test when the data is missing and
// fail it in CI (the environment variable CI set, as CI runs set it to
// true), where the data must be there.
package shareddata

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The reference files and folders, relative to the shared data folder.
const (
	HS2022        = "hs/hs2022.csv"
	HS2017        = "hs/hs2017.csv"
	UNList        = "lists/un/consolidated-2026-02-27.xml"
	OFACList      = "lists/ofac-2021"
	OFACAddresses = "lists/ofac-2021/add.csv"
)

// Join returns the path of rel in the shared data folder, relative to the
// working directory (a test runs in its package's directory), whether it
// is there or not: for a benchmark that does without it. A test calls Path.
func Join(rel string) string {
	return filepath.Join(moduleRoot(), "..", "shared", "data", filepath.FromSlash(rel))
}

// moduleRoot is the module root relative to the working directory: the
// nearest directory up that has a go.mod.
var moduleRoot = sync.OnceValue(func() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	rel := "."
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return rel
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir, rel = parent, filepath.Join(rel, "..")
	}
})

// Path returns the path of the file or folder rel in the shared data
// folder (see Join), or, when it is not there, skips t (fails it in CI).
func Path(t testing.TB, rel string) string {
	t.Helper()
	p := Join(rel)
	if _, err := os.Stat(p); err != nil {
		missing(t, p, err)
	}
	return p
}

// Read returns the content of the file rel in the shared data folder, or,
// when it cannot be read, skips t (fails it in CI).
func Read(t testing.TB, rel string) []byte {
	t.Helper()
	p := Join(rel)
	b, err := os.ReadFile(p)
	if err != nil {
		missing(t, p, err)
	}
	return b
}

func missing(t testing.TB, p string, err error) {
	t.Helper()
	if InCI() {
		t.Fatalf("shared data missing in CI: %v (expected at %s, in the shared data folder beside the repository)", err, p)
		return
	}
	t.Skipf("shared data not found: %v (it lives in the shared data folder beside the repository, at %s)", err, p)
}

// InCI reports whether the tests run in CI, where missing shared data is a
// failure.
func InCI() bool {
	switch os.Getenv("CI") {
	case "", "0", "false":
		return false
	}
	return true
}
