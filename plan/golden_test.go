package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputGolden reads each file in testdata/bad and compares the whole
// error report with testdata/golden/bad-NAME.txt (-update rewrites them).
func TestBadInputGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in testdata/bad: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			format, ok := FormatFromName(f)
			if !ok {
				t.Fatalf("no format for %s", f)
			}
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			p, err := Read(fh, filepath.Base(f), format)
			if err == nil {
				t.Fatalf("no error; plan %+v", p)
			}
			got := err.Error() + "\n"
			golden := filepath.Join("testdata", "golden", "bad-"+strings.ReplaceAll(filepath.Base(f), ".", "-")+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./plan -run TestBadInputGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("error report differs from %s:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}
