package feasibility

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSchemaMatchesParser: docs/sites.schema.json names exactly the fields
// the parser accepts, object by object, and docs/feasibility.md each one.
func TestSchemaMatchesParser(t *testing.T) {
	b, err := os.ReadFile("../docs/sites.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatalf("docs/sites.schema.json: %v", err)
	}
	defs, _ := schema["$defs"].(map[string]any)
	resolve := func(s map[string]any) map[string]any {
		if ref, ok := s["$ref"].(string); ok {
			name, _ := strings.CutPrefix(ref, "#/$defs/")
			s, _ = defs[name].(map[string]any)
			if s == nil {
				t.Fatalf("$ref %q names no definition", ref)
			}
		}
		return s
	}
	objects := map[string][]string{}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		s = resolve(s)
		if items, ok := s["items"].(map[string]any); ok {
			walk(path+"[]", items)
		}
		props, ok := s["properties"].(map[string]any)
		if !ok {
			return
		}
		if s["additionalProperties"] != false {
			t.Errorf("%q: additionalProperties is not false", path)
		}
		for name, sub := range props {
			objects[path] = append(objects[path], name)
			walk(join(path, name), sub.(map[string]any))
		}
	}
	walk("", schema)
	want := schemaFields()
	for path, fields := range want {
		got := slices.Sorted(slices.Values(objects[path]))
		exp := slices.Sorted(slices.Values(fields))
		if !slices.Equal(got, exp) {
			t.Errorf("%q: schema has %v, parser accepts %v", path, got, exp)
		}
	}
	for path := range objects {
		if _, ok := want[path]; !ok {
			t.Errorf("schema object %q is unknown to the parser", path)
		}
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
