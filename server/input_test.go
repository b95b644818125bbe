package server

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/tradeplan/tradeplan"
)

func TestCheckJSONText(t *testing.T) {
	tests := []struct {
		name, body string
		path       string // of the problem; "" for none
	}{
		{"plain", `{"name": "Dandong Grain", "reason": "line one\nline two\tend"}`, ""},
		{"escapes that are text", `{"name": "caf\u00e9 \"q\" \\ \/", "description": "\r\n"}`, ""},
		{"non-ASCII", `{"name": "청진 Ch'ŏngjin"}`, ""},
		{"NUL in a value", `{"name": "a\u0000"}`, "name"},
		{"NUL in a key", `{"na\u0000me": "a"}`, `"na\x00me"`},
		{"line break in a name", `{"name": "a\nb"}`, "name"},
		{"tab in an email", `{"email": "a\t@example.org"}`, "email"},
		{"escape in a reason", `{"reason": "a\u001b[31m"}`, "reason"},
		{"C1 raw", "{\"reason\": \"a\u0085\"}", "reason"},
		{"nested", `{"partner": {"country": "CN", "name": "a\u0007"}}`, "partner.name"},
		{"array", `{"names": ["ok", "also ok", "bad\u0000"]}`, "names[2]"},
		{"array of objects", `{"lines": [{"a": "x"}, {"a": "x", "b": ["y", "z\u0001"]}]}`, "lines[1].b[1]"},
		{"after a nested value", `{"a": {"b": [1, 2]}, "c": "d\u0000"}`, "c"},
		{"invalid UTF-8", "{\"guidance\": \"a\xffb\"}", "guidance"},
		{"encoded surrogate", "{\"x\": [\"\xed\xa0\x80\"]}", "x[0]"},
		{"top-level string", `"a\u0000"`, "(body)"},
		{"syntax error left to the decoder", `{"name": "a\u0000`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkJSONText([]byte(tt.body))
			if tt.path == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *tradeplan.Error
			if !errors.As(err, &e) || e.Code != tradeplan.EInvalid || len(e.Problems) != 1 || e.Problems[0].Pos.Path != tt.path {
				t.Fatalf("got %v (%+v), want a problem at %s", err, e, tt.path)
			}
		})
	}
}

// FuzzCheckJSONText holds checkJSONText to its promise: a body it passes
// decodes to strings that tradeplan.CheckText passes as free text, and it
// never panics.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{"a": "b"}`, `{"a": ["\u0000"]}`, "{\"a\": \"\xff\"}", `[1, {"b": "c\n"}]`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if checkJSONText(body) != nil {
			return
		}
		var v any
		if json.Unmarshal(body, &v) != nil {
			return
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if msg := tradeplan.CheckText(x, true); msg != "" {
					t.Fatalf("passed %q: %s", x, msg)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					walk(k)
					walk(e)
				}
			}
		}
		walk(v)
	})
}
