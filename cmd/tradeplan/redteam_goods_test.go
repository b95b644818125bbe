package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestScreenListedBannedWord: a banned good named by one bare word beside a
// lawful one ("wigs and textiles", "wigs, copper") is read only weakly on
// its own, yet alone it is prohibited: in a list it must not leave the line
// clear, with or without a declared code.
func TestScreenListedBannedWord(t *testing.T) {
	descs := []string{"wigs and textiles", "wigs, copper", "wigs and machinery", "wigs, fish", "wigs and garments",
		"wigs and fabrics", "wigs/textiles", "eyelashes, textiles",
		// the part's best reading is lawful, its other readings banned
		"wigs and lead", "wigs and nickel", "wigs and zinc", "molluscs; wigs", "wigs; molluscs", "eyelashes and molluscs"}
	var doc strings.Builder
	doc.WriteString("plan: {id: listed, country: KP}\nlines:\n")
	for _, d := range descs {
		doc.WriteString("- {direction: export, description: \"" + d + "\", quantity: 1, unit: t, destination: CN}\n")
		doc.WriteString("- {direction: export, description: \"" + d + "\", hs: \"6704.11\", quantity: 1, unit: t, destination: CN}\n")
	}
	_, out, errs := runCmd(t, doc.String(), "screen", "--format", "json", "--as-of", "2027-03-01", "-")
	var rep struct {
		Plans []struct {
			Lines []struct {
				Description string `json:"description"`
				Verdict     string `json:"verdict"`
			} `json:"lines"`
		} `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Plans) != 1 || len(rep.Plans[0].Lines) != 2*len(descs) {
		t.Fatalf("report %v:\n%s\n%s", err, out, errs)
	}
	for i, l := range rep.Plans[0].Lines {
		if l.Verdict == "clear" {
			t.Errorf("line %d %q (declared %v): clear", i+1, descs[i/2], i%2 == 1)
		}
	}
}
