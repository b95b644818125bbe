package plan

import "testing"

func TestFormats(t *testing.T) {
	names := []struct {
		in   string
		want Format
	}{{"a.yaml", YAML}, {"b.YML", YAML}, {"dir.x/c.json", JSON}, {"d.CSV", CSV}, {"e.txt", ""}, {"-", ""}, {"yaml", ""}}
	for _, tt := range names {
		t.Run("name "+tt.in, func(t *testing.T) {
			got, ok := FormatFromName(tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("FormatFromName(%q) = %q, %v", tt.in, got, ok)
			}
		})
	}
	types := []struct {
		in   string
		want Format
	}{
		{"application/yaml", YAML}, {"application/x-yaml", YAML}, {"text/yaml; charset=utf-8", YAML},
		{"application/json", JSON}, {"Application/JSON; charset=UTF-8", JSON}, {"text/csv", CSV},
		{"text/plain", ""}, {"", ""}, {"garbage;;", ""},
	}
	for _, tt := range types {
		t.Run("content type "+tt.in, func(t *testing.T) {
			got, ok := FormatFromContentType(tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("FormatFromContentType(%q) = %q, %v", tt.in, got, ok)
			}
		})
	}
	if f, ok := ParseFormat("YML"); !ok || f != YAML {
		t.Errorf("ParseFormat(YML) = %q, %v", f, ok)
	}
}
