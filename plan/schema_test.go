package plan

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/internal/schemafields"
)

// TestSchemaMatchesParser checks that docs/plan.schema.json names exactly the
// fields the parser accepts, object by object.
func TestSchemaMatchesParser(t *testing.T) {
	b, err := os.ReadFile("../docs/plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		Schema string `json:"$schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		t.Fatalf("docs/plan.schema.json: %v", err)
	}
	if head.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema is %v", head.Schema)
	}
	objects, err := schemafields.Objects(b)
	if err != nil {
		t.Errorf("docs/plan.schema.json: %v", err)
	}
	for _, d := range schemafields.Compare(objects, acceptedFields()) {
		t.Error(d)
	}
}

// TestFormatDocCoversNames checks that docs/plan-format.md names every field,
// CSV column, unit and country alias the package accepts.
func TestFormatDocCoversNames(t *testing.T) {
	b, err := os.ReadFile("../docs/plan-format.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for path, fields := range acceptedFields() {
		for _, f := range fields {
			if !strings.Contains(doc, "`"+f+"`") {
				t.Errorf("field %s of %q is not documented", f, path)
			}
		}
	}
	for _, c := range CSVColumns {
		if !strings.Contains(doc, "| `"+c+"` |") {
			t.Errorf("CSV column %s is not documented", c)
		}
	}
	for alias, col := range CSVColumnAliases {
		if !strings.Contains(doc, "`"+alias+"`") || !strings.Contains(doc, "| `"+col+"` |") {
			t.Errorf("CSV column alias %s (%s) is not documented", alias, col)
		}
	}
	for _, u := range unitSymbols {
		if !strings.Contains(doc, "| `"+u+"` |") {
			t.Errorf("unit %s is not documented", u)
		}
	}
	for alias, code := range countryAliases {
		if !strings.Contains(doc, "| "+code+" |") || !strings.Contains(doc, alias) {
			t.Errorf("country alias %q (%s) is not documented", alias, code)
		}
	}
	for _, g := range []string{"testdata/golden/bad-typos-yaml.txt", "testdata/golden/bad-decl-csv.txt"} {
		want, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc, string(want)) {
			t.Errorf("docs/plan-format.md does not quote %s as it now is", g)
		}
	}
}

// TestFormatDocExampleParses parses the YAML example of docs/plan-format.md.
func TestFormatDocExampleParses(t *testing.T) {
	b, err := os.ReadFile("../docs/plan-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n")
	if !ok {
		t.Fatal("no YAML example in docs/plan-format.md")
	}
	example, _, _ := strings.Cut(rest, "```")
	p, err := Parse([]byte(example), "plan-format.md", YAML)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 2 || p.Lines[0].Vessel == nil || p.Lines[1].Origin != "CN" || p.Lines[1].Destination != "KP" {
		t.Errorf("example read as %+v", p)
	}
}
