// Package schemafields reads a JSON Schema document (draft 2020-12, as the
// project's docs/*.schema.json are written) into the properties of each of
// its objects by path, so that a parser's tests can hold the schema to the
// fields the parser accepts.
package schemafields

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Objects returns the property names of every object schema in doc, keyed
// by path ("" for the root, "a.b" below it, "a[]" for a list's items),
// following $ref into $defs and the branches of oneOf and anyOf. An object
// schema that does not set additionalProperties to false is a problem: a
// schema that accepts unknown fields cannot be held to a parser.
func Objects(doc []byte) (map[string][]string, error) {
	var schema map[string]any
	if err := json.Unmarshal(doc, &schema); err != nil {
		return nil, err
	}
	defs, _ := schema["$defs"].(map[string]any)
	var problems []string
	resolve := func(s map[string]any) map[string]any {
		for range 8 {
			ref, ok := s["$ref"].(string)
			if !ok {
				return s
			}
			name, found := strings.CutPrefix(ref, "#/$defs/")
			d, _ := defs[name].(map[string]any)
			if !found || d == nil {
				problems = append(problems, fmt.Sprintf("$ref %q names no definition", ref))
				return map[string]any{}
			}
			s = d
		}
		return s
	}
	objects := map[string][]string{}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		s = resolve(s)
		for _, alt := range []string{"oneOf", "anyOf"} {
			list, _ := s[alt].([]any)
			for _, a := range list {
				if m, ok := a.(map[string]any); ok {
					if _, isRef := m["$ref"]; isRef || m["properties"] != nil {
						walk(path, m)
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
			problems = append(problems, fmt.Sprintf("%q: additionalProperties is not false", path))
		}
		for name, sub := range props {
			objects[path] = append(objects[path], name)
			if m, ok := sub.(map[string]any); ok {
				walk(join(path, name), m)
			}
		}
	}
	walk("", schema)
	for p := range objects {
		slices.Sort(objects[p])
		objects[p] = slices.Compact(objects[p])
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return objects, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return objects, nil
}

// Compare lists the differences between the schema's objects and the
// fields a parser accepts, by path, in a stable order.
func Compare(schema, accepted map[string][]string) []string {
	var out []string
	for path, fields := range accepted {
		exp := slices.Sorted(slices.Values(fields))
		if got := schema[path]; !slices.Equal(got, exp) {
			out = append(out, fmt.Sprintf("%q: schema has %v, parser accepts %v", path, got, exp))
		}
	}
	for path := range schema {
		if _, ok := accepted[path]; !ok {
			out = append(out, fmt.Sprintf("schema object %q is unknown to the parser", path))
		}
	}
	slices.Sort(out)
	return out
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
