package plan

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExamplesParse(t *testing.T) {
	files, err := filepath.Glob("../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no examples found in ../examples")
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
			p, err := Read(fh, f, format)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(p.Lines) == 0 {
				t.Fatal("no lines")
			}
			for _, l := range p.Lines {
				if l.Origin == "" || l.Destination == "" {
					t.Errorf("line %d (%s): origin %q destination %q", l.Index, l.Description, l.Origin, l.Destination)
				}
			}
		})
	}
}
