package plan

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteSampleCSV: a generated line file is the same for the same seed,
// has the rows asked for under SampleCSVHeader, and reads without a
// problem.
func TestWriteSampleCSV(t *testing.T) {
	gen := func(n int, seed uint64) []byte {
		t.Helper()
		var b bytes.Buffer
		if err := WriteSampleCSV(&b, n, seed); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, again, other := gen(500, 1), gen(500, 1), gen(500, 2)
	if !bytes.Equal(a, again) {
		t.Error("two files of the same seed differ")
	}
	if bytes.Equal(a, other) {
		t.Error("files of seeds 1 and 2 are the same")
	}
	if head, _, _ := strings.Cut(string(a), "\n"); head != strings.TrimSuffix(SampleCSVHeader, "\n") {
		t.Errorf("header %q, want %q", head, SampleCSVHeader)
	}
	p, err := Parse(a, "sample.csv", CSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 500 {
		t.Errorf("%d lines, want 500", len(p.Lines))
	}
}
