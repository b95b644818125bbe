package plan

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSchemaMatchesParser checks that docs/plan.schema.json names exactly the
// fields the parser accepts, object by object.
func TestSchemaMatchesParser(t *testing.T) {
	b, err := os.ReadFile("../docs/plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatalf("docs/plan.schema.json: %v", err)
	}
	if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema is %v", schema["$schema"])
	}
	defs, _ := schema["$defs"].(map[string]any)
	resolve := func(s map[string]any) map[string]any {
		for i := 0; i < 8; i++ {
			ref, ok := s["$ref"].(string)
			if !ok {
				return s
			}
			name, found := strings.CutPrefix(ref, "#/$defs/")
			if !found {
				t.Fatalf("unsupported $ref %q", ref)
			}
			s, _ = defs[name].(map[string]any)
			if s == nil {
				t.Fatalf("$ref %q names no definition", ref)
			}
		}
		return s
	}
	// objects collects the properties of every object schema by path.
	objects := map[string][]string{}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		s = resolve(s)
		for _, alt := range []string{"oneOf", "anyOf"} {
			if list, ok := s[alt].([]any); ok {
				for _, a := range list {
					if m, ok := a.(map[string]any); ok {
						if _, isRef := m["$ref"]; isRef || m["properties"] != nil {
							walk(path, m)
						}
					}
				}
			}
		}
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
		var names []string
		for name, sub := range props {
			names = append(names, name)
			walk(join(path, name), sub.(map[string]any))
		}
		objects[path] = append(objects[path], names...)
	}
	walk("", schema)

	want := acceptedFields()
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
