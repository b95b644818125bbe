package plan

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestExamples reads every example and compares the resolved plan with its
// golden file (go test ./plan -run TestExamples -update rewrites them).
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("%d examples in ../examples, want at least 4", len(files))
	}
	for _, f := range files {
		format, ok := FormatFromName(f)
		if !ok {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			p, err := Read(fh, filepath.Base(f), format)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, l := range p.Lines {
				if l.Origin == "" || l.Destination == "" {
					t.Errorf("line %d (%s): origin %q destination %q", l.Index, l.Description, l.Origin, l.Destination)
				}
			}
			got, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./plan -run TestExamples -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; run with -update and review the diff", f, golden)
			}
		})
	}
}

// TestNHGExample checks the facts of the report the example encodes.
func TestNHGExample(t *testing.T) {
	fh, err := os.Open("../examples/nhg-2023-h1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	p, err := Read(fh, "nhg-2023-h1.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "nhg-2023-h1" || p.Country != "KP" || p.Period.Label != "2023-H1" || p.Organisation != "North Hamgyong Provincial Trade Bureau" {
		t.Errorf("header %+v", p)
	}
	exports := map[string]bool{}
	var imports, declared int
	for _, l := range p.Lines {
		switch l.Direction {
		case "export":
			exports[l.Description] = true
			if l.Origin != "KP" || l.Destination != "CN" {
				t.Errorf("export %s: %s -> %s", l.Description, l.Origin, l.Destination)
			}
			if l.HS != "" {
				declared++
			}
		case "import":
			imports++
			if l.Necessity == "" || l.Purpose == "" {
				t.Errorf("import %s without necessity or purpose", l.Description)
			}
		}
	}
	for _, g := range []string{"salted pollack", "packaged crab meat", "dried clams", "dried pine mushrooms", "salted pine mushrooms",
		"medicinal herbs", "frozen pollack", "frozen herring", "frozen sole", "frozen sandfish"} {
		if !exports[g] {
			t.Errorf("export %q missing", g)
		}
	}
	if len(exports) != 10 || imports != 10 || declared == 0 || declared == 10 {
		t.Errorf("%d exports (%d with HS codes), %d imports", len(exports), declared, imports)
	}
}
