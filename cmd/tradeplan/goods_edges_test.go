package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestScreenGoodsEdges screens, through the whole CLI pipeline, dated
// declarations on the edges of the UN DPRK measures (issue 19): each
// verdict must follow the text in force on the line's date and the facts
// the line gives, and name what a person must confirm.
func TestScreenGoodsEdges(t *testing.T) {
	const header = "date,origin,destination,hs,description,quantity,unit,value,currency,partner,partner_country,vessel_name,vessel_imo,crossing,direction\n"
	tests := []struct {
		row     string
		verdict tradeplan.Verdict
		rule    string // a finding of this rule must be present
		text    string // in that finding's summary, notes or missing
	}{
		{"2010-05-01,RU,KP,930200,pistols,10,pcs,8000,USD,,,,,,", tradeplan.Review, "un-dprk/1874-op10-salw", "five days"},
		{"2017-05-01,RU,KP,930200,pistols,10,pcs,8000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2270-op6", ""},
		{"2008-05-01,IT,KP,930320,sporting rifles,10,pcs,8000,USD,,,,,,", tradeplan.Review, "un-dprk/1718-op8-arms-other", "Register category"},
		{"2017-01-10,DE,KP,901310,telescopic sights for rifles,10,pcs,8000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2270-op6", ""},
		{"2017-08-20,KP,CN,260700,lead ore,100,t,8000,USD,,,,,,", tradeplan.Review, "un-dprk/2371-op10", "wind-down to 2017-09-04"},
		{"2017-09-20,CN,KP,271019,diesel fuel,1000,bbl,90000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2375-op14-none", "1 October 2017"},
		{"2017-10-15,CN,KP,271019,diesel fuel,1000,bbl,90000,USD,,,,,,", tradeplan.Capped, "un-dprk/2375-op14", "from 2017-10-01 to 2017-12-31"},
		{"2018-03-01,CN,KP,271019,diesel fuel,1000,bbl,90000,USD,,,,,,", tradeplan.Capped, "un-dprk/2397-op5", "500000 bbl per 12 months"},
		{"2016-06-01,KP,CN,711890,gold coins,100,pcs,150000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2270-op30", ""},
		{"2016-06-01,KP,CN,711319,gold necklaces,10,pcs,15000,USD,,,,,,", tradeplan.Review, "un-dprk/2270-op30-gold-forms", "of gold"},
		{"2016-06-01,KP,CN,261220,monazite concentrate,100,t,150000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2270-op30", "monazite"},
		{"2016-06-01,CN,KP,910211,stainless steel wrist watches,100,pcs,2000,USD,,,,,,", tradeplan.Clear, "", ""},
		{"2016-06-01,CH,KP,910111,wrist watches with gold cases,2,pcs,20000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2270-annex-v", ""},
		{"2023-01-01,RU,KP,880730,spare parts for Air Koryo Tu-204,1,t,50000,USD,,,,,,", tradeplan.Review, "un-dprk/2397-op7", "aircraft-spare-parts"},
		{"2023-01-01,CN,KP,721420,steel bars for aircraft spare parts,10,t,5000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/2397-op7", ""},
		{"2023-01-01,RU,CN,270112,coal,5000,t,500000,USD,,,,,Khasan - Rajin port,", tradeplan.Review, "un-dprk/2371-op8", "notified to the Committee in advance"},
		{"2023-01-01,RU,CN,270112,coal,5000,t,500000,USD,,,,,Vladivostok port,", tradeplan.Clear, "", ""},
		{"2023-01-01,RU,KP,270900,crude oil or condensate - assay pending,1000,t,500000,USD,,,,,,", tradeplan.Review, "un-dprk/2375-op13-assay", "assay"},
		{"2023-01-01,CN,KP,271112,liquefied petroleum gas,100,t,50000,USD,,,,,,", tradeplan.Review, "un-dprk/2375-op13-lpg", "refinery"},
		{"2015-01-01,FR,KP,220820,cognac,70,l,5600,USD,,,,,,", tradeplan.Review, "un-dprk/1718-lux-drink", ""},
		{"2015-01-01,CN,KP,220421,table wine,750,l,3000,USD,,,,,,", tradeplan.Clear, "", ""},
		{"2015-01-01,KR,KP,851713,smartphones,10,pcs,9000,USD,,,,,,", tradeplan.Review, "un-dprk/1718-lux-electronics", ""},
		// an HS 2017 code renumbered in HS 2022 is read as its new code: the aircraft-parts exception holds (was 8708.99 from the words)
		{"2023-01-01,RU,KP,880330,spare parts for Air Koryo Tu-204,1,t,50000,USD,,,,,,", tradeplan.Review, "un-dprk/2397-op7", "aircraft-spare-parts"},
		{"2016-06-01,RU,KP,880330,parts for MiG-29 fighter aircraft,1,t,50000,USD,,,,,,", tradeplan.Prohibited, "un-dprk/1718-op8-arms", ""},
		// LNG is no refined product: review under 2375 OP13, not capped
		{"2023-01-01,CN,KP,271111,liquefied natural gas,100,t,50000,USD,,,,,,", tradeplan.Review, "un-dprk/2375-op13-lng", "natural gas liquid"},
		// a crossing whose name only starts like a DPRK place is no DPRK place
		{"2023-01-01,RU,CN,270112,coal,5000,t,500000,USD,,,,,Namyangju logistics hub,", tradeplan.Clear, "", ""},
	}
	var b strings.Builder
	b.WriteString(header)
	for _, tc := range tests {
		b.WriteString(tc.row + "\n")
	}
	path := filepath.Join(t.TempDir(), "edges.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := screenJSON(t, exitFindings, path)
	lines := rep.Plans[0].Lines
	if len(lines) != len(tests) {
		t.Fatalf("%d lines screened, want %d", len(lines), len(tests))
	}
	for i, tc := range tests {
		l := lines[i]
		if l.Verdict != tc.verdict {
			t.Errorf("line %d %q: verdict %s, want %s; findings: %s", i+1, tc.row, l.Verdict, tc.verdict, findingsText(l.Findings))
			continue
		}
		if tc.rule == "" {
			continue
		}
		found := false
		for _, f := range l.Findings {
			if f.Basis == nil || f.Rule() != tc.rule {
				continue
			}
			all := f.Summary + " | " + strings.Join(f.Notes, " | ") + " | " + strings.Join(f.Missing, " | ")
			if f.Cap != nil {
				all += " | " + f.Cap.From.Format("from 2006-01-02") + f.Cap.To.Format(" to 2006-01-02")
			}
			if strings.Contains(all, tc.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("line %d %q: no finding of %s naming %q; findings: %s", i+1, tc.row, tc.rule, tc.text, findingsText(l.Findings))
		}
	}
}

func findingsText(fs []tradeplan.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		rule := ""
		if f.Basis != nil {
			rule = f.Rule()
		}
		b.WriteString("\n  " + f.Outcome.String() + " " + rule + ": " + f.Summary + " notes=" + strings.Join(f.Notes, "; ") + " missing=" + strings.Join(f.Missing, "; "))
	}
	return b.String()
}
