package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/screen/screentest"
)

// scriptsHarness is a server whose screener classifies descriptions and
// screens partners against the real UN and OFAC lists.
func scriptsHarness(t *testing.T) *harness {
	t.Helper()
	un, ofac := shareddata.Path(t, shareddata.UNList), shareddata.Path(t, shareddata.OFACList)
	ix, err := parties.LoadFiles(un, ofac)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		t.Fatal(err)
	}
	return newHarness(t, "sqlite", func(c *Config) {
		c.Screener = screen.New(screen.Config{Classifier: cls, Goods: eng, Parties: ix, NewLedger: rules.NewLedger})
		c.Parties = ix
		c.MaxBodyBytes = 1 << 20
	})
}

// TestScreenScriptsAPIAndForm screens the plan of names and goods as they
// are really written (package screentest) through POST /api/v1/screen and
// through the web form: every line screens as its purpose says, and the
// form shows the same verdicts and the findings on how names and goods are
// written. POST /api/v1/parties/screen says how a name is written.
func TestScreenScriptsAPIAndForm(t *testing.T) {
	h := scriptsHarness(t)
	c := h.anon()
	r := c.do("POST", "/api/v1/screen?as_of=2027-03-01", screentest.ScriptsPlan, "application/yaml").want(http.StatusOK)
	var rep tradeplan.Report
	r.decode(&rep)
	if len(rep.Plans) != 1 {
		t.Fatalf("report %s", r.body)
	}
	if bad := screentest.Check(rep.Plans[0]); len(bad) > 0 {
		t.Errorf("API: %d lines screen otherwise than their purpose says:\n%s", len(bad), strings.Join(bad, "\n"))
	}

	p := h.browser().post("/screen", url.Values{"document": {screentest.ScriptsPlan}, "format": {"yaml"}}).want(http.StatusOK)
	rows := regexp.MustCompile(`<tr class="row-(\w+)">`).FindAllStringSubmatch(p.body, -1)
	if len(rows) != len(rep.Plans[0].Lines) {
		t.Fatalf("web form: %d rows, want %d", len(rows), len(rep.Plans[0].Lines))
	}
	for i, row := range rows {
		if want := rep.Plans[0].Lines[i].Verdict.String(); row[1] != want {
			t.Errorf("web form line %d: %s, the API's %s", i+1, row[1], want)
		}
	}
	p.contains("partner name mixes Latin and Cyrillic letters", "partner name mixes Latin and Greek letters",
		"partner name is written in styled letters", "description mixes Latin and Cyrillic letters",
		"description is written in styled letters", "Hangul read as", "Han read as", "Cyrillic read as")

	var resp partiesResponse
	c.post("/api/v1/parties/screen", map[string]any{"names": []string{"KOMID", "KОMID", "ＫＯＭＩＤ"}}).want(http.StatusOK).decode(&resp)
	if len(resp.Results) != 3 || len(resp.Results[0].Matches) == 0 {
		t.Fatalf("parties: %+v", resp)
	}
	for _, res := range resp.Results[1:] {
		if len(res.Matches) == 0 || res.Matches[0].ID != resp.Results[0].Matches[0].ID || res.Matches[0].Score != resp.Results[0].Matches[0].Score {
			t.Errorf("%q: %+v, plain %+v", res.Query, res.Matches, resp.Results[0].Matches)
		}
		if !strings.Contains(res.Written, "read as \u201cKOMID\u201d") {
			t.Errorf("%q: written %q", res.Query, res.Written)
		}
	}
	if resp.Results[0].Written != "" {
		t.Errorf("plain name: written %q", resp.Results[0].Written)
	}
}
