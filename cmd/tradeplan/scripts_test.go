package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/screen/screentest"
)

// TestScreenScripts screens the plan of names and goods as they are really
// written through the command line, with the real lists: every line
// screens as its purpose says (see package screentest).
func TestScreenScripts(t *testing.T) {
	needLists(t)
	rep := screenJSON(t, exitFindings, "--as-of", "2027-03-01", "--lists", testUNList+","+testOFACList,
		"../../screen/screentest/"+screentest.ScriptsFile)
	if len(rep.Plans) != 1 {
		t.Fatalf("%d plans", len(rep.Plans))
	}
	if bad := screentest.Check(rep.Plans[0]); len(bad) > 0 {
		t.Errorf("%d lines screen otherwise than their purpose says:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// TestScreenScriptsCSV: a customs line file takes the same reading.
func TestScreenScriptsCSV(t *testing.T) {
	needLists(t)
	csv := "origin,destination,description,hs,partner,partner_country\n" +
		"CN,KP,milled rice,100630,KOREA KWANGSON BANKING CORPORATION,CN\n" +
		"CN,KP,milled rice,100630,KОREA KWANGSОN BANKING CORPORATION,CN\n" +
		"KP,CN,salted pollack,,,\n" +
		"KP,CN,salted pоllack,,,\n" +
		"KP,CN,минтай солёный,950300,,\n"
	code, out, errs := runCmd(t, csv, "screen", "--format", "json", "--as-of", "2027-03-01", "--lists", testUNList+","+testOFACList, "--input-format", "csv", "-")
	if code != exitFindings {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	if !strings.Contains(out, "mixes Latin and Cyrillic letters") {
		t.Errorf("no finding on the look-alike letters:\n%s", out)
	}
	var rep struct {
		Plans []struct {
			Lines []struct {
				Verdict string `json:"verdict"`
			} `json:"lines"`
		} `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Plans) != 1 || len(rep.Plans[0].Lines) != 5 {
		t.Fatalf("report %v:\n%s", err, out)
	}
	want := []string{"prohibited", "prohibited", "prohibited", "prohibited", "prohibited"}
	for i, l := range rep.Plans[0].Lines {
		if l.Verdict != want[i] && !(want[i] == "!clear" && l.Verdict != "clear") {
			t.Errorf("line %d: %s, want %s", i+1, l.Verdict, want[i])
		}
	}
}

// TestPartiesScreenScripts: `tradeplan parties screen` finds a listed name
// written in any look-alike class as it finds its plain spelling, and says
// how it is written.
func TestPartiesScreenScripts(t *testing.T) {
	needLists(t)
	names := []string{"KOREA KWANGSON BANKING CORPORATION", "KОREA KWANGSОN BANKING CORPORATION",
		"ＫＯＲＥＡ ＫＷＡＮＧＳＯＮ ＢＡＮＫＩＮＧ ＣＯＲＰＯＲＡＴＩＯＮ", "𝐊𝐎𝐑𝐄𝐀 𝐊𝐖𝐀𝐍𝐆𝐒𝐎𝐍 𝐁𝐀𝐍𝐊𝐈𝐍𝐆 𝐂𝐎𝐑𝐏𝐎𝐑𝐀𝐓𝐈𝐎𝐍",
		"ΚΟREA KWANGSΟN BANKING CΟRPΟRATIΟN", "KOREA KWANG\u00adSON BANKING CORPORATION"}
	code, out, errs := runCmd(t, "", append([]string{"parties", "screen", "--format", "json", "--lists", testUNList + "," + testOFACList}, names...)...)
	if code != exitFindings {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	var resp struct {
		Results []struct {
			Query   string `json:"query"`
			Written string `json:"written"`
			Matches []struct {
				ID       string  `json:"id"`
				Score    float64 `json:"score"`
				Strength string  `json:"strength"`
			} `json:"matches"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil || len(resp.Results) != len(names) {
		t.Fatalf("output %v:\n%s", err, out)
	}
	plain := resp.Results[0]
	if len(plain.Matches) == 0 || plain.Matches[0].ID != "KPe.025" || plain.Written != "" {
		t.Fatalf("plain spelling: %+v", plain)
	}
	for _, r := range resp.Results[1:] {
		if len(r.Matches) != len(plain.Matches) || r.Matches[0] != plain.Matches[0] {
			t.Errorf("%q: matches %+v, the plain spelling's %+v", r.Query, r.Matches, plain.Matches)
		}
		if !strings.Contains(r.Written, "read as \u201cKOREA KWANGSON BANKING CORPORATION\u201d") {
			t.Errorf("%q: written %q", r.Query, r.Written)
		}
	}
}

// TestScreenMixedDescriptions: a lawful word matching the declared code does
// not hide banned goods named beside it in the same description of a line
// relating to the DPRK: the banned reading is weighed and the line is a
// review (cleared only with evidence), never clear. A purpose ("for fishing
// boats") names no goods.
func TestScreenMixedDescriptions(t *testing.T) {
	doc := `plan: {id: mixed, country: KP}
lines:
- {direction: export, description: plastic toys and salted pollack, hs: "9503.00", quantity: 1, unit: t, destination: CN}
- {direction: export, description: toys and anthracite, hs: "9503.00", quantity: 1, unit: t, destination: CN}
- {direction: export, description: "human hair wigs; frozen crab meat", hs: "6704.11", quantity: 1, unit: t, destination: CN}
- {direction: import, description: wheat flour and CNC lathes, hs: "1101.00", quantity: 1, unit: t, origin: CN}
- {direction: export, description: human hair wigs, hs: "6704.20", quantity: 1, unit: pcs, destination: CN}
- {direction: import, description: milled rice, hs: "1006.30", quantity: 1, unit: t, origin: CN}
- {direction: import, description: diesel fuel for fishing boats and farm machinery, hs: "2710.19", quantity: 1, unit: bbl, origin: CN}
- {direction: export, description: "plastic toys, salted pollack", hs: "9503.00", quantity: 1, unit: t, destination: CN}
- {direction: export, description: "plastic toys, buckets, salted pollack and brushes", hs: "9503.00", quantity: 1, unit: t, destination: CN}
- {direction: export, description: "plastic toys, salted pollack", quantity: 1, unit: t, destination: CN}
- {direction: export, description: "plastic toys/salted pollack", hs: "9503.00", quantity: 1, unit: t, destination: CN}
- {direction: export, description: "human hair wigs, natural black, 20 inch", hs: "6704.20", quantity: 1, unit: pcs, destination: CN}
- {direction: import, description: "milled rice, long grain, 25 kg bags", hs: "1006.30", quantity: 1, unit: t, origin: CN}
`
	_, out, errs := runCmd(t, doc, "screen", "--format", "json", "--as-of", "2027-03-01", "-")
	var rep struct {
		Plans []struct {
			Lines []struct {
				Verdict string `json:"verdict"`
			} `json:"lines"`
		} `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Plans) != 1 || len(rep.Plans[0].Lines) != 13 {
		t.Fatalf("report %v:\n%s\n%s", err, out, errs)
	}
	want := []string{"review", "review", "review", "review", "clear", "clear", "capped",
		// goods listed with commas are weighed one by one, with or without a declared code
		"review", "review", "!clear", "review",
		// commas that set off attributes name no other goods
		"clear", "clear"}
	for i, l := range rep.Plans[0].Lines {
		if l.Verdict != want[i] && !(want[i] == "!clear" && l.Verdict != "clear") {
			t.Errorf("line %d: %s, want %s", i+1, l.Verdict, want[i])
		}
	}
}
