package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// schemaValidator checks a JSON value against the subset of JSON Schema
// 2020-12 that docs/plan.schema.json uses: type, enum, pattern, minLength,
// minimum, minItems, items, properties, additionalProperties: false,
// required, dependentRequired, anyOf, oneOf and local $ref. It exists to
// test the schema file against documents the parser accepts and rejects.
type schemaValidator struct {
	defs map[string]any
}

func (v *schemaValidator) validate(path string, s map[string]any, x any) []string {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		d, _ := v.defs[name].(map[string]any)
		if d == nil {
			return []string{path + ": bad $ref " + ref}
		}
		if errs := v.validate(path, d, x); len(errs) > 0 {
			return errs
		}
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if t, ok := s["type"].(string); ok {
		okType := false
		switch t {
		case "object":
			_, okType = x.(map[string]any)
		case "array":
			_, okType = x.([]any)
		case "string":
			_, okType = x.(string)
		case "number":
			_, okType = x.(float64)
		}
		if !okType {
			fail("not of type %s: %v", t, x)
			return errs
		}
	}
	if e, ok := s["enum"].([]any); ok && !slices.Contains(e, x) {
		fail("%v not in %v", x, e)
	}
	if str, ok := x.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
		if m, ok := s["minLength"].(float64); ok && float64(len([]rune(str))) < m {
			fail("%q shorter than %v", str, m)
		}
	}
	if n, ok := x.(float64); ok {
		if m, ok := s["minimum"].(float64); ok && n < m {
			fail("%v below %v", n, m)
		}
	}
	if arr, ok := x.([]any); ok {
		if m, ok := s["minItems"].(float64); ok && float64(len(arr)) < m {
			fail("fewer than %v items", m)
		}
		if it, ok := s["items"].(map[string]any); ok {
			for i, e := range arr {
				errs = append(errs, v.validate(fmt.Sprintf("%s[%d]", path, i), it, e)...)
			}
		}
	}
	if obj, ok := x.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		for k, val := range obj {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, v.validate(join(path, k), ps, val)...)
			} else if s["additionalProperties"] == false {
				fail("unknown property %s", k)
			}
		}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, has := obj[r.(string)]; !has {
					fail("missing %s", r)
				}
			}
		}
		if dr, ok := s["dependentRequired"].(map[string]any); ok {
			for k, need := range dr {
				if _, has := obj[k]; has {
					for _, n := range need.([]any) {
						if _, has := obj[n.(string)]; !has {
							fail("%s needs %s", k, n)
						}
					}
				}
			}
		}
	}
	if alts, ok := s["anyOf"].([]any); ok {
		matched := false
		for _, a := range alts {
			if len(v.validate(path, a.(map[string]any), x)) == 0 {
				matched = true
				break
			}
		}
		if !matched {
			fail("matches none of anyOf")
		}
	}
	if alts, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, a := range alts {
			if len(v.validate(path, a.(map[string]any), x)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of oneOf, want 1", n)
		}
	}
	return errs
}

func loadSchema(t *testing.T) (*schemaValidator, map[string]any) {
	t.Helper()
	b, err := os.ReadFile("../docs/plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	defs, _ := s["$defs"].(map[string]any)
	return &schemaValidator{defs: defs}, s
}

// TestSchemaAcceptsExamples validates each example, written as JSON, against
// docs/plan.schema.json.
func TestSchemaAcceptsExamples(t *testing.T) {
	v, s := loadSchema(t)
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(b, f, YAML)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(planDocument(p))
		var doc any
		if err := json.Unmarshal(j, &doc); err != nil {
			t.Fatal(err)
		}
		if errs := v.validate("", s, doc); len(errs) > 0 {
			t.Errorf("%s: %s", f, strings.Join(errs, "\n"))
		}
	}
}

// TestSchemaAgreesWithParser checks documents the parser rejects against
// the schema: it must reject them too.
func TestSchemaAgreesWithParser(t *testing.T) {
	v, s := loadSchema(t)
	const h = `"plan": {"id": "p", "country": "KP", "period": "2027-H1"}, `
	tests := []struct {
		name, doc string
	}{
		{"unknown field", `{` + h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "colour": "red"}]}`},
		{"bad direction", `{` + h + `"lines": [{"direction": "out", "hs": "0303", "destination": "CN"}]}`},
		{"no goods", `{` + h + `"lines": [{"direction": "export", "destination": "CN"}]}`},
		{"quantity without unit", `{` + h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "quantity": 1}]}`},
		{"negative value", `{` + h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "value": -1, "currency": "USD"}]}`},
		{"bad necessity", `{` + h + `"lines": [{"direction": "import", "hs": "0303", "origin": "CN", "necessity": "vital"}]}`},
		{"empty partner", `{` + h + `"lines": [{"direction": "import", "hs": "0303", "origin": "CN", "partner": {}}]}`},
		{"bad imo", `{` + h + `"lines": [{"direction": "import", "hs": "0303", "origin": "CN", "vessel": {"imo": "123"}}]}`},
		{"bad period", `{"plan": {"id": "p", "country": "KP", "period": "2027-H3"}, "lines": [{"direction": "export", "hs": "03"}]}`},
		{"period without to", `{"plan": {"id": "p", "country": "KP", "period": {"from": "2027-01-01"}}, "lines": [{"direction": "export", "hs": "03"}]}`},
		{"no lines", `{` + h + `"lines": []}`},
		{"no id", `{"plan": {"country": "KP"}, "lines": [{"direction": "export", "hs": "03"}]}`},
		{"bad id", `{"plan": {"id": "a b", "country": "KP"}, "lines": [{"direction": "export", "hs": "03"}]}`},
		{"bad currency", `{` + h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "value": 1, "currency": "US$"}]}`},
		{"source without site", `{` + h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "source": {}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.doc), "t.json", JSON); err == nil {
				t.Fatal("the parser accepts it")
			}
			var doc any
			if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			if errs := v.validate("", s, doc); len(errs) == 0 {
				t.Error("the schema accepts it")
			}
		})
	}
}
