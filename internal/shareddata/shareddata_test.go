package shareddata

import (
	"fmt"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records a skip or a failure instead of
// ending the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }

func TestJoinFromThePackage(t *testing.T) {
	// this package is two directories below the module root
	want := filepath.Join("..", "..", "..", "shared", "data", "hs", "hs2022.csv")
	if got := Join(HS2022); got != want {
		t.Errorf("Join(%q) = %q, want %q", HS2022, got, want)
	}
}

func TestMissingSkipsHereFailsInCI(t *testing.T) {
	tests := []struct {
		name     string
		ci       string
		wantFail bool
	}{
		{"here", "", false},
		{"CI=false", "false", false},
		{"CI=true", "true", true},
		{"CI=1", "1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			for _, get := range []func(testing.TB) bool{
				func(r testing.TB) bool { Path(r, "no/such/file"); return true },
				func(r testing.TB) bool { return Read(r, "no/such/file") == nil },
			} {
				r := &recorder{TB: t}
				get(r)
				if tt.wantFail && (r.failed == "" || r.skipped != "") || !tt.wantFail && (r.skipped == "" || r.failed != "") {
					t.Errorf("skipped %q, failed %q; want a failure: %v", r.skipped, r.failed, tt.wantFail)
				}
			}
		})
	}
}

// TestPathFound finds the shared data as every test that needs it does.
func TestPathFound(t *testing.T) {
	for _, rel := range []string{HS2022, HS2017, UNList, OFACList, OFACAddresses} {
		r := &recorder{TB: t}
		if p := Path(r, rel); r.skipped != "" || r.failed != "" {
			Path(t, rel) // skips here, fails in CI
		} else if filepath.Base(p) != filepath.Base(rel) {
			t.Errorf("Path(%q) = %q", rel, p)
		}
	}
}
