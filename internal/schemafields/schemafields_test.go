package schemafields

import (
	"slices"
	"strings"
	"testing"
)

func TestObjects(t *testing.T) {
	doc := `{"$defs": {"line": {"type": "object", "additionalProperties": false,
		"properties": {"hs": {}, "qty": {"oneOf": [{"$ref": "#/$defs/q"}, {"type": "number"}]}}},
		"q": {"type": "object", "properties": {"value": {}, "unit": {}}}},
	  "type": "object", "additionalProperties": false,
	  "properties": {"id": {}, "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}}}`
	objs, err := Objects([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), `"lines[].qty": additionalProperties is not false`) {
		t.Errorf("err = %v, want the open object named", err)
	}
	want := map[string][]string{"": {"id", "lines"}, "lines[]": {"hs", "qty"}, "lines[].qty": {"unit", "value"}}
	for p, f := range want {
		if !slices.Equal(objs[p], f) {
			t.Errorf("%q: %v, want %v", p, objs[p], f)
		}
	}
	if d := Compare(objs, want); len(d) != 0 {
		t.Errorf("Compare of equal sets: %v", d)
	}
	d := Compare(objs, map[string][]string{"": {"id"}, "lines[]": {"hs", "qty"}, "lines[].qty": {"unit", "value"}, "x": {"a"}})
	if len(d) != 2 || !strings.Contains(d[0], `"": schema has [id lines], parser accepts [id]`) || !strings.Contains(d[1], `"x"`) {
		t.Errorf("Compare = %q", d)
	}
	if _, err := Objects([]byte(`{"properties": {"a": {"$ref": "#/$defs/none"}}, "additionalProperties": false}`)); err == nil || !strings.Contains(err.Error(), "names no definition") {
		t.Errorf("dangling $ref: %v", err)
	}
}
