package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/parties"
)

func TestPartiesCompareEndpoint(t *testing.T) {
	h := newHarness(t, "sqlite")
	var one parties.Comparison
	h.anon().post("/api/v1/parties/compare", map[string]any{"name1": "Tanchon Comercial Bank", "name2": "TANCHON COMMERCIAL BANK"}).
		want(http.StatusOK).decode(&one)
	if one.Kind != parties.Entity || one.Band != parties.Strong || one.Score < 0.9 || !strings.Contains(one.Explanation, "comercial~commercial") {
		t.Errorf("single compare: %+v", one)
	}
	var many struct {
		Results []parties.Comparison `json:"results"`
	}
	h.anon().post("/api/v1/parties/compare", map[string]any{"pairs": []map[string]string{
		{"name1": "Kin Yonh Chol", "name2": "KIM YONG CHOL", "kind": "individual"},
		{"name1": "Siemens AG", "name2": "Siemens GmbH"},
		{"name1": "Castro", "name2": "Castillo", "kind": "individual"},
	}}).want(http.StatusOK).decode(&many)
	if len(many.Results) != 3 || many.Results[0].Band != parties.Possible || many.Results[1].Score != 0.88 ||
		many.Results[2].Band != parties.BandNone || many.Results[0].Name1 != "Kin Yonh Chol" {
		t.Errorf("pairs compare: %+v", many)
	}
	// Bad input: each problem at its field.
	for _, c := range []struct {
		body any
		want string
	}{
		{map[string]any{"name1": "x"}, "name2"},
		{map[string]any{"name1": "x", "name2": "y", "kind": "ship"}, "kind"},
		{map[string]any{"pairs": []map[string]string{{"name1": "a", "name2": "b"}, {"name1": "", "name2": "b"}}}, "pairs[1].name1"},
		{map[string]any{"name1": "x", "name2": "y", "pairs": []map[string]string{{"name1": "a", "name2": "b"}}}, "pairs"},
		{map[string]any{"name1": strings.Repeat("a", 400), "name2": "y"}, "name1"},
	} {
		r := h.anon().post("/api/v1/parties/compare", c.body)
		r.wantError(http.StatusBadRequest, "invalid")
		if !strings.Contains(string(r.body), c.want) {
			t.Errorf("%v: want the problem at %s, got %s", c.body, c.want, r.body)
		}
	}
	// Without lists loaded the compare still answers, every word weighing
	// as a rare one.
	h2 := newHarness(t, "sqlite", func(c *Config) { c.Parties = nil })
	h2.anon().post("/api/v1/parties/compare", map[string]any{"name1": "Kim Jong Un", "name2": "KIM, Jong Un", "kind": "individual"}).
		want(http.StatusOK).decode(&one)
	if one.Score != 1 {
		t.Errorf("without lists: %+v", one)
	}
}
