package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestScreenListOfGoods: a description that lists goods, with no code
// declared, is prohibited when every part is banned, with each part's rule
// cited; a banned part beside a lawful one (wigs are not covered by the UN
// measures) is at least review, never clear. "Propellers for fishing boats"
// are propellers (8487.10, to the DPRK under 2397 OP7), not boats.
func TestScreenListOfGoods(t *testing.T) {
	cases := []struct {
		desc, direction, verdict string
		cites                    []string
	}{
		{"coal and frozen fish", "export", "prohibited", []string{"UNSCR 2371 (2017) OP8", "UNSCR 2371 (2017) OP9"}},
		{"coal, iron ore", "export", "prohibited", []string{"UNSCR 2371 (2017) OP8"}},
		{"coal, wigs", "export", "review", nil},
		{"wigs, coal", "export", "review", nil},
		{"wigs", "export", "clear", nil},
		{"propellers for fishing boats", "import", "prohibited", []string{"UNSCR 2397 (2017) OP7"}},
	}
	var doc strings.Builder
	doc.WriteString("plan: {id: lists, country: KP}\nlines:\n")
	for _, c := range cases {
		where := "destination: CN"
		if c.direction == "import" {
			where = "origin: CN, destination: KP"
		}
		doc.WriteString("- {direction: " + c.direction + ", description: \"" + c.desc + "\", quantity: 1, unit: pcs, value: 100, currency: USD, " + where + "}\n")
	}
	_, out, errs := runCmd(t, doc.String(), "screen", "--format", "json", "--as-of", "2027-03-01", "-")
	var rep struct {
		Plans []struct {
			Lines []struct {
				Verdict  string `json:"verdict"`
				Findings []struct {
					Outcome  string `json:"outcome"`
					Citation string `json:"citation"`
				} `json:"findings"`
			} `json:"lines"`
		} `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Plans) != 1 || len(rep.Plans[0].Lines) != len(cases) {
		t.Fatalf("report %v:\n%s\n%s", err, out, errs)
	}
	for i, l := range rep.Plans[0].Lines {
		c := cases[i]
		if l.Verdict != c.verdict {
			t.Errorf("%q: verdict %s, want %s (%+v)", c.desc, l.Verdict, c.verdict, l.Findings)
		}
		var cited []string
		for _, f := range l.Findings {
			if f.Outcome == "prohibited" {
				cited = append(cited, f.Citation)
			}
		}
		for _, want := range c.cites {
			if !slices.Contains(cited, want) {
				t.Errorf("%q: prohibited findings cite %q, want %s among them", c.desc, cited, want)
			}
		}
	}
}
