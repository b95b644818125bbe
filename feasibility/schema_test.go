package feasibility

import (
	"os"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/internal/schemafields"
)

// TestSchemaMatchesParser: docs/sites.schema.json names exactly the fields
// the parser accepts, object by object, and docs/feasibility.md each one.
func TestSchemaMatchesParser(t *testing.T) {
	b, err := os.ReadFile("../docs/sites.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	objects, err := schemafields.Objects(b)
	if err != nil {
		t.Errorf("docs/sites.schema.json: %v", err)
	}
	want := schemaFields()
	for _, d := range schemafields.Compare(objects, want) {
		t.Error(d)
	}
	doc, err := os.ReadFile("../docs/feasibility.md")
	if err != nil {
		t.Fatal(err)
	}
	for path, fields := range want {
		for _, f := range fields {
			if !strings.Contains(string(doc), "`"+f+"`") {
				t.Errorf("field %s of %q is not in docs/feasibility.md", f, path)
			}
		}
	}
	for _, d := range Defaults {
		if !strings.Contains(string(doc), "| "+d.HS+" |") {
			t.Errorf("default for HS %s is not in docs/feasibility.md's table", d.HS)
		}
	}
}

// TestDocExampleParses: the site file of docs/feasibility.md parses.
func TestDocExampleParses(t *testing.T) {
	b, err := os.ReadFile("../docs/feasibility.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n")
	if !ok {
		t.Fatal("no YAML example in docs/feasibility.md")
	}
	example, _, _ := strings.Cut(rest, "```")
	s, err := Parse([]byte(example), "feasibility.md", "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Sites) != 1 || len(s.Sites[0].Processes) != 1 {
		t.Errorf("example read as %+v", s)
	}
}
