package plan

import "testing"

func TestSuggest(t *testing.T) {
	c := []string{"description", "destination", "direction", "hs"}
	for in, want := range map[string]string{"descripton": "description", "destinaton": "destination", "dierction": "direction", "hs": "hs", "colour": "", "h": "hs", "x": ""} {
		if got := suggest(in, c); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
